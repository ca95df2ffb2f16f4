"""Social web pages, one module per sub-domain, re-exported for the URL map."""

from social.views.notifications import (  # noqa: F401
    NotificationListView,
    NotificationReadAllView,
    NotificationReadView,
)
from social.views.people import (  # noqa: F401
    BlockedAndMutedView,
    FollowView,
    PeopleListView,
    RelationListView,
    UnfollowView,
    UserPairView,
)
from social.views.posts import (  # noqa: F401
    PostBoostView,
    PostCreateView,
    PostDeleteView,
    PostDetailView,
    PostEditView,
    PostLikeView,
)
from social.views.timelines import (  # noqa: F401
    FeedView,
    PublicTimelineView,
    TagView,
    TimelineStreamView,
)
