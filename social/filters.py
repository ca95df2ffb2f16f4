import django_filters

from project.search import FullTextSearchFilter
from social.models import POST_SEARCH_FIELDS, Post


class PostFilterSet(django_filters.FilterSet):
    search = FullTextSearchFilter(fields=POST_SEARCH_FIELDS)

    class Meta:
        model = Post
        fields = {"user__username": ["exact"]}
