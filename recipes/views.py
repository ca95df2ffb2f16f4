import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import DeleteView, DetailView, FormView, ListView, UpdateView

from project.paginators import BoundedCountPaginator
from project.search import SearchListMixin
from recipes import selectors, services
from recipes.clients import RemoteError
from recipes.forms import (
    CookedForm,
    IngredientFormSet,
    RatingForm,
    RecipeFilterForm,
    RecipeForm,
    RecipeImportForm,
    ScaleForm,
    ShoppingAddForm,
    ShoppingListForm,
    StepFormSet,
)
from recipes.models import CrossPost
from recipes.schema_org import recipe_jsonld, script_json

logger = logging.getLogger(__name__)


def _with_service_errors(form, error: ValidationError):
    """A service's ValidationError shown on the form's fields (or above it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
    return form


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


class RecipeJsonLdView(View):
    """The page's schema.org Recipe JSON-LD as a download; the importer takes it back."""

    def get(self, request, pk):
        recipe = selectors.recipe_get(pk, viewer=request.user)
        data = recipe_jsonld(recipe, url=request.build_absolute_uri(recipe.get_absolute_url()))
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Type"] = "application/ld+json; charset=utf-8"
        response["Content-Disposition"] = f'attachment; filename="recipe-{recipe.pk}.jsonld"'
        return response


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

    def form_valid(self, form: RecipeImportForm) -> HttpResponse:
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


class FriendsView(LoginRequiredMixin, View):
    """Site users you follow on X and your Facebook friends who use the app."""

    def get(self, request):
        refresh = request.GET.get("refresh") == "1"
        sections = []
        for provider, label in (("twitter", "Followed on X"), ("facebook", "Facebook friends")):
            section = {
                "provider": provider,
                "label": label,
                "friends": [],
                "error": "",
                "connected": True,
                "configured": selectors.social_login_configured(request, provider),
            }
            try:
                friends = services.common_friends(request.user, provider, refresh=refresh)
                section["friends"] = selectors.friends_described(request.user, provider, friends)
            except services.NotConnected:
                section["connected"] = False
            except RemoteError as error:
                section["error"] = (
                    "The network is rate-limiting us; try again in a few minutes."
                    if error.status == 429
                    else f"Could not reach the network: {error}"
                )
            sections.append(section)
        return render(request, "recipes/friends.html", {"sections": sections})
