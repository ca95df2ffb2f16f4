from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from project.search import SearchIndex, search_vector


class Repository(models.Model):
    """A GitHub repository whose issues we track (`owner/name`, case-insensitive like GitHub)."""

    owner = models.CharField(max_length=39)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    github_id = models.BigIntegerField(null=True, blank=True, unique=True)
    created_on = models.DateTimeField(default=timezone.now, db_index=True)
    last_fetched_on = models.DateTimeField(null=True, blank=True)
    # Shared secret GitHub signs webhook deliveries with (HMAC needs it in clear).
    webhook_secret = models.CharField(max_length=255, blank=True, default="")
    # Validators (ETag, Last-Modified) and incremental cursors, one entry per query.
    sync_state = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "repositories"
        ordering = ["owner", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("owner"),
                Lower("name"),
                name="hublot_repository_owner_name_uniq",
                violation_error_message="That repository already exists!",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def html_url(self) -> str:
        return f"https://github.com/{self.full_name}"

    def owner_name_is(self, owner: str, name: str) -> bool:
        return (self.owner.lower(), self.name.lower()) == (owner.lower(), name.lower())


class RepositoryName(models.Model):
    """A name a repository had before a rename or transfer, so the old name still works."""

    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="former_names"
    )
    owner = models.CharField(max_length=39)
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("owner"), Lower("name"), name="hublot_repositoryname_owner_name_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner}/{self.name}"


# Searched by title and body, the title weighing more (project/search.py).
ISSUE_SEARCH_FIELDS = {"title": "A", "body": "B"}


class Issue(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="issues")
    number = models.PositiveIntegerField()
    github_id = models.BigIntegerField(null=True, blank=True)
    title = models.TextField()
    state = models.CharField(max_length=6, choices=State.choices)
    labels = models.JSONField(default=list, blank=True, help_text="Label names")
    author = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True, default="")
    assignees = models.JSONField(default=list, blank=True, help_text="Assignee logins")
    milestone = models.CharField(max_length=255, blank=True, default="")
    comment_count = models.PositiveIntegerField(default=0)
    html_url = models.URLField(max_length=500, blank=True)
    is_pull_request = models.BooleanField(default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    fetched_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["repository", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "number"], name="hublot_issue_repo_number_uniq"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "closed"]), name="hublot_issue_state_valid"
            ),
        ]
        indexes = [
            # A repository's issues in one state, newest number first: the issue list's
            # page and its bounded state counts read along it.
            models.Index(
                fields=["repository", "state", "-number"], name="hublot_issue_state_number_idx"
            ),
            SearchIndex(search_vector(ISSUE_SEARCH_FIELDS), name="hublot_issue_search_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"


class IssueComment(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="comments")
    github_id = models.BigIntegerField(unique=True)
    author = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True, default="")
    html_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "github_id"]

    def __str__(self) -> str:
        return f"comment {self.github_id} on {self.issue}"


class WebhookDelivery(models.Model):
    """One processed GitHub webhook delivery: GitHub redelivers, we apply once."""

    delivery_id = models.CharField(max_length=100, unique=True)
    event = models.CharField(max_length=50)
    repository = models.ForeignKey(
        Repository, on_delete=models.SET_NULL, null=True, related_name="webhook_deliveries"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} {self.delivery_id}"
