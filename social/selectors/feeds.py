"""A reader's timeline through the configured strategy, with hidden authors filtered out."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    F,
    Q,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from social.feeds import Cursor, JoinFeed, feed_strategy
from social.models import (
    Block,
    Mute,
    Post,
)
from social.selectors.posts import activity_subjects_attach, posts_mark_viewer_state

User = get_user_model()
Viewer = AbstractBaseUser | AnonymousUser


def feed_page(
    user: AbstractBaseUser,
    *,
    before: Cursor | None = None,
    after: Cursor | None = None,
    oldest_first: bool = False,
    limit: int = 20,
    kind: str | None = None,
) -> tuple[list[Post], Cursor | None]:
    """One page of the user's newsfeed, newest first, and the cursor of the next (older)
    page, if any. `after` keeps only newer posts than it: the newest `limit` of them, or
    with `oldest_first` the `limit` right after it (for catching up without gaps). Past a
    page bounded by `after`, older posts always exist (at least that one). `kind` keeps
    only entries of that kind (boosts are posts)."""
    posts, more_from = _feed_page_visible(
        user, before=before, after=after, oldest_first=oldest_first, limit=limit + 1, kind=kind
    )
    has_more = len(posts) > limit
    posts = posts[1:] if oldest_first and has_more else posts[:limit]
    posts_mark_viewer_state(posts, user)
    if posts and (has_more or after is not None):
        return posts, Cursor.after(posts[-1])
    return posts, more_from


def post_cursor(post_id: int) -> Cursor | None:
    """The feed position of a post (for Mastodon's max_id/since_id/min_id), None if gone."""
    created_on = Post.objects.filter(pk=post_id).values_list("created_on", flat=True).first()
    return None if created_on is None else Cursor(created_on=created_on, post_id=post_id)


FEED_FILTER_ROUNDS = 4  # strategy pages read at most per feed page when authors are hidden


def hidden_author_ids(user: AbstractBaseUser) -> set[int]:
    """Authors whose posts never show in the user's feed: the muted, the blocked and
    those who blocked the user. One query."""
    muted = Mute.objects.filter(actor=user).values_list("target_id", flat=True)
    blocked = Block.objects.filter(actor=user).values_list("target_id", flat=True)
    blockers = Block.objects.filter(target=user).values_list("actor_id", flat=True)
    return set(muted.union(blocked, blockers))


def _feed_page_visible(
    user: AbstractBaseUser,
    *,
    before: Cursor | None,
    after: Cursor | None,
    oldest_first: bool,
    limit: int,
    kind: str | None = None,
) -> tuple[list[Post], Cursor | None]:
    """Up to `limit` posts of the strategy's window without hidden authors, newest first,
    filtered at read time, so it holds for every strategy and for posts fanned out before
    the mute or block. Strategy pages are read, moving older (or newer, `oldest_first`),
    until `limit` visible posts are found, at most FEED_FILTER_ROUNDS of them. When the
    rounds run out going older, the page may be short and the returned cursor goes on
    from the last post read; otherwise it is None."""
    strategy, hidden = feed_strategy(), hidden_author_ids(user)
    kept: list[Post] = []
    for _ in range(FEED_FILTER_ROUNDS):
        batch = strategy.page(
            user, before=before, after=after, oldest_first=oldest_first, limit=limit
        )
        wanted = [post for post in batch if kind is None or post.kind == kind]
        visible = activity_subjects_attach(_shown_once(user, wanted, hidden))
        if oldest_first:  # each batch is newer than the one before
            kept = visible + kept
            if len(kept) >= limit:
                return kept[-limit:], None
        else:
            kept += visible
            if len(kept) >= limit:
                return kept[:limit], None
        if len(batch) < limit:  # the strategy has nothing further that way
            return kept, None
        if oldest_first:
            after = Cursor.after(batch[0])
        else:
            before = Cursor.after(batch[-1])
    return kept, None if oldest_first else before


def _shown_once(user: AbstractBaseUser, batch: list[Post], hidden: set[int]) -> list[Post]:
    """The entries of `batch` the user sees: none by a hidden author, no boost of a hidden
    author's post, and each original once, through the entry that first brought it into
    the feed (the original itself, or the earliest boost by someone not hidden). Decided
    from the posts and follows, not the strategy's store, so every strategy agrees; one
    query when the batch holds boosts."""
    originals = {post.boost_of_id for post in batch if post.boost_of_id is not None}
    first: set[int] = set()
    if originals:
        rank = Window(
            RowNumber(),
            partition_by=Coalesce("boost_of_id", "id"),
            order_by=[F("created_on").asc(), F("id").asc()],
        )
        first = set(
            Post.objects.filter(
                Q(pk__in=originals) | Q(boost_of_id__in=originals),
                user_id__in=JoinFeed.authors(user),
            )
            .exclude(user_id__in=hidden)
            .annotate(rank=rank)
            .filter(rank=1)
            .values_list("id", flat=True)
        )
    return [
        post
        for post in batch
        if post.user_id not in hidden
        and (post.boost_of_id is None or (post.boost_of.user_id not in hidden and post.pk in first))
    ]
