from django.urls import include, path
from rest_framework.routers import SimpleRouter

from photos import api, views

app_name = "photos"
urlpatterns = [
    path("", views.PhotoGridView.as_view(), name="grid"),
    path("<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="delete"),
]

router = SimpleRouter()
router.register("photos", api.PhotoViewSet, basename="photo")
api_urlpatterns = [
    path("", include(router.urls)),
    path("users/<str:username>/photos/", api.UserPhotoListApi.as_view(), name="user-photos"),
]
