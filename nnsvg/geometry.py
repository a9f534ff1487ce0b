"""Shared geometry: bounding boxes, text extents from real font metrics, label row assignment,
arrowheads and curves. Pure math: knows nothing about layers, styles or SVG.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

Point = tuple[float, float]


@dataclass(frozen=True)
class BBox:
    """An axis-aligned box; y grows downwards, as in SVG."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def union(self, other: BBox) -> BBox:
        return BBox(min(self.x0, other.x0), min(self.y0, other.y0),
                    max(self.x1, other.x1), max(self.y1, other.y1))

    def grow(self, amount: float) -> BBox:
        return BBox(self.x0 - amount, self.y0 - amount, self.x1 + amount, self.y1 + amount)

    def overlaps(self, other: BBox, pad: float = 0.0) -> bool:
        return (self.x0 < other.x1 + pad and other.x0 < self.x1 + pad
                and self.y0 < other.y1 + pad and other.y0 < self.y1 + pad)

    def contains(self, other: BBox, tolerance: float = 1e-6) -> bool:
        return (self.x0 <= other.x0 + tolerance and self.y0 <= other.y0 + tolerance
                and other.x1 <= self.x1 + tolerance and other.y1 <= self.y1 + tolerance)

    @staticmethod
    def around(points: list[Point] | tuple[Point, ...], pad: float = 0.0) -> BBox:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        return BBox(min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)


def union_all(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return BBox(min(b.x0 for b in boxes), min(b.y0 for b in boxes),
                max(b.x1 for b in boxes), max(b.y1 for b in boxes))


# --- text ---------------------------------------------------------------------------------

# Generic CSS families and the measured font that stands for each.
_GENERIC = {"serif": "DejaVu Serif", "monospace": "DejaVu Sans Mono", "sans-serif": "DejaVu Sans"}
_MISSING_GLYPH_EM = 1.0  # a character no measured font has: assume a full em (errs wide)


@dataclass(frozen=True)
class FontMetrics:
    family: str
    ascent: float  # above the baseline, in em
    descent: float  # below the baseline, in em (positive)
    widths: dict[int, float]  # advance per code point, in em


@cache
def _table() -> dict[str, dict[str, object]]:
    text = resources.files("nnsvg").joinpath("data/font_metrics.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def font_metrics(families: str, bold: bool = False) -> FontMetrics:
    """The metrics of the first measured font in a CSS family list (DejaVu stands in for the
    generic families), so text is measured in the font a renderer on this machine uses."""
    table = _table()
    chosen = "DejaVu Sans"
    for name in (n.strip().strip("'\"") for n in families.split(",")):
        if name in table:
            chosen = name
            break
        if name.lower() in _GENERIC:
            chosen = _GENERIC[name.lower()]
            break
    if bold and f"{chosen} Bold" in table:
        chosen = f"{chosen} Bold"
    entry = table[chosen]
    upm = float(entry["units_per_em"])  # type: ignore[arg-type]
    widths: dict[int, float] = {}
    for first, run in entry["runs"]:  # type: ignore[union-attr, misc]
        for offset, advance in enumerate(run):
            widths[first + offset] = advance / upm
    return FontMetrics(chosen, float(entry["ascent"]) / upm,  # type: ignore[arg-type]
                       -float(entry["descent"]) / upm, widths)  # type: ignore[arg-type]


def text_width(text: str, size: float, family: str) -> float:
    """The advance width of ``text`` set at ``size`` in the first measured font of ``family``."""
    widths = font_metrics(family).widths
    return size * sum(widths.get(ord(ch), _MISSING_GLYPH_EM) for ch in text)


def text_box(text: str, x: float, y: float, size: float, family: str,
             anchor: str = "start") -> BBox:
    """The box a line of text occupies with its baseline at ``y``; ``anchor`` as SVG's
    text-anchor (start, middle, end). Height is the font's ascent and descent."""
    metrics = font_metrics(family)
    width = text_width(text, size, family)
    left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    return BBox(left, y - metrics.ascent * size, left + width, y + metrics.descent * size)


def baseline_for_center(center_y: float, size: float, family: str) -> float:
    """The baseline that centres a line's ascent-descent box on ``center_y``."""
    metrics = font_metrics(family)
    return center_y + (metrics.ascent - metrics.descent) * size / 2


def assign_rows(spans: list[tuple[float, float]], gap: float) -> list[int]:
    """A row for each span (left, right) so that spans in one row stay ``gap`` apart.

    Spans are placed from left to right (whatever order they are given in); each goes into
    the lowest row whose last span ends at least ``gap`` before it starts, so row 0 is used
    whenever possible. Returns the rows in the order the spans were given.
    """
    row_ends: list[float] = []
    rows = [0] * len(spans)
    for index in sorted(range(len(spans)), key=lambda i: spans[i]):
        left, right = spans[index]
        for row, end in enumerate(row_ends):
            if left >= end + gap:
                row_ends[row] = right
                rows[index] = row
                break
        else:
            row_ends.append(right)
            rows[index] = len(row_ends) - 1
    return rows


# --- shapes -------------------------------------------------------------------------------

def unit(dx: float, dy: float) -> Point:
    length = math.hypot(dx, dy)
    return (dx / length, dy / length) if length else (1.0, 0.0)


def arrowhead(tip: Point, direction: Point, length: float, width: float) -> tuple[Point, Point]:
    """The two base corners of an arrowhead whose tip is at ``tip``, pointing along the unit
    vector ``direction``."""
    dx, dy = direction
    bx, by = tip[0] - dx * length, tip[1] - dy * length
    half = width / 2
    return (bx - dy * half, by + dx * half), (bx + dy * half, by - dx * half)
