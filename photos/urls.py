from django.urls import include, path
from rest_framework.routers import SimpleRouter

from photos import api, views

app_name = "photos"
urlpatterns = [
    path("", views.PhotoGridView.as_view(), name="grid"),
    path("everyone/", views.PhotoStreamView.as_view(), name="stream"),
    path("following/", views.PhotoFollowingStreamView.as_view(), name="stream-following"),
    path("users/<str:username>/", views.PhotoUserStreamView.as_view(), name="user-stream"),
    path("albums/", views.AlbumListView.as_view(), name="album-list"),
    path("albums/<int:pk>/", views.AlbumDetailView.as_view(), name="album-detail"),
    path("<int:pk>/", views.PhotoDetailView.as_view(), name="detail"),
    path("<int:pk>/original/", views.PhotoOriginalView.as_view(), name="original"),
    path("<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="delete"),
]

router = SimpleRouter()
router.register("photos", api.PhotoViewSet, basename="photo")
router.register("albums", api.AlbumViewSet, basename="album")
api_urlpatterns = [
    path("photos/public/", api.PhotoStreamApi.as_view(), name="photo-stream"),
    path("photos/following/", api.PhotoFollowingStreamApi.as_view(), name="photo-stream-following"),
    path("photos/uploads/", api.PhotoUploadIntentApi.as_view(), name="photo-upload-intent"),
    path(
        "photos/uploads/confirm/", api.PhotoUploadConfirmApi.as_view(), name="photo-upload-confirm"
    ),
    path("", include(router.urls)),
    path("users/<str:username>/photos/", api.UserPhotoListApi.as_view(), name="user-photos"),
]
