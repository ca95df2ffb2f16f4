"""Shared image handling (photos, recipe pictures, avatars), one module per sub-domain:

- `checks`: an upload checked in the request from its headers (size, format, pixels, frames);
- `cleaning`: small images cleaned and stripped in the request (avatars, recipe pictures);
- `exif`: the EXIF allow-list and orientation;
- `derivatives`: photos processed in the worker (display size, thumbnail, blurhash).
"""

from .checks import (
    ANIMATED_FORMATS,
    PHOTO_CONTENT_TYPES,
    PHOTO_FORMAT_NAMES,
    PHOTO_FORMATS,
    PhotoInfo,
    check_upload_size,
    inspect_photo,
    megabytes,
)
from .cleaning import ALLOWED_FORMATS, THUMBNAIL_SIZE, CleanImage, clean_image, make_thumbnail
from .derivatives import (
    BLURHASH_SAMPLE,
    DERIVATIVE_QUALITY,
    DISPLAY_BOXES,
    PHOTO_THUMBNAIL_SIDE,
    Derivative,
    ProcessedPhoto,
    display_size,
    process_photo,
)
from .exif import EXIF_TEXT_MAX_CHARS, ORIENTATION_TAG, ROTATING_ORIENTATIONS, exif_allow_list

__all__ = [
    "ALLOWED_FORMATS",
    "ANIMATED_FORMATS",
    "BLURHASH_SAMPLE",
    "DERIVATIVE_QUALITY",
    "DISPLAY_BOXES",
    "EXIF_TEXT_MAX_CHARS",
    "ORIENTATION_TAG",
    "PHOTO_CONTENT_TYPES",
    "PHOTO_FORMATS",
    "PHOTO_FORMAT_NAMES",
    "PHOTO_THUMBNAIL_SIDE",
    "ROTATING_ORIENTATIONS",
    "THUMBNAIL_SIZE",
    "CleanImage",
    "Derivative",
    "PhotoInfo",
    "ProcessedPhoto",
    "check_upload_size",
    "clean_image",
    "display_size",
    "exif_allow_list",
    "inspect_photo",
    "make_thumbnail",
    "megabytes",
    "process_photo",
]
