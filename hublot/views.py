from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from hublot import selectors
from hublot.models import Issue, Repository


class RepositoryListView(ListView):
    template_name = "hublot/repository_list.html"
    context_object_name = "repositories"
    paginate_by = 50

    def get_queryset(self):
        return selectors.repository_list()


class RepositoryIssuesView(ListView):
    template_name = "hublot/issue_list.html"
    context_object_name = "issues"
    paginate_by = 50

    def get_queryset(self):
        self.repository = get_object_or_404(Repository, pk=self.kwargs["pk"])
        issues = selectors.issue_list(self.repository)
        self.state = self.request.GET.get("state", "open")
        if self.state in Issue.State.values:
            issues = issues.filter(state=self.state)
        return issues

    def get_context_data(self, **kwargs):
        return super().get_context_data(repository=self.repository, state=self.state, **kwargs)
