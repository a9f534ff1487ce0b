"""The output formats, in one table: file extension → format → the backend that writes it,
whether it needs the cairo library, and which of the raster options (``scale``, ``dpi``) it
takes. The API, the CLI, ``Diagram.save`` and every error that lists valid formats read it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ExportError


@dataclass(frozen=True)
class Format:
    name: str  # "pdf"
    extensions: tuple[str, ...]  # (".pdf",)
    backend: str  # a module of nnsvg.backends: "svg" or "cairo"
    needs_cairo: bool  # the cairo library must be installed
    options: frozenset[str]  # which of "scale" and "dpi" apply
    description: str
    # what the backend writes: "scene" (the drawing: backends' ``encode(scene, ...)`` through
    # ``nnsvg.export``) or "graph" (the network: the backend's ``encode(spec, path)``, no drawing)
    reads: str = "scene"


_RASTER = frozenset({"scale", "dpi"})
_NONE: frozenset[str] = frozenset()

FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("svg", (".svg",), "svg", False, _NONE, "SVG, written by svgwrite (the default on standard output)"),
    Format("pdf", (".pdf",), "cairo", True, _NONE, "PDF, vector, page = the drawing (1 px = 0.75 pt)"),
    Format("png", (".png",), "cairo", True, _RASTER, "PNG, width × scale pixels, 96 × scale dpi in its pHYs"),
    Format("eps", (".eps",), "cairo", True, _NONE, "Encapsulated PostScript"),
    Format("ps", (".ps",), "cairo", True, _NONE, "PostScript"),
    Format("dot", (".dot", ".gv"), "dot", False, _NONE, "GraphViz DOT: the network's graph (layers, connections, "
           "blocks as clusters), read back by `nnsvg render`", reads="graph"),
)}

EXTENSIONS: dict[str, Format] = {ext: f for f in FORMATS.values() for ext in f.extensions}


def extensions_text() -> str:
    """The extensions nnsvg writes, for help texts and errors: '.svg .pdf .png .eps .ps'."""
    return " ".join(EXTENSIONS)


def for_path(path: str | os.PathLike[str]) -> Format:
    """The output format of a file name, from its extension."""
    suffix = Path(path).suffix.lower()
    found = EXTENSIONS.get(suffix)
    if found is None:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise ExportError(f"output '{path}': {shown} is not a format nnsvg writes "
                          f"(use {', '.join(EXTENSIONS)})")
    return found


def get(name: str | Format) -> Format:
    """A format by name (svg, pdf, png, eps, ps)."""
    if isinstance(name, Format):
        return name
    found = FORMATS.get(name) if isinstance(name, str) else None
    if found is None:
        raise ExportError(f"unknown output format {name!r} (use {', '.join(FORMATS)})")
    return found
