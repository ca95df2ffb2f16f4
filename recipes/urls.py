from django.urls import path
from rest_framework.routers import SimpleRouter

from project.pagecache import cache_for_anonymous
from recipes import api, views

app_name = "recipes"
urlpatterns = [
    path(
        "", cache_for_anonymous("recipes", timeout=30)(views.RecipeListView.as_view()), name="list"
    ),
    path("new/", views.RecipeCreateView.as_view(), name="create"),
    path("import/", views.RecipeImportView.as_view(), name="import"),
    path("favourites/", views.FavouritesView.as_view(), name="favourites"),
    path("shopping/", views.ShoppingListsView.as_view(), name="shopping"),
    path("shopping/<int:pk>/", views.ShoppingListDetailView.as_view(), name="shopping-detail"),
    path(
        "shopping/<int:pk>/delete/", views.ShoppingListDeleteView.as_view(), name="shopping-delete"
    ),
    path(
        "shopping/<int:pk>/remove/<int:recipe_id>/",
        views.ShoppingListRemoveRecipeView.as_view(),
        name="shopping-remove",
    ),
    path(
        "shopping/items/<int:pk>/toggle/",
        views.ShoppingItemToggleView.as_view(),
        name="shopping-toggle",
    ),
    path("tags/", views.TagListView.as_view(), name="tags"),
    path(
        "tags/<str:slug>/",
        cache_for_anonymous("recipes", timeout=30)(views.TagDetailView.as_view()),
        name="tag",
    ),
    path("friends/", views.FriendsView.as_view(), name="friends"),
    path("<int:pk>/", views.RecipeDetailView.as_view(), name="detail"),
    path("<int:pk>/shop/", views.ShoppingAddView.as_view(), name="shop"),
    path("<int:pk>/pictures/", views.RecipePicturesView.as_view(), name="pictures"),
    path("<int:pk>/react/", views.RecipeReactView.as_view(), name="react"),
    path("<int:pk>/recipe.jsonld", views.RecipeJsonLdView.as_view(), name="jsonld"),
    path("<int:pk>/edit/", views.RecipeUpdateView.as_view(), name="update"),
    path("<int:pk>/ingredients/", views.IngredientsEditView.as_view(), name="ingredients"),
    path("<int:pk>/steps/", views.StepsEditView.as_view(), name="steps"),
    path("<int:pk>/delete/", views.RecipeDeleteView.as_view(), name="delete"),
]

router = SimpleRouter()
router.register("recipes", api.RecipeViewSet, basename="recipe")
router.register("shopping-lists", api.ShoppingListViewSet, basename="shopping-list")
api_urlpatterns = [
    path("recipes/friends/", api.FriendsApi.as_view(), name="recipe-friends"),
    path("recipes/tags/", api.TagListApi.as_view(), name="recipe-tags"),
    path("recipes/import/", api.RecipeImportApi.as_view(), name="recipe-import"),
    *router.urls,
]
