from django import forms
from django.conf import settings

from project.tags import tag_names
from snaps.languages import resolve_language
from snaps.models import FILE_FIELDS, Snap, SnapFile
from snaps.services import expiry_options
from snaps.validators import normalize_extension

FILES_PREFIX = "files"


class SnapForm(forms.ModelForm):
    """What a snap is as a whole; its files are the SnapFileFormSet next to it."""

    expires_in = forms.ChoiceField(
        label="Expires", choices=Snap.Expiry.choices, initial=Snap.Expiry.NEVER
    )
    tags = forms.CharField(
        required=False,
        max_length=600,
        help_text="Comma-separated, e.g. “django, regex”.",
        widget=forms.TextInput(attrs={"placeholder": "django, regex"}),
    )

    class Meta:
        model = Snap
        fields = ("visibility",)
        widgets = {"visibility": forms.RadioSelect}

    def clean_tags(self) -> list[str]:
        return tag_names(self.cleaned_data["tags"])

    @property
    def expiry_options(self) -> dict:
        return expiry_options(self.cleaned_data["expires_in"])


class SnapEditForm(SnapForm):
    """Editing keeps the expiry; everything else may change (services.snap_update)."""

    expires_in = None


class SnapFileForm(forms.ModelForm):
    """One file of a snap; a missing language or extension is guessed."""

    class Meta:
        model = SnapFile
        fields = ("name", "language", "extension", "content")
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "hello_world.py"}),
            # A native, searchable list of every lexer (the template renders the datalist).
            "language": forms.TextInput(
                attrs={"list": "language-list", "placeholder": "Guess", "autocomplete": "off"}
            ),
            "extension": forms.TextInput(attrs={"placeholder": "py"}),
            "content": forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
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


def file_formset(*, data=None, initial: list[dict] | None = None, extra: int = 0):
    """1..SNAPS_MAX_FILES file forms; a file is removed by its "Remove" box, and an
    extra form left blank is ignored."""
    formset_class = forms.formset_factory(
        SnapFileForm,
        extra=extra,
        min_num=1,
        max_num=settings.SNAPS_MAX_FILES,
        absolute_max=settings.SNAPS_MAX_FILES,
        validate_min=True,
        validate_max=True,
        can_delete=True,
    )
    formset_class.deletion_widget = forms.CheckboxInput
    return formset_class(data=data, initial=initial, prefix=FILES_PREFIX)


def formset_with_one_more(data) -> tuple[forms.BaseFormSet, bool]:
    """The files as typed so far (removed ones left out) and one blank file more, without
    saving anything: the "Add a file" button, which works without JavaScript. False when
    the snap already holds the most files allowed."""
    typed = file_formset(data=data)
    values = [
        {name: form[name].value() for name in FILE_FIELDS}
        for form in typed.forms
        if not form["DELETE"].value()
    ]
    room = len(values) < settings.SNAPS_MAX_FILES
    return file_formset(initial=values or None, extra=1 if room and values else 0), room


def formset_files(formset) -> list[dict]:
    """The files to save, in order: what services.snap_create and snap_update take."""
    return [
        {name: cleaned[name] for name in FILE_FIELDS}
        for cleaned in formset.cleaned_data
        if cleaned and not cleaned.get("DELETE")
    ]
