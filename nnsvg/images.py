"""Input images: read a PNG or JPEG named by the user, check that it is one, and give its
pixel size and a ``data:`` URI to embed. Nothing else is read; no image library is needed."""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass
from pathlib import Path

from .errors import SpecError

MAX_IMAGE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class EmbeddedImage:
    mime: str
    width: int
    height: int
    uri: str


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) >= 24 and data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start-of-frame
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None


def read_image(path: str) -> EmbeddedImage:
    """The image at ``path``, checked to be a PNG or JPEG with a non-zero size."""
    file = Path(path).expanduser()
    try:
        if file.stat().st_size > MAX_IMAGE_BYTES:
            raise SpecError(f"input_image: '{path}' is larger than {MAX_IMAGE_BYTES // 2**20} MB")
        data = file.read_bytes()
    except IsADirectoryError:
        raise SpecError(f"input_image: '{path}' is a directory") from None
    except OSError as exc:
        raise SpecError(f"input_image: cannot read '{path}': {exc.strerror or exc}") from None
    for mime, sniff in (("image/png", _png_size), ("image/jpeg", _jpeg_size)):
        size = sniff(data)
        if size is not None:
            width, height = size
            if width < 1 or height < 1:
                break
            uri = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
            return EmbeddedImage(mime, width, height, uri)
    raise SpecError(f"input_image: '{path}' is not a PNG or JPEG image")
