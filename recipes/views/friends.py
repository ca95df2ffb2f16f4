"""Common friends on X and Facebook."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from recipes import selectors, services
from recipes.clients import RemoteError


class FriendsView(LoginRequiredMixin, View):
    """Site users you follow on X and your Facebook friends who use the app."""

    def get(self, request):
        refresh = request.GET.get("refresh") == "1"
        sections = []
        for provider, label in (("twitter", "Followed on X"), ("facebook", "Facebook friends")):
            section = {
                "provider": provider,
                "label": label,
                "friends": [],
                "error": "",
                "connected": True,
                "configured": selectors.social_login_configured(request, provider),
            }
            try:
                friends = services.common_friends(request.user, provider, refresh=refresh)
                section["friends"] = selectors.friends_described(request.user, provider, friends)
            except services.NotConnected:
                section["connected"] = False
            except RemoteError as error:
                section["error"] = (
                    "The network is rate-limiting us; try again in a few minutes."
                    if error.status == 429
                    else f"Could not reach the network: {error}"
                )
            sections.append(section)
        return render(request, "recipes/friends.html", {"sections": sections})
