from django.core.exceptions import ValidationError


def validate_text_length(value: str, *, limit: int, empty: str, too_long: str) -> None:
    """Reject blank text and text over `limit` characters.

    `too_long` may use the placeholders %(size)d and %(limit)d."""
    if not value.strip():
        raise ValidationError(empty, code="blank")
    if len(value) > limit:
        params = {"size": len(value), "limit": limit}
        raise ValidationError(too_long, code="too_long", params=params)
