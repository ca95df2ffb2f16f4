import factory
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from recipes.models import Recipe


class RecipeFactory(DjangoModelFactory):
    class Meta:
        model = Recipe

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Soup number {n}")
    ingredients = "water\nsalt\nleeks"
    instructions = "Boil. Season. Serve."
    servings = 4
    total_time_minutes = 30


# A recipe's fields as the web form and the API take them.
DATA = {"title": "Leek soup", "ingredients": "leeks\nwater", "instructions": "Boil."}
