from allauth.account.adapter import DefaultAccountAdapter
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.services import user_conflict_error
from accounts.validators import validate_username_form


class AccountAdapter(DefaultAccountAdapter):
    """allauth's sign-up with the platform's username rules (web and social sign-up)."""

    def clean_username(self, username: str, shallow: bool = False) -> str:
        # NFKC first, so allauth's case-insensitive "taken" check sees full-width "demo" as "demo".
        username = User.normalize_username(username)
        validate_username_form(username)
        return super().clean_username(username, shallow=shallow)

    def save_user(self, request, user, form, commit: bool = True):
        if not commit:
            return super().save_user(request, user, form, commit=False)
        try:
            with transaction.atomic():
                return super().save_user(request, user, form, commit=True)
        except IntegrityError:  # a concurrent sign-up took the name or address first
            data = form.cleaned_data
            raise user_conflict_error(
                username=data.get("username") or "", email=data.get("email") or ""
            ) from None
