"""Photo uploads (issue 15): what the upload request costs, and the worker's memory.

- The request (Django's test client through the whole stack, multipart parsing included,
  tasks queued to Redis but not run) for a 1 MP JPEG and a 40 MP PNG: median time, and
  how much the process's resident memory grows over the 40 MP uploads.
  Targets: 40 MP costs at most 2x the 1 MP upload; memory grows by at most 50 MiB.
- The worker's peak memory per image: `process_photo` in a fresh process per image,
  peak RSS minus that of the same process doing nothing. Reported, bounded by the
  JPEG draft decode and the animation limit (a 1000-frame GIF is refused at once).
Run: `make bench` or `.venv/bin/python -m benchmarks photos`.
"""

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

UPLOADS = 7
TIME_RATIO_TARGET = 2.0
MEMORY_TARGET_MIB = 50

WORKER_SCRIPT = """
import os, re, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
import django
django.setup()
from project.imaging import process_photo
from django.core.exceptions import ValidationError
path = sys.argv[1]
if path != "-":
    try:
        with open(path, "rb") as source:
            process_photo(source)
    except ValidationError as error:
        print(error.code, file=sys.stderr)
# VmHWM: this process's own peak (ru_maxrss would carry the parent's over exec)
print(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1))
"""


def _rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _image(fmt: str, megapixels: float, seed: int, **options) -> bytes:
    from PIL import Image, ImageDraw

    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    ImageDraw.Draw(image).text((10, 10), f"upload {seed}", fill=(255, 0, 0))  # unique bytes
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _upload_times(client, files: list[tuple[str, bytes]]) -> list[float]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    timings = []
    for name, data in files:
        started = time.perf_counter()
        response = client.post("/photos/", {"photo": SimpleUploadedFile(name, data)})
        timings.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    return timings


def request_cost() -> tuple[float, float, float]:
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    from project.celery import app

    app.conf.task_always_eager = False  # the request only queues the processing
    user = get_user_model().objects.create_user("bench-photos", "bench@example.com", "x")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    with (
        tempfile.TemporaryDirectory() as folder,
        override_settings(
            MEDIA_ROOT=Path(folder) / "media", PHOTOS_ORIGINALS_ROOT=Path(folder) / "originals"
        ),
    ):
        return _request_cost(client)


def _request_cost(client) -> tuple[float, float, float]:
    small = [(f"s{i}.jpg", _image("JPEG", 1, i, quality=90)) for i in range(UPLOADS + 1)]
    big = [(f"b{i}.png", _image("PNG", 40, i)) for i in range(UPLOADS)]
    _upload_times(client, small[:1])  # warm-up
    small_ms = statistics.median(_upload_times(client, small[1:])) * 1000
    before = _rss_mib()
    big_ms = statistics.median(_upload_times(client, big)) * 1000
    return small_ms, big_ms, _rss_mib() - before


def worker_memory() -> list[tuple[str, str, float]]:
    from PIL import Image

    from photos.tests.images import many_frame_gif

    heic = io.BytesIO()
    Image.linear_gradient("L").resize((4000, 3000)).convert("RGB").save(heic, format="HEIF")
    cases = [
        ("1 MP JPEG", _image("JPEG", 1, 0, quality=90)),
        ("24 MP JPEG", _image("JPEG", 24, 0, quality=90)),
        ("40 MP PNG", _image("PNG", 40, 0)),
        ("12 MP HEIC", heic.getvalue()),
        ("1000-frame GIF", many_frame_gif(1000, (500, 500))),
    ]
    baseline = _peak_kib("-")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, data in cases:
            path = Path(folder) / "image"
            path.write_bytes(data)
            peak_mib = (_peak_kib(str(path)) - baseline) / 1024
            rows.append((name, f"{len(data) / 1e6:.2f} MB", peak_mib))
    return rows


def _peak_kib(path: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", WORKER_SCRIPT, path], capture_output=True, text=True,
        check=True, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    return int(result.stdout.split()[-1])


def main() -> int:
    from benchmarks.setup import django_with_services

    with django_with_services():
        small_ms, big_ms, grown = request_cost()
    ratio = big_ms / small_ms
    print("| upload request | median | |")
    print("|---|---|---|")
    print(f"| 1 MP JPEG | {small_ms:.1f} ms | |")
    print(f"| 40 MP PNG | {big_ms:.1f} ms | {ratio:.2f}x (target <= {TIME_RATIO_TARGET}x) |")
    print(f"| web process memory over {UPLOADS} 40 MP uploads | +{grown:.1f} MiB | "
          f"target <= {MEMORY_TARGET_MIB} MiB |")  # fmt: skip
    print()
    print("| worker, process_photo | file | peak memory above an idle worker |")
    print("|---|---|---|")
    for name, size, mib in worker_memory():
        print(f"| {name} | {size} | {mib:.0f} MiB |")
    met = ratio <= TIME_RATIO_TARGET and grown <= MEMORY_TARGET_MIB
    print("\nTargets met." if met else "\nTARGET MISSED.")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
