from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.forms import AccountDeleteForm, ApiTokenCreateForm, PreferencesForm, ProfileForm
from accounts.selectors import api_token_list, data_export_latest, user_get_public_profile
from accounts.services import (
    SignupConflict,
    api_token_create,
    api_token_revoke,
    user_avatar_delete,
    user_avatar_set,
    user_delete_request,
    user_export_create,
    user_export_from_signed,
    user_export_signed_url,
    user_preferences_update,
    user_profile_update,
)
from photos.selectors import photo_list_public
from project.paginators import BoundedCountPaginator
from recipes.selectors import recipe_list
from snaps.selectors import snap_list_for_user
from social.selectors import (
    STREAM_KINDS,
    activity_subjects_attach,
    follow_counts,
    is_following,
    stream_kind,
    stream_list,
    viewer_relation,
)

PROFILE_ITEMS = 6
PROFILE_POSTS_PER_PAGE = 20


def profile(request: HttpRequest, username: str) -> HttpResponse:
    """One page per person, /u/<name>/: who they are (the accounts profile), the social
    buttons and counts, their posts with paging, and their recent snaps, photos and
    recipes with links to all of them, and their mixed stream (posts and activities, ?kind=).
    /social/u/<name>/ redirects here."""
    person = user_get_public_profile(username)  # 404 also while the account is being deleted
    viewer = request.user
    kind = stream_kind(request.GET.get("kind", ""))
    # The mixed stream: posts and the person's public items in the other apps.
    page = BoundedCountPaginator(
        stream_list(author=person, viewer=viewer, kind=kind), PROFILE_POSTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "person": person,
        "counts": follow_counts(person),
        "viewer_follows": is_following(viewer, person),
        "relation": viewer_relation(viewer, person),
        "page_obj": page,
        "posts": activity_subjects_attach(list(page.object_list)),
        "kind": kind,
        "kinds": STREAM_KINDS,
        "is_paginated": page.has_other_pages(),
        "snaps": snap_list_for_user(person, viewer)[:PROFILE_ITEMS],
        "recipes": recipe_list(username=person.username)[:PROFILE_ITEMS],
        # Photos are for signed-in members, as in the photo API.
        "photos": (
            photo_list_public(user=person)[:PROFILE_ITEMS] if viewer.is_authenticated else None
        ),
    }
    return render(request, "accounts/profile.html", context)


class SignupView(allauth_views.SignupView):
    """allauth's sign-up page; losing a race for a username or address (see
    AccountAdapter.save_user) shows the form again with the error, not a 500."""

    def form_valid(self, form) -> HttpResponse:
        try:
            return super().form_valid(form)
        except SignupConflict as error:
            form.add_error(None, error)
            return self.form_invalid(form)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """The signed-in user's settings: which notifications are also e-mailed."""
    # An unticked checkbox posts nothing: the form is bound on POST even when empty.
    posted = request.method == "POST"
    form = PreferencesForm(request.POST if posted else None, instance=request.user)
    if posted and form.is_valid():
        user_preferences_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your settings were saved.")
        return redirect("account-preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@login_required
def profile_settings(request: HttpRequest) -> HttpResponse:
    """Display name, bio, website and avatar, as every app shows them."""
    user = request.user
    form = ProfileForm(request.POST or None, request.FILES or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user_profile_update(
                    user=user, **{name: data[name] for name in ("display_name", "bio", "website")}
                )
                if data["avatar"]:
                    user_avatar_set(user=user, file=data["avatar"])
                elif data["remove_avatar"]:
                    user_avatar_delete(user=user)
        except ValidationError as error:
            user.refresh_from_db()
            form.add_error("avatar" if not hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, "Your profile was saved.")
            return redirect("account-profile")
    return render(request, "accounts/profile_settings.html", {"form": form})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in user's API tokens: list, create (the key is shown on this answer
    only, never stored) and revoke."""
    created = None
    form = ApiTokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenCreateForm()
    context = {"form": form, "created": created, "tokens": api_token_list(user=request.user)}
    response = render(request, "accounts/api_tokens.html", context)
    if created is not None:
        response["Cache-Control"] = "no-store"  # the key must not linger in caches
    return response


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    api_token_revoke(token_id=pk, user=request.user)
    messages.success(request, "The token was revoked.")
    return redirect("account-tokens")


@login_required
def account_data(request: HttpRequest) -> HttpResponse:
    """Export my data: POST starts a new export (built by Celery); once ready, a signed
    link that expires downloads the zip."""
    if request.method == "POST":
        user_export_create(user=request.user)
        messages.success(request, "Your export is being prepared; this page shows its link.")
        return redirect("account-data")
    export = data_export_latest(user=request.user)
    ready = export is not None and export.status == export.Status.READY
    context = {
        "export": export,
        "download_url": (
            user_export_signed_url(export) if ready and not export.is_expired else None
        ),
        "link_hours": settings.ACCOUNT_EXPORT_LINK_SECONDS // 3600,
    }
    return render(request, "accounts/account_data.html", context)


def account_export_download(request: HttpRequest, token: str) -> HttpResponse:
    """The zip a signed, unexpired link names (the link is the credential)."""
    export = user_export_from_signed(token)
    if export is None:
        raise Http404("This download link is invalid or has expired.")
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"blueprints-{export.created_at:%Y%m%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete my account: confirmed with the password; everything goes (see
    accounts.services.deletion)."""
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_delete_request(
                user=request.user, password=form.cleaned_data["password"], request=request
            )
        except ValidationError as error:
            form.add_error("password", error.message_dict["password"])
        else:
            messages.success(request, "Your account is being deleted, with everything in it.")
            return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})
