"""Live events for one user at a time, over Redis, served as Server-Sent Events.

Reusable by any app (the social timeline, a Mastodon-style streaming API): `publish()`
sends an event to some users, `event_stream()` yields one user's events as SSE text.

Each event is appended to the user's Redis Stream (capped at BACKLOG entries, expiring
after BACKLOG_SECONDS), which gives it the id sent as `id:` and lets a reconnecting
EventSource resume after its `Last-Event-ID`; and it is announced on the user's pub/sub
channel, which wakes the open connections at once. A connection subscribes before it
reads the backlog, so an event published in between is never lost (ids dedupe it).

A connection lives at most `max_seconds` (then the browser's EventSource reconnects,
resuming from its last id), so a WSGI worker is never held for good; a comment line
every `heartbeat_seconds` keeps proxies from closing an idle connection and notices a
reader who left. Without REDIS_URL there is nothing to stream: callers poll instead.
"""

import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator

import redis
from django.db import connections

from project.redis import redis_client

logger = logging.getLogger(__name__)

BACKLOG = 200  # events kept per user for resuming
BACKLOG_SECONDS = 3600  # an idle user's backlog goes after this
RETRY_MILLISECONDS = 3000  # how soon EventSource reconnects after a connection ends
STREAM_ID = re.compile(r"^\d{1,20}-\d{1,20}$")


def _stream_key(user_id: int) -> str:
    return f"live:{user_id}"


def _channel(user_id: int) -> str:
    return f"live:{user_id}:wake"


def is_available() -> bool:
    return redis_client() is not None


def publish(user_ids: Iterable[int], event: str, data: dict) -> int:
    """Send `event` with JSON `data` to each user; returns how many it reached. Best
    effort: without Redis, or with Redis down, nothing is sent (readers then see the news
    on their next page load) and the caller's work goes on."""
    client = redis_client()
    user_ids = list(dict.fromkeys(user_ids))
    if client is None or not user_ids:
        return 0
    payload = json.dumps(data, separators=(",", ":"))
    try:
        # Two round trips for any number of users: the appends, then the wake-ups.
        with client.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                key = _stream_key(user_id)
                pipe.xadd(key, {"event": event, "data": payload}, maxlen=BACKLOG, approximate=True)
                pipe.expire(key, BACKLOG_SECONDS)
            replies = pipe.execute()
        with client.pipeline(transaction=False) as pipe:
            for user_id, event_id in zip(user_ids, replies[::2], strict=True):
                pipe.publish(_channel(user_id), f"{event_id.decode()} {event} {payload}")
            pipe.execute()
    except redis.RedisError:
        logger.warning("live events not published (Redis unavailable)", exc_info=True)
        return 0
    return len(user_ids)


def last_event_id(user_id: int) -> str:
    """The id of the user's newest event ("0-0" when none): a page rendered now passes it
    to its stream, so nothing published after the render is missed."""
    client = redis_client()
    if client is None:
        return "0-0"
    try:
        newest = client.xrevrange(_stream_key(user_id), count=1)
    except redis.RedisError:
        return "0-0"
    return newest[0][0].decode() if newest else "0-0"


def valid_event_id(value: str | None) -> str | None:
    """A Last-Event-ID as sent by a client, if it is one of ours."""
    if value and STREAM_ID.match(value.strip()):
        return value.strip()
    return None


def without_database(events: Iterator[str]) -> Iterator[str]:
    """Wrap a stream for StreamingHttpResponse: once the response starts (the view and
    middleware have done their queries), the worker's database connections are given
    back for as long as it lasts; a stream needs none. Not inside a transaction (a
    test's), which must stay."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
    yield from events


def _order(event_id: str) -> tuple[int, int]:
    millis, sequence = event_id.split("-")
    return int(millis), int(sequence)


def _sse(event_id: str, event: str, data: str) -> str:
    return f"id: {event_id}\nevent: {event}\ndata: {data}\n\n"


def event_stream(
    user_id: int,
    *,
    after: str | None,
    max_seconds: float,
    heartbeat_seconds: float,
    keep: Callable[[str, dict], bool] = lambda event, data: True,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[str]:
    """The user's events as SSE text, those after `after` (an id) first, then live ones,
    for at most `max_seconds`. `keep(event, data)` drops events this reader should not
    see. Subscribes before reading the backlog: nothing falls in between."""
    client = redis_client()
    if client is None:
        return
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    try:
        pubsub.subscribe(_channel(user_id))
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        last = after or "0-0"
        if after is not None:
            backlog = client.xrange(_stream_key(user_id), min=f"({after}", count=BACKLOG)
            for raw_id, fields in backlog:
                event_id, event = raw_id.decode(), fields[b"event"].decode()
                data = fields[b"data"].decode()
                last = event_id
                if keep(event, json.loads(data)):
                    yield _sse(event_id, event, data)
        started = clock()
        next_beat = started + heartbeat_seconds
        while (now := clock()) < started + max_seconds:
            # At most a second per wait: the deadline and the heartbeat are checked often.
            wait = max(0.0, min(next_beat, started + max_seconds) - now, 0.05)
            message = pubsub.get_message(timeout=min(wait, 1.0))
            if message is not None and message.get("type") == "message":
                event_id, event, data = message["data"].decode().split(" ", 2)
                if _order(event_id) > _order(last):
                    last = event_id
                    if keep(event, json.loads(data)):
                        yield _sse(event_id, event, data)
            if clock() >= next_beat:
                yield ": heartbeat\n\n"
                next_beat = clock() + heartbeat_seconds
    except redis.RedisError:
        logger.warning("live stream for user %s ended: Redis unavailable", user_id)
    finally:
        pubsub.close()
