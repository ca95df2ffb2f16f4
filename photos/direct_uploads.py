"""Direct-to-S3 uploads (writes), when photo originals live on S3.

The client asks for an upload intent: a presigned POST to one key under its own staging
prefix, bounded by the upload limit and the quota left, valid for a few minutes. It
sends the file straight to the bucket (big files never pass through the web server),
then confirms: the object is read back (bounded), checked like any upload and handed to
`photo_upload`, which stores it as the original and queues the worker. The staging
object is deleted by every confirm, valid or not; abandoned ones by
`direct_upload_sweep`.
"""

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.http import Http404
from django.utils import timezone
from storages.backends.s3 import S3Storage

from photos.models import Photo
from photos.services import check_quota, photo_upload, storage_remaining
from photos.storage import originals_storage
from project.imaging import check_upload_size

logger = logging.getLogger(__name__)

STAGING_DIR = "incoming"
# Abandoned staging objects are swept this long after their intent expired, so a slow
# upload that started just in time is still confirmed.
SWEEP_GRACE = timedelta(hours=1)
READ_CHUNK = 1 << 20
UNAVAILABLE = (
    "Direct uploads are not available here (photos are not stored on S3): "
    "upload the file itself to the photos endpoint instead."
)
NOT_FOUND = "No upload of yours at this key: it was never sent, expired, or was used already."


@dataclass(frozen=True)
class UploadIntent:
    """A presigned POST: send `fields` and then the file (as `file`) to `url`."""

    key: str
    url: str
    fields: dict[str, str]
    max_bytes: int
    expires_at: datetime


def direct_upload_available() -> bool:
    return isinstance(originals_storage(), S3Storage)


def _storage() -> S3Storage:
    storage = originals_storage()
    if not isinstance(storage, S3Storage):
        raise Http404(UNAVAILABLE)
    return storage


def _key(storage: S3Storage, name: str) -> str:
    """The bucket key of a name in the originals storage (under its `location`)."""
    location = storage.location.strip("/")
    return f"{location}/{name}" if location else name


def _user_prefix(storage: S3Storage, user: AbstractBaseUser) -> str:
    return _key(storage, f"{STAGING_DIR}/{user.pk}/")


def photo_upload_intent_create(*, user: AbstractBaseUser, size: int | None = None) -> UploadIntent:
    """A presigned POST for one photo of `user`. A declared `size` is checked at once;
    S3 itself refuses a body outside 1..min(upload limit, quota left) bytes."""
    storage = _storage()
    if size is not None:
        check_upload_size(size)
        check_quota(user, size)
    max_bytes = min(settings.PHOTOS_MAX_UPLOAD_BYTES, storage_remaining(user))
    if max_bytes < 1:
        check_quota(user, 1)  # raises, with the quota's message
    key = f"{_user_prefix(storage, user)}{uuid.uuid4().hex}"
    expiry = settings.PHOTOS_DIRECT_UPLOAD_EXPIRY_SECONDS
    post = storage.connection.meta.client.generate_presigned_post(
        Bucket=storage.bucket_name,
        Key=key,  # boto3 pins it: {"key": key} is one of the policy's conditions
        Conditions=[["content-length-range", 1, max_bytes]],
        ExpiresIn=expiry,
    )
    expires_at = timezone.now() + timedelta(seconds=expiry)
    return UploadIntent(key, post["url"], post["fields"], max_bytes, expires_at)


def photo_upload_confirm(
    *, user: AbstractBaseUser, key: str, comment: str = "", alt_text: str = ""
) -> Photo:
    """Check the object sent to `key` as any upload is checked (size, quota, real image
    type, duplicate) and record it through `photo_upload`. A key outside the user's own
    staging prefix is a 404 and is never touched; the user's own staging object is
    deleted whatever the outcome, so nothing unconfirmed or invalid stays in the bucket."""
    storage = _storage()
    prefix = _user_prefix(storage, user)
    if not re.fullmatch(rf"{re.escape(prefix)}[0-9a-f]{{32}}", key):
        raise Http404(NOT_FOUND)
    try:
        with _download(storage, user, key) as file:
            return photo_upload(user=user, file=file, comment=comment, alt_text=alt_text)
    finally:
        try:
            storage.connection.meta.client.delete_object(Bucket=storage.bucket_name, Key=key)
        except (BotoCoreError, ClientError):  # the sweep removes it later
            logger.warning("could not delete the staging object %s", key, exc_info=True)


def _download(storage: S3Storage, user: AbstractBaseUser, key: str) -> TemporaryUploadedFile:
    """The object in a temporary file, read only up to the upload limit: its declared
    length is checked first and the bytes actually read are counted too."""
    client = storage.connection.meta.client
    try:
        response = client.get_object(Bucket=storage.bucket_name, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise Http404(NOT_FOUND) from None
        raise
    body = response["Body"]
    try:
        size = int(response["ContentLength"])
        check_upload_size(size)  # before a byte is read
        check_quota(user, size)
        file = TemporaryUploadedFile(key.rsplit("/", 1)[-1], "", size, None)
        try:
            read = 0
            while chunk := body.read(READ_CHUNK):
                read += len(chunk)
                if read > size:
                    break
                file.write(chunk)
            if read != size:
                raise ValidationError("The upload is incomplete.", code="incomplete")
        except BotoCoreError:  # the connection broke off
            file.close()
            raise ValidationError("The upload is incomplete.", code="incomplete") from None
        except BaseException:
            file.close()
            raise
        file.seek(0)
        return file
    finally:
        body.close()


def direct_upload_sweep(*, now: datetime | None = None) -> int:
    """Delete staging objects left by intents that were never confirmed (their POST
    expired more than `SWEEP_GRACE` ago). Reads the staging prefix only."""
    if not direct_upload_available():
        return 0
    storage = _storage()
    client = storage.connection.meta.client
    expiry = timedelta(seconds=settings.PHOTOS_DIRECT_UPLOAD_EXPIRY_SECONDS)
    cutoff = (now or timezone.now()) - expiry - SWEEP_GRACE
    deleted = 0
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=storage.bucket_name, Prefix=_key(storage, f"{STAGING_DIR}/")
    )
    for page in pages:
        stale = [{"Key": o["Key"]} for o in page.get("Contents", []) if o["LastModified"] < cutoff]
        if stale:
            client.delete_objects(Bucket=storage.bucket_name, Delete={"Objects": stale})
            deleted += len(stale)
    return deleted
