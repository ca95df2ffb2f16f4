"""`{% user_chip user %}`: how every app shows a person (avatar, display name, link to
their profile). A template builtin (settings.TEMPLATES), so templates need no load.
It reads only the user row: lists stay N+1-free with select_related("user")."""

from django import template

register = template.Library()


@register.inclusion_tag("accounts/_user_chip.html")
def user_chip(person, link: bool = True) -> dict:
    return {"person": person, "link": link}


# The Settings area, in the order its navigation shows it (URL name, label).
SETTINGS_PAGES = [
    ("account-profile", "Profile"),
    ("account-preferences", "Preferences"),
    ("account_email", "E-mail"),
    ("account_change_password", "Password"),
    ("mfa_index", "Two-factor"),
    ("account-tokens", "API tokens"),
    ("mastodon:authorised-apps", "Authorised apps"),
    ("account-data", "Your data"),
    ("account-delete", "Delete account"),
]


@register.simple_tag
def settings_pages() -> list[tuple[str, str]]:
    return SETTINGS_PAGES
