"""Where the `write` strategy keeps each reader's fanned-out feed: a Redis sorted set,
or FeedEntry rows when Redis is absent."""

from collections.abc import Iterable, Sequence

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from project.redis import redis_client
from social.feeds.window import FeedKey, FeedWindow, Paged, from_micros, to_micros
from social.models import FeedEntry

FEED_CAP = 120  # entries kept per user by `write`: below Redis's listpack limit (128)


def ready_seconds() -> int:
    """How long a stored feed counts as complete: until its reader would count as
    inactive (SOCIAL_FEED_INACTIVE_DAYS after being seen) and stop getting fan-out, less
    an hour for the throttled last_seen writes."""
    return max(settings.SOCIAL_FEED_INACTIVE_DAYS * 86400 - 3600, 60)


class RedisFeedStore(Paged):
    """One sorted set per reader: score = created_on in µs, member = the post id.

    Integer members and at most FEED_CAP (+1 while adding) entries keep the set in Redis's
    compact listpack encoding (up to `zset-max-listpack-entries`, 128 by default): about
    20 bytes per entry where a skiplist takes about 100 (see `bytes_per_entry`). Adding
    many entries at once (back-fill, rebuild) rewrites the set rather than growing it
    past the limit, since Redis never converts a set back.

    A second key marks the feed complete. Without it (a new deployment, a flushed Redis,
    a reader back after SOCIAL_FEED_INACTIVE_DAYS, whom fan-out skipped) reads go to SQL
    and a rebuild is queued. Both keys expire, so inactive readers' feeds free their memory.
    """

    TIE_SLACK = 64

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @staticmethod
    def key(owner_id: int) -> str:
        return f"social:feed:{owner_id}"

    @staticmethod
    def ready_key(owner_id: int) -> str:
        return f"social:feed:{owner_id}:ready"

    def add(self, owner_ids: Iterable[int], entries: Sequence[FeedKey]) -> None:
        if not entries:
            return
        if len(entries) > 1:
            for owner_id in owner_ids:
                self._rewrite(owner_id, lambda current: [*current, *entries])
            return
        ((micros, post_id),) = entries
        with self.client.pipeline(transaction=False) as pipe:
            for owner_id in owner_ids:
                key = self.key(owner_id)
                pipe.zadd(key, {str(post_id): micros})
                pipe.zremrangebyrank(key, 0, -(FEED_CAP + 1))
                # Fan-out stops when the reader turns inactive; the set goes a while later.
                pipe.expire(key, settings.SOCIAL_FEED_INACTIVE_DAYS * 86400)
            pipe.execute()

    def remove(self, owner_ids: Iterable[int], post_ids: Sequence[int]) -> None:
        if not post_ids:
            return
        members = [str(post_id) for post_id in post_ids]
        with self.client.pipeline(transaction=False) as pipe:
            for owner_id in owner_ids:
                pipe.zrem(self.key(owner_id), *members)
            pipe.execute()

    def clear(self, owner_id: int) -> None:
        self.client.delete(self.key(owner_id), self.ready_key(owner_id))

    def mark_ready(self, owner_id: int, seconds: int) -> None:
        self.client.set(self.ready_key(owner_id), 1, ex=seconds)

    def is_ready(self, owner_id: int) -> bool:
        return bool(self.client.exists(self.ready_key(owner_id)))

    def rebuild(self, owner_id: int, entries: Sequence[FeedKey], *, since: FeedKey) -> None:
        """Replace the feed by `entries` (read from SQL), keeping what fan-out added from
        `since` on (posts the SQL read may have missed), and mark it complete."""
        self._rewrite(
            owner_id,
            lambda current: [*entries, *(key for key in current if key >= since)],
            ready_seconds=ready_seconds(),
        )

    def _rewrite(self, owner_id: int, merge, *, ready_seconds: int | None = None) -> None:
        key = self.key(owner_id)

        def run(pipe: redis.client.Pipeline) -> None:
            rows = pipe.zrange(key, 0, -1, withscores=True)
            current = [(int(score), int(member)) for member, score in rows]
            kept = sorted(set(merge(current)), reverse=True)[:FEED_CAP]
            pipe.multi()
            pipe.delete(key)
            if kept:
                pipe.zadd(key, {str(post_id): micros for micros, post_id in kept})
                pipe.expire(key, settings.SOCIAL_FEED_INACTIVE_DAYS * 86400)
            if ready_seconds is not None:
                pipe.set(self.ready_key(owner_id), 1, ex=ready_seconds)

        # Optimistic: a fan-out landing between the read and the write makes it run again.
        self.client.transaction(run, key)

    def read(self, owner_id: int, window: FeedWindow) -> list[FeedKey] | None:
        """The page's keys, newest first; None when the stored feed cannot answer it (not
        known to be complete, or the page reaches below what a full set holds)."""
        top = "+inf" if window.before is None else window.before.key[0]
        bottom = "-inf" if window.after is None else window.after.key[0]
        key, num = self.key(owner_id), window.limit + self.TIE_SLACK
        with self.client.pipeline(transaction=False) as pipe:
            pipe.exists(self.ready_key(owner_id))
            if window.oldest_first:
                pipe.zrangebyscore(key, bottom, top, start=0, num=num, withscores=True)
            else:
                pipe.zrevrangebyscore(key, top, bottom, start=0, num=num, withscores=True)
            pipe.zcard(key)
            pipe.zrange(key, 0, 0, withscores=True)
            ready, rows, size, lowest = pipe.execute()
        if not ready:
            return None
        # Equal scores come in the members' text order; (score, id) is the feed's order.
        keys = sorted(((int(score), int(member)) for member, score in rows), reverse=True)
        floor = None
        if size >= FEED_CAP and lowest:
            floor = (int(lowest[0][1]), int(lowest[0][0]))
        return window.pick(keys, floor)

    def bytes_per_entry(self, owner_id: int) -> float:
        """Redis's own account (MEMORY USAGE) of one stored feed, per entry."""
        key = self.key(owner_id)
        size = self.client.zcard(key)
        return self.client.memory_usage(key, samples=0) / size if size else 0.0


class DatabaseFeedStore(Paged):
    """The same feed as FeedEntry rows, for deployments without Redis; the complete
    mark lives in the (local) cache."""

    @staticmethod
    def ready_key(owner_id: int) -> str:
        return f"social:feed-ready:{owner_id}"

    def add(self, owner_ids: Iterable[int], entries: Sequence[FeedKey]) -> None:
        rows = [
            FeedEntry(owner_id=owner_id, post_id=post_id, created_on=from_micros(micros))
            for owner_id in owner_ids
            for micros, post_id in entries
        ]
        FeedEntry.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)

    def remove(self, owner_ids: Iterable[int], post_ids: Sequence[int]) -> None:
        FeedEntry.objects.filter(owner_id__in=list(owner_ids), post_id__in=post_ids).delete()

    def clear(self, owner_id: int) -> None:
        FeedEntry.objects.filter(owner_id=owner_id).delete()
        cache.delete(self.ready_key(owner_id))

    def mark_ready(self, owner_id: int, seconds: int) -> None:
        cache.set(self.ready_key(owner_id), 1, seconds)

    def is_ready(self, owner_id: int) -> bool:
        return bool(cache.get(self.ready_key(owner_id)))

    def rebuild(self, owner_id: int, entries: Sequence[FeedKey], *, since: FeedKey) -> None:
        with transaction.atomic():
            FeedEntry.objects.filter(
                owner_id=owner_id, created_on__lt=from_micros(since[0])
            ).delete()
            self.add([owner_id], entries)
        self.mark_ready(owner_id, ready_seconds())

    def read(self, owner_id: int, window: FeedWindow) -> list[FeedKey] | None:
        if not self.is_ready(owner_id):
            return None
        entries = FeedEntry.objects.filter(owner_id=owner_id).values_list("created_on", "post_id")
        rows = window.select(entries, created="created_on", pk="post_id")
        return [(to_micros(created), post_id) for created, post_id in rows]


FeedStore = RedisFeedStore | DatabaseFeedStore


def feed_store() -> FeedStore:
    client = redis_client()
    return RedisFeedStore(client) if client is not None else DatabaseFeedStore()
