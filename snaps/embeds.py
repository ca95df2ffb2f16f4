"""Other sites showing a snap: an iframe-friendly page and the oEmbed endpoint.

Only this page may be framed: its CSP `frame-ancestors` is SNAPS_EMBED_FRAME_ANCESTORS
(default `*`) instead of the site's `'none'`, and it drops X-Frame-Options. Only listed
snaps (public, not one-time) are embedded; unlisted, private and one-time ones are a
404 here and in oEmbed.
"""

import re
from urllib.parse import urlsplit

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from project.pagecache import cache_for_anonymous
from snaps import selectors
from snaps.highlighting import highlight_file, language_name

SNAP_PATH = re.compile(r"^/snaps/(?P<key>[0-9a-f]{40})/(?:embed/)?$")
DEFAULT_WIDTH, MAX_HEIGHT, LINE_HEIGHT, CHROME_HEIGHT = 700, 600, 21, 90


@csp_replace({"frame-ancestors": settings.SNAPS_EMBED_FRAME_ANCESTORS})
@xframe_options_exempt
@cache_for_anonymous("snaps")
@require_GET
def snap_embed(request: HttpRequest, hash_key: str) -> HttpResponse:
    snap = selectors.snap_get_embeddable(hash_key=hash_key)
    files = [
        {
            "file": file,
            "highlighted": highlight_file(file).html,
            "language": language_name(file.extension, file.language),
        }
        for file in snap.file_list
    ]
    context = {
        "snap": snap,
        "files": files,
        "snap_url": request.build_absolute_uri(snap.get_absolute_url()),
    }
    return TemplateResponse(request, "snaps/snap_embed.html", context)


def _positive(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and int(value) > 0 else None


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed 1.0 (https://oembed.com): `?url=<snap page>&format=json[&maxwidth&maxheight]`,
    a "rich" answer whose html is the embed page in an iframe. 404 for a URL that is
    not an embeddable snap of this site, 501 for a format other than JSON."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse("Only format=json is supported.", status=501)
    url = urlsplit(request.GET.get("url", ""))
    match = SNAP_PATH.match(url.path)
    if url.scheme not in ("http", "https") or url.netloc != request.get_host() or not match:
        return JsonResponse({"detail": "Not a snap of this site."}, status=404)
    snap = selectors.snap_get_embeddable(hash_key=match["key"])
    # Every file's lines and the header above each.
    lines = sum(file.content.count("\n") + 2 for file in snap.file_list)
    width = min(DEFAULT_WIDTH, _positive(request.GET.get("maxwidth")) or DEFAULT_WIDTH)
    height = min(MAX_HEIGHT, CHROME_HEIGHT + LINE_HEIGHT * lines)
    height = min(height, _positive(request.GET.get("maxheight")) or height)
    embed_url = request.build_absolute_uri(reverse("snaps:embed", args=[snap.hash_key]))
    title = snap.filename
    html = (
        f'<iframe src="{embed_url}" width="{width}" height="{height}" '
        f'title="{escape(title)}" loading="lazy" style="border:0"></iframe>'
    )
    return JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": title,
            "author_name": snap.author_name,
            **(
                {
                    "author_url": request.build_absolute_uri(
                        reverse("snaps:user", args=[snap.user.get_username()])
                    )
                }
                if snap.user_id
                else {}
            ),
            "provider_name": "Blueprints Snaps",
            "provider_url": request.build_absolute_uri(reverse("snaps:list")),
            "html": html,
            "width": width,
            "height": height,
            "cache_age": 3600,
        }
    )
