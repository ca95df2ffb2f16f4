"""Reads: the follow graph, posts, and the newsfeed through the configured strategy."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
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


def _with_social_fields(users: QuerySet, viewer: Viewer | None) -> QuerySet:
    """Annotate follower counts and whether the viewer follows each user (no N+1)."""
    users = users.annotate(follower_count=Count("follower_relations", distinct=True))
    if viewer is not None and viewer.is_authenticated:
        followed_by_viewer = Follow.objects.filter(follower=viewer, followed=OuterRef("pk"))
        return users.annotate(viewer_follows=Exists(followed_by_viewer))
    return users.annotate(viewer_follows=Exists(Follow.objects.none()))


def user_list_following(user: AbstractBaseUser, viewer: Viewer | None = None) -> QuerySet:
    """Whom `user` follows, most recently followed first."""
    users = User.objects.filter(follower_relations__follower=user).order_by(
        "-follower_relations__created_on", "pk"
    )
    return _with_social_fields(users, viewer)


def user_list_followers(user: AbstractBaseUser, viewer: Viewer | None = None) -> QuerySet:
    """Who follows `user`, most recent follower first."""
    users = User.objects.filter(following_relations__followed=user).order_by(
        "-following_relations__created_on", "pk"
    )
    return _with_social_fields(users, viewer)


def user_list_people(*, viewer: Viewer | None, query: str = "") -> QuerySet:
    """The directory: active users by username, optionally searched."""
    users = User.objects.filter(is_active=True).order_by("username")
    if query:
        users = users.filter(Q(username__icontains=query) | Q(first_name__icontains=query))
    return _with_social_fields(users, viewer)


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
    user: AbstractBaseUser, *, before: Cursor | None = None, limit: int = 20
) -> tuple[list[Post], Cursor | None]:
    """One page of the user's newsfeed and the cursor of the next (older) page, if any."""
    posts = feed_strategy().page(user, before=before, limit=limit + 1)
    has_more = len(posts) > limit
    posts = posts[:limit]
    return posts, (Cursor.after(posts[-1]) if has_more else None)


def followed_ids(viewer: Viewer, user_ids: list[int]) -> set[int]:
    """Which of `user_ids` the viewer follows (one query)."""
    if not viewer.is_authenticated or not user_ids:
        return set()
    follows = Follow.objects.filter(follower=viewer, followed_id__in=user_ids)
    return set(follows.values_list("followed_id", flat=True))
