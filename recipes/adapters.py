from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render

from accounts.services import SignupConflict

NETWORK_NAMES = {"twitter_oauth2": "X", "facebook": "Facebook"}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """One account per network per user; a refused or failed sign-in is a message, not a crash."""

    def get_provider(self, request, provider, client_id=None):
        # A network without credentials (no X_CLIENT_ID / FACEBOOK_APP_ID) has no app:
        # its login URL is a page saying so, not allauth's SocialApp.DoesNotExist (a 500).
        try:
            return super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            page = render(
                request,
                "socialaccount/provider_not_configured.html",
                {"provider_name": NETWORK_NAMES.get(provider, provider)},
                status=404,
            )
            raise ImmediateHttpResponse(page) from None

    def pre_social_login(self, request, sociallogin) -> None:
        user = request.user
        if not user.is_authenticated or sociallogin.is_existing:
            return
        provider = sociallogin.account.provider
        if SocialAccount.objects.filter(user=user, provider=provider).exists():
            messages.error(request, f"You already connected a {sociallogin.provider.name} account.")
            raise ImmediateHttpResponse(redirect("socialaccount_connections"))

    def save_user(self, request, sociallogin, form=None):
        # Usernames are checked by accounts.adapters.AccountAdapter (also for the name a
        # network suggests); a concurrent sign-up may still take it before the insert.
        try:
            with transaction.atomic():
                return super().save_user(request, sociallogin, form=form)
        except (IntegrityError, SignupConflict):
            messages.error(
                request,
                "That username or email address was taken at the same moment. Please try again.",
            )
            raise ImmediateHttpResponse(redirect("account_login")) from None

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        messages.error(request, f"Sign-in with {provider.name} was cancelled or failed.")
        raise ImmediateHttpResponse(redirect("account_login"))
