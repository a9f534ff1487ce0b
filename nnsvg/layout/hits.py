"""Where drawn shapes and text ink meet: the hit geometry the quality check
(``nnsvg.quality``) and the layouts that place text clear of shapes (``renderers.blocks``'
frame labels) share, so a renderer never imports the checker.

- ``ink_box(text)``: the box a text's glyphs cover, measured from its content and shrunk by
  ``INK_TOLERANCE`` (see below);
- ``meets(box, prim)``: whether a primitive's drawn geometry (fill and stroke as painted, paths'
  curves flattened, the bulk kinds walked) meets a box;
- ``covers(prim, box)``: whether its filled area contains the whole box; ``opacity(prim)`` how
  much of what lies under it its fill hides; ``visible(color)``, ``subpaths``, ``image_points``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator

from ..geometry import BBox, Point, apply_affine, arc_center, text_width
from ..scene import (
    ArcTo,
    Circle,
    Close,
    CubicTo,
    CurvedStars,
    Dots,
    Fan,
    Image,
    LineTo,
    MoveTo,
    Path,
    Polygon,
    Polylines,
    Primitive,
    QuadTo,
    Rect,
    Stars,
    Text,
)

# --- text ink -----------------------------------------------------------------------------
# The measured box of a text is its line box: the font's ascent (0.93 em for DejaVu) above the
# baseline and its descent (0.24 em) below, the full advance width across. Glyphs fill less:
# capitals, digits and ascenders reach the cap height (DejaVu Sans and Serif: 0.73 em); only
# descending glyphs go below the baseline (to about 0.21 em); the advance includes side
# bearings (about 0.05 em a side). The ink box is that, shrunk by INK_TOLERANCE on each side:
# a shape that touches a text's ink by less than that (0.08 em: 1 px at 12 px) is a hair,
# not a line through the glyphs; a line through the middle of a word is always reported.
CAP_HEIGHT = 0.73  # em
DESCENDER = 0.21  # em
INK_TOLERANCE = 0.08  # em, inset on every side of the ink box
_DESCENDING = frozenset("gjpqyQ,;()[]{}|@_$µβγζημξρςφχψ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₔₕₖₗₘₙₚₛₜ")

CURVE_STEPS = 16  # straight pieces per flattened curve (error under 0.1 % of its size)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def ink_box(text: Text) -> BBox | None:
    """The box the glyphs of ``text`` cover, measured from its content (not ``text.box``) and
    shrunk by ``INK_TOLERANCE``; None for blank text."""
    if not text.text.strip():
        return None
    size = text.size
    width = text_width(text.text, size, text.family)
    left = text.x - {"start": 0.0, "middle": width / 2, "end": width}.get(text.anchor, 0.0)
    tol = INK_TOLERANCE * size
    below = DESCENDER * size if any(ch in _DESCENDING for ch in text.text) else 0.0
    x0, x1 = left + tol, left + width - tol
    if x1 < x0:  # a glyph narrower than twice the tolerance: its middle
        x0 = x1 = left + width / 2
    return BBox(x0, text.y - CAP_HEIGHT * size + tol, x1, text.y + below - tol)


def visible(color: str | None) -> bool:
    return color is not None and color.strip().lower() not in ("none", "transparent", "")


def _segment_meets(r: Box, ax: float, ay: float, bx: float, by: float) -> bool:
    """Whether the segment a-b meets the box: their boxes overlap and the box's corners are
    not all strictly on one side of the segment's line."""
    x0, y0, x1, y1 = r
    if (ax < x0 and bx < x0) or (ax > x1 and bx > x1) or (ay < y0 and by < y0) or (ay > y1 and by > y1):
        return False
    dx, dy = bx - ax, by - ay
    s1 = dx * (y0 - ay) - dy * (x0 - ax)
    s2 = dx * (y0 - ay) - dy * (x1 - ax)
    s3 = dx * (y1 - ay) - dy * (x0 - ax)
    s4 = dx * (y1 - ay) - dy * (x1 - ax)
    return not ((s1 > 0 and s2 > 0 and s3 > 0 and s4 > 0) or (s1 < 0 and s2 < 0 and s3 < 0 and s4 < 0))


def _polyline_meets(r: Box, points: list[Point] | tuple[Point, ...], closed: bool) -> bool:
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        if _segment_meets(r, ax, ay, bx, by):
            return True
    if closed and len(points) > 2:
        (ax, ay), (bx, by) = points[-1], points[0]
        return _segment_meets(r, ax, ay, bx, by)
    return False


def _inside(x: float, y: float, points: list[Point] | tuple[Point, ...]) -> bool:
    """Even-odd point in polygon."""
    inside = False
    n = len(points)
    for k in range(n):
        ax, ay = points[k]
        bx, by = points[k - 1]
        if (ay > y) != (by > y) and x < ax + (bx - ax) * (y - ay) / (by - ay):
            inside = not inside
    return inside


def _area_meets(r: Box, points: list[Point] | tuple[Point, ...]) -> bool:
    """Whether the box meets a filled polygon: an edge crosses it, or its centre is inside."""
    if _polyline_meets(r, points, True):
        return True
    return _inside((r[0] + r[2]) / 2, (r[1] + r[3]) / 2, points)


def _circle_meets(r: Box, cx: float, cy: float, radius: float, ring: float | None) -> bool:
    """Whether the box meets a disc (``ring`` None) or only a ring of half-width ``ring``."""
    x0, y0, x1, y1 = r
    nx, ny = min(max(cx, x0), x1), min(max(cy, y0), y1)
    near = math.hypot(nx - cx, ny - cy)
    if ring is None:
        return near <= radius
    far = max(math.hypot(x - cx, y - cy) for x in (x0, x1) for y in (y0, y1))
    return near <= radius + ring and far >= radius - ring


def _cubic_points(p0: Point, p1: Point, p2: Point, p3: Point) -> list[Point]:
    out = []
    for k in range(CURVE_STEPS + 1):
        t = k / CURVE_STEPS
        s = 1 - t
        a, b, c, d = s * s * s, 3 * s * s * t, 3 * s * t * t, t * t * t
        out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


def _box_meets(r: Box, points: list[Point]) -> bool:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return not (max(xs) < r[0] or min(xs) > r[2] or max(ys) < r[1] or min(ys) > r[3])


def subpaths(segments: tuple[object, ...]) -> Iterator[tuple[list[Point], bool]]:
    """The subpaths of typed segments as flattened polylines, with whether each is closed."""
    points: list[Point] = []
    closed = False
    for seg in segments:
        if isinstance(seg, MoveTo):
            if points:
                yield points, closed
            points, closed = [(seg.x, seg.y)], False
        elif isinstance(seg, LineTo):
            points.append((seg.x, seg.y))
        elif isinstance(seg, CubicTo):
            points.extend(_cubic_points(points[-1], (seg.x1, seg.y1), (seg.x2, seg.y2), (seg.x, seg.y))[1:])
        elif isinstance(seg, QuadTo):
            (sx, sy), (qx, qy) = points[-1], (seg.x1, seg.y1)
            c1 = (sx + 2 * (qx - sx) / 3, sy + 2 * (qy - sy) / 3)
            c2 = (seg.x + 2 * (qx - seg.x) / 3, seg.y + 2 * (qy - seg.y) / 3)
            points.extend(_cubic_points(points[-1], c1, c2, (seg.x, seg.y))[1:])
        elif isinstance(seg, ArcTo):
            arc = arc_center(points[-1], (seg.x, seg.y), seg.rx, seg.ry, seg.rotation, seg.large_arc, seg.sweep)
            if arc is not None:
                cos, sin = math.cos(arc.rotation), math.sin(arc.rotation)
                for k in range(1, CURVE_STEPS + 1):
                    t = arc.start + arc.sweep * k / CURVE_STEPS
                    ex, ey = arc.rx * math.cos(t), arc.ry * math.sin(t)
                    points.append((arc.cx + cos * ex - sin * ey, arc.cy + sin * ex + cos * ey))
            else:
                points.append((seg.x, seg.y))
        elif isinstance(seg, Close):
            closed = True
            if points:
                yield points, closed
                points, closed = [points[0]], False
    if len(points) > 1:
        yield points, closed


def _lines_meet(r: Box, lines: Iterable[tuple[Point, Point]]) -> bool:
    """Whether any of many straight lines meets the box; the cheap box test is inline, as most
    of a fan's lines miss it."""
    x0, y0, x1, y1 = r
    for (ax, ay), (bx, by) in lines:
        if (ax < x0 and bx < x0) or (ax > x1 and bx > x1) or (ay < y0 and by < y0) or (ay > y1 and by > y1):
            continue
        if _segment_meets(r, ax, ay, bx, by):
            return True
    return False


def _fan_meets(r: Box, starts: tuple[Point, ...], ends: tuple[Point, ...]) -> bool:
    return _lines_meet(r, itertools.product(starts, ends))


def _stars_meet(r: Box, data: Stars) -> bool:
    ends = data.ends
    return _lines_meet(r, ((start, ends[k]) for start, indices in data.stars for k in indices))


def _curved_stars_meet(r: Box, data: CurvedStars) -> bool:
    x0, y0, x1, y1 = r
    ends = data.ends
    for (start, c1), indices in data.stars:
        for k in indices:
            c2, end = ends[k]
            xs, ys = (start[0], c1[0], c2[0], end[0]), (start[1], c1[1], c2[1], end[1])
            if max(xs) < x0 or min(xs) > x1 or max(ys) < y0 or min(ys) > y1:
                continue  # a Bézier curve stays inside its control points' hull
            if _polyline_meets(r, _cubic_points(start, c1, c2, end), False):
                return True
    return False


def _path_meets(r: Box, path: Path) -> bool:
    half = path.stroke_width / 2 if visible(path.stroke) else 0.0
    filled = visible(path.fill)
    g = (r[0] - half, r[1] - half, r[2] + half, r[3] + half)
    data = path.data
    if isinstance(data, Fan):
        return _fan_meets(g, data.starts, data.ends)
    if isinstance(data, Stars):
        return _stars_meet(g, data)
    if isinstance(data, CurvedStars):
        return _curved_stars_meet(g, data)
    if isinstance(data, Dots):
        return any(_circle_meets(g, cx, cy, data.r, None) for cx, cy in data.centers)
    if isinstance(data, Polylines):
        for line in data.lines:
            if len(line) == 1:
                if _circle_meets(g, line[0][0], line[0][1], half, None):
                    return True
            elif _box_meets(g, list(line)) and (_polyline_meets(g, line, data.closed)
                                                 or (filled and len(line) > 2 and _area_meets(g, line))):
                return True
        return False
    for points, closed in subpaths(data):
        if not _box_meets(g, points):
            continue
        if _polyline_meets(g, points, closed) if len(points) > 1 else _circle_meets(g, *points[0], half, None):
            return True
        if filled and len(points) > 2 and _area_meets(g, points):
            return True
    return False


def _rect_points(rect: Rect) -> list[Point]:
    x, y, w, h = rect.x, rect.y, rect.width, rect.height
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def image_points(image: Image) -> list[Point]:
    w, h = image.width, image.height
    return [apply_affine(image.matrix, p) for p in ((0.0, 0.0), (w, 0.0), (w, h), (0.0, h))]


def meets(r: BBox, prim: Primitive) -> bool:
    """Whether the drawn geometry of ``prim`` (fill and stroke as painted) meets the box."""
    box = (r.x0, r.y0, r.x1, r.y1)
    if isinstance(prim, Path):
        if prim.opacity <= 0:
            return False
        return _path_meets(box, prim)
    if isinstance(prim, Image):
        return prim.opacity > 0 and _area_meets(box, image_points(prim))
    if isinstance(prim, Text):
        return False
    stroked = visible(prim.stroke) and prim.stroke_width > 0
    half = prim.stroke_width / 2 if stroked else 0.0
    if isinstance(prim, Circle):
        if visible(prim.fill):
            return _circle_meets(box, prim.cx, prim.cy, prim.r + half, None)
        return stroked and _circle_meets(box, prim.cx, prim.cy, prim.r, half)
    if prim.opacity <= 0:
        return False
    points = _rect_points(prim) if isinstance(prim, Rect) else list(prim.points)
    filled = visible(prim.fill) and getattr(prim, "fill_opacity", 1.0) > 0
    g = (box[0] - half, box[1] - half, box[2] + half, box[3] + half)
    if stroked and _polyline_meets(g, points, True):
        return True
    return filled and _area_meets(box, points)


def opacity(prim: Primitive) -> float:
    """How much of what lies under ``prim`` its fill hides (0 when it has no fill)."""
    if isinstance(prim, Text):
        return 0.0
    if isinstance(prim, Image):
        return prim.opacity
    if not visible(prim.fill):
        return 0.0
    return getattr(prim, "opacity", 1.0) * getattr(prim, "fill_opacity", 1.0)


def covers(prim: Primitive, r: BBox) -> bool:
    """Whether ``prim``'s filled area contains the whole box."""
    corners = [(r.x0, r.y0), (r.x1, r.y0), (r.x1, r.y1), (r.x0, r.y1)]
    if isinstance(prim, Circle):
        return all(math.hypot(x - prim.cx, y - prim.cy) <= prim.r for x, y in corners)
    if isinstance(prim, Rect):
        return prim.x <= r.x0 and r.x1 <= prim.x + prim.width and prim.y <= r.y0 and r.y1 <= prim.y + prim.height
    points: list[Point] | None = None
    if isinstance(prim, Polygon):
        points = list(prim.points)
    elif isinstance(prim, Image):
        points = image_points(prim)
    elif isinstance(prim, Path) and not isinstance(prim.data, (Fan, Stars, CurvedStars, Dots, Polylines)):
        pieces = list(subpaths(prim.data))
        points = pieces[0][0] if len(pieces) == 1 else None
    if points is None or len(points) < 3:
        return False
    return all(_inside(x, y, points) for x, y in corners) and not _polyline_meets(
        (r.x0, r.y0, r.x1, r.y1), points, True)
