"""LeNet: stacks of 2D feature maps, then dense layers as parallelograms (NN-SVG's LeNet).

Layers run left to right, each centred on y = 0. A stack's maps step down and right by the
map offset; a filter window sits on the front map with two lines to the matching point on the
next layer; dense layers are 45° parallelograms joined corner to corner.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from ..errors import SpecError
from ..geometry import BBox, Point
from ..scene import Dots, Group, LineTo, MoveTo, Path, Polygon, Rect, Scene, Segments
from ..spec.lenet import DenseLayer, LenetSpec, MapLayer, Step, steps
from ..theme import Theme
from .labels import captions_above, row_of_captions

DENSE_DEPTH = 10.0  # NN-SVG's thickness of a dense parallelogram
MAX_DRAWN_MAPS = 100_000  # refuse drawings with more map rectangles than this


@dataclass
class Placed:
    """A layer's place on the page: its left edge, extent and (for maps) the front map."""

    index: int
    left: float
    right: float
    box: BBox
    front: BBox | None = None  # the front map square
    corners: tuple[Point, Point, Point, Point] | None = None  # dense: TL, TR, BR, BL


def side(units: int, spec: LenetSpec) -> float:
    if spec.map_size == "log":
        return 12.0 * spec.map_scale * math.log2(1 + units)
    return units * spec.map_scale


def dense_length(size: int, spec: LenetSpec) -> float:
    if spec.dense_size == "sqrt":
        return math.sqrt(size) * spec.dense_scale / 10
    return size * spec.dense_scale / 100


def drawn_slots(maps: int, max_maps: int) -> tuple[int, int]:
    """(maps drawn at the back, maps drawn at the front); front = 0 means all are drawn.
    A deeper stack keeps its back and front maps around a three-slot diagonal ellipsis, so
    it is never longer than ``max_maps`` slots."""
    back = max(1, (max_maps - 3) // 2)
    front = max(1, max_maps - 3 - back)
    if max_maps == 0 or maps <= max_maps or back + front >= maps:  # an ellipsis must stand for a map
        return maps, 0
    return back, front


def map_offset(spec: LenetSpec, w: float, h: float) -> float:
    """The diagonal step: the spec's, but never more than 60 % of a small map, so a stack of
    tiny maps still reads as a stack rather than a dotted line (an NN-SVG weakness)."""
    return min(spec.map_offset, max(1.5, 0.6 * min(w, h)))


def map_group(layer: MapLayer, index: int, x: float, spec: LenetSpec,
              theme: Theme) -> tuple[Group, Placed]:
    w, h = side(layer.width, spec), side(layer.height, spec)
    back, front = drawn_slots(layer.maps, spec.max_maps)
    slots = back + (front + 3 if front else 0)
    step = map_offset(spec, w, h)
    top = -(h + (slots - 1) * step) / 2
    style = theme.map
    group = Group(f"layer-{index}", "layer")
    positions = list(range(back)) + list(range(back + 3, slots)) if front else list(range(back))
    for k, j in enumerate(positions):
        fill = layer.fill or (style.fill if k % 2 == 0 else style.fill_alt)
        group.add(Rect(x + j * step, top + j * step, w, h, fill, style.stroke, style.stroke_width,
                       style.opacity, "map"))
    if front:
        r = max(0.7, min(2.0, step * 0.22))
        dots = [(x + j * step + w + step * 0.5, top + j * step - step * 0.5)
                for j in (back, back + 1, back + 2)]
        group.add(Path(Dots(tuple(dots), r), BBox.around(dots, r), fill=theme.text.ellipsis, cls="ellipsis"))
    last = slots - 1
    front_box = BBox(x + last * step, top + last * step, x + last * step + w, top + last * step + h)
    right = x + w + last * step
    box = BBox(x, top, right, top + h + last * step)
    return group, Placed(index, x, right, box, front=front_box)


def dense_group(layer: DenseLayer, index: int, x: float, spec: LenetSpec,
                theme: Theme) -> tuple[Group, Placed]:
    length = dense_length(layer.size, spec)
    top = -length / 2
    corners = ((x, top), (x + DENSE_DEPTH, top), (x + DENSE_DEPTH + length, top + length),
               (x + length, top + length))
    style = theme.dense
    group = Group(f"layer-{index}", "layer")
    group.add(Polygon(corners, layer.fill or style.fill, style.stroke, style.stroke_width,
                      style.opacity, "dense"))
    right = x + DENSE_DEPTH + length
    return group, Placed(index, x, right, BBox(x, top, right, top + length), corners=corners)


def _line(a: Point, b: Point) -> Segments:
    return MoveTo(*a), LineTo(*b)


def window_and_lines(window: tuple[int, int], layer: MapLayer, here: Placed, there: Placed,
                     spec: LenetSpec, theme: Theme, rng: random.Random) -> tuple[Rect, Segments, Point]:
    """The filter window on this layer's front map and the two lines to the next layer."""
    front = here.front
    assert front is not None
    ww = front.width * window[1] / layer.width
    wh = front.height * window[0] / layer.height
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
    gaps = spec.gap_list()
    groups: list[Group] = []
    placed: list[Placed] = []
    x = 0.0
    for i, layer in enumerate(spec.layers):
        build = map_group if isinstance(layer, MapLayer) else dense_group
        group, where = build(layer, i, x, spec, theme)  # type: ignore[arg-type]
        groups.append(group)
        placed.append(where)
        if i < len(gaps):
            x = where.right + gaps[i]

    rng = random.Random(spec.seed)
    link = theme.link
    links: list[Group] = []
    segments: list[tuple[Point, Point]] = []
    all_steps = steps(spec)
    for i, step in enumerate(all_steps):
        a, b = placed[i], placed[i + 1]
        data: Segments = ()
        points: list[Point] = []
        layer = spec.layers[i]
        if step.window is not None and isinstance(layer, MapLayer):
            rect, data, target = window_and_lines(step.window, layer, a, b, spec, theme, rng)
            groups[i].add(rect)
            points += [(rect.x + rect.width, rect.y), (rect.x + rect.width, rect.y + rect.height), target]
        if b.corners is not None:  # joins into a dense layer, corner to corner as NN-SVG
            if a.corners is not None:
                starts = (a.corners[1], a.corners[2])
            else:  # from the back map's top-right and the front map's bottom-right corners
                assert a.front is not None
                starts = ((a.box.x0 + a.front.width, a.box.y0), (a.front.x1, a.front.y1))
            ends = (b.corners[0], b.corners[3])
            data += _line(starts[0], ends[0]) + _line(starts[1], ends[1])
            segments += [(starts[0], ends[0]), (starts[1], ends[1])]
            points += [*starts, *ends]
        if data:
            links.append(Group(f"links-{i}-{i + 1}", "links", [Path(
                data, BBox.around(points), stroke=link.color, stroke_width=link.width,
                opacity=link.opacity, linecap="round")]))

    scene = Scene("lenet", theme.background, theme.margin,
                  title="lenet " + " ".join(layer.token for layer in spec.layers))
    if spec.labels:
        add_captions(spec, theme, groups, placed, segments)
    scene.groups.extend(groups)
    scene.groups.extend(links)
    if spec.labels:
        scene.groups.extend(op_labels(spec, theme, placed, all_steps))
    return scene


def caption(layer: MapLayer | DenseLayer) -> str:
    if layer.label is not None:
        return layer.label
    if isinstance(layer, MapLayer):
        return f"{layer.maps}@{layer.height}x{layer.width}"
    return f"1x{layer.size}"


def add_captions(spec: LenetSpec, theme: Theme, groups: list[Group], placed: list[Placed],
                 segments: list[tuple[Point, Point]]) -> None:
    """Each layer's caption above its top-left corner, clear of other layers and of the lines
    into dense layers."""
    texts = [caption(layer) for layer in spec.layers]
    anchors = [(p.left, p.box.y0) for p in placed]
    boxes = [p.box for p in placed]
    for group, text in zip(groups, captions_above(texts, anchors, boxes, theme, lines=segments)):
        group.add(text)


def op_labels(spec: LenetSpec, theme: Theme, placed: list[Placed], all_steps: list[Step]) -> list[Group]:
    """The op labels, one row below the drawing, centred on their gaps (staggered if close)."""
    chosen = [(i, s.op) for i, s in enumerate(all_steps) if s.op]
    if not chosen:
        return []
    bottom = max(p.box.y1 for p in placed) + theme.text.size * 1.2
    centers = [(placed[i].right + placed[i + 1].left) / 2 for i, _ in chosen]
    texts = row_of_captions([op for _, op in chosen], centers, bottom, theme, cls="op")
    return [Group("ops", "ops", list(texts))]
