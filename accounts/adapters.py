from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.encoding import force_str

from accounts.models import User
from accounts.services import user_conflict_error
from accounts.validators import validate_username_form


@dataclass(frozen=True)
class ConfiguredSite:
    """The site as e-mails name it: SITE_NAME and the host of SITE_URL, never the
    `django.contrib.sites` row (which says "example.com" until someone edits it)."""

    name: str
    domain: str


def configured_site() -> ConfiguredSite:
    return ConfiguredSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    """allauth's sign-up with the platform's username rules (web and social sign-up),
    and its e-mails naming the configured site."""

    def format_email_subject(self, subject: str) -> str:
        return f"[{configured_site().name}] {force_str(subject)}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth fills current_site from the Site row, some flows in `context` too.
        super().send_mail(template_prefix, email, {**context, "current_site": configured_site()})

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


class MFAAdapter(DefaultMFAAdapter):
    """allauth.mfa naming the configured site: a new security key shows SITE_NAME (the
    browser's "save a passkey for …" prompt), not the `django.contrib.sites` row."""

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        return {**super().get_public_key_credential_rp_entity(), "name": configured_site().name}
