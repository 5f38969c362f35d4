"""The app's icons as PNG files, drawn from the favicon's mark (static/img/favicon.svg)
with nothing but zlib: no imaging library is installed, and installing the app on a
phone needs raster icons of 192 and 512 px.

The mark, in the favicon's 32-unit square: a rounded brand-coloured square, a white head
and spine, and an orange dot where the pain is. A maskable icon fills its whole square
with the brand colour and keeps the mark inside the central safe circle (radius 40%),
which every launcher's mask leaves visible.
"""

import math
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

BRAND = (0x0D, 0x5C, 0x63)
WHITE = (0xFF, 0xFF, 0xFF)
ORANGE = (0xF2, 0xA6, 0x5A)
SAMPLES = 4  # per pixel side: 16 samples smooth the edges

Colour = tuple[int, int, int]
# Whether a point (x, y) of the 32-unit square lies inside a shape.
Shape = Callable[[float, float], bool]


@dataclass(frozen=True)
class Icon:
    name: str
    size: int
    maskable: bool


ICONS = (
    Icon("icon-192.png", 192, maskable=False),
    Icon("icon-512.png", 512, maskable=False),
    Icon("icon-maskable-192.png", 192, maskable=True),
    Icon("icon-maskable-512.png", 512, maskable=True),
)


def rounded_square(radius: float) -> Shape:
    def inside(x: float, y: float) -> bool:
        if not (0 <= x <= 32 and 0 <= y <= 32):
            return False
        cx = min(max(x, radius), 32 - radius)
        cy = min(max(y, radius), 32 - radius)
        return math.hypot(x - cx, y - cy) <= radius

    return inside


def disc(cx: float, cy: float, r: float) -> Shape:
    return lambda x, y: math.hypot(x - cx, y - cy) <= r


def capsule(x0: float, y0: float, y1: float, half_width: float) -> Shape:
    """A vertical stroke with round caps, like the favicon's spine."""
    return lambda x, y: math.hypot(x - x0, y - min(max(y, y0), y1)) <= half_width


MARK: tuple[tuple[Shape, Colour], ...] = (
    (disc(16, 8, 3.2), WHITE),
    (capsule(16, 12.5, 26.5, 1.3), WHITE),
    (disc(21.5, 20, 3.4), ORANGE),
)


def pixels(icon: Icon) -> list[bytearray]:
    """Rows of RGBA bytes."""
    background: Shape
    if icon.maskable:
        # The 32-unit design shrunk to 80% of the square: the mark's farthest point is then
        # 30% of the size from the centre, inside the safe circle of 40%.
        scale, offset = 32 / (icon.size * 0.8), -3.2
        background = lambda x, y: True  # noqa: E731 - full bleed
    else:
        scale, offset = 32 / icon.size, 0.0
        background = rounded_square(8)
    layers = ((background, BRAND), *MARK)
    step = 1 / SAMPLES
    rows = []
    for py in range(icon.size):
        row = bytearray()
        for px in range(icon.size):
            red = green = blue = covered = 0
            for sy in range(SAMPLES):
                y = (py + (sy + 0.5) * step) * scale + offset
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) * step) * scale + offset
                    colour = None
                    for shape, fill in layers:
                        if shape(x, y):
                            colour = fill
                    if colour is not None:
                        covered += 1
                        red, green, blue = red + colour[0], green + colour[1], blue + colour[2]
            if covered:
                row += bytes((red // covered, green // covered, blue // covered))
                row.append(round(255 * covered / SAMPLES**2))
            else:
                row += b"\0\0\0\0"
        rows.append(row)
    return rows


def png(rows: list[bytearray]) -> bytes:
    """An 8-bit RGBA PNG of these rows (each filtered with "none")."""
    height, width = len(rows), len(rows[0]) // 4

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    raw = b"".join(b"\0" + bytes(row) for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height, read from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height
