import pytest

from hublot.tests.fake_github import FakeGitHub


@pytest.fixture
def github(settings):
    """A fake GitHub the client is pointed at; no pause between requests."""
    fake = FakeGitHub().start()
    settings.GITHUB_API_URL = fake.url
    settings.GITHUB_TOKEN = "test-token"
    settings.GITHUB_MIN_INTERVAL = 0
    yield fake
    fake.stop()
