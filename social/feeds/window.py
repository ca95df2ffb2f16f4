"""Feed positions and page windows, shared by every strategy and store.

A feed key is (microseconds since the epoch, post id): it sorts exactly like
(-created_on, -id) reversed. A `FeedWindow` is one page request; `Paged` gives strategies
and stores the one `page(...)` signature and hands them the window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage
from django.db.models import Q, QuerySet

from project.paginators import decode_cursor, encode_cursor
from social.models import Post

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

FeedKey = tuple[int, int]


def to_micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def from_micros(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


@dataclass(frozen=True)
class Cursor:
    """Keyset position: everything strictly older than this post."""

    created_on: datetime
    post_id: int

    @classmethod
    def after(cls, post: Post) -> Cursor:
        return cls(created_on=post.created_on, post_id=post.pk)

    @property
    def key(self) -> FeedKey:
        return (to_micros(self.created_on), self.post_id)

    def encode(self) -> str:
        """The same opaque cursor as every keyset list's (project.paginators)."""
        return encode_cursor(self.created_on, self.post_id)

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            created_on, post_id = decode_cursor(token)
        except InvalidPage:
            raise ValidationError("Invalid cursor.", code="invalid_cursor") from None
        return cls(created_on=created_on, post_id=post_id)


@dataclass(frozen=True)
class FeedWindow:
    """One page: at most `limit` entries strictly between `after` and `before` (either
    may be open), the newest of them, or with `oldest_first` the oldest; always
    returned newest first."""

    before: Cursor | None
    after: Cursor | None
    limit: int
    oldest_first: bool = False

    def pick(self, keys: Sequence[FeedKey], floor: FeedKey | None) -> list[FeedKey] | None:
        """The page's keys (newest first) from `keys` (newest first), which hold every
        entry from `floor` up (floor None: every entry); None when the page may reach
        below it, so the caller must read the full feed instead."""
        top = self.before.key if self.before else None
        bottom = self.after.key if self.after else None
        inside = [k for k in keys if (top is None or k < top) and (bottom is None or k > bottom)]
        picked = inside[-self.limit :] if self.oldest_first else inside[: self.limit]
        if floor is None or (bottom is not None and bottom >= floor):
            return picked
        if not self.oldest_first and len(picked) == self.limit and picked[-1] >= floor:
            return picked
        return None

    def select(self, rows: QuerySet, *, created: str, pk: str) -> list:
        """The page of `rows` keyed by (`created`, `pk`), newest first, in one query.

        Each bound is a range on `created` plus a tie-break, which a
        (…, -created, -pk) index serves."""
        if self.before is not None:
            rows = rows.filter(**{f"{created}__lte": self.before.created_on}).filter(
                Q(**{f"{created}__lt": self.before.created_on})
                | Q(**{f"{pk}__lt": self.before.post_id})
            )
        if self.after is not None:
            rows = rows.filter(**{f"{created}__gte": self.after.created_on}).filter(
                Q(**{f"{created}__gt": self.after.created_on})
                | Q(**{f"{pk}__gt": self.after.post_id})
            )
        if self.oldest_first:
            return list(reversed(rows.order_by(created, pk)[: self.limit]))
        return list(rows.order_by(f"-{created}", f"-{pk}")[: self.limit])


class Paged:
    """The one `page(...)` signature of the strategies (owner: the reader) and the
    stores (owner: the reader's id); each implements `read(owner, window)`."""

    def page(
        self,
        owner,
        *,
        before: Cursor | None,
        limit: int,
        after: Cursor | None = None,
        oldest_first: bool = False,
    ):
        window = FeedWindow(before=before, after=after, limit=limit, oldest_first=oldest_first)
        return self.read(owner, window)

    def read(self, owner, window: FeedWindow):
        raise NotImplementedError


def posts_in_order(keys: Sequence[FeedKey]) -> list[Post]:
    """The posts of these keys, in their order, in one query."""
    by_id = Post.objects.select_related("user", "boost_of__user").in_bulk(
        [post_id for _, post_id in keys]
    )
    # A post deleted since it was fanned out is simply skipped.
    return [by_id[post_id] for _, post_id in keys if post_id in by_id]
