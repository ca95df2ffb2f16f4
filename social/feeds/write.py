"""`write`: fan-out on write; reading is one lookup in the reader's stored feed."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache

from project.cache import optional_read
from social.feeds.join import JoinFeed
from social.feeds.stores import feed_store
from social.feeds.window import FeedWindow, Paged, posts_in_order

REBUILD_CLAIM_SECONDS = 60


class WriteFeed(Paged):
    name = "write"

    def read(self, user: AbstractBaseUser, window: FeedWindow) -> list:
        store = feed_store()
        keys = store.read(user.pk, window)
        if keys is None:
            if not store.is_ready(user.pk):  # SQL now, the stored feed rebuilt meanwhile
                _queue_rebuild(user.pk)
            return JoinFeed().read(user, window)
        return posts_in_order(keys)


def _queue_rebuild(user_id: int) -> None:
    claim = f"social:feed-rebuild:{user_id}"
    if optional_read(lambda: cache.add(claim, 1, REBUILD_CLAIM_SECONDS), False):
        from social.tasks import feed_rebuild_task  # tasks -> services -> feeds

        feed_rebuild_task.delay(user_id=user_id)
