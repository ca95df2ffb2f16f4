"""Blurhash (https://blurha.sh) encoding: a short string a page paints as a blurred
placeholder while a photo loads (static/js/blurhash.js decodes it). The published
algorithm, small enough to need no dependency (checked against blurhash-python's output
in photos/tests/test_processing.py's fixed values)."""

import math

from PIL import Image

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"


def _to_linear(value: int) -> float:
    v = value / 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _to_srgb(value: float) -> int:
    v = max(0.0, min(1.0, value))
    return round((v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055) * 255)


def _base83(value: int, length: int) -> str:
    return "".join(DIGITS[(value // 83 ** (length - 1 - i)) % 83] for i in range(length))


def blurhash_encode(image: Image.Image, x_components: int, y_components: int) -> str:
    """The blurhash of an RGB image (keep it small: the cost is pixels x components)."""
    width, height = image.size
    linear = [tuple(_to_linear(c) for c in pixel) for pixel in image.get_flattened_data()]
    factors = []
    for j in range(y_components):
        for i in range(x_components):
            norm = 1 if i == j == 0 else 2
            totals = [0.0, 0.0, 0.0]
            for y in range(height):
                basis_y = math.cos(math.pi * j * y / height)
                row = linear[y * width : (y + 1) * width]
                for x, pixel in enumerate(row):
                    basis = norm * math.cos(math.pi * i * x / width) * basis_y
                    for c in range(3):
                        totals[c] += basis * pixel[c]
            factors.append([t / (width * height) for t in totals])
    dc, ac = factors[0], factors[1:]
    result = _base83((x_components - 1) + (y_components - 1) * 9, 1)
    if ac:
        actual_max = max(abs(v) for factor in ac for v in factor)
        quantised = max(0, min(82, math.floor(actual_max * 166 - 0.5)))
        maximum = (quantised + 1) / 166
        result += _base83(quantised, 1)
    else:
        maximum = 1
        result += _base83(0, 1)
    result += _base83((_to_srgb(dc[0]) << 16) + (_to_srgb(dc[1]) << 8) + _to_srgb(dc[2]), 4)
    for factor in ac:
        q = [
            max(0, min(18, math.floor(math.copysign(abs(v / maximum) ** 0.5, v) * 9 + 9.5)))
            for v in factor
        ]
        result += _base83(q[0] * 19 * 19 + q[1] * 19 + q[2], 2)
    return result
