"""Web views for recipes, by sub-domain, re-exported for urls.py."""

from recipes.views.browse import (
    RecipeDetailView,
    RecipeJsonLdView,
    RecipeListView,
    TagDetailView,
    TagListView,
)
from recipes.views.editing import (
    IngredientsEditView,
    RecipeCreateView,
    RecipeDeleteView,
    RecipeImportView,
    RecipeUpdateView,
    RowsEditView,
    StepsEditView,
)
from recipes.views.friends import (
    FriendsView,
)
from recipes.views.pictures import (
    RecipePicturesView,
)
from recipes.views.reactions import (
    FavouritesView,
    RecipeReactView,
)
from recipes.views.shopping import (
    ShoppingAddView,
    ShoppingItemToggleView,
    ShoppingListDeleteView,
    ShoppingListDetailView,
    ShoppingListRemoveRecipeView,
    ShoppingListsView,
)

__all__ = [
    "FavouritesView",
    "FriendsView",
    "IngredientsEditView",
    "RecipeCreateView",
    "RecipeDeleteView",
    "RecipeDetailView",
    "RecipeImportView",
    "RecipeJsonLdView",
    "RecipeListView",
    "RecipePicturesView",
    "RecipeReactView",
    "RecipeUpdateView",
    "RowsEditView",
    "ShoppingAddView",
    "ShoppingItemToggleView",
    "ShoppingListDeleteView",
    "ShoppingListDetailView",
    "ShoppingListRemoveRecipeView",
    "ShoppingListsView",
    "StepsEditView",
    "TagDetailView",
    "TagListView",
]
