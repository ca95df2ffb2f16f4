"""The follow graph and the people around a reader: counts, lists, relations, blocks and mutes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Count,
    Max,
    Q,
    QuerySet,
)
from django.db.models.query import ModelIterable

from social.models import (
    Block,
    Follow,
    Mute,
    Post,
)

User = get_user_model()
Viewer = AbstractBaseUser | AnonymousUser


def is_following(follower: Viewer, followed: AbstractBaseUser) -> bool:
    if not follower.is_authenticated:
        return False
    return Follow.objects.filter(follower=follower, followed=followed).exists()


def follow_counts(user: AbstractBaseUser) -> dict[str, int]:
    return {
        "followers": Follow.objects.filter(followed=user).count(),
        "following": Follow.objects.filter(follower=user).count(),
    }


class PeopleQuerySet(QuerySet):
    """Users who get `follower_count` and `viewer_follows` on the rows it fetches, from
    one query over exactly those rows: a page of 20 costs the same at 60 or 60 million
    users (an annotated Count grouped every matching user before LIMIT applied)."""

    _viewer: Viewer | None = None

    def _clone(self):
        clone = super()._clone()
        clone._viewer = self._viewer
        return clone

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._result_cache and self._iterable_class is ModelIterable:
            _attach_social_fields(self._result_cache, self._viewer)


def _attach_social_fields(users: list, viewer: Viewer | None) -> None:
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    rows = (
        Follow.objects.filter(followed_id__in=[user.pk for user in users])
        .values("followed_id")
        .annotate(followers=Count("id"), mine=Count("id", filter=Q(follower_id=viewer_id)))
        .values_list("followed_id", "followers", "mine")
        .order_by()
    )
    found = {followed_id: (followers, mine) for followed_id, followers, mine in rows}
    for user in users:
        followers, mine = found.get(user.pk, (0, 0))
        user.follower_count, user.viewer_follows = followers, bool(mine)


def _people(viewer: Viewer | None) -> PeopleQuerySet:
    users = PeopleQuerySet(User)
    users._viewer = viewer
    return users


def user_list_following(user: AbstractBaseUser, viewer: Viewer | None = None) -> QuerySet:
    """Whom `user` follows, most recently followed first."""
    return (
        _people(viewer)
        .filter(follower_relations__follower=user)
        .order_by("-follower_relations__created_on", "pk")
    )


def user_list_followers(user: AbstractBaseUser, viewer: Viewer | None = None) -> QuerySet:
    """Who follows `user`, most recent follower first."""
    return (
        _people(viewer)
        .filter(following_relations__followed=user)
        .order_by("-following_relations__created_on", "pk")
    )


def user_list_people(*, viewer: Viewer | None, query: str = "") -> QuerySet:
    """The directory: active users by username, optionally searched."""
    users = _people(viewer).filter(is_active=True).order_by("username")
    if query:
        users = users.filter(Q(username__icontains=query) | Q(first_name__icontains=query))
    return users


def viewer_relation(viewer: Viewer, person: AbstractBaseUser) -> dict[str, bool]:
    """Whether the viewer blocks or mutes `person` (for the profile's buttons)."""
    if not viewer.is_authenticated or viewer.pk == person.pk:
        return {"blocks": False, "mutes": False}
    return {
        "blocks": Block.objects.filter(actor=viewer, target=person).exists(),
        "mutes": Mute.objects.filter(actor=viewer, target=person).exists(),
    }


def user_list_blocked(user: AbstractBaseUser) -> QuerySet:
    return User.objects.filter(blocks_received__actor=user).order_by(
        "-blocks_received__created_on", "pk"
    )


def user_list_muted(user: AbstractBaseUser) -> QuerySet:
    return User.objects.filter(mutes_received__actor=user).order_by(
        "-mutes_received__created_on", "pk"
    )


def followed_ids(viewer: Viewer, user_ids: list[int]) -> set[int]:
    """Which of `user_ids` the viewer follows (one query)."""
    if not viewer.is_authenticated or not user_ids:
        return set()
    follows = Follow.objects.filter(follower=viewer, followed_id__in=user_ids)
    return set(follows.values_list("followed_id", flat=True))


# --- for the Mastodon client API (mastodon_api/): whole pages in a few queries ----------


def user_social_counts(user_ids: list[int]) -> dict[int, dict]:
    """Followers, following, posts and the last post's time per user: three queries for
    any number of users."""
    counts = {
        pk: {"followers": 0, "following": 0, "posts": 0, "last_post": None} for pk in user_ids
    }
    if not user_ids:
        return counts
    followers = Follow.objects.filter(followed_id__in=user_ids).values("followed_id")
    for row in followers.annotate(n=Count("id")).order_by():
        counts[row["followed_id"]]["followers"] = row["n"]
    following = Follow.objects.filter(follower_id__in=user_ids).values("follower_id")
    for row in following.annotate(n=Count("id")).order_by():
        counts[row["follower_id"]]["following"] = row["n"]
    posts = Post.objects.filter(user_id__in=user_ids).values("user_id")
    for row in posts.annotate(n=Count("id"), last=Max("created_on")).order_by():
        counts[row["user_id"]] |= {"posts": row["n"], "last_post": row["last"]}
    return counts


def relationship_sets(viewer: Viewer, user_ids: list[int]) -> dict[str, set[int]]:
    """Which of `user_ids` the viewer follows, is followed by, blocks, is blocked by and
    mutes (five small queries, whatever the number of users)."""
    sets: dict[str, set[int]] = {
        name: set() for name in ("following", "followed_by", "blocking", "blocked_by", "muting")
    }
    if not viewer.is_authenticated or not user_ids:
        return sets
    sets["following"] = followed_ids(viewer, user_ids)
    sets["followed_by"] = set(
        Follow.objects.filter(followed=viewer, follower_id__in=user_ids).values_list(
            "follower_id", flat=True
        )
    )
    sets["blocking"] = set(
        Block.objects.filter(actor=viewer, target_id__in=user_ids).values_list(
            "target_id", flat=True
        )
    )
    sets["blocked_by"] = set(
        Block.objects.filter(target=viewer, actor_id__in=user_ids).values_list(
            "actor_id", flat=True
        )
    )
    sets["muting"] = set(
        Mute.objects.filter(actor=viewer, target_id__in=user_ids).values_list(
            "target_id", flat=True
        )
    )
    return sets
