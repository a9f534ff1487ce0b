"""Lengths on the printed page, for every layer of nnsvg: CSS px (the unit of the drawing and of
the theme's lengths), PDF/PostScript points, TeX points, the named page sizes (presets) and the
parser of ``--width 3.5in``.

1 px = 1/96 in = 0.75 pt (PostScript points, "bp" in TeX); 1 in = 72.27 TeX pt.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .errors import SpecError
from .text import nearest, quote

PT_PER_PX = 0.75  # CSS px to PDF/PostScript points (TeX's bp)
TEX_PT_PER_BP = 72.27 / 72  # TeX points per PostScript point
PT_PER_IN = 72.0  # PostScript points per inch
PX_PER_IN = 96.0  # CSS px per inch (96 dpi = a PNG at scale 1)


@dataclass(frozen=True)
class Unit:
    """A unit a length may be given in: its size, and how an SVG writes a length given in it
    (CSS has no TeX point: ``229.5pt`` is written as ``228.65pt``, CSS points = TeX's bp)."""

    px: float  # CSS px per one of it
    written: str  # the CSS unit of an SVG's width and height
    decimals: int  # digits kept in the written unit: 1/100 pt or finer
    step: float  # a suggested size (a width that fits) is a whole number of these
    name: str  # what it is (the docs and messages)


_TEX_PT = PX_PER_IN / 72.27
_DIDOT = _TEX_PT * 1238 / 1157  # TeX's dd
UNITS: dict[str, Unit] = {
    "in": Unit(PX_PER_IN, "in", 4, 0.25, "inch"),
    "cm": Unit(PX_PER_IN / 2.54, "cm", 4, 0.5, "centimetre"),
    "mm": Unit(PX_PER_IN / 25.4, "mm", 3, 5, "millimetre"),
    "pt": Unit(_TEX_PT, "pt", 2, 10, "TeX point, 1/72.27 in: what LaTeX's \\the\\columnwidth prints"),
    "bp": Unit(PX_PER_IN / 72, "pt", 2, 10, "big (PostScript, PDF, CSS) point, 1/72 in"),
    "pc": Unit(12 * _TEX_PT, "pt", 2, 1, "TeX pica, 12 pt"),
    "dd": Unit(_DIDOT, "pt", 2, 10, "Didot point, 1238/1157 pt"),
    "cc": Unit(12 * _DIDOT, "pt", 2, 1, "cicero, 12 dd"),
    "px": Unit(1.0, "px", 2, 10, "CSS pixel, 1/96 in"),
}
PX_PER = {name: unit.px for name, unit in UNITS.items()}  # CSS px per unit
CSS_PX_PER = {"in": PX_PER_IN, "cm": PX_PER_IN / 2.54, "mm": PX_PER_IN / 25.4, "pt": PX_PER_IN / 72, "px": 1.0}


def written(px: float, unit: str) -> str:
    """A length of ``px`` as an SVG's width or height for a size given in ``unit``:
    ``3.5in``, ``228.65pt`` (for 229.5 TeX pt)."""
    given = UNITS[unit]
    value = f"{px / CSS_PX_PER[given.written]:.{given.decimals}f}".rstrip("0").rstrip(".")
    return f"{value}{given.written}"


def quantum(unit: str) -> float:
    """The px of the last digit ``written`` keeps for ``unit``: a page a whole number of these
    is written exactly."""
    given = UNITS[unit]
    return CSS_PX_PER[given.written] / 10.0**given.decimals


def exact(px: float, unit: str) -> float:
    """``px`` rounded down to what ``written`` writes exactly: a side given in TeX points is
    written in CSS points, and never comes out wider than asked (229.5pt: 228.64 bp)."""
    step = quantum(unit)
    return math.floor(px / step + 1e-6) * step


@dataclass(frozen=True)
class Preset:
    """A named width or height: a document class's \\columnwidth or \\textwidth, as LaTeX
    reports it (``\\the\\columnwidth``), or a page or slide size."""

    value: float
    unit: str
    what: str  # what it is and where the value comes from (the docs' preset table)


# Named targets, each measured with the class itself (pdfLaTeX, TeX Live 2022) or read from its
# style file; docs/papers-and-latex.md shows them all (generated from this table).
WIDTH_PRESETS: dict[str, Preset] = {
    "column": Preset(252, "pt", "a column of a two-column paper: IEEEtran's \\columnwidth (= ieee-column)"),
    "page": Preset(7, "in", "the full text width of a two-column paper (inside IEEE's and ACM's)"),
    "slide": Preset(960, "bp", "a 16:9 slide, 13.333 in (PowerPoint's and Keynote's default)"),
    "article-column": Preset(229.5, "pt", "article class, twocolumn: \\columnwidth"),
    "article-text": Preset(469, "pt", "article class, twocolumn: \\textwidth"),
    "article-onecolumn": Preset(345, "pt", "article class, one column (10pt, the default): \\textwidth"),
    "ieee-column": Preset(252, "pt", "IEEEtran (conference or journal): \\columnwidth"),
    "ieee-text": Preset(516, "pt", "IEEEtran (conference or journal): \\textwidth"),
    "acm-column": Preset(241.14749, "pt", "acmart, sigconf: \\columnwidth"),
    "acm-text": Preset(506.295, "pt", "acmart, sigconf: \\textwidth"),
    "acm-small": Preset(395.8225, "pt", "acmart, acmsmall (one column): \\textwidth"),
    "icml-column": Preset(234.8775, "pt", "ICML (icml2024.sty: \\textwidth 6.75in, \\columnsep 0.25in): \\columnwidth"),
    "icml-text": Preset(487.8225, "pt", "ICML (icml2024.sty): \\textwidth 6.75 in"),
    "neurips-text": Preset(5.5, "in", "NeurIPS (neurips_2024.sty, one column): \\textwidth 5.5 in"),
    "iclr-text": Preset(5.5, "in", "ICLR (iclr2024_conference.sty, one column): \\textwidth 5.5 in"),
    "lncs-text": Preset(347.12354, "pt", "Springer llncs (one column): \\textwidth 12.2 cm"),
    "revtex-column": Preset(246, "pt", "revtex4-2, aps twocolumn: \\columnwidth"),
    "revtex-text": Preset(510, "pt", "revtex4-2, aps twocolumn: \\textwidth"),
    "beamer-text": Preset(398.3386, "pt", "beamer, aspectratio=169: \\textwidth of a frame"),
}
HEIGHT_PRESETS: dict[str, Preset] = {
    "page": Preset(9, "in", "the text height of a paper page"),
    "slide": Preset(540, "bp", "a 16:9 slide, 7.5 in"),
    "ieee-text": Preset(672, "pt", "IEEEtran conference: \\textheight"),
    "article-text": Preset(550, "pt", "article class (10pt, letter paper): \\textheight"),
    "beamer-text": Preset(252.0748, "pt", "beamer, aspectratio=169: \\textheight of a frame"),
}
PRESET_TABLES = {"width": WIDTH_PRESETS, "height": HEIGHT_PRESETS}
PRESETS: dict[str, dict[str, tuple[float, str]]] = {
    axis: {name: (p.value, p.unit) for name, p in table.items()} for axis, table in PRESET_TABLES.items()
}
COMMON_PRESETS = ("column", "page", "slide")  # named in messages; the others are in the docs
SMALLEST_IN, LARGEST_IN = 0.25, 200.0  # 18 pt; 14,400 pt is the largest page a PDF may have
LARGEST_PX = LARGEST_IN * PX_PER_IN

_LENGTH = re.compile(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e([+-]?[0-9]{1,3}))?\s*([a-z]+)")


@dataclass(frozen=True)
class Length:
    """A physical length: its value in ``unit`` and in CSS px; ``text`` is its canonical
    spelling (``3.5in``, or a preset's name)."""

    value: float
    unit: str
    text: str

    @property
    def px(self) -> float:
        return self.value * PX_PER[self.unit]

    def shown(self, px: float | None = None) -> str:
        """``px`` (default: this length) in this length's unit: '3.5 in', '8.4 cm'."""
        value = (self.px if px is None else px) / PX_PER[self.unit]
        return f"{value:.3g} {self.unit}" if value < 100 else f"{value:,.0f} {self.unit}"


UNIT_NAMES = ", ".join(UNITS)  # in, cm, mm, pt, bp, pc, dd, cc, px


def _expected(axis: str) -> str:
    names = ", ".join(f"{name} ({PRESETS[axis][name][0]:g}{PRESETS[axis][name][1]})"
                      for name in COMMON_PRESETS if name in PRESETS[axis])
    return (f"a length with a unit (3.5in, 8.4cm, 90mm, 229.5pt, 252bp, 336px) or a preset: {names}, "
            f"or a document class's, such as {'article-column' if axis == 'width' else 'article-text'}")


def _preset(text: str, value: object, axis: str, name: str) -> Length | None:
    """The preset named ``text``, None when ``text`` starts like a number; otherwise an error
    that names the nearest preset."""
    if text in PRESETS[axis]:
        number, unit = PRESETS[axis][text]
        return Length(number, unit, text)
    other = "height" if axis == "width" else "width"
    if text in PRESETS[other]:
        raise SpecError(f"{name}: {quote(value)} is a {other}, not a {axis}; expected {_expected(axis)}")
    if text[:1].isalpha() and len(text) <= 40:
        raise SpecError(f"{name}: {quote(value)} is no preset or length"
                        + nearest(text, PRESETS[axis], f"; expected {_expected(axis)}"))
    return None


def parse(value: object, axis: str = "width", name: str | None = None) -> Length:
    """A length from its text (``3.5in``, ``8.4 cm``, ``229.5pt``, ``column``) for ``axis``
    (width or height), or a SpecError naming the option (``name``, default the axis) and the
    value."""
    name = name or axis
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SpecError(f"{name}: expected {_expected(axis)}, got {quote(value)}")
    if not isinstance(value, str):
        if math.isfinite(value) and 0 < value < 1e9:
            raise SpecError(f"{name}: {value:g} needs a unit ({UNIT_NAMES}): {value:g}pt, {value:g}in, …")
        raise SpecError(f"{name}: expected {_expected(axis)}, got {quote(value)}")
    text = value.strip().lower()
    preset = _preset(text, value, axis, name)
    if preset is not None:
        return preset
    if text.startswith("-"):
        raise SpecError(f"{name}: a size is above 0, got {quote(value)}")
    match = _LENGTH.fullmatch(text) if len(text) <= 40 else None
    if match is None or match.group(3) not in PX_PER:
        if re.fullmatch(r"([0-9]+(\.[0-9]*)?|\.[0-9]+)(e[+-]?[0-9]+)?", text):
            raise SpecError(f"{name}: {quote(value)} needs a unit ({UNIT_NAMES}): {text}in, {text}pt, …")
        raise SpecError(f"{name}: expected {_expected(axis)}, got {quote(value)}")
    number = float(match.group(1) + (f"e{match.group(2)}" if match.group(2) else ""))
    unit = match.group(3)
    low, high = SMALLEST_IN * PX_PER_IN / PX_PER[unit], LARGEST_PX / PX_PER[unit]
    if not low <= number <= high:
        inches = f" ({SMALLEST_IN:g} in to {LARGEST_IN:g} in)" if unit != "in" else ""
        raise SpecError(f"{name}: expected a length from {low:.4g} to {high:.6g} {unit}{inches}, got {quote(value)}")
    return Length(number, unit, f"{number:.10g}{unit}")


def canonical(name: str, value: object, axis: str) -> str:
    """The spec value of a length option: its canonical text (checked by ``parse``)."""
    return parse(value, axis, name).text
