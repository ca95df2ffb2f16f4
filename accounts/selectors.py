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


def user_get_by_id(pk: int) -> User:
    try:
        return User.objects.get(pk=pk, is_active=True)
    except User.DoesNotExist:
        raise Http404("Record not found") from None


def user_list_by_usernames(usernames: list[str]) -> dict[str, User]:
    """{case-folded username: user} for these names, in one query."""
    if not usernames:
        return {}
    from django.db.models import Q

    query = Q()
    for name in usernames:
        query |= Q(username__iexact=name)
    return {user.username.casefold(): user for user in User.objects.filter(query)}


def user_list_by_ids(ids: list[int]) -> list[User]:
    """Active users with these ids, in the order given (unknown ids left out)."""
    found = User.objects.filter(is_active=True).in_bulk(ids)
    return [found[pk] for pk in dict.fromkeys(ids) if pk in found]
