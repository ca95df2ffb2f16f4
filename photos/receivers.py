"""Drop cached photo-list pages whenever what they show changes, through any code path
(services, the thumbnail task, admin); imported by PhotosConfig.ready()."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.signals import username_may_have_changed
from photos.models import Photo
from photos.services import forget_cached_lists


@receiver(post_save, sender=Photo, dispatch_uid="photos.forget_lists_on_save")
@receiver(post_delete, sender=Photo, dispatch_uid="photos.forget_lists_on_delete")
def forget_lists_showing_photo(sender, instance: Photo, **kwargs) -> None:
    forget_cached_lists(instance.user_id)


@receiver(post_save, sender=get_user_model(), dispatch_uid="photos.forget_lists_on_user_save")
def forget_lists_of_user(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    if username_may_have_changed(created=created, update_fields=update_fields):
        forget_cached_lists(instance.pk)  # photos show their `owner`
