"""EXIF: the allow-list of camera facts kept for the photo page, and the orientation
applied to the pixels. Everything else, GPS included, is dropped."""

import math

from PIL import ExifTags, Image

ORIENTATION_TAG = 0x0112
ROTATING_ORIENTATIONS = {5, 6, 7, 8}  # EXIF orientations that swap width and height

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


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)  # fmt: skip
    return image.transpose(method) if method is not None else image
