"""Everything under /api/<version>/: each app contributes its `api_urlpatterns`."""

from django.urls import include, path

from accounts.api import (
    ApiTokenDetailApi,
    ApiTokenListApi,
    MeApi,
    MeAvatarApi,
    MeDeletionApi,
    MeExportApi,
    TokenObtainApi,
    UserCreateApi,
    UserDetailApi,
    UserProfileApi,
)
from hublot.urls import api_urlpatterns as hublot_api
from photos.urls import api_urlpatterns as photos_api
from project.api_root import ApiRootView
from project.api_search import SearchApi
from recipes.urls import api_urlpatterns as recipes_api
from snaps.urls import api_urlpatterns as snaps_api
from social.urls import api_urlpatterns as social_api

urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("auth/token/", TokenObtainApi.as_view(), name="auth-token"),
    path("tokens/", ApiTokenListApi.as_view(), name="token-list"),
    path("tokens/<int:pk>/", ApiTokenDetailApi.as_view(), name="token-detail"),
    path("users/", UserCreateApi.as_view(), name="user-list"),
    path("users/me/", MeApi.as_view(), name="user-me"),
    path("users/me/avatar/", MeAvatarApi.as_view(), name="user-me-avatar"),
    path("users/me/export/", MeExportApi.as_view(), name="user-me-export"),
    path("users/me/deletion/", MeDeletionApi.as_view(), name="user-me-deletion"),
    path("users/<int:pk>/", UserDetailApi.as_view(), name="user-detail"),
    path("users/<str:username>/profile/", UserProfileApi.as_view(), name="user-profile"),
    path("", include(snaps_api)),
    path("", include(social_api)),
    path("", include(photos_api)),
    path("", include(hublot_api)),
    path("", include(recipes_api)),
    path("search/", SearchApi.as_view(), name="search"),
]
