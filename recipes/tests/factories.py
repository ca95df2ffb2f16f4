import factory
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from recipes.models import Recipe


class RecipeFactory(DjangoModelFactory):
    class Meta:
        model = Recipe
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Soup number {n}")
    ingredients = "water\nsalt\nleeks"
    instructions = "Boil. Season. Serve."
    servings = 4
    total_time_minutes = 30

    @factory.post_generation
    def rows(self, create, extracted, **kwargs):
        """Parsed rows for the text, as the services make them."""
        if create:
            from recipes.services import ingredients_text_sync, steps_text_sync

            ingredients_text_sync(recipe=self, reparse=True)
            steps_text_sync(recipe=self, reparse=True)


# A recipe's fields as the web form and the API take them.
DATA = {"title": "Leek soup", "ingredients": "leeks\nwater", "instructions": "Boil."}
