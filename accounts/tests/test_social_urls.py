import pytest
from allauth.socialaccount.models import SocialAccount

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_social_account_keeps_only_http_urls_from_the_provider(user):
    account = SocialAccount.objects.create(
        user=user,
        provider="twitter_oauth2",
        uid="42",
        extra_data={
            "username": "cook",
            "profile_image_url": "javascript:alert(1)",
            "url": "https://cook.example",
            "picture": {"data": {"url": "data:text/html,<script>alert(1)</script>"}},
            "link": "https://www.facebook.com/cook",
        },
    )
    account.refresh_from_db()
    assert account.extra_data == {
        "username": "cook",
        "url": "https://cook.example",
        "picture": {"data": {}},
        "link": "https://www.facebook.com/cook",
    }
