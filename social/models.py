from django.conf import settings
from django.core.exceptions import ValidationError
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


class _UserPair(models.Model):
    """`actor` blocks or mutes `target` (one row per ordered pair, never oneself)."""

    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.actor_id} ⊘ {self.target_id}"


class Block(_UserPair):
    """The blocked user cannot follow, see, reply to or mention the blocker; existing
    follows in both directions go (social.services.blocks)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "target"], name="social_block_unique"),
            models.CheckConstraint(condition=~Q(actor=F("target")), name="social_block_not_self"),
        ]
        indexes = [models.Index(fields=["target"], name="social_block_target_idx")]


class Mute(_UserPair):
    """The muted user's posts vanish from the muter's timelines and notifications."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes_made"
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes_received"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "target"], name="social_mute_unique"),
            models.CheckConstraint(condition=~Q(actor=F("target")), name="social_mute_not_self"),
        ]


class Tag(models.Model):
    """A #hashtag, stored case-folded (#Django and #django are one tag)."""

    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"#{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("social:tag", kwargs={"tag": self.name})


# Searched by content (project/search.py).
POST_SEARCH_FIELDS = {"content": "A"}


class Post(models.Model):
    """A timeline entry: a text post, a boost (`boost_of`), or an activity announcing
    another app's public item (`kind` and `subject_id`, published and withdrawn by that
    app's services through social.services.activity_publish/withdraw)."""

    class Kind(models.TextChoices):
        POST = "post", "post"
        SNAP = "snap", "snap"
        PHOTO = "photo", "photo"
        ALBUM = "album", "album"
        RECIPE = "recipe", "recipe"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    content = models.TextField(validators=[validate_post_content])
    created_on = models.DateTimeField(default=timezone.now, db_index=True)
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    # A boost is a row of its own (no content) by the booster, so every feed strategy
    # carries it to the booster's followers like a post; it goes with the original.
    boost_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="boosts",
        editable=False,
    )
    # The thread's first post, kept when that post is deleted, so one indexed query
    # reads a whole thread; None on a post that starts a thread.
    conversation_id = models.BigIntegerField(null=True, blank=True, db_index=True, editable=False)
    # Kept by the services with atomic F() updates, so lists never count per post.
    like_count = models.PositiveIntegerField(default=0, editable=False)
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    boost_count = models.PositiveIntegerField(default=0, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.POST, editable=False)
    subject_id = models.BigIntegerField(
        null=True, blank=True, editable=False, help_text="The announced item's id in its app."
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", editable=False)
    edited_on = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_on", "-id"], name="social_post_user_idx"),
            SearchIndex(search_vector(POST_SEARCH_FIELDS), name="social_post_search_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["boost_of", "user"],
                condition=Q(boost_of__isnull=False),
                name="social_post_one_boost_per_user",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject_id"],
                condition=Q(subject_id__isnull=False),
                name="social_post_one_activity_per_item",
            ),
        ]

    def __str__(self) -> str:
        if self.boost_of_id is not None:
            return f"boost of {self.boost_of_id}"
        if self.subject_id is not None:
            return f"{self.kind} {self.subject_id}"
        return self.content[:50]

    def get_absolute_url(self) -> str:
        return reverse("social:post-detail", kwargs={"pk": self.boost_of_id or self.pk})

    @property
    def thread_root_id(self) -> int:
        return self.conversation_id or self.pk

    @property
    def shown_attachments(self) -> list:
        """The attached photos that are ready to show, in order (prefetched by the
        selectors: `attachments__photo`)."""
        return [a for a in self.attachments.all() if a.photo.is_ready]


POST_MAX_PHOTOS = 4  # as on Mastodon


class PostAttachment(models.Model):
    """A photo (photos app) shown on a post, in `position` order.

    Attaching publishes the photo's served sizes (never the original) and its alt text
    to every reader of the post, visitors too, although the photo's own page and the
    photo API are for signed-in members: the author chose to show it there. Deleting the
    photo removes it from the post (CASCADE); one still processing shows once ready."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    photo = models.ForeignKey(
        "photos.Photo", on_delete=models.CASCADE, related_name="post_attachments"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "photo"], name="social_attachment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: photo {self.photo_id}"

    def clean(self) -> None:
        # The admin's inline; the services check the same before they save.
        if self.photo_id and self.post_id and self.photo.user_id != self.post.user_id:
            raise ValidationError({"photo": "Only the post's author's photos."})


class PostEdit(models.Model):
    """A post's text as it was before an edit (its history, newest first)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="edits")
    content = models.TextField()
    written_on = models.DateTimeField(help_text="When this text was written.")
    replaced_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_on", "-id"]
        indexes = [models.Index(fields=["post", "-replaced_on"], name="social_postedit_post_idx")]

    def __str__(self) -> str:
        return f"{self.post_id} before {self.replaced_on:%Y-%m-%d %H:%M}"


class Like(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="social_like_unique"),
        ]
        indexes = [models.Index(fields=["post", "-created_on"], name="social_like_post_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.post_id}"


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


class Notification(models.Model):
    """Something another user did that concerns `recipient` (the in-app inbox).

    The unread count shown in the navigation is kept on the user row
    (accounts' `unread_notifications`), so showing it costs no query."""

    class Kind(models.TextChoices):
        FOLLOW = "follow", "followed you"
        MENTION = "mention", "mentioned you"
        REPLY = "reply", "replied to your post"
        LIKE = "like", "liked your post"
        BOOST = "boost", "boosted your post"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    created_on = models.DateTimeField(default=timezone.now)
    read_on = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_on", "-id"], name="social_notification_inbox_idx"
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(read_on__isnull=True),
                name="social_notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.get_kind_display()} ({self.recipient_id})"

    @property
    def is_read(self) -> bool:
        return self.read_on is not None
