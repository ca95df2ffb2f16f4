"""Page-number paging whose count is bounded, so no request counts a whole table.

`Paginator.count` runs `COUNT(*)` over the full result, which grows with the data
(165 ms for the snaps list at 1M rows). `BoundedCountPaginator` counts only as far
as `count_ahead` rows past the requested page: the answer is exact for every list
shorter than that, and for longer ones it is a lower bound (`count_is_capped`),
enough to draw "page 3 of 53+" and a next link. Its cost follows the page depth,
as the OFFSET of the page itself already does, never the table size.
"""

from functools import cached_property

from django.core.paginator import Paginator


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
        if not hasattr(self.object_list, "count") or isinstance(self.object_list, list):
            counted = len(self.object_list[: horizon + 1])
        else:
            counted = self.object_list[: horizon + 1].count()
        self.count_is_capped = counted > horizon
        return min(counted, horizon)

    count_is_capped = False
