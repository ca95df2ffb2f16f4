import re

import django_filters
from django import forms
from django.db import models

from recipes.models import Recipe


class WholeNumberField(forms.IntegerField):
    re_decimal = re.compile(r"(?!)")  # Django would read "5.0" as 5; it is not an integer


class IntegerFilter(django_filters.NumberFilter):
    """A whole number, as the schema says: django-filter's NumberFilter takes 0.5."""

    field_class = WholeNumberField


class RecipeFilterSet(django_filters.FilterSet):
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
