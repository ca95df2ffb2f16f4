"""Full-text search, shared by every app: ranked PostgreSQL full-text search backed by
a GIN index on the same expression, and `icontains` over the same fields on SQLite
(`make run`).

An app declares its searchable fields once, with their weights (A is the strongest):

    SNAP_FILE_SEARCH_FIELDS = {"name": "A", "content": "B"}

uses `SearchIndex(search_vector(SNAP_FILE_SEARCH_FIELDS), name=...)` in its
model's Meta.indexes, and `search(queryset, SNAP_FILE_SEARCH_FIELDS, query)` in a selector.
PostgreSQL uses the index only when the query's expression is the index's, which is
why both come from `search_vector()` with the one `SEARCH_CONFIG`.
"""

import re
from collections.abc import Callable, Mapping
from functools import cached_property

import django_filters
from django import forms
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Left

RANK = "search_rank"
# A word as both backends see it: PostgreSQL's parser splits on what is not a letter
# or digit, so a query of punctuation alone has no word and finds nothing.
WORD = re.compile(r"\w+")
# The SQLite fallback ANDs one LIKE per word; more words would only cost time.
FALLBACK_MAX_WORDS = 10

# Characters of a row's fields that are indexed, shared out between them (200k: the
# whole of a largest snap; beyond it the tsvector could pass PostgreSQL's 1 MB).
DOCUMENT_MAX_CHARS = 200_000

SearchFields = Mapping[str, str]  # field name -> weight "A" (strongest) to "D"


def search_vector(fields: SearchFields) -> SearchVector:
    """The weighted document of these fields, in `SEARCH_CONFIG`, each field cut to its
    share of DOCUMENT_MAX_CHARS: a tsvector holds at most 1 MB, and text of unique
    two-letter CJK words takes 4.7 bytes per character, so a longer document would make
    saving the row fail (the index is computed on write)."""
    share = DOCUMENT_MAX_CHARS // len(fields)
    vectors = [
        SearchVector(Left(name, share), weight=weight, config=settings.SEARCH_CONFIG)
        for name, weight in fields.items()
    ]
    vector = vectors[0]
    for other in vectors[1:]:
        vector = vector + other
    return vector


class SearchIndex(GinIndex):
    """A GIN index on `search_vector(fields)`. Created on PostgreSQL only: SQLite has
    neither GIN nor to_tsvector, and it searches with LIKE anyway. Rendering nothing
    (instead of skipping the migration) also covers SQLite's table rebuilds, which
    recreate every index of the model."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().remove_sql(model, schema_editor, **kwargs)


def search_words(query: str) -> list[str]:
    return WORD.findall(query)


def uses_full_text(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def search(queryset: QuerySet, fields: SearchFields, query: str) -> QuerySet:
    """Rows of `queryset` matching `query`, best first.

    PostgreSQL: websearch syntax ("quoted phrases", `or`, `-excluded`), ranked by
    SearchRank over the weighted fields, newest first among equals. SQLite: every word
    in some field (case-insensitive), newest first. A query without a word finds nothing,
    without asking the database. `query` is expected to be validated (`SearchForm`,
    `FullTextSearchFilter`): at most SEARCH_MAX_QUERY_CHARS, no NUL.
    """
    words = search_words(query)
    if not words:
        return queryset.none()
    model_order = list(queryset.query.order_by or queryset.model._meta.ordering or ["-pk"])
    if uses_full_text(queryset):
        vector = search_vector(fields)
        search_query = SearchQuery(query, search_type="websearch", config=settings.SEARCH_CONFIG)
        return (
            queryset.alias(search_document=vector)
            .filter(search_document=search_query)
            .annotate(**{RANK: SearchRank(F("search_document"), search_query)})
            .order_by(f"-{RANK}", *model_order)
        )
    return fallback_search(queryset, fields, words).order_by(*model_order)


def fallback_search(queryset: QuerySet, fields: SearchFields, words: list[str]) -> QuerySet:
    """SQLite: each word (at most FALLBACK_MAX_WORDS) in at least one of the fields."""
    for word in words[:FALLBACK_MAX_WORDS]:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(any_field)
    return queryset


def is_ranked(queryset: QuerySet) -> bool:
    """Whether `search()` ordered this queryset by rank (so a default ordering must not
    replace it)."""
    return RANK in queryset.query.annotations


class SearchForm(forms.Form):
    """`?q=` on the web pages: bounded, NUL refused (Django's CharField), blank allowed.
    Unbound when `q` is absent, so a plain list is not a search."""

    q = forms.CharField(required=False, max_length=settings.SEARCH_MAX_QUERY_CHARS)

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None and "q" in data else None, **kwargs)

    @property
    def query(self) -> str:
        """The validated query, or "" when absent or invalid."""
        if not self.is_bound or not self.is_valid():
            return ""
        return self.cleaned_data["q"]


class FullTextSearchFilter(django_filters.CharFilter):
    """`?search=` in a FilterSet: `search = FullTextSearchFilter(fields=RECIPE_SEARCH_FIELDS)`.
    Longer than SEARCH_MAX_QUERY_CHARS is a 400 naming the parameter."""

    def __init__(self, *, fields: SearchFields, **kwargs):
        self.search_fields = dict(fields)
        kwargs.setdefault("max_length", settings.SEARCH_MAX_QUERY_CHARS)
        kwargs.setdefault(
            "label",
            'Full-text search (web search syntax: words, "phrases", or, -word), best '
            "match first (unless `ordering` is given, where it is offered).",
        )
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return queryset
        return search(queryset, self.search_fields, value)


class SearchListMixin:
    """A ListView searched with `?q=`: `get_queryset()` calls `self.searched(listed,
    search=lambda query: ...)`; the context gets `search_form`, `search_query` and the
    `search_hidden` parameters the search box keeps (page links keep the whole query
    string through `{% page_url %}`). An invalid query (too long) shows
    its error and no results."""

    @cached_property
    def search_form(self) -> SearchForm:
        return SearchForm(self.request.GET)

    def searched(self, listed: QuerySet, *, search: Callable[[str], QuerySet]) -> QuerySet:
        form = self.search_form
        if not form.is_bound:
            return listed
        if not form.is_valid():
            return listed.none()
        query = form.cleaned_data["q"]
        return search(query) if query else listed

    def get_search_hidden(self) -> dict[str, str]:
        """Other parameters the search box and page links keep (e.g. the author)."""
        return {}

    def get_context_data(self, **kwargs):
        query = self.search_form.query
        hidden = {name: value for name, value in self.get_search_hidden().items() if value}
        return super().get_context_data(
            search_form=self.search_form,
            search_query=query,
            search_hidden=hidden,
            **kwargs,
        )
