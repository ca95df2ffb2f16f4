from functools import cached_property
from urllib.parse import urlencode

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, ListView

from hublot import selectors
from hublot.models import Issue, Repository
from hublot.services import WebhookRejected, webhook_receive
from project.paginators import BoundedCountPaginator

STATE_TABS = (("open", "Open"), ("closed", "Closed"), ("all", "All"))
MAX_FILTER_LENGTH = 200


class RepositoryListView(ListView):
    template_name = "hublot/repository_list.html"
    context_object_name = "repositories"
    paginate_by = 50

    def get_queryset(self):
        return selectors.repository_list()


class TabCountPaginator(BoundedCountPaginator):
    """Takes the selected tab's count as the page count while the page lies within it,
    so the issue list counts its rows once, not twice; past it, counts on as usual."""

    known: selectors.StateCount | None = None

    @cached_property
    def count(self) -> int:
        known = self.known
        if known is not None and (
            not known.capped or self._requested * self.per_page < known.count
        ):
            self.count_is_capped = known.capped
            return known.count
        return BoundedCountPaginator.count.func(self)


class RepositoryIssuesView(ListView):
    template_name = "hublot/issue_list.html"
    context_object_name = "issues"
    paginate_by = 50
    paginator_class = TabCountPaginator

    def get_queryset(self):
        self.repository = get_object_or_404(Repository, pk=self.kwargs["pk"])
        self.label = self.request.GET.get("label", "").strip()[:MAX_FILTER_LENGTH]
        self.search = self.request.GET.get("q", "").strip()[:MAX_FILTER_LENGTH]
        self.state = self.request.GET.get("state", "open")
        if self.state not in dict(STATE_TABS):
            self.state = "open"
        self.filtered = selectors.issue_filter(
            selectors.issue_list(self.repository), label=self.label, search=self.search
        )
        if self.state in Issue.State.values:
            return self.filtered.filter(state=self.state)
        return self.filtered

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.known = self.counts[self.state]
        return paginator

    def get_context_data(self, **kwargs):
        self.counts = counts = selectors.issue_state_counts(self.filtered)
        tabs = [
            {
                "state": state,
                "title": title,
                "count": counts[state].count,
                "count_is_capped": counts[state].capped,
                "selected": state == self.state,
            }
            for state, title in STATE_TABS
        ]
        return super().get_context_data(
            repository=self.repository,
            state=self.state,
            label=self.label,
            search=self.search,
            tabs=tabs,
            filter_query=urlencode(
                {k: v for k, v in (("q", self.search), ("label", self.label)) if v}
            ),
            **kwargs,
        )


class IssueDetailView(DetailView):
    """One stored issue with its body and comments rendered as sanitised Markdown."""

    template_name = "hublot/issue_detail.html"
    context_object_name = "issue"

    def get_object(self, queryset=None):
        self.repository = get_object_or_404(Repository, pk=self.kwargs["pk"])
        issue = selectors.issue_get(self.repository, self.kwargs["number"])
        if issue is None:
            raise Http404("No such issue stored.")
        return issue

    def get_context_data(self, **kwargs):
        return super().get_context_data(repository=self.repository, **kwargs)


@method_decorator(csrf_exempt, name="dispatch")  # GitHub signs deliveries; no CSRF token
class GitHubWebhookView(View):
    """GitHub webhook receiver: `issues`, `issue_comment` and `label` events of tracked
    repositories, verified with X-Hub-Signature-256, applied once per X-GitHub-Delivery."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            outcome = webhook_receive(
                event=request.headers.get("X-GitHub-Event"),
                delivery_id=request.headers.get("X-GitHub-Delivery"),
                signature=request.headers.get("X-Hub-Signature-256"),
                body=request.body,
            )
        except WebhookRejected as rejected:
            return JsonResponse({"detail": str(rejected)}, status=rejected.status)
        return JsonResponse({"status": outcome.status, "detail": outcome.detail})
