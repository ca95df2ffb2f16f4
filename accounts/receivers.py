"""Keep cached token lookups in step with the database; imported by AccountsConfig.ready()."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from accounts.authentication import forget_tokens
from accounts.models import User
from project.transactions import now_and_after_commit


@receiver(post_delete, sender=Token, dispatch_uid="accounts.forget_deleted_token")
def forget_deleted_token(sender, instance: Token, **kwargs) -> None:
    keys = [instance.key]
    now_and_after_commit(lambda: forget_tokens(keys))


@receiver(post_save, sender=User, dispatch_uid="accounts.forget_tokens_of_saved_user")
def forget_tokens_of_saved_user(sender, instance: User, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every login saves last_login; nothing the API shows
    keys = list(Token.objects.filter(user_id=instance.pk).values_list("key", flat=True))
    if keys:
        now_and_after_commit(lambda: forget_tokens(keys))
