"""Reads: the follow graph, posts, notifications, and the newsfeed through the configured
strategy; one module per sub-domain, re-exported here for callers."""

from social.selectors.export import (  # noqa: F401
    social_export_for_user,
)
from social.selectors.feeds import (  # noqa: F401
    FEED_FILTER_ROUNDS,
    feed_page,
    hidden_author_ids,
    post_cursor,
)
from social.selectors.notifications import (  # noqa: F401
    notification_get,
    notification_list,
)
from social.selectors.people import (  # noqa: F401  # noqa: F401
    PeopleQuerySet,
    User,
    Viewer,
    follow_counts,
    followed_ids,
    is_following,
    relationship_sets,
    user_list_blocked,
    user_list_followers,
    user_list_following,
    user_list_muted,
    user_list_people,
    user_social_counts,
    viewer_relation,
)
from social.selectors.posts import (  # noqa: F401
    ACTIVITY_CARDS,
    POST_HISTORY_MAX,
    STREAM_KINDS,
    THREAD_MAX_DEPTH,
    THREAD_MAX_POSTS,
    Thread,
    activity_subjects_attach,
    photo_ids_on_posts,
    post_author_ids,
    post_get,
    post_get_owned,
    post_history,
    post_list,
    post_list_public,
    post_list_tagged,
    post_photos_prefetch,
    post_search,
    post_thread,
    posts_mark_viewer_state,
    posts_with_photos,
    stream_kind,
    stream_list,
    tag_search,
    user_list_liked,
)
