"""Shared geometry: bounding boxes, text extents from real font metrics, label row assignment,
arrowheads and curves. Pure math: knows nothing about layers, styles or SVG.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from . import fonts

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

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def center_y(self) -> float:
        return (self.y0 + self.y1) / 2

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

@dataclass(frozen=True)
class FontMetrics:
    family: str
    ascent: float  # above the baseline, in em
    descent: float  # below the baseline, in em (positive)
    widths: dict[int, float]  # advance per code point, in em


@cache
def font_metrics(families: str, bold: bool = False) -> FontMetrics:
    """The metrics of a CSS family list's label font (``nnsvg.fonts``: the first family that
    is installed or a font file; DejaVu's own table for the DejaVu families). ``bold`` picks
    DejaVu Sans Bold's table for DejaVu Sans."""
    font = fonts.resolve(families).primary
    if bold and font.table is not None and f"{font.table} Bold" in _table():
        font = fonts.Font(f"{font.table} Bold", None, 0, f"{font.table} Bold")
    m = font.metrics
    return FontMetrics(font.family, m.ascent, m.descent, m.widths)


def _table() -> dict[str, object]:
    return dict(fonts._table())


def text_width(text: str, size: float, family: str) -> float:
    """The advance width of ``text`` set at ``size`` in ``family``: each character in the font
    that draws it (the label font, or the fallback that has the glyph; ``nnsvg.fonts``)."""
    return size * fonts.resolve(family).advance(text)


def text_box(text: str, x: float, y: float, size: float, family: str,
             anchor: str = "start") -> BBox:
    """The box a line of text occupies with its baseline at ``y``; ``anchor`` as SVG's
    text-anchor (start, middle, end). Height is the label font's ascent and descent."""
    found = fonts.resolve(family)
    metrics = found.primary.metrics
    width = size * found.advance(text)
    left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    return BBox(left, y - metrics.ascent * size, left + width, y + metrics.descent * size)


def baseline_for_center(center_y: float, size: float, family: str) -> float:
    """The baseline that centres a line's ascent-descent box on ``center_y``."""
    metrics = fonts.resolve(family).primary.metrics
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


# --- curves -------------------------------------------------------------------------------

def quad_to_cubic(start: Point, control: Point, end: Point) -> tuple[Point, Point]:
    """The two controls of the cubic Bézier curve that is exactly the quadratic one from
    ``start`` through ``control`` to ``end`` (degree elevation: 2/3 of the way to the control)."""
    return ((start[0] + 2 * (control[0] - start[0]) / 3, start[1] + 2 * (control[1] - start[1]) / 3),
            (end[0] + 2 * (control[0] - end[0]) / 3, end[1] + 2 * (control[1] - end[1]) / 3))


class CenterArc(NamedTuple):
    """An elliptical arc in centre form: centre, radii, the x axis's rotation (radians), the
    start angle and the signed sweep (radians; positive turns from +x towards +y, clockwise on
    a y-down page). A point at angle t is centre + R(rotation) (rx cos t, ry sin t)."""

    cx: float
    cy: float
    rx: float
    ry: float
    rotation: float
    start: float
    sweep: float


def arc_center(start: Point, end: Point, rx: float, ry: float, rotation: float, large_arc: bool,
               sweep: bool) -> CenterArc | None:
    """SVG's endpoint arc (the ``A`` command: radii, x-axis rotation in degrees, the flags)
    in centre form, by the SVG spec's conversion (appendix F.6.5 and F.6.6): negative radii
    count as positive, radii too small to reach the end are scaled up until they just do.
    None when the arc is no ellipse: a zero radius (then it is a straight line) or the same
    start and end (then it is left out)."""
    if start == end or rx == 0 or ry == 0:
        return None
    rx, ry = abs(rx), abs(ry)
    phi = math.radians(rotation % 360)
    cos, sin = math.cos(phi), math.sin(phi)
    hx, hy = (start[0] - end[0]) / 2, (start[1] - end[1]) / 2
    x1, y1 = cos * hx + sin * hy, -sin * hx + cos * hy  # the start in the ellipse's frame
    reach = (x1 / rx) ** 2 + (y1 / ry) ** 2
    if reach > 1:  # radii too small: scale them up until the ellipse just reaches
        rx, ry = rx * math.sqrt(reach), ry * math.sqrt(reach)
    num = (rx * ry) ** 2 - (rx * y1) ** 2 - (ry * x1) ** 2
    den = (rx * y1) ** 2 + (ry * x1) ** 2
    coef = math.sqrt(max(0.0, num / den)) * (-1 if large_arc == sweep else 1)
    ccx, ccy = coef * rx * y1 / ry, -coef * ry * x1 / rx
    cx = cos * ccx - sin * ccy + (start[0] + end[0]) / 2
    cy = sin * ccx + cos * ccy + (start[1] + end[1]) / 2
    ux, uy = (x1 - ccx) / rx, (y1 - ccy) / ry
    vx, vy = (-x1 - ccx) / rx, (-y1 - ccy) / ry
    theta = math.atan2(uy, ux)
    delta = math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)
    if not sweep and delta > 0:
        delta -= 2 * math.pi
    elif sweep and delta < 0:
        delta += 2 * math.pi
    return CenterArc(cx, cy, rx, ry, phi, theta, delta)


# --- 3D: an orthographic camera, boxes, painter's order, affine maps ----------------------

Point3 = tuple[float, float, float]


@dataclass(frozen=True)
class Camera:
    """An orthographic camera. World axes: x right, y up, z towards the viewer at azimuth 0.
    ``azimuth`` turns the camera about y towards +x (so the +x faces show), ``elevation``
    lifts it above the horizon (so the +y faces show); both in degrees."""

    azimuth: float
    elevation: float

    @property
    def toward(self) -> Point3:
        """The unit vector from the scene towards the camera."""
        az, el = math.radians(self.azimuth), math.radians(self.elevation)
        return (math.sin(az) * math.cos(el), math.sin(el), math.cos(az) * math.cos(el))

    def project(self, p: Point3) -> Point:
        """A world point on the page (y down, as SVG)."""
        az, el = math.radians(self.azimuth), math.radians(self.elevation)
        x, y, z = p
        right = x * math.cos(az) - z * math.sin(az)
        up = -x * math.sin(az) * math.sin(el) + y * math.cos(el) - z * math.cos(az) * math.sin(el)
        return (right, -up)

    def depth(self, p: Point3) -> float:
        """Distance towards the camera: larger is nearer."""
        t = self.toward
        return p[0] * t[0] + p[1] * t[1] + p[2] * t[2]


@dataclass(frozen=True)
class Box3:
    """An axis-aligned box between two corners."""

    x0: float
    y0: float
    z0: float
    x1: float
    y1: float
    z1: float

    def faces(self) -> dict[str, tuple[tuple[Point3, ...], Point3]]:
        """Each face's corners (counter-clockwise seen from outside) and outward normal."""
        x0, y0, z0, x1, y1, z1 = self.x0, self.y0, self.z0, self.x1, self.y1, self.z1
        return {
            "front": (((x0, y0, z1), (x1, y0, z1), (x1, y1, z1), (x0, y1, z1)), (0, 0, 1)),
            "back": (((x1, y0, z0), (x0, y0, z0), (x0, y1, z0), (x1, y1, z0)), (0, 0, -1)),
            "right": (((x1, y0, z1), (x1, y0, z0), (x1, y1, z0), (x1, y1, z1)), (1, 0, 0)),
            "left": (((x0, y0, z0), (x0, y0, z1), (x0, y1, z1), (x0, y1, z0)), (-1, 0, 0)),
            "top": (((x0, y1, z1), (x1, y1, z1), (x1, y1, z0), (x0, y1, z0)), (0, 1, 0)),
            "bottom": (((x0, y0, z0), (x1, y0, z0), (x1, y0, z1), (x0, y0, z1)), (0, -1, 0)),
        }

    def visible_faces(self, camera: Camera, eps: float = 1e-9) -> list[tuple[str, tuple[Point3, ...]]]:
        """The faces turned towards the camera (edge-on faces are left out), in a fixed order."""
        t = camera.toward
        return [(name, corners) for name, (corners, n) in self.faces().items()
                if n[0] * t[0] + n[1] * t[1] + n[2] * t[2] > eps]

    def corners(self) -> list[Point3]:
        return [(x, y, z) for x in (self.x0, self.x1) for y in (self.y0, self.y1) for z in (self.z0, self.z1)]


def _in_front(a: Box3, b: Box3, camera: Camera) -> int:
    """-1 if ``a`` must be painted before ``b`` (it is behind), 1 if after, 0 if unknown."""
    t = camera.toward
    for axis, (lo_a, hi_a, lo_b, hi_b) in enumerate(((a.x0, a.x1, b.x0, b.x1), (a.y0, a.y1, b.y0, b.y1),
                                                     (a.z0, a.z1, b.z0, b.z1))):
        if hi_a <= lo_b and t[axis] != 0:  # a lies on the low side of a separating plane
            return -1 if t[axis] > 0 else 1
        if hi_b <= lo_a and t[axis] != 0:
            return 1 if t[axis] > 0 else -1
    return 0


def _along_an_axis(boxes: list[Box3], camera: Camera) -> list[int] | None:
    """The painting order of boxes that follow one another along an axis, each wholly on one side
    of the next (a network's row of layers), in O(n log n); None when they do not."""
    t = camera.toward
    for axis in range(3):
        if t[axis] == 0:
            continue
        spans = [((b.x0, b.x1), (b.y0, b.y1), (b.z0, b.z1))[axis] for b in boxes]
        order = sorted(range(len(boxes)), key=lambda i: spans[i][0])
        if all(spans[i][1] <= spans[j][0] for i, j in itertools.pairwise(order)):
            return order if t[axis] > 0 else order[::-1]  # the far end first
    return None


def back_to_front(boxes: list[Box3], camera: Camera) -> list[int]:
    """Indices of disjoint boxes in painting order: each box after every box it may cover.
    Boxes split by an axis-aligned plane are ordered by the side the camera is on; others by
    the depth of their centres."""
    def centre_depth(i: int) -> float:
        b = boxes[i]
        return camera.depth(((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, (b.z0 + b.z1) / 2))

    row = _along_an_axis(boxes, camera)
    if row is not None:
        return row
    order: list[int] = []
    remaining = sorted(range(len(boxes)), key=centre_depth)
    while remaining:  # repeatedly take a box that no remaining box must precede
        for k, i in enumerate(remaining):
            if all(_in_front(boxes[j], boxes[i], camera) != -1 for j in remaining if j != i):
                order.append(remaining.pop(k))
                break
        else:  # a cycle (not possible for boxes in a row): fall back to centre depth
            order.append(remaining.pop(0))
    return order


def clip_polygon(points: list[Point3], axis: int, value: float, keep_below: bool) -> list[Point3]:
    """The part of a convex polygon on one side of the plane ``p[axis] = value``
    (Sutherland–Hodgman for one plane)."""
    def inside(p: Point3) -> bool:
        return p[axis] <= value if keep_below else p[axis] >= value

    out: list[Point3] = []
    for k, current in enumerate(points):
        previous = points[k - 1]
        if inside(current) != inside(previous):
            span = current[axis] - previous[axis]
            t = (value - previous[axis]) / span
            out.append(tuple(a + (b - a) * t for a, b in zip(previous, current)))  # type: ignore[arg-type]
        if inside(current):
            out.append(current)
    return out


def affine_map(source: tuple[Point, Point, Point], target: tuple[Point, Point, Point]) -> tuple[float, ...]:
    """The SVG ``matrix(a b c d e f)`` taking three source points to three target points."""
    (x0, y0), (x1, y1), (x2, y2) = source
    (u0, v0), (u1, v1), (u2, v2) = target
    det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
    if abs(det) < 1e-12:
        raise ValueError("the source points are collinear")
    a = ((u1 - u0) * (y2 - y0) - (u2 - u0) * (y1 - y0)) / det
    c = ((u2 - u0) * (x1 - x0) - (u1 - u0) * (x2 - x0)) / det
    b = ((v1 - v0) * (y2 - y0) - (v2 - v0) * (y1 - y0)) / det
    d = ((v2 - v0) * (x1 - x0) - (v1 - v0) * (x2 - x0)) / det
    return (a, b, c, d, u0 - a * x0 - c * y0, v0 - b * x0 - d * y0)


def apply_affine(m: tuple[float, ...], p: Point) -> Point:
    a, b, c, d, e, f = m
    return (a * p[0] + c * p[1] + e, b * p[0] + d * p[1] + f)
