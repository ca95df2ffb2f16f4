from django.http import Http404

from accounts.models import ApiToken, User


def user_get_by_username(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise Http404(f"No user named {username!r}.") from None


def api_token_list(*, user: User):
    """The user's tokens, newest first (never their keys: only hashes are stored)."""
    return ApiToken.objects.filter(user_id=user.pk).only(
        "id", "name", "prefix", "created_at", "last_used_at"
    )


def data_export_latest(*, user: User):
    """The user's most recent data export, or None."""
    from accounts.models import DataExport

    return DataExport.objects.filter(user_id=user.pk).first()
