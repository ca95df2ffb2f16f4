"""Reads. Visibility rules live here: lists never show unlisted, private or expired snaps."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, Left
from django.http import Http404
from django.utils import timezone

from project.search import RANK, search, search_words, uses_full_text
from snaps.authorship import is_author
from snaps.highlighting import EXCERPT_CHARS
from snaps.models import (
    FILES_IN_FULL,
    SNAP_FILE_SEARCH_FIELDS,
    Snap,
    SnapFile,
    SnapRevision,
    SnapTag,
)

Viewer = AbstractBaseUser | AnonymousUser


ACTIVITY_EXCERPT_CHARS = 280  # of a snap's text shown in a timeline


def files_heads() -> Prefetch:
    """A list's files: names and languages, and only the head of each text (what an
    excerpt shows), in one query for the whole page."""
    return Prefetch(
        "files",
        queryset=SnapFile.objects.defer("content").annotate(
            content_head=Left("content", EXCERPT_CHARS)
        ),
    )


def with_first_name(snaps: QuerySet[Snap]) -> QuerySet[Snap]:
    """`name` (the first file's) to order by, computed only when ordered by."""
    first = SnapFile.objects.filter(snap=OuterRef("pk"), position=0).values("name")[:1]
    return snaps.alias(name=Subquery(first))


def files_in_full() -> Prefetch:
    """For snaps already fetched with heads only (search groups answered by the API):
    `prefetch_related_objects(snaps, files_in_full())` reads their whole files, in one
    query, into what Snap.file_list prefers."""
    return Prefetch("files", queryset=SnapFile.objects.all(), to_attr=FILES_IN_FULL)


def with_files(snaps: QuerySet[Snap]) -> QuerySet[Snap]:
    """Every file in full (one query for all the snaps): a snap's own page, the API."""
    return snaps.prefetch_related(None).prefetch_related("files")


def _live() -> QuerySet[Snap]:
    return (
        Snap.objects.select_related("user")
        .prefetch_related(files_heads())
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    )


def _mine(viewer: Viewer | None) -> Q:
    if viewer is not None and viewer.is_authenticated:
        return Q(user=viewer)
    return Q(pk__in=[])


# One-time snaps are never listed to others: an excerpt would be a view that does not burn.
_LISTED = Q(visibility=Snap.Visibility.PUBLIC, burn_after_reading=False)


def snap_list_public() -> QuerySet[Snap]:
    """Public, non-expired snaps, newest first."""
    return _live().filter(_LISTED)


def snap_tag_get(slug: str) -> SnapTag:
    try:
        return SnapTag.objects.get(slug=slug)
    except SnapTag.DoesNotExist:
        raise Http404("No such tag.") from None


def tagged(snaps: QuerySet[Snap], slug: str) -> QuerySet[Snap]:
    """The snaps of `snaps` with this tag (its slug); one indexed join."""
    return snaps.filter(tags__slug=slug)


def snap_list_listed_for(viewer: Viewer | None) -> QuerySet[Snap]:
    """What a list shows this viewer: everyone's public snaps plus all of their own."""
    return _live().filter(_LISTED | _mine(viewer))


def snaps_matching(snaps: QuerySet[Snap], query: str) -> QuerySet[Snap]:
    """The snaps of `snaps` with a file matching `query` (by the files' GIN index), best
    first: ranked by their best file."""
    if not search_words(query):
        return snaps.none()  # nothing to look for (search() would not ask either)
    files = search(SnapFile.objects.order_by(), SNAP_FILE_SEARCH_FIELDS, query)
    matching = snaps.filter(pk__in=files.values("snap_id"))
    if not uses_full_text(snaps):
        return matching
    best = files.filter(snap=OuterRef("pk")).order_by(f"-{RANK}").values(RANK)[:1]
    order = list(snaps.query.order_by or Snap._meta.ordering)
    return matching.annotate(**{RANK: Subquery(best)}).order_by(f"-{RANK}", *order)


def snap_search(*, viewer: Viewer | None, query: str) -> QuerySet[Snap]:
    """Listed snaps (public ones, and the viewer's own) with a file matching `query`,
    best first. Unlisted and private snaps of others are never found."""
    return snaps_matching(snap_list_listed_for(viewer), query)


def snap_list_reachable_by(viewer: Viewer | None) -> QuerySet[Snap]:
    """What this viewer may open by key: public and unlisted ones, and their own private ones."""
    return _live().filter(~Q(visibility=Snap.Visibility.PRIVATE) | _mine(viewer))


def snap_list_for_user(owner: AbstractBaseUser, viewer: Viewer | None) -> QuerySet[Snap]:
    """A user's page: their public snaps, or every live snap of theirs when it is their own."""
    snaps = _live().filter(user=owner)
    if viewer is None or viewer.pk != owner.pk:
        snaps = snaps.filter(_LISTED)
    return snaps


def snap_stats_by_extension(snaps: QuerySet[Snap]) -> list[dict]:
    """[{'extension': 'py', 'total': 3}, ...]: how many of these snaps hold a file of
    each extension, most used first."""
    return list(
        SnapFile.objects.filter(snap__in=snaps.order_by().values("pk"))
        .values("extension")
        .annotate(total=Count("snap", distinct=True))
        .order_by("-total", "extension")
    )


def snap_get_visible(*, hash_key: str, viewer: Viewer | None) -> Snap:
    """The snap behind a share link; 404 when it is private to someone else or expired."""
    try:
        # With its parent (if a fork or reply), for the link and the diff against it.
        snaps = with_files(snap_list_reachable_by(viewer).select_related("parent"))
        return snaps.prefetch_related("parent__files").get(hash_key=hash_key)
    except Snap.DoesNotExist:
        raise Http404("No snap with that key.") from None


def snap_last_language(author: Viewer | None) -> str:
    """The language of the author's newest snap ("" when none): one indexed lookup."""
    if author is None or not author.is_authenticated:
        return ""
    newest = (
        SnapFile.objects.filter(snap__user=author, position=0)
        .exclude(language="")
        .order_by("-snap__created_on", "-snap__id")
        .values_list("language", flat=True)
        .first()
    )
    return newest or ""


def snap_get_with_history(*, hash_key: str, viewer: Viewer | None, token: str = "") -> Snap:
    """A snap whose history this viewer may read: any of their own, else a listed one
    (public, not one-time). Unlisted and private history is its author's alone."""
    snap = snap_get_visible(hash_key=hash_key, viewer=viewer)
    if not (snap.is_listed or is_author(snap, viewer, token)):
        raise Http404("No snap with that key.")
    return snap


def snap_parent_shown_to(snap: Snap, viewer: Viewer | None) -> Snap | None:
    """The parent of a fork or reply when this viewer may know it (listed, live, or their
    own); a parent made private or unlisted since stays hidden."""
    parent = snap.parent
    if parent is None or parent.is_expired:
        return None
    return parent if parent.is_listed or is_author(parent, viewer) else None


def snap_fork_count(snap: Snap) -> int:
    """Listed forks and replies of a snap (one indexed count)."""
    return snap.forks.filter(_LISTED).count()


def with_fork_counts(snaps: QuerySet[Snap]) -> QuerySet[Snap]:
    """Annotates `fork_count` per row by a correlated subquery: computed only for the
    rows a page returns, never by N queries."""
    forks = (
        Snap.objects.filter(_LISTED, parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(total=Count("id"))
        .values("total")
    )
    return snaps.annotate(fork_count=Coalesce(Subquery(forks), 0))


def snap_revision_list(snap: Snap, *, with_content: bool = False) -> list[SnapRevision]:
    """Every revision, newest (the current state) first."""
    earlier = snap.revisions.order_by("-number")
    if not with_content:
        earlier = earlier.defer("files").annotate(
            first_name=KT("files__0__name"), first_extension=KT("files__0__extension")
        )
    earlier = list(earlier)
    for revision in earlier:
        revision.snap = snap  # for its URLs, without a query each
    return [snap.as_revision(), *earlier]


def snap_revision_get(snap: Snap, number: int) -> SnapRevision:
    if number == snap.revision:
        return snap.as_revision()
    try:
        revision = snap.revisions.get(number=number)
    except SnapRevision.DoesNotExist:
        raise Http404("No such revision.") from None
    revision.snap = snap
    return revision


def snap_get_embeddable(*, hash_key: str) -> Snap:
    """A snap another site may show: listed ones only (public, not one-time), whoever
    asks, since an embedding page's visitor is not the snap's audience."""
    try:
        return with_files(_live().filter(_LISTED)).get(hash_key=hash_key)
    except Snap.DoesNotExist:
        raise Http404("No snap with that key.") from None


def snap_export_for_user(user_id: int):
    """A user's own snaps for their data export: snaps.json and each one as a raw file
    (`snaps/<hash_key>/<filename>`), private and expired ones included."""
    from project.export import json_bytes

    snaps = list(
        Snap.objects.filter(user_id=user_id).prefetch_related("files").order_by("created_on", "id")
    )
    yield (
        "snaps/snaps.json",
        json_bytes(
            [
                {
                    "hash_key": s.hash_key,
                    "name": s.filename,
                    "visibility": s.visibility,
                    "created_on": s.created_on,
                    "expires_at": s.expires_at,
                    "files": [
                        {
                            "filename": f.filename,
                            "language": f.language,
                            "file": f"snaps/{s.hash_key}/{f.filename}",
                        }
                        for f in s.file_list
                    ],
                }
                for s in snaps
            ]
        ),
    )
    for snap in snaps:
        for file in snap.file_list:
            yield f"snaps/{snap.hash_key}/{file.filename}", file.content.encode()


def snap_get_authored(*, hash_key: str, viewer: Viewer | None, token: str = "") -> Snap:
    """A snap this viewer wrote (owner, or edit token of an anonymous snap); 404 (never
    403) for anyone else, so keys don't leak."""
    try:
        snap = Snap.objects.select_related("user").prefetch_related("files").get(hash_key=hash_key)
    except Snap.DoesNotExist:
        raise Http404("No snap with that key.") from None
    if not is_author(snap, viewer, token):
        raise Http404("No snap with that key.")
    return snap


def snap_file_get(snap: Snap | SnapRevision, filename: str) -> SnapFile:
    """One file of a snap (or of a revision) by its file name; 404 when it has none so."""
    for file in snap.file_list:
        if file.filename == filename:
            return file
    raise Http404("No file of that name in this snap.")


def snap_activity_cards(ids: list[int]) -> dict[int, dict]:
    """The public snaps among `ids` as cards for social's activity stream, two queries
    (the snaps, their files' heads); the others (private, unlisted, one-time, expired,
    gone) are left out."""
    snaps = snap_list_public().filter(pk__in=ids)  # with its files' heads
    cards = {}
    for snap in snaps:
        first = snap.first_file
        head = getattr(first, "content_head", "") if first else ""
        cards[snap.pk] = {
            "title": snap.filename,
            "url": snap.get_absolute_url(),
            "text": head[:ACTIVITY_EXCERPT_CHARS],
            "image_url": "",
            "image_alt": "",
        }
    return cards
