import pytest
from django.conf import settings as django_settings

from recipes import services
from recipes.models import CrossPost, Recipe
from recipes.tasks import crosspost_send_task
from recipes.tests.factories import DATA

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def create(user, capture, **extra):
    with capture(execute=True):
        return services.recipe_create(user=user, **DATA, **extra)


class TestCreate:
    def test_announces_on_x_after_commit_with_the_link(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as hooks:
            recipe = services.recipe_create(user=chef, **DATA)
        assert fake_x.requests_to("POST", "/2/tweets") == []  # nothing before the commit
        queued = [
            hook for hook in hooks if getattr(hook, "func", None) == services.crosspost_enqueue
        ]
        assert len(queued) == 1
        for hook in hooks:
            hook()
        (post,) = fake_x.requests_to("POST", "/2/tweets")
        crosspost = CrossPost.objects.get()
        url = f"{django_settings.SITE_URL}/recipes/{recipe.pk}/#{crosspost.marker}"
        assert post.json == {"text": f"Leek soup {url}"}
        assert post.bearer == "x-token-1001"
        crosspost = CrossPost.objects.get()
        assert (crosspost.status, crosspost.remote_id, crosspost.attempts) == (
            "sent",
            fake_x.tweets[0]["id"],
            1,
        )
        assert crosspost.sent_on is not None

    def test_text_fits_280_counting_the_link_as_23(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        title = "word " * 39 + "end"  # 198 characters, near the 200 limit
        with django_capture_on_commit_callbacks(execute=True):
            services.recipe_create(user=chef, **{**DATA, "title": title})
        summary, url = fake_x.tweets[0]["text"].rsplit(" ", 1)
        assert summary == title and url.startswith("http") and "#bp-" in url
        assert len(summary) + 1 + services.TWEET_LINK_LENGTH <= 280

    def test_unticked_or_unconnected_means_no_crosspost(
        self, chef, other_user, fake_x, django_capture_on_commit_callbacks
    ):
        create(chef, django_capture_on_commit_callbacks, share_on=[])
        create(other_user, django_capture_on_commit_callbacks)
        assert not CrossPost.objects.exists()
        assert fake_x.requests_to("POST", "/2/tweets") == []
        assert Recipe.objects.count() == 2

    def test_facebook_page_when_configured(
        self, user, facebook_page, django_capture_on_commit_callbacks
    ):
        recipe = create(user, django_capture_on_commit_callbacks)
        (post,) = facebook_page.requests_to("POST", "/4242/feed")
        link = f"{django_settings.SITE_URL}/recipes/{recipe.pk}/#{CrossPost.objects.get().marker}"
        assert post.form["message"] == f"{recipe.summarize(253)} {link}"
        assert post.form["link"] == link
        assert CrossPost.objects.get(provider="facebook").remote_id == "4242_1"


class TestTask:
    def make(self, chef, django_capture_on_commit_callbacks) -> CrossPost:
        with django_capture_on_commit_callbacks(execute=False):
            services.recipe_create(user=chef, **DATA)
        return CrossPost.objects.get()

    def test_running_twice_posts_once(self, chef, fake_x, django_capture_on_commit_callbacks):
        crosspost = self.make(chef, django_capture_on_commit_callbacks)
        crosspost_send_task.delay(crosspost_id=crosspost.pk)
        crosspost_send_task.delay(crosspost_id=crosspost.pk)
        assert len(fake_x.requests_to("POST", "/2/tweets")) == 1
        assert len(fake_x.tweets) == 1

    def test_5xx_is_retried_until_it_works(
        self, chef, fake_x, django_capture_on_commit_callbacks, eager_retries
    ):
        crosspost = self.make(chef, django_capture_on_commit_callbacks)
        fake_x.fail_next = [503, 502]
        crosspost_send_task.delay(crosspost_id=crosspost.pk)
        crosspost.refresh_from_db()
        assert crosspost.status == "sent" and crosspost.attempts == 3
        assert len(fake_x.tweets) == 1

    def test_persistent_5xx_gives_up_as_failed(
        self, chef, fake_x, django_capture_on_commit_callbacks, eager_retries
    ):
        crosspost = self.make(chef, django_capture_on_commit_callbacks)
        fake_x.fail_next = [503] * 10
        crosspost_send_task.delay(crosspost_id=crosspost.pk)
        crosspost.refresh_from_db()
        assert crosspost.status == "failed"
        assert "Gave up after retries" in crosspost.last_error
        assert Recipe.objects.exists()  # the recipe stays whatever the network does

    def test_401_fails_without_retry(
        self, user, fake_x, connect, django_capture_on_commit_callbacks
    ):
        connect(user, "twitter", "1002", "revoked-token")
        crosspost = self.make(user, django_capture_on_commit_callbacks)
        crosspost_send_task.delay(crosspost_id=crosspost.pk)
        crosspost.refresh_from_db()
        assert (crosspost.status, crosspost.attempts) == ("failed", 1)
        assert "Reconnect your account" in crosspost.last_error
        assert len(fake_x.requests_to("POST", "/2/tweets")) == 1

    def test_429_retries_at_the_reset_time(
        self, chef, fake_x, django_capture_on_commit_callbacks, monkeypatch, eager_retries
    ):
        crosspost = self.make(chef, django_capture_on_commit_callbacks)
        fake_x.fail_next = [429]
        countdowns = []
        original = crosspost_send_task.retry

        def spy(*args, **kwargs):
            countdowns.append(kwargs.get("countdown"))
            return original(*args, **kwargs)

        monkeypatch.setattr(crosspost_send_task, "retry", spy)
        crosspost_send_task.delay(crosspost_id=crosspost.pk)
        assert 80 <= countdowns[0] <= 91
        crosspost.refresh_from_db()
        assert crosspost.status == "sent"

    def test_interrupted_attempt_is_found_not_reposted(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        crosspost = self.make(chef, django_capture_on_commit_callbacks)
        # An earlier worker posted, then died before recording it.
        fake_x.tweets.append({"id": "777", "text": crosspost.text, "author_id": "1001"})
        CrossPost.objects.filter(pk=crosspost.pk).update(status="sending", attempts=1)
        crosspost_send_task.delay(crosspost_id=crosspost.pk)
        crosspost.refresh_from_db()
        assert (crosspost.status, crosspost.remote_id, crosspost.attempts) == ("sent", "777", 2)
        assert fake_x.requests_to("POST", "/2/tweets") == []

    def test_disconnected_account_is_skipped(
        self, chef, fake_x, django_capture_on_commit_callbacks
    ):
        crosspost = self.make(chef, django_capture_on_commit_callbacks)
        chef.socialaccount_set.all().delete()
        crosspost_send_task.delay(crosspost_id=crosspost.pk)
        crosspost.refresh_from_db()
        assert crosspost.status == "skipped"
        assert fake_x.requests == []

    def test_admin_retry_requeues_failed(self, chef, fake_x, django_capture_on_commit_callbacks):
        crosspost = self.make(chef, django_capture_on_commit_callbacks)
        CrossPost.objects.filter(pk=crosspost.pk).update(status="failed", last_error="x")
        with django_capture_on_commit_callbacks(execute=True):
            assert services.crosspost_retry(crosspost=CrossPost.objects.get()) is True
        assert CrossPost.objects.get().status == "sent"
