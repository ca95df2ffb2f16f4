from django.contrib import admin, messages

from hublot.models import Issue, IssueComment, Repository, WebhookDelivery
from hublot.selectors import repository_list
from hublot.tasks import fetch_issues_task


@admin.register(Repository)
class RepositoryAdmin(admin.ModelAdmin):
    list_display = ("full_name", "issue_count", "created_on", "last_fetched_on")
    search_fields = ("owner", "name", "description")
    list_filter = ("last_fetched_on",)
    readonly_fields = ("github_id", "created_on", "last_fetched_on", "sync_state")
    actions = ["fetch_issues"]

    def get_queryset(self, request):
        return repository_list()

    @admin.display(description="issues", ordering="issue_count")
    def issue_count(self, repository: Repository) -> int:
        return repository.issue_count

    @admin.action(description="Fetch issues from GitHub")
    def fetch_issues(self, request, queryset) -> None:
        for repository in queryset:
            fetch_issues_task.delay(repository_id=repository.pk)
        self.message_user(request, f"Queued {queryset.count()} fetch(es).", messages.SUCCESS)


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = (
        "repository",
        "number",
        "title",
        "state",
        "is_pull_request",
        "author",
        "updated_at",
    )
    list_filter = ("state", "is_pull_request", "repository")
    search_fields = ("title", "=number", "author")
    list_select_related = ("repository",)
    raw_id_fields = ("repository",)


@admin.register(IssueComment)
class IssueCommentAdmin(admin.ModelAdmin):
    list_display = ("issue", "author", "created_at")
    search_fields = ("author", "body")
    list_select_related = ("issue", "issue__repository")
    raw_id_fields = ("issue",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("delivery_id", "event", "repository", "received_at")
    list_filter = ("event",)
    list_select_related = ("repository",)
    search_fields = ("=delivery_id",)
    readonly_fields = ("delivery_id", "event", "repository", "received_at")

    def has_add_permission(self, request) -> bool:
        return False  # a delivery is GitHub's record, made only by the webhook view
