"""Export my data: one zip built by a Celery task from every app's own export (their
selectors), downloaded through a signed link that expires."""

import logging
import tempfile
import uuid
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db import transaction
from django.db.models import Q
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
    """The download path of a ready export, valid for ACCOUNT_EXPORT_LINK_SECONDS and
    never past the export's own expiry (`DataExport.expires_at`)."""
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
        _unexpired(DataExport.objects.filter(pk=int(export_id), status=DataExport.Status.READY))
        .exclude(file="")
        .first()
    )


def _expiry_cutoff():
    return timezone.now() - timedelta(seconds=settings.ACCOUNT_EXPORT_LINK_SECONDS)


def _expired_q() -> Q:
    # As DataExport.expires_at: from when it was finished, else from when it was asked for.
    cutoff = _expiry_cutoff()
    return Q(finished_at__lte=cutoff) | Q(finished_at__isnull=True, created_at__lte=cutoff)


def _unexpired(exports):
    return exports.exclude(_expired_q())


EXPORTS_DIRECTORY = "exports"
ORPHAN_CHECK_BATCH = 500


def data_export_purge_expired() -> int:
    """Delete the exports whose link has expired, rows and files (the periodic beat task
    and `manage.py purge_expired_exports`), and any zip under exports/ that no export
    names and that is as old (left by a build whose export was deleted meanwhile, or by
    a failed file deletion). Returns how many exports went. Idempotent."""
    with transaction.atomic():
        expired = list(DataExport.objects.filter(_expired_q()))
        _delete_files(expired)
        DataExport.objects.filter(pk__in=[e.pk for e in expired]).delete()
    _delete_orphan_files()
    return len(expired)


def _delete_orphan_files() -> None:
    storage = DataExport._meta.get_field("file").storage
    try:
        _, files = storage.listdir(EXPORTS_DIRECTORY)
    except FileNotFoundError:  # nothing exported yet
        return
    cutoff = _expiry_cutoff()
    names = [f"{EXPORTS_DIRECTORY}/{name}" for name in files]
    for start in range(0, len(names), ORPHAN_CHECK_BATCH):
        batch = names[start : start + ORPHAN_CHECK_BATCH]
        named = set(DataExport.objects.filter(file__in=batch).values_list("file", flat=True))
        for name in batch:
            if name not in named and storage.get_modified_time(name) <= cutoff:
                logger.info("Deleting orphaned export file %s", name)
                storage.delete(name)


def delete_user_exports(*, user_id: int) -> int:
    exports = list(DataExport.objects.filter(user_id=user_id))
    with transaction.atomic():
        _delete_files(exports)
        DataExport.objects.filter(pk__in=[e.pk for e in exports]).delete()
    return len(exports)
