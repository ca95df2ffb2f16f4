from django.urls import path
from rest_framework.routers import SimpleRouter

from hublot import api, views

app_name = "hublot"
urlpatterns = [
    path("", views.RepositoryListView.as_view(), name="repository-list"),
    path("<int:pk>/", views.RepositoryIssuesView.as_view(), name="repository-issues"),
    path("<int:pk>/issues/<int:number>/", views.IssueDetailView.as_view(), name="issue-detail"),
    path("webhooks/github/", views.GitHubWebhookView.as_view(), name="github-webhook"),
]

router = SimpleRouter()
router.register("repositories", api.RepositoryViewSet, basename="repository")
api_urlpatterns = [
    *router.urls,
    path(
        "repositories/<int:pk>/issues/",
        api.RepositoryIssueListApi.as_view(),
        name="repository-issues",
    ),
]
