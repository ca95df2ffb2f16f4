from django.shortcuts import get_object_or_404
from rest_framework import generics, permissions, viewsets

from hublot import selectors
from hublot.filters import IssueFilterSet
from hublot.models import Issue, Repository
from hublot.serializers import IssueSerializer, RepositorySerializer


class RepositoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Tracked GitHub repositories (read-only: they are managed with `manage.py repositories`)."""

    serializer_class = RepositorySerializer
    permission_classes = [permissions.AllowAny]
    search_fields = ("owner", "name", "description")
    ordering_fields = ("owner", "name", "created_on", "last_fetched_on")
    filterset_fields = ("owner",)

    def get_queryset(self):
        return selectors.repository_list()


class RepositoryIssueListApi(generics.ListAPIView):
    """A repository's stored issues, newest number first.

    Filters: state, label, is_pull_request, author; `?search=` in titles and bodies,
    best match first."""

    serializer_class = IssueSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = IssueFilterSet
    ordering_fields = ("number", "opened_at", "updated_at")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Issue.objects.none()
        return selectors.issue_list(get_object_or_404(Repository, pk=self.kwargs["pk"]))
