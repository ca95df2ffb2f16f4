from collections.abc import Callable

from django.db import transaction


def now_and_after_commit(drop: Callable[[], None]) -> None:
    """Run a cache drop now, so the writing transaction itself reads fresh data, and
    again after commit, since a reader racing the transaction may have cached the old
    state meanwhile. `drop` must capture plain values: a deleted instance has lost its pk
    by commit time.

    With the cache unreachable, the first drop raises and the transaction rolls back:
    the write answers 503 and nothing is half done. The second runs after the commit,
    when failing can no longer undo anything: it is logged (robust) and the answer
    stands; the entry it missed expires with its timeout."""
    drop()
    transaction.on_commit(drop, robust=True)
