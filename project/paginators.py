"""Page-number paging whose count is bounded, so no request counts a whole table.

`Paginator.count` runs `COUNT(*)` over the full result, which grows with the data
(165 ms for the snaps list at 1M rows). `BoundedCountPaginator` counts only as far
as `count_ahead` rows past the requested page: the answer is exact for every list
shorter than that, and for longer ones it is a lower bound (`count_is_capped`),
enough to draw "page 3 of 53+" and a next link. Its cost follows the page depth,
as the OFFSET of the page itself already does, never the table size.

Two more costs that grow with a search's matches are kept out (1M snaps, a word in
1000 of them: 214 ms a page): the count reads only ids, without the ordering or the
annotations (ranking every match again just to count them), and a ranked page (a
full-text search, project/search.py) first picks its ids from the matches alone, then
joins what the rows show (the author...) for those ids only: joined before the sort,
PostgreSQL hashed the whole users table for 20 rows.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

from django.core.paginator import InvalidPage, Paginator
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.http import Http404

from project.search import is_ranked

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _plain(rows) -> bool:
    """A QuerySet whose ids can stand for its rows (no UNION, no DISTINCT ON)."""
    return (
        isinstance(rows, QuerySet)
        and not rows.query.combinator
        and not rows.query.distinct_fields
        and not rows._fields  # values() and values_list() querysets keep their shape
    )


class BoundedCountPaginator(Paginator):
    count_ahead = 1000

    _requested = 1

    def validate_number(self, number):
        try:
            # Bounded so the LIMIT stays a valid bigint; any page past it is simply empty.
            requested = min(max(1, int(number)), 2**40)
        except (TypeError, ValueError, OverflowError):
            requested = self._requested  # the parent class raises the right error for it
        counted = self.__dict__.get("count")
        if counted is None:
            self._requested = requested
        elif self.count_is_capped and (requested - 1) * self.per_page >= counted:
            self._requested = requested  # beyond what was counted: count further
            self.__dict__.pop("count", None)
            self.__dict__.pop("num_pages", None)
        return super().validate_number(number)

    @cached_property
    def count(self) -> int:
        horizon = self._requested * self.per_page + self.count_ahead
        rows = self.object_list
        if not hasattr(rows, "count") or isinstance(rows, list):
            counted = len(rows[: horizon + 1])
        elif _plain(rows):
            counted = rows.order_by().values("pk")[: horizon + 1].count()
        else:
            counted = rows[: horizon + 1].count()
        self.count_is_capped = counted > horizon
        return min(counted, horizon)

    count_is_capped = False

    def page(self, number):
        rows = self.object_list
        if not (_plain(rows) and is_ranked(rows)):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows.filter(pk__in=rows.values("pk")[bottom:top]), number, self)


# --- keyset (cursor) paging ---------------------------------------------------------------
#
# A newest-first list paged by position instead of by number: each page is read from
# where the previous one ended, `(created, id) < (cursor's created, cursor's id)`, so it
# comes straight off an index on (created DESC, id DESC) whatever its depth: no OFFSET
# and no COUNT. Links are `?older=<cursor>` and `?newer=<cursor>`; a cursor is opaque
# (base64 of the row's time in microseconds and its id).


def encode_cursor(created: datetime, pk: int) -> str:
    micros = (created - EPOCH) // timedelta(microseconds=1)
    return base64.urlsafe_b64encode(f"{micros}:{pk}".encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, int]:
    """The (created, id) of a cursor; anything that is not one raises InvalidPage."""
    try:
        if len(token) > 64:
            raise ValueError
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        micros, pk = raw.split(":")
        if not (micros.lstrip("-").isdigit() and pk.isdigit()):
            raise ValueError
        created, pk = EPOCH + timedelta(microseconds=int(micros)), int(pk)
        if pk >= 2**63:
            raise ValueError
    except (ValueError, OverflowError, UnicodeDecodeError, binascii.Error):
        raise InvalidPage("Invalid page.") from None
    return created, pk


@dataclass(frozen=True)
class KeysetPage:
    object_list: list
    newer_cursor: str | None  # `?newer=`: the page before this one, None on the first
    older_cursor: str | None  # `?older=`: the page after this one, None on the last

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer_cursor or self.older_cursor)


class KeysetPaginator:
    """Pages of `queryset`, newest first by (`field`, id). One query per page: it reads
    `per_page + 1` rows to know whether there is more in the direction it goes; the
    other direction exists whenever a cursor brought us here."""

    def __init__(self, queryset: QuerySet, per_page: int, *, field: str = "created_on"):
        self.queryset, self.per_page, self.field = queryset, per_page, field

    def page(self, *, older: str | None = None, newer: str | None = None) -> KeysetPage:
        if older is not None and newer is not None:
            raise InvalidPage("Invalid page.")
        key = Tuple(F(self.field), F("pk"))
        if newer is not None:  # going back up: the rows just above the cursor, reversed
            rows = self.queryset.filter(TupleGreaterThan(key, decode_cursor(newer)))
            rows = list(rows.order_by(self.field, "pk")[: self.per_page + 1])
            if not rows:  # nothing newer any more (deleted meanwhile): the first page
                return self.page()
            more_newer, rows = len(rows) > self.per_page, rows[: self.per_page][::-1]
            return self._page(rows, newer=more_newer, older=True)
        rows = self.queryset
        if older is not None:
            rows = rows.filter(TupleLessThan(key, decode_cursor(older)))
        rows = list(rows.order_by(f"-{self.field}", "-pk")[: self.per_page + 1])
        more_older, rows = len(rows) > self.per_page, rows[: self.per_page]
        return self._page(rows, newer=older is not None and bool(rows), older=more_older)

    def _page(self, rows: list, *, newer: bool, older: bool) -> KeysetPage:
        def cursor(row) -> str:
            return encode_cursor(getattr(row, self.field), row.pk)

        return KeysetPage(
            rows, cursor(rows[0]) if newer else None, cursor(rows[-1]) if older else None
        )


class KeysetPaginationMixin:
    """For a ListView over a newest-first queryset: `?older=`/`?newer=` cursors instead of
    `?page=` (template: includes/keyset_pagination.html). A bad cursor is a 404."""

    keyset_field = "created_on"

    def paginate_queryset(self, queryset, page_size):
        paginator = KeysetPaginator(queryset, page_size, field=self.keyset_field)
        query = self.request.GET
        try:
            page = paginator.page(older=query.get("older"), newer=query.get("newer"))
        except InvalidPage as error:
            raise Http404(str(error)) from None
        return paginator, page, page.object_list, page.has_other_pages
