"""The output formats, in one table: file extension → format → the backend that writes it,
what it needs, and which output options it takes. The output options are a table too
(``OPTIONS``): each is one flag of every drawing command, one keyword of ``Diagram.save``, and
an error when given for a format that does not take it. An option may route its format to
another backend (``--latex-labels`` sends PDF to ``pdf_tex``). The API, the CLI,
``Diagram.save`` and every error that lists valid formats read these tables; no other module
names a format.

Every backend is a module of ``nnsvg.backends`` with one function, the ``Backend`` protocol:
``encode(source, request) -> Written``: the files of one output (the output itself first, then
any beside it), each as its name and its bytes in chunks. ``source`` is what the format's row
says it reads: the drawing (a ``Scene``) or the network (the ``Spec``: its graph, nothing
drawn). A new format is one row here and its module."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .errors import ExportError

VECTOR = "vector: it has no pixels, its page is the drawing's size (1 px = 0.75 pt)"


@dataclass(frozen=True)
class Format:
    """A row of the format table: the format and what its backend declares about it."""

    name: str  # "pdf"
    extensions: tuple[str, ...]  # (".pdf",)
    backend: str  # the module of nnsvg.backends that encodes it: "svg", "cairo", "tikz"
    options: frozenset[str]  # the names in OPTIONS that apply
    description: str
    # what the backend encodes: "scene" (the drawing) or "graph" (the network: the spec, nothing drawn)
    reads: str = "scene"
    binary: bool = True  # bytes; False: UTF-8 text (PostScript: 7-bit ASCII, images and fonts in ASCII85)
    needs: str = "nothing more"  # what writing it needs beyond the Python packages
    no_pixels: str = VECTOR  # why a pixel size (--scale, --dpi) does not apply, for a format without them


@dataclass(frozen=True)
class Request:
    """What a backend is asked to encode: the format, where the output goes (``path``; None for
    bytes in memory or standard output), the pixels per px of a raster, the flag options that
    are on."""

    fmt: Format
    path: str | os.PathLike[str] | None = None
    scale: float = 1.0
    flags: Mapping[str, bool] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The output's file name (``figure.pdf`` without a path): files written beside it are
        named from it (``figure.pdf_tex``)."""
        return Path(self.path).name if self.path is not None else f"figure{self.fmt.extensions[0]}"


Written = list[tuple[str, Iterable[bytes]]]  # each file of an output: its name, its bytes in chunks


class Backend(Protocol):
    """A module of ``nnsvg.backends`` that writes formats of the table."""

    def encode(self, source: Any, request: Request, /) -> Written:
        """The files of one output: ``request.name`` first, then any files beside it."""


@dataclass(frozen=True)
class Option:
    """An output option: ``kind`` "number" (``--dpi 300``) or "flag" (``--tex-standalone``);
    ``backend``, when set, is the module of nnsvg.backends that writes the format when the flag
    is on; ``help`` is the flag's help."""

    name: str
    kind: str
    help: str
    metavar: str = "NUMBER"
    backend: str | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


OPTIONS: dict[str, Option] = {o.name: o for o in (
    Option("scale", "number", "PNG pixels per px  [default: 1]"),
    Option("dpi", "number", "PNG resolution; 96 dpi = scale 1"),
    Option("tex_standalone", "flag", "TikZ (.tex): a whole standalone document instead of the tikzpicture "
           "to \\input"),
    Option("latex_labels", "flag", "PDF: the shapes in FILE.pdf and every label in FILE.pdf_tex, typeset by "
           "LaTeX over it (\\input{FILE.pdf_tex}; needs graphicx, xcolor and amssymb)", backend="pdf_tex"),
)}

_RASTER = frozenset({"scale", "dpi"})
_NONE: frozenset[str] = frozenset()

CAIRO = "the cairo library"

FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("svg", (".svg",), "svg", _NONE, "SVG, written by svgwrite (the default on standard output)",
           binary=False, no_pixels="vector: it has no pixels"),
    Format("pdf", (".pdf",), "cairo", frozenset({"latex_labels"}), "PDF, vector, page = the drawing (1 px = 0.75 pt)",
           needs=CAIRO),
    Format("png", (".png",), "cairo", _RASTER, "PNG, width × scale pixels, 96 × scale dpi in its pHYs", needs=CAIRO),
    Format("eps", (".eps",), "cairo", _NONE, "Encapsulated PostScript", binary=False, needs=CAIRO),
    Format("ps", (".ps",), "cairo", _NONE, "PostScript", binary=False, needs=CAIRO),
    Format("tex", (".tex",), "tikz", frozenset({"tex_standalone"}),
           "TikZ picture for LaTeX (needs \\usepackage{tikz} and \\usepackage{amssymb})", binary=False),
    Format("dot", (".dot", ".gv"), "dot", _NONE, "GraphViz DOT: the network's graph (layers, connections, "
           "blocks as clusters), read back by `nnsvg render`", reads="graph", binary=False,
           no_pixels="the network's graph, not a drawing"),
)}

EXTENSIONS: dict[str, Format] = {ext: f for f in FORMATS.values() for ext in f.extensions}


def extensions_text() -> str:
    """The extensions nnsvg writes, for help texts and errors: '.svg .pdf .png .eps .ps .tex .dot .gv'."""
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
    """A format by name (svg, pdf, png, eps, ps, tex, dot)."""
    if isinstance(name, Format):
        return name
    found = FORMATS.get(name) if isinstance(name, str) else None
    if found is None:
        raise ExportError(f"unknown output format {name!r} (use {', '.join(FORMATS)})")
    return found


def backend(fmt: str | Format, flags: Mapping[str, bool] | None = None) -> str:
    """The backend module that writes ``fmt`` with the given flag options on."""
    f = get(fmt)
    for name, on in (flags or {}).items():
        routed = OPTIONS[name].backend if name in OPTIONS else None
        if on and routed is not None and name in f.options:
            return routed
    return f.backend
