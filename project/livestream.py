"""Live events over Redis, served as Server-Sent Events: per user, or on shared channels.

Reusable by any app (the social timeline, Mastodon's streaming API): `publish()` sends an
event to some users, `event_stream()` yields one user's events as SSE text;
`channel_publish()` and `channel_stream()` do the same for named channels anyone may
read (a public timeline, a hashtag). Both kinds share the code below.

Each event is appended to the user's (or channel's) Redis Stream (capped at BACKLOG
entries, expiring after BACKLOG_SECONDS), which gives it the id sent as `id:` and lets
a reconnecting EventSource resume after its `Last-Event-ID`; and it is announced on the
stream's pub/sub channel, which wakes the open connections at once. A connection
subscribes before it reads the backlog, so an event published in between is never lost
(ids dedupe it).

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


def _shared_key(name: str) -> str:
    return f"live:channel:{name}"


def _wake(key: str) -> str:
    return f"{key}:wake"


def is_available() -> bool:
    return redis_client() is not None


def publish(user_ids: Iterable[int], event: str, data: dict) -> int:
    """Send `event` with JSON `data` to each user; returns how many it reached. Best
    effort: without Redis, or with Redis down, nothing is sent (readers then see the news
    on their next page load) and the caller's work goes on."""
    return _publish([_stream_key(user_id) for user_id in user_ids], event, data)


def channel_publish(names: Iterable[str], event: str, data: dict) -> int:
    """Send `event` with JSON `data` on each shared channel (anyone may read them: put
    nothing private there); returns how many it reached. Best effort, as `publish()`."""
    return _publish([_shared_key(name) for name in names], event, data)


def _publish(keys: list[str], event: str, data: dict) -> int:
    client = redis_client()
    keys = list(dict.fromkeys(keys))
    if client is None or not keys:
        return 0
    payload = json.dumps(data, separators=(",", ":"))
    try:
        # Two round trips for any number of streams: the appends, then the wake-ups.
        with client.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.xadd(key, {"event": event, "data": payload}, maxlen=BACKLOG, approximate=True)
                pipe.expire(key, BACKLOG_SECONDS)
            replies = pipe.execute()
        with client.pipeline(transaction=False) as pipe:
            for key, event_id in zip(keys, replies[::2], strict=True):
                pipe.publish(_wake(key), f"{event_id.decode()} {event} {payload}")
            pipe.execute()
    except redis.RedisError:
        logger.warning("live events not published (Redis unavailable)", exc_info=True)
        return 0
    return len(keys)


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


def release_database() -> None:
    """Give back the worker's database connections (a stream holds none while it waits).
    Not inside a transaction (a test's), which must stay."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def without_database(events: Iterator[str]) -> Iterator[str]:
    """Wrap a stream for StreamingHttpResponse: once the response starts (the view and
    middleware have done their queries), the worker's database connections are given
    back for as long as it lasts. A stream that renders events from the database calls
    `release_database()` again after each."""
    release_database()
    yield from events


def _order(event_id: str) -> tuple[int, int]:
    millis, sequence = event_id.split("-")
    return int(millis), int(sequence)


def _sse(event_id: str, event: str, data: str) -> str:
    return f"id: {event_id}\nevent: {event}\ndata: {data}\n\n"


# Turns a stored event into what is sent: (event, data text), or None to drop it.
Render = Callable[[str, dict], tuple[str, str] | None]


def event_stream(
    user_id: int,
    *,
    after: str | None,
    max_seconds: float,
    heartbeat_seconds: float,
    keep: Callable[[str, dict], bool] = lambda event, data: True,
    render: Render | None = None,
    retry: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[str]:
    """The user's events as SSE text, those after `after` (an id) first, then live ones,
    for at most `max_seconds`. `keep(event, data)` drops events this reader should not
    see; `render(event, data)`, if given, decides instead what is sent. The first chunk
    tells EventSource how soon to reconnect (`retry:`), or with `retry=False` (clients
    that choke on a field without an event, such as Mastodon.py) is a comment. Subscribes
    before reading the backlog: nothing falls in between."""
    return _events(
        [_stream_key(user_id)],
        after=after,
        max_seconds=max_seconds,
        heartbeat_seconds=heartbeat_seconds,
        render=render or _kept(keep),
        retry=retry,
        clock=clock,
    )


def channel_stream(
    names: Iterable[str],
    *,
    after: str | None,
    max_seconds: float,
    heartbeat_seconds: float,
    render: Render,
    retry: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[str]:
    """The events of these shared channels as SSE text, as `event_stream()` does for a
    user's. `after` applies to each channel (ids are times, so it resumes all of them)."""
    return _events(
        [_shared_key(name) for name in names],
        after=after,
        max_seconds=max_seconds,
        heartbeat_seconds=heartbeat_seconds,
        render=render,
        retry=retry,
        clock=clock,
    )


def _kept(keep: Callable[[str, dict], bool]) -> Render:
    def render(event: str, data: dict) -> tuple[str, str] | None:
        return (event, json.dumps(data, separators=(",", ":"))) if keep(event, data) else None

    return render


def _events(
    keys: list[str],
    *,
    after: str | None,
    max_seconds: float,
    heartbeat_seconds: float,
    render: Render,
    retry: bool,
    clock: Callable[[], float],
) -> Iterator[str]:
    client = redis_client()
    if client is None:
        return
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    key_of_wake = {_wake(key).encode(): key for key in keys}

    def sent(event_id: str, event: str, data: str) -> str | None:
        rendered = render(event, json.loads(data))
        return _sse(event_id, *rendered) if rendered is not None else None

    try:
        pubsub.subscribe(*key_of_wake)
        yield f"retry: {RETRY_MILLISECONDS}\n\n" if retry else ": subscribed\n\n"
        last = dict.fromkeys(keys, after or "0-0")  # per stream: their ids are not shared
        if after is not None:
            for key in keys:
                for raw_id, fields in client.xrange(key, min=f"({after}", count=BACKLOG):
                    last[key] = raw_id.decode()
                    text = sent(last[key], fields[b"event"].decode(), fields[b"data"].decode())
                    if text is not None:
                        yield text
        started = clock()
        next_beat = started + heartbeat_seconds
        while (now := clock()) < started + max_seconds:
            # At most a second per wait: the deadline and the heartbeat are checked often.
            wait = max(0.0, min(next_beat, started + max_seconds) - now, 0.05)
            message = pubsub.get_message(timeout=min(wait, 1.0))
            if message is not None and message.get("type") == "message":
                key = key_of_wake[message["channel"]]
                event_id, event, data = message["data"].decode().split(" ", 2)
                if _order(event_id) > _order(last[key]):
                    last[key] = event_id
                    text = sent(event_id, event, data)
                    if text is not None:
                        yield text
            if clock() >= next_beat:
                yield ": heartbeat\n\n"
                next_beat = clock() + heartbeat_seconds
    except redis.RedisError:
        logger.warning("live stream of %s ended: Redis unavailable", ", ".join(keys[:3]))
    finally:
        pubsub.close()
