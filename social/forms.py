from django import forms
from django.conf import settings

from social.models import Post


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ("content",)
        labels = {"content": "What's new?"}
        widgets = {"content": forms.Textarea(attrs={"rows": 3, "placeholder": "Say something…"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].widget.attrs["maxlength"] = settings.SOCIAL_POST_MAX_LENGTH
