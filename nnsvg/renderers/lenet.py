"""LeNet: stacks of 2D feature maps, then dense layers as parallelograms (NN-SVG's LeNet).

Layers run left to right, each centred on y = 0. A stack's maps step down and right by the
map offset; a filter window sits on the front map with two lines to the matching point on the
next layer; dense layers are 45° parallelograms joined corner to corner.

Size budget: the ``auto`` sizes (the defaults) draw small networks exactly as NN-SVG does and
compress the sides of big maps and the lengths of long dense layers, so that one 224×224 input
or one 4096-wide layer cannot swallow the figure; ``fit`` then shrinks a figure still wider
than a page (the diagonal map step first, then the layers; text keeps its size). What the
user's own options leave over budget is reported as a note that names the option to change.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import SpecError
from ..geometry import BBox, Point, text_box, text_width, union_all
from ..layout import legend, skips
from ..layout.decorate import Captioned, Placement, decorate
from ..layout.labels import Near, alternate, captions_above, key_lines
from ..layout.skips import Plan
from ..scene import Dots, Group, LineTo, MoveTo, Path, Polygon, Rect, Scene, Segments, Text
from ..spec.lenet import DenseLayer, LenetSpec, MapLayer, Step, caption, steps
from ..theme import Theme
from .lenet_sizes import DENSE_DEPTH, Factors, Stack, budget_notes, drawn_slots, extents, fitted

MAX_DRAWN_MAPS = 100_000  # refuse drawings with more map rectangles than this
MIN_WINDOW = 4.0  # px: the smallest filter window side (a 2x2 pooling window on a log-scaled map)
WINDOW_STROKES = 3.0  # and at least this many of its outlines across
WINDOW_SHARE = 0.003  # and at least this share of the figure's longer side (0.75 pt at column width)
CAPTION_SPACE = 0.6  # text sizes between a caption and the one two layers on (captions_above wants 0.5)
OP_SPACE = 1.1  # text sizes between an op label and the one two labels on (op_labels wants 1)


@dataclass
class Placed:
    """A layer's place on the page: its left edge, extent, drawn shapes and (for maps) the
    front map."""

    index: int
    left: float
    right: float
    box: BBox
    front: BBox | None = None  # the front map square
    corners: tuple[Point, Point, Point, Point] | None = None  # dense: TL, TR, BR, BL
    maps: list[BBox] = field(default_factory=list)

    def floor(self, x0: float, x1: float) -> float | None:
        """The lowest y this layer's shapes reach between x0 and x1 (None: none there)."""
        if self.corners is not None:
            (x, top), _, (xr, bottom), _ = self.corners
            if x1 < x or x0 > xr:
                return None
            return top + min(bottom - top, min(x1, xr) - x)  # the lower-left edge runs at 45°
        lows = [m.y1 for m in self.maps if m.x0 <= x1 and x0 <= m.x1]
        return max(lows) if lows else None


def map_group(layer: MapLayer, stack: Stack, index: int, x: float, theme: Theme) -> tuple[Group, Placed]:
    w, h = stack.w, stack.h
    top = -(h + stack.run) / 2
    style = theme.map
    group = Group(f"layer-{index}", "layer")
    maps = []
    for k, d in enumerate(stack.offsets):
        fill = layer.fill or (style.fill if k % 2 == 0 else style.fill_alt)
        group.add(Rect(x + d, top + d, w, h, fill, style.stroke, style.stroke_width, style.opacity, "map"))
        maps.append(BBox(x + d, top + d, x + d + w, top + d + h))
    if stack.dots:  # in the notch of the staircase where the left-out maps' corners would be
        out = stack.dot_r * 0.7
        dots = [(x + w + d + out, top + d - out) for d in stack.dots]
        group.add(Path(Dots(tuple(dots), stack.dot_r), BBox.around(dots, stack.dot_r),
                       fill=theme.text.ellipsis, cls="ellipsis"))
    right = x + w + stack.run
    box = BBox(x, top, right, top + h + stack.run)
    return group, Placed(index, x, right, box, front=maps[-1], maps=maps)


def dense_group(layer: DenseLayer, length: float, index: int, x: float,
                theme: Theme, depth: float = DENSE_DEPTH) -> tuple[Group, Placed]:
    top = -length / 2
    corners = ((x, top), (x + depth, top), (x + depth + length, top + length),
               (x + length, top + length))
    style = theme.dense
    group = Group(f"layer-{index}", "layer")
    group.add(Polygon(corners, layer.fill or style.fill, style.stroke, style.stroke_width,
                      style.opacity, "dense"))
    right = x + depth + length
    return group, Placed(index, x, right, BBox(x, top, right, top + length), corners=corners)


def _line(a: Point, b: Point) -> Segments:
    return MoveTo(*a), LineTo(*b)


def window_and_lines(window: tuple[int, int], layer: MapLayer, here: Placed, there: Placed,
                     spec: LenetSpec, theme: Theme, rng: random.Random,
                     smallest: float = MIN_WINDOW) -> tuple[Rect, Segments, Point]:
    """The filter window on this layer's front map (never smaller than ``smallest``, so a 2×2
    pooling window on a compressed map stays a square, not a dot) and the two lines to the
    next layer."""
    front = here.front
    assert front is not None
    ww = min(front.width, max(smallest, front.width * window[1] / layer.width))
    wh = min(front.height, max(smallest, front.height * window[0] / layer.height))
    if spec.filter_position == "center":
        u = v = 0.5
    else:
        u, v = 0.1 + 0.8 * rng.random(), 0.1 + 0.8 * rng.random()
    wx = front.x0 + (front.width - ww) * u
    wy = front.y0 + (front.height - wh) * v
    rect = Rect(wx, wy, ww, wh, theme.window.fill, theme.window.stroke, theme.window.stroke_width,
                cls="window")
    if there.front is not None:  # the matching point on the next front map
        rel_x = (wx + ww / 2 - front.x0) / front.width
        rel_y = (wy + wh / 2 - front.y0) / front.height
        target = (there.front.x0 + rel_x * there.front.width, there.front.y0 + rel_y * there.front.height)
    else:  # a dense layer: the middle of its left edge
        (x0, y0), _, _, (x3, y3) = there.corners  # type: ignore[misc]
        target = ((x0 + x3) / 2, (y0 + y3) / 2)
    data = _line((wx + ww, wy), target) + _line((wx + ww, wy + wh), target)
    return rect, data, target


def render(spec: LenetSpec, theme: Theme) -> Scene:
    drawn = sum(sum(drawn_slots(layer.maps, spec.max_maps)) for layer in spec.layers
                if isinstance(layer, MapLayer))
    if drawn > MAX_DRAWN_MAPS:
        raise SpecError(f"this drawing has {drawn:,} feature maps; draw fewer with --max-maps "
                        f"(at most {MAX_DRAWN_MAPS:,} are drawn)")
    factors = fitted(spec, theme)
    all_steps = steps(spec)
    groups, placed = place(spec, theme, factors, all_steps)
    links = links_between(spec, theme, groups, placed, all_steps)
    scene = Scene("lenet", theme.background, theme.margin,
                  title="lenet " + " ".join(layer.token for layer in spec.layers))
    legend_entries(spec, groups, scene)
    scene.notes.extend(budget_notes(spec, factors, scene))
    seen = skips.Obstacles()
    seen.boxes += [m for p in placed for m in (p.maps or [p.box])]
    seen.segments += links.segments + links.dense
    placement = Placement(tuple(port(p) for p in placed), tuple(p.box for p in placed), seen)

    def caption(arcs: Plan) -> Captioned:
        straight = arcs.straight_segments(placement.ports)
        if spec.labels:
            add_captions(spec, theme, groups, placed, links.dense + straight, arcs.walls)
        scene.groups.extend(groups)
        scene.groups.extend(links.groups)
        lines = links.segments + links.dense + straight
        ops = op_labels(spec, theme, placed, all_steps, lines) if spec.labels else []
        scene.groups.extend(ops)
        key = key_of(spec, theme, [*groups, *ops])
        if key is not None:
            scene.groups.append(key)
        gaps = [(i, t.box) for g in ops for i, t in zip(
            [k for k, s in enumerate(all_steps) if s.op], g.children) if isinstance(t, Text)]
        return Captioned(tuple(g.bbox() for g in groups), tuple(gaps))

    decorate(scene, spec.graph(), placement, theme, caption)
    return scene


def place(spec: LenetSpec, theme: Theme, factors: Factors, all_steps: list[Step]) -> tuple[list[Group], list[Placed]]:
    """Each layer's group and place, left to right: after the gap before it, and far enough
    right for the labels (``Room``)."""
    gaps = [gap * factors.size for gap in spec.gap_list()]
    room = Room(spec, theme, all_steps)
    groups: list[Group] = []
    placed: list[Placed] = []
    x = 0.0
    for i, (layer, extent) in enumerate(zip(spec.layers, extents(spec, factors))):
        if i > 0 and gaps[i - 1] >= 0:  # layers the user overlaps keep their place
            x = room.left(i, placed, x)
        if isinstance(layer, MapLayer):
            assert isinstance(extent, Stack)
            group, where = map_group(layer, extent, i, x, theme)
        else:
            assert isinstance(extent, float)
            group, where = dense_group(layer, extent, i, x, theme, factors.depth)
        groups.append(group)
        placed.append(where)
        if i < len(gaps):
            x = where.right + gaps[i]
    return groups, placed


@dataclass
class Links:
    """The lines between layers: their groups, the corner-to-corner lines into dense layers
    (the captions keep clear of these) and every line (for the op labels)."""

    groups: list[Group] = field(default_factory=list)
    dense: list[tuple[Point, Point]] = field(default_factory=list)
    segments: list[tuple[Point, Point]] = field(default_factory=list)


def links_between(spec: LenetSpec, theme: Theme, groups: list[Group], placed: list[Placed],
                  all_steps: list[Step]) -> Links:
    """A filter window on a layer (added to its group) with its lines to the next layer, and
    the lines into a dense layer, corner to corner as NN-SVG."""
    rng = random.Random(spec.seed)
    link = theme.link
    extent = max(max(p.right for p in placed) - min(p.left for p in placed),
                 max(p.box.y1 for p in placed) - min(p.box.y0 for p in placed))
    # at a printed width a unit may print far under a px: the window stays a few outlines across
    smallest = max(MIN_WINDOW, WINDOW_SHARE * extent, WINDOW_STROKES * theme.window.stroke_width)
    out = Links()
    for i, step in enumerate(all_steps):
        a, b = placed[i], placed[i + 1]
        data: Segments = ()
        points: list[Point] = []
        layer = spec.layers[i]
        if step.window is not None and isinstance(layer, MapLayer):
            rect, data, target = window_and_lines(step.window, layer, a, b, spec, theme, rng, smallest)
            groups[i].add(rect)
            corners = [(rect.x + rect.width, rect.y), (rect.x + rect.width, rect.y + rect.height)]
            points += [*corners, target]
            out.segments += [(c, target) for c in corners]
        if b.corners is not None:
            starts, ends = _dense_ends(a, b.corners)
            data += _line(starts[0], ends[0]) + _line(starts[1], ends[1])
            out.dense += [(starts[0], ends[0]), (starts[1], ends[1])]
            points += [*starts, *ends]
        if data:
            out.groups.append(Group(f"links-{i}-{i + 1}", "links", [Path(
                data, BBox.around(points), stroke=link.color, stroke_width=link.width,
                opacity=link.opacity, linecap="round")]))
    return out


Pair = tuple[Point, Point]


def _dense_ends(a: Placed, corners: tuple[Point, Point, Point, Point]) -> tuple[Pair, Pair]:
    """The two lines' ends into a dense layer (its ``corners``): from layer ``a``'s right
    corners (a dense layer's, or the back map's top-right and the front map's bottom-right)."""
    if a.corners is not None:
        starts = (a.corners[1], a.corners[2])
    else:
        assert a.front is not None
        starts = ((a.box.x0 + a.front.width, a.box.y0), (a.front.x1, a.front.y1))
    return starts, (corners[0], corners[3])


def legend_entries(spec: LenetSpec, groups: list[Group], scene: Scene) -> None:
    """The legend's entries for what the layer groups draw: feature maps (both alternating
    fills when a stack shows both), dense layers, filter windows; a layer with its own fill
    gets an entry of its own, named by its caption (key ``layer-N``)."""
    maps: list[Rect] = []
    for i, (layer, group) in enumerate(zip(spec.layers, groups)):
        shapes = [c for c in group.children if isinstance(c, Rect | Polygon)]
        body = [c for c in shapes if c.cls in ("map", "dense")]
        if layer.fill is not None and body:
            legend.add(scene, f"layer-{i}", legend.like(body[0], "stack" if isinstance(layer, MapLayer) else "slab"),
                       caption(layer))
        elif isinstance(layer, MapLayer):
            maps.extend(c for c in body if isinstance(c, Rect))
        elif body:
            legend.add(scene, "dense", legend.like(body[0], "slab"))
        for window in (c for c in shapes if c.cls == "window"):
            legend.add(scene, "window", legend.like(window, "square"))
    if maps:
        fills = list(dict.fromkeys(m.fill for m in maps))
        swatch = legend.like(maps[0], "stack" if len(fills) > 1 else "box", alt=fills[-1])
        legend.add(scene, "map", swatch)
    scene.legend.sort(key=lambda e: ["map", "dense", "window"].index(e.key) if e.key in ("map", "dense", "window")
                      else 3)


class Room:
    """Horizontal room for the labels: a layer starts far enough right that its caption is
    clear of the caption two layers back, and its op label (centred on the gap before it) of
    the op label two back. Neighbours may still overlap; they alternate between two rows (a
    lower and an upper one), so labels never stack three deep, however big the text is next to
    the drawing (a figure laid out for a printed width). Where labels are short next to the
    layers (the usual figure at its own size) nothing moves."""

    def __init__(self, spec: LenetSpec, theme: Theme, all_steps: list[Step]) -> None:
        self.size, self.family = theme.text.size, theme.text.family
        self.on = spec.labels and spec.label_room
        self.captions = captions_of(spec)
        self.ops = {i: text_width(s.op, self.size, self.family) for i, s in enumerate(all_steps) if s.op}
        self.previous: dict[int, int] = {}  # an op's gap -> the gap of the op two labels back
        chosen = sorted(self.ops)
        for k in range(2, len(chosen)):
            self.previous[chosen[k]] = chosen[k - 2]

    def left(self, i: int, placed: list[Placed], x: float) -> float:
        """The left edge of layer ``i`` (layers before it placed), at least ``x``."""
        if not self.on:
            return x
        if i >= 2:
            back = text_box(self.captions[i - 2], placed[i - 2].left, 0.0, self.size, self.family)
            x = max(x, back.x1 + CAPTION_SPACE * self.size)
        gap = i - 1
        if gap in self.previous:
            j = self.previous[gap]
            center = (placed[j].right + placed[j + 1].left) / 2
            need = center + (self.ops[gap] + self.ops[j]) / 2 + OP_SPACE * self.size
            x = max(x, 2 * need - placed[gap].right)
        return x


def port(p: Placed) -> skips.Port:
    """A layer as the skip arcs see it: legs land on the right half of a stack's staircase of
    top edges (its caption starts at the left), or on a dense layer's top edge and the upper
    part of its slope."""
    if p.corners is not None:
        (x, top), (xr, _), _, _ = p.corners

        def slope(at: float) -> float:
            return top + max(0.0, at - xr)

        depth = xr - x
        return skips.Port(x + 1, xr + (p.right - xr) * 0.4, slope, p.left, (top, top + depth),
                          p.right, (p.box.y1 - depth, p.box.y1))
    maps = p.maps

    def staircase(at: float) -> float:
        return min((m.y0 for m in maps if m.x0 <= at <= m.x1), default=p.box.y0)

    back, front = maps[0], maps[-1]
    return skips.Port(p.left + (p.right - p.left) * 0.5, p.right - 1, staircase, p.left, (back.y0, back.y1),
                      p.right, (front.y0, front.y1))


def captions_of(spec: LenetSpec) -> list[str]:
    """The captions drawn over the layers: each one's (``caption``), or with ``captions: key``
    its number (the key under the drawing says what it is: ``key_of``)."""
    if spec.captions == "key":
        return [str(i + 1) for i in range(len(spec.layers))]
    return [caption(layer, spec.captions == "short") for layer in spec.layers]


def key_of(spec: LenetSpec, theme: Theme, groups: Sequence[Group]) -> Group | None:
    """With ``captions: key``, the key under everything drawn so far: "1 3@224²", "2 64@224²", …
    in lines as wide as the drawing."""
    if spec.captions != "key" or not spec.labels:
        return None
    box = union_all([b for b in (g.bbox() for g in groups) if b is not None])
    assert box is not None
    entries = [f"{i + 1}: {caption(layer, True)}" for i, layer in enumerate(spec.layers)]
    return Group("key", "key", list(key_lines(entries, box.x0, box.y1 + theme.text.size * 0.8, box.width, theme)))



def add_captions(spec: LenetSpec, theme: Theme, groups: list[Group], placed: list[Placed],
                 segments: list[tuple[Point, Point]], walls: Sequence[tuple[float, float, float]] = ()) -> None:
    """Each layer's caption above its top-left corner, clear of other layers and of the lines
    into dense layers. Where a line rises from the layer's top-right (the link from a small
    stack into a taller dense layer), the caption may instead end at the back map's (or the
    parallelogram's top edge's) right end, or sit centred on it: whichever keeps it closest."""
    texts = captions_of(spec)
    above = max(theme.map.stroke_width, theme.dense.stroke_width) / 2 + 0.5  # clear of the outline
    anchors = [(p.left, p.box.y0 - above) for p in placed]
    size, family = theme.text.size, theme.text.family
    boxes, lines = [], list(segments)
    alternatives: list[tuple[float, ...]] = []
    for text, p in zip(texts, placed):
        top_edge = p.front.width if p.front is not None else \
            p.corners[1][0] - p.corners[0][0] if p.corners is not None else DENSE_DEPTH
        end = p.left + top_edge - size * 0.3  # a line may rise from the top edge's right end
        width = text_width(text, size, family)
        alternatives.append((end - width, p.left + (top_edge - width) / 2))
        box, edges = outline(p, size * 0.5)
        boxes.append(box)
        lines += edges
    order = alternate([text_box(t, x, y, size, family) for t, (x, y) in zip(texts, anchors)], size * 0.5) \
        if spec.label_room else None
    if order is not None:  # two rows: a caption keeps its own layer's corner (a shifted one
        alternatives = [() for _ in texts]  # could meet the caption two layers on)
    for group, placed_text in zip(groups, captions_above(texts, anchors, boxes, theme, lines=lines,
                                                         alternatives=alternatives, order=order,
                                                         walls=walls)):
        group.add(placed_text)


def outline(p: Placed, below: float) -> tuple[BBox, list[tuple[Point, Point]]]:
    """A layer's shape as the captions see it: the box of its top (the back map, the top edge
    of a parallelogram) and the edges that fall from it to the lower right, from ``below`` px
    under its top on (so they never lift the layer's own caption). A diagonal stack or a 45°
    parallelogram leaves most of its bounding box empty; a neighbour's caption may use that."""
    if p.corners is not None:
        tl, tr, br, bl = p.corners
        return BBox(tl[0], tl[1], tr[0], tl[1]), [((tl[0] + below, tl[1] + below), bl),
                                                   ((tr[0] + below, tr[1] + below), br)]
    back, front = p.maps[0], p.maps[-1]
    if front.y0 - back.y0 < below:
        return p.box, []
    return back, [((back.x1 + below, back.y0 + below), (front.x1, front.y0)),
                  ((back.x0 + below, back.y1 + below), (front.x0, front.y1))]


def _segment_floor(segment: tuple[Point, Point], x0: float, x1: float) -> float | None:
    """The lowest y of a line segment between x0 and x1 (None: it is not there)."""
    (ax, ay), (bx, by) = segment
    lo, hi = max(min(ax, bx), x0), min(max(ax, bx), x1)
    if lo > hi:
        return None
    if ax == bx:
        return max(ay, by)
    return max(ay + (by - ay) * (x - ax) / (bx - ax) for x in (lo, hi))


def rows(tops: list[float], within: float) -> list[float]:
    """Each top moved down to the lowest of its cluster: tops that follow each other (sorted)
    by at most ``within`` are one cluster, so labels share a row unless a big layer parts them."""
    order = sorted(range(len(tops)), key=lambda k: tops[k])
    out = list(tops)
    cluster: list[int] = []
    for k in [*order, -1]:
        if cluster and (k < 0 or tops[k] - tops[cluster[-1]] > within):
            for m in cluster:
                out[m] = tops[cluster[-1]]
            cluster = []
        cluster.append(k)
    return out


def op_labels(spec: LenetSpec, theme: Theme, placed: list[Placed], all_steps: list[Step],
              segments: list[tuple[Point, Point]]) -> list[Group]:
    """The op labels, centred on their gaps, each just below whatever is drawn above it (the
    stacks, parallelograms and lines in its own x-range, not the lowest point of the figure).
    Labels whose places are within three lines (or half the tallest stack) of each other share
    one row (NN-SVG's single row, where the figure allows it); a label that would touch
    another drops a line."""
    chosen = [(i, s.op) for i, s in enumerate(all_steps) if s.op]
    if not chosen:
        return []
    size, family = theme.text.size, theme.text.family
    probe = text_box("Hg", 0.0, 0.0, size, family)
    pad, space = size * 0.5, size * 0.6
    layers = Near(placed, lambda p: (p.box.x0, p.box.x1))  # only what shares a label's x-range
    lines = Near(segments, lambda s: (min(s[0][0], s[1][0]), max(s[0][0], s[1][0])))
    lowest = max(p.box.y1 for p in placed)
    tops = []
    spans = []
    for i, op in chosen:
        center = (placed[i].right + placed[i + 1].left) / 2
        half = text_width(op, size, family) / 2
        x0, x1 = center - half - space / 2, center + half + space / 2
        floors = [f for f in (p.floor(x0, x1) for p in layers.meeting(x0, x1)) if f is not None]
        floors += [f for f in (_segment_floor(s, x0, x1) for s in lines.meeting(x0, x1)) if f is not None]
        tops.append((max(floors) if floors else lowest) + pad)
        spans.append(center)
    tallest = max((p.box.height for p in placed if p.corners is None), default=0.0)
    tops = rows(tops, max(3 * size, tallest / 2))
    texts: dict[int, Text] = {}
    near: Near = Near([], lambda t: (t.box.x0, t.box.x1))
    boxes = [text_box(op, center, 0.0, size, family, "middle") for (_, op), center in zip(chosen, spans)]
    # neighbours closer than a text size read as one label (Dense Dense): they alternate too
    order = alternate(boxes, size) if spec.label_room else None
    apart = size if order is not None else space / 2  # across: as alternate() judged "meet"
    for k in order or range(len(chosen)):
        (_, op), center, top = chosen[k], spans[k], tops[k]
        baseline = top - probe.y0
        box = text_box(op, center, baseline, size, family, "middle")
        others = near.meeting(box.x0 - max(space, apart), box.x1 + max(space, apart))
        for _ in range(len(others) + 1):  # below every label it would touch (a word space apart)
            hit = [t.box.y1 for t in others if box.x0 < t.box.x1 + apart and t.box.x0 < box.x1 + apart
                   and box.y0 < t.box.y1 + space / 2 and t.box.y0 < box.y1 + space / 2]
            if not hit:
                break
            baseline += max(hit) - box.y0 + size * 0.15
            box = text_box(op, center, baseline, size, family, "middle")
        text = Text(center, baseline, op, size, family, theme.text.color, "middle", box, "op")
        texts[k] = text
        near.add(text)
    return [Group("ops", "ops", [texts[k] for k in range(len(chosen))])]
