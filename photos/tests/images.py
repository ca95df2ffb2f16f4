"""Real images made with Pillow for upload tests."""

import itertools
import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ORIENTATION = 0x0112
GPS_IFD = 0x8825


# Each image made without a colour gets a new one: the same user uploading the same bytes
# twice is a duplicate (409), which tests making several photos do not mean.
_colours = itertools.count()


def next_colour() -> tuple[int, int, int]:
    n = next(_colours)  # steps wide enough to survive lossy JPEG/WebP
    return ((n * 16) % 256, (n // 16 * 16) % 256, (n // 256 * 16) % 256)


def image_bytes(fmt: str = "PNG", size=(8, 6), color=None, exif=None, mode="RGB") -> bytes:
    out = BytesIO()
    if color is None:
        color = next_colour() if mode in ("RGB", "RGBA") else 128
    image = Image.new(mode, size, color)
    options = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def exif_with_gps_and_orientation(orientation: int = 6) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    return exif.tobytes()


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny valid-looking PNG whose header claims huge dimensions (a decompression bomb)."""
    data = bytearray(image_bytes("PNG", size=(1, 1)))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17])) & 0xFFFFFFFF
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def upload(
    data: bytes, name: str = "photo.png", content_type: str = "image/png"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def many_frame_gif(frames: int = 1000, size=(500, 500)) -> bytes:
    """An animation of `frames` distinct frames, each one pixel changed: small on disk
    (GIF compresses it well), huge once decoded."""
    from PIL import ImageDraw

    images = []
    for index in range(frames):
        frame = Image.new("P", size, 0)
        frame.putpalette([0, 0, 0, 255, 255, 255] * 128)
        ImageDraw.Draw(frame).point((index % size[0], (index // size[0]) % size[1]), fill=1)
        images.append(frame)
    out = BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=40)
    return out.getvalue()


def mpo_bytes(size=(64, 48)) -> bytes:
    """A phone camera's MPO: a JPEG with a second (depth or stereo) frame."""
    first, second = Image.new("RGB", size, next_colour()), Image.new("RGB", size, (0, 0, 0))
    out = BytesIO()
    first.save(out, format="MPO", save_all=True, append_images=[second])
    return out.getvalue()


def camera_exif(orientation: int = 1) -> bytes:
    """Camera facts that are kept, plus GPS and a serial number that are not."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Canon"
    exif[0x0110] = "EOS R6"
    exif[0x0131] = "Secret Editor 1.0"  # Software: dropped
    sub = exif.get_ifd(0x8769)
    sub.update({
        0x829A: 0.004, 0x829D: 2.8, 0x8827: 400, 0x920A: 50.0,
        0x9003: "2024:05:01 12:30:00", 0xA434: "RF50mm F1.8 STM", 0xA431: "SERIAL-123",
    })  # fmt: skip
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    return exif.tobytes()
