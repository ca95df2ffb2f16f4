"""Mastodon's paging: `limit` (default 20, at most 40), `max_id` (older than),
`since_id` (the newest ones newer than), `min_id` (the ones right after, oldest first),
and a Link header whose `next` carries max_id and `prev` min_id."""

from django.db.models import Q, QuerySet
from rest_framework import exceptions

from mastodon_api.views.base import id_param

DEFAULT_LIMIT, MAX_LIMIT = 20, 40


def limit_param(request, *, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> int:
    raw = request.query_params.get("limit")
    if raw in (None, ""):
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise exceptions.ValidationError({"limit": ["must be a whole number from 1"]})
    return min(int(raw), maximum)


def positions(request) -> dict[str, int]:
    return {
        name: value
        for name in ("max_id", "since_id", "min_id")
        if (value := id_param(request.query_params.get(name), name=name)) is not None
    }


def keyset_page(rows: QuerySet, *, found: dict[str, tuple], limit: int, time_field: str) -> list:
    """Newest first by (time, id), bounded by the (time, id) positions in `found`."""
    if "max_id" in found:
        moment, pk = found["max_id"]
        rows = rows.filter(
            Q(**{f"{time_field}__lt": moment}) | Q(**{time_field: moment, "pk__lt": pk})
        )
    after = found.get("min_id") or found.get("since_id")
    if after is not None:
        moment, pk = after
        rows = rows.filter(
            Q(**{f"{time_field}__gt": moment}) | Q(**{time_field: moment, "pk__gt": pk})
        )
    if "min_id" in found:
        return list(rows.order_by(time_field, "pk")[:limit])[::-1]
    return list(rows.order_by(f"-{time_field}", "-pk")[:limit])


def link_header(request, ids: list[int]) -> str | None:
    if not ids:
        return None
    query = request.query_params.copy()
    for name in ("max_id", "since_id", "min_id"):
        query.pop(name, None)
    base = request.build_absolute_uri(request.path)

    def url(**params) -> str:
        merged = query.copy()
        for key, value in params.items():
            merged[key] = value
        return f"{base}?{merged.urlencode()}"

    return f'<{url(max_id=ids[-1])}>; rel="next", <{url(min_id=ids[0])}>; rel="prev"'


def offset_page(rows, request, *, limit: int) -> tuple[list, str | None]:
    """Account lists: `max_id` here is an opaque position (as Mastodon's, whose value is a
    follow's id), read back from the Link header only."""
    start = id_param(request.query_params.get("max_id"), name="max_id") or 0
    page = list(rows[start : start + limit + 1])
    more = len(page) > limit
    page = page[:limit]
    link = None
    if more:
        query = request.query_params.copy()
        query["max_id"] = str(start + limit)
        link = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
    return page, link
