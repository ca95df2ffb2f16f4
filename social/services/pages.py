"""Cached feed pages that show something of an author (a count, a name, an edit)."""

from django.db import transaction

from social.feeds import forget_cached_pages


def feed_pages_forget_for_readers_of(author_id: int) -> None:
    """Drop the author's own cached pages now and their readers' in a task once committed,
    so the request does no per-reader work whatever the follower count. A broker failing
    after commit is logged, never the request's error: those pages then expire with
    API_CACHE_SECONDS."""
    from social import tasks  # tasks import the services

    forget_cached_pages([author_id])
    transaction.on_commit(
        lambda: tasks.feed_forget_pages_task.delay(author_id=author_id), robust=True
    )
