"""The DOT backend: a diagram's graph (not its drawing) as GraphViz DOT (``nnsvg.dot``)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..formats import Request, Written
    from ..styles import Spec


def encode(spec: Spec, request: Request) -> Written:
    """The backend's entry point (``nnsvg.formats.Backend``): the DOT file of ``spec``."""
    return [(request.name, [dot_bytes(spec, request.path)])]


def dot_bytes(spec: Spec, path: str | os.PathLike[str] | None = None) -> bytes:
    """The DOT text of ``spec``'s graph, UTF-8; for a file at ``path``, a theme file is named
    relative to it (as ``--save-spec`` does), so that ``nnsvg render`` of it finds the theme."""
    from .. import dot
    from .. import spec as specs

    if path is not None:
        return specs.dump(spec, path).encode("utf-8")
    return dot.write(spec).encode("utf-8")
