import django_filters

from project.filters import BooleanFilter
from social.models import Notification


class NotificationFilterSet(django_filters.FilterSet):
    unread = BooleanFilter(field_name="read_on", lookup_expr="isnull", label="Only unread (true).")
    kind = django_filters.ChoiceFilter(choices=Notification.Kind.choices)

    class Meta:
        model = Notification
        fields = ("unread", "kind")
