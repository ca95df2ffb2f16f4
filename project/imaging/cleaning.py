"""Pillow checks and clean-up for small images cleaned in the request (recipe pictures,
avatars): format, size, pixel count, integrity, EXIF orientation, metadata stripping,
thumbnails."""

import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

from .checks import check_upload_size

# Pillow format name -> stored file extension
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
THUMBNAIL_SIZE = (640, 640)


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    extension: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def clean_image(file: BinaryIO, size: int | None) -> CleanImage:
    """Validate by content (never by name), apply EXIF orientation, drop all metadata."""
    check_upload_size(size)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            image = Image.open(file)  # reads the header only
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    f"Unsupported image type {image.format}: use JPEG, PNG, GIF or WebP.",
                    code="unsupported_format",
                )
            width, height = image.size
            if width * height > settings.PHOTOS_MAX_PIXELS:
                raise ValidationError(
                    f"The image is too large: {width}x{height} pixels "
                    f"(at most {settings.PHOTOS_MAX_PIXELS:,} pixels).",
                    code="too_many_pixels",
                )
            image.load()  # full decode: truncated or corrupt data fails here
            fmt = image.format
            cleaned = _strip_metadata(image, fmt)
    except ValidationError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError(
            "The image is too large to process.", code="too_many_pixels"
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            "Upload a valid image: the file is not a JPEG, PNG, GIF or WebP picture.",
            code="invalid_image",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError("The image is truncated or corrupt.", code="corrupt_image") from None
    return cleaned


def _strip_metadata(image: Image.Image, fmt: str) -> CleanImage:
    """Re-encode the pixels only: EXIF (GPS included), XMP and text chunks are dropped."""
    out = BytesIO()
    quality = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
    if getattr(image, "is_animated", False):
        # Keep animations whole; the re-encoded frames carry no metadata.
        image.info = _only_rendering_info(image.info)
        image.save(out, format=fmt, save_all=True, **quality)
        width, height = image.size
    else:
        clean = ImageOps.exif_transpose(image).copy()
        if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.info = _only_rendering_info(clean.info)
        clean.save(out, format=fmt, **quality, **clean.info)
        width, height = clean.size
    return CleanImage(out.getvalue(), ALLOWED_FORMATS[fmt], width, height)


def _only_rendering_info(info: dict) -> dict:
    """What is needed to draw the pixels right; everything else is metadata."""
    return {key: info[key] for key in ("transparency", "duration", "loop") if key in info}


def make_thumbnail(source: BinaryIO) -> tuple[bytes, str]:
    """A copy whose longest side is at most 640 px; JPEG unless transparency needs PNG."""
    with Image.open(source) as image:
        image.seek(0)
        thumb = image.convert("RGBA" if _has_alpha(image) else "RGB")
        thumb.thumbnail(THUMBNAIL_SIZE)
        out = BytesIO()
        if thumb.mode == "RGBA":
            thumb.save(out, format="PNG", optimize=True)
            return out.getvalue(), "png"
        thumb.save(out, format="JPEG", quality=85)
        return out.getvalue(), "jpg"


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
