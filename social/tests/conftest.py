import pytest

from social import services


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit hooks (signals, fan-out) that the test transaction would hold back."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def follow(committed):
    return lambda a, b: committed(services.follow_create, follower=a, followed=b)


@pytest.fixture
def unfollow(committed):
    return lambda a, b: committed(services.follow_delete, follower=a, followed=b)


@pytest.fixture
def post(committed):
    return lambda user, content="hello": committed(services.post_create, user=user, content=content)
