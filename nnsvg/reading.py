"""Reading a file the user names (an input image, a theme file) without hanging or reading
without end.

A size check on ``stat().st_size`` alone is not enough: a device (``/dev/zero``) or a FIFO
reports size 0, and reading one either never ends or never starts. ``read_bounded`` refuses
anything that is not a regular file before opening it, opens without blocking (a FIFO with no
writer would block ``open`` itself), checks the descriptor it opened (the path may have changed
in between), and reads at most ``limit + 1`` bytes, so even a file that grows or lies about its
size cannot make it read more.
"""

from __future__ import annotations

import os
import stat

from .errors import NnsvgError

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def shown(path: str, limit: int = 256) -> str:
    """A path quoted for an error message, cut to ``limit`` characters."""
    return f"'{path}'" if len(path) <= limit else f"'{path[:limit]}…'"


def _not_regular(mode: int) -> str | None:
    """What a file of this mode is, when it is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 2**10} KB"


def read_bounded(path: str, limit: int, label: str, error: type[NnsvgError]) -> bytes:
    """The bytes of the regular file at ``path``; ``error`` (one line, naming ``label`` and the
    path) if it cannot be read, is not a regular file, or holds more than ``limit`` bytes. A
    leading ``~`` is the user's home folder."""
    name, path = shown(path), os.path.expanduser(path)
    try:
        kind = _not_regular(os.stat(path).st_mode)
    except OSError as exc:
        raise error(f"{label}: cannot read {name}: {exc.strerror or exc}") from None
    except ValueError:  # a NUL byte, or a name the file system cannot encode
        raise error(f"{label}: cannot read {name}: not a valid file name") from None
    if kind is not None:
        raise error(f"{label}: {name} is {kind}, not a regular file")
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise error(f"{label}: cannot read {name}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        kind = _not_regular(info.st_mode)  # what was opened, which may not be what was looked at
        if kind is not None:
            raise error(f"{label}: {name} is {kind}, not a regular file")
        if info.st_size > limit:
            raise error(f"{label}: {name} is larger than {_size(limit)}")
        # one read of the size the file claims (plus one byte, to see it grew), then more only if
        # it did: never more than limit + 1 bytes in all
        parts = [os.read(fd, min(info.st_size, limit) + 1)]
        total = len(parts[0])
        while parts[-1] and total <= limit:
            parts.append(os.read(fd, min(2**20, limit + 1 - total)))
            total += len(parts[-1])
    except OSError as exc:
        raise error(f"{label}: cannot read {name}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if total > limit:
        raise error(f"{label}: {name} is larger than {_size(limit)}")
    parts = [part for part in parts if part]
    return parts[0] if len(parts) == 1 else b"".join(parts)
