"""One URL map for the whole site: no pattern shadows another.

Every pattern is turned into example paths (each converter or named group filled with
a value it accepts, a Mastodon path in both slash forms) and each example must resolve
to the pattern it came from. A pattern placed after one that catches its paths (e.g.
DRF's /api/v1/notifications/ before Mastodon's /api/v1/notifications) fails here."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# Overrides on purpose: the site's own sign-up page answers before allauth's.
INTENDED_OVERRIDES = {("accounts/signup/", "accounts.views.SignupView")}
SAMPLES = ("7", "v1", "sample", "a-b", "ab" * 20)
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


def _flatten(patterns, prefix_regex="", prefix_route=""):
    for entry in patterns:
        regex = entry.pattern.regex.pattern.removeprefix("^")
        regex = regex.removesuffix(r"\Z").removesuffix("$")
        route = prefix_route + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _flatten(entry.url_patterns, prefix_regex + regex, route)
        elif isinstance(entry, URLPattern):
            yield prefix_regex + regex, route.replace("^", ""), entry.callback


def _fill(match: re.Match) -> str:
    body = match.group("body")
    for sample in (*SAMPLES, body.split("|")[0]):
        if re.fullmatch(body, sample):
            return sample
    return "x"


def _examples(regex: str) -> list[str]:
    filled = GROUP.sub(_fill, regex).replace(r"\.", ".").replace("\\-", "-")
    forms = [filled.replace("/?", "/"), filled.replace("/?", "")] if "/?" in filled else [filled]
    if any(char in form for form in forms for char in "()[]*+?\\|^$"):
        return []  # not a literal path (e.g. static files' catch-all)
    return ["/" + form for form in forms]


def _patterns():
    return list(_flatten(get_resolver().url_patterns))


def test_every_example_path_reaches_its_own_pattern():
    shadowed, checked = [], 0
    for regex, route, view in _patterns():
        for path in _examples(regex):
            checked += 1
            try:
                match = resolve(path)
            except Resolver404:
                shadowed.append((route, path, "nothing"))
                continue
            reached = match.route.replace("^", "")
            if (reached, match.func) != (route, view) and (route, match._func_path) not in (
                INTENDED_OVERRIDES
            ):
                shadowed.append((route, path, reached, match._func_path))
    assert shadowed == [], "\n".join(map(str, shadowed))
    assert checked > 200


def test_mastodon_paths_answer_with_and_without_the_slash():
    mastodon = [regex for regex, _, _ in _patterns() if regex.endswith("/?")]
    assert len(mastodon) >= 20
    for regex in mastodon:
        assert len(_examples(regex)) == 2, regex


def test_the_walk_would_catch_a_shadowed_pattern(settings, tmp_path):
    """The check above can fail: a catch-all before a route hides it."""
    from django.urls import clear_url_caches, path, re_path

    def view(request):
        return None

    module = type("Urls", (), {})
    module.urlpatterns = [re_path(r"^api/v1/(?P<name>\w+)/$", view), path("api/v1/notes/", view)]
    resolver = get_resolver(module)
    later = list(_flatten(resolver.url_patterns))[1]
    example = _examples(later[0])[0]
    assert resolver.resolve(example).route != later[1]
    clear_url_caches()
