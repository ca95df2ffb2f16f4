"""Writing recipes: create, import, edit (fields and rows), delete."""

import logging
import math

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import DeleteView, FormView, UpdateView

from project.throttling import ScopedRateThrottle
from recipes import selectors, services
from recipes.forms import (
    IngredientFormSet,
    RecipeForm,
    RecipeImportForm,
    StepFormSet,
)
from recipes.models import CrossPost

logger = logging.getLogger(__name__)


def _with_service_errors(form, error: ValidationError):
    """A service's ValidationError shown on the form's fields (or above it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
    return form


class RecipeCreateView(LoginRequiredMixin, FormView):
    template_name = "recipes/recipe_form.html"
    form_class = RecipeForm

    def get_form_kwargs(self):
        providers = services.available_crosspost_providers(self.request.user)
        return {**super().get_form_kwargs(), "share_providers": providers}

    def get_context_data(self, **kwargs):
        x_configured = selectors.social_login_configured(self.request, "twitter")
        return super().get_context_data(x_login_configured=x_configured, **kwargs)

    def form_valid(self, form: RecipeForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        share_on = data.pop("share_on", [])
        try:
            recipe = services.recipe_create(user=self.request.user, share_on=share_on, **data)
        except ValidationError as error:
            return self.form_invalid(_with_service_errors(form, error))
        except DatabaseError:
            logger.exception("Saving a recipe failed")
            messages.error(self.request, "Something went wrong while saving your recipe!")
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(self.request, "Recipe saved.")
        labels = dict(CrossPost.Provider.choices)
        for crosspost in recipe.crossposts.all():
            messages.info(self.request, f"Sharing to {labels[crosspost.provider]}…")
        return redirect(recipe)


class RecipeImportView(LoginRequiredMixin, FormView):
    template_name = "recipes/recipe_import.html"
    form_class = RecipeImportForm
    throttle_scope = "recipe-import"  # the API's allowance: the two count together

    def form_valid(self, form: RecipeImportForm) -> HttpResponse:
        throttle = ScopedRateThrottle()
        if not throttle.allow_request(self.request, self):
            messages.error(self.request, "Too many imports for now; try again later.")
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(math.ceil(throttle.wait()))
            return response
        try:
            recipe = services.recipe_import(
                user=self.request.user,
                url=form.cleaned_data["url"],
                paste="" if form.cleaned_data["url"] else form.cleaned_data["paste"],
            )
        except ValidationError as error:
            return self.form_invalid(_with_service_errors(form, error))
        messages.success(self.request, "Recipe imported. Check the ingredients and steps.")
        return redirect(recipe)


class RecipeUpdateView(LoginRequiredMixin, UpdateView):
    template_name = "recipes/recipe_form.html"
    form_class = RecipeForm
    context_object_name = "recipe"

    def get_object(self, queryset=None):
        return selectors.recipe_get_owned(self.kwargs["pk"], self.request.user)

    def form_valid(self, form: RecipeForm) -> HttpResponse:
        fields = {k: v for k, v in form.cleaned_data.items() if k != "share_on"}
        try:
            recipe = services.recipe_update(recipe=self.object, by=self.request.user, **fields)
        except ValidationError as error:
            return self.form_invalid(_with_service_errors(form, error))
        messages.success(self.request, "Recipe updated.")
        return redirect(recipe)


class RowsEditView(LoginRequiredMixin, View):
    """Correct a recipe's parsed rows (ingredients or steps) one by one."""

    formset_class = None
    related_name = ""
    heading = ""
    saved_message = ""
    template_name = "recipes/rows_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.recipe = selectors.recipe_get_owned(kwargs["pk"], request.user)
        return super().dispatch(request, *args, **kwargs)

    def queryset(self):
        return getattr(self.recipe, self.related_name).all()

    def save(self, rows: list[dict]) -> None:
        raise NotImplementedError

    def _render(self, formset) -> HttpResponse:
        context = {"recipe": self.recipe, "formset": formset, "heading": self.heading}
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self._render(self.formset_class(queryset=self.queryset()))

    def post(self, request, pk):
        formset = self.formset_class(request.POST, queryset=self.queryset())
        if not formset.is_valid():
            return self._render(formset)
        kept = [
            form
            for form in formset.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]
        if formset.can_order:
            kept.sort(key=lambda form: form.cleaned_data.get("ORDER") or 10_000)
        try:
            self.save([form.cleaned_data for form in kept])
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
            return self._render(formset)
        messages.success(request, self.saved_message)
        return redirect(self.recipe)


class IngredientsEditView(RowsEditView):
    formset_class = IngredientFormSet
    related_name = "ingredient_rows"
    heading = "Ingredients"
    saved_message = "Ingredients saved."

    def save(self, rows: list[dict]) -> None:
        services.ingredients_set(recipe=self.recipe, by=self.request.user, rows=rows)


class StepsEditView(RowsEditView):
    formset_class = StepFormSet
    related_name = "steps"
    heading = "Steps"
    saved_message = "Steps saved."

    def save(self, rows: list[dict]) -> None:
        services.steps_set(recipe=self.recipe, by=self.request.user, steps=rows)


class RecipeDeleteView(LoginRequiredMixin, DeleteView):
    template_name = "recipes/recipe_confirm_delete.html"
    context_object_name = "recipe"
    success_url = reverse_lazy("recipes:list")

    def get_object(self, queryset=None):
        return selectors.recipe_get_owned(self.kwargs["pk"], self.request.user)

    def form_valid(self, form) -> HttpResponse:
        services.recipe_delete(recipe=self.object, by=self.request.user)
        messages.success(self.request, "Recipe deleted.")
        return redirect(self.success_url)
