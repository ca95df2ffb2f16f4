from allauth.account.decorators import secure_admin_login
from allauth.account.views import LogoutView
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from accounts.views import SignupView, preferences, profile
from project import views

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
    path("accounts/", include("allauth.urls")),
    path("snaps/", include("snaps.urls")),
    path("social/", include("social.urls")),
    path("photos/", include("photos.urls")),
    path("hublot/", include("hublot.urls")),
    path("recipes/", include("recipes.urls")),
    # The book's sign-in paths (Dinnerly, chapter 7) lead to allauth's provider logins.
    path(
        "users/login/twitter",
        RedirectView.as_view(pattern_name="twitter_oauth2_login", query_string=True),
    ),
    path(
        "users/login/facebook",
        RedirectView.as_view(pattern_name="facebook_login", query_string=True),
    ),
    re_path(r"^api/(?P<version>v\d+)/", include(("project.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", views.ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("api-auth/", include(browsable_api_auth)),
]

if settings.BENCHMARK_BARE_VIEW:
    urlpatterns.append(path("__bench__/bare", views.bare))

# Uploaded files in development; production serves MEDIA_ROOT from the web server or S3.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "project.views.handler404"
handler500 = "project.views.handler500"
