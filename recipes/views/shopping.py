"""Shopping lists on the web."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from recipes import selectors, services
from recipes.forms import (
    ShoppingAddForm,
    ShoppingListForm,
)


class ShoppingListsView(LoginRequiredMixin, View):
    def get(self, request):
        lists = selectors.shopping_lists(request.user)
        return render(
            request, "recipes/shopping_lists.html", {"lists": lists, "form": ShoppingListForm()}
        )

    def post(self, request):
        form = ShoppingListForm(request.POST)
        name = form.cleaned_data["name"] if form.is_valid() else ""
        shopping_list = services.shopping_list_create(user=request.user, name=name)
        return redirect(shopping_list)


class ShoppingListDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        shopping_list = selectors.shopping_list_get(pk, request.user)
        return render(request, "recipes/shopping_list.html", {"shopping_list": shopping_list})


class ShoppingListDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        shopping_list = selectors.shopping_list_get(pk, request.user)
        services.shopping_list_delete(shopping_list=shopping_list, by=request.user)
        messages.success(request, "Shopping list deleted.")
        return redirect("recipes:shopping")


class ShoppingListRemoveRecipeView(LoginRequiredMixin, View):
    def post(self, request, pk, recipe_id):
        shopping_list = selectors.shopping_list_get(pk, request.user)
        services.shopping_list_remove_recipe(
            shopping_list=shopping_list, by=request.user, recipe_id=recipe_id
        )
        return redirect(shopping_list)


class ShoppingItemToggleView(LoginRequiredMixin, View):
    def post(self, request, pk):
        item = selectors.shopping_item_get(pk, request.user)
        services.shopping_item_check(item=item, by=request.user, checked=not item.checked)
        return redirect(f"{item.shopping_list.get_absolute_url()}#item-{item.pk}")


class ShoppingAddView(LoginRequiredMixin, View):
    """The recipe page's "Add to shopping list"."""

    def post(self, request, pk):
        recipe = selectors.recipe_get(pk, viewer=request.user)
        lists = list(selectors.shopping_lists(request.user))
        form = ShoppingAddForm(request.POST, lists=lists)
        if not form.is_valid():
            messages.error(request, "Choose from 1 to 1000 servings.")
            return redirect(recipe)
        chosen = form.cleaned_data["shopping_list"]
        servings = form.cleaned_data["servings"]
        if chosen:
            shopping_list = next(each for each in lists if each.pk == chosen)
            services.shopping_list_add_recipe(
                shopping_list=shopping_list, by=request.user, recipe=recipe, servings=servings
            )
        else:
            shopping_list = services.shopping_list_create(
                user=request.user, name=recipe.title[:100], recipes=[(recipe, servings)]
            )
        messages.success(request, f"Added {recipe.title} for {servings}.")
        return redirect(shopping_list)
