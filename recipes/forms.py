from django import forms

from recipes.models import CrossPost, Recipe


class RecipeForm(forms.ModelForm):
    share_on = forms.MultipleChoiceField(
        label="Announce it on", required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    class Meta:
        model = Recipe
        fields = ("title", "ingredients", "instructions", "servings", "total_time_minutes")
        widgets = {
            "ingredients": forms.Textarea(attrs={"rows": 6, "placeholder": "2 eggs\n200 g flour"}),
            "instructions": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, share_providers: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if share_providers:
            labels = dict(CrossPost.Provider.choices)
            self.fields["share_on"].choices = [(p, labels[p]) for p in share_providers]
            self.fields["share_on"].initial = list(share_providers)  # the book always posted
        else:
            del self.fields["share_on"]
