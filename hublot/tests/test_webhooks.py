"""POST /hublot/webhooks/github/ with deliveries shaped like GitHub's documented examples
(docs.github.com/webhooks/webhook-events-and-payloads)."""

import hashlib
import hmac
import json
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from hublot.models import Issue, IssueComment, Repository, WebhookDelivery

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SECRET = "It's a Secret to Everybody"
URL = "/hublot/webhooks/github/"


@pytest.fixture
def repository():
    return Repository.objects.create(
        owner="Codertocat", name="Hello-World", github_id=186853002, webhook_secret=SECRET
    )


def repository_json() -> dict:
    return {
        "id": 186853002,
        "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
        "name": "Hello-World",
        "full_name": "Codertocat/Hello-World",
        "private": False,
        "owner": {"login": "Codertocat", "id": 21031067, "type": "User"},
        "html_url": "https://github.com/Codertocat/Hello-World",
    }


def issue_json(number: int = 1, **extra) -> dict:
    issue = {
        "url": f"https://api.github.com/repos/Codertocat/Hello-World/issues/{number}",
        "html_url": f"https://github.com/Codertocat/Hello-World/issues/{number}",
        "id": 444500041,
        "node_id": "MDU6SXNzdWU0NDQ1MDAwNDE=",
        "number": number,
        "title": "Spelling error in the README file",
        "user": {"login": "Codertocat", "id": 21031067, "type": "User"},
        "labels": [{"id": 1362934389, "name": "bug", "color": "d73a4a", "default": True}],
        "state": "open",
        "locked": False,
        "assignee": {"login": "Codertocat", "id": 21031067},
        "assignees": [{"login": "Codertocat", "id": 21031067}],
        "milestone": {"number": 1, "title": "v1.0", "state": "closed"},
        "comments": 0,
        "created_at": "2019-05-15T15:20:18Z",
        "updated_at": "2019-05-15T15:20:18Z",
        "closed_at": None,
        "author_association": "OWNER",
        "body": "It looks like you accidently spelled 'commit' with two 't's.",
    }
    issue.update(extra)
    return issue


def comment_json(**extra) -> dict:
    comment = {
        "url": "https://api.github.com/repos/Codertocat/Hello-World/issues/comments/492700400",
        "html_url": "https://github.com/Codertocat/Hello-World/issues/1#issuecomment-492700400",
        "issue_url": "https://api.github.com/repos/Codertocat/Hello-World/issues/1",
        "id": 492700400,
        "node_id": "MDEyOklzc3VlQ29tbWVudDQ5MjcwMDQwMA==",
        "user": {"login": "Codertocat", "id": 21031067, "type": "User"},
        "created_at": "2019-05-15T15:20:21Z",
        "updated_at": "2019-05-15T15:20:21Z",
        "author_association": "OWNER",
        "body": "You are totally right! I'll get this fixed right away.",
    }
    comment.update(extra)
    return comment


def deliver(client, event: str, payload: dict, *, secret: str = SECRET, delivery=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
            "X-Hub-Signature-256": signature,
            "User-Agent": "GitHub-Hookshot/044aadd",
        },
    )


def test_url_name():
    assert reverse("hublot:github-webhook") == URL


def test_github_documented_signature_example():
    """GitHub's docs: secret "It's a Secret to Everybody", body "Hello, World!"."""
    from hublot.services import webhook_signature, webhook_signature_valid

    expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert webhook_signature(SECRET, b"Hello, World!") == expected
    assert webhook_signature_valid(SECRET, b"Hello, World!", expected)
    assert not webhook_signature_valid(SECRET, b"Hello, World?", expected)
    assert not webhook_signature_valid("", b"Hello, World!", expected)


class TestSignatures:
    def test_issue_opened_is_stored(self, client, repository):
        payload = {"action": "opened", "issue": issue_json(), "repository": repository_json()}
        response = deliver(client, "issues", payload)
        assert response.status_code == 200, response.content
        assert response.json() == {"status": "applied", "detail": "#1 opened"}
        issue = Issue.objects.get()
        assert (issue.repository, issue.labels, issue.assignees, issue.milestone) == (
            repository,
            ["bug"],
            ["Codertocat"],
            "v1.0",
        )

    @pytest.mark.parametrize("secret", ["wrong secret", ""])
    def test_bad_signature_gets_401_and_stores_nothing(self, client, repository, secret):
        payload = {"action": "opened", "issue": issue_json(), "repository": repository_json()}
        response = deliver(client, "issues", payload, secret=secret or "x")
        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid or missing X-Hub-Signature-256."}
        assert not Issue.objects.exists() and not WebhookDelivery.objects.exists()

    def test_missing_signature(self, client, repository):
        payload = {"action": "opened", "issue": issue_json(), "repository": repository_json()}
        response = client.post(
            URL,
            data=payload,
            content_type="application/json",
            headers={"X-GitHub-Event": "issues", "X-GitHub-Delivery": "d-1"},
        )
        assert response.status_code == 401 and not Issue.objects.exists()

    def test_body_tampered_after_signing(self, client, repository):
        payload = {"action": "opened", "issue": issue_json(), "repository": repository_json()}
        body = json.dumps(payload).encode()
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        response = client.post(
            URL,
            data=body.replace(b"Spelling", b"Hacked!!"),
            content_type="application/json",
            headers={
                "X-GitHub-Event": "issues",
                "X-GitHub-Delivery": "d-2",
                "X-Hub-Signature-256": signature,
            },
        )
        assert response.status_code == 401 and not Issue.objects.exists()

    def test_repository_without_secret_cannot_be_delivered_to(self, client, repository):
        repository.webhook_secret = ""
        repository.save()
        payload = {"action": "opened", "issue": issue_json(), "repository": repository_json()}
        assert deliver(client, "issues", payload, secret="").status_code == 401
        assert not Issue.objects.exists()

    def test_untracked_repository_is_404(self, client, repository):
        other = {**repository_json(), "id": 1, "full_name": "someone/else"}
        response = deliver(
            client, "issues", {"action": "opened", "issue": issue_json(), "repository": other}
        )
        assert response.status_code == 404 and not Issue.objects.exists()

    @pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"\xff\xfe"])
    def test_malformed_body_is_400(self, client, repository, raw):
        assert deliver(client, "issues", {}, raw=raw).status_code == 400

    def test_only_post(self, client):
        assert client.get(URL).status_code == 405

    def test_the_secret_is_set_from_the_command_line(self, client):
        call_command(
            "repositories", "add", "Codertocat/Hello-World", "--webhook-secret", SECRET,
            stdout=StringIO(),
        )  # fmt: skip
        payload = {"action": "opened", "issue": issue_json(), "repository": repository_json()}
        assert deliver(client, "issues", payload).status_code == 200
        assert Issue.objects.count() == 1


class TestIdempotency:
    def test_a_redelivery_is_applied_once(self, client, repository):
        payload = {"action": "opened", "issue": issue_json(), "repository": repository_json()}
        assert deliver(client, "issues", payload, delivery="72d3162e").json()["status"] == "applied"
        Issue.objects.update(title="Edited here meanwhile")
        again = deliver(client, "issues", payload, delivery="72d3162e")
        assert again.status_code == 200 and again.json()["status"] == "duplicate"
        assert Issue.objects.get().title == "Edited here meanwhile"
        assert WebhookDelivery.objects.count() == 1

    def test_a_rejected_delivery_is_not_remembered(self, client, repository):
        payload = {"action": "opened", "issue": {"number": "x"}, "repository": repository_json()}
        assert deliver(client, "issues", payload, delivery="d-9").status_code == 400
        assert not WebhookDelivery.objects.exists()


class TestEvents:
    def test_edited_closed_and_deleted(self, client, repository):
        repo = repository_json()
        deliver(client, "issues", {"action": "opened", "issue": issue_json(), "repository": repo})
        closed = issue_json(state="closed", title="Fixed", closed_at="2019-05-16T00:00:00Z")
        deliver(client, "issues", {"action": "closed", "issue": closed, "repository": repo})
        issue = Issue.objects.get()
        assert (issue.state, issue.title) == ("closed", "Fixed") and issue.closed_at is not None
        deliver(client, "issues", {"action": "deleted", "issue": closed, "repository": repo})
        assert not Issue.objects.exists()

    def test_comment_created_edited_deleted(self, client, repository):
        repo = repository_json()
        payload = {
            "action": "created",
            "issue": issue_json(comments=1),
            "comment": comment_json(),
            "repository": repo,
        }
        assert deliver(client, "issue_comment", payload).status_code == 200
        comment = IssueComment.objects.get()
        assert comment.issue.number == 1 and comment.issue.comment_count == 1
        assert comment.body.startswith("You are totally right!")
        edited = {**payload, "action": "edited", "comment": comment_json(body="Fixed now.")}
        deliver(client, "issue_comment", edited)
        assert IssueComment.objects.get().body == "Fixed now."
        deliver(client, "issue_comment", {**payload, "action": "deleted"})
        assert not IssueComment.objects.exists() and Issue.objects.exists()

    def test_label_renamed_and_deleted(self, client, repository):
        Issue.objects.create(
            repository=repository, number=1, title="a", state="open", labels=["bug", "ui"]
        )
        Issue.objects.create(
            repository=repository, number=2, title="b", state="open", labels=["ui"]
        )
        label = {"id": 1362934389, "name": "defect", "color": "d73a4a", "default": True}
        payload = {
            "action": "edited",
            "label": label,
            "changes": {"name": {"from": "bug"}},
            "repository": repository_json(),
        }
        assert deliver(client, "label", payload).status_code == 200
        assert Issue.objects.get(number=1).labels == ["defect", "ui"]
        deleted = {
            "action": "deleted",
            "label": {**label, "name": "ui"},
            "repository": repository_json(),
        }
        deliver(client, "label", deleted)
        assert [i.labels for i in Issue.objects.order_by("number")] == [["defect"], []]

    def test_ping_and_other_events(self, client, repository):
        ping = {"zen": "Keep it logically awesome.", "hook_id": 1, "repository": repository_json()}
        assert deliver(client, "ping", ping).json()["status"] == "pong"
        assert (
            deliver(client, "star", {"action": "created", "repository": repository_json()}).json()[
                "status"
            ]
            == "ignored"
        )

    def test_hostile_issue_data_is_cleaned(self, client, repository):
        issue = issue_json(title="NUL\x00here", created_at="garbage")
        deliver(
            client, "issues", {"action": "opened", "issue": issue, "repository": repository_json()}
        )
        stored = Issue.objects.get()
        assert stored.title == "NULhere" and stored.opened_at is None


def test_a_comment_on_another_issue_than_the_payloads_is_refused(client, repository):
    payload = {
        "action": "created",
        "issue": issue_json(number=1),
        "comment": comment_json(issue_url="https://api.github.com/repos/x/y/issues/2"),
        "repository": repository_json(),
    }
    response = deliver(client, "issue_comment", payload)
    assert response.status_code == 400
    assert not IssueComment.objects.exists() and not WebhookDelivery.objects.exists()
    assert not Issue.objects.exists()  # the whole delivery rolled back
