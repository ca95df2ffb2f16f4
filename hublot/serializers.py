from rest_framework import serializers

from hublot.models import Issue, Repository


class RepositorySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:repository-detail")
    issues_url = serializers.HyperlinkedIdentityField(view_name="api:repository-issues")
    issue_count = serializers.IntegerField(read_only=True)
    open_issue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Repository
        fields = (
            "id",
            "url",
            "owner",
            "name",
            "full_name",
            "description",
            "html_url",
            "issues_url",
            "issue_count",
            "open_issue_count",
            "created_on",
            "last_fetched_on",
        )
        read_only_fields = fields


class IssueSerializer(serializers.ModelSerializer):
    # Blank for issues not fetched from GitHub: a string, not always a URI.
    html_url = serializers.CharField(read_only=True)

    class Meta:
        model = Issue
        fields = (
            "id",
            "number",
            "title",
            "state",
            "labels",
            "author",
            "assignees",
            "milestone",
            "comment_count",
            "html_url",
            "is_pull_request",
            "opened_at",
            "updated_at",
            "closed_at",
            "fetched_on",
        )
        read_only_fields = fields
