from django import forms

from accounts.models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("email_on_follow", "email_on_mention", "email_on_reply", "email_on_like")


class ProfileForm(forms.ModelForm):
    """Display name, bio and website; the avatar is a separate upload (its own checks)."""

    avatar = forms.FileField(
        required=False,
        help_text="JPEG, PNG, GIF or WebP; shown at most 640 px wide, metadata removed.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    remove_avatar = forms.BooleanField(required=False, label="Remove my avatar")
    website = forms.URLField(
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="An http:// or https:// address.",
    )

    class Meta:
        model = User
        fields = ("display_name", "bio", "website")
        help_texts = {
            "display_name": "Shown instead of your username; leave empty to show the username.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “laptop script”.")


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
        help_text="Your password, to confirm.",
    )
