"""Pillow checks and clean-up for uploaded images (photos, recipe pictures, avatars):
format, size, pixel count, integrity, EXIF orientation, metadata stripping, thumbnails."""

import hashlib
import math
import struct
import warnings
from dataclasses import dataclass
from fractions import Fraction
from io import BytesIO
from typing import BinaryIO

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from project.blurhash import blurhash_encode

# Pillow format name -> stored file extension
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
THUMBNAIL_SIZE = (640, 640)
ORIENTATION_TAG = 0x0112


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    extension: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


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


# --- photos: validate in the request, process in the worker -----------------------------
#
# The upload request only reads headers (`inspect_photo`): format, pixel count and, for
# animations, frames x pixels. Decoding, EXIF rotation, stripping and the derivatives run in
# the Celery worker (`process_photo`), with memory bounded by decoding JPEGs at a reduced
# scale (`draft`) and by the frames x pixels limit.

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
PHOTO_THUMBNAIL_SIDE = 640
# Pixelfed's display sizes: the box a photo is fitted into, by its shape.
DISPLAY_BOXES = {"square": (1080, 1080), "landscape": (1920, 1080), "portrait": (1080, 1350)}
ROTATING_ORIENTATIONS = {5, 6, 7, 8}  # EXIF orientations that swap width and height
DERIVATIVE_QUALITY = 82
BLURHASH_SAMPLE = 32  # pixels across the copy a blurhash is computed from

# EXIF kept (shown on the photo page); everything else, GPS included, is dropped.
_EXIF_IFD0 = {"make": 0x010F, "model": 0x0110}
_EXIF_SUBIFD = {
    "lens": 0xA434,
    "exposure_time": 0x829A,
    "f_number": 0x829D,
    "iso": 0x8827,
    "focal_length": 0x920A,
    "date_taken": 0x9003,
}
EXIF_TEXT_MAX_CHARS = 100


@dataclass(frozen=True)
class PhotoInfo:
    """What the upload request learns from the headers, without decoding."""

    format: str
    extension: str
    width: int
    height: int
    frames: int


@dataclass(frozen=True)
class Derivative:
    """One served size: WebP plus a JPEG fallback (PNG when it has transparency)."""

    webp: bytes
    fallback: bytes
    fallback_extension: str
    width: int
    height: int


@dataclass(frozen=True)
class ProcessedPhoto:
    width: int  # the original's, after EXIF rotation
    height: int
    display: Derivative
    thumbnail: Derivative
    exif: dict
    blurhash: str


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


def display_size(width: int, height: int) -> tuple[int, int]:
    """Fit into Pixelfed's box for the photo's shape; never upscale."""
    shape = "square" if width == height else "landscape" if width > height else "portrait"
    box_width, box_height = DISPLAY_BOXES[shape]
    scale = min(Fraction(1), Fraction(box_width, width), Fraction(box_height, height))
    return max(1, math.floor(width * scale + Fraction(1, 2))), max(
        1, math.floor(height * scale + Fraction(1, 2))
    )


def process_photo(file: BinaryIO) -> ProcessedPhoto:
    """Decode (bounded), apply EXIF orientation, and make the served derivatives, which
    carry no metadata at all. Raises ValidationError for images that cannot be used."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file) as image:
                info = _inspect(image)  # again: the worker trusts nothing it is handed
                return _process(image, info)
    except ValidationError:
        raise
    except _UNREADABLE as error:
        raise _unreadable(error) from None


def _process(image: Image.Image, info: PhotoInfo) -> ProcessedPhoto:
    exif = image.getexif()
    orientation = exif.get(ORIENTATION_TAG, 1)
    rotated = orientation in ROTATING_ORIENTATIONS
    width, height = (info.height, info.width) if rotated else (info.width, info.height)
    display_w, display_h = display_size(width, height)
    allowed_exif = exif_allow_list(exif)
    animated = info.frames > 1 and info.format in ANIMATED_FORMATS

    # JPEG: decode at 1/2, 1/4 or 1/8 scale when that still covers the display size.
    box = (display_h, display_w) if rotated else (display_w, display_h)
    image.draft("RGB", box)
    first = _upright(_frame_for_output(image, animated), orientation)
    if first.size != (display_w, display_h):
        first = first.resize((display_w, display_h), Image.Resampling.LANCZOS, reducing_gap=3.0)
    frames = _display_frames(image, first.size, orientation) if animated else None
    display = _encode(first, animation=frames)
    thumbnail = _encode(_square(first, PHOTO_THUMBNAIL_SIDE))
    return ProcessedPhoto(width, height, display, thumbnail, allowed_exif, _blurhash(first))


def _frame_for_output(image: Image.Image, animated: bool) -> Image.Image:
    """The first frame in RGB(A). An image decoded in that mode is used as it is: a copy
    of 40 MP would double the worker's peak memory."""
    image.seek(0)
    mode = "RGBA" if _has_alpha(image) else "RGB"
    if image.mode == mode and not animated:  # animations seek on, so keep a copy
        image.load()
        return image
    return image.convert(mode)


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)  # fmt: skip
    return image.transpose(method) if method is not None else image


def _display_frames(
    image: Image.Image, size: tuple[int, int], orientation: int
) -> list[tuple[Image.Image, int]]:
    """Each frame at display size with its duration; the total is bounded by the
    frames x pixels limit checked before."""
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frame = _upright(image.convert("RGBA"), orientation)
        frame = frame.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        frames.append((frame, int(image.info.get("duration", 100) or 100)))
    return frames


def _square(image: Image.Image, side: int) -> Image.Image:
    """A centred square crop, `side` pixels across at most (never upscaled)."""
    side = min(side, image.width, image.height)
    return ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)


def _encode(
    image: Image.Image, animation: list[tuple[Image.Image, int]] | None = None
) -> Derivative:
    webp = BytesIO()
    if animation and len(animation) > 1:
        frames = [frame for frame, _ in animation]
        frames[0].save(
            webp, format="WEBP", save_all=True, append_images=frames[1:],
            duration=[duration for _, duration in animation], loop=0,
            quality=DERIVATIVE_QUALITY,
        )  # fmt: skip
    else:
        image.save(webp, format="WEBP", quality=DERIVATIVE_QUALITY, method=4)
    fallback = BytesIO()
    if image.mode == "RGBA":
        image.save(fallback, format="PNG", optimize=True)
        extension = "png"
    else:
        image.save(fallback, format="JPEG", quality=DERIVATIVE_QUALITY, optimize=True)
        extension = "jpg"
    return Derivative(webp.getvalue(), fallback.getvalue(), extension, *image.size)


def exif_allow_list(exif: Image.Exif) -> dict:
    """Only the camera facts shown on the photo page, as plain JSON values."""
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    raw = {name: exif.get(tag) for name, tag in _EXIF_IFD0.items()}
    raw |= {name: sub.get(tag) for name, tag in _EXIF_SUBIFD.items()}
    kept = {}
    for name, value in raw.items():
        if isinstance(value, tuple) and value:
            value = value[0]  # ISO may come as a sequence
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str):
            value = "".join(ch for ch in value if ch.isprintable()).strip()
            if value:
                kept[name] = value[:EXIF_TEXT_MAX_CHARS]
        elif isinstance(value, (int, float)) or hasattr(value, "numerator"):
            number = float(value)
            if math.isfinite(number) and number > 0:
                kept[name] = round(number, 6)
    return kept


def _blurhash(image: Image.Image) -> str:
    """4x3 components (3x4 when portrait) of a 32 px copy: enough for a placeholder."""
    small = image.convert("RGB")
    small.thumbnail((BLURHASH_SAMPLE, BLURHASH_SAMPLE))
    return blurhash_encode(small, *((4, 3) if small.width >= small.height else (3, 4)))
