"""`email_unverified` for the banner in templates/base.html: only when e-mail
verification is on, and evaluated (one query) only when a page shows the banner."""

from django.conf import settings
from django.http import HttpRequest


def email_verification(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if settings.ACCOUNT_EMAIL_VERIFICATION == "none" or not (user and user.is_authenticated):
        return {}

    def email_unverified() -> bool:
        from allauth.account.models import EmailAddress

        return not EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()

    return {"email_unverified": email_unverified}
