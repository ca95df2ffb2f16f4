from allauth.account import views as allauth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.selectors import user_get_by_username
from accounts.services import SignupConflict
from photos.selectors import photo_list_for_user
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
        "photos": photo_list_for_user(person)[:PROFILE_ITEMS] if viewer.is_authenticated else None,
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
