"""Input images: read a PNG or JPEG named by the user, check that it is one a decoder can read
whole, and give its pixel size and a ``data:`` URI to embed. Nothing else is read; no image
library is needed.

The checks happen here, while the spec is validated, so nothing downstream (cairo when the
figure is drawn as PDF or PNG, a browser showing the SVG) gets an image it cannot decode or one
that would take gigabytes to decode:

- the file must be a regular file of at most ``MAX_IMAGE_BYTES`` (``reading.read_regular``);
- its size, read from its header alone, must be at most ``MAX_IMAGE_PIXELS`` pixels and
  ``MAX_IMAGE_SIDE`` a side: a 389 KB PNG can declare 20000×20000 pixels, 1.6 GB once decoded;
- a PNG must be whole: every chunk's length and CRC, IHDR first, a palette where one is needed,
  the IDAT chunks together, IEND last, and its compressed data must inflate (streamed, never
  held) to exactly the rows its header describes, each with a valid filter byte;
- a JPEG must be whole: SOI, a baseline, extended or progressive frame header (SOF0-2), at
  least one scan, EOI.
"""

from __future__ import annotations

import base64
import os
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import SpecError
from .reading import read_regular
from .text import shown_path

MAX_IMAGE_BYTES = 50 * 2**20
# 4096×4096: 64 MB once decoded to the 4 bytes a pixel cairo uses, and far more pixels than a
# volume's front face (a few hundred px wide) shows even in a PNG drawn at --scale 4.
BUDGET_SIDE = 4096
MAX_IMAGE_PIXELS = BUDGET_SIDE * BUDGET_SIDE
MAX_IMAGE_SIDE = 16384  # a long thin image within the pixel budget; cairo's own limit is 32767
# PNG chunks or JPEG segments: a real image has a few hundred (a 50 MB PNG in 8 KB IDAT chunks,
# 6,400); millions of empty ones would only make the checks slow
MAX_PARTS = 100_000

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
# Adam7 passes: first column, first row, column step, row step
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_JPEG_FRAMES = (0xC0, 0xC1, 0xC2)  # baseline, extended and progressive Huffman: what browsers and Pillow read


@dataclass(frozen=True)
class EmbeddedImage:
    mime: str
    width: int
    height: int
    uri: str


class _Bad(Exception):
    """What is wrong with the image, as the end of a sentence starting with its name."""


def _check_size(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise _Bad(f"has no pixels (its header says {width}×{height})")
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        raise _Bad(f"is {width}×{height} pixels; at most {MAX_IMAGE_PIXELS:,} pixels "
                   f"({BUDGET_SIDE}×{BUDGET_SIDE}) and {MAX_IMAGE_SIDE:,} a side are accepted: scale it down")


def _png_header(body: memoryview) -> tuple[int, int, int, list[tuple[int, int]]]:
    """Width, height, colour type and the rows of the image data ((length with the filter byte, count) per
    interlace pass) from an IHDR chunk's 13 bytes."""
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", body)
    if width > 2**31 - 1 or height > 2**31 - 1:
        raise _Bad(f"is a damaged PNG (its header says {width}×{height} pixels)")
    _check_size(width, height)
    if depth not in _PNG_DEPTHS.get(colour, ()):
        raise _Bad(f"is a damaged PNG (colour type {colour} with bit depth {depth})")
    if compression != 0 or filtering != 0 or interlace not in (0, 1):
        raise _Bad("is a damaged PNG (unknown compression, filter or interlace method)")
    bits = depth * _PNG_CHANNELS[colour]
    rows = []
    for x0, y0, dx, dy in _ADAM7 if interlace else ((0, 0, 1, 1),):
        columns, count = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if columns > 0 and count > 0:
            rows.append((1 + (columns * bits + 7) // 8, count))
    return width, height, colour, rows


def _filter_bytes(rows: list[tuple[int, int]]) -> Iterator[int]:
    """The offset of each row's filter byte in the inflated image data."""
    offset = 0
    for length, count in rows:
        for _ in range(count):
            yield offset
            offset += length


class _Rows:
    """The image data of a PNG, inflated as its IDAT chunks come, 64 KB at a time, and kept no
    longer than it takes to check it: exactly the rows the header describes, each starting with
    a filter type from 0 to 4. A stream that inflates to more stops at the first byte too many."""

    def __init__(self, rows: list[tuple[int, int]]) -> None:
        self.expected = sum(length * count for length, count in rows)
        self.inflate = zlib.decompressobj()
        self.offsets = _filter_bytes(rows)
        self.next_filter = next(self.offsets, None)
        self.produced = 0

    def _check(self, out: bytes) -> None:
        while self.next_filter is not None and self.next_filter < self.produced + len(out):
            if out[self.next_filter - self.produced] > 4:
                raise _Bad("is a damaged PNG (a row has an unknown filter type)")
            self.next_filter = next(self.offsets, None)
        self.produced += len(out)
        if self.produced > self.expected:
            raise _Bad("is a damaged PNG (more image data than its size needs)")

    def feed(self, data: memoryview) -> None:
        pending: bytes | memoryview = data
        try:
            while pending and not self.inflate.eof:
                self._check(self.inflate.decompress(pending, 2**16))
                pending = self.inflate.unconsumed_tail
        except zlib.error:
            raise _Bad("is a damaged PNG (its image data does not decompress)") from None

    def finish(self) -> None:
        try:
            self._check(self.inflate.flush())
        except zlib.error:
            raise _Bad("is a damaged PNG (its image data does not decompress)") from None
        if not self.inflate.eof or self.produced < self.expected:
            raise _Bad("is a PNG cut short (its image data ends before its last row)")


def _png(data: bytes) -> tuple[int, int]:
    """The size of a whole, decodable PNG; _Bad otherwise."""
    view = memoryview(data)
    pos = len(_PNG_SIGNATURE)
    header: tuple[int, int, int, list[tuple[int, int]]] | None = None
    rows: _Rows | None = None
    idat_ended = palette = False
    for _ in range(MAX_PARTS):
        if pos + 8 > len(data):
            raise _Bad("is a PNG cut short (no IEND chunk)")
        length, kind = struct.unpack_from(">I4s", data, pos)
        name = kind.decode("latin-1")
        if not kind.isalpha() or length > 2**31 - 1:
            raise _Bad("is a damaged PNG (a chunk header is not one)")
        end = pos + 12 + length
        if end > len(data):
            raise _Bad(f"is a PNG cut short (it ends inside its {name} chunk)")
        body = view[pos + 8:end - 4]
        if zlib.crc32(body, zlib.crc32(kind)) != struct.unpack_from(">I", data, end - 4)[0]:
            raise _Bad(f"is a damaged PNG (its {name} chunk fails its CRC check)")
        pos = end
        if header is None:
            if kind != b"IHDR" or length != 13:
                raise _Bad("is a damaged PNG (it does not start with an IHDR chunk)")
            header = _png_header(body)  # the pixel budget is checked here, before any data is read
        elif kind == b"IDAT":
            if idat_ended:
                raise _Bad("is a damaged PNG (its IDAT chunks are not together)")
            if rows is None:
                if header[2] == 3 and not palette:
                    raise _Bad("is a damaged PNG (a palette image without a PLTE chunk before its data)")
                rows = _Rows(header[3])
            rows.feed(body)
        elif kind == b"IEND":
            break
        else:
            idat_ended = rows is not None
            if kind == b"PLTE":
                if palette or rows is not None or length % 3 or not 3 <= length <= 768:
                    raise _Bad("is a damaged PNG (its PLTE chunk is not a palette)")
                palette = True
            elif kind[0] < ord("a"):  # a critical chunk: a decoder that does not know it must stop
                raise _Bad(f"is a PNG with a critical chunk decoders do not know ({name})")
    else:
        raise _Bad(f"is a damaged PNG (more than {MAX_PARTS:,} chunks)")
    if header is None or rows is None:
        raise _Bad("is a damaged PNG (no IDAT chunk: no image data)")
    rows.finish()
    return header[0], header[1]


_FILL = re.compile(rb"\xff+")  # a marker's 0xFF, after any fill bytes
_MARKER_IN_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7]")  # not a stuffed 0xFF00, not a restart marker


def _jpeg(data: bytes) -> tuple[int, int]:
    """The size of a whole JPEG (SOI, a frame header, scans, EOI); _Bad otherwise."""
    size: tuple[int, int] | None = None
    scans = 0
    pos, end = 2, len(data)
    for _ in range(MAX_PARTS):
        fill = _FILL.match(data, pos)
        if fill is None:
            if pos >= end:
                raise _Bad("is a JPEG cut short (no end-of-image marker)")
            raise _Bad("is a damaged JPEG (a segment does not start with a marker)")
        pos = fill.end()
        if pos >= end:
            raise _Bad("is a JPEG cut short (no end-of-image marker)")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # restart markers, TEM: no segment
            continue
        if marker in (0x00, 0xD8):
            raise _Bad("is a damaged JPEG (a marker where none can be)")
        if pos + 2 > end:
            raise _Bad("is a JPEG cut short (it ends inside a segment)")
        length = struct.unpack_from(">H", data, pos)[0]
        if length < 2:
            raise _Bad("is a damaged JPEG (a segment of impossible length)")
        if pos + length > end:
            raise _Bad("is a JPEG cut short (it ends inside a segment)")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start-of-frame
            if size is not None:
                raise _Bad("is a damaged JPEG (two frame headers)")
            if marker not in _JPEG_FRAMES:
                raise _Bad(f"is a JPEG in a coding few programs decode (SOF{marker - 0xC0}); "
                           "save it as a baseline or progressive JPEG")
            if length < 8:
                raise _Bad("is a damaged JPEG (a frame header too short)")
            precision, height, width, components = struct.unpack_from(">BHHB", data, pos + 2)
            if length != 8 + 3 * components:
                raise _Bad("is a damaged JPEG (a frame header of the wrong length)")
            if precision != 8 or components not in (1, 3, 4):
                raise _Bad(f"is a JPEG of {components} {precision}-bit channels; "
                           "1, 3 or 4 channels of 8 bits are supported")
            _check_size(width, height)
            size = width, height
        pos += length
        if marker == 0xDA:  # a scan: entropy-coded data up to the next marker
            if size is None:
                raise _Bad("is a damaged JPEG (image data before its frame header)")
            scans += 1
            found = _MARKER_IN_SCAN.search(data, pos)
            if found is None:
                raise _Bad("is a JPEG cut short (no end-of-image marker)")
            pos = found.start()
    else:
        raise _Bad(f"is a damaged JPEG (more than {MAX_PARTS:,} segments)")
    if size is None or not scans:
        raise _Bad("is a damaged JPEG (no frame header or no image data)")
    return size


def read_image(path: str) -> EmbeddedImage:
    """The image at ``path``, checked to be a whole PNG or JPEG within the size limits."""
    data = read_regular(os.path.expanduser(path), MAX_IMAGE_BYTES, "input_image", SpecError)
    try:
        if data.startswith(_PNG_SIGNATURE):
            mime, (width, height) = "image/png", _png(data)
        elif data.startswith(b"\xff\xd8\xff"):
            mime, (width, height) = "image/jpeg", _jpeg(data)
        else:
            raise _Bad("is not a PNG or JPEG image")
    except _Bad as bad:
        raise SpecError(f"input_image: {shown_path(path)} {bad}") from None
    uri = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
    return EmbeddedImage(mime, width, height, uri)
