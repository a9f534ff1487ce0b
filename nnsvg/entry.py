"""The ``nnsvg`` command's entry point: signal handling first, then the CLI.

SIGINT (Ctrl-C) and SIGTERM become ``Interrupted``, so a run stopped at any moment, even while
typer is still being imported, prints one ``error:`` line, removes the file it was writing and
exits 130 or 143, instead of printing a traceback or leaving a ``.part`` file behind.
"""

from __future__ import annotations

import gc
import signal
import sys
from types import FrameType

from .errors import Interrupted

_CODES = {signal.SIGINT: ("interrupted", 130), signal.SIGTERM: ("terminated", 143)}


def _raise(signum: int, frame: FrameType | None) -> None:
    name, code = _CODES[signal.Signals(signum)]
    raise Interrupted(name, code)


def run() -> None:
    """``nnsvg ...`` from a shell (and ``python -m nnsvg``): exits with the CLI's code."""
    # Start-up makes many objects that live until the exit (modules, classes, the figure), and
    # CPython's collector walks them again and again looking for cycles, a quarter of a small
    # figure's time. Collect rarely (a long run, ``nnsvg edit``, still collects), and freeze
    # what is left before the exit, so the interpreter's last collection skips it.
    gc.set_threshold(100_000, 10, 10)
    for number in _CODES:
        signal.signal(number, _raise)
    try:
        from .cli import main

        code = main()
    except Interrupted as stop:
        print(f"error: {stop.name}", file=sys.stderr)
        code = stop.code
    gc.freeze()
    sys.exit(code)
