"""`join`: fan-out on read, one SQL query over posts and follows."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from social.feeds.window import Cursor, FeedWindow, Paged
from social.models import Follow, Post


class JoinFeed(Paged):
    """The reader's posts (boosts and activities included) and their followees', read
    from the per-user (user, -created_on, -id) index.

    Reading every followee's posts and sorting them costs what they have ever posted
    (5000 followees at 1M posts: 90,000 rows for a page of 20). On PostgreSQL a page is
    two bounded steps inside one query instead: each author's newest post inside the
    window (one index probe per author) gives the `limit`-th newest of those as an edge
    no post of the page is older than (at least `limit` posts reach it); then each
    author's posts from the edge on, at most `limit` each. Both cost one probe per author
    and the rows of the page, never what the tables hold; the page's rows are fetched by
    id. Elsewhere (SQLite for `make run`) the plain `user_id IN (me, followees)` query.
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

    def page_queryset(
        self,
        user: AbstractBaseUser,
        *,
        before: Cursor | None = None,
        after: Cursor | None = None,
        limit: int,
        oldest_first: bool = False,
    ) -> QuerySet[Post]:
        """The page's posts in the window's order (oldest first when asked), PostgreSQL."""
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
        return (
            Post.objects.filter(in_page)
            .select_related("user", "boost_of__user")
            .order_by(*fields)[:limit]
        )

    def read(self, user: AbstractBaseUser, window: FeedWindow) -> list[Post]:
        if connection.vendor != "postgresql":
            return window.select(self.queryset(user), created="created_on", pk="id")
        posts = list(
            self.page_queryset(
                user,
                before=window.before,
                after=window.after,
                limit=window.limit,
                oldest_first=window.oldest_first,
            )
        )
        return posts[::-1] if window.oldest_first else posts
