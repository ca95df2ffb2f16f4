from django import forms

from snaps.models import Snap
from snaps.validators import normalize_extension


class SnapForm(forms.ModelForm):
    expires_in = forms.ChoiceField(
        label="Expires", choices=Snap.Expiry.choices, initial=Snap.Expiry.NEVER
    )

    class Meta:
        model = Snap
        fields = ("name", "extension", "content", "visibility")
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "hello_world", "autofocus": True}),
            "extension": forms.TextInput(attrs={"placeholder": "py"}),
            "content": forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {"extension": "Chooses the syntax highlighting: py, js, rs, sql, …"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Leading whitespace is part of code; keep it.
        self.fields["content"].strip = False

    def clean_extension(self) -> str:
        return normalize_extension(self.cleaned_data["extension"])

    @property
    def expires_in_delta(self):
        return Snap.EXPIRY_DELTAS[Snap.Expiry(self.cleaned_data["expires_in"])]
