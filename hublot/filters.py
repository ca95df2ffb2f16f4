import django_filters

from hublot.models import ISSUE_SEARCH_FIELDS, Issue
from hublot.selectors import issues_with_label
from project.filters import BooleanFilter
from project.search import FullTextSearchFilter


class IssueFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Issue.State.choices)
    label = django_filters.CharFilter(method="filter_label")
    is_pull_request = BooleanFilter()
    author = django_filters.CharFilter(lookup_expr="iexact")
    search = FullTextSearchFilter(fields=ISSUE_SEARCH_FIELDS)

    class Meta:
        model = Issue
        fields = ("state", "label", "is_pull_request", "author", "search")

    def filter_label(self, queryset, name, value):
        return issues_with_label(queryset, value)
