"""dpaste's API, so its clients and editor plugins work unchanged: `POST /api/`.

Form fields as dpaste documents them: `content` (required), `lexer` (a lexer name;
`python` when the field is absent), `filename` (decides the lexer when `lexer` is
empty), `expires` (`onetime`, `never`, or seconds: 3600, 604800, 2592000; one day
when absent) and `format`: `default` answers the snap's URL in double quotes, `url`
the URL and a newline, `json` {"url", "content", "lexer"}. Errors are 400s with
dpaste's plain-text messages.

It sits outside the JSON-only, strict /api/v1/ (DRF) on purpose: a plain Django view
taking form posts, without CSRF since it never acts for a session (every snap made
here is anonymous and unlisted, so SNAPS_ALLOW_ANONYMOUS must be on). Bodies are
text/plain (JSON for `json`), never HTML, so a cross-site form post cannot make it
render markup. The anonymous edit token comes in the X-Snap-Token response header,
leaving the documented body as it is.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pygments.lexers import get_lexer_for_filename
from pygments.util import ClassNotFound

from project.throttling import ScopedRateThrottle
from snaps import services
from snaps.authorship import TOKEN_HEADER
from snaps.languages import PLAIN_TEXT, language_alias, language_choices
from snaps.models import Snap

LEXER_DEFAULT = "python"
DEFAULT_EXPIRY = timedelta(days=1)
# dpaste's own choices, in its order.
EXPIRE_CHOICES = {
    "onetime": {"burn_after_reading": True},
    "3600": {"expires_in": timedelta(seconds=3600)},
    "604800": {"expires_in": timedelta(seconds=604800)},
    "2592000": {"expires_in": timedelta(seconds=2592000)},
    "never": {},
}
# dpaste's non-Pygments "lexers".
SPECIAL_LEXERS = {"_text": PLAIN_TEXT, "_code": PLAIN_TEXT, "_markdown": "markdown", "_rst": "rst"}


class _Scope:
    throttle_scope = "snaps-anonymous"  # the anonymous snaps' limit, web and API alike


def _text(body: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    response.api_edge_keeps_body = True  # dpaste's plain answers, not /api/'s JSON errors
    return response


def _lexer_keys() -> str:
    return ", ".join([*SPECIAL_LEXERS, *(alias for alias, _ in language_choices())])


def _language(lexer: str, filename: str) -> str:
    if lexer:
        return SPECIAL_LEXERS.get(lexer) or language_alias(lexer) or ""
    try:
        return get_lexer_for_filename(filename).aliases[0]
    except (ClassNotFound, IndexError):
        return PLAIN_TEXT


@csrf_exempt
@require_POST
def dpaste_create(request: HttpRequest) -> HttpResponse:
    content = request.POST.get("content", "")
    lexer = request.POST.get("lexer", LEXER_DEFAULT).strip()
    filename = request.POST.get("filename", "").strip()
    expires = request.POST.get("expires", "").strip()
    response_format = request.POST.get("format", "default").strip()

    if not content.strip():
        return _text("No content given", 400)
    if "\x00" in content + lexer + filename:  # PostgreSQL text cannot hold NUL
        return _text("Null characters are not allowed.", 400)
    if not lexer and not filename:
        return _text(
            "No lexer or filename given. Unable to determine a highlight. "
            f"Valid lexers are: {_lexer_keys()}",
            400,
        )
    language = _language(lexer, filename)
    if not language:
        return _text(
            f'Invalid lexer choice "{lexer}" given. Valid lexer values are: {_lexer_keys()}',
            400,
        )
    if expires and expires not in EXPIRE_CHOICES:
        return _text(
            f'Invalid expire choice "{expires}" given. '
            f"Valid expire values are: {', '.join(EXPIRE_CHOICES)}",
            400,
        )
    if not settings.SNAPS_ALLOW_ANONYMOUS:
        return _text("Anonymous snaps are turned off on this site.", 403)
    if not ScopedRateThrottle().allow_request(request, _Scope):
        return _text("Too many snaps from here; try again later.", 429)

    expiry = EXPIRE_CHOICES[expires] if expires else {"expires_in": DEFAULT_EXPIRY}
    name = filename.replace("\\", "/").rsplit("/", 1)[-1] or "snap"
    try:
        snap, token = services.snap_create_anonymous(
            name=name,
            content=content,
            language=language,
            visibility=Snap.Visibility.UNLISTED,
            **expiry,
        )
    except (ValidationError, PermissionDenied) as error:
        messages = getattr(error, "messages", [str(error)])
        return _text(" ".join(messages), 400)

    url = request.build_absolute_uri(snap.get_absolute_url())
    if response_format == "url":
        response = _text(f"{url}\n")
    elif response_format == "json":
        content = snap.first_file.content
        body = json.dumps({"url": url, "content": content, "lexer": lexer or language})
        response = HttpResponse(body, content_type="application/json")
    else:  # "default", and anything unknown, as in dpaste
        response = _text(f'"{url}"')
    response[TOKEN_HEADER] = token
    return response
