"""The ``nnsvg`` command's entry point: signal handling first, then the CLI.

SIGINT (Ctrl-C) and SIGTERM become ``Interrupted``, so a run stopped at any moment, even while
typer is still being imported, prints one ``error:`` line, removes the file it was writing and
exits 130 or 143, instead of printing a traceback or leaving a ``.part`` file behind.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from types import FrameType

from .errors import Interrupted, interruption

_CODES = {signal.SIGINT: ("interrupted", 130), signal.SIGTERM: ("terminated", 143)}
_NUMBERS = {name: number for number, (name, _) in _CODES.items()}


def _raise(signum: int, frame: FrameType | None) -> None:
    if _deferring:
        _deliver_later(signum)
        return
    name, code = _CODES[signal.Signals(signum)]
    raise Interrupted(name, code)


_deferring = False  # True while the hook below runs: a signal then waits its turn


def _deliver_later(signum: int) -> None:
    import threading  # only on this rare path

    timer = threading.Timer(0.001, os.kill, (os.getpid(), signum))
    timer.daemon = True
    timer.start()


def _unraisable(args: sys.UnraisableHookArgs) -> None:
    """A signal that arrived inside a callback Python cannot raise from (a weakref's, such as
    importlib's module locks, or a ``__del__``) would be printed as "Exception ignored" and
    lost: it is sent again a moment later, and so raised in ordinary code (or deferred again)."""
    global _deferring
    if not isinstance(args.exc_value, Interrupted):
        sys.__unraisablehook__(args)
        return
    _deferring = True
    try:
        _deliver_later(_NUMBERS[args.exc_value.name])
    finally:
        _deferring = False


def install() -> None:
    """SIGINT and SIGTERM raise ``Interrupted`` from here on, wherever they arrive."""
    sys.unraisablehook = _unraisable
    for number in _CODES:
        signal.signal(number, _raise)


def run() -> None:
    """``nnsvg ...`` from a shell (and ``python -m nnsvg``): exits with the CLI's code."""
    # Start-up makes many objects that live until the exit (modules, classes, the figure), and
    # CPython's collector walks them again and again looking for cycles, a quarter of a small
    # figure's time. Collect rarely (a long run, ``nnsvg edit``, still collects), and freeze
    # what is left before the exit, so the interpreter's last collection skips it.
    gc.set_threshold(100_000, 10, 10)
    install()
    try:
        from .cli import main

        code = main()
    except BaseException as error:
        stop = interruption(error)
        if stop is None:
            raise
        print(f"error: {stop.name}", file=sys.stderr)
        code = stop.code
    gc.freeze()
    sys.exit(code)
