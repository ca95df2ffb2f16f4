from datetime import UTC, datetime

import pytest

from recipes import services
from recipes.models import CrossPost
from recipes.services import tweet_length

D = {"ingredients": "rice", "instructions": "Cook."}


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("abc", 3),
        ("日本語", 6),
        ("한국어", 6),
        ("café", 4),
        ("👍", 2),
        ("👍🏽", 2),  # skin tone: one emoji
        ("👨\u200d👩\u200d👧", 2),  # a family: one ZWJ sequence
        ("🇫🇷", 2),  # a flag: two regional indicators
        ("see https://example.com/a/very/long/path?x=1", 27),
        ("\u2013 \u2018quoted\u2019", 10),  # general punctuation weighs 1
    ],
)
def test_tweet_length_weighs_like_twitter_text(text, length):
    assert tweet_length(text) == length


@pytest.mark.integration
@pytest.mark.django_db
class TestCrossPostFixes:
    def test_a_long_cjk_title_is_cut_to_fit_as_x_counts(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        title = "美味しい" * 37  # 148 CJK characters: 296 as X counts them
        with django_capture_on_commit_callbacks(execute=True):
            recipe = services.recipe_create(user=chef, title=title[:147], **D)
        crosspost = recipe.crossposts.get()
        assert crosspost.status == CrossPost.Status.SENT
        assert tweet_length(crosspost.text) <= 280
        assert crosspost.text.split(" ")[0].endswith("...")

    def test_x_duplicate_content_is_recorded_as_posted(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            recipe = services.recipe_create(user=chef, title="Risotto", **D)
        crosspost = recipe.crossposts.get()
        earlier = {
            "id": "1799",
            "text": crosspost.text,
            "author_id": "1001",
            "created_at": datetime.now(UTC),
        }
        fake_x.tweets.append(earlier)  # already on X, e.g. posted by hand
        assert services.crosspost_send(crosspost_id=crosspost.pk) == CrossPost.Status.SENT
        crosspost.refresh_from_db()
        assert (crosspost.status, crosspost.remote_id) == (CrossPost.Status.SENT, "1799")
        assert "duplicate" in crosspost.last_error
        assert len(fake_x.tweets) == 1


@pytest.mark.integration
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/users/login/twitter", "/accounts/twitter_oauth2/login/"),
        ("/users/login/facebook", "/accounts/facebook/login/"),
        ("/users/login/twitter?next=/recipes/", "/accounts/twitter_oauth2/login/?next=/recipes/"),
    ],
)
def test_the_books_login_paths_redirect_to_allauth(client, path, target):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == target


@pytest.mark.unit
@pytest.mark.parametrize(
    ("site_url", "allowed", "warned"),
    [
        ("https://blueprints.example.com", ["blueprints.example.com"], False),
        ("https://www.example.com", [".example.com"], False),
        ("http://127.0.0.1:8000", ["blueprints.example.com"], True),
    ],
)
def test_deploy_check_warns_when_site_url_is_not_an_allowed_host(
    settings, site_url, allowed, warned
):
    from recipes.checks import check_site_url

    settings.SITE_URL, settings.ALLOWED_HOSTS = site_url, allowed
    assert [w.id for w in check_site_url(None)] == (["recipes.W001"] if warned else [])


@pytest.mark.integration
@pytest.mark.django_db
def test_admin_warns_when_reached_on_another_host(admin_client, settings):
    settings.SITE_URL = "https://blueprints.example.com"
    settings.ALLOWED_HOSTS = ["testserver", "blueprints.example.com"]
    response = admin_client.get("/admin/recipes/crosspost/")
    assert "Cross-post links point at SITE_URL" in response.content.decode()
    response = admin_client.get("/admin/recipes/crosspost/", HTTP_HOST="blueprints.example.com")
    assert "Cross-post links point at SITE_URL" not in response.content.decode()


@pytest.mark.integration
@pytest.mark.django_db
def test_friends_show_network_name_and_follow_state(client, auth_api_client, user, fake_x, connect):
    from accounts.tests.factories import UserFactory
    from social.tests.factories import FollowFactory

    connect(user, "twitter", "1001", fake_x.token_for("1001"))
    followed, other = UserFactory(username="ann"), UserFactory(username="ben")
    connect(followed, "twitter", "2001", "t1").extra_data = {}
    account = connect(other, "twitter", "2002", "t2")
    account.extra_data = {"username": "ben_on_x"}
    account.save()
    FollowFactory(follower=user, followed=followed)
    fake_x.following["1001"] = ["2001", "2002"]
    body = auth_api_client.get("/api/v1/recipes/friends/", {"provider": "twitter"}).json()
    assert body == [
        {
            "id": followed.pk,
            "username": "ann",
            "provider": "twitter",
            "screen_name": "",
            "is_following": True,
        },
        {
            "id": other.pk,
            "username": "ben",
            "provider": "twitter",
            "screen_name": "ben_on_x",
            "is_following": False,
        },
    ]
    client.force_login(user)
    html = client.get("/recipes/friends/").content.decode()
    assert 'action="/social/u/ann/unfollow/"' in html and ">Following</button>" in html
    assert 'action="/social/u/ben/follow/"' in html and "(ben_on_x)" in html
