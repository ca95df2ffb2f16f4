"""Reading snaps: the lists (all, by tag, by author), a snap's page and its raw files."""

import logging

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import DetailView, ListView

from project.paginators import BoundedCountPaginator
from project.search import SearchListMixin
from snaps import selectors, services
from snaps.authorship import is_author, request_token
from snaps.diffs import files_diff
from snaps.highlighting import highlight_file, language_name

logger = logging.getLogger(__name__)


class SnapListView(SearchListMixin, ListView):
    """Public snaps, newest first; `?q=` searches them (and the viewer's own), best first."""

    template_name = "snaps/snap_list.html"
    context_object_name = "snaps"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        snaps = self.searched(
            selectors.snap_list_public(),
            search=lambda query: selectors.snap_search(viewer=self.request.user, query=query),
        )
        slug = self.tag_slug()
        return selectors.tagged(snaps, slug) if slug else snaps

    def tag_slug(self) -> str:
        """`?tag=` (a tag's slug) narrows the list to that tag."""
        return self.request.GET.get("tag", "").strip()[:60]

    def get_search_hidden(self) -> dict[str, str]:
        return {"tag": self.tag_slug()}


class SnapTagView(SnapListView):
    """/snaps/tags/<slug>/: the public snaps with one tag, newest first."""

    def tag_slug(self) -> str:
        return self.tag.slug

    def get(self, request, *args, **kwargs):
        self.tag = selectors.snap_tag_get(kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_search_hidden(self) -> dict[str, str]:
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class SnapUserListView(ListView):
    template_name = "snaps/snap_user_list.html"
    context_object_name = "snaps"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        self.owner = get_object_or_404(get_user_model(), username=self.kwargs["username"])
        return selectors.snap_list_for_user(self.owner, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["owner"] = self.owner
        context["is_own_page"] = self.request.user.pk == self.owner.pk
        context["languages"] = selectors.snap_stats_by_extension(self.object_list)
        return context


class SnapDetailView(DetailView):
    template_name = "snaps/snap_detail.html"
    context_object_name = "snap"

    def get_object(self, queryset=None):
        snap = selectors.snap_get_visible(
            hash_key=self.kwargs["hash_key"], viewer=self.request.user
        )
        self.token = request_token(self.request, snap.hash_key)
        return services.snap_open(snap=snap, viewer=self.request.user, token=self.token)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        snap = self.object
        context["files"] = shown_files(snap.file_list)
        context["tags"] = [] if snap.pk is None else list(snap.tags.all())
        context["share_url"] = self.request.build_absolute_uri(snap.get_absolute_url())
        context["is_owner"] = is_author(snap, self.request.user, self.token)
        # A one-time snap just deleted by this view: its raw URL is gone too.
        context["burnt"] = snap.burn_after_reading and not context["is_owner"]
        context["show_history"] = snap.revision > 1 and (context["is_owner"] or snap.is_listed)
        context["can_fork"] = services.can_fork(snap, self.request.user)
        # (A one-time snap this view burnt is gone: no row to count forks of.)
        context["fork_count"] = 0 if context["burnt"] else selectors.snap_fork_count(snap)
        parent = selectors.snap_parent_shown_to(snap, self.request.user)
        context["parent"] = parent
        if parent is not None:
            context["parent_diffs"] = files_diff(
                parent.file_list, snap.file_list, old_note="original", new_note="this snap"
            )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.object.burn_after_reading:  # shown once: no copy anywhere
            response.page_cache_timeout = 0
            add_never_cache_headers(response)
        elif self.object.expires_at is not None:  # never serve a cached copy past expiry
            remaining = (self.object.expires_at - timezone.now()).total_seconds()
            response.page_cache_timeout = max(0, int(remaining))
        return response


def shown_files(files) -> list[dict]:
    """Each file highlighted with its own anchors, for a page to show them all."""
    shown = []
    for file in files:
        highlighted = highlight_file(file)
        shown.append(
            {
                "file": file,
                "highlighted": highlighted.html,
                "plain_reason": highlighted.plain_reason,
                "language": language_name(file.extension, file.language),
            }
        )
    return shown


def raw_response(request: HttpRequest, file) -> HttpResponse:
    """A file's text itself, never rendered by the browser; `?download=1` saves it."""
    response = HttpResponse(file.content, content_type="text/plain; charset=utf-8")
    as_attachment = request.GET.get("download") == "1"
    response["Content-Disposition"] = content_disposition_header(as_attachment, file.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class SnapRawView(View):
    """/raw/ is the first file (as when snaps had one), /raw/<filename> any file."""

    def get(self, request: HttpRequest, hash_key: str, filename: str = "") -> HttpResponse:
        snap = selectors.snap_get_visible(hash_key=hash_key, viewer=request.user)
        file = selectors.snap_file_get(snap, filename) if filename else snap.first_file
        token = request_token(request, hash_key)
        snap = services.snap_open(snap=snap, viewer=request.user, token=token)
        response = raw_response(request, file)
        if snap.burn_after_reading:
            add_never_cache_headers(response)
        return response
