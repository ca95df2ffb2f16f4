"""A client generated from /api/schema/ by openapi-python-client works unmodified.

The client is generated from the live schema into a temporary directory, imported
from there, and drives the main flows against a live server: sign up, token, me,
snaps (create, read, update, delete), a photo upload, posts, follows, the feed and
recipes. Any schema that lies about a request or a response breaks it."""

import importlib
import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.version import Version

from accounts.tests.factories import UserFactory
from photos.tests.images import image_bytes

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PACKAGE = "blueprints_api_client"
PASSWORD = "generated-client-passphrase"


@pytest.fixture
def api(live_server, tmp_path):
    """The generated package, imported from tmp_path; forgotten again afterwards."""
    venv_bin = Path(sys.executable).parent
    result = subprocess.run(
        [
            str(venv_bin / "openapi-python-client"),
            "generate",
            "--url",
            f"{live_server.url}/api/schema/",
            "--output-path",
            str(tmp_path / "client"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        # Its post-generation hook formats the code with ruff, from the same venv.
        env={**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout  # nothing of the schema skipped
    project = tomllib.loads((tmp_path / "client" / "pyproject.toml").read_text())
    Version(project["tool"]["poetry"]["version"])  # installable: a valid version string
    sys.path.insert(0, str(tmp_path / "client"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path / "client"))
        for name in [name for name in sys.modules if name.partition(".")[0] == PACKAGE]:
            del sys.modules[name]


def module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_generated_client_runs_the_main_flows(api, live_server):
    models = module("models")
    types = module("types")
    users = {
        name: module(f"api.users.{name}")
        for name in (
            "users_create",
            "users_me_retrieve",
            "users_retrieve",
            "users_follow_create",
            "users_followers_list",
        )
    }
    anonymous = api.Client(base_url=live_server.url, raise_on_unexpected_status=True)

    # Sign up, then trade the password for a token.
    signup = models.UserCreateInputRequest(
        username="genclient", email="genclient@example.com", password=PASSWORD
    )
    created = users["users_create"].sync_detailed(client=anonymous, body=signup)
    assert created.status_code == 201, created.content
    assert created.parsed.username == "genclient"
    token_api = module("api.auth.auth_token_create")
    token = token_api.sync(
        client=anonymous,
        body=models.AuthTokenRequest(username="genclient", password=PASSWORD),
    )
    assert isinstance(token, models.AuthToken) and token.token
    wrong = token_api.sync_detailed(
        client=anonymous, body=models.AuthTokenRequest(username="genclient", password="nope")
    )
    assert wrong.status_code == 400 and isinstance(wrong.parsed, models.Error)
    client = api.AuthenticatedClient(
        base_url=live_server.url,
        token=token.token,
        prefix="Token",
        raise_on_unexpected_status=True,
    )

    me = users["users_me_retrieve"].sync(client=client)
    assert isinstance(me, models.UserMe) and me.id == created.parsed.id
    assert users["users_retrieve"].sync(me.id, client=client).email == "genclient@example.com"

    # Snaps: create, read, update, partial update, delete.
    snap_api = {
        name: module(f"api.snaps.snaps_{name}")
        for name in ("create", "retrieve", "update", "partial_update", "destroy", "list")
    }
    snap = snap_api["create"].sync(
        client=client,
        body=models.SnapRequest(name="hello.py", extension="py", content="print('hi')"),
    )
    assert isinstance(snap, models.Snap), snap
    assert snap_api["retrieve"].sync(snap.hash_key, client=client).content == "print('hi')"
    updated = snap_api["update"].sync(
        snap.hash_key,
        client=client,
        body=models.SnapRequest(name="hello.py", extension="py", content="print('bye')"),
    )
    assert updated.content == "print('bye')"
    renamed = snap_api["partial_update"].sync(
        snap.hash_key, client=client, body=models.PatchedSnapRequest(name="bye.py")
    )
    assert renamed.name == "bye.py" and renamed.content == "print('bye')"
    assert [s.hash_key for s in snap_api["list"].sync(client=client).results] == [snap.hash_key]
    assert snap_api["destroy"].sync_detailed(snap.hash_key, client=client).status_code == 204
    gone = snap_api["retrieve"].sync_detailed(snap.hash_key, client=client)
    assert gone.status_code == 404 and isinstance(gone.parsed, models.Error)

    # A photo upload (multipart, the photo a binary file).
    photo_create = module("api.photos.photos_create")
    upload = models.PhotoUploadRequest(
        photo=types.File(payload=io.BytesIO(image_bytes()), file_name="red.png"),
        comment="A red square",
    )
    photo = photo_create.sync(client=client, body=upload)
    assert isinstance(photo, models.Photo), photo
    assert (photo.width, photo.height, photo.comment) == (8, 6, "A red square")
    listed = module("api.photos.photos_list").sync(client=client)
    assert [p.id for p in listed.results] == [photo.id]

    # Post, follow someone, read the feed.
    author = UserFactory(username="followed")
    post = module("api.posts.posts_create").sync(
        client=client, body=models.PostRequest(content="My first post")
    )
    assert isinstance(post, models.Post) and post.content == "My first post"
    followed = users["users_follow_create"].sync_detailed("followed", client=client)
    assert followed.status_code in (200, 201), followed.content
    followers = users["users_followers_list"].sync("followed", client=client)
    assert [person.username for person in followers.results] == ["genclient"]
    from social.services import post_create  # the followed user posts, through the service

    post_create(user=author, content="From someone I follow")
    feed = module("api.feed.feed_retrieve").sync(client=client)
    assert isinstance(feed, models.FeedPage)
    # The photo uploaded above is in the stream too, as an activity.
    shown = [p.activity.title if p.activity else p.content for p in feed.results]
    assert shown == ["From someone I follow", "My first post", "A red square"]

    # Recipes: create, list.
    recipe = module("api.recipes.recipes_create").sync(
        client=client,
        body=models.RecipeRequest(
            title="Toast", ingredients="bread", instructions="Toast it.", servings=1
        ),
    )
    assert isinstance(recipe, models.Recipe), recipe
    recipes = module("api.recipes.recipes_list").sync(client=client, search="Toast")
    assert [r.id for r in recipes.results] == [recipe.id]
