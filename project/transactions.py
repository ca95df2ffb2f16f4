from collections.abc import Callable

from django.db import transaction


def now_and_after_commit(drop: Callable[[], None]) -> None:
    """Run a cache drop now, so the writing transaction itself reads fresh data, and
    again after commit, since a reader racing the transaction may have cached the old
    state meanwhile. `drop` must capture plain values: a deleted instance has lost its pk
    by commit time."""
    drop()
    transaction.on_commit(drop)
