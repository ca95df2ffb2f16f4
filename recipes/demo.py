"""Demo recipes for `manage.py seed_demo` (no networks are connected, so nothing is posted)."""

from recipes.models import Recipe
from recipes.services import recipe_create

DEMO_RECIPES = [
    {
        "title": "Leek and potato soup",
        "ingredients": "3 leeks\n2 potatoes\n1 l vegetable stock\nbutter\nsalt, pepper",
        "instructions": (
            "Sweat the leeks in butter.\nAdd potatoes and stock, simmer 20 minutes.\nBlend."
        ),
        "servings": 4,
        "total_time_minutes": 35,
    },
    {
        "title": "Five-minute omelette",
        "ingredients": "3 eggs\nknob of butter\nchives",
        "instructions": "Beat the eggs, cook gently in butter, fold, top with chives.",
        "servings": 1,
        "total_time_minutes": 5,
    },
]


def seed(user) -> str:
    created = 0
    for data in DEMO_RECIPES:
        if not Recipe.objects.filter(user=user, title=data["title"]).exists():
            recipe_create(user=user, share_on=[], **data)
            created += 1
    return f"{created} recipe(s) created, {len(DEMO_RECIPES) - created} already there"
