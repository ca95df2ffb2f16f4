"""Reads: the follow graph, posts, and the newsfeed through the configured strategy."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.db.models.query import ModelIterable
from django.http import Http404

from social.feeds import Cursor, feed_strategy
from social.models import Follow, Post

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


def post_list(*, author: AbstractBaseUser | None = None) -> QuerySet[Post]:
    posts = Post.objects.select_related("user")
    return posts.filter(user=author) if author is not None else posts


def post_get(pk: int) -> Post:
    try:
        return Post.objects.select_related("user").get(pk=pk)
    except Post.DoesNotExist:
        raise Http404("No such post.") from None


def post_get_owned(pk: int, owner: AbstractBaseUser) -> Post:
    """Another user's post is a 404, never a 403."""
    post = post_get(pk)
    if post.user_id != owner.pk:
        raise Http404("No such post.")
    return post


def feed_page(
    user: AbstractBaseUser,
    *,
    before: Cursor | None = None,
    after: Cursor | None = None,
    oldest_first: bool = False,
    limit: int = 20,
) -> tuple[list[Post], Cursor | None]:
    """One page of the user's newsfeed, newest first, and the cursor of the next (older)
    page, if any. `after` keeps only newer posts than it: the newest `limit` of them, or
    with `oldest_first` the `limit` right after it (for catching up without gaps). Past a
    page bounded by `after`, older posts always exist (at least that one)."""
    posts = feed_strategy().page(
        user, before=before, after=after, oldest_first=oldest_first, limit=limit + 1
    )
    has_more = len(posts) > limit
    posts = posts[1:] if oldest_first and has_more else posts[:limit]
    if posts and (has_more or after is not None):
        return posts, Cursor.after(posts[-1])
    return posts, None


def post_cursor(post_id: int) -> Cursor | None:
    """The feed position of a post (for Mastodon's max_id/since_id/min_id), None if gone."""
    created_on = Post.objects.filter(pk=post_id).values_list("created_on", flat=True).first()
    return None if created_on is None else Cursor(created_on=created_on, post_id=post_id)
