"""Reads: the follow graph, posts, and the newsfeed through the configured strategy."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, RowNumber
from django.db.models.query import ModelIterable
from django.http import Http404
from django.utils.module_loading import import_string

from project.search import search
from social.feeds import Cursor, JoinFeed, feed_strategy
from social.models import (
    POST_SEARCH_FIELDS,
    Block,
    Follow,
    Like,
    Mute,
    Notification,
    Post,
    PostAttachment,
    PostEdit,
)
from social.text import tag_normalise

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


def post_photos_prefetch() -> Prefetch:
    """Each post's photos with what they show, one query for a whole list."""
    return Prefetch("attachments", queryset=PostAttachment.objects.select_related("photo"))


def photo_ids_on_posts(photo_ids: list[int]) -> set[int]:
    """Which of these photos some post shows (one query)."""
    rows = PostAttachment.objects.filter(photo_id__in=photo_ids).values_list("photo_id", flat=True)
    return set(rows)


def _with_viewer_state(posts: QuerySet[Post], viewer: Viewer | None) -> QuerySet[Post]:
    """Leave out posts of users with a block between them and the viewer, and annotate
    whether the viewer liked and boosted each post, inside the same query."""
    if viewer is not None and viewer.is_authenticated:
        liked = Like.objects.filter(user=viewer, post=OuterRef("pk"))
        boosted = Post.objects.filter(user=viewer, boost_of=OuterRef("pk"))
        return (
            posts.exclude(user__in=Block.objects.filter(target=viewer).values("actor"))
            .exclude(user__in=Block.objects.filter(actor=viewer).values("target"))
            .annotate(viewer_liked=Exists(liked), viewer_boosted=Exists(boosted))
        )
    return posts.annotate(viewer_liked=Value(False), viewer_boosted=Value(False))


def posts_with_photos(posts: list[Post]) -> list[Post]:
    """Posts already read (or just made) with their photos: one query for all."""
    prefetch_related_objects(posts, post_photos_prefetch())
    return posts


def posts_mark_viewer_state(posts: list[Post], viewer: Viewer | None) -> list[Post]:
    """The same flags and photos for posts already read (a feed page, from any strategy):
    one query each for the page. A boost carries its original's flags, and so does the
    original it holds; the photos shown are the original's."""
    originals = [post.boost_of for post in posts if post.boost_of_id is not None]
    prefetch_related_objects([*posts, *originals], post_photos_prefetch())
    shown_ids = [post.boost_of_id or post.pk for post in posts]
    marks: set[tuple[int, str]] = set()
    if viewer is not None and viewer.is_authenticated and posts:
        kind = CharField()
        likes = Like.objects.filter(user=viewer, post_id__in=shown_ids).values_list(
            "post_id", Value("like", output_field=kind)
        )
        boosts = Post.objects.filter(user=viewer, boost_of_id__in=shown_ids).values_list(
            "boost_of_id", Value("boost", output_field=kind)
        )
        # No ORDER BY inside a UNION (SQLite refuses it; Post has a default ordering).
        marks = set(likes.order_by().union(boosts.order_by(), all=True))
    for post, shown_id in zip(posts, shown_ids, strict=True):
        shown = [post, post.boost_of] if post.boost_of_id is not None else [post]
        for each in shown:
            each.viewer_liked = (shown_id, "like") in marks
            each.viewer_boosted = (shown_id, "boost") in marks
    return posts


def post_list(
    *,
    author: AbstractBaseUser | None = None,
    viewer: Viewer | None = None,
    with_photos: bool = True,
) -> QuerySet[Post]:
    """Text posts newest first, with their photos (one more query per list) unless the
    list shows only text (`with_photos=False`); boosts and activities show only in
    timelines."""
    posts = _with_viewer_state(Post.objects.select_related("user"), viewer)
    posts = posts.filter(boost_of__isnull=True, kind=Post.Kind.POST)
    if with_photos:
        posts = posts.prefetch_related(post_photos_prefetch())
    return posts.filter(user=author) if author is not None else posts


# The ?kind= choices of a timeline or profile stream, as (value, label) for links.
STREAM_KINDS = [(kind.value, f"{kind.label.capitalize()}s") for kind in Post.Kind]


def stream_kind(value: str) -> str | None:
    """A timeline's ?kind= (post, snap, photo, album, recipe); anything else means all."""
    return value if value in Post.Kind.values else None


def stream_list(
    *, author: AbstractBaseUser, viewer: Viewer | None = None, kind: str | None = None
) -> QuerySet[Post]:
    """A person's mixed stream for their profile: their posts and their activities in
    the other apps, newest first, optionally of one kind. Pass the page shown through
    `activity_subjects_attach`."""
    posts = _with_viewer_state(Post.objects.select_related("user"), viewer)
    posts = posts.filter(user=author, boost_of__isnull=True).prefetch_related(
        post_photos_prefetch()
    )
    return posts.filter(kind=kind) if kind else posts


# Where each kind's cards come from: the owning app's selector, (ids) -> {id: card}.
ACTIVITY_CARDS = {
    Post.Kind.SNAP: "snaps.selectors.snap_activity_cards",
    Post.Kind.PHOTO: "photos.selectors.photo_activity_cards",
    Post.Kind.ALBUM: "photos.selectors.album_activity_cards",
    Post.Kind.RECIPE: "recipes.selectors.recipe_activity_cards",
}


def activity_subjects_attach(posts: list[Post]) -> list[Post]:
    """Give each activity its card (`post.activity`: title, url, text, image_url,
    image_alt) from its app's selector, one query per kind present; activities whose item
    is gone or no longer public are left out. Text posts get `activity = None`."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for post in posts:
        if post.subject_id is not None:
            wanted[post.kind].append(post.subject_id)
    cards = {kind: import_string(ACTIVITY_CARDS[kind])(ids) for kind, ids in wanted.items()}
    kept = []
    for post in posts:
        post.activity = None
        if post.subject_id is not None:
            post.activity = cards[post.kind].get(post.subject_id)
            if post.activity is None:
                continue
        kept.append(post)
    return kept


def post_search(*, viewer: Viewer | None, query: str) -> QuerySet[Post]:
    """Posts matching `query`, best first (posts are public); search hits show text."""
    return search(post_list(viewer=viewer, with_photos=False), POST_SEARCH_FIELDS, query)


def post_get(pk: int, viewer: Viewer | None = None) -> Post:
    try:
        return post_list(viewer=viewer).get(pk=pk)
    except Post.DoesNotExist:
        raise Http404("No such post.") from None


THREAD_MAX_POSTS = 500  # read per thread page; a longer thread shows its first 500
THREAD_MAX_DEPTH = 6  # deeper replies are shown at this indentation


@dataclass
class Thread:
    ancestors: list[Post]
    post: Post
    descendants: list[tuple[Post, int]]  # (reply, depth from 1), in reading order
    truncated: bool


def post_thread(post: Post, viewer: Viewer | None = None) -> Thread:
    """`post` with its ancestors (oldest first) and its replies, depth-first, oldest
    first at each level. One query for the whole thread, whatever its shape."""
    root_id = post.thread_root_id
    rows = list(
        post_list(viewer=viewer)
        .filter(Q(pk=root_id) | Q(conversation_id=root_id))
        .order_by("created_on", "id")[: THREAD_MAX_POSTS + 1]
    )
    truncated = len(rows) > THREAD_MAX_POSTS
    by_id = {row.pk: row for row in rows[:THREAD_MAX_POSTS]}
    children: dict[int, list[Post]] = {}
    for row in by_id.values():
        if row.in_reply_to_id is not None:
            children.setdefault(row.in_reply_to_id, []).append(row)
    ancestors, seen, parent_id = [], {post.pk}, post.in_reply_to_id
    while parent_id in by_id and parent_id not in seen:
        seen.add(parent_id)
        ancestors.append(by_id[parent_id])
        parent_id = by_id[parent_id].in_reply_to_id
    ancestors.reverse()
    descendants: list[tuple[Post, int]] = []
    stack = [(reply, 1) for reply in reversed(children.get(post.pk, []))]
    while stack:
        reply, depth = stack.pop()
        if reply.pk in seen:
            continue
        seen.add(reply.pk)
        descendants.append((reply, min(depth, THREAD_MAX_DEPTH)))
        stack += [(child, depth + 1) for child in reversed(children.get(reply.pk, []))]
    return Thread(ancestors=ancestors, post=post, descendants=descendants, truncated=truncated)


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


def notification_list(user: AbstractBaseUser) -> QuerySet[Notification]:
    """The user's inbox, newest first, with whatever each line shows."""
    return Notification.objects.filter(recipient=user).select_related("actor", "post__user")


def notification_get(pk: int, user: AbstractBaseUser) -> Notification:
    """Another user's notification is a 404."""
    try:
        return Notification.objects.get(pk=pk, recipient=user)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None


def post_list_tagged(tag: str, viewer: Viewer | None = None) -> QuerySet[Post]:
    """Posts carrying #tag (case-folded), newest first."""
    return post_list(viewer=viewer).filter(tags__name=tag_normalise(tag))


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


POST_HISTORY_MAX = 50


def post_history(post: Post) -> list[PostEdit]:
    """The post's earlier texts, newest first (the latest POST_HISTORY_MAX)."""
    if post.edited_on is None:
        return []  # never edited: no query
    return list(post.edits.all()[:POST_HISTORY_MAX])


def post_list_public(viewer: Viewer | None = None) -> QuerySet[Post]:
    """Every post, newest first (all posts are public), for visitors too; a signed-in
    viewer does not see the authors they mute or who stand behind a block."""
    posts = post_list(viewer=viewer)
    if viewer is not None and viewer.is_authenticated:
        posts = posts.exclude(user__in=Mute.objects.filter(actor=viewer).values("target"))
    return posts


def social_export_for_user(user_id: int):
    """A user's posts and follow graph for their data export (social/*.json)."""
    from project.export import json_bytes

    posts = Post.objects.filter(user_id=user_id).order_by("created_on", "id")
    originals = posts.filter(boost_of__isnull=True, kind=Post.Kind.POST)
    originals = originals.values("id", "content", "created_on")
    yield "social/posts.json", json_bytes(list(originals))
    boosts = posts.filter(boost_of__isnull=False).values("boost_of", "created_on")
    yield "social/boosts.json", json_bytes(list(boosts))
    following = Follow.objects.filter(follower_id=user_id).select_related("followed")
    yield "social/following.json", json_bytes([f.followed.username for f in following])
    followers = Follow.objects.filter(followed_id=user_id).select_related("follower")
    yield "social/followers.json", json_bytes([f.follower.username for f in followers])


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


def post_author_ids(post_ids: list[int]) -> dict[int, int]:
    """{post id: author id} for these posts (e.g. the parents of a page's replies)."""
    if not post_ids:
        return {}
    return dict(Post.objects.filter(pk__in=post_ids).values_list("pk", "user_id"))


def user_list_liked(post: Post) -> QuerySet:
    """Who liked the post, most recent first."""
    return _people(None).filter(likes__post=post).order_by("-likes__created_on", "pk")


def tag_search(query: str, *, limit: int, offset: int = 0) -> list:
    """Tags whose name starts with `query` (case-folded, without '#'), by name."""
    from social.models import Tag

    name = tag_normalise(query.strip().lstrip("#"))
    if not name:
        return []
    return list(Tag.objects.filter(name__startswith=name).order_by("name")[offset : offset + limit])
