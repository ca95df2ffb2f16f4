from django.http import Http404

from accounts.models import ApiToken, User


def user_get_by_username(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise Http404(f"No user named {username!r}.") from None


def user_get_public_profile(username: str) -> User:
    """A member's public profile by username; Http404 for no such member, and for an
    account being deleted (deactivated until its deletion task has run)."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Http404(f"No user named {username!r}.")
    return user


def api_token_list(*, user: User):
    """The user's tokens, newest first (never their keys: only hashes are stored)."""
    return ApiToken.objects.filter(user_id=user.pk).only(
        "id", "name", "prefix", "created_at", "last_used_at"
    )


def data_export_latest(*, user: User):
    """The user's most recent data export, or None."""
    from accounts.models import DataExport

    return DataExport.objects.filter(user_id=user.pk).first()
