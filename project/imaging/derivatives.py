"""Photos, in the worker: decode (bounded), apply EXIF orientation, and make the served
derivatives (display size and thumbnail, WebP with a JPEG/PNG fallback, animations kept)
and the blurhash. Memory is bounded by decoding JPEGs at a reduced scale (`draft`) and by
the frames x pixels limit checked first (`checks`)."""

import math
import warnings
from dataclasses import dataclass
from fractions import Fraction
from io import BytesIO
from typing import BinaryIO

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

from project.blurhash import blurhash_encode

from .checks import _UNREADABLE, ANIMATED_FORMATS, PhotoInfo, _inspect, _unreadable
from .cleaning import _has_alpha
from .exif import ORIENTATION_TAG, ROTATING_ORIENTATIONS, _upright, exif_allow_list

PHOTO_THUMBNAIL_SIDE = 640
# Pixelfed's display sizes: the box a photo is fitted into, by its shape.
DISPLAY_BOXES = {"square": (1080, 1080), "landscape": (1920, 1080), "portrait": (1080, 1350)}
DERIVATIVE_QUALITY = 82
BLURHASH_SAMPLE = 32  # pixels across the copy a blurhash is computed from


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


def _blurhash(image: Image.Image) -> str:
    """4x3 components (3x4 when portrait) of a 32 px copy: enough for a placeholder."""
    small = image.convert("RGB")
    small.thumbnail((BLURHASH_SAMPLE, BLURHASH_SAMPLE))
    return blurhash_encode(small, *((4, 3) if small.width >= small.height else (3, 4)))
