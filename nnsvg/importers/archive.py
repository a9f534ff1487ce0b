"""Reading a zip archive (a Keras ``.keras`` file) from a ``Window`` on it, within limits.

A zip file describes itself: its end record says how big its central directory is, the
directory how many members there are and how big each is once inflated. Any of it can lie, and
``zipfile`` believes it: it parses a central directory of any size into a ``ZipInfo`` per entry
before anything can be checked, and ``read`` inflates a member whole. So the end record is read
here first and a directory larger than ``MAX_DIRECTORY_BYTES`` refused; the number of members
is capped; a member is read as a bounded stream (never more than the limit + 1 byte, whatever
its declared size); and an uncompressed member (how Keras stores ``model.weights.h5``) is read
in place, through a ``Window`` on its bytes, not copied into memory.
"""

from __future__ import annotations

import struct
import zipfile

from ..errors import SpecError
from ..reading import Window, size_text

MAX_DIRECTORY_BYTES = 2**20  # a central directory of 1 MB lists ~20,000 members; Keras writes 3 and a few assets
MAX_MEMBERS = 1000  # config.json, metadata.json, model.weights.h5 and an assets file per layer that has one

_END = struct.Struct("<4s4H2LH")  # the end of central directory record
_LOCATOR = struct.Struct("<4sLQL")  # the zip64 end of central directory locator, just before it
_END64 = struct.Struct("<4sQ2H2L4Q")  # the zip64 end of central directory record, just before that
_LOCAL = struct.Struct("<4s5H3L2H")  # a member's local header


class Damaged(SpecError):
    """The archive or one of its members cannot be read; the message is the reason."""


def directory_size(window: Window) -> int | None:
    """The size its end record gives the central directory (found as zipfile finds it: at the
    very end, else the last end signature in the last 64 KB), or None without one."""
    start = max(0, window.size - _END.size - 0xFFFF)
    window.seek(start)
    tail = window.read(window.size - start)
    at = len(tail) - _END.size
    if not (at >= 0 and tail[at:at + 4] == b"PK\x05\x06" and tail[-2:] == b"\0\0"):
        at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        return None
    size: int = _END.unpack_from(tail, at)[5]
    locator = at - _LOCATOR.size
    record = locator - _END64.size
    if record >= 0 and tail[locator:locator + 4] == b"PK\x06\x07" and tail[record:record + 4] == b"PK\x06\x06":
        size = _END64.unpack_from(tail, record)[8]
    return size


def open_archive(window: Window) -> zipfile.ZipFile:
    """The archive in ``window``: ``Damaged`` when it is not a zip file or lists too much."""
    unreadable = "not a readable zip file; is it truncated?"
    size = directory_size(window)
    if size is None:
        raise Damaged(unreadable)
    if size > MAX_DIRECTORY_BYTES:
        raise Damaged(f"its zip directory is larger than {size_text(MAX_DIRECTORY_BYTES)}, more than a model's "
                      "archive lists")
    try:
        archive = zipfile.ZipFile(window)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        raise Damaged(unreadable) from None
    if len(archive.infolist()) > MAX_MEMBERS:
        raise Damaged(f"it has more than {MAX_MEMBERS:,} members, more than a model's archive holds")
    return archive


def member_bytes(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """Member ``name``, inflated as a stream of at most ``limit`` bytes (None when it is longer,
    whatever size it declares); ``Damaged`` when it cannot be read (a bad CRC, a cut stream,
    an unknown compression, encryption)."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(name) as stream:
            while size <= limit:  # 1 MB at a time: one big read would hold the data twice while it grows
                chunks.append(stream.read(min(2**20, limit + 1 - size)))  # reaching the end checks the CRC
                if not chunks[-1]:
                    break
                size += len(chunks[-1])
    except Exception as exc:  # zipfile, zlib, bz2 and lzma raise many kinds on a damaged member
        raise Damaged(f"{name} cannot be read from the archive (damaged: {type(exc).__name__})") from None
    return None if size > limit else b"".join(chunks)


def stored_window(window: Window, info: zipfile.ZipInfo) -> Window:
    """The bytes of an uncompressed member in place, after its local header; ``Damaged`` when
    the header or the member's extent is wrong."""
    window.seek(info.header_offset)
    header = window.read(_LOCAL.size)
    if len(header) < _LOCAL.size or header[:4] != b"PK\x03\x04":
        raise Damaged(f"{info.filename} cannot be read from the archive (its local header is damaged)")
    flags, method, name_length, extra_length = (_LOCAL.unpack(header)[i] for i in (2, 3, 9, 10))
    start = info.header_offset + _LOCAL.size + name_length + extra_length
    if flags & 1 or method != zipfile.ZIP_STORED or start + info.compress_size > window.size:
        raise Damaged(f"{info.filename} cannot be read from the archive (its entry is damaged)")
    return Window(window.fd, window.start + start, info.compress_size)
