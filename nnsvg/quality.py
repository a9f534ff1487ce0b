"""The figure-quality check: what a reader of the printed figure would call a defect, found
from the scene (no rendering, no fonts loaded beyond the measured metrics).

``check(scene)`` returns a list of ``Problem``s, each of one kind:

- ``text-on-shape``: a text's ink meets the geometry of a drawn shape that is not its ``host``
  (and not hidden under an opaque host painted later). Real geometry is tested: the segments of
  paths (curves flattened, the bulk kinds walked without building objects), polygon edges and,
  when filled, interiors; circles, rectangles and images as drawn. A diagonal edge whose box
  covers a label but whose line passes beside it is not a hit.
- ``text-on-text``: two texts' ink boxes overlap.
- ``clipped``: a text's ink reaches outside ``scene.page()``.
- ``tiny``: a shape meant to be seen (a feature map, a filter window, a node, a dense bar, a
  3D box, an image) whose smallest visible width is below ``tiny_limit(scene)``.
- ``dominant``: a ``layer-N`` group whose shapes span more than ``DOMINANT_SHARE`` of the
  figure along the axis the network reads (``scene.flow``).

Texts are measured afresh from their content, position, size and family (``Text.box`` is not
trusted: a text moved without its box would otherwise hide from the check), then shrunk from
the line box (ascent + descent) to the ink: see ``ink_box``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .geometry import BBox, Point, apply_affine, arc_center, text_width
from .scene import (
    ArcTo,
    Circle,
    Close,
    CubicTo,
    CurvedStars,
    Dots,
    Fan,
    Group,
    Image,
    LineTo,
    MoveTo,
    Path,
    Polygon,
    Polylines,
    Primitive,
    QuadTo,
    Rect,
    Scene,
    Stars,
    Text,
)
from .units import PT_PER_PX

KINDS = ("text-on-shape", "text-on-text", "clipped", "tiny", "dominant")

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

# --- sizes --------------------------------------------------------------------------------
# A figure goes into a paper at column width, about 3.5 in = 252 pt, whatever its size in px:
# an element of s px in a figure W px wide prints s·252/W pt wide. Below about 0.6 pt a box
# no longer reads as a box (it is a line, or a speck); 0.6/252 ≈ 0.25 % of the figure's longer
# side. On screen, at 1:1, the floor is 2 px. The limit is the larger of the two.
TINY_SHARE = 0.0025
TINY_PX = 2.0
TINY_PT = 0.6  # the floor itself, for a figure laid out for its printed size (--width 3.5in)
DOMINANT_SHARE = 0.40  # of the figure's extent along the reading axis
DOMINANT_MIN_LAYERS = 3  # with one or two layers a layer is necessarily a large share
# A host whose fill shows what lies under it at no more than 15 % (the weight label's plate,
# 0.85 opaque) hides it: what is under it is a ghost, not a line through the glyphs.
OPAQUE = 0.85

# Classes of deliberately small marks (never "tiny"): the ellipsis dots that stand for elided
# nodes or maps, arrowheads, dropout crosses, activation glyph curves, pyramid pieces (clipped
# slivers of the filter-to-volume pyramids), the plates under weight labels. Paths are lines
# and curves, one-dimensional by intent: a path is never "tiny" either.
SMALL_BY_DESIGN = frozenset({"ellipsis", "arrowhead", "dropout", "activation", "pyramid", "weight-bg"})
# 3D box faces (alexnet): a box is measured as its largest visible face, not face by face (the
# side face of a thin dense box is a sliver by nature).
FACES = frozenset({"front", "back", "left", "right", "top", "bottom"})
_LAYER_ID = re.compile(r"layer-\d+$")
CURVE_STEPS = 16  # straight pieces per flattened curve (error under 0.1 % of its size)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Problem:
    """One defect: its kind (one of ``KINDS``) and a one-line message naming what and where."""

    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


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


def tiny_limit(scene: Scene) -> float:
    """The smallest width of a shape meant to be seen, in drawing units: for a figure laid out
    for a physical size (``--width``), ``TINY_PT`` as printed; otherwise the larger of
    ``TINY_PX`` and ``TINY_SHARE`` of the figure's longer side (its print at column width)."""
    if scene.printed is not None:
        return TINY_PT / PT_PER_PX / scene.printed.scale
    page = scene.page()
    return max(TINY_PX, TINY_SHARE * max(page.width, page.height))


# --- the scene, flattened -----------------------------------------------------------------

@dataclass
class _Item:
    order: int  # painting order
    prim: Primitive
    where: str  # the ids of the groups it is in, outermost first


def _items(scene: Scene) -> list[_Item]:
    out: list[_Item] = []

    def visit(group: Group, where: str) -> None:
        here = "/".join(p for p in (where, group.id or group.cls or "") if p)
        for child in group.children:
            if isinstance(child, Group):
                visit(child, here)
            else:
                out.append(_Item(len(out), child, here))

    for group in scene.groups:
        visit(group, "")
    return out


def _visible(color: str | None) -> bool:
    return color is not None and color.strip().lower() not in ("none", "transparent", "")


def _describe(item: _Item) -> str:
    prim = item.prim
    kind = type(prim).__name__.lower()
    cls = getattr(prim, "cls", None) or getattr(prim, "id", None)
    if cls is not None and item.where.endswith(cls):  # an id that repeats its group's
        cls = None
    return f"{kind} ({item.where}{', ' + cls if cls else ''})"


def _quote(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _at(box: BBox) -> str:
    return f"({box.x0:.0f},{box.y0:.0f})-({box.x1:.0f},{box.y1:.0f})"


# --- geometry against an axis-aligned box -------------------------------------------------

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
    half = path.stroke_width / 2 if _visible(path.stroke) else 0.0
    filled = _visible(path.fill)
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


def _image_points(image: Image) -> list[Point]:
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
        return prim.opacity > 0 and _area_meets(box, _image_points(prim))
    if isinstance(prim, Text):
        return False
    stroked = _visible(prim.stroke) and prim.stroke_width > 0
    half = prim.stroke_width / 2 if stroked else 0.0
    if isinstance(prim, Circle):
        if _visible(prim.fill):
            return _circle_meets(box, prim.cx, prim.cy, prim.r + half, None)
        return stroked and _circle_meets(box, prim.cx, prim.cy, prim.r, half)
    if prim.opacity <= 0:
        return False
    points = _rect_points(prim) if isinstance(prim, Rect) else list(prim.points)
    filled = _visible(prim.fill) and getattr(prim, "fill_opacity", 1.0) > 0
    g = (box[0] - half, box[1] - half, box[2] + half, box[3] + half)
    if stroked and _polyline_meets(g, points, True):
        return True
    return filled and _area_meets(box, points)


def _opacity(prim: Primitive) -> float:
    """How much of what lies under ``prim`` its fill hides (0 when it has no fill)."""
    if isinstance(prim, Text):
        return 0.0
    if isinstance(prim, Image):
        return prim.opacity
    if not _visible(prim.fill):
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
        points = _image_points(prim)
    elif isinstance(prim, Path) and not isinstance(prim.data, (Fan, Stars, CurvedStars, Dots, Polylines)):
        pieces = list(subpaths(prim.data))
        points = pieces[0][0] if len(pieces) == 1 else None
    if points is None or len(points) < 3:
        return False
    return all(_inside(x, y, points) for x, y in corners) and not _polyline_meets(
        (r.x0, r.y0, r.x1, r.y1), points, True)


# --- the checks ---------------------------------------------------------------------------

class _Grid:
    """Text ink boxes by grid cell, to find the texts a shape's box may meet without looking at
    every text for every shape."""

    def __init__(self, boxes: list[tuple[int, BBox]], cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.count = len(boxes)
        for k, box in boxes:
            for key in self._keys(box):
                self.cells.setdefault(key, []).append(k)

    def _keys(self, box: BBox) -> Iterator[tuple[int, int]]:
        c = self.cell
        for gx in range(math.floor(box.x0 / c), math.floor(box.x1 / c) + 1):
            for gy in range(math.floor(box.y0 / c), math.floor(box.y1 / c) + 1):
                yield gx, gy

    def near(self, box: BBox) -> set[int]:
        c = self.cell
        columns = math.floor(box.x1 / c) - math.floor(box.x0 / c) + 1
        span = columns * (math.floor(box.y1 / c) - math.floor(box.y0 / c) + 1)
        if span > 4 * len(self.cells) + 16:  # a huge box: every cell
            return {k for ks in self.cells.values() for k in ks}
        found: set[int] = set()
        for key in self._keys(box):
            found.update(self.cells.get(key, ()))
        return found


def _texts_on_shapes(items: list[_Item], inks: dict[int, BBox]) -> list[Problem]:
    if not inks:
        return []
    by_id = {id(item.prim): item for item in items}
    sizes = sorted(items[k].prim.size for k in inks)  # type: ignore[union-attr]
    grid = _Grid(list(inks.items()), max(8.0, 4 * sizes[len(sizes) // 2]))
    hidden_before: dict[int, int] = {}  # text -> shapes painted before this order are hidden
    for k in inks:
        text = items[k].prim
        assert isinstance(text, Text)
        host = by_id.get(id(text.host)) if text.host is not None else None
        if host is not None and _opacity(host.prim) >= OPAQUE and covers(host.prim, inks[k]):
            hidden_before[k] = host.order
    hits: dict[int, list[str]] = {}  # text -> the shapes it is on, in painting order
    for item in items:
        prim = item.prim
        if isinstance(prim, Text):
            continue
        box = prim.bbox()
        for k in sorted(grid.near(box)):
            text = items[k].prim
            assert isinstance(text, Text)
            ink = inks[k]
            if text.host is prim or not box.overlaps(ink) or item.order < hidden_before.get(k, -1):
                continue
            if meets(ink, prim):
                hits.setdefault(k, []).append(_describe(item))
    problems = []
    for k in sorted(hits):
        text = items[k].prim
        assert isinstance(text, Text)
        shapes = list(dict.fromkeys(hits[k]))
        named = ", ".join(f"{s} ×{hits[k].count(s)}" if hits[k].count(s) > 1 else s for s in shapes)
        problems.append(Problem("text-on-shape", f"{_quote(text.text)} ({items[k].where}) at {_at(inks[k])} "
                                                 f"is on {named}"))
    return problems


def _texts_on_texts(items: list[_Item], inks: dict[int, BBox]) -> list[Problem]:
    order = sorted(inks, key=lambda k: inks[k].x0)
    problems = []
    for n, a in enumerate(order):
        ba = inks[a]
        for b in order[n + 1:]:
            bb = inks[b]
            if bb.x0 >= ba.x1:
                break
            if bb.y0 < ba.y1 and ba.y0 < bb.y1:
                ta, tb = items[a].prim, items[b].prim
                assert isinstance(ta, Text) and isinstance(tb, Text)
                problems.append(Problem("text-on-text", f"{_quote(ta.text)} ({items[a].where}) at {_at(ba)} "
                                                        f"overlaps {_quote(tb.text)} ({items[b].where})"))
    return problems


def _clipped(scene: Scene, items: list[_Item], inks: dict[int, BBox]) -> list[Problem]:
    page = scene.page()
    problems = []
    for k, ink in inks.items():
        if not page.contains(ink.grow(INK_TOLERANCE * items[k].prim.size)):  # type: ignore[union-attr]
            text = items[k].prim
            assert isinstance(text, Text)
            problems.append(Problem("clipped", f"{_quote(text.text)} ({items[k].where}) at {_at(ink)} "
                                               f"is cut by the page {_at(page)}"))
    return problems


def min_width(points: list[Point] | tuple[Point, ...]) -> float:
    """The smallest width of a convex polygon: over its edges, the largest distance of a point
    from the edge's line (a rectangle's shorter side, a parallelogram's thickness)."""
    n = len(points)
    if n < 3:
        return 0.0
    best = math.inf
    for k in range(n):
        (ax, ay), (bx, by) = points[k], points[(k + 1) % n]
        length = math.hypot(bx - ax, by - ay)
        if length == 0:
            continue
        reach = max(abs((bx - ax) * (py - ay) - (by - ay) * (px - ax)) / length for px, py in points)
        best = min(best, reach)
    return 0.0 if best is math.inf else best


def tiny(scene: Scene) -> list[tuple[str, int, float]]:
    """Shapes meant to be seen whose smallest width is under ``tiny_limit``: (what, how many,
    the smallest width in drawing units) per kind of shape in a group."""
    return [(name, len(sizes), min(s for s, _ in sizes)) for name, sizes in _tiny_shapes(scene, _items(scene)).items()]


def _tiny_shapes(scene: Scene, items: list[_Item]) -> dict[str, list[tuple[float, BBox]]]:
    limit = tiny_limit(scene)
    found: dict[str, list[tuple[float, BBox]]] = {}  # description -> (size, box) of each
    boxes: dict[tuple[str, str], tuple[float, _Item]] = {}  # (group, kind) -> largest face's width
    for item in items:
        prim = item.prim
        if isinstance(prim, (Text, Path)):
            continue
        words = set((prim.cls or "").split())
        if words & SMALL_BY_DESIGN:
            continue
        if isinstance(prim, Circle):
            size = 2 * prim.r
        elif isinstance(prim, Rect):
            size = min(prim.width, prim.height)
        elif isinstance(prim, Image):
            size = min_width(_image_points(prim))
        else:
            size = min_width(prim.points)
            if words & FACES:
                key = (item.where, " ".join(sorted(words - FACES)))
                if key not in boxes or boxes[key][0] < size:
                    boxes[key] = (size, item)
                continue
        seen = isinstance(prim, Image) or _visible(prim.fill) or _visible(prim.stroke)
        if seen and size < limit:
            found.setdefault(_describe(item), []).append((size, prim.bbox()))
    for (where, kind), (size, item) in boxes.items():
        if size < limit:
            found.setdefault(f"{kind} box ({where})", []).append((size, item.prim.bbox()))
    return found


def _tiny(scene: Scene, items: list[_Item]) -> list[Problem]:
    """Shapes meant to be seen whose smallest width is under the limit; one problem per kind of
    shape in a group (a stack of 96 tiny maps is one problem, with its count)."""
    limit, page = tiny_limit(scene), scene.page()
    problems = []
    for name, sizes in _tiny_shapes(scene, items).items():
        size, box = min(sizes, key=lambda s: s[0])
        count = f"{len(sizes)} × " if len(sizes) > 1 else ""
        if scene.printed is not None:
            pt = PT_PER_PX * scene.printed.scale
            limit_text = f"prints {size * pt:.2g} pt across (at least {TINY_PT:g} pt)"
        else:
            limit_text = (f"is {size:.2g} px across (at least {limit:.2g} in a "
                          f"{page.width:.0f}x{page.height:.0f} px figure)")
        problems.append(Problem("tiny", f"{count}{name} at {_at(box)} {limit_text}"))
    return problems


def _layers(group: Group) -> Iterator[Group]:
    if group.id is not None and _LAYER_ID.match(group.id):
        yield group
        return
    for child in group.children:
        if isinstance(child, Group):
            yield from _layers(child)


def _body(prim: Primitive) -> bool:
    """Whether ``prim`` is part of a layer's body (what the size budget measures): not its text,
    not the lines and arrows that join it to its neighbours (alexnet keeps the arrow and pyramid
    piece that arrive at a layer in that layer's group), not its small marks."""
    if isinstance(prim, (Text, Path)):
        return False
    return not set((prim.cls or "").split()) & SMALL_BY_DESIGN


def _dominant(scene: Scene) -> list[Problem]:
    """Layers whose body spans more than ``DOMINANT_SHARE`` of the figure along ``scene.flow``."""
    layers = [layer for group in scene.groups for layer in _layers(group)]
    if len(layers) < DOMINANT_MIN_LAYERS:
        return []
    axis = getattr(scene, "flow", "x")
    figure = scene.bbox()
    total = figure.width if axis == "x" else figure.height
    problems = []
    for layer in layers:
        boxes = [p.bbox() for p in layer.walk() if _body(p)] or [p.bbox() for p in layer.walk()
                                                                  if not isinstance(p, Text)]
        if not boxes or total <= 0:
            continue
        lo = min(b.x0 if axis == "x" else b.y0 for b in boxes)
        hi = max(b.x1 if axis == "x" else b.y1 for b in boxes)
        if hi - lo > DOMINANT_SHARE * total:
            problems.append(Problem("dominant", f"{layer.id} spans {hi - lo:.0f} of the figure's {total:.0f} px "
                                                f"along {axis} ({(hi - lo) / total:.0%}, at most "
                                                f"{DOMINANT_SHARE:.0%})"))
    return problems


def check(scene: Scene) -> list[Problem]:
    """Every quality problem of the scene, in a fixed order: by kind, then as found."""
    items = _items(scene)
    inks = {k: box for k, item in enumerate(items) if isinstance(item.prim, Text)
            for box in [ink_box(item.prim)] if box is not None}
    return [*_texts_on_shapes(items, inks), *_texts_on_texts(items, inks), *_clipped(scene, items, inks),
            *_tiny(scene, items), *_dominant(scene)]
