"""Social's REST API, one module per sub-domain, re-exported for the URL map."""

from social.api.notifications import (  # noqa: F401
    NotificationListApi,
    NotificationReadAllApi,
    NotificationReadApi,
)
from social.api.people import (  # noqa: F401
    BlockApi,
    BlockListApi,
    FollowApi,
    MuteApi,
    MuteListApi,
    RelationListApi,
)
from social.api.posts import (  # noqa: F401
    PostBoostApi,
    PostContextApi,
    PostHistoryApi,
    PostLikeApi,
    PostViewSet,
)
from social.api.timelines import (  # noqa: F401
    FeedApi,
    PublicTimelineApi,
    TagTimelineApi,
)
