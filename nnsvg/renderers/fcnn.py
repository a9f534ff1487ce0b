"""FCNN: fully-connected layers drawn as columns of nodes joined by edges (NN-SVG's FCNN).

Layout happens in a layer frame, ``u`` along the sequence of layers and ``v`` across a layer,
then one placer maps (u, v) to the page for the chosen direction. Edges of one style are one
path per layer pair; coordinates of each node are formatted once and joined into path data.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

from .. import colors
from ..errors import SpecError
from ..geometry import BBox, Point, arrowhead, baseline_for_center, text_box, unit
from ..scene import Circle, Dots, Fan, Group, Path, Scene, Text, fmt
from ..spec.fcnn import FcnnSpec
from ..theme import Theme
from .labels import column_of_captions, fcnn_label, row_of_captions

Placer = Callable[[float, float], Point]

PLACERS: dict[str, Placer] = {
    "right": lambda u, v: (u, v),
    "left": lambda u, v: (-u, v),
    "down": lambda u, v: (v, u),
    "up": lambda u, v: (v, -u),
}

Buckets = dict[int, list[str]]  # weight level -> path data pieces

WEIGHT_LEVELS = 16  # |weight| is quantised to this many steps: a bounded number of paths


@dataclass
class LayerLayout:
    """Where one layer's drawn nodes are. ``nodes`` are page points, the bias unit first."""

    index: int
    u: float
    nodes: list[Point]
    node_v: list[float]
    has_bias: bool
    ellipsis_v: float | None

    @property
    def targets(self) -> list[Point]:
        """The nodes that receive edges (a bias unit has no inputs)."""
        return self.nodes[1:] if self.has_bias else self.nodes


def visible_nodes(size: int, max_nodes: int) -> tuple[int, int]:
    """How many nodes to draw before and after the ellipsis (after = 0: no ellipsis).

    A layer wider than ``max_nodes`` keeps its first and last k nodes, k = (max_nodes-1)//2,
    so with the ellipsis slot it is never taller than ``max_nodes`` nodes."""
    if max_nodes == 0 or size <= max_nodes:
        return size, 0
    keep = max(1, (max_nodes - 1) // 2)
    return keep, keep


def layout(spec: FcnnSpec, place: Placer) -> list[LayerLayout]:
    d = spec.node_diameter
    pitch_u = spec.layer_spacing + d
    last = len(spec.layers) - 1
    layouts = []
    for i, (layer, gap) in enumerate(zip(spec.layers, spec.layer_gaps())):
        before, after = visible_nodes(layer.size, spec.max_nodes)
        has_bias = spec.bias and i < last
        slots = int(has_bias) + before + (after + 1 if after else 0)
        pitch_v = d + gap
        vs = [(j - (slots - 1) / 2) * pitch_v for j in range(slots)]
        ellipsis_v = None
        if after:
            e = int(has_bias) + before
            ellipsis_v = vs[e]
            vs = vs[:e] + vs[e + 1:]
        u = i * pitch_u
        layouts.append(LayerLayout(i, u, [place(u, v) for v in vs], vs, has_bias, ellipsis_v))
    return layouts


def count_edges(spec: FcnnSpec) -> int:
    """The number of edges that would be drawn, from the sizes alone (nothing is allocated)."""
    last = len(spec.layers) - 1
    drawn = [sum(visible_nodes(layer.size, spec.max_nodes)) for layer in spec.layers]
    sources = [n + int(spec.bias and i < last) for i, n in enumerate(drawn)]
    return sum(a * b for a, b in zip(sources, drawn[1:]))


# --- edges --------------------------------------------------------------------------------

@dataclass(frozen=True)
class EdgeStyle:
    color: str
    width: float
    opacity: float


def edge_styles(spec: FcnnSpec, theme: Theme) -> Callable[[float], EdgeStyle] | None:
    """A function from a quantised weight to its style, or None when every edge looks alike."""
    e = theme.edge
    by_color, by_width, by_opacity = (spec.edge_color == "weight", spec.edge_width == "weight",
                                      spec.edge_opacity == "weight")
    if not (by_color or by_width or by_opacity):
        return None

    def style(w: float) -> EdgeStyle:
        return EdgeStyle(colors.ramp(e.negative, e.zero, e.positive, w) if by_color else e.color,
                         e.max_width * abs(w) if by_width else e.width,
                         e.opacity * abs(w) if by_opacity else e.opacity)

    return style


def _points(points: list[Point]) -> list[str]:
    return [f"{fmt(x)},{fmt(y)}" for x, y in points]


class EdgeWriter:
    """Builds the path data of one layer pair's edges, bucketed by weight level."""

    def __init__(self, spec: FcnnSpec, theme: Theme, place: Placer, rng: random.Random | None):
        self.spec, self.theme, self.place, self.rng = spec, theme, place, rng
        self.reach = spec.node_diameter / 2 + (
            theme.node.stroke_width / 2 if theme.node.stroke != "none" else 0.0)
        self.arrows = spec.arrowheads != "none"

    def level(self) -> int:
        if self.rng is None:
            return 0
        return round((self.rng.random() * 2 - 1) * WEIGHT_LEVELS)

    def pair(self, a: LayerLayout, b: LayerLayout) -> tuple[Buckets, Buckets, BBox | None]:
        """(edge path data per level, arrowhead path data per level, arrowheads' extent)."""
        edges: Buckets = {}
        heads: Buckets = {}
        if not self.arrows:
            starts, ends = self._plain_parts(a, b)
            for s in starts:
                for t in ends:
                    edges.setdefault(self.level(), []).append(s + t)
            return edges, heads, None
        corners: list[Point] = []
        for si, source in enumerate(a.nodes):
            for ti, target in enumerate(b.targets):
                level = self.level()
                path, head, points = self._arrow_edge(a, b, si, source, ti, target)
                edges.setdefault(level, []).append(path)
                heads.setdefault(level, []).append(head)
                corners.extend(points)
        return edges, heads, BBox.around(corners)

    def _plain_parts(self, a: LayerLayout, b: LayerLayout) -> tuple[list[str], list[str]]:
        """Each edge is start-part + end-part; every part is formatted once per node."""
        if not self.spec.bezier:
            return ["M" + p for p in _points(a.nodes)], ["L" + p for p in _points(b.targets)]
        mid = (a.u + b.u) / 2
        target_v = b.node_v[1:] if b.has_bias else b.node_v
        c1 = _points([self.place(mid, v) for v in a.node_v])
        c2 = _points([self.place(mid, v) for v in target_v])
        starts = [f"M{p}C{c}" for p, c in zip(_points(a.nodes), c1)]
        return starts, [f" {c} {p}" for c, p in zip(c2, _points(b.targets))]

    def _arrow_edge(self, a: LayerLayout, b: LayerLayout, si: int, source: Point, ti: int,
                    target: Point) -> tuple[str, str, tuple[Point, ...]]:
        length, width = self.theme.arrow.length, self.theme.arrow.width
        if self.spec.bezier:
            axis = self.place(1.0, 0.0)
            direction = unit(axis[0] - self.place(0.0, 0.0)[0], axis[1] - self.place(0.0, 0.0)[1])
        else:
            direction = unit(target[0] - source[0], target[1] - source[1])
        dx, dy = direction
        tip = (target[0] - dx * self.reach, target[1] - dy * self.reach)
        base1, base2 = arrowhead(tip, direction, length, width)
        solid = self.spec.arrowheads == "solid"
        back = length * 0.8 if solid else 0.0
        end = (tip[0] - dx * back, tip[1] - dy * back)
        if self.spec.bezier:
            mid = (a.u + b.u) / 2
            tv = b.node_v[ti + 1] if b.has_bias else b.node_v[ti]
            c1, c2 = self.place(mid, a.node_v[si]), self.place(mid, tv)
            path = f"M{fmt(source[0])},{fmt(source[1])}C{fmt(c1[0])},{fmt(c1[1])} " \
                   f"{fmt(c2[0])},{fmt(c2[1])} {fmt(end[0])},{fmt(end[1])}"
        else:
            path = f"M{fmt(source[0])},{fmt(source[1])}L{fmt(end[0])},{fmt(end[1])}"
        head = f"M{fmt(base1[0])},{fmt(base1[1])}L{fmt(tip[0])},{fmt(tip[1])}" \
               f"L{fmt(base2[0])},{fmt(base2[1])}" + ("Z" if solid else "")
        return path, head, (tip, base1, base2)


def edge_groups(spec: FcnnSpec, theme: Theme, layouts: list[LayerLayout],
                place: Placer) -> list[Group]:
    """One ``edges`` group per layer pair (and an ``arrowheads`` group when asked for)."""
    styler = edge_styles(spec, theme)
    rng = random.Random(spec.seed) if styler is not None else None
    writer = EdgeWriter(spec, theme, place, rng)
    solid = spec.arrowheads == "solid"
    edge_out: list[Group] = []
    head_out: list[Group] = []
    plain = styler is None and spec.arrowheads == "none" and not spec.bezier
    for a, b in itertools.pairwise(layouts):
        extent = BBox.around(a.nodes + b.nodes)
        name = f"{a.index}-{b.index}"
        group = Group(f"edges-{name}", "edges")
        if plain:  # the common, big case: kept as points, formatted once each when written
            e = theme.edge
            group.add(Path(Fan(tuple(a.nodes), tuple(b.targets)), extent, stroke=e.color,
                           stroke_width=e.width, opacity=e.opacity, id=f"edges-{name}"))
            edge_out.append(group)
            continue
        edges, heads, head_extent = writer.pair(a, b)
        head_group = Group(f"arrowheads-{name}", "arrowheads")
        # weakest first, so the strongest edges are painted on top
        for level in sorted(edges, key=lambda q: (abs(q), q)):
            w = level / WEIGHT_LEVELS
            st = styler(w) if styler else EdgeStyle(theme.edge.color, theme.edge.width, theme.edge.opacity)
            suffix = "" if styler is None else f"-w{'m' if level < 0 else 'p'}{abs(level)}"
            group.add(Path("".join(edges[level]), extent, stroke=st.color, stroke_width=st.width,
                           opacity=st.opacity, id=f"edges-{name}{suffix}"))
            if level in heads and head_extent is not None:
                head_width = max(st.width, 0.5)
                head_group.add(Path(
                    "".join(heads[level]), head_extent,
                    stroke="none" if solid else st.color, stroke_width=0.0 if solid else head_width,
                    fill=st.color if solid else "none", opacity=st.opacity,
                    id=f"arrowheads-{name}{suffix}", linejoin="round", linecap="round"))
        edge_out.append(group)
        if head_group.children:
            head_out.append(head_group)
    return edge_out + head_out


# --- nodes and labels ---------------------------------------------------------------------

def _dots(layer: LayerLayout, d: float, place: Placer, color: str) -> Path:
    """Three dots across the ellipsis slot: the nodes that are not drawn."""
    assert layer.ellipsis_v is not None
    r = max(0.8, d * 0.08)
    step = d * 0.3
    centers = tuple(place(layer.u, layer.ellipsis_v + k * step) for k in (-1, 0, 1))
    return Path(Dots(centers, r), BBox.around(centers, r), fill=color, cls="ellipsis")


def layer_groups(spec: FcnnSpec, theme: Theme, layouts: list[LayerLayout],
                 place: Placer) -> list[Group]:
    d = spec.node_diameter
    node, bias = theme.node, theme.bias
    groups = []
    for layer, lay in zip(spec.layers, layouts):
        group = Group(f"layer-{lay.index}", "layer")
        for k, (x, y) in enumerate(lay.nodes):
            if lay.has_bias and k == 0:
                group.add(Circle(x, y, d / 2, bias.fill, bias.stroke, node.stroke_width, "bias"))
                size = d * 0.45
                base = baseline_for_center(y, size, theme.text.family)
                group.add(Text(x, base, "+1", size, theme.text.family, bias.text, "middle",
                               text_box("+1", x, base, size, theme.text.family, "middle"), "bias"))
            else:
                group.add(Circle(x, y, d / 2, layer.fill or node.fill, layer.stroke or node.stroke,
                                 node.stroke_width, "node"))
        if lay.ellipsis_v is not None:
            group.add(_dots(lay, d, place, theme.text.ellipsis))
        groups.append(group)
    if spec.labels:
        add_labels(spec, theme, layouts, groups)
    return groups


def add_labels(spec: FcnnSpec, theme: Theme, layouts: list[LayerLayout],
               groups: list[Group]) -> None:
    count = len(spec.layers)
    texts = [layer.label if layer.label is not None else fcnn_label(i, count, layer.size)
             for i, layer in enumerate(spec.layers)]
    boxes = [g.bbox() for g in groups]
    gap = theme.text.size * 0.8
    if spec.direction in ("right", "left"):
        centers = [lay.nodes[0][0] for lay in layouts]
        top = max(b.y1 for b in boxes if b is not None) + gap
        captions = row_of_captions(texts, centers, top, theme)
    else:
        centers = [lay.nodes[0][1] for lay in layouts]
        left = max(b.x1 for b in boxes if b is not None) + gap
        captions = column_of_captions(texts, centers, left, theme)
    for group, caption in zip(groups, captions):
        group.add(caption)


def render(spec: FcnnSpec, theme: Theme) -> Scene:
    edges = count_edges(spec)  # refuse before laying anything out
    if edges > spec.max_edges:
        raise SpecError(
            f"this drawing has {edges:,} edges, more than max_edges ({spec.max_edges:,}); "
            "draw fewer nodes per layer (--max-nodes) or raise --max-edges")
    place = PLACERS[spec.direction]
    layouts = layout(spec, place)
    scene = Scene("fcnn", theme.background, theme.margin,
                  title="fcnn " + " ".join(str(layer.size) for layer in spec.layers))
    scene.groups.extend(edge_groups(spec, theme, layouts, place))
    scene.groups.extend(layer_groups(spec, theme, layouts, place))
    return scene

