"""Before usernames become unique regardless of case (0003): store each in its NFKC form
and give the later of any two that then collide a `-<id>` suffix.

Collisions were possible: sign-ups checked case-insensitively but could race, the admin
and fixtures did not all check, and full-width or modifier-letter forms ("ｄｅｍｏ",
"ᵈemo") were stored as typed. The oldest account keeps the name; each renamed account
is logged. Nothing changes on a database without such names.
"""

import logging
import unicodedata

from django.db import migrations

logger = logging.getLogger("accounts.migrations")
MAX_LENGTH = 150


def _nfkc(username: str) -> str:
    return unicodedata.normalize("NFKC", username)


def _free_name(base: str, pk: int, taken: set[str]) -> str:
    suffix, attempt = f"-{pk}", 1
    while True:
        candidate = base[: MAX_LENGTH - len(suffix)] + suffix
        if candidate.lower() not in taken:
            return candidate
        attempt += 1
        suffix = f"-{pk}-{attempt}"


def normalize_usernames(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    rows = list(User.objects.order_by("pk").values_list("pk", "username"))
    taken = {name.lower() for _, username in rows for name in (username, _nfkc(username))}
    kept: set[str] = set()
    suffixed, normalized = [], []
    for pk, username in rows:
        name = _nfkc(username)
        if name.lower() in kept:
            name = _free_name(name, pk, taken | kept)
            suffixed.append((pk, username, name))
        elif name != username:
            normalized.append((pk, username, name))
        kept.add(name.lower())
    # Suffixed names are free of every current and final name, so moving them first
    # clears the way for the normalised ones.
    for pk, old, new in suffixed + normalized:
        User.objects.filter(pk=pk).update(username=new)
        logger.warning("Renamed user %s from %r to %r (unique usernames)", pk, old, new)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(normalize_usernames, migrations.RunPython.noop)]
