from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.forms import PreferencesForm
from accounts.selectors import user_get_by_username
from accounts.services import SignupConflict, user_preferences_update
from photos.selectors import photo_list_public
from recipes.selectors import recipe_list
from snaps.selectors import snap_list_for_user
from social.selectors import follow_counts, is_following, post_list

PROFILE_ITEMS = 6


def profile(request: HttpRequest, username: str) -> HttpResponse:
    """One person across the platform: snaps, posts, photos and recipes."""
    person = user_get_by_username(username)
    viewer = request.user
    context = {
        "person": person,
        "counts": follow_counts(person),
        "viewer_follows": is_following(viewer, person),
        "snaps": snap_list_for_user(person, viewer)[:PROFILE_ITEMS],
        "posts": post_list(author=person)[:PROFILE_ITEMS],
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
    """The signed-in user's settings: for now, whether follows are e-mailed."""
    # An unticked checkbox posts nothing: the form is bound on POST even when empty.
    posted = request.method == "POST"
    form = PreferencesForm(request.POST if posted else None, instance=request.user)
    if posted and form.is_valid():
        user_preferences_update(
            user=request.user, email_on_follow=form.cleaned_data["email_on_follow"]
        )
        messages.success(request, "Your settings were saved.")
        return redirect("account-preferences")
    return render(request, "accounts/preferences.html", {"form": form})
