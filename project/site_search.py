"""One search across the apps (`/search/`, `/api/v1/search/`): each app's own search
selector, so its visibility rules hold, grouped by kind, each group ranked and capped."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse

from photos.selectors import photo_search
from recipes.selectors import recipe_search
from snaps.selectors import snap_search
from social.selectors import post_search

Viewer = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    search: Callable[..., QuerySet]  # (viewer=, query=) -> ranked QuerySet
    list_url: str | None  # the app's web list that takes `?q=`, when there is one
    api_list_url: str | None  # the app's API list that takes `?search=`


KINDS = (
    Kind("snaps", "Snaps", snap_search, "snaps:list", "api:snap-list"),
    Kind("posts", "Posts", post_search, None, "api:post-list"),
    Kind("photos", "Photos", photo_search, None, None),
    Kind("recipes", "Recipes", recipe_search, "recipes:list", "api:recipe-list"),
)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}


@dataclass
class Group:
    kind: Kind
    hits: list
    has_more: bool

    @property
    def name(self) -> str:
        return self.kind.name


def kind_search(kind: Kind, *, viewer: Viewer | None, query: str) -> QuerySet:
    return kind.search(viewer=viewer, query=query)


def site_search(
    *, viewer: Viewer | None, query: str, limit: int, kinds: tuple[Kind, ...] = KINDS
) -> list[Group]:
    """The best `limit` hits of each kind (one query per kind, none for a query without
    words or a kind the viewer may not see), and whether there are more."""
    groups = []
    for kind in kinds:
        hits = list(kind_search(kind, viewer=viewer, query=query)[: limit + 1])
        groups.append(Group(kind=kind, hits=hits[:limit], has_more=len(hits) > limit))
    return groups


def more_url(kind: Kind, query: str) -> str:
    """Where a group's "more" link goes: the app's searched list, else this kind alone."""
    if kind.list_url:
        return f"{reverse(kind.list_url)}?{urlencode({'q': query})}"
    return f"{reverse('search')}?{urlencode({'q': query, 'kind': kind.name})}"
