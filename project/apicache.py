"""Per-owner caching of API response data, dropped explicitly whenever it changes.

Each owner (a user whose feed or photo list it is) has a version per scope; cached
data is stored with the version it was computed under and only served while that
version is current. `invalidate` deletes versions, so one call drops everything
cached for any number of owners. The version is read before the data is computed:
a write that commits meanwhile invalidates it, and whatever the slower reader then
stores is never served. With the cache unreachable, data is computed every time;
`invalidate` then fails (see project/cache.py).
"""

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from project.cache import optional_read, optional_write
from project.transactions import now_and_after_commit


def _version_key(scope: str, owner_id: int) -> str:
    return f"apicache:{scope}:{owner_id}:version"


def _data_key(scope: str, owner_id: int, variant: str) -> str:
    # Hashed: variants are full URLs, longer than portable cache keys may be.
    return f"apicache:{scope}:{owner_id}:{hashlib.sha256(variant.encode()).hexdigest()}"


def invalidate(scope: str, owner_ids: Iterable[int]) -> None:
    cache.delete_many([_version_key(scope, owner_id) for owner_id in owner_ids])


def invalidate_on_commit(scope: str, owner_ids: Iterable[int]) -> None:
    owner_ids = list(owner_ids)
    now_and_after_commit(lambda: invalidate(scope, owner_ids))


def cached(scope: str, owner_id: int, variant: str, compute: Callable[[], Any]) -> Any:
    """`compute()`'s result for this owner and variant (e.g. the request URL), from the
    cache while nothing in the scope has changed. Exceptions are never cached."""
    timeout = settings.API_CACHE_SECONDS
    if timeout <= 0:
        return compute()
    version_key, data_key = _version_key(scope, owner_id), _data_key(scope, owner_id, variant)
    found = optional_read(lambda: cache.get_many([version_key, data_key]), None)
    if found is None:  # the cache is unreachable: answer without it
        return compute()
    version = found.get(version_key)
    if version is not None and data_key in found and found[data_key][0] == version:
        return found[data_key][1]
    if version is None:
        fresh = uuid.uuid4().hex
        added = optional_read(lambda: cache.add(version_key, fresh, timeout * 2), None)
        if added is None:
            return compute()
        version = fresh if added else optional_read(lambda: cache.get(version_key), None)
        if version is None:
            return compute()
    data = compute()
    optional_write(lambda: cache.set(data_key, (version, data), timeout))
    return data


def cached_response(
    request: Request, scope: str, owner_id: int, compute: Callable[[], Any]
) -> HttpResponse | Response:
    """The response for `compute()`'s data, cached as rendered JSON per request URL.
    JSON clients get those bytes as they are; other renderers (the browsable API)
    render the same data again."""
    body = cached(
        scope, owner_id, request.build_absolute_uri(), lambda: JSONRenderer().render(compute())
    )
    if request.accepted_media_type == JSONRenderer.media_type:
        return HttpResponse(body, content_type=JSONRenderer.media_type)
    return Response(json.loads(body))
