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


# What a person has in each app, as the admin's user page counts it:
# (label, model, the model's field pointing at the user). Models are named by label, so
# accounts imports no other app; each count is a subquery on that field's index.
USER_CONTENT = (
    ("Snaps", "snaps.Snap", "user"),
    ("Posts", "social.Post", "user"),
    ("Following", "social.Follow", "follower"),
    ("Followers", "social.Follow", "followed"),
    ("Photos", "photos.Photo", "user"),
    ("Albums", "photos.Album", "user"),
    ("Recipes", "recipes.Recipe", "user"),
    ("Shopping lists", "recipes.ShoppingList", "user"),
    ("API tokens", "accounts.ApiToken", "user"),
)


def user_content_counts(*, user_id: int) -> list[tuple[str, int]]:
    """[(label, count)] of USER_CONTENT for one user, in one query."""
    from django.apps import apps
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    def count(model_label: str, field: str):
        rows = apps.get_model(model_label)._default_manager.filter(**{field: OuterRef("pk")})
        per_user = rows.order_by().values(field).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(per_user, output_field=IntegerField()), Value(0))

    annotations = {f"c{i}": count(model, field) for i, (_, model, field) in enumerate(USER_CONTENT)}
    row = User.objects.filter(pk=user_id).values(**annotations).first() or {}
    return [(label, row.get(f"c{i}", 0)) for i, (label, _, _) in enumerate(USER_CONTENT)]
