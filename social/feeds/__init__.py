"""The newsfeed in the three strategies the book compares, behind one interface.

Every strategy answers `page(user, before=cursor, limit=n)` with the same posts in
the same order: the user's own posts and those of everyone they follow, newest
first (`-created_on, -id`), strictly older than the cursor. `after=cursor` keeps only
posts strictly newer than it (Mastodon's `since_id`); with `oldest_first=True` the page
is the `limit` posts right after it (`min_id`), still returned newest first. The
signature and the window arithmetic live once, in `window.py`.

- `join`:  fan-out on read, one SQL query over posts and follows (`join.py`).
- `cache`: fan-out on read, merging per-author timelines kept in the Django cache
           (Redis when configured), the merge itself kept per reader until a followee
           posts; a page past the cached depth reads SQL (`cache.py`).
- `write`: fan-out on write; a Celery task pushes each post into its readers'
           feeds, a Redis sorted set per user capped at FEED_CAP entries (FeedEntry
           rows when Redis is absent, `stores.py`). Reading is one lookup whatever the
           followee count (`write.py`).

Cached API pages hang on per-reader versions (`pages.py`).
"""

from django.conf import settings

from social.feeds.cache import (
    AUTHOR_TIMELINE_CAP,
    AUTHOR_TIMELINE_TTL,
    MERGED_CACHE_VARIANT,
    CacheFeed,
    author_timeline_invalidate,
    author_timeline_key,
    author_timelines,
    merged_timeline,
)
from social.feeds.join import JoinFeed
from social.feeds.pages import (
    RESPONSE_CACHE_SCOPE,
    forget_cached_pages,
    forget_cached_pages_now,
)
from social.feeds.stores import (
    FEED_CAP,
    DatabaseFeedStore,
    FeedStore,
    RedisFeedStore,
    feed_store,
    ready_seconds,
)
from social.feeds.window import EPOCH, Cursor, FeedKey, FeedWindow, from_micros, to_micros
from social.feeds.write import REBUILD_CLAIM_SECONDS, WriteFeed

__all__ = [
    "AUTHOR_TIMELINE_CAP",
    "AUTHOR_TIMELINE_TTL",
    "EPOCH",
    "FEED_CAP",
    "MERGED_CACHE_VARIANT",
    "REBUILD_CLAIM_SECONDS",
    "RESPONSE_CACHE_SCOPE",
    "STRATEGIES",
    "CacheFeed",
    "Cursor",
    "DatabaseFeedStore",
    "FeedKey",
    "FeedStore",
    "FeedWindow",
    "JoinFeed",
    "RedisFeedStore",
    "WriteFeed",
    "author_timeline_invalidate",
    "author_timeline_key",
    "author_timelines",
    "feed_store",
    "feed_strategy",
    "forget_cached_pages",
    "forget_cached_pages_now",
    "from_micros",
    "merged_timeline",
    "ready_seconds",
    "to_micros",
]

STRATEGIES = {strategy.name: strategy for strategy in (JoinFeed(), CacheFeed(), WriteFeed())}


def feed_strategy(name: str | None = None):
    return STRATEGIES[name or settings.SOCIAL_FEED_STRATEGY]
