import django_filters
from django.conf import settings

from snaps.models import Snap, SnapFile
from snaps.selectors import snaps_matching


class SnapFilterSet(django_filters.FilterSet):
    user = django_filters.CharFilter(field_name="user__username", lookup_expr="iexact")
    extension = django_filters.CharFilter(
        method="filter_extension", label="Snaps with a file of this extension."
    )
    language = django_filters.CharFilter(
        method="filter_language", label="Snaps with a file in this language (Pygments alias)."
    )
    visibility = django_filters.ChoiceFilter(choices=Snap.Visibility.choices)
    tag = django_filters.CharFilter(
        field_name="tags__slug", max_length=60, label="A tag's slug, e.g. `regex`."
    )
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=settings.SEARCH_MAX_QUERY_CHARS,
        label='Full-text search of every file (web search syntax: words, "phrases", or, '
        "-word), best match first (unless `ordering` is given, where it is offered).",
    )

    class Meta:
        model = Snap
        fields = ("user", "extension", "language", "visibility", "tag", "search")

    @staticmethod
    def _with_file(queryset, **lookup):
        # A semi-join on the files, so a snap with two matching files is listed once.
        return queryset.filter(pk__in=SnapFile.objects.filter(**lookup).values("snap_id"))

    def filter_extension(self, queryset, name, value):
        return self._with_file(queryset, extension=value.strip().lstrip(".").lower())

    def filter_language(self, queryset, name, value):
        return self._with_file(queryset, language__iexact=value)

    def filter_search(self, queryset, name, value):
        return snaps_matching(queryset, value) if value else queryset
