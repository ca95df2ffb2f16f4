"""Export my data: one zip built by a Celery task from every app's own export (their
selectors), downloaded through a signed link that expires."""

import logging
import tempfile
import uuid
import zipfile

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import DataExport, User
from project.export import json_bytes

logger = logging.getLogger(__name__)

SIGNING_SALT = "accounts.export"


def _app_exports():
    from photos.selectors import photo_export_for_user
    from recipes.selectors import recipe_export_for_user
    from snaps.selectors import snap_export_for_user
    from social.selectors import social_export_for_user

    return [
        snap_export_for_user,
        social_export_for_user,
        photo_export_for_user,
        recipe_export_for_user,
    ]


def _account_export(user: User):
    from allauth.account.models import EmailAddress

    yield (
        "account.json",
        json_bytes(
            {
                "username": user.username,
                "email": user.email,
                "date_joined": user.date_joined,
                "display_name": user.display_name,
                "bio": user.bio,
                "website": user.website,
                "email_on_follow": user.email_on_follow,
                "email_addresses": list(
                    EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
                ),
                # Names and dates only: the keys themselves are not stored anywhere.
                "api_tokens": list(
                    user.api_tokens.values("name", "prefix", "created_at", "last_used_at")
                ),
            }
        ),
    )
    if user.avatar:
        with user.avatar.open("rb") as avatar:
            yield f"avatar.{user.avatar.name.rsplit('.', 1)[-1]}", avatar.read()


def _delete_files(exports) -> None:
    names = [export.file.name for export in exports if export.file]
    if names:
        storage = DataExport._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


@transaction.atomic
def user_export_create(*, user: User) -> DataExport:
    """A new export for `user`, built after the commit; earlier ones (and their files)
    are dropped, so one person's exports never pile up."""
    earlier = list(DataExport.objects.filter(user_id=user.pk))
    _delete_files(earlier)
    DataExport.objects.filter(pk__in=[e.pk for e in earlier]).delete()
    export = DataExport.objects.create(user=user)
    from accounts.tasks import user_export_build_task

    transaction.on_commit(lambda: user_export_build_task.delay(export_id=export.pk))
    return export


def user_export_build(*, export_id: int) -> bool:
    """Write the zip (account.json, then each app's files) and mark the export ready.
    Idempotent: a built or vanished export is left alone."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status == DataExport.Status.READY:
        return False
    sources = [_account_export(export.user), *(app(export.user_id) for app in _app_exports())]
    with tempfile.TemporaryFile() as scratch:
        with zipfile.ZipFile(scratch, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for source in sources:
                for path, data in source:
                    archive.writestr(path, data)
        size = scratch.tell()
        scratch.seek(0)
        export.file.save(f"{uuid.uuid4().hex}.zip", File(scratch), save=False)
    updated = DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
        status=DataExport.Status.READY, file=export.file.name, size=size, finished_at=timezone.now()
    )
    if not updated:  # deleted (or built by another run) meanwhile
        export.file.delete(save=False)
    return bool(updated)


def user_export_signed_url(export: DataExport) -> str:
    """The download path of a ready export, valid for ACCOUNT_EXPORT_LINK_SECONDS."""
    token = signing.TimestampSigner(salt=SIGNING_SALT).sign(str(export.pk))
    return reverse("account-export-download", args=[token])


def user_export_from_signed(token: str) -> DataExport | None:
    """The ready export a signed link names, or None when the link is forged, expired
    or the export is gone (a newer one replaced it)."""
    try:
        export_id = signing.TimestampSigner(salt=SIGNING_SALT).unsign(
            token, max_age=settings.ACCOUNT_EXPORT_LINK_SECONDS
        )
    except signing.BadSignature:  # also SignatureExpired
        return None
    return (
        DataExport.objects.filter(pk=int(export_id), status=DataExport.Status.READY)
        .exclude(file="")
        .first()
    )


def delete_user_exports(*, user_id: int) -> int:
    exports = list(DataExport.objects.filter(user_id=user_id))
    with transaction.atomic():
        _delete_files(exports)
        DataExport.objects.filter(pk__in=[e.pk for e in exports]).delete()
    return len(exports)
