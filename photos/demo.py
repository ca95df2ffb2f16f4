"""Demo photos for `manage.py seed_demo`: a few generated pictures, so the photo grid
of a fresh site shows what it looks like with content."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from photos.models import Photo
from photos.services import photo_upload

# (caption, size, sky top, sky bottom, sun/moon colour)
DEMO_PHOTOS = [
    ("Sunset over the bay", (1200, 800), (255, 140, 60), (120, 40, 110), (255, 220, 120)),
    ("Blue hour", (800, 1000), (20, 40, 110), (120, 160, 220), (240, 240, 255)),
    ("Morning fog", (1000, 1000), (200, 210, 220), (240, 240, 235), (255, 255, 250)),
    ("Desert noon", (1200, 800), (60, 140, 230), (180, 220, 250), (255, 250, 200)),
]


def _landscape(size: tuple[int, int], top, bottom, sun) -> bytes:
    """A sky gradient, a sun and two hills: cheap to draw, pleasant to look at."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    r = min(size) // 8
    draw.ellipse(
        [width * 0.65 - r, height * 0.35 - r, width * 0.65 + r, height * 0.35 + r], fill=sun
    )
    for offset, shade in ((0.70, 0.55), (0.80, 0.35)):
        colour = tuple(round(c * shade) for c in bottom)
        draw.ellipse(
            [-width * 0.3, height * offset, width * 0.9, height * (offset + 0.7)], fill=colour
        )
        draw.ellipse(
            [width * 0.3, height * (offset + 0.05), width * 1.4, height * (offset + 0.8)],
            fill=colour,
        )
    out = BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def seed(user) -> str:
    created = 0
    for caption, size, top, bottom, sun in DEMO_PHOTOS:
        if Photo.objects.filter(user=user, comment=caption).exists():
            continue
        data = _landscape(size, top, bottom, sun)
        upload = SimpleUploadedFile(f"{caption}.jpg", data, content_type="image/jpeg")
        photo_upload(user=user, file=upload, comment=caption)
        created += 1
    return f"{created} photo(s) created, {len(DEMO_PHOTOS) - created} already there"
