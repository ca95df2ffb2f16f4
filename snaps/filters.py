import django_filters

from project.search import FullTextSearchFilter
from snaps.models import SNAP_SEARCH_FIELDS, Snap


class SnapFilterSet(django_filters.FilterSet):
    user = django_filters.CharFilter(field_name="user__username", lookup_expr="iexact")
    extension = django_filters.CharFilter(method="filter_extension")
    language = django_filters.CharFilter(field_name="language", lookup_expr="iexact")
    visibility = django_filters.ChoiceFilter(choices=Snap.Visibility.choices)
    search = FullTextSearchFilter(fields=SNAP_SEARCH_FIELDS)

    class Meta:
        model = Snap
        fields = ("user", "extension", "language", "visibility", "search")

    def filter_extension(self, queryset, name, value):
        return queryset.filter(extension=value.strip().lstrip(".").lower())
