"""GitHub's html_url is stored and rendered only when it is an http(s) URL."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from hublot.models import Issue, Repository

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_fetch_stores_no_javascript_url(github):
    repo = github.add_repo("acme", "rockets", issues=2)
    repo.issues[0]["html_url"] = "javascript:alert(document.cookie)"
    call_command("fetch_issues", "acme/rockets", stdout=StringIO(), stderr=StringIO())
    urls = dict(Issue.objects.values_list("number", "html_url"))
    assert urls[1] == ""
    assert urls[2] == "https://github.com/acme/rockets/issues/2"


def test_issue_page_never_links_a_stored_javascript_url(client):
    repository = Repository.objects.create(owner="acme", name="rockets")
    # A row written before the check (or by any other path) is still not rendered as a link.
    Issue.objects.create(
        repository=repository, number=7, title="Bad", state="open", html_url="javascript:alert(1)"
    )
    response = client.get(reverse("hublot:repository-issues", args=[repository.pk]))
    assert response.status_code == 200
    assert b"javascript:" not in response.content
    assert b'href="https://github.com/acme/rockets"' in response.content
