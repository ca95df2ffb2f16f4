"""The cover and step pictures page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from recipes import selectors, services


class RecipePicturesView(LoginRequiredMixin, View):
    """The cover and the steps' pictures."""

    def _render(self, recipe, errors=(), status=200) -> HttpResponse:
        context = {"recipe": recipe, "errors": errors}
        return render(self.request, "recipes/recipe_pictures.html", context, status=status)

    def get(self, request, pk):
        return self._render(selectors.recipe_get_owned(pk, request.user))

    def post(self, request, pk):
        recipe = selectors.recipe_get_owned(pk, request.user)
        errors = []
        try:
            if request.POST.get("remove_cover"):
                services.recipe_image_set(recipe=recipe, by=request.user, file=None)
            elif "cover" in request.FILES:
                services.recipe_image_set(
                    recipe=recipe, by=request.user, file=request.FILES["cover"]
                )
            for step in recipe.steps.all():
                if request.POST.get(f"remove-step-{step.pk}"):
                    services.step_image_set(step=step, by=request.user, file=None)
                elif f"step-{step.pk}" in request.FILES:
                    upload = request.FILES[f"step-{step.pk}"]
                    services.step_image_set(step=step, by=request.user, file=upload)
        except ValidationError as error:
            errors = error.messages
        if errors:
            return self._render(recipe, errors, status=400)
        messages.success(request, "Pictures saved.")
        return redirect(recipe)
