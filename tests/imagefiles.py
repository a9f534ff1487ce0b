"""PNG and JPEG files made by the tests themselves: whole ones of every kind a decoder meets,
and the broken ones nnsvg must refuse (cut short, damaged, decompression bombs). PNGs are
written byte by byte with zlib, so each broken one is broken in exactly one way."""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def ihdr(width: int, height: int, depth: int = 8, colour: int = 2, interlace: int = 0) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace))


def raw_rows(width: int, height: int, depth: int = 8, colour: int = 2, interlace: int = 0) -> bytes:
    """Unfiltered image data (filter type 0 on every row) of a patterned image."""
    bits = depth * CHANNELS[colour]
    rows = []
    for x0, y0, dx, dy in ADAM7 if interlace else ((0, 0, 1, 1),):
        columns, count = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if columns > 0 and count > 0:
            for r in range(count):
                row = bytes((x * 7 + r * 3) % (16 if colour == 3 else 256) for x in range((columns * bits + 7) // 8))
                rows.append(b"\x00" + row)
    return b"".join(rows)


def png(width: int = 12, height: int = 8, depth: int = 8, colour: int = 2, interlace: int = 0) -> bytes:
    """A whole PNG: IHDR, a palette when the colour type needs one, one IDAT, IEND."""
    palette = chunk(b"PLTE", bytes(range(48))) if colour == 3 else b""
    data = zlib.compress(raw_rows(width, height, depth, colour, interlace))
    header = ihdr(width, height, depth, colour, interlace)
    return SIGNATURE + header + palette + chunk(b"IDAT", data) + chunk(b"IEND", b"")


@cache
def bomb_png(side: int = 20000) -> bytes:  # a multiple of 1000
    """A real decompression bomb: a side × side 1-bit black image, some 50 KB of PNG that a
    decoder turns into side² pixels (1.6 GB as cairo's 4 bytes a pixel for 20000)."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_RLE)  # as small as level 9, much faster
    rows = b"\x00" * (1 + (side + 7) // 8) * 1000  # (filter byte, black pixels) × 1000 rows
    data = b"".join(squeeze.compress(rows) for _ in range(side // 1000)) + squeeze.flush()
    return SIGNATURE + ihdr(side, side, depth=1, colour=0) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def jpeg(width: int = 12, height: int = 8, **options: object) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 100, 50)).save(out, "JPEG", **options)
    return out.getvalue()


def jpeg_sized(width: int, height: int) -> bytes:
    """A whole small JPEG whose frame header claims ``width`` × ``height``: a JPEG bomb's header."""
    data = bytearray(jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def alexnet_spec(fmt: str, image: str) -> bytes:
    """A spec file in ``fmt`` (yaml, toml, json) of an AlexNet figure with ``image`` as its input."""
    return {"yaml": f"style: alexnet\nlayers: [28x28x1, 10]\ninput_image: {image}\n",
            "toml": f'style = "alexnet"\nlayers = ["28x28x1", 10]\ninput_image = "{image}"\n',
            "json": f'{{"style": "alexnet", "layers": ["28x28x1", 10], "input_image": "{image}"}}'}[fmt].encode()


def damaged_crc() -> bytes:
    data = bytearray(png())
    data[len(SIGNATURE) + 8 + 13] ^= 0xFF  # the IHDR chunk's CRC
    return bytes(data)


# the broken images every surface must refuse, with the words its error must hold
BROKEN: dict[str, tuple[bytes, str]] = {
    "png-header-only": (SIGNATURE + ihdr(12, 8), "PNG cut short"),
    "png-no-iend": (png()[:-12], "PNG cut short"),
    "png-cut-in-idat": (png()[:-30], "PNG cut short"),
    "png-data-cut": (SIGNATURE + ihdr(12, 8) + chunk(b"IDAT", zlib.compress(raw_rows(12, 8))[:-9])
                     + chunk(b"IEND", b""), "PNG cut short"),
    "png-too-little-data": (SIGNATURE + ihdr(12, 9) + chunk(b"IDAT", zlib.compress(raw_rows(12, 8)))
                            + chunk(b"IEND", b""), "PNG cut short"),
    "png-no-idat": (SIGNATURE + ihdr(12, 8) + chunk(b"IEND", b""), "no IDAT"),
    "png-bad-crc": (damaged_crc(), "CRC"),
    "png-ihdr-not-first": (SIGNATURE + chunk(b"tEXt", b"a\x00b") + png()[8:], "IHDR"),
    "png-no-palette": (SIGNATURE + ihdr(4, 4, 8, 3) + chunk(b"IDAT", zlib.compress(raw_rows(4, 4, 8, 3)))
                       + chunk(b"IEND", b""), "PLTE"),
    "png-bomb": (bomb_png(), "20000×20000 pixels"),
    "png-too-wide": (SIGNATURE + ihdr(20000, 1) + chunk(b"IDAT", zlib.compress(raw_rows(20000, 1)))
                     + chunk(b"IEND", b""), "20000×1 pixels"),
    "jpeg-cut-short": (jpeg()[:-2], "JPEG cut short"),
    "jpeg-header-only": (jpeg()[:20], "JPEG cut short"),
    "jpeg-no-frame": (b"\xff\xd8\xff\xd9", "no frame header"),
    "jpeg-bomb": (jpeg_sized(60000, 60000), "60000×60000 pixels"),
    # a whole image padded with 100,001 empty chunks or segments: checking millions would take seconds
    "png-too-many-chunks": (png()[:33] + chunk(b"tEXt", b"") * 100_001 + png()[33:], "more than 100,000 chunks"),
    "jpeg-too-many-segments": (jpeg()[:2] + b"\xff\xfe\x00\x02" * 100_001 + jpeg()[2:], "more than 100,000 segments"),
}
