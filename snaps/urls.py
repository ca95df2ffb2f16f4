from django.urls import include, path, register_converter
from rest_framework.routers import SimpleRouter

from project.pagecache import cache_for_anonymous
from snaps import api, embeds, views


class HashKeyConverter:
    """Exactly 40 lowercase hex chars, so `new/` and `u/...` can never be taken for a key."""

    regex = "[0-9a-f]{40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(HashKeyConverter, "hashkey")

app_name = "snaps"
urlpatterns = [
    path("", views.SnapListView.as_view(), name="list"),
    path("new/", views.SnapCreateView.as_view(), name="create"),
    path("u/<str:username>/", views.SnapUserListView.as_view(), name="user"),
    path("tags/<str:slug>/", views.SnapTagView.as_view(), name="tag"),
    path(
        "<hashkey:hash_key>/",
        cache_for_anonymous("snaps")(views.SnapDetailView.as_view()),
        name="detail",
    ),
    path("<hashkey:hash_key>/raw/", views.SnapRawView.as_view(), name="raw"),
    path("<hashkey:hash_key>/raw/<str:filename>", views.SnapRawView.as_view(), name="file-raw"),
    path("<hashkey:hash_key>/delete/", views.SnapDeleteView.as_view(), name="delete"),
    path("<hashkey:hash_key>/edit/", views.SnapEditView.as_view(), name="edit"),
    path("<hashkey:hash_key>/embed/", embeds.snap_embed, name="embed"),
    path("<hashkey:hash_key>/fork/", views.SnapForkView.as_view(), name="fork"),
    path("<hashkey:hash_key>/reply/", views.SnapReplyView.as_view(), name="reply"),
    path("<hashkey:hash_key>/revisions/", views.SnapHistoryView.as_view(), name="history"),
    path(
        "<hashkey:hash_key>/revisions/<int:number>/",
        views.SnapRevisionView.as_view(),
        name="revision",
    ),
    path(
        "<hashkey:hash_key>/revisions/<int:number>/raw/",
        views.SnapRevisionRawView.as_view(),
        name="revision-raw",
    ),
    path(
        "<hashkey:hash_key>/revisions/<int:number>/raw/<str:filename>",
        views.SnapRevisionRawView.as_view(),
        name="revision-file-raw",
    ),
]

router = SimpleRouter()
router.register("snaps", api.SnapViewSet, basename="snap")
api_urlpatterns = [
    path(
        "snaps/<hashkey:hash_key>/revisions/",
        api.SnapRevisionListApi.as_view(),
        name="snap-revision-list",
    ),
    path("", include(router.urls)),
]
