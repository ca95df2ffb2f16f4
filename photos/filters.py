import django_filters

from photos.models import PHOTO_SEARCH_FIELDS, Photo
from project.search import FullTextSearchFilter


class PhotoFilterSet(django_filters.FilterSet):
    search = FullTextSearchFilter(fields=PHOTO_SEARCH_FIELDS)

    class Meta:
        model = Photo
        fields = ("search",)
