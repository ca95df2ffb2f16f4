import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests.factories import UserFactory
from social import services
from social.models import Post
from social.signals import post_created, user_followed, user_unfollowed
from social.tests.factories import PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def received():
    """Record every send of the app's signals."""
    log = []

    def make(name):
        def handler(sender, **kwargs):
            log.append((name, kwargs))

        return handler

    names = {user_followed: "followed", user_unfollowed: "unfollowed", post_created: "post"}
    handlers = {signal: make(name) for signal, name in names.items()}
    for signal, handler in handlers.items():
        signal.connect(handler)
    yield log
    for signal, handler in handlers.items():
        signal.disconnect(handler)


class TestSignals:
    def test_user_followed_fires_once_after_commit(
        self, django_capture_on_commit_callbacks, received
    ):
        a, b = UserFactory(), UserFactory()
        with django_capture_on_commit_callbacks(execute=False) as hooks:
            services.follow_create(follower=a, followed=b)
        assert received == []  # nothing before the commit
        for hook in hooks:
            hook()
        assert received == [("followed", {"signal": user_followed, "follower": a, "followed": b})]

        with django_capture_on_commit_callbacks(execute=True):
            services.follow_create(follower=a, followed=b)  # already following
        assert len(received) == 1

    def test_followed_user_gets_one_email(self, follow):
        a, b = UserFactory(username="alice"), UserFactory(username="bob", email="bob@example.com")
        follow(a, b)
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["bob@example.com"]
        assert message.subject == f"alice now follows you on {settings.SITE_NAME}"
        assert "/u/alice/" in message.body
        follow(a, b)
        assert len(mail.outbox) == 1

    def test_user_unfollowed_fires_on_unfollow_only_when_there_was_a_follow(
        self, follow, unfollow, received
    ):
        a, b = UserFactory(), UserFactory()
        unfollow(a, b)
        assert received == []
        follow(a, b)
        unfollow(a, b)
        assert [name for name, _ in received] == ["followed", "unfollowed"]

    def test_post_created_fires_after_commit(self, post, received):
        user = UserFactory()
        created = post(user, "hi")
        assert received == [("post", {"signal": post_created, "post": created})]


class TestPosts:
    def test_create_normalises_line_breaks_before_the_length_check(self):
        content = "\r\n".join(["z" * 50] * 10)  # 509 characters once normalised: too long
        with pytest.raises(ValidationError):
            services.post_create(user=UserFactory(), content=content)
        fits = "\r".join(["z" * 49] * 10)  # old Mac breaks too: 499 characters
        assert services.post_create(user=UserFactory(), content=fits).content.count("\n") == 9

    def test_create_strips_and_saves(self):
        post = services.post_create(user=UserFactory(), content="  hello  ")
        assert Post.objects.get().content == "hello" == post.content

    @pytest.mark.parametrize("content", ["", "   ", "x" * 501])
    def test_create_rejects_blank_and_too_long(self, content):
        with pytest.raises(ValidationError):
            services.post_create(user=UserFactory(), content=content)
        assert not Post.objects.exists()

    def test_only_author_deletes(self, other_user):
        post = PostFactory()
        with pytest.raises(PermissionDenied):
            services.post_delete(post=post, by=other_user)
        services.post_delete(post=post, by=post.user)
        assert not Post.objects.exists()

    def test_self_follow_is_validation_error(self, user):
        with pytest.raises(ValidationError):
            services.follow_create(follower=user, followed=user)
