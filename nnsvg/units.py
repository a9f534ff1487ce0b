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
from .text import quote

PT_PER_PX = 0.75  # CSS px to PDF/PostScript points (TeX's bp)
TEX_PT_PER_BP = 72.27 / 72  # TeX points per PostScript point
PT_PER_IN = 72.0  # PostScript points per inch
PX_PER_IN = 96.0  # CSS px per inch (96 dpi = a PNG at scale 1)
PX_PER = {"in": PX_PER_IN, "cm": 96 / 2.54, "mm": 96 / 25.4, "pt": 96 / 72, "px": 1.0}  # CSS px per unit
UNIT_DECIMALS = {"px": 2, "pt": 2, "mm": 3, "cm": 4, "in": 4}  # an SVG's width and height: 1/100 pt or finer

# Named targets: the page sizes a figure most often goes into. A two-column paper's column and
# full text width (IEEEtran: \columnwidth 252 pt = 3.5 in, \textwidth 7.16 in; ACM's acmart:
# 3.33 in and 7 in), its text height, and a 16:9 slide (PowerPoint's and Keynote's default,
# 13.333 × 7.5 in).
PRESETS: dict[str, dict[str, tuple[float, str]]] = {
    "width": {"column": (3.5, "in"), "page": (7.0, "in"), "slide": (960.0, "pt")},
    "height": {"page": (9.0, "in"), "slide": (540.0, "pt")},
}
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


def _expected(axis: str) -> str:
    names = ", ".join(f"{name} ({value:g}{unit})" for name, (value, unit) in PRESETS[axis].items())
    return f"a length with a unit (3.5in, 8.4cm, 90mm, 252pt, 336px) or {names}"


def parse(value: object, axis: str = "width", name: str | None = None) -> Length:
    """A length from its text (``3.5in``, ``8.4 cm``, ``column``) for ``axis`` (width or
    height), or a SpecError naming the option (``name``, default the axis) and the value."""
    name = name or axis
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SpecError(f"{name}: expected {_expected(axis)}, got {quote(value)}")
    if not isinstance(value, str):
        if math.isfinite(value) and 0 < value < 1e9:
            raise SpecError(f"{name}: {value:g} needs a unit (in, cm, mm, pt, px): {value:g}pt, {value:g}in, …")
        raise SpecError(f"{name}: expected {_expected(axis)}, got {quote(value)}")
    text = value.strip().lower()
    if text in PRESETS[axis]:
        number, unit = PRESETS[axis][text]
        return Length(number, unit, text)
    other = "height" if axis == "width" else "width"
    if text in PRESETS[other]:
        raise SpecError(f"{name}: {quote(value)} is a {other}, not a {axis}; expected {_expected(axis)}")
    if text.startswith("-"):
        raise SpecError(f"{name}: a size is above 0, got {quote(value)}")
    match = _LENGTH.fullmatch(text) if len(text) <= 40 else None
    if match is None or match.group(3) not in PX_PER:
        if re.fullmatch(r"([0-9]+(\.[0-9]*)?|\.[0-9]+)(e[+-]?[0-9]+)?", text):
            raise SpecError(f"{name}: {quote(value)} needs a unit (in, cm, mm, pt, px): {text}in, {text}pt, …")
        raise SpecError(f"{name}: expected {_expected(axis)}, got {quote(value)}")
    number = float(match.group(1) + (f"e{match.group(2)}" if match.group(2) else ""))
    unit = match.group(3)
    low, high = SMALLEST_IN * PX_PER_IN / PX_PER[unit], LARGEST_PX / PX_PER[unit]
    if not low <= number <= high:
        inches = f" ({SMALLEST_IN:g} in to {LARGEST_IN:g} in)" if unit != "in" else ""
        raise SpecError(f"{name}: expected a length from {low:g} to {high:g} {unit}{inches}, got {quote(value)}")
    return Length(number, unit, f"{number:.10g}{unit}")


def canonical(name: str, value: object, axis: str) -> str:
    """The spec value of a length option: its canonical text (checked by ``parse``)."""
    return parse(value, axis, name).text
