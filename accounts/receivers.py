"""Keep cached token lookups in step with the database; imported by AccountsConfig.ready()."""

from allauth.socialaccount.models import SocialAccount
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from accounts.authentication import forget_tokens
from accounts.models import ApiToken, User
from accounts.services import user_tokens_revoke
from project.transactions import now_and_after_commit
from project.urlsafety import safe_http_url


@receiver(post_delete, sender=ApiToken, dispatch_uid="accounts.forget_deleted_token")
def forget_deleted_token(sender, instance: ApiToken, **kwargs) -> None:
    # Also deletions that bypass the services (the admin, a user's cascade).
    keys = [instance.key_hash]
    now_and_after_commit(lambda: forget_tokens(keys))


@receiver(post_save, sender=User, dispatch_uid="accounts.revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(sender, instance: User, created: bool, **kwargs) -> None:
    # Every way to change a password (allauth's change and reset, the admin, the
    # changepassword command, seed_demo) goes through set_password(), which leaves the
    # raw password in _password until save() has sent this signal. Sessions need nothing:
    # Django drops every session whose stored auth hash no longer matches, and the views
    # that change it keep the current one (update_session_auth_hash).
    if not created and getattr(instance, "_password", None) is not None:
        user_tokens_revoke(user=instance)


@receiver(post_save, sender=User, dispatch_uid="accounts.forget_tokens_of_saved_user")
def forget_tokens_of_saved_user(sender, instance: User, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every login saves last_login; nothing the API shows
    keys = list(ApiToken.objects.filter(user_id=instance.pk).values_list("key_hash", flat=True))
    if keys:
        now_and_after_commit(lambda: forget_tokens(keys))


def _without_unsafe_urls(data):
    """`data` with every string under a key naming a URL or link kept only if http(s)."""
    if isinstance(data, dict):
        cleaned = {}
        for key, value in data.items():
            names_a_url = str(key).lower().endswith(("url", "link", "uri"))
            if names_a_url and isinstance(value, str) and (value := safe_http_url(value)) is None:
                continue
            cleaned[key] = _without_unsafe_urls(value)
        return cleaned
    if isinstance(data, list):
        return [_without_unsafe_urls(item) for item in data]
    return data


@receiver(pre_save, sender=SocialAccount, dispatch_uid="accounts.social_account_safe_urls")
def keep_only_safe_social_urls(sender, instance: SocialAccount, **kwargs) -> None:
    # X's profile_image_url/url, Facebook's link/picture.data.url become the avatar
    # and profile links allauth offers (get_avatar_url, get_profile_url).
    instance.extra_data = _without_unsafe_urls(instance.extra_data)
