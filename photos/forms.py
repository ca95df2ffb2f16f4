from django import forms
from django.conf import settings

from project.imaging import megabytes


class PhotoUploadForm(forms.Form):
    photo = forms.FileField(
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        )
    )
    comment = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": "Say something about it"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].max_length = settings.PHOTOS_MAX_COMMENT_LENGTH
        self.fields["photo"].help_text = (
            f"JPEG, PNG, GIF or WebP, up to {megabytes(settings.PHOTOS_MAX_UPLOAD_BYTES)}. "
            "Location data is removed."
        )
