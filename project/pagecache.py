"""Whole-page caching for anonymous visitors who send no cookies at all.

Such a request has no session, so its page holds no messages, CSRF token or user
menu: one rendered copy serves them all. Writes call `invalidate(namespace)`, which
moves the namespace to a new version so no stale copy is ever read again. With the
cache unreachable, pages render uncached; `invalidate` then fails (see project/cache.py).
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from project.cache import optional_read, optional_write
from project.transactions import now_and_after_commit

DEFAULT_TIMEOUT = 60


def _version_key(namespace: str) -> str:
    return f"pagecache:{namespace}:version"


def invalidate(namespace: str) -> None:
    try:
        cache.incr(_version_key(namespace))
    except ValueError:  # no version yet: nothing cached under it
        cache.set(_version_key(namespace), 1, None)


def invalidate_on_commit(namespace: str) -> None:
    """For services: drop the namespace's pages now and again after commit."""
    now_and_after_commit(lambda: invalidate(namespace))


def cache_for_anonymous(namespace: str, timeout: int = DEFAULT_TIMEOUT) -> Callable:
    """A view may shorten the lifetime by setting `response.page_cache_timeout`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method != "GET" or request.COOKIES or request.user.is_authenticated:
                return view(request, *args, **kwargs)
            version = optional_read(
                lambda: cache.get_or_set(_version_key(namespace), 1, None), None
            )
            if version is None:  # the cache is unreachable: render as if uncached
                return view(request, *args, **kwargs)
            # Hashed: a visitor's query string may be kilobytes long (keys stay short).
            url = f"{request.get_host()}:{request.get_full_path()}".encode()
            key = f"pagecache:{namespace}:{version}:{hashlib.sha256(url).hexdigest()}"
            if (hit := optional_read(lambda: cache.get(key), None)) is not None:
                content, content_type = hit
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            lifetime = min(timeout, getattr(response, "page_cache_timeout", timeout))
            if response.status_code == 200 and not response.cookies and lifetime > 0:
                entry = (response.content, response["Content-Type"])
                optional_write(lambda: cache.set(key, entry, lifetime))
            return response

        return wrapped

    return decorator
