from django import forms
from django.conf import settings

from project.imaging import PHOTO_CONTENT_TYPES, PHOTO_FORMAT_NAMES, megabytes


class PhotoUploadForm(forms.Form):
    photo = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": PHOTO_CONTENT_TYPES}))
    alt_text = forms.CharField(
        label="Alt text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Describe the photo for people who cannot see it.",
    )
    comment = forms.CharField(
        label="Caption",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Say something about it"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].max_length = settings.PHOTOS_MAX_COMMENT_LENGTH
        self.fields["alt_text"].max_length = settings.PHOTOS_MAX_ALT_TEXT_LENGTH
        self.fields["photo"].help_text = (
            f"{PHOTO_FORMAT_NAMES}, up to {megabytes(settings.PHOTOS_MAX_UPLOAD_BYTES)}. "
            "Location data is removed from every copy others see."
        )


class AlbumForm(forms.Form):
    title = forms.CharField(max_length=100)
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AlbumAddPhotoForm(forms.Form):
    photo = forms.ModelChoiceField(queryset=None, label="Add a photo", empty_label=None)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].queryset = choices
        self.fields["photo"].label_from_instance = lambda photo: (
            f"{photo.comment[:40] or photo.alt_text[:40] or 'Photo'} (#{photo.pk})"
        )
