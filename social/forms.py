from django import forms
from django.conf import settings

from project.imaging import PHOTO_CONTENT_TYPES
from social.models import POST_MAX_PHOTOS, Post
from social.validators import normalise_line_breaks


class PostForm(forms.ModelForm):
    """A post's text; given `attachable` (the author's recent processed photos), also up
    to POST_MAX_PHOTOS photos: picked from those, with their alt text editable, or
    uploaded here with an alt text."""

    in_reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = Post
        fields = ("content",)
        labels = {"content": "What's new?"}
        widgets = {"content": forms.Textarea(attrs={"rows": 3, "placeholder": "Say something…"})}

    def __init__(self, *args, attachable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].widget.attrs["maxlength"] = self.max_length
        self.attachable = attachable
        if attachable is None:
            return
        alt_max = settings.PHOTOS_MAX_ALT_TEXT_LENGTH
        self.fields["photos"] = forms.TypedMultipleChoiceField(
            choices=[(photo.pk, photo.description) for photo in attachable],
            coerce=int,
            required=False,
        )
        for photo in attachable:
            self.fields[f"alt_{photo.pk}"] = forms.CharField(
                label=f"Alt text of photo {photo.pk}",
                required=False,
                max_length=alt_max,
                initial=photo.alt_text,
            )
        for n in range(1, POST_MAX_PHOTOS + 1):
            self.fields[f"upload_{n}"] = forms.FileField(
                label=f"Photo {n}",
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": PHOTO_CONTENT_TYPES}),
            )
            self.fields[f"upload_alt_{n}"] = forms.CharField(
                label=f"Alt text of photo {n}", required=False, max_length=alt_max
            )

    @property
    def max_length(self) -> int:
        return settings.SOCIAL_POST_MAX_LENGTH

    @property
    def max_photos(self) -> int:
        return POST_MAX_PHOTOS

    def clean_content(self) -> str:
        # Browsers submit each line break as "\r\n" but count it as one character.
        return normalise_line_breaks(self.cleaned_data["content"])

    def clean(self):
        cleaned = super().clean()
        if self.attachable is not None and len(self.chosen_ids()) + len(self.uploads()) > (
            POST_MAX_PHOTOS
        ):
            raise forms.ValidationError(f"A post has at most {POST_MAX_PHOTOS} photos.")
        return cleaned

    def chosen_ids(self) -> list[int]:
        return list(self.cleaned_data.get("photos") or [])

    def changed_alt_texts(self) -> dict[int, str]:
        """New alt text of the photos picked, where it was edited."""
        photos = {photo.pk: photo for photo in self.attachable or []}
        alt_texts = {}
        for pk in self.chosen_ids():
            alt_text = self.cleaned_data.get(f"alt_{pk}", "").strip()
            if alt_text != photos[pk].alt_text:
                alt_texts[pk] = alt_text
        return alt_texts

    def uploads(self) -> list[tuple]:
        """(file, alt text) of each photo uploaded with the post."""
        return [
            (file, self.cleaned_data.get(f"upload_alt_{n}", "").strip())
            for n in range(1, POST_MAX_PHOTOS + 1)
            if (file := self.cleaned_data.get(f"upload_{n}"))
        ]

    def photo_rows(self) -> list[dict]:
        """What the composer shows per photo that can be picked."""
        chosen = {str(value) for value in (self["photos"].value() or [])}
        return [
            {"photo": photo, "checked": str(photo.pk) in chosen, "alt": self[f"alt_{photo.pk}"]}
            for photo in self.attachable or []
        ]

    def upload_rows(self) -> list[tuple]:
        return [
            (self[f"upload_{n}"], self[f"upload_alt_{n}"]) for n in range(1, POST_MAX_PHOTOS + 1)
        ]
