import django_filters

from project.filters import BooleanFilter
from project.search import FullTextSearchFilter
from social.models import POST_SEARCH_FIELDS, Notification, Post


class NotificationFilterSet(django_filters.FilterSet):
    unread = BooleanFilter(field_name="read_on", lookup_expr="isnull", label="Only unread (true).")
    kind = django_filters.ChoiceFilter(choices=Notification.Kind.choices)

    class Meta:
        model = Notification
        fields = ("unread", "kind")


class PostFilterSet(django_filters.FilterSet):
    search = FullTextSearchFilter(fields=POST_SEARCH_FIELDS)

    class Meta:
        model = Post
        fields = {"user__username": ["exact"]}
