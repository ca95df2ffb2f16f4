from allauth.account.decorators import secure_admin_login
from allauth.account.views import LogoutView
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from accounts.views import (
    SignupView,
    account_data,
    account_delete,
    account_export_download,
    api_token_revoke_view,
    api_tokens,
    preferences,
    profile,
    profile_settings,
)
from project import views
from snaps import dpaste as snap_dpaste
from snaps import embeds as snap_embeds

# The admin signs in through the web login, so one brute-force policy covers both.
admin.site.login = secure_admin_login(admin.site.login)
# The browsable API shows "Log in" / "Log out" once `rest_framework:login` exists; both
# are the site's own (allauth) pages, `?next=` bringing the visitor back.
browsable_api_auth = (
    [
        path(
            "login/",
            RedirectView.as_view(pattern_name="account_login", query_string=True),
            name="login",
        ),
        path("logout/", LogoutView.as_view(), name="logout"),
    ],
    "rest_framework",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("u/<str:username>/", profile, name="profile"),
    path("admin/", admin.site.urls),
    # Before allauth's own: the same page, with racing sign-ups shown as form errors.
    path("accounts/signup/", SignupView.as_view(), name="account_signup"),
    path("accounts/preferences/", preferences, name="account-preferences"),
    path("accounts/profile/", profile_settings, name="account-profile"),
    path("accounts/tokens/", api_tokens, name="account-tokens"),
    path("accounts/data/", account_data, name="account-data"),
    path(
        "accounts/data/download/<str:token>/",
        account_export_download,
        name="account-export-download",
    ),
    path("accounts/delete/", account_delete, name="account-delete"),
    path("accounts/tokens/<int:pk>/revoke/", api_token_revoke_view, name="account-token-revoke"),
    path("accounts/", include("allauth.urls")),
    path("snaps/", include("snaps.urls")),
    path("social/", include("social.urls")),
    path("photos/", include("photos.urls")),
    path("hublot/", include("hublot.urls")),
    path("recipes/", include("recipes.urls")),
    path("search/", views.SearchView.as_view(), name="search"),
    # The book's sign-in paths (Dinnerly, chapter 7) lead to allauth's provider logins.
    path(
        "users/login/twitter",
        RedirectView.as_view(pattern_name="twitter_oauth2_login", query_string=True),
    ),
    path(
        "users/login/facebook",
        RedirectView.as_view(pattern_name="facebook_login", query_string=True),
    ),
    # Mastodon's client API first: its paths under /api/v1/ and /api/v2/ are not DRF's.
    path("", include("mastodon_api.urls", namespace="mastodon")),
    re_path(r"^api/(?P<version>v\d+)/", include(("project.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", views.ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("api-auth/", include(browsable_api_auth)),
    path("oembed/", snap_embeds.oembed, name="oembed"),
    # dpaste's API (form posts), outside the JSON-only /api/v1/.
    path("api/", snap_dpaste.dpaste_create, name="dpaste-api"),
]

if settings.BENCHMARK_BARE_VIEW:
    urlpatterns.append(path("__bench__/bare", views.bare))

# Uploaded files in development; production serves MEDIA_ROOT from the web server or S3.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "project.views.handler404"
handler500 = "project.views.handler500"
