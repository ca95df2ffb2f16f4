from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from project.search import SearchIndex, search_vector

# Searched by title, ingredients and instructions, in that weight (project/search.py).
RECIPE_SEARCH_FIELDS = {"title": "A", "ingredients": "B", "instructions": "C"}


class Recipe(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recipes"
    )
    title = models.CharField(max_length=200)
    ingredients = models.TextField(help_text="One ingredient per line.")
    instructions = models.TextField()
    servings = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    total_time_minutes = models.PositiveIntegerField(
        "total time (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)],
    )
    created_on = models.DateTimeField(default=timezone.now, db_index=True)
    updated_on = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_on"], name="recipes_user_created_idx"),
            SearchIndex(search_vector(RECIPE_SEARCH_FIELDS), name="recipes_recipe_search_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recipes:detail", kwargs={"pk": self.pk})

    def ingredient_list(self) -> list[str]:
        lines = self.ingredients.splitlines()
        if len(lines) == 1:  # the book's convention: one comma-separated line
            lines = lines[0].split(",")
        return [line.strip() for line in lines if line.strip()]

    def summarize(self, character_count: int = 136) -> str:
        """The book's rule: the title, or its first `character_count` characters cut
        back to the last space and suffixed "..." (so at most character_count + 3)."""
        if len(self.title) <= character_count:
            return self.title
        cut = self.title[:character_count]
        if " " in cut:
            cut = cut[: cut.rindex(" ")]
        return f"{cut}..."


class CrossPost(models.Model):
    """One recipe announced on one network; the row makes the announcement happen once."""

    class Provider(models.TextChoices):
        TWITTER = "twitter", "X (Twitter)"
        FACEBOOK = "facebook", "Facebook Page"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="crossposts")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    text = models.CharField(max_length=600)
    remote_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_on = models.DateTimeField(default=timezone.now)
    # When the current (or last) attempt took the row: a claim younger than the task's
    # hard time limit may still be running, so nobody else may post for it.
    claimed_on = models.DateTimeField(null=True, blank=True)
    sent_on = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recipe", "provider"]
        constraints = [
            models.UniqueConstraint(fields=["recipe", "provider"], name="recipes_crosspost_once"),
        ]
        indexes = [
            models.Index(fields=["status", "claimed_on"], name="recipes_crosspost_stuck_idx")
        ]

    def __str__(self) -> str:
        return f"{self.recipe_id} → {self.provider}: {self.status}"

    @property
    def link(self) -> str:
        """The recipe URL in the text, carrying this announcement's unique marker."""
        return self.text.rsplit(" ", 1)[-1]

    @property
    def marker(self) -> str:
        """Unique per announcement (the link's fragment): how a later attempt finds
        the post an earlier one made."""
        return self.link.partition("#")[2]

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.SKIPPED, self.Status.FAILED)
