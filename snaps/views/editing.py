"""Writing snaps: create (signed in or anonymous, with its token), edit, delete, fork, reply."""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import DeleteView

from project.throttling import ScopedRateThrottle
from snaps import selectors, services
from snaps.authorship import request_token, token_cookie_name
from snaps.forms import SnapEditForm, SnapForm, file_formset, formset_files, formset_with_one_more
from snaps.languages import language_choices

logger = logging.getLogger(__name__)


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
