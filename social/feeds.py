"""The newsfeed in the three strategies the book compares, behind one interface.

Every strategy answers `page(user, before=cursor, limit=n)` with the same posts in
the same order: the user's own posts and those of everyone they follow, newest
first (`-created_on, -id`), strictly older than the cursor. `after=cursor` keeps only
posts strictly newer than it (Mastodon's `since_id`); with `oldest_first=True` the page
is the `limit` posts right after it (`min_id`), still returned newest first.

- `join`:  fan-out on read, one SQL query over posts and follows.
- `cache`: fan-out on read, merging per-author timelines kept in the Django cache
           (Redis when configured), the merge itself kept per reader until a followee
           posts; a page past the cached depth reads SQL.
- `write`: fan-out on write; a Celery task pushes each post into its readers'
           feeds, a Redis sorted set per user capped at FEED_CAP entries (FeedEntry
           rows when Redis is absent). Reading is one lookup whatever the followee count.
"""

from __future__ import annotations

import base64
import binascii
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice

import redis
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, F, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from project import apicache
from project.cache import optional_read, optional_write
from project.redis import redis_client
from social.models import FeedEntry, Follow, Post

FEED_CAP = 120  # entries kept per user by `write`: below Redis's listpack limit (128)
AUTHOR_TIMELINE_CAP = 200  # recent posts cached per author by the `cache` strategy
AUTHOR_TIMELINE_TTL = 60 * 60
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RESPONSE_CACHE_SCOPE = "social-feed"  # per-reader versions: API pages, the merged timeline

# (microseconds since the epoch, post id): sorts exactly like (-created_on, -id) reversed.
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
        raw = f"{to_micros(self.created_on)}:{self.post_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            micros, post_id = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
            return cls(created_on=from_micros(int(micros)), post_id=int(post_id))
        except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError):
            raise ValidationError("Invalid cursor.", code="invalid_cursor") from None


def _posts_in_order(keys: Sequence[FeedKey]) -> list[Post]:
    by_id = Post.objects.select_related("user").in_bulk([post_id for _, post_id in keys])
    # A post deleted since it was fanned out is simply skipped.
    return [by_id[post_id] for _, post_id in keys if post_id in by_id]


def _older_than(keys: Iterable[FeedKey], before: Cursor | None, limit: int) -> list[FeedKey]:
    bound = before.key if before else None
    picked: list[FeedKey] = []
    for key in keys:
        if bound is not None and key >= bound:
            continue
        picked.append(key)
        if len(picked) == limit:
            break
    return picked


def _window(
    keys: Sequence[FeedKey],
    floor: FeedKey | None,
    *,
    before: Cursor | None,
    after: Cursor | None,
    limit: int,
    oldest_first: bool,
) -> list[FeedKey] | None:
    """The page's keys (newest first) from `keys` (newest first), which hold every entry
    from `floor` up (floor None: every entry); None when the page may reach below it."""
    top = before.key if before else None
    bottom = after.key if after else None
    inside = [k for k in keys if (top is None or k < top) and (bottom is None or k > bottom)]
    picked = inside[-limit:] if oldest_first else inside[:limit]
    if floor is None or (bottom is not None and bottom >= floor):
        return picked
    if not oldest_first and len(picked) == limit and picked[-1] >= floor:
        return picked
    return None


# --- join ------------------------------------------------------------------------------


class JoinFeed:
    """The reader's posts and their followees', read from the per-user (user, -created_on,
    -id) index in two bounded steps inside one query.

    Reading every followee's posts and sorting them costs what they have ever posted
    (5000 followees at 1M posts: 90,000 rows for a page of 20). Instead, each author's
    newest post inside the window (one index probe per author) gives the `limit`-th
    newest of those as an edge no post of the page is older than (at least `limit` posts
    reach it); then each author's posts from the edge on, at most `limit` each. Both
    steps cost one probe per author and the rows of the page, never what the tables
    hold; the page's rows are fetched by id. A reader who follows nobody reads only
    their own index range.
    """

    name = "join"

    def page_queryset(
        self,
        user: AbstractBaseUser,
        *,
        before: Cursor | None = None,
        after: Cursor | None = None,
        limit: int,
        oldest_first: bool = False,
    ) -> QuerySet[Post]:
        window, window_params = [], []
        if before is not None:
            window.append("p.created_on <= %s AND (p.created_on < %s OR p.id < %s)")
            window_params += [before.created_on, before.created_on, before.post_id]
        if after is not None:
            window.append("p.created_on >= %s AND (p.created_on > %s OR p.id > %s)")
            window_params += [after.created_on, after.created_on, after.post_id]
        inside = "".join(f" AND {condition}" for condition in window)
        way = "" if oldest_first else " DESC"
        order = f"p.created_on{way}, p.id{way}"
        reaches, no_edge = ("<=", "infinity") if oldest_first else (">=", "-infinity")
        post, follow = Post._meta.db_table, Follow._meta.db_table
        # MATERIALIZED: each step runs once (inlined, the planner costed the edge once
        # per author and JIT-compiled the query).
        ids = f"""
            WITH authors AS MATERIALIZED (
                SELECT %s::bigint AS id
                UNION SELECT followed_id FROM {follow} WHERE follower_id = %s
            ), edge AS MATERIALIZED (
                SELECT COALESCE((
                    SELECT newest.created_on FROM authors a CROSS JOIN LATERAL (
                        SELECT p.created_on FROM {post} p WHERE p.user_id = a.id{inside}
                        ORDER BY {order} LIMIT 1
                    ) newest ORDER BY newest.created_on{way} OFFSET %s LIMIT 1
                ), '{no_edge}'::timestamptz) AS created_on
            )
            SELECT page.id FROM authors a CROSS JOIN edge CROSS JOIN LATERAL (
                SELECT p.id FROM {post} p
                WHERE p.user_id = a.id{inside} AND p.created_on {reaches} edge.created_on
                ORDER BY {order} LIMIT %s
            ) page
        """
        params = (user.pk, user.pk, *window_params, max(limit - 1, 0), *window_params, limit)
        in_page = RawSQL(f'"{post}"."id" = ANY(ARRAY({ids}))', params, BooleanField())
        fields = ("created_on", "id") if oldest_first else ("-created_on", "-id")
        return Post.objects.filter(in_page).select_related("user").order_by(*fields)[:limit]

    def page(
        self,
        user: AbstractBaseUser,
        *,
        before: Cursor | None,
        limit: int,
        after: Cursor | None = None,
        oldest_first: bool = False,
    ) -> list[Post]:
        posts = list(
            self.page_queryset(
                user, before=before, after=after, limit=limit, oldest_first=oldest_first
            )
        )
        return posts[::-1] if oldest_first else posts


# --- cache -----------------------------------------------------------------------------


def author_timeline_key(author_id: int) -> str:
    return f"social:author-timeline:{author_id}"


def author_timeline_invalidate(author_id: int) -> None:
    cache.delete(author_timeline_key(author_id))


def author_timelines(author_ids: Sequence[int]) -> dict[int, list[FeedKey]]:
    """Each author's newest posts as FeedKeys, newest first; one SQL query for all misses."""
    keys = {author_timeline_key(author_id): author_id for author_id in author_ids}
    cached = optional_read(lambda: cache.get_many(keys), {})  # Redis down: all from SQL
    found = {keys[key]: [tuple(item) for item in value] for key, value in cached.items()}
    missing = [author_id for author_id in author_ids if author_id not in found]
    if missing:
        fresh: dict[int, list[FeedKey]] = {author_id: [] for author_id in missing}
        rank = Window(
            RowNumber(),
            partition_by=F("user_id"),
            order_by=[F("created_on").desc(), F("id").desc()],
        )
        rows = (
            Post.objects.filter(user_id__in=missing)
            .annotate(rank=rank)
            .filter(rank__lte=AUTHOR_TIMELINE_CAP)
            .values_list("user_id", "created_on", "id")
        )
        for author_id, created_on, post_id in rows:
            fresh[author_id].append((to_micros(created_on), post_id))
        for timeline in fresh.values():
            timeline.sort(reverse=True)
        entries = {author_timeline_key(a): timeline for a, timeline in fresh.items()}
        optional_write(lambda: cache.set_many(entries, timeout=AUTHOR_TIMELINE_TTL))
        found.update(fresh)
    return found


MERGED_CACHE_VARIANT = "cache-strategy:merged"


def merged_timeline(user: AbstractBaseUser) -> tuple[list[FeedKey], FeedKey | None]:
    """The reader's newest AUTHOR_TIMELINE_CAP feed keys, merged from the author timelines,
    and the floor below which the merge may miss posts (None: it misses nothing).
    Costs one look at every followee's timeline."""
    followed = list(Follow.objects.filter(follower=user).values_list("followed_id", flat=True))
    timelines = author_timelines([user.pk, *followed])
    # Past the oldest entry of a full (capped) timeline, the merge may miss posts.
    floor = max((t[-1] for t in timelines.values() if len(t) >= AUTHOR_TIMELINE_CAP), default=None)
    merged = list(islice(heapq.merge(*timelines.values(), reverse=True), AUTHOR_TIMELINE_CAP))
    if len(merged) == AUTHOR_TIMELINE_CAP and (floor is None or merged[-1] > floor):
        floor = merged[-1]  # cut here: older entries were left out
    return merged, floor


class CacheFeed:
    """Fan-out on read, with the merge kept per reader.

    Merging every followee's timeline costs a read in proportion to the followees (5000
    of them: 5000 cached lists). So the merged result is kept per reader, under the same
    per-reader version as the cached API pages (project/apicache.py), which the fan-out
    tasks bump for every follower of an author who posts or deletes, and a follow or
    unfollow bumps for the reader: a warm read is one cache round trip and one SQL
    query whatever the followee count. Only the first read after a change merges.
    """

    name = "cache"

    def page(
        self,
        user: AbstractBaseUser,
        *,
        before: Cursor | None,
        limit: int,
        after: Cursor | None = None,
        oldest_first: bool = False,
    ) -> list[Post]:
        merged, floor = apicache.cached(
            RESPONSE_CACHE_SCOPE, user.pk, MERGED_CACHE_VARIANT, lambda: merged_timeline(user)
        )
        window = dict(before=before, after=after, limit=limit, oldest_first=oldest_first)
        picked = _window(merged, floor, **window)
        if picked is None:
            return JoinFeed().page(user, **window)
        return _posts_in_order(picked)


# --- write -----------------------------------------------------------------------------


def ready_seconds() -> int:
    """How long a stored feed counts as complete: until its reader would count as
    inactive (SOCIAL_FEED_INACTIVE_DAYS after being seen) and stop getting fan-out, less
    an hour for the throttled last_seen writes."""
    return max(settings.SOCIAL_FEED_INACTIVE_DAYS * 86400 - 3600, 60)


class RedisFeedStore:
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

    def page(
        self,
        owner_id: int,
        *,
        before: Cursor | None,
        limit: int,
        after: Cursor | None = None,
        oldest_first: bool = False,
    ) -> list[FeedKey] | None:
        """The page's keys, newest first; None when the stored feed cannot answer it (not
        known to be complete, or the page reaches below what a full set holds)."""
        top = "+inf" if before is None else before.key[0]
        bottom = "-inf" if after is None else after.key[0]
        key, num = self.key(owner_id), limit + self.TIE_SLACK
        with self.client.pipeline(transaction=False) as pipe:
            pipe.exists(self.ready_key(owner_id))
            if oldest_first:
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
        return _window(
            keys, floor, before=before, after=after, limit=limit, oldest_first=oldest_first
        )

    def bytes_per_entry(self, owner_id: int) -> float:
        """Redis's own account (MEMORY USAGE) of one stored feed, per entry."""
        key = self.key(owner_id)
        size = self.client.zcard(key)
        return self.client.memory_usage(key, samples=0) / size if size else 0.0


class DatabaseFeedStore:
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

    def page(
        self,
        owner_id: int,
        *,
        before: Cursor | None,
        limit: int,
        after: Cursor | None = None,
        oldest_first: bool = False,
    ) -> list[FeedKey] | None:
        if not self.is_ready(owner_id):
            return None
        entries = FeedEntry.objects.filter(owner_id=owner_id)
        if before is not None:
            entries = entries.filter(
                Q(created_on__lt=before.created_on)
                | Q(created_on=before.created_on, post_id__lt=before.post_id)
            )
        if after is not None:
            entries = entries.filter(
                Q(created_on__gt=after.created_on)
                | Q(created_on=after.created_on, post_id__gt=after.post_id)
            )
        order = ("created_on", "post_id") if oldest_first else ("-created_on", "-post_id")
        rows = entries.order_by(*order).values_list("created_on", "post_id")[:limit]
        keys = [(to_micros(created), post_id) for created, post_id in rows]
        return sorted(keys, reverse=True)


FeedStore = RedisFeedStore | DatabaseFeedStore


def feed_store() -> FeedStore:
    client = redis_client()
    return RedisFeedStore(client) if client is not None else DatabaseFeedStore()


REBUILD_CLAIM_SECONDS = 60


class WriteFeed:
    name = "write"

    def page(
        self,
        user: AbstractBaseUser,
        *,
        before: Cursor | None,
        limit: int,
        after: Cursor | None = None,
        oldest_first: bool = False,
    ) -> list[Post]:
        window = dict(before=before, after=after, limit=limit, oldest_first=oldest_first)
        store = feed_store()
        keys = store.page(user.pk, **window)
        if keys is None:
            if not store.is_ready(user.pk):  # SQL now, the stored feed rebuilt meanwhile
                _queue_rebuild(user.pk)
            return JoinFeed().page(user, **window)
        return _posts_in_order(keys)


def _queue_rebuild(user_id: int) -> None:
    claim = f"social:feed-rebuild:{user_id}"
    if optional_read(lambda: cache.add(claim, 1, REBUILD_CLAIM_SECONDS), False):
        from social.tasks import feed_rebuild_task  # tasks -> services -> feeds

        feed_rebuild_task.delay(user_id=user_id)


STRATEGIES = {strategy.name: strategy for strategy in (JoinFeed(), CacheFeed(), WriteFeed())}


# --- cached API pages ----------------------------------------------------------------------
#
# Each reader's cached feed pages hang on a per-reader version (project/apicache.py). A
# request that changes what a reader sees drops that reader's version only when the reader
# is the one acting (own post, own follow). Everyone else who reads an author (followers)
# is reached by the fan-out tasks in social/tasks.py, in chunks, whatever the strategy: the
# request's cost never depends on the follower count.


def forget_cached_pages(owner_ids: Iterable[int]) -> None:
    """Drop these readers' cached pages now and again after commit (for requests)."""
    apicache.invalidate_on_commit(RESPONSE_CACHE_SCOPE, owner_ids)


def forget_cached_pages_now(owner_ids: Iterable[int]) -> None:
    """The same from a task, which runs outside any transaction."""
    apicache.invalidate(RESPONSE_CACHE_SCOPE, owner_ids)


def feed_strategy(name: str | None = None):
    return STRATEGIES[name or settings.SOCIAL_FEED_STRATEGY]
