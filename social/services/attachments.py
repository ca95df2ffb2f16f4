"""Photos attached to posts, through the photos app's selectors and services only."""

from collections.abc import Mapping, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from photos import selectors as photo_selectors
from photos import services as photo_services
from social.models import POST_MAX_PHOTOS, Post, PostAttachment
from social.services.activities import activity_withdraw
from social.services.pages import feed_pages_forget_for_readers_of


def _error(message: str, code: str) -> ValidationError:
    return ValidationError({"media_ids": ValidationError(message, code=code)})


def post_photos_set(
    *,
    post: Post,
    by: AbstractBaseUser,
    photo_ids: Sequence[int],
    alt_texts: Mapping[int, str] | None = None,
    uploaded: Sequence = (),
    new: bool = False,
) -> list[PostAttachment]:
    """Make `photo_ids` (in order) the post's photos, at most POST_MAX_PHOTOS of the
    author's own processed ones; `uploaded` are photos the author just uploaded with the
    post, which may still be processing (they show once ready). `alt_texts` changes the
    photos' own alt text. Call inside the post's transaction."""
    photo_ids = list(photo_ids)
    if len(photo_ids) > POST_MAX_PHOTOS:
        raise _error(f"A post has at most {POST_MAX_PHOTOS} photos.", "too_many_photos")
    if len(set(photo_ids)) != len(photo_ids):
        raise _error("Each photo can be attached once.", "duplicate_photo")
    found = {
        photo.pk: photo
        for photo in photo_selectors.photo_list_attachable(owner=by, ids=photo_ids)
    } if photo_ids else {}  # fmt: skip
    found.update({photo.pk: photo for photo in uploaded if photo.user_id == by.pk})
    if missing := [pk for pk in photo_ids if pk not in found]:
        raise _error(
            f"Not among your processed photos: {', '.join(map(str, missing))}.", "unknown_photo"
        )
    alt_texts = alt_texts or {}
    if stray := [pk for pk in alt_texts if pk not in found]:
        raise ValidationError(
            {"media_attributes": f"Not among the photos attached: {', '.join(map(str, stray))}."},
            code="unknown_photo",
        )
    for pk, alt_text in alt_texts.items():
        try:
            photo_services.photo_alt_text_update(photo=found[pk], by=by, alt_text=alt_text)
        except ValidationError as error:
            raise ValidationError({"media_attributes": error.messages}) from None
    if not new:
        post.attachments.all().delete()
    attachments = PostAttachment.objects.bulk_create(
        PostAttachment(post=post, photo=found[pk], position=n) for n, pk in enumerate(photo_ids)
    )
    if not new:  # the readers' cached pages show the old photos
        feed_pages_forget_for_readers_of(post.user_id)
    # A photo on a post is seen there: its own "new photo" entry would show it twice.
    activity_withdraw(kind=Post.Kind.PHOTO, subject_ids=photo_ids)
    return attachments
