"""People: the directory, followers and following, follow, block and mute."""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.selectors import user_get_by_username
from project.paginators import BoundedCountPaginator
from social import selectors, services

logger = logging.getLogger(__name__)


class PeopleListView(ListView):
    template_name = "social/people.html"
    context_object_name = "people"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:150]
        return selectors.user_list_people(viewer=self.request.user, query=self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class RelationListView(ListView):
    """Followers or following of one user."""

    template_name = "social/relations.html"
    context_object_name = "people"
    paginate_by = 20
    paginator_class = BoundedCountPaginator
    relation = "followers"

    def get_queryset(self):
        self.person = user_get_by_username(self.kwargs["username"])
        if self.relation == "followers":
            return selectors.user_list_followers(self.person, self.request.user)
        return selectors.user_list_following(self.person, self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, relation=self.relation, **kwargs)


class _FollowActionView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def redirect_back(self, request: HttpRequest, person) -> HttpResponse:
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("profile", args=[person.username])
        # A URL, never a view name: redirect("abc") would try reverse() and fail with a 500.
        return HttpResponseRedirect(target)


class FollowView(_FollowActionView):
    def post(self, request: HttpRequest, username: str) -> HttpResponse:
        person = user_get_by_username(username)
        try:
            created = services.follow_create(follower=request.user, followed=person)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            if created:
                messages.success(request, f"You now follow {person.username}.")
            else:
                messages.info(request, f"You already follow {person.username}.")
        return self.redirect_back(request, person)


class UnfollowView(_FollowActionView):
    def post(self, request: HttpRequest, username: str) -> HttpResponse:
        person = user_get_by_username(username)
        if services.follow_delete(follower=request.user, followed=person):
            messages.success(request, f"You no longer follow {person.username}.")
        else:
            messages.info(request, f"You were not following {person.username}.")
        return self.redirect_back(request, person)


class UserPairView(_FollowActionView):
    """POST: block, unblock, mute or unmute a user, then back to where the button was."""

    action = "block"
    DONE = {
        "block": "You blocked {name}: they can no longer follow you, see or answer your posts.",
        "unblock": "You unblocked {name}.",
        "mute": "You muted {name}: their posts no longer show in your timelines.",
        "unmute": "You unmuted {name}.",
    }

    def post(self, request: HttpRequest, username: str) -> HttpResponse:
        person = user_get_by_username(username)
        service, key = {
            "block": (services.block_create, ("blocker", "blocked")),
            "unblock": (services.block_delete, ("blocker", "blocked")),
            "mute": (services.mute_create, ("muter", "muted")),
            "unmute": (services.mute_delete, ("muter", "muted")),
        }[self.action]
        try:
            service(**{key[0]: request.user, key[1]: person})
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, self.DONE[self.action].format(name=person.username))
        return self.redirect_back(request, person)


class BlockedAndMutedView(LoginRequiredMixin, TemplateView):
    template_name = "social/blocked_muted.html"
    LIMIT = 200

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            blocked=selectors.user_list_blocked(self.request.user)[: self.LIMIT],
            muted=selectors.user_list_muted(self.request.user)[: self.LIMIT],
            **kwargs,
        )
