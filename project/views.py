"""Site-wide views: home page, health check, API docs, and error handlers."""

import sys
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import ListView
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView

from project import site_search
from project.outages import is_outage, outage_response
from project.paginators import BoundedCountPaginator
from project.search import SearchListMixin
from recipes.selectors import recipe_list
from snaps.selectors import snap_list_public
from social.selectors import post_list


class ApiDocsView(SpectacularSwaggerView):
    """Swagger UI under the site's security headers: its inline style and init script
    carry the CSP nonce, and the site's Cross-Origin-Opener-Policy replaces the
    unsafe-none drf-spectacular sends for OAuth2 pop-ups (no OAuth2 scheme here)."""

    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
        return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def home(request: HttpRequest) -> HttpResponse:
    activity = {
        "recent_snaps": snap_list_public()[:5],
        "recent_posts": post_list(with_photos=False)[:5],
        "recent_recipes": recipe_list()[:5],
    }
    return render(request, "home.html", activity)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Really touch the database and the cache; 503 names the part that failed."""
    report: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        report["database"] = "ok"
    except Exception as exc:  # any driver error means "not healthy"
        report["database"] = f"error: {exc.__class__.__name__}"
    try:
        key, token = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
        cache.set(key, token, timeout=10)
        ok = cache.get(key) == token
        cache.delete(key)
        report["cache"] = "ok" if ok else "error: value not read back"
    except Exception as exc:
        report["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse(report, status=200 if healthy else 503)


def bare(request: HttpRequest) -> HttpResponse:
    """The benchmark's baseline: Django's request cycle with no work (BENCHMARK_BARE_VIEW)."""
    return HttpResponse(b"ok", content_type="text/plain")


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def handler500(request: HttpRequest) -> HttpResponse:
    # Called while the exception is being handled: an outage raised outside a view
    # (e.g. by a middleware) still answers 503 (project/outages.py).
    if is_outage(error := sys.exc_info()[1]):
        return outage_response(request, error)
    if _is_api(request):
        return JsonResponse({"detail": "A server error occurred."}, status=500)
    # No context processors: the failure may be in them.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a branded 403 that says what to do instead of Django's debug page."""
    return render(request, "403_csrf.html", status=403)


class SearchView(SearchListMixin, ListView):
    """`/search/?q=`: the best few snaps, posts, photos and recipes the viewer may see,
    each group with a "more" link; `&kind=posts` (etc.) pages through one kind."""

    template_name = "search.html"
    context_object_name = "hits"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        self.kind = site_search.KINDS_BY_NAME.get(self.request.GET.get("kind", ""))
        if self.kind is None:
            return []  # the groups, in get_context_data
        kind, viewer = self.kind, self.request.user
        return self.searched(
            site_search.kind_search(kind, viewer=viewer, query=""),  # nothing without words
            search=lambda query: site_search.kind_search(kind, viewer=viewer, query=query),
        )

    def get_search_hidden(self) -> dict[str, str]:
        return {"kind": self.kind.name if self.kind else ""}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(kind=self.kind, **kwargs)
        query = context["search_query"]
        if self.kind is None and query:
            groups = site_search.site_search(
                viewer=self.request.user, query=query, limit=settings.SEARCH_GROUP_SIZE
            )
            context["groups"] = [
                {"group": group, "more_url": site_search.more_url(group.kind, query)}
                for group in groups
            ]
            context["found_any"] = any(group.hits for group in groups)
        return context
