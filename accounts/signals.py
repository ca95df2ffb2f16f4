"""Helpers for other apps' receivers of the User model's signals."""

from collections.abc import Iterable


def username_may_have_changed(*, created: bool, update_fields: Iterable[str] | None) -> bool:
    """For post_save on User: whether this save may have renamed an existing user.
    Django tells which fields were written, not which changed, so a full save counts."""
    return not created and (update_fields is None or "username" in update_fields)
