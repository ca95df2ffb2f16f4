from django import forms

from recipes.models import CrossPost, Ingredient, Recipe, Step


class RecipeForm(forms.ModelForm):
    share_on = forms.MultipleChoiceField(
        label="Announce it on", required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    tags = forms.CharField(
        required=False,
        max_length=1100,
        help_text="Comma-separated, e.g. vegetarian, weeknight.",
    )
    shared_with = forms.CharField(
        label="Share with",
        required=False,
        max_length=8000,
        help_text="Usernames, comma-separated: they may open it even when it is private.",
    )

    class Meta:
        model = Recipe
        fields = (
            "title",
            "visibility",
            "ingredients",
            "instructions",
            "servings",
            "prep_time_minutes",
            "cook_time_minutes",
            "total_time_minutes",
        )
        widgets = {
            "ingredients": forms.Textarea(attrs={"rows": 6, "placeholder": "2 eggs\n200 g flour"}),
            "instructions": forms.Textarea(
                attrs={"rows": 8, "placeholder": "Chop the leeks.\n\nSimmer for 20 minutes."}
            ),
        }

    def __init__(self, *args, share_providers: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].required = False  # a form without it makes a public recipe
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
            shared = self.instance.shared_with.all()
            self.initial["shared_with"] = ", ".join(user.username for user in shared)
        if share_providers:
            labels = dict(CrossPost.Provider.choices)
            self.fields["share_on"].choices = [(p, labels[p]) for p in share_providers]
            self.fields["share_on"].initial = list(share_providers)  # the book always posted
        else:
            del self.fields["share_on"]

    def clean_visibility(self) -> str:
        return self.cleaned_data["visibility"] or self.instance.visibility or "public"

    def clean_shared_with(self) -> list[str]:
        return [
            name.strip() for name in self.cleaned_data["shared_with"].split(",") if name.strip()
        ]

    def clean_tags(self) -> list[str]:
        from project.tags import tag_names

        return tag_names(self.cleaned_data["tags"])


class RecipeFilterForm(forms.Form):
    """The list's filters; every field optional, bad values are ignored with an error."""

    user = forms.CharField(required=False, max_length=150, widget=forms.HiddenInput)
    tag = forms.SlugField(required=False, max_length=60, allow_unicode=True)
    max_time = forms.IntegerField(
        label="Ready within (min)", required=False, min_value=1, max_value=7 * 24 * 60
    )
    servings = forms.IntegerField(label="Serves", required=False, min_value=1, max_value=100)


class IngredientForm(forms.ModelForm):
    class Meta:
        model = Ingredient
        fields = ("quantity", "quantity_max", "unit", "food", "note", "original_text")
        widgets = {
            "quantity": forms.NumberInput(attrs={"step": "any", "min": 0, "class": "narrow"}),
            "quantity_max": forms.NumberInput(attrs={"step": "any", "min": 0, "class": "narrow"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original_text"].required = False
        self.fields[
            "original_text"
        ].help_text = "As written; left empty, it is made from the parts."

    def clean(self):
        from recipes.services import ingredient_line

        data = super().clean()
        if not (data.get("original_text") or "").strip():
            data["original_text"] = ingredient_line(data)
            self.instance.original_text = data["original_text"]
        return data


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = ("text", "minutes")
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


StepFormSet = forms.modelformset_factory(
    Step, form=StepForm, extra=1, can_delete=True, can_order=True, max_num=100, validate_max=True
)

IngredientFormSet = forms.modelformset_factory(
    Ingredient, form=IngredientForm, extra=2, can_delete=True, max_num=200, validate_max=True
)


class ScaleForm(forms.Form):
    """?servings=&units= on a recipe page (and the API's scaled view)."""

    servings = forms.IntegerField(min_value=1, max_value=1000, required=False)
    units = forms.ChoiceField(
        choices=[("", "as written"), ("metric", "metric"), ("us", "US")], required=False
    )


class RecipeImportForm(forms.Form):
    url = forms.URLField(
        label="Recipe page address",
        required=False,
        max_length=2048,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/best-pancakes"}),
    )
    paste = forms.CharField(
        label="…or paste the page's HTML or its JSON-LD",
        required=False,
        max_length=3_000_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("url") and not (data.get("paste") or "").strip() and not self.errors:
            raise forms.ValidationError("Give a recipe page's address or paste one.")
        return data


class CookedForm(forms.Form):
    cooked_on = forms.DateField(
        label="Cooked on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(required=False, max_length=500)


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        choices=[(n, "★" * n) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect
    )


class ShoppingAddForm(forms.Form):
    servings = forms.IntegerField(min_value=1, max_value=1000)
    shopping_list = forms.TypedChoiceField(label="List", coerce=int, required=False, choices=())

    def __init__(self, *args, lists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shopping_list"].choices = [(0, "A new list")] + [
            (shopping_list.pk, shopping_list.name) for shopping_list in lists
        ]


class ShoppingListForm(forms.Form):
    name = forms.CharField(max_length=100, required=False)
