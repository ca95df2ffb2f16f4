from django import forms

from accounts.models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("email_on_follow", "email_on_mention", "email_on_reply", "email_on_like")
