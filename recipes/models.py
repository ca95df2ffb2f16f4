from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from project.search import SearchIndex, search_vector
from project.tags import TagModel

# Searched by title, ingredients and instructions, in that weight (project/search.py).
RECIPE_SEARCH_FIELDS = {"title": "A", "ingredients": "B", "instructions": "C"}


class Tag(TagModel):
    """A keyword ("vegetarian", "weeknight"); each has its page of recipes."""

    def get_absolute_url(self) -> str:
        return reverse("recipes:tag", kwargs={"slug": self.slug})


class Recipe(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public: listed, announced, for everyone"
        UNLISTED = "unlisted", "Unlisted: anyone with the link"
        PRIVATE = "private", "Private: you and the people you share it with"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recipes"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC, db_index=True
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="recipes_shared_with_me"
    )
    title = models.CharField(max_length=200)
    # The ingredient lines as text (kept in step with the Ingredient rows by the services):
    # what the user pastes, what search reads, and the book's field.
    ingredients = models.TextField(help_text="One ingredient per line.")
    # The steps as text, one paragraph each (kept in step with the Step rows).
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
    tags = models.ManyToManyField(Tag, blank=True, related_name="recipes")
    image = models.ImageField(upload_to="recipes/", max_length=255, blank=True)
    image_thumbnail = models.ImageField(upload_to="recipes/thumbnails/", max_length=255, blank=True)
    source_url = models.URLField(
        "imported from", max_length=2048, blank=True, help_text="The page it was imported from."
    )
    prep_time_minutes = models.PositiveIntegerField(
        "prep time (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)],
    )
    cook_time_minutes = models.PositiveIntegerField(
        "cook time (minutes)",
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

    def summarize(self, character_count: int = 136) -> str:
        """The book's rule: the title, or its first `character_count` characters cut
        back to the last space and suffixed "..." (so at most character_count + 3)."""
        if len(self.title) <= character_count:
            return self.title
        cut = self.title[:character_count]
        if " " in cut:
            cut = cut[: cut.rindex(" ")]
        return f"{cut}..."


class Step(models.Model):
    """One numbered step; `minutes` is how long it takes, when that matters."""

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(max_length=5000)
    minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)]
    )
    image = models.ImageField(upload_to="recipes/steps/", max_length=255, blank=True)

    class Meta:
        ordering = ["recipe", "position", "id"]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.text[:50]}"

    @property
    def number(self) -> int:
        return self.position + 1


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


class Ingredient(models.Model):
    """One structured ingredient line; `original_text` is the line as it was written."""

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="ingredient_rows")
    position = models.PositiveSmallIntegerField(default=0)
    quantity = models.DecimalField(
        max_digits=9, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    quantity_max = models.DecimalField(
        "up to",
        max_digits=9,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="The upper end of a range such as 2-3.",
    )
    unit = models.CharField(max_length=30, blank=True)
    food = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=200, blank=True)
    original_text = models.CharField(max_length=500)

    class Meta:
        ordering = ["recipe", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity_max__isnull=True)
                | models.Q(quantity__isnull=False, quantity_max__gt=models.F("quantity")),
                name="recipes_ingredient_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.original_text

    @property
    def quantity_text(self) -> str:
        from recipes.ingredients import format_quantity

        text = format_quantity(self.quantity)
        return f"{text}\u2013{format_quantity(self.quantity_max)}" if self.quantity_max else text

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.quantity_max is not None and (
            self.quantity is None or self.quantity_max <= self.quantity
        ):
            raise ValidationError(
                {"quantity_max": "The upper end must be above the quantity."}, code="bad_range"
            )


class Rating(models.Model):
    """One user's stars for one recipe (changing them replaces the old ones)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recipe_ratings"
    )
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rated_on = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "recipe"], name="recipes_rating_once"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="recipes_rating_stars"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ for {self.recipe_id} by {self.user_id}"


class Favourite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recipe_favourites"
    )
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="favourites")
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "recipe"], name="recipes_favourite_once")
        ]

    def __str__(self) -> str:
        return f"{self.recipe_id} ♥ {self.user_id}"


class Cooked(models.Model):
    """A note that someone cooked the recipe on a day, with an optional note."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recipes_cooked"
    )
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="cooked")
    cooked_on = models.DateField(default=timezone.localdate)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-cooked_on", "-id"]
        verbose_name_plural = "cooked"
        indexes = [models.Index(fields=["user", "recipe"], name="recipes_cooked_user_idx")]

    def __str__(self) -> str:
        return f"{self.recipe_id} cooked on {self.cooked_on}"


class ShoppingList(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shopping_lists"
    )
    name = models.CharField(max_length=100, default="Shopping")
    created_on = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("recipes:shopping-detail", kwargs={"pk": self.pk})


class ShoppingListRecipe(models.Model):
    """A recipe picked for the list, for a number of servings."""

    shopping_list = models.ForeignKey(
        ShoppingList, on_delete=models.CASCADE, related_name="entries"
    )
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="+")
    servings = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shopping_list", "recipe"], name="recipes_shopping_recipe_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipe_id} for {self.servings}"


class ShoppingItem(models.Model):
    """One line to buy: the same food in one unit, summed over the list's recipes."""

    shopping_list = models.ForeignKey(ShoppingList, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    food = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    checked = models.BooleanField(default=False)

    class Meta:
        ordering = ["shopping_list", "checked", "position", "id"]

    def __str__(self) -> str:
        return self.food

    @property
    def quantity_text(self) -> str:
        from recipes.ingredients import format_quantity

        return format_quantity(self.quantity)
