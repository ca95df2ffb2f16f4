"""Checks of an upload in the request, from its headers only: byte size, format, pixel
count and, for animations, frames x pixels. Nothing is decoded here; decoding, EXIF
rotation, stripping and the derivatives run in the Celery worker (`derivatives`)."""

import struct
import warnings
from dataclasses import dataclass
from typing import BinaryIO

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


def check_upload_size(size: int | None) -> None:
    limit = settings.PHOTOS_MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            f"The photo is larger than {megabytes(limit)}.", code="file_too_large"
        )
    if size == 0:
        raise ValidationError("The uploaded file is empty.", code="empty")


pillow_heif.register_heif_opener()  # HEIC/HEIF (phone cameras); AVIF is Pillow's own

# Pillow format name -> extension of the stored original. MPO is a phone camera's JPEG
# with extra (stereo or depth) frames after the first; only the first is a photo.
PHOTO_FORMATS = {
    "JPEG": "jpg", "MPO": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp",
    "AVIF": "avif", "HEIF": "heic",
}  # fmt: skip
PHOTO_FORMAT_NAMES = "JPEG, PNG, GIF, WebP, AVIF or HEIC"
PHOTO_CONTENT_TYPES = (
    "image/jpeg,image/png,image/gif,image/webp,image/avif,image/heic,image/heif,.heic,.heif"
)
# Formats whose extra frames are an animation (MPO's and HEIF's are not).
ANIMATED_FORMATS = {"GIF", "PNG", "WEBP"}


@dataclass(frozen=True)
class PhotoInfo:
    """What the upload request learns from the headers, without decoding."""

    format: str
    extension: str
    width: int
    height: int
    frames: int


def _unreadable(error: Exception) -> ValidationError:
    if isinstance(error, (Image.DecompressionBombWarning, Image.DecompressionBombError)):
        return ValidationError("The image is too large to process.", code="too_many_pixels")
    if isinstance(error, UnidentifiedImageError):
        return ValidationError(
            f"Upload a valid image: the file is not a {PHOTO_FORMAT_NAMES} picture.",
            code="invalid_image",
        )
    return ValidationError("The image is truncated or corrupt.", code="corrupt_image")


_UNREADABLE = (
    Image.DecompressionBombWarning, Image.DecompressionBombError, UnidentifiedImageError,
    OSError, SyntaxError, ValueError, EOFError, struct.error,
)  # fmt: skip


def inspect_photo(file: BinaryIO, size: int | None) -> PhotoInfo:
    """Check an upload from its headers only: byte size, format, pixel count, and for
    animations frames x pixels (`PHOTOS_MAX_ANIMATION_PIXELS`). Nothing is decoded."""
    check_upload_size(size)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file) as image:
                return _inspect(image)
    except ValidationError:
        raise
    except _UNREADABLE as error:
        raise _unreadable(error) from None


def _inspect(image: Image.Image) -> PhotoInfo:
    fmt = image.format or ""
    if fmt not in PHOTO_FORMATS:
        raise ValidationError(
            f"Unsupported image type {fmt}: use {PHOTO_FORMAT_NAMES}.", code="unsupported_format"
        )
    width, height = image.size
    pixels = width * height
    if pixels > settings.PHOTOS_MAX_PIXELS:
        raise ValidationError(
            f"The image is too large: {width}x{height} pixels "
            f"(at most {settings.PHOTOS_MAX_PIXELS:,} pixels).",
            code="too_many_pixels",
        )
    frames = _count_frames(image, pixels) if fmt in ANIMATED_FORMATS else 1
    return PhotoInfo(fmt, PHOTO_FORMATS[fmt], width, height, frames)


def _count_frames(image: Image.Image, pixels: int) -> int:
    """Frames, counted without decoding them, and refused once frames x pixels passes
    the limit (so a GIF of a million empty frames stops being read at the limit)."""
    limit = settings.PHOTOS_MAX_ANIMATION_PIXELS
    declared = image.format != "GIF"  # PNG and WebP state their frame count up front
    if declared:
        frames = getattr(image, "n_frames", 1)
    else:  # GIF: walk the frame headers, skipping their pixel data
        frames = 1
        try:
            while frames * pixels <= limit:
                image._seek(frames, False)  # type: ignore[attr-defined]
                frames += 1
        except EOFError:
            pass
    if frames > 1 and frames * pixels > limit:
        raise ValidationError(
            f"The animation is too large: {frames if declared else f'over {frames - 1}'} "
            f"frames of {image.width}x{image.height} pixels (at most {limit:,} pixels "
            "in all frames together).",
            code="too_many_frames",
        )
    return frames
