from django.conf import settings
from django.core.exceptions import ValidationError


def validate_post_content(value: str) -> None:
    if not value.strip():
        raise ValidationError("Write something first: the post is empty.", code="blank")
    limit = settings.SOCIAL_POST_MAX_LENGTH
    if len(value) > limit:
        raise ValidationError(
            "Posts are limited to %(limit)d characters (this one has %(size)d).",
            code="too_long",
            params={"limit": limit, "size": len(value)},
        )
