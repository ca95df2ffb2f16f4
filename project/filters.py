"""Query-string filters that take exactly what the OpenAPI schema says they take
(django-filter's own read 0.5 as a number for an integer, and "null" as no filter
for a boolean)."""

import re

import django_filters
import django_filters.rest_framework
import rest_framework.filters
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import exceptions as drf_exceptions

from project.search import is_ranked


class WholeNumberField(forms.IntegerField):
    re_decimal = re.compile(r"(?!)")  # Django reads "5.0" as 5; it is not an integer


class IntegerFilter(django_filters.NumberFilter):
    field_class = WholeNumberField


class TrueFalseField(forms.Field):
    """`true` or `false` (any case); absent means no filter, anything else is an error."""

    def to_python(self, value):
        if value is None:
            return None
        lowered = str(value).lower()
        if lowered not in ("true", "false"):
            raise ValidationError("Must be true or false.", code="invalid")
        return lowered == "true"

    def validate(self, value):
        pass  # None (absent) is fine: the filter is then not applied


class BooleanFilter(django_filters.BooleanFilter):
    field_class = TrueFalseField


class DjangoFilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """django-filter's backend, except that a number, boolean or choice filter named
    with an empty value (`?state=`) is a 400: "" is none of those types."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = sorted(
                name
                for name, field in filterset_class.base_filters.items()
                if not isinstance(field, django_filters.CharFilter)  # "" is a string
                and request.query_params.get(name, None) == ""
            )
            if empty:
                raise drf_exceptions.ValidationError(
                    {name: ["May not be empty."] for name in empty}, code="blank"
                )
        return kwargs


class SearchFilter(rest_framework.filters.SearchFilter):
    """DRF's `?search=` for views that set `search_fields`; in the schema only for them.
    Full-text search is a FilterSet's `search` (project.search.FullTextSearchFilter),
    which this would otherwise overwrite in the schema."""

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "search_fields", None):
            return []
        return super().get_schema_operation_parameters(view)


class OrderingFilter(rest_framework.filters.OrderingFilter):
    """DRF's `?ordering=`, except that a full-text search's best-match-first order stays
    unless `?ordering=` is given."""

    def filter_queryset(self, request, queryset, view):
        if is_ranked(queryset) and not request.query_params.get(self.ordering_param):
            return queryset
        return super().filter_queryset(request, queryset, view)
