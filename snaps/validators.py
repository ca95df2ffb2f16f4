"""Validation shared by the model, the web form and the API serializer."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

from project.validators import validate_text_length

EXTENSION_PATTERN = re.compile(r"^[a-z0-9+#_-]{1,12}$")
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def normalize_extension(value: str) -> str:
    """`.PY` and ` py ` both mean `py`; anything else must look like a file extension."""
    cleaned = (value or "").strip().lstrip(".").lower()
    if not cleaned:
        raise ValidationError("Enter a file extension, such as py or js.", code="required")
    if len(cleaned) > 12:
        raise ValidationError(
            "Ensure the extension has at most 12 characters (it has %(n)d).",
            code="max_length",
            params={"n": len(cleaned)},
        )
    if not EXTENSION_PATTERN.match(cleaned):
        raise ValidationError(
            "Use only letters, digits and + # _ - in the extension.", code="invalid_extension"
        )
    return cleaned


def validate_extension(value: str) -> None:
    if normalize_extension(value) != value:
        raise ValidationError("Extensions are stored lower-case without a dot.", code="invalid")


def validate_name(value: str) -> None:
    # The name ends up in a Content-Disposition header and in page titles.
    if CONTROL_CHARS.search(value):
        raise ValidationError("The name may not contain control characters.", code="invalid_name")
    if "/" in value or "\\" in value:
        raise ValidationError("The name may not contain slashes.", code="invalid_name")


def validate_content(value: str) -> None:
    validate_text_length(
        value,
        limit=settings.SNAPS_MAX_CONTENT_CHARS,
        empty="The snap is empty.",
        too_long="The snap is too long: %(size)d characters, the limit is %(limit)d.",
    )


def validate_files_total(contents: list[str]) -> None:
    """A snap's files together stay within SNAPS_MAX_CONTENT_CHARS (each file's own
    check is validate_content), so one snap costs what a one-file snap may."""
    total = sum(len(content) for content in contents)
    limit = settings.SNAPS_MAX_CONTENT_CHARS
    if total > limit:
        raise ValidationError(
            {"files": f"The snap is too long: {total} characters in all, the limit is {limit}."},
            code="too_long",
        )
