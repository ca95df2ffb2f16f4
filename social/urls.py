from django.urls import path
from django.views.generic import RedirectView

from social import api, syndication, views

app_name = "social"
urlpatterns = [
    path("", views.FeedView.as_view(), name="feed"),
    path("posts/new/", views.PostCreateView.as_view(), name="post-create"),
    path("posts/<int:pk>/", views.PostDetailView.as_view(), name="post-detail"),
    path("posts/<int:pk>/edit/", views.PostEditView.as_view(), name="post-edit"),
    path("posts/<int:pk>/delete/", views.PostDeleteView.as_view(), name="post-delete"),
    path("posts/<int:pk>/like/", views.PostLikeView.as_view(), name="post-like"),
    path("posts/<int:pk>/unlike/", views.PostLikeView.as_view(undo=True), name="post-unlike"),
    path("posts/<int:pk>/boost/", views.PostBoostView.as_view(), name="post-boost"),
    path("posts/<int:pk>/unboost/", views.PostBoostView.as_view(undo=True), name="post-unboost"),
    path("public/", views.PublicTimelineView.as_view(), name="public"),
    path("stream/", views.TimelineStreamView.as_view(), name="stream"),
    path("people/", views.PeopleListView.as_view(), name="people"),
    path("tags/<str:tag>/", views.TagView.as_view(), name="tag"),
    # The one profile page is /u/<name>/ (accounts); the old address keeps working.
    path(
        "u/<str:username>/",
        RedirectView.as_view(pattern_name="profile", permanent=True, query_string=True),
        name="profile-redirect",
    ),
    path("u/<str:username>/rss/", syndication.UserPostsRss(), name="profile-rss"),
    path("u/<str:username>/atom/", syndication.UserPostsAtom(), name="profile-atom"),
    path("u/<str:username>/follow/", views.FollowView.as_view(), name="follow"),
    path("u/<str:username>/unfollow/", views.UnfollowView.as_view(), name="unfollow"),
    *(
        path(f"u/<str:username>/{action}/", views.UserPairView.as_view(action=action), name=action)
        for action in ("block", "unblock", "mute", "unmute")
    ),
    path("blocked-and-muted/", views.BlockedAndMutedView.as_view(), name="blocked-muted"),
    path(
        "u/<str:username>/followers/",
        views.RelationListView.as_view(relation="followers"),
        name="followers",
    ),
    path(
        "u/<str:username>/following/",
        views.RelationListView.as_view(relation="following"),
        name="following",
    ),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/read/",
        views.NotificationReadAllView.as_view(),
        name="notifications-read-all",
    ),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
]

api_urlpatterns = [
    path("posts/", api.PostViewSet.as_view({"get": "list", "post": "create"}), name="post-list"),
    path(
        "posts/<int:pk>/",
        api.PostViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="post-detail",
    ),
    path(
        "posts/<int:pk>/history/",
        api.PostHistoryApi.as_view(),
        name="post-history",
    ),
    path(
        "posts/<int:pk>/context/",
        api.PostContextApi.as_view(),
        name="post-context",
    ),
    path("posts/<int:pk>/like/", api.PostLikeApi.as_view(), name="post-like"),
    path("posts/<int:pk>/boost/", api.PostBoostApi.as_view(), name="post-boost"),
    path("feed/", api.FeedApi.as_view(), name="feed"),
    path("posts/public/", api.PublicTimelineApi.as_view(), name="timeline-public"),
    path("tags/<str:tag>/posts/", api.TagTimelineApi.as_view(), name="timeline-tag"),
    path("users/<str:username>/follow/", api.FollowApi.as_view(), name="user-follow"),
    path("users/<str:username>/block/", api.BlockApi.as_view(), name="user-block"),
    path("users/<str:username>/mute/", api.MuteApi.as_view(), name="user-mute"),
    path("users/me/blocks/", api.BlockListApi.as_view(), name="block-list"),
    path("users/me/mutes/", api.MuteListApi.as_view(), name="mute-list"),
    path(
        "users/<str:username>/followers/",
        api.RelationListApi.as_view(relation="followers"),
        name="user-followers",
    ),
    path(
        "users/<str:username>/following/",
        api.RelationListApi.as_view(relation="following"),
        name="user-following",
    ),
    path("users/me/notifications/", api.NotificationListApi.as_view(), name="notification-list"),
    path(
        "users/me/notifications/read/",
        api.NotificationReadAllApi.as_view(),
        name="notifications-read-all",
    ),
    path(
        "users/me/notifications/<int:pk>/read/",
        api.NotificationReadApi.as_view(),
        name="notification-read",
    ),
]
