"""Read cost at 10k, 100k and 1M rows: each list and search over HTTP, with its growth factor.

Each size means that many snaps, posts, photos, recipes and issues, plus users (6% of
the rows, at least 5,010 so that a reader can follow 5,000 people at every size) and
background follows (a tenth of the rows). Rows are generated inside PostgreSQL
(`INSERT ... SELECT FROM generate_series`), so 1M rows in each table take minutes,
not hours of ORM saves; the sizes are reached one after the other by topping up.

Every read goes through Django's test client (the whole middleware, view, template
or serializer path, DEBUG off), signed in so no anonymous page cache answers, with
the per-owner API cache switched off (API_CACHE_SECONDS=0): what is measured is the
work a cache miss costs. Each cell is the median of ROUNDS round medians of
REQUESTS requests. The growth factor is the cost at the largest size over the cost
at the smallest (target: at most 1.5), each taken relative to a yardstick read of
fixed cost (one snap's page) timed in the same rounds: on a shared machine the speed
of everything drifts by a third within a minute, and sizes are minutes apart. Beside
the times, the buffer pages each read's SELECTs touch (EXPLAIN ANALYZE, BUFFERS) show
without any drift whether a read scans more as the tables grow.

Run: `.venv/bin/python -m benchmarks scale` (quick: 10k and 100k) or
`.venv/bin/python -m benchmarks.scale --sizes 10k,100k,1m` (full), `--strict` to
exit non-zero for each missed target.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

TARGET = 1.5
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 5))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 3))
MIN_USERS = 5_010
FOLLOWEE_COUNTS = (0, 10, 1000, 5000)
DEEP_PAGE = 50  # rows 981-1000 at 20 per page: the same depth at every size
SEARCH_WORD = "word42"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def parse_sizes(text: str) -> list[int]:
    try:
        return sorted({SIZES[part.strip().lower()] for part in text.split(",") if part.strip()})
    except KeyError as missing:
        raise argparse.ArgumentTypeError(
            f"unknown size {missing}; use {', '.join(SIZES)}"
        ) from None


def label(size: int) -> str:
    return next(name for name, rows in SIZES.items() if rows == size)


# --- seeding -----------------------------------------------------------------------


def _insert_series(model, start: int, stop: int, columns: dict[str, str], where: str = "") -> None:
    """INSERT rows g = start+1 .. stop into `model`'s table, each column an SQL expression
    of `g`; every other column gets the field's default (or NULL), so fields added by
    other work keep this seeding valid. Rows whose `where` is false, or that would break
    a unique constraint, are skipped."""
    from django.db import connection

    if stop <= start:
        return
    names, values, params = [], [], []
    for f in model._meta.concrete_fields:
        if getattr(f, "generated", False) or (f.primary_key and f.column not in columns):
            continue
        names.append(connection.ops.quote_name(f.column))
        if f.column in columns:
            values.append(columns[f.column].replace("%", "%%"))  # `%` is psycopg's
        elif f.has_default() or (f.empty_strings_allowed and not f.null):
            values.append("%s")  # the default, or "" for a blank text column
            params.append(f.get_db_prep_save(f.get_default(), connection))
        elif f.null:
            values.append("NULL")
        else:
            raise RuntimeError(f"seeding {model.__name__}: no value for {f.column}")
    table = connection.ops.quote_name(model._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"SELECT {', '.join(values)} FROM generate_series(%s, %s) AS g "
        f"{'WHERE ' + where.replace('%', '%%') if where else ''} ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, start + 1, stop])


@dataclass
class World:
    """What the measurements need to know about the seeded data."""

    rows: int = 0
    users: int = 0
    readers: dict[int, int] = field(default_factory=dict)  # followee count -> user id
    photographer: str = ""
    repository_id: int = 0
    user_base: int = 0
    yardstick_key: str = ""


def _user_count(rows: int) -> int:
    return max(MIN_USERS, rows * 6 // 100)


def _base(world: World) -> None:
    """Readers, the photographer and Hublot's repository: created once, first."""
    from accounts.models import User
    from hublot.models import Repository
    from snaps.models import Snap, SnapFile

    readers = {
        n: User.objects.create(username=f"reader{n}", email=f"reader{n}@example.com")
        for n in FOLLOWEE_COUNTS
    }
    world.readers = {n: u.pk for n, u in readers.items()}
    world.photographer = User.objects.create(
        username="photographer", email="p@example.com"
    ).username
    world.repository_id = Repository.objects.create(owner="hublot", name="hublot").pk
    yardstick = Snap.objects.create(user_id=world.readers[0])
    SnapFile.objects.create(snap=yardstick, name="yardstick", extension="py", content="print('hi')")
    world.yardstick_key = yardstick.hash_key
    Repository.objects.bulk_create(Repository(owner="other", name=f"repo{i}") for i in range(20))


def seed(world: World, rows: int) -> float:
    """Top the data up to `rows` rows per table; returns the seconds it took."""
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from accounts.models import User
    from hublot.models import Issue, Repository
    from photos.models import Photo
    from recipes.models import Recipe
    from snaps.models import Snap, SnapFile
    from social.models import Follow, Post

    started = time.perf_counter()
    if not world.readers:
        _base(world)
        world.user_base = User.objects.aggregate(top=Max("pk"))["top"]
    before, users_before, users = world.rows, world.users, _user_count(rows)
    base = world.user_base  # seeded user g has the id base + g
    epoch = (timezone.now() - timedelta(days=400)).isoformat()
    when = f"'{epoch}'::timestamptz + g * interval '1 second'"
    _insert_series(User, users_before, users, {
        "id": f"{base} + g",
        "username": "'user' || g",
        "email": "'user' || g || '@example.com'",
        "password": "'!'",
        "first_name": "'Person ' || g",
        "date_joined": when,
    })  # fmt: skip
    with connection.cursor() as cursor:
        table = User._meta.db_table
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {base + users})")
    author = f"{base} + 1 + (g % {users})"  # spread over every user seeded so far
    snap_key = "md5(g::text) || substr(md5('k' || g::text), 1, 8)"
    _insert_series(Snap, before, rows, {
        "user_id": author,
        "hash_key": snap_key,
        "visibility": "CASE g % 20 WHEN 0 THEN 'unlisted' WHEN 1 THEN 'private' ELSE 'public' END",
        "created_on": when,
    })  # fmt: skip
    _insert_series(SnapFile, before, rows, {  # each snap's one file, found by its key
        "snap_id": f"(SELECT id FROM snaps_snap WHERE hash_key = {snap_key})",
        "position": "0",
        "name": "'snap ' || g",
        "extension": "'py'",
        "content": "'def f' || g || '():  # word' || (g % 997) || E'\\n    return ' || g",
    })  # fmt: skip
    _insert_series(Post, before, rows, {
        "user_id": author,
        "content": "'post ' || g || ' word' || (g % 997)",
        "created_on": when,
    })  # fmt: skip
    photographer = User.objects.get(username=world.photographer).pk
    _insert_series(Photo, before, rows, {
        # One photo in 20 is the photographer's: their stream grows with the table.
        "user_id": f"CASE WHEN g % 20 = 0 THEN {photographer} ELSE {author} END",
        "image": "'photos/seed' || g || '.jpg'",
        "thumbnail": "'photos/thumbnails/seed' || g || '.jpg'",
        "comment": "'photo ' || g",
        "width": "640", "height": "480", "size": "50000",
        "sha256": "md5(g::text) || md5('s' || g::text)",
        "created_on": when,
    })  # fmt: skip
    _insert_series(Recipe, before, rows, {
        "user_id": author,
        "title": "'Recipe ' || g || ' word' || (g % 997)",
        "ingredients": "E'flour\\nwater\\nsalt ' || g",
        "instructions": "'Mix and bake.'",
        "servings": "1 + g % 8",
        "total_time_minutes": "5 + g % 120",
        "created_on": when,
        "updated_on": when,
    })  # fmt: skip
    others = list(
        Repository.objects.exclude(pk=world.repository_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Half of the issues are Hublot's own; the rest spread over 20 other repositories.
    _insert_series(Issue, before, rows, {
        "repository_id": f"CASE WHEN g % 2 = 0 THEN {world.repository_id} "
                         f"ELSE {others[0]} + (g % {len(others)}) END",
        "number": "g",
        "title": "'Issue ' || g || ' word' || (g % 997)",
        "state": "CASE WHEN g % 10 < 3 THEN 'open' ELSE 'closed' END",
        # Labels by g % 7, independent of the repository (g % 2) and state (g % 10): every
        # filter combination matches some issues in every state, as in a real tracker.
        "labels": "CASE g % 7 WHEN 0 THEN '[\"bug\"]'::jsonb "
                  "WHEN 1 THEN '[\"enhancement\", \"ui\"]'::jsonb ELSE '[]'::jsonb END",
        "author": "'user' || (g % 300)",
        "is_pull_request": "g % 4 = 0",
        "opened_at": when,
        "updated_at": when,
    })  # fmt: skip
    # Background follows: arithmetic pairs, a few repeat (skipped as conflicts).
    _insert_series(Follow, before // 10, rows // 10, {
        "follower_id": f"{base} + 1 + (g * 7919 % {users})",
        "followed_id": f"{base} + 1 + (g % {users})",
    }, where=f"g * 7919 % {users} <> g % {users}")  # fmt: skip
    if not users_before:  # each reader follows the first n seeded users
        for n, reader in world.readers.items():
            _insert_series(Follow, 0, n, {"follower_id": str(reader), "followed_id": f"{base} + g"})
    with connection.cursor() as cursor:
        # As autovacuum would leave a live site: statistics, and the visibility map that
        # lets index-only scans (the bounded counts) skip the table.
        cursor.execute("VACUUM ANALYZE")
    world.rows, world.users = rows, users
    return time.perf_counter() - started


# --- measuring ---------------------------------------------------------------------


@dataclass
class Read:
    name: str
    path: Callable[[World], str]
    as_user: Callable[[World], int | str]  # user id or username to sign in as
    strategy: str | None = None
    target: bool = True


def reads(only: str = "") -> list[Read]:
    """Every read, or those whose name contains one of the comma-separated parts of `only`."""
    parts = [part.strip().lower() for part in only.split(",")]
    return [read for read in all_reads() if any(part in read.name.lower() for part in parts)]


def all_reads() -> list[Read]:
    anyone: Callable[[World], int] = lambda w: w.readers[10]  # noqa: E731
    hublot_filters = "state=open&label=bug"
    api_filters = "state=open&label=bug&is_pull_request=false"
    listed = [
        Read("snaps list p1 (web)", lambda w: "/snaps/", anyone),
        Read(f"snaps list p{DEEP_PAGE} (web)", lambda w: f"/snaps/?page={DEEP_PAGE}", anyone),
        Read("snaps list p1 (API)", lambda w: "/api/v1/snaps/", anyone),
        Read(
            f"snaps list p{DEEP_PAGE} (API)", lambda w: f"/api/v1/snaps/?page={DEEP_PAGE}", anyone
        ),
        Read("snap search (API)", lambda w: f"/api/v1/snaps/?search={SEARCH_WORD}", anyone),
    ]
    for strategy in ("join", "cache", "write"):
        for n in FOLLOWEE_COUNTS:
            listed.append(
                Read(f"feed, {n} followees ({strategy})", lambda w: "/social/",
                     lambda w, n=n: w.readers[n], strategy=strategy)
            )  # fmt: skip
    listed += [
        Read("people p1", lambda w: "/social/people/", anyone),
        Read(f"people p{DEEP_PAGE}", lambda w: f"/social/people/?page={DEEP_PAGE}", anyone),
        Read("user's photos (API)", lambda w: f"/api/v1/users/{w.photographer}/photos/", anyone),
        Read("own photos (web)", lambda w: "/photos/", lambda w: w.photographer),
        Read("recipe list (web)", lambda w: "/recipes/", anyone),
        Read("recipe list (API)", lambda w: "/api/v1/recipes/", anyone),
        Read("recipe search (API)", lambda w: f"/api/v1/recipes/?search={SEARCH_WORD}", anyone),
        Read("Hublot issues, filtered (web)",
             lambda w: f"/hublot/{w.repository_id}/?{hublot_filters}", anyone),
        Read("Hublot issues, filtered (API)",
             lambda w: f"/api/v1/repositories/{w.repository_id}/issues/?{api_filters}", anyone),
    ]  # fmt: skip
    return listed


@dataclass
class Cell:
    ms: float
    queries: int
    status: int
    relative: float  # to the yardstick in the same rounds
    pages: int  # PostgreSQL buffer pages its SELECTs touch: drift-free evidence of scanning


def _pages_touched(sqls: list[str]) -> int:
    """Shared buffer pages (hit or read) the plans of these SELECTs touch, from
    EXPLAIN (ANALYZE, BUFFERS): unlike time, it does not drift with the machine's load."""
    from django.db import connection

    touched = 0
    with connection.cursor() as cursor:
        for sql in sqls:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            top = plan[0]["Plan"]
            touched += top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    return touched


def _prepare_feeds(world: World) -> None:
    """The `write` store and the `cache` timelines as a running site would hold them."""
    from social.services import feed_rebuild

    feed_rebuild(user_ids=list(world.readers.values()))


def _client(clients: dict, who: int | str):
    """A test client signed in as `who` (a user id or username), one per user."""
    from django.test import Client

    from accounts.models import User

    if who not in clients:
        clients[who] = Client()
        lookup = {"pk": who} if isinstance(who, int) else {"username": who}
        clients[who].force_login(User.objects.get(**lookup))
    return clients[who]


def _timed(client, path: str) -> float:
    """The median of REQUESTS requests, in seconds."""
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(path)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def measure(world: World, read: Read, clients: dict) -> Cell:
    """The read's cost, and its cost relative to the yardstick: a read whose cost does
    not depend on the table sizes (one snap's page by its key), timed next to it in
    every round so a busy machine's drift stays out of the growth factor."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    client, path = _client(clients, read.as_user(world)), read.path(world)
    yardstick, yardstick_path = _client(clients, world.readers[0]), f"/snaps/{world.yardstick_key}/"
    overrides = {"SOCIAL_FEED_STRATEGY": read.strategy} if read.strategy else {}
    with override_settings(**overrides):
        response = client.get(path)  # warm: connections, caches, code paths
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        query_count = len(queries)  # now: the next request clears the log it reads
        pages = _pages_touched([query["sql"] for query in queries.captured_queries])
        rounds, ratios = [], []
        for _ in range(ROUNDS):
            rounds.append(_timed(client, path))
            ratios.append(rounds[-1] / _timed(yardstick, yardstick_path))
    return Cell(
        statistics.median(rounds) * 1000,
        query_count,
        response.status_code,
        statistics.median(ratios),
        pages,
    )


def run(sizes: list[int], only: str = "") -> tuple[dict[tuple[str, int], Cell], dict[int, float]]:
    from django.conf import settings

    results: dict[tuple[str, int], Cell] = {}
    seeded: dict[int, float] = {}
    world = World()
    for size in sizes:
        seeded[size] = seed(world, size)
        print(f"seeded {label(size)} rows per table, {world.users} users, in {seeded[size]:.0f} s",
              file=sys.stderr, flush=True)  # fmt: skip
        _prepare_feeds(world)
        clients: dict = {}
        for read in reads(only):
            results[(read.name, size)] = measure(world, read, clients)
        assert settings.API_CACHE_SECONDS == 0
    return results, seeded


def report(
    results, seeded: dict[int, float], sizes: list[int], strict: bool, only: str = ""
) -> int:
    first, last = sizes[0], sizes[-1]
    head = " | ".join(label(s) for s in sizes)
    print(
        f"Median of {ROUNDS} rounds x {REQUESTS} requests, Django test client, signed in, "
        f"API cache off. Seeding took {', '.join(f'{seeded[s]:.0f} s' for s in sizes)}.\n"
        "growth = cost at the largest size / cost at the smallest, each taken relative to a "
        "fixed-cost yardstick read in the same rounds (raw: the plain ratio of the medians); "
        "pages: PostgreSQL buffer pages the read's SELECTs touch (EXPLAIN ANALYZE, BUFFERS), "
        "which grow when something scans and do not drift with the machine's load.\n"
    )
    print(f"| read | {head} | growth {label(last)} / {label(first)} | raw | pages |")
    print("|---|" + "---|" * (len(sizes) + 3))
    missed, broken = [], []
    for read in reads(only):
        cells = [results[(read.name, s)] for s in sizes]
        growth, raw = cells[-1].relative / cells[0].relative, cells[-1].ms / cells[0].ms
        pages = cells[-1].pages / max(cells[0].pages, 1)
        verdict = "" if growth <= TARGET else " MISSED"
        text = " | ".join(f"{c.ms:.1f} ms, {c.queries} q, {c.pages} p" for c in cells)
        print(f"| {read.name} | {text} | {growth:.2f}x{verdict} | {raw:.2f}x | {pages:.2f}x |")
        if any(c.status != 200 for c in cells):
            broken.append(f"{read.name}: HTTP {[c.status for c in cells]}")
        elif len(sizes) > 1 and growth > TARGET:
            why = (
                "pages grow too"
                if pages > TARGET
                else "pages flat: CPU work, or the machine's noise"
            )
            missed.append(
                f"{read.name}: {growth:.2f}x from {label(first)} to {label(last)} ({why})"
            )
    print(f"\nTarget: every read grows at most {TARGET}x from {label(first)} to {label(last)}.")
    for line in broken:
        print(f"ERROR {line}")
    for line in missed:
        print(f"MISSED {line} (target {TARGET}x)")
    if not missed and not broken:
        print("All targets met.")
    return 1 if broken or (strict and missed) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes("10k,100k"),
        help="comma-separated, of 10k, 100k, 1m (default 10k,100k; full: 10k,100k,1m)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated: measure only the reads whose names contain one of these",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    os.environ["API_CACHE_SECONDS"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from benchmarks.setup import django_with_services

    with django_with_services():
        from django.test.utils import setup_test_environment

        setup_test_environment()  # DEBUG off, `testserver` allowed, mail kept in memory
        results, seeded = run(args.sizes, args.only)
        return report(results, seeded, args.sizes, args.strict, args.only)


if __name__ == "__main__":
    raise SystemExit(main())
