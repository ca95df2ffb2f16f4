"""`join`: fan-out on read, one SQL query over posts and follows."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from social.feeds.window import FeedWindow, Paged
from social.models import Follow, Post


class JoinFeed(Paged):
    """The reader's posts and their followees', as one `user_id IN (me, followees)`.

    One IN list (not `user = me OR user IN ...`) lets PostgreSQL read each author's
    newest posts from the per-user (user, -created_on, -id) index and merge them, so a
    reader who follows nobody or few people never walks the global created_on index.
    """

    name = "join"

    @staticmethod
    def authors(user: AbstractBaseUser) -> RawSQL:
        """The ids whose posts make the user's feed: their own and their followees'."""
        follow = Follow._meta.db_table
        return RawSQL(
            f"SELECT %s UNION ALL SELECT followed_id FROM {follow} WHERE follower_id = %s",
            (user.pk, user.pk),
        )

    def queryset(self, user: AbstractBaseUser) -> QuerySet[Post]:
        return (
            Post.objects.filter(user_id__in=self.authors(user))
            .select_related("user", "boost_of__user")
            .order_by("-created_on", "-id")
        )

    def read(self, user: AbstractBaseUser, window: FeedWindow) -> list[Post]:
        return window.select(self.queryset(user), created="created_on", pk="id")
