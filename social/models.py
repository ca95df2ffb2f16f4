from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from project.search import SearchIndex, search_vector
from social.validators import validate_post_content


class Follow(models.Model):
    """`follower` follows `followed` (the book's `followers` association table)."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following_relations"
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_relations"
    )
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "followed"], name="social_follow_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(follower=F("followed")), name="social_follow_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["followed", "-created_on"], name="social_follow_followed_idx"),
            models.Index(fields=["follower", "-created_on"], name="social_follow_follower_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.followed_id}"


# Searched by content (project/search.py).
POST_SEARCH_FIELDS = {"content": "A"}


class Post(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    content = models.TextField(validators=[validate_post_content])
    created_on = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_on", "-id"], name="social_post_user_idx"),
            SearchIndex(search_vector(POST_SEARCH_FIELDS), name="social_post_search_idx"),
        ]

    def __str__(self) -> str:
        return self.content[:50]

    def get_absolute_url(self) -> str:
        return reverse("social:post-detail", kwargs={"pk": self.pk})


class FeedEntry(models.Model):
    """Fan-out-on-write timeline row, used by the `write` strategy when Redis is absent."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_entries"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="feed_entries")
    created_on = models.DateTimeField()

    class Meta:
        verbose_name_plural = "feed entries"
        constraints = [
            models.UniqueConstraint(fields=["owner", "post"], name="social_feedentry_unique"),
        ]
        indexes = [
            models.Index(
                fields=["owner", "-created_on", "-post"], name="social_feedentry_read_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}: {self.post_id}"
