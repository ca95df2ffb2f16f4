"""Rating, favourites and "I cooked this" on the web."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import ListView

from project.paginators import BoundedCountPaginator
from recipes import selectors, services
from recipes.forms import (
    CookedForm,
    RatingForm,
)


class RecipeReactView(LoginRequiredMixin, View):
    """The recipe page's buttons: rate, favourite, "I cooked this"."""

    def post(self, request, pk):
        recipe = selectors.recipe_get(pk, viewer=request.user)
        action = request.POST.get("action", "")
        try:
            if action == "rate":
                form = RatingForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("Choose from 1 to 5 stars.")
                services.rating_set(user=request.user, recipe=recipe, **form.cleaned_data)
                messages.success(request, "Thanks for rating it.")
            elif action == "unrate":
                services.rating_delete(user=request.user, recipe=recipe)
            elif action == "favourite":
                services.favourite_add(user=request.user, recipe=recipe)
                messages.success(request, "Added to your favourites.")
            elif action == "unfavourite":
                services.favourite_remove(user=request.user, recipe=recipe)
                messages.success(request, "Removed from your favourites.")
            elif action == "cooked":
                form = CookedForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("Give a date like 2026-05-01.")
                data = {k: v for k, v in form.cleaned_data.items() if v}
                services.cooked_add(user=request.user, recipe=recipe, **data)
                messages.success(request, "Noted: you cooked it.")
            else:
                return HttpResponse("Unknown action.", status=400)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(recipe)


class FavouritesView(LoginRequiredMixin, ListView):
    template_name = "recipes/favourites.html"
    context_object_name = "recipes"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        return selectors.favourite_recipes(self.request.user)
