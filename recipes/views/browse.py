"""Reading recipes: the lists (search, filters, tags), the recipe page, its JSON-LD."""

from django.http import JsonResponse
from django.views import View
from django.views.generic import DetailView, ListView

from project.paginators import BoundedCountPaginator
from project.search import SearchListMixin
from recipes import selectors
from recipes.forms import (
    CookedForm,
    RatingForm,
    RecipeFilterForm,
    ScaleForm,
    ShoppingAddForm,
)
from recipes.schema_org import recipe_jsonld, script_json


class RecipeListView(SearchListMixin, ListView):
    """Recipes, newest first, filtered (`?user=`, tag, time, servings); `?q=` searches
    them, best first."""

    template_name = "recipes/recipe_list.html"
    context_object_name = "recipes"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    tag = None

    def get_queryset(self):
        self.filters = RecipeFilterForm(self.request.GET)
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        self.username = (data.get("user") or "").strip()
        filters = {
            "username": self.username or None,
            "tag": self.tag.slug if self.tag else data.get("tag") or None,
            "max_total_time": data.get("max_time"),
            "servings": data.get("servings"),
        }
        return self.searched(
            selectors.recipe_list(viewer=self.request.user, **filters),
            search=lambda query: selectors.recipe_search(
                viewer=self.request.user, query=query, **filters
            ),
        )

    def get_search_hidden(self) -> dict[str, str]:
        return {"user": self.username}  # the search box keeps the author

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            username=self.username, filters=self.filters, tag=self.tag, **kwargs
        )


class TagDetailView(RecipeListView):
    """A tag's page: its recipes, with the list's other filters."""

    def get(self, request, *args, **kwargs):
        self.tag = selectors.tag_get(kwargs["slug"])
        return super().get(request, *args, **kwargs)


class TagListView(ListView):
    template_name = "recipes/tag_list.html"
    context_object_name = "tags"
    paginate_by = 100
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        return selectors.tag_list()


class RecipeDetailView(DetailView):
    template_name = "recipes/recipe_detail.html"
    context_object_name = "recipe"

    def get_object(self, queryset=None):
        return selectors.recipe_get(self.kwargs["pk"], viewer=self.request.user)

    def _shopping_form(self, servings: int | None):
        if not self.request.user.is_authenticated:
            return None
        lists = selectors.shopping_lists(self.request.user).prefetch_related(None)
        return ShoppingAddForm(
            initial={"servings": servings or 1}, lists=lists.only("pk", "name")[:20]
        )

    def get_context_data(self, **kwargs):
        recipe = self.object
        scale_form = ScaleForm(self.request.GET or None, initial={"servings": recipe.servings})
        servings, system = recipe.servings, None
        if scale_form.is_bound and scale_form.is_valid():
            servings = scale_form.cleaned_data["servings"] or recipe.servings
            system = scale_form.cleaned_data["units"] or None
        ingredients = selectors.recipe_scaled_ingredients(recipe, servings=servings, system=system)
        url = self.request.build_absolute_uri(recipe.get_absolute_url())
        return super().get_context_data(
            scale_form=scale_form,
            servings=servings,
            ingredients=ingredients,
            jsonld=script_json(recipe_jsonld(recipe, url=url)),
            reactions=selectors.recipe_reactions(recipe, self.request.user),
            rating_form=RatingForm(),
            cooked_form=CookedForm(),
            shopping_form=self._shopping_form(servings),
            **kwargs,
        )


class RecipeJsonLdView(View):
    """The page's schema.org Recipe JSON-LD as a download; the importer takes it back."""

    def get(self, request, pk):
        recipe = selectors.recipe_get(pk, viewer=request.user)
        data = recipe_jsonld(recipe, url=request.build_absolute_uri(recipe.get_absolute_url()))
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Type"] = "application/ld+json; charset=utf-8"
        response["Content-Disposition"] = f'attachment; filename="recipe-{recipe.pk}.jsonld"'
        return response
