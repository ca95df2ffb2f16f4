import pytest

from hublot.tests.fake_github import FakeGitHub


@pytest.fixture
def github(settings):
    """A fake GitHub the client is pointed at."""
    fake = FakeGitHub().start()
    settings.GITHUB_API_URL = fake.url
    settings.GITHUB_TOKEN = "test-token"
    yield fake
    fake.stop()
