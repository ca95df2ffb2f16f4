from django import forms
from django.conf import settings

from social.models import Post
from social.validators import normalise_line_breaks


class PostForm(forms.ModelForm):
    in_reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = Post
        fields = ("content",)
        labels = {"content": "What's new?"}
        widgets = {"content": forms.Textarea(attrs={"rows": 3, "placeholder": "Say something…"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].widget.attrs["maxlength"] = self.max_length

    @property
    def max_length(self) -> int:
        return settings.SOCIAL_POST_MAX_LENGTH

    def clean_content(self) -> str:
        # Browsers submit each line break as "\r\n" but count it as one character.
        return normalise_line_breaks(self.cleaned_data["content"])
