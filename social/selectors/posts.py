"""Posts: lists, one post, threads, edit history, photos, the mixed stream, activity cards."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    CharField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils.module_loading import import_string

from project.search import search
from social.models import (
    POST_SEARCH_FIELDS,
    Block,
    Like,
    Mute,
    Post,
    PostAttachment,
    PostEdit,
)
from social.selectors.people import _people
from social.text import tag_normalise

User = get_user_model()
Viewer = AbstractBaseUser | AnonymousUser


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


def post_list_tagged(tag: str, viewer: Viewer | None = None) -> QuerySet[Post]:
    """Posts carrying #tag (case-folded), newest first."""
    return post_list(viewer=viewer).filter(tags__name=tag_normalise(tag))


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
