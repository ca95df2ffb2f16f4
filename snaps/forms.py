from django import forms

from snaps.languages import resolve_language
from snaps.models import Snap
from snaps.services import expiry_options
from snaps.validators import normalize_extension


class SnapForm(forms.ModelForm):
    expires_in = forms.ChoiceField(
        label="Expires", choices=Snap.Expiry.choices, initial=Snap.Expiry.NEVER
    )

    class Meta:
        model = Snap
        fields = ("name", "language", "extension", "content", "visibility")
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "hello_world.py", "autofocus": True}),
            # A native, searchable list of every lexer (the template renders the datalist).
            "language": forms.TextInput(
                attrs={"list": "language-list", "placeholder": "Guess", "autocomplete": "off"}
            ),
            "extension": forms.TextInput(attrs={"placeholder": "py"}),
            "content": forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "language": "Type to search; left empty, it is guessed from the name, then the code.",
            "extension": "Optional: the file's extension, from the name or language if empty.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Leading whitespace is part of code; keep it.
        self.fields["content"].strip = False
        self.fields["extension"].required = False

    def clean_extension(self) -> str:
        value = self.cleaned_data["extension"]
        return normalize_extension(value) if value.strip() else ""

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            cleaned |= resolve_language(
                name=cleaned["name"],
                extension=cleaned["extension"],
                language=cleaned["language"],
                content=cleaned["content"],
            )
        except forms.ValidationError as error:
            self.add_error(None, error)
        return cleaned

    @property
    def expiry_options(self) -> dict:
        return expiry_options(self.cleaned_data["expires_in"])


class SnapEditForm(SnapForm):
    """Editing keeps the expiry; everything else may change (services.snap_update)."""

    expires_in = None
