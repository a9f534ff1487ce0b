"""The output formats, in one table: file extension → format → the backend that writes it,
whether it needs the cairo library, and which output options it takes. The output options are
a table too (``OPTIONS``): each is one flag of every drawing command, one keyword of
``Diagram.save``, and an error when given for a format that does not take it. An option may
route its format to another backend (``--latex-labels`` sends PDF to ``pdf_tex``). The API,
the CLI, ``Diagram.save`` and every error that lists valid formats read these tables; no other
module names a format."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ExportError


@dataclass(frozen=True)
class Format:
    name: str  # "pdf"
    extensions: tuple[str, ...]  # (".pdf",)
    backend: str  # a module of nnsvg.backends: "svg", "cairo", "tikz"
    needs_cairo: bool  # the cairo library must be installed
    options: frozenset[str]  # the names in OPTIONS that apply
    description: str
    # what the backend writes: "scene" (the drawing: backends' ``encode(scene, ...)`` through
    # ``nnsvg.export``) or "graph" (the network: the backend's ``encode(spec, path)``, no drawing)
    reads: str = "scene"


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

FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("svg", (".svg",), "svg", False, _NONE, "SVG, written by svgwrite (the default on standard output)"),
    Format("pdf", (".pdf",), "cairo", True, frozenset({"latex_labels"}),
           "PDF, vector, page = the drawing (1 px = 0.75 pt)"),
    Format("png", (".png",), "cairo", True, _RASTER, "PNG, width × scale pixels, 96 × scale dpi in its pHYs"),
    Format("eps", (".eps",), "cairo", True, _NONE, "Encapsulated PostScript"),
    Format("ps", (".ps",), "cairo", True, _NONE, "PostScript"),
    Format("tex", (".tex",), "tikz", False, frozenset({"tex_standalone"}),
           "TikZ picture for LaTeX (needs \\usepackage{tikz} and \\usepackage{amssymb})"),
    Format("dot", (".dot", ".gv"), "dot", False, _NONE, "GraphViz DOT: the network's graph (layers, connections, "
           "blocks as clusters), read back by `nnsvg render`", reads="graph"),
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


def backend(fmt: str | Format, flags: dict[str, bool] | None = None) -> str:
    """The backend module that writes ``fmt`` with the given flag options on."""
    f = get(fmt)
    for name, on in (flags or {}).items():
        routed = OPTIONS[name].backend if name in OPTIONS else None
        if on and routed is not None and name in f.options:
            return routed
    return f.backend
