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
the line box (ascent + descent) to the ink: see ``layout.hits.ink_box`` (the hit geometry the
check shares with the layouts).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .geometry import BBox, Point
from .layout.hits import INK_TOLERANCE, covers, image_points, ink_box, meets, opacity, visible
from .scene import (
    Circle,
    Group,
    Image,
    Path,
    Primitive,
    Rect,
    Scene,
    Text,
)
from .units import PT_PER_PX

KINDS = ("text-on-shape", "text-on-text", "clipped", "tiny", "dominant")

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


@dataclass(frozen=True)
class Problem:
    """One defect: its kind (one of ``KINDS``) and a one-line message naming what and where."""

    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


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
        if host is not None and opacity(host.prim) >= OPAQUE and covers(host.prim, inks[k]):
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
            size = min_width(image_points(prim))
        else:
            size = min_width(prim.points)
            if words & FACES:
                key = (item.where, " ".join(sorted(words - FACES)))
                if key not in boxes or boxes[key][0] < size:
                    boxes[key] = (size, item)
                continue
        seen = isinstance(prim, Image) or visible(prim.fill) or visible(prim.stroke)
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
