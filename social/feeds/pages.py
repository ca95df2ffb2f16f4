"""Cached API pages.

Each reader's cached feed pages hang on a per-reader version (project/apicache.py). A
request that changes what a reader sees drops that reader's version only when the reader
is the one acting (own post, own follow). Everyone else who reads an author (followers)
is reached by the fan-out tasks in social/tasks.py, in chunks, whatever the strategy: the
request's cost never depends on the follower count."""

from collections.abc import Iterable

from project import apicache

RESPONSE_CACHE_SCOPE = "social-feed"  # per-reader versions: API pages, the merged timeline


def forget_cached_pages(owner_ids: Iterable[int]) -> None:
    """Drop these readers' cached pages now and again after commit (for requests)."""
    apicache.invalidate_on_commit(RESPONSE_CACHE_SCOPE, owner_ids)


def forget_cached_pages_now(owner_ids: Iterable[int]) -> None:
    """The same from a task, which runs outside any transaction."""
    apicache.invalidate(RESPONSE_CACHE_SCOPE, owner_ids)
