"""AlexNet's labels (dimensions, filter sizes, captions): candidate spots beside the edge they name,
moved outwards until clear of every drawn shape and every other label (``Labeller``); a label
that only finds room far from its edge gets a leader line, and one that finds none near a gap
between layers marks that gap as crowded (the renderer widens it)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..geometry import (
    BBox,
    Box3,
    Camera,
    Point,
    baseline_for_center,
    text_box,
    text_width,
)
from ..scene import Group, Path, Primitive, Text, polyline
from ..spec.alexnet import AlexnetSpec, Volume
from ..spec.tokens import Dense
from ..theme import Theme
from .alexnet_shapes import (
    Placed,
    column_extent,
    convex_overlap,
    filter_window,
    hull_center,
    outline,
    rect,
    thick_segment,
)


@dataclass(frozen=True)
class Spot:
    """Where a label may go: beside ``point`` on the page, on the side ``direction`` (a unit
    vector); ``gap`` is the gap between layers that widening would give it room."""

    point: Point
    direction: Point
    gap: int | None = None


def _unit(dx: float, dy: float) -> Point:
    length = math.hypot(dx, dy)
    return (dx / length, dy / length) if length > 1e-12 else (0.0, 1.0)


def edge_spot(a: Point, b: Point, centre: Point, gap: int | None, t: float = 0.5) -> Spot:
    """A spot beside the point at ``t`` along the page edge a-b, on the side away from ``centre``."""
    p = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
    nx, ny = _unit(b[1] - a[1], a[0] - b[0])
    if nx * (p[0] - centre[0]) + ny * (p[1] - centre[1]) < 0:
        nx, ny = -nx, -ny
    return Spot(p, (nx, ny), gap)


class Obstacles:
    """Convex page polygons in a grid of cells, so a label tests only its neighbours."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.items: list[tuple[BBox, list[Point]]] = []
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.large: list[int] = []  # polygons over too many cells: tested always

    def _span(self, box: BBox) -> tuple[range, range]:
        c = self.cell
        return (range(math.floor(box.x0 / c), math.floor(box.x1 / c) + 1),
                range(math.floor(box.y0 / c), math.floor(box.y1 / c) + 1))

    def add(self, polygon: list[Point]) -> None:
        box = BBox.around(polygon)
        k = len(self.items)
        self.items.append((box, polygon))
        xs, ys = self._span(box)
        if len(xs) * len(ys) > 400:
            self.large.append(k)
            return
        for cx in xs:
            for cy in ys:
                self.cells.setdefault((cx, cy), []).append(k)

    def hit(self, box: BBox, pad: float) -> bool:
        """Whether ``box`` grown by ``pad`` meets any polygon's interior."""
        grown = box.grow(pad)
        xs, ys = self._span(grown)
        near = {k for cx in xs for cy in ys for k in self.cells.get((cx, cy), ())}
        corners = rect(grown)
        return any(self.items[k][0].overlaps(grown) and convex_overlap(corners, self.items[k][1])
                   for k in sorted(near.union(self.large)))


@dataclass
class Labeller:
    """Places labels clear of convex ``obstacles`` (page polygons) and of each other."""

    theme: Theme
    size: float
    obstacles: Obstacles
    crowded: dict[int, float] = field(default_factory=dict)
    leaders: dict[int, list[Path]] = field(default_factory=dict)
    near_steps: int = 2
    far_steps: int = 24

    @property
    def family(self) -> str:
        return self.theme.text.family

    def _candidate(self, text: str, spot: Spot, step: int, width: float, height: float) -> tuple[BBox, float, float]:
        dx, dy = spot.direction
        reach = self.size * 0.35 + step * height * 0.6 + abs(dx) * width / 2 + abs(dy) * height / 2
        cx, cy = spot.point[0] + dx * reach, spot.point[1] + dy * reach
        baseline = baseline_for_center(cy, self.size, self.family)
        return text_box(text, cx, baseline, self.size, self.family, "middle"), cx, baseline

    def clear(self, box: BBox) -> bool:
        return not self.obstacles.hit(box, self.size * 0.2)

    def place(self, layer: int, text: str, spots: list[Spot], cls: str, leader_to: Point | None = None) -> Text:
        width = text_width(text, self.size, self.family)
        height = text_box(text, 0, 0, self.size, self.family).height
        found: tuple[BBox, float, float, Spot] | None = None
        for step in range(self.near_steps):
            for spot in spots:
                box, x, baseline = self._candidate(text, spot, step, width, height)
                if self.clear(box):
                    found = (box, x, baseline, spot)
                    break
            if found:
                break
        if found is None:
            gap = spots[0].gap
            if gap is not None:
                self.crowded[gap] = max(self.crowded.get(gap, 0.0), width + self.size)
            for step in range(self.near_steps, self.far_steps):
                for spot in spots:
                    box, x, baseline = self._candidate(text, spot, step, width, height)
                    if self.clear(box):
                        found = (box, x, baseline, spot)
                        leader_to = leader_to or spot.point
                        break
                if found:
                    break
        step = self.far_steps
        while found is None:  # on outwards from the first spot: past everything, it is clear
            box, x, baseline = self._candidate(text, spots[0], step, width, height)
            if self.clear(box) or step > 1e9:
                found = (box, x, baseline, spots[0])
                leader_to = leader_to or spots[0].point
            step += 1 + step // 4  # growing steps: a huge figure is left in a few dozen
        box, x, baseline, _ = found
        self.obstacles.add(rect(box))
        if leader_to is not None:
            self._leader(layer, box, leader_to)
        return Text(x, baseline, text, self.size, self.family, self.theme.text.color, "middle", box, cls)

    def _leader(self, layer: int, box: BBox, target: Point) -> None:
        """A thin line from the label's nearest side to the point it names."""
        near = (min(max(target[0], box.x0), box.x1), min(max(target[1], box.y0), box.y1))
        if math.hypot(near[0] - target[0], near[1] - target[1]) < self.size * 0.5:
            return
        gap = self.size * 0.15
        ux, uy = _unit(target[0] - near[0], target[1] - near[1])
        start = (near[0] + ux * gap, near[1] + uy * gap)
        width = self.theme.volume.stroke_width * 0.6
        path = Path(polyline((start, target)), BBox.around([start, target]), stroke=self.theme.text.color,
                    stroke_width=width, cls="leader")
        self.leaders.setdefault(layer, []).append(path)
        self.obstacles.add(thick_segment(start, target, width + self.size * 0.1))


def volume_spots(spec: AlexnetSpec, box: Box3, camera: Camera, i: int, count: int) -> dict[str, list[Spot]]:
    """Candidate spots of a volume's three dimension labels, each beside the edge it names."""
    x0, y0, x1, y1, z0, z1 = box.x0, box.y0, box.x1, box.y1, box.z0, box.z1
    p = camera.project
    hull = outline(box, camera)
    centre = hull_center(hull)
    before = i - 1 if i > 0 else None
    after = i if i + 1 < count else None
    # the height: beside the front face's left edge, at its middle or nearer an end
    left = [edge_spot(p((x0, y0, z1)), p((x0, y1, z1)), centre, before, t)
            for t in (0.5, 0.3, 0.7, 0.15, 0.85, 1.1, -0.1)]
    # along the row and across: the front face's bottom edge and the receding edges
    bottom = edge_spot(p((x0, y0, z1)), p((x1, y0, z1)), centre, None)
    top_back = edge_spot(p((x0, y1, z0)), p((x1, y1, z0)), centre, None)
    low_right = [edge_spot(p((x1, y0, z1)), p((x1, y0, z0)), centre, after, t) for t in (0.5, 0.3, 0.7)]
    top_left = [edge_spot(p((x0, y1, z1)), p((x0, y1, z0)), centre, before, t) for t in (0.5, 0.3, 0.7)]
    if spec.look == "row":  # x: channels, z: width
        return {"height": left, "depth": [bottom, top_back], "width": top_left + low_right}
    return {"height": left, "width": [bottom, top_back], "depth": low_right + top_left}


def short_text(layer: Volume | Dense) -> str:
    """A layer's sizes on one line: 224²×3 (a square map), 360×480×3, or a dense width."""
    if not isinstance(layer, Volume):
        return str(layer.size)
    side = f"{layer.height}²" if layer.height == layer.width else f"{layer.height}×{layer.width}"
    return f"{side}×{layer.depth}"


def dim_runs(spec: AlexnetSpec) -> dict[int, int]:
    """The layers that carry a one-line dimension label, each with the last layer its label
    stands for: itself, or with ``dims_form: changes`` the end of its run of one size."""
    texts = [short_text(layer) for layer in spec.layers]
    runs: dict[int, int] = {}
    start = 0
    for i in range(1, len(texts) + 1):
        if i == len(texts) or spec.dims_form != "changes" or texts[i] != texts[start]:
            runs[start] = i - 1
            start = i
    return runs


def short_dims(spec: AlexnetSpec, placed: list[Placed], camera: Camera, labeller: Labeller, first: int,
               last: int) -> Text:
    """The one-line label of layers ``first``..``last`` (one size): centred under them, or over
    them where that is taken."""
    corners = [q for p in placed[first:last + 1] for q in outline(p.box, camera)]
    cx = (min(q[0] for q in corners) + max(q[0] for q in corners)) / 2
    top, bottom = min(q[1] for q in corners), max(q[1] for q in corners)
    spots = [Spot((cx, bottom), (0.0, 1.0)), Spot((cx, top), (0.0, -1.0))]
    return labeller.place(first, short_text(spec.layers[first]), spots, "dim short")


def label_groups(spec: AlexnetSpec, theme: Theme, placed: list[Placed], camera: Camera,
                 labeller: Labeller, walls: list[tuple[float, float, float]] | None = None) -> list[Group]:
    """Dimension labels (with ``dims``), filter sizes (with ``filter_dims``) and captions."""
    out = []
    count = len(placed)
    runs = dim_runs(spec)
    for i, (layer, here) in enumerate(zip(spec.layers, placed)):
        texts: list[Text] = []
        box = here.box
        hull = outline(box, camera)
        cx = hull_center(hull)[0]
        box_x0, box_x1 = min(q[0] for q in hull), max(q[0] for q in hull)
        top, bottom = column_extent(hull, cx)
        if spec.labels and layer.label is not None:
            above = [Spot((cx, top), (0.0, -1.0))]
            half = text_width(layer.label, labeller.size, labeller.family) / 2 + labeller.size * 0.4
            for wx, _, reach in walls or ():  # beside a skip arc's leg that rises from this layer
                if box_x0 <= wx <= box_x1:
                    above += [Spot((x, column_extent(hull, x)[0]), (0.0, -1.0))
                              for x in (wx - reach - half, wx + reach + half)]
            texts.append(labeller.place(i, layer.label, above, "caption"))
        if spec.filter_dims and here.filter_box is not None and isinstance(layer, Volume):
            assert layer.filter is not None
            window = [camera.project(q) for q in filter_window(spec, here.filter_box)]
            wx = sum(q[0] for q in window) / 4
            wtop = min(q[1] for q in window)
            wbottom = max(q[1] for q in window)
            column_top, column_bottom = column_extent(hull, wx)
            text = f"{layer.filter[0]}x{layer.filter[1]}"
            target_top, target_bottom = (wx, wtop), (wx, wbottom)
            label = labeller.place(i, text, [Spot((wx, column_top), (0.0, -1.0)),
                                             Spot((wx, column_bottom), (0.0, 1.0))], "dim filter")
            # the leader runs from the label to the window's nearer side
            labeller._leader(i, label.box, target_top if label.box.y1 <= wtop else target_bottom)
            texts.append(label)
        if spec.dims and spec.dims_form != "edges":
            if i in runs:
                texts.append(short_dims(spec, placed, camera, labeller, i, runs[i]))
        elif spec.dims:
            if isinstance(layer, Volume):
                spots = volume_spots(spec, box, camera, i, count)
                for name in ("height", "width", "depth"):
                    value = getattr(layer, name)
                    texts.append(labeller.place(i, str(value), spots[name], f"dim {name}"))
            else:
                texts.append(labeller.place(i, str(layer.size), [Spot((cx, bottom), (0.0, 1.0)),
                                                                 Spot((cx, top), (0.0, -1.0))], "dim size"))
        children: list[Primitive | Group] = []
        children.extend(labeller.leaders.pop(i, []))
        children.extend(texts)
        if children:
            out.append(Group(f"labels-{i}", "labels", children))
    return out
