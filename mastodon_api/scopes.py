"""Mastodon's OAuth scopes: the top-level ones imply their granular children."""

TOP_LEVEL = {
    "read": "Read all your data",
    "write": "Change all your data",
    "follow": "Manage your follows, blocks and mutes",
    "push": "Receive push notifications",
    "profile": "Read only your own profile",
}
GRANULAR = {
    "read": [
        "accounts",
        "blocks",
        "bookmarks",
        "favourites",
        "filters",
        "follows",
        "lists",
        "mutes",
        "notifications",
        "search",
        "statuses",
    ],
    "write": [
        "accounts",
        "blocks",
        "bookmarks",
        "conversations",
        "favourites",
        "filters",
        "follows",
        "lists",
        "media",
        "mutes",
        "notifications",
        "reports",
        "statuses",
    ],
}
# The legacy `follow` scope (Mastodon < 3.5) covers these granular ones.
FOLLOW_IMPLIES = {
    "read:follows",
    "write:follows",
    "read:blocks",
    "write:blocks",
    "read:mutes",
    "write:mutes",
}

SCOPES: dict[str, str] = dict(TOP_LEVEL)
for parent, children in GRANULAR.items():
    for child in children:
        SCOPES[f"{parent}:{child}"] = f"{TOP_LEVEL[parent]}: {child}"


def scopes_parse(value: str | None) -> list[str]:
    """Mastodon separates scopes by spaces (and some clients by '+' or commas)."""
    if not value:
        return []
    return [scope for scope in value.replace("+", " ").replace(",", " ").split() if scope]


def scope_granted(granted: set[str], required: str) -> bool:
    """Whether a token holding `granted` may do what needs `required`."""
    if required in granted:
        return True
    parent = required.split(":", 1)[0]
    if parent != required and parent in granted:
        return True
    if required in FOLLOW_IMPLIES and "follow" in granted:
        return True
    # `profile` is verify_credentials alone; read:accounts covers it too.
    return required == "profile" and bool({"read", "read:accounts"} & granted)
