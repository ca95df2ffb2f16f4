"""`cache`: fan-out on read over per-author timelines kept in the Django cache."""

import heapq
from collections.abc import Sequence
from itertools import islice

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from project import apicache
from project.cache import optional_read, optional_write
from social.feeds.join import JoinFeed
from social.feeds.pages import RESPONSE_CACHE_SCOPE
from social.feeds.window import FeedKey, FeedWindow, Paged, posts_in_order, to_micros
from social.models import Follow, Post

AUTHOR_TIMELINE_CAP = 200  # recent posts cached per author by the `cache` strategy
AUTHOR_TIMELINE_TTL = 60 * 60
MERGED_CACHE_VARIANT = "cache-strategy:merged"


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


class CacheFeed(Paged):
    """Fan-out on read, with the merge kept per reader.

    Merging every followee's timeline costs a read in proportion to the followees (5000
    of them: 5000 cached lists). So the merged result is kept per reader, under the same
    per-reader version as the cached API pages (project/apicache.py), which the fan-out
    tasks bump for every follower of an author who posts or deletes, and a follow or
    unfollow bumps for the reader: a warm read is one cache round trip and one SQL
    query whatever the followee count. Only the first read after a change merges.
    """

    name = "cache"

    def read(self, user: AbstractBaseUser, window: FeedWindow) -> list:
        merged, floor = apicache.cached(
            RESPONSE_CACHE_SCOPE, user.pk, MERGED_CACHE_VARIANT, lambda: merged_timeline(user)
        )
        picked = window.pick(merged, floor)
        if picked is None:
            return JoinFeed().read(user, window)
        return posts_in_order(picked)
