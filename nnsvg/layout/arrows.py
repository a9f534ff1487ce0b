"""Solid arrows drawn as scene paths, shared by the styles that join layers with arrows."""

from __future__ import annotations

from ..geometry import BBox, Point, arrowhead, unit
from ..scene import Path, polyline
from ..theme import Theme


def solid_head(tip: Point, direction: Point, color: str, theme: Theme, cls: str) -> tuple[Path, Point]:
    """A filled head with its tip at ``tip`` pointing along ``direction``, and the point where
    the shaft should end (inside the head, so the shaft's butt never pokes out of the tip)."""
    length = theme.arrow.length
    base1, base2 = arrowhead(tip, direction, length, theme.arrow.width)
    back = (tip[0] - direction[0] * length * 0.8, tip[1] - direction[1] * length * 0.8)
    head = Path(polyline((base1, tip, base2), closed=True), BBox.around([base1, tip, base2]), fill=color,
                cls=f"{cls} arrowhead")
    return head, back


def straight_arrow(start: Point, end: Point, color: str, width: float, theme: Theme, cls: str,
                   dash: tuple[float, ...] | None = None) -> list[Path]:
    """A straight arrow from ``start`` whose head's tip is at ``end``."""
    head, back = solid_head(end, unit(end[0] - start[0], end[1] - start[1]), color, theme, cls)
    shaft = Path(polyline((start, back)), BBox.around([start, back]), stroke=color, stroke_width=width, cls=cls,
                 dash=dash)
    return [shaft, head]
