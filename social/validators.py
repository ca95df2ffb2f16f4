from django.conf import settings

from project.validators import validate_text_length


def normalise_line_breaks(value: str) -> str:
    """ "\r\n" and lone "\r" become "\n", as browsers count them (one character each)."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def validate_post_content(value: str) -> None:
    validate_text_length(
        value,
        limit=settings.SOCIAL_POST_MAX_LENGTH,
        empty="Write something first: the post is empty.",
        too_long="Posts are limited to %(limit)d characters (this one has %(size)d).",
    )
