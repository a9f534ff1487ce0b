"""Signals held back while a file is made and named: what ``nnsvg.entry`` turns SIGINT and
SIGTERM into (an exception) is raised once the file has a name that the code around it removes,
never between the two (``export.write_atomic``, the cairo backend's scratch files)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held() -> Iterator[None]:
    """SIGINT and SIGTERM held back (POSIX) for the duration: delivered when it ends."""
    kept = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, kept)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
