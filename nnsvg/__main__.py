"""``python -m nnsvg``: the same as the ``nnsvg`` command."""

from .entry import run

run()
