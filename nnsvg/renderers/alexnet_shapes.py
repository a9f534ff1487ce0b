"""AlexNet's shapes on the page: a layer's world box (``Placed``), its projected outline (a convex hull),
the ends of the arrow between two outlines, convex overlap, thick segments as polygons and the
filter's window on the visible face; the faces of a box and the pyramid from a filter window
to the next volume, clipped at the volumes' planes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import colors
from ..geometry import BBox, Box3, Camera, Point, Point3, clip_polygon
from ..scene import Polygon
from ..spec.alexnet import AlexnetSpec
from ..theme import Theme


@dataclass
class Placed:
    index: int
    box: Box3
    filter_box: Box3 | None = None


def polygon_area(points: list[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1]))) / 2


def convex_hull(points: list[Point]) -> list[Point]:
    """The convex hull, counter-clockwise in a y-up sense (monotone chain)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    upper: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def outline(box: Box3, camera: Camera) -> list[Point]:
    """A box's outline on the page."""
    return convex_hull([camera.project(p) for p in box.corners()])


def segment_span(hull: list[Point], p: Point, q: Point) -> tuple[float, float] | None:
    """The parameters (t_in, t_out) of the part of p + t (q - p) inside a convex polygon
    (Cyrus–Beck), or None when the line misses it."""
    t_in, t_out = -math.inf, math.inf
    dx, dy = q[0] - p[0], q[1] - p[1]
    cx = sum(v[0] for v in hull) / len(hull)
    cy = sum(v[1] for v in hull) / len(hull)
    for a, b in zip(hull, hull[1:] + hull[:1]):
        nx, ny = b[1] - a[1], a[0] - b[0]  # a normal of the edge; turned to point outwards
        if nx * (cx - a[0]) + ny * (cy - a[1]) > 0:
            nx, ny = -nx, -ny
        num = nx * (p[0] - a[0]) + ny * (p[1] - a[1])  # > 0: p is outside this edge
        den = nx * dx + ny * dy
        if abs(den) < 1e-12:
            if num > 0:
                return None
            continue
        t = -num / den
        if den < 0:
            t_in = max(t_in, t)
        else:
            t_out = min(t_out, t)
    return (t_in, t_out) if t_in <= t_out else None


def hull_center(hull: list[Point]) -> Point:
    box = BBox.around(hull)
    return (box.center_x, box.center_y)


def link_ends(a: list[Point], b: list[Point]) -> tuple[Point, Point, float]:
    """Where the line between two outlines' centres leaves the first and enters the second,
    and the signed length between (negative where the outlines overlap)."""
    p, q = hull_center(a), hull_center(b)
    span_a, span_b = segment_span(a, p, q), segment_span(b, p, q)
    t0 = span_a[1] if span_a else 0.0
    t1 = span_b[0] if span_b else 1.0
    return ((p[0] + (q[0] - p[0]) * t0, p[1] + (q[1] - p[1]) * t0),
            (p[0] + (q[0] - p[0]) * t1, p[1] + (q[1] - p[1]) * t1),
            (t1 - t0) * math.hypot(q[0] - p[0], q[1] - p[1]))


def convex_overlap(a: list[Point], b: list[Point]) -> bool:
    """Whether two convex polygons' interiors meet (separating axis test)."""
    for poly in (a, b):
        for (ax, ay), (bx, by) in zip(poly, poly[1:] + poly[:1]):
            nx, ny = by - ay, ax - bx
            if nx == 0 and ny == 0:
                continue
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return False
    return True


def rect(box: BBox) -> list[Point]:
    return [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]


def thick_segment(p: Point, q: Point, width: float) -> list[Point]:
    """A segment as a thin rectangle of ``width`` (a stroke, for overlap tests)."""
    length = math.hypot(q[0] - p[0], q[1] - p[1]) or 1.0
    nx, ny = -(q[1] - p[1]) / length * width / 2, (q[0] - p[0]) / length * width / 2
    return [(p[0] + nx, p[1] + ny), (q[0] + nx, q[1] + ny), (q[0] - nx, q[1] - ny), (p[0] - nx, p[1] - ny)]


def filter_window(spec: AlexnetSpec, fb: Box3) -> list[Point3]:
    """The filter's window on the visible H×W face."""
    if spec.look == "row":
        return [(fb.x1, fb.y0, fb.z1), (fb.x1, fb.y0, fb.z0), (fb.x1, fb.y1, fb.z0), (fb.x1, fb.y1, fb.z1)]
    return [(fb.x0, fb.y0, fb.z1), (fb.x1, fb.y0, fb.z1), (fb.x1, fb.y1, fb.z1), (fb.x0, fb.y1, fb.z1)]


def column_extent(hull: list[Point], x: float) -> tuple[float, float]:
    """The top and bottom of an outline at page x (its box's where x misses it)."""
    span = segment_span(hull, (x, -1e9), (x, 1e9))
    if span is None:
        box = BBox.around(hull)
        return box.y0, box.y1
    return -1e9 + 2e9 * span[0], -1e9 + 2e9 * span[1]


def _shade(fill: str, face: str, amount: float) -> str:
    if fill == "none" or amount == 0:
        return fill
    if face == "top":
        return colors.mix(fill, "#ffffff", amount)
    if face in ("right", "left"):
        return colors.mix(fill, "#000000", amount)
    return fill


def box_faces(box: Box3, camera: Camera, fill: str, stroke: str, width: float, opacity: float,
              shade: float, cls: str) -> list[Polygon]:
    out = []
    for name, corners in box.visible_faces(camera):
        points = tuple(camera.project(p) for p in corners)
        out.append(Polygon(points, _shade(fill, name, shade), stroke, width, 1.0, f"{cls} {name}",
                           fill_opacity=opacity))
    return out


def relative_apex(source: Box3, volume: Box3, target: Box3, look: str = "cubes") -> Point3:
    """The point on the target's face at the filter's relative position: its front face (cubes)
    or its input face (row)."""
    ry = ((source.y0 + source.y1) / 2 - volume.y0) / (volume.y1 - volume.y0)
    y = target.y0 + ry * (target.y1 - target.y0)
    if look == "row":
        rz = ((source.z0 + source.z1) / 2 - volume.z0) / (volume.z1 - volume.z0)
        return (target.x0, y, target.z0 + rz * (target.z1 - target.z0))
    rx = ((source.x0 + source.x1) / 2 - volume.x0) / (volume.x1 - volume.x0)
    return (target.x0 + rx * (target.x1 - target.x0), y, target.z1)


def pyramid_pieces(source: Box3, volume: Box3, target: Box3, camera: Camera, theme: Theme,
                   look: str = "cubes") -> tuple[list[Polygon], list[Polygon], list[Polygon]]:
    """The pyramid clipped into the piece inside this volume, between the volumes, and inside
    the next one; back-facing triangles first within each piece."""
    apex = relative_apex(source, volume, target, look)
    x = source.x1
    corners = [(x, source.y0, source.z1), (x, source.y1, source.z1),
               (x, source.y1, source.z0), (x, source.y0, source.z0)]
    centre = ((x + apex[0]) / 2, (source.y0 + source.y1 + 2 * apex[1]) / 4, (source.z0 + source.z1 + 2 * apex[2]) / 4)
    triangles = []
    for k in range(4):
        tri = [corners[k], corners[(k + 1) % 4], apex]
        mid = tuple(sum(c) / 3 for c in zip(*tri))
        facing = camera.depth(mid) - camera.depth(centre)  # outward side towards the camera?
        triangles.append((facing, tri))
    triangles.sort(key=lambda item: item[0])
    style = theme.pyramid
    pieces: tuple[list[Polygon], list[Polygon], list[Polygon]] = ([], [], [])
    for _, tri in triangles:
        inner = clip_polygon(tri, 0, volume.x1, keep_below=True)
        rest = clip_polygon(tri, 0, volume.x1, keep_below=False)
        middle = clip_polygon(rest, 0, target.x0, keep_below=True) if rest else []
        beyond = clip_polygon(rest, 0, target.x0, keep_below=False) if rest else []
        for bucket, poly in zip(pieces, (inner, middle, beyond)):
            if len(poly) < 3:
                continue
            points = [camera.project(p) for p in poly]
            if polygon_area(points) > 1e-9:  # a piece cut to a line on a plane is no piece
                bucket.append(Polygon(tuple(points), style.fill, style.stroke, style.stroke_width, 1.0, "pyramid",
                                      fill_opacity=style.opacity))
    return pieces
