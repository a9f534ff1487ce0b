"""Reading the files a user names (spec files, theme files, input images) safely: only regular
files, never more than a limit, and never blocking on a FIFO or a device.

``st_size`` is 0 for ``/dev/zero`` and for a FIFO, so a size check before reading proves
nothing: the file is opened without blocking, checked with ``fstat`` on the open descriptor
(so a file swapped in between cannot slip through), and read up to the limit + 1 byte.
"""

from __future__ import annotations

import os
import stat

from .errors import NnsvgError, SpecError
from .text import shown_path

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (a named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def size_text(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 2**10} KB"


def read_regular(path: str | os.PathLike[str], limit: int, what: str,
                 error: type[NnsvgError] = SpecError) -> bytes:
    """The bytes of the regular file at ``path``, or ``error`` naming ``what`` ("spec file",
    "input_image", …): when it is not a regular file, cannot be read, or holds more than
    ``limit`` bytes."""
    shown = shown_path(os.fspath(path))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise error(f"{what} {shown} is a directory") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise error(f"cannot read {what} {shown}: {reason}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise error(f"{what} {shown} is {kind}, not a file")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise error(f"{what} {shown} is larger than {size_text(limit)}, more than any figure needs")
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"cannot read {what} {shown}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
