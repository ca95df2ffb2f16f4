"""No input gives a 5xx: every route of the URL map, fed each class of hostile input.

The routes come from `get_resolver()`, so a new URL is covered the day it is added; path
parameters are filled with real objects (a route whose parameter nobody knows how to
fill fails `test_every_route_is_covered`). Each route gets the same hostile requests as
an anonymous visitor and as a signed-in superuser owning every object (so owner-only
writes and the admin reach their forms and serializers). DELETE is not sent: it takes no
body and parses the URL exactly as GET does.
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils.http import int_to_base36

from accounts.services import api_token_create
from accounts.tests.factories import UserFactory
from hublot.models import Issue, Repository
from photos.albums import album_add_photo, album_create
from photos.services import photo_upload
from photos.tests.images import image_bytes, upload
from recipes.tests.factories import RecipeFactory
from snaps.tests.factories import SnapFactory
from social import services as social_services
from social.tests.factories import FollowFactory, PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# Routes not sent hostile input, and why.
SKIPPED = {
    r"media/": "development-only file serving (django.conf.urls.static); production serves "
    "MEDIA_ROOT from the web server or S3, and static files are whitenoise's, not routes",
}

HUGE = "99999999999999999999"  # past bigint
NUL = "a\x00b"
SURROGATE_QUERY = "%ED%A0%80"  # UTF-8 bytes of U+D800
# Every input name the project's forms, serializers and filters read, plus the admin's.
NAMES = (
    "title", "ingredients", "instructions", "servings", "total_time_minutes", "share_on",
    "name", "extension", "content", "visibility", "expires_at", "username", "email",
    "password", "password1", "password2", "old_password", "new_password1", "new_password2",
    "login", "remember", "comment", "photo", "description", "owner", "user", "search", "q",
    "ordering", "o", "state", "label", "author", "is_pull_request", "provider", "next",
    "cursor", "page", "page_size", "limit", "servings__lte", "total_time_minutes__lte",
    "action", "_selected_action", "code", "key", "process", "account", "p", "all", "kind",
)  # fmt: skip
INTEGER_NAMES = (
    "servings",
    "total_time_minutes",
    "servings__lte",
    "total_time_minutes__lte",
    "page",
    "page_size",
    "limit",
    "user",
    "p",
)
VALID = {
    "title": "Soup", "ingredients": "water", "instructions": "boil", "servings": 2,
    "total_time_minutes": 10, "name": "snippet", "extension": "py", "content": "print(1)\n",
    "visibility": "public", "username": "newcomer", "email": "newcomer@example.com",
    "password": "a-long-enough-passphrase-9", "comment": "hello", "share_on": ["twitter"],
}  # fmt: skip


@dataclass(frozen=True)
class Route:
    pattern: str  # the joined route/regex, e.g. "^api/(?P<version>v\d+)/posts/<int:pk>/"
    callback: Callable

    @property
    def is_api(self) -> bool:
        # `api/` itself is dpaste's API (snaps/dpaste.py): plain-text answers, as dpaste's.
        path = self.pattern.lstrip("^")
        return path.startswith("api/") and path != "api/"

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/")


def _walk(patterns, prefix: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield Route(prefix + str(entry.pattern), entry.callback)


def all_routes() -> list[Route]:
    """Every reachable route: a pattern listed again later (allauth's own sign-up page,
    which accounts.views.SignupView takes over) can never be reached, so only the first counts."""
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        routes.setdefault(route.pattern, route)
    return list(routes.values())


def routes_under_test() -> list[Route]:
    return [r for r in all_routes() if not any(re.match(s, r.pattern.lstrip("^")) for s in SKIPPED)]


PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>(?P<regex>[^)]*)\)")


class World:
    """The real objects path parameters point at, all owned by one superuser."""

    def __init__(self):
        self.owner = UserFactory(is_staff=True, is_superuser=True)
        self.other = UserFactory()
        FollowFactory(follower=self.other, followed=self.owner)
        self.snap = SnapFactory(user=self.owner)
        self.post = PostFactory(user=self.owner)
        self.photo = photo_upload(user=self.owner, file=upload(image_bytes()))
        self.album = album_create(user=self.owner, title="Album")
        album_add_photo(album=self.album, photo=self.photo, by=self.owner)
        self.recipe = RecipeFactory(user=self.owner)
        from recipes.services import shopping_list_create, tags_for_names

        self.recipe.tags.set(tags_for_names(["quick"]))
        self.shopping_list = shopping_list_create(user=self.owner, recipes=[(self.recipe, 2)])
        self.shopping_item = self.shopping_list.items.first()
        self.repository = Repository.objects.create(owner="django", name="django")
        Issue.objects.create(repository=self.repository, number=1, title="Bug", state="open")
        self.notification = social_services.notification_create(
            recipient=self.owner, actor=self.other, kind="like", post=self.post
        )
        self.token = api_token_create(user=self.owner, name="test")
        from allauth.mfa.webauthn.internal.auth import WebAuthn

        from accounts.tests.webauthn import registration_credential

        self.security_key = WebAuthn.add(self.owner, "key", registration_credential()).instance
        self.by_segment = {
            "users": self.owner.pk,
            "posts": self.post.pk,
            "photos": self.photo.pk,
            "albums": self.album.pk,
            "repositories": self.repository.pk,
            "hublot": self.repository.pk,
            "recipes": self.recipe.pk,
            "notifications": self.notification.pk,
            "tokens": self.token.pk,
            "shopping": self.shopping_list.pk,
            "shopping-lists": self.shopping_list.pk,
            "items": self.shopping_item.pk,
            "keys": self.security_key.pk,  # accounts/2fa/webauthn/keys/<pk>/
            "accounts": self.owner.pk,  # Mastodon's /api/v1/accounts/<id>/...
            "statuses": self.post.pk,
        }

    def value(self, pattern: str, match: re.Match) -> str:
        name = match["name"] or match["rname"]
        before = [s for s in re.sub(r"[\^$]", "", pattern[: match.start()]).split("/") if s]
        if name == "version":
            return "v1"
        if name == "username":
            return self.owner.username
        if name == "number":  # hublot/<pk>/issues/<number>/
            return "1"
        if name in ("tag", "hashtag"):
            return "bread"
        if name == "photo_id":  # albums/<pk>/photos/<photo_id>/
            return str(self.photo.pk)
        if name == "slug":  # recipes/tags/<slug>/
            return "quick"
        if name == "recipe_id":
            return str(self.recipe.pk)
        if name == "item_id":
            return str(self.shopping_item.pk)
        if name == "hash_key":
            return self.snap.hash_key
        if name == "filename":  # a snap's file
            return self.snap.filename
        if name == "pk":
            return str(self.by_segment[before[-1]])
        if name == "id" and before[:2] == ["api", "v1"]:  # the Mastodon client API
            return str(self.by_segment.get(before[-1], 1))
        if name == "application_id":  # accounts/apps/<id>/revoke/ (authorised apps)
            return "1"
        if name in ("object_id", "id") and before[0] == "admin" and before[1] != "r":
            model = apps.get_model(before[1], before[2])
            first = model._default_manager.order_by("pk").first()
            return str(first.pk if first else 1)
        if name == "object_id":  # admin/r/<content_type_id>/<object_id>/ (view on site)
            return str(self.owner.pk)
        if name == "content_type_id":
            return str(ContentType.objects.get_for_model(self.owner).pk)
        if name == "app_label":
            return match["regex"].split("|")[0]
        if name == "uidb36":
            return int_to_base36(self.owner.pk)
        if name == "key" and "uidb36" in pattern:
            return default_token_generator.make_token(self.owner)
        if name in ("key", "url", "token"):
            return "not-a-real-key"
        raise LookupError(f"no filler for <{name}> in {pattern!r}: add one to World.value")

    def path(self, route: Route, replace: Callable[[str, str], str] | None = None) -> str:
        """The concrete URL of `route`; `replace(name, value)` may swap a parameter's value."""
        out, last = [], 0
        for match in PARAM.finditer(route.pattern):
            out.append(route.pattern[last : match.start()])
            value = self.value(route.pattern, match)
            out.append(replace(match["name"] or match["rname"], value) if replace else value)
            last = match.end()
        out.append(route.pattern[last:])
        path = "/" + re.sub(r"[\^$]", "", "".join(out)).replace("/?", "/").replace("\\.", ".")
        return path


@pytest.fixture
def world(db) -> World:
    return World()


def test_every_route_is_covered(world):
    """Each route's URL resolves back to its own view, and nothing is skipped silently."""
    for route in routes_under_test():
        path = world.path(route)
        assert resolve(path).func is route.callback, (route.pattern, path)
    skipped = [r.pattern for r in all_routes() if r not in routes_under_test()]
    assert set(skipped) <= {"^media/(?P<path>.*)$"}  # static() adds it only with DEBUG
    assert len(routes_under_test()) > 150  # the apps, allauth and every admin page


def _form(fields: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(fields, doseq=True)


class Probe:
    """Sends hostile requests to one route as both clients and collects what went wrong."""

    def __init__(self, world: World, route: Route):
        self.world, self.route = world, route
        self.failures: list[str] = []
        self.path = world.path(route)
        self.anonymous = Client(raise_request_exception=False)
        self.member = Client(raise_request_exception=False)

    def clients(self) -> Iterator[tuple[str, Client]]:
        yield "anonymous", self.anonymous
        # Signed in again after a logout or a deleted session; not once the owner is gone.
        owner_exists = type(self.world.owner).objects.filter(pk=self.world.owner.pk).exists()
        if owner_exists and "_auth_user_id" not in self.member.session:
            self.member.force_login(self.world.owner)
        yield "owner", self.member

    def send(
        self,
        label: str,
        method: str,
        path: str | None = None,
        *,
        query: str = "",
        body: str | bytes | None = None,
        content_type: str = "",
        **headers,
    ) -> None:
        path = path or self.path
        url = f"{path}?{query}" if query else path
        for who, client in self.clients():
            if who == "anonymous" and method not in ("GET", "POST"):
                continue
            kwargs = {"content_type": content_type} if content_type else {}
            if body is not None:
                kwargs["data"] = body
            response = client.generic(method, url, **kwargs, **headers)
            self.check(f"{who} {method} {label}", response)

    def check(self, label: str, response) -> None:
        status = response.status_code
        if status >= 500:
            error = getattr(response, "exc_info", None)
            reason = repr(error[1])[:300] if error else response.content[:200]
            self.failures.append(f"{label}: {status} {reason}")
        elif (
            self.route.is_api
            and status >= 400
            and status != 405
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            self.failures.append(f"{label}: {status} is not JSON ({response.get('Content-Type')})")

    def bodies(self, label: str, fields: dict, *, json_body: str | None = None) -> None:
        """A form POST everywhere; JSON POST/PUT/PATCH under /api/ (plus form PUT/PATCH)."""
        form = _form(fields)
        self.send(label, "POST", body=form, content_type="application/x-www-form-urlencoded")
        if not self.route.is_api:
            return
        payload = json_body if json_body is not None else json.dumps(fields)
        for method in ("POST", "PUT", "PATCH"):
            self.send(label, method, body=payload, content_type="application/json")
        self.send(label, "PATCH", body=form, content_type="application/x-www-form-urlencoded")

    def path_variants(self, label: str, value: Callable[[str, str], str | None]) -> None:
        """GET the route with each path parameter swapped by `value` (None: keep it)."""
        for match in PARAM.finditer(self.route.pattern):
            name = match["name"] or match["rname"]
            if value(name, match["conv"] or "") is None or name == "version":
                continue
            path = self.world.path(
                self.route,
                lambda n, v, name=name, match=match: (
                    value(n, match["conv"] or "") if n == name else v
                ),
            )
            self.send(f"{label} in <{name}>", "GET", path)


def _nul(probe: Probe) -> None:
    probe.path_variants("NUL", lambda name, conv: None if conv == "int" else "a%00b")
    probe.send("NUL in query", "GET", query=_form(dict.fromkeys(NAMES, NUL)))
    probe.bodies("NUL in body", {**VALID, **dict.fromkeys(NAMES, NUL)})
    probe.send("NUL in header", "GET", HTTP_AUTHORIZATION="Token a\x00b")
    probe.send("NUL in cookie", "GET", HTTP_COOKIE='sessionid="abcdefgh\\000ijkl"')


def _surrogates(probe: Probe) -> None:
    probe.path_variants("surrogate", lambda name, conv: None if conv == "int" else SURROGATE_QUERY)
    query = "&".join(f"{name}={SURROGATE_QUERY}" for name in NAMES)
    probe.send("surrogate in query", "GET", query=query)
    probe.send(
        "surrogate in form", "POST", body=query, content_type="application/x-www-form-urlencoded"
    )
    if probe.route.is_api:
        payload = json.dumps({**VALID, **dict.fromkeys(NAMES, "\ud800")})  # "\\ud800" escapes
        for method in ("POST", "PUT", "PATCH"):
            probe.send("surrogate in JSON", method, body=payload, content_type="application/json")


def _nested_json(probe: Probe) -> None:
    depth = 100_000
    for method in ("POST", "PUT", "PATCH"):
        probe.send(
            "nested JSON", method, body="[" * depth + "]" * depth, content_type="application/json"
        )
        probe.send(
            "nested JSON object",
            method,
            body='{"a":' * 5000 + "1" + "}" * 5000,
            content_type="application/json",
        )


def _charsets(probe: Probe) -> None:
    form = _form(VALID)
    for charset in ("x-unknown", "zlib", "utf-7", "utf-16"):
        content_type = f"application/x-www-form-urlencoded; charset={charset}"
        probe.send(f"charset={charset}", "POST", body=form, content_type=content_type)
        if probe.route.is_api:
            probe.send(f"charset={charset}", "PATCH", body=form, content_type=content_type)
            probe.send(
                f"JSON charset={charset}",
                "POST",
                body=json.dumps(VALID),
                content_type=f"application/json; charset={charset}",
            )
    probe.send(
        "utf-7 surrogate",
        "POST",
        body=b"title=+2AA-",
        content_type="application/x-www-form-urlencoded; charset=utf-7",
    )
    probe.send("multipart without boundary", "POST", body=b"x", content_type="multipart/form-data")


def _duplicates(probe: Probe) -> None:
    fields = {**VALID, "share_on": ["twitter", "twitter", "facebook", "facebook"]}
    probe.bodies("duplicate list items", fields)
    probe.send("duplicate query keys", "GET", query="user=a&user=a&ordering=title&ordering=title")


def _numbers(probe: Probe) -> None:
    probe.path_variants("huge id", lambda name, conv: HUGE if conv in ("int", "") else None)
    probe.path_variants("negative id", lambda name, conv: "-1" if conv == "" else None)
    for number in (HUGE, "-" + HUGE, "1e400", "NaN"):
        probe.send(f"{number} in query", "GET", query=_form(dict.fromkeys(INTEGER_NAMES, number)))
        probe.bodies(f"{number} in body", {**VALID, **dict.fromkeys(INTEGER_NAMES, number)})
    probe.bodies(
        f"int {HUGE} in JSON",
        VALID,
        json_body=json.dumps(VALID)[:-1] + f', "servings": {HUGE}, "total_time_minutes": -{HUGE}}}',
    )


def _paging(probe: Probe) -> None:
    for page, size in (
        ("abc", "abc"),
        ("-1", "-1"),
        ("0", "0"),
        (HUGE, HUGE),
        ("2", "1000"),
        ("1.5", "1.5"),
        ("last", ""),
    ):
        probe.send(
            f"page={page} page_size={size}",
            "GET",
            query=f"page={page}&page_size={size}&limit={size}",
        )
    probe.send("garbage cursor", "GET", query="cursor=%%%not-base64")


def _unknown_and_blank(probe: Probe) -> None:
    probe.bodies("unknown field", {**VALID, "zz_unknown": "1", "id": 5, "user": "someone"})
    probe.bodies("blank values", dict.fromkeys(NAMES, ""))
    if probe.route.is_api:
        for body in ("[]", "null", '"text"', "1", "", "{"):
            probe.send(f"JSON {body!r}", "POST", body=body, content_type="application/json")


def _long(probe: Probe) -> None:
    probe.send("100 kB query string", "GET", query="q=" + "x" * 100_000)
    probe.send("100 kB header", "GET", HTTP_X_CUSTOM="x" * 100_000)
    probe.send("100 kB token", "GET", HTTP_AUTHORIZATION="Token " + "x" * 100_000)
    probe.send(
        "long field",
        "POST",
        body=_form({**VALID, "title": "x" * 200_000}),
        content_type="application/x-www-form-urlencoded",
    )


INPUT_CLASSES = {
    "nul": _nul,
    "surrogates": _surrogates,
    "nested-json": _nested_json,
    "charset": _charsets,
    "duplicates": _duplicates,
    "numbers": _numbers,
    "paging": _paging,
    "unknown-blank": _unknown_and_blank,
    "long": _long,
}


@pytest.mark.parametrize("route", routes_under_test(), ids=lambda r: r.pattern)
def test_no_hostile_input_gives_a_server_error(world, route):
    probe = Probe(world, route)
    for send_class in INPUT_CLASSES.values():
        send_class(probe)
    assert not probe.failures, "\n".join(probe.failures)
