"""The ``nnsvg`` command's entry point: signal handling first, then the CLI.

SIGINT (Ctrl-C) and SIGTERM become ``Interrupted``, so a run stopped at any moment, even while
typer is still being imported, prints one ``error:`` line, removes the file it was writing and
exits 130 or 143, instead of printing a traceback or leaving a ``.part`` file behind.
"""

from __future__ import annotations

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
    for number in _CODES:
        signal.signal(number, _raise)
    try:
        from .cli import main

        code = main()
    except Interrupted as stop:
        print(f"error: {stop.name}", file=sys.stderr)
        code = stop.code
    sys.exit(code)
