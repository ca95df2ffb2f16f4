import django_filters
from django.db import models

from project.filters import IntegerFilter
from project.search import FullTextSearchFilter
from recipes.models import RECIPE_SEARCH_FIELDS, Recipe


class RecipeFilterSet(django_filters.FilterSet):
    search = FullTextSearchFilter(fields=RECIPE_SEARCH_FIELDS)
    tag = django_filters.CharFilter(
        field_name="tags__slug", help_text="A tag's slug, e.g. `weeknight`."
    )

    class Meta:
        model = Recipe
        fields = {
            "user__username": ["exact"],
            "servings": ["exact", "gte", "lte"],
            "total_time_minutes": ["lte"],
        }
        filter_overrides = {
            models.PositiveSmallIntegerField: {"filter_class": IntegerFilter},
            models.PositiveIntegerField: {"filter_class": IntegerFilter},
        }
