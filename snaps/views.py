import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import DeleteView, DetailView, ListView

from project.paginators import BoundedCountPaginator
from project.search import SearchListMixin
from project.throttling import ScopedRateThrottle
from snaps import selectors, services
from snaps.authorship import is_author, request_token, token_cookie_name
from snaps.diffs import files_diff
from snaps.forms import SnapEditForm, SnapForm, file_formset, formset_files, formset_with_one_more
from snaps.highlighting import highlight_file, language_name
from snaps.languages import language_choices

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


class _AnonymousCreateScope:
    # One limit per client address for anonymous snaps, shared with the API.
    throttle_scope = "snaps-anonymous"


TOKEN_COOKIE_SECONDS = 365 * 24 * 60 * 60


def keep_token_in_browser(response: HttpResponse, snap, token: str) -> None:
    """The anonymous author's edit token, as a cookie sent only to this snap's pages."""
    response.set_cookie(
        token_cookie_name(snap.hash_key),
        token,
        max_age=TOKEN_COOKIE_SECONDS,
        path=snap.get_absolute_url(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _add_service_error(form: forms.Form, error: ValidationError) -> None:
    """A service's rule (no private anonymous snap, duplicate file names, too long in
    all) shown on the snap's form, by field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class SnapFormView(View):
    """A snap's form and its files' formset: create, edit and reply share it. The
    "Add a file" button re-renders the form with one more file, without JavaScript."""

    template_name = "snaps/snap_form.html"
    form_class: type[SnapForm] = SnapForm

    def get_initial(self) -> dict:
        return {}

    def get_file_initial(self) -> list[dict]:
        return []

    def get_context_data(self, **kwargs) -> dict:
        return {"language_choices": language_choices(), "max_files": settings.SNAPS_MAX_FILES,
                **kwargs}  # fmt: skip

    def render(self, form, formset, status: int = 200) -> HttpResponse:
        context = self.get_context_data(form=form, formset=formset)
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self.form_class(initial=self.get_initial())
        return self.render(form, file_formset(initial=self.get_file_initial() or None))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self.form_class(request.POST, initial=self.get_initial())
        if "add_file" in request.POST:
            formset, room = formset_with_one_more(request.POST)
            if not room:
                messages.warning(request, f"A snap holds at most {settings.SNAPS_MAX_FILES} files.")
            return self.render(form, formset)
        formset = file_formset(data=request.POST)
        if not all([form.is_valid(), formset.is_valid()]):
            return self.render(form, formset)
        return self.save(form, formset)

    def save(self, form, formset) -> HttpResponse:
        raise NotImplementedError


class SnapCreateView(SnapFormView):
    """Signed in, or anonymous when SNAPS_ALLOW_ANONYMOUS (throttled harder)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated and not settings.SNAPS_ALLOW_ANONYMOUS:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_file_initial(self) -> list[dict]:
        # The author's last language, preselected.
        return [{"language": selectors.snap_last_language(self.request.user)}]

    def save(self, form: SnapForm, formset) -> HttpResponse:
        data = {"visibility": form.cleaned_data["visibility"], **form.expiry_options}
        data["tags"] = form.cleaned_data["tags"]
        data["files"] = formset_files(formset)
        anonymous = not self.request.user.is_authenticated
        if anonymous and not ScopedRateThrottle().allow_request(
            self.request, _AnonymousCreateScope
        ):
            messages.error(self.request, "Too many anonymous snaps from here; try again later.")
            return self.render(form, formset, status=429)
        try:
            if anonymous:
                snap, token = services.snap_create_anonymous(**data)
            else:
                snap = services.snap_create(user=self.request.user, **data)
        except ValidationError as error:  # a rule of the service, e.g. no private anonymous
            _add_service_error(form, error)
            return self.render(form, formset)
        except DatabaseError:
            logger.exception("Saving a snap failed")
            messages.error(self.request, "Something went wrong while posting your snap!")
            return self.render(form, formset)
        messages.success(self.request, "Snap created. Share it with the link below.")
        response = redirect(snap)
        if anonymous:
            keep_token_in_browser(response, snap, token)
            messages.warning(
                self.request,
                f"Your secret edit/delete token, shown only now: {token} — this browser "
                "keeps it for this snap; note it down to edit or delete it from elsewhere.",
            )
        return response


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


class AuthorRequiredMixin:
    """The snap's author only: its signed-in owner or its edit token's holder; others
    get a 404, and a visitor with neither a session nor a token the login page."""

    def dispatch(self, request, *args, **kwargs):
        self.token = request_token(request, kwargs["hash_key"])
        if not request.user.is_authenticated and not self.token:
            return redirect_to_login(request.get_full_path())
        self.snap = selectors.snap_get_authored(
            hash_key=kwargs["hash_key"], viewer=request.user, token=self.token
        )
        return super().dispatch(request, *args, **kwargs)


class SnapDeleteView(AuthorRequiredMixin, DeleteView):
    template_name = "snaps/snap_confirm_delete.html"
    context_object_name = "snap"
    success_url = reverse_lazy("snaps:list")

    def get_object(self, queryset=None):
        return self.snap

    def form_valid(self, form) -> HttpResponse:
        services.snap_delete(snap=self.object, by=self.request.user, token=self.token)
        messages.success(self.request, f"Snap “{self.object.filename}” deleted.")
        return redirect(self.success_url)


class SnapEditView(AuthorRequiredMixin, SnapFormView):
    """The owner edits a snap; its former state stays as a revision."""

    form_class = SnapEditForm

    def get_initial(self) -> dict:
        tags = ", ".join(tag.name for tag in self.snap.tags.all())
        return {"visibility": self.snap.visibility, "tags": tags}

    def get_file_initial(self) -> list[dict]:
        return [file.as_state() for file in self.snap.file_list]

    def get_context_data(self, **kwargs):
        return super().get_context_data(snap=self.snap, editing=True, **kwargs)

    def save(self, form: SnapEditForm, formset) -> HttpResponse:
        try:
            services.snap_update(
                snap=self.snap,
                by=self.request.user,
                token=self.token,
                visibility=form.cleaned_data["visibility"],
                files=formset_files(formset),
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as error:
            _add_service_error(form, error)
            return self.render(form, formset)
        messages.success(self.request, "Snap saved; the former version is in its history.")
        return redirect(self.snap)


def _revision_number(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class SnapHistoryView(View):
    """Every revision, and the unified diff between any two of them (?from=&to=)."""

    def get(self, request: HttpRequest, hash_key: str) -> HttpResponse:
        snap = selectors.snap_get_with_history(
            hash_key=hash_key, viewer=request.user, token=request_token(request, hash_key)
        )
        revisions = selectors.snap_revision_list(snap)
        newer = _revision_number(request.GET.get("to"), snap.revision)
        older = _revision_number(request.GET.get("from"), max(1, newer - 1))
        older_revision = selectors.snap_revision_get(snap, older)
        newer_revision = selectors.snap_revision_get(snap, newer)
        diffs = files_diff(
            older_revision.file_list,
            newer_revision.file_list,
            old_note=f"revision {older}",
            new_note=f"revision {newer}",
        )
        context = {
            "snap": snap,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "diffs": diffs,
        }
        return TemplateResponse(request, "snaps/snap_history.html", context)


class SnapRevisionView(View):
    def get(self, request: HttpRequest, hash_key: str, number: int) -> HttpResponse:
        snap = selectors.snap_get_with_history(
            hash_key=hash_key, viewer=request.user, token=request_token(request, hash_key)
        )
        revision = selectors.snap_revision_get(snap, number)
        context = {"snap": snap, "revision": revision, "files": shown_files(revision.file_list)}
        return TemplateResponse(request, "snaps/snap_revision.html", context)


class SnapRevisionRawView(View):
    """An old revision's first file, or any of its files by name."""

    def get(
        self, request: HttpRequest, hash_key: str, number: int, filename: str = ""
    ) -> HttpResponse:
        snap = selectors.snap_get_with_history(
            hash_key=hash_key, viewer=request.user, token=request_token(request, hash_key)
        )
        revision = selectors.snap_revision_get(snap, number)
        file = selectors.snap_file_get(revision, filename) if filename else revision.file_list[0]
        return raw_response(request, file)


class SnapForkView(LoginRequiredMixin, View):
    """POST: fork the snap into the signed-in user's account, as it is."""

    def post(self, request: HttpRequest, hash_key: str) -> HttpResponse:
        snap = selectors.snap_get_visible(hash_key=hash_key, viewer=request.user)
        fork = services.snap_fork(snap=snap, by=request.user)
        messages.success(request, f"Forked “{snap.filename}” into your snaps.")
        return redirect(fork)


class SnapReplyView(LoginRequiredMixin, SnapFormView):
    """dpaste's reply: a new snap made from another, shown with its diff against it."""

    def dispatch(self, request, *args, **kwargs):
        self.parent = selectors.snap_get_visible(hash_key=kwargs["hash_key"], viewer=request.user)
        if request.user.is_authenticated and not services.can_fork(self.parent, request.user):
            raise Http404("No snap with that key.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        return {"visibility": self.parent.visibility}

    def get_file_initial(self) -> list[dict]:
        return [file.as_state() for file in self.parent.file_list]

    def get_context_data(self, **kwargs):
        return super().get_context_data(parent=self.parent, **kwargs)

    def save(self, form: SnapForm, formset) -> HttpResponse:
        try:
            reply = services.snap_fork(
                snap=self.parent,
                by=self.request.user,
                visibility=form.cleaned_data["visibility"],
                files=formset_files(formset),
                tags=form.cleaned_data["tags"],
                **form.expiry_options,
            )
        except ValidationError as error:
            _add_service_error(form, error)
            return self.render(form, formset)
        messages.success(self.request, "Reply posted; its changes are shown below.")
        return redirect(reply)
