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

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

from project.search import is_ranked


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
