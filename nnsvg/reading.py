"""Reading the files a user names (spec files, theme files, input images) safely: only regular
files, never more than a limit, and never blocking on a FIFO or a device.

``st_size`` is 0 for ``/dev/zero`` and for a FIFO, so a size check before reading proves
nothing: the file is opened without blocking, checked with ``fstat`` on the open descriptor
(so a file swapped in between cannot slip through), and read up to the limit + 1 byte: one
read of the size the file claims when it is within the limit, so even a file that grows or
lies about its size is never read past the limit. A reader that needs parts of a big file (an
archive's directory and members, an HDF5 file's metadata) reads them through a ``Window`` on the
descriptor ``open_regular`` gives, never the whole file.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NnsvgError, SpecError
from .text import shown_path

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# O_NOCTTY: a terminal named as a file does not become this process's controlling terminal
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (a named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def size_text(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 2**10} KB"


@contextmanager
def open_regular(path: str | os.PathLike[str], limit: int | None, what: str,
                 error: type[NnsvgError] = SpecError) -> Iterator[tuple[int, int]]:
    """The open descriptor of the regular file at ``path`` and the size it has, closed on exit; or
    ``error`` naming ``what``: when it is missing or cannot be opened, is not a regular file (a
    FIFO, a device, a directory: told at once, never read or waited on) or is larger than
    ``limit`` (refused unread: a sparse file of a terabyte reads nothing; None: no limit). A
    caller that reads more than the size given must stop at ``limit`` itself (the file may grow)."""
    shown = shown_path(os.fspath(path))
    try:
        fd = os.open(path, _FLAGS)
    except IsADirectoryError:
        raise error(f"{what} {shown} is a directory") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        kind = _kind(path) if isinstance(exc, OSError) else None
        if kind is not None:  # a socket cannot be opened at all: say what it is
            raise error(f"{what} {shown} is {kind}, not a file") from None
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise error(f"cannot read {what} {shown}: {reason}") from None
    try:
        try:
            info = os.fstat(fd)
        except OSError as exc:
            raise error(f"cannot read {what} {shown}: {exc.strerror or exc}") from None
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise error(f"{what} {shown} is {kind}, not a file")
        if limit is not None and info.st_size > limit:
            raise error(too_big(what, shown, limit))
        yield fd, info.st_size
    finally:
        os.close(fd)


def _kind(path: str | os.PathLike[str]) -> str | None:
    """What the path is when it is there but not a regular file (a socket, a device), else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else next((name for test, name in _KINDS if test(mode)), "not a regular file")


def too_big(what: str, shown: str, limit: int) -> str:
    return f"{what} {shown} is larger than {size_text(limit)}, more than any figure needs"


def read_regular(path: str | os.PathLike[str], limit: int, what: str,
                 error: type[NnsvgError] = SpecError) -> bytes:
    """The bytes of the regular file at ``path``, or ``error`` naming ``what`` ("spec file",
    "input_image", …): when it is not a regular file, cannot be read, or holds more than
    ``limit`` bytes."""
    shown = shown_path(os.fspath(path))
    with open_regular(path, limit, what, error) as (fd, claimed):
        try:
            # the size it claims (+ 1 byte, to see it grew) in one read and one buffer; more only if it grew
            chunks = [os.read(fd, claimed + 1)]
            size = len(chunks[0])
            while chunks[-1] and size <= limit:
                chunks.append(os.read(fd, min(1 << 20, limit + 1 - size)))
                size += len(chunks[-1])
        except OSError as exc:
            raise error(f"cannot read {what} {shown}: {exc.strerror or exc}") from None
        if size > limit:
            raise error(too_big(what, shown, limit))
        chunks = [chunk for chunk in chunks if chunk]
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class Window(io.RawIOBase):
    """Bytes ``start`` to ``start + size`` of an open file descriptor as a read-only, seekable
    file (what zipfile and h5py read from), so that a big file is read in the parts a reader
    asks for, never whole. Its position is its own: reads go through ``os.pread`` where there
    is one, not the descriptor's offset, which a forked child shares."""

    def __init__(self, fd: int, start: int, size: int) -> None:
        super().__init__()
        self.fd, self.start, self.size = fd, start, size
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise OSError(f"seek to {base + offset}, before the start")
        self.position = base + offset
        return self.position

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        count = max(0, min(len(view), self.size - self.position))
        if count == 0:
            return 0
        if hasattr(os, "pread"):
            data = os.pread(self.fd, count, self.start + self.position)
        else:  # Windows: no fork there, so no other process shares the offset
            os.lseek(self.fd, self.start + self.position, os.SEEK_SET)
            data = os.read(self.fd, count)
        view[: len(data)] = data
        self.position += len(data)
        return len(data)


def same_file(a: str, b: str) -> bool:
    """Whether two paths name one file (through links, ``..`` or ``~``)."""
    try:
        first, second = Path(a).expanduser(), Path(b).expanduser()
        return first.resolve() == second.resolve() or (first.exists() and second.exists()
                                                        and os.path.samefile(first, second))
    except (OSError, RuntimeError, ValueError):
        return False
