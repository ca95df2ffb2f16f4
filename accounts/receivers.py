"""Keep cached token lookups in step with the database; imported by AccountsConfig.ready()."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from accounts.authentication import forget_tokens
from accounts.models import User


@receiver(post_delete, sender=Token, dispatch_uid="accounts.forget_deleted_token")
def forget_deleted_token(sender, instance: Token, **kwargs) -> None:
    forget_tokens([instance.key])  # now, and again once committed (a reader may refill it)
    transaction.on_commit(lambda: forget_tokens([instance.key]))


@receiver(post_save, sender=User, dispatch_uid="accounts.forget_tokens_of_saved_user")
def forget_tokens_of_saved_user(sender, instance: User, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every login saves last_login; nothing the API shows
    keys = list(Token.objects.filter(user_id=instance.pk).values_list("key", flat=True))
    if keys:
        forget_tokens(keys)
        transaction.on_commit(lambda: forget_tokens(keys))
