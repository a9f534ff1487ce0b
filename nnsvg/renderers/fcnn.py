"""FCNN: fully-connected layers drawn as columns of nodes joined by edges (NN-SVG's FCNN).

Layout happens in a layer frame, ``u`` along the sequence of layers and ``v`` across a layer,
then one placer maps (u, v) to the page for the chosen direction. Edges of one style are one
path per layer pair, kept as points (a ``Fan``; per weight level, ``Stars`` or ``CurvedStars``).
"""

from __future__ import annotations

import gc
import itertools
import math
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from .. import colors
from ..errors import SpecError
from ..geometry import BBox, Point, arrowhead, baseline_for_center, text_box, union_all, unit
from ..layout import legend, skips
from ..layout.decorate import Captioned, Placement, decorate
from ..layout.labels import column_of_captions, fcnn_label, moved_clear, row_of_captions
from ..layout.skips import Plan, Port
from ..scene import (
    Circle,
    CurvedStars,
    CurveStar,
    Dots,
    Entry,
    Fan,
    Group,
    Path,
    PathData,
    Polyline,
    Polylines,
    Rect,
    Scene,
    Star,
    Stars,
    Swatch,
    Text,
)
from ..spec.fcnn import MAX_NODES, FcnnSpec
from ..theme import Theme
from .anatomy import (
    WEIGHT_LABEL_LIMIT,
    activation_items,
    cross,
    dropped_nodes,
    formulas,
    too_many_weights,
    weight_labels,
    weight_name,
)

Placer = Callable[[float, float], Point]
Slot = tuple[int, Point, float]  # (index in the layer's drawn nodes, page point, v)

PLACERS: dict[str, Placer] = {
    "right": lambda u, v: (u, v),
    "left": lambda u, v: (-u, v),
    "down": lambda u, v: (v, u),
    "up": lambda u, v: (v, -u),
}

WEIGHT_LEVELS = 16  # |weight| is quantised to this many steps: a bounded number of paths

# The size budget: a figure is drawn with its text at the true size, and a reader's page holds
# a text block of 6.5 × 9 in (624 × 864 px at 96 px/in). A figure may be shrunk to half to fit
# it (11 px text is then 4 pt, the least a printed label can be); a bigger one gets a note that
# names the option which shrinks it, with a value that makes it fit.
PAGE_BLOCK = (624.0, 864.0)
PAGE_SHRINK = 0.5


@dataclass
class LayerLayout:
    """Where one layer's drawn nodes are. ``nodes`` are page points, the bias unit first."""

    index: int
    u: float
    nodes: list[Point]
    node_v: list[float]
    has_bias: bool
    ellipsis_v: float | None
    dropped: frozenset[int] = frozenset()  # indices into nodes: crossed out by dropout
    size: int = 0  # the layer's true width
    before: int = 0  # nodes drawn before the ellipsis

    def number(self, k: int) -> int | None:
        """The 1-based index in the true layer of drawn node k (None for the bias unit)."""
        j = k - int(self.has_bias)
        if j < 0:
            return None
        return j + 1 if j < self.before else self.size - (len(self.nodes) - int(self.has_bias) - j) + 1

    def senders(self) -> list[Slot]:
        """The nodes that send edges: all but the dropped ones (the bias unit first)."""
        return [(k, p, v) for k, (p, v) in enumerate(zip(self.nodes, self.node_v)) if k not in self.dropped]

    def receivers(self) -> list[Slot]:
        """The nodes that receive edges: a bias unit has no inputs, a dropped node none."""
        return [slot for slot in self.senders() if not (self.has_bias and slot[0] == 0)]


FULL_AT = 50  # an elided column is max_nodes tall from 50 × max_nodes wide (784 at the default 16)


def _elided_slots(size: int, max_nodes: int) -> float:
    """The column height (in node slots, the ellipsis one of them) an elided layer would have
    on its own: half of ``max_nodes`` just above it, all of it at ``FULL_AT`` times it, the
    log of the width in between, so 32, 128, 256, 512 and 784 all differ."""
    share = min(1.0, math.log(size / max_nodes) / math.log(FULL_AT))
    return max_nodes / 2 * (1 + share)


def column_slots(sizes: Sequence[int], max_nodes: int) -> dict[int, int]:
    """The height of each width's column in node slots (an ellipsis is one slot): the shape of
    the network on the page. A layer of at most ``max_nodes`` keeps its height (all its nodes);
    a wider one is taller than every narrower layer of the figure, log-scaled, and never taller
    than ``max_nodes`` (3 when that is less: two nodes and the ellipsis). Ranks across the
    figure's distinct widths are kept: equal widths, equal columns; a wider layer, a taller
    column, so a small layer gives up nodes when a wider one needs the room above it (784 next
    to 16); only when the figure has more distinct widths than ``max_nodes`` has heights do
    the narrowest wide ones tie."""
    distinct = sorted(set(sizes))
    if max_nodes == 0 or not distinct or distinct[-1] <= max_nodes:
        return {w: w for w in distinct}
    heights: list[int] = []
    for w in distinct:  # all nodes when small; else log-scaled and above every narrower column
        ideal = w if w <= max_nodes else min(w, max(3, math.floor(_elided_slots(w, max_nodes) + 0.5)))
        heights.append(ideal if w <= max_nodes or not heights else max(ideal, heights[-1] + 1))
    ceiling = max(max_nodes, 3)
    for i in reversed(range(len(heights))):  # never over the limit, below every wider column
        heights[i] = min(heights[i], ceiling)
        ceiling = heights[i] - 1
    for i, w in enumerate(distinct):  # an elided column shows 2 nodes at least; 1-3 stay whole
        heights[i] = max(heights[i], min(w, 3), heights[i - 1] if i else 0)
    return dict(zip(distinct, heights))


def drawn_nodes(sizes: Sequence[int], max_nodes: int) -> list[tuple[int, int]]:
    """Per layer, how many nodes to draw before and after the ellipsis (after = 0: none, every
    node drawn). An elided layer draws one node fewer than its column's slots, so its
    ellipsis always stands for at least one node."""
    slots = column_slots(sizes, max_nodes)
    out = []
    for size in sizes:
        height = slots[size]
        shown = height - 1
        out.append((size, 0) if height >= size else ((shown + 1) // 2, shown // 2))
    return out


def layout(spec: FcnnSpec, place: Placer) -> list[LayerLayout]:
    d = spec.node_diameter
    pitch_u = spec.layer_spacing + d
    last = len(spec.layers) - 1
    dropout = spec.layer_dropout()
    layouts = []
    drawn = drawn_nodes([layer.size for layer in spec.layers], spec.max_nodes)
    for i, (layer, gap, (before, after)) in enumerate(zip(spec.layers, spec.layer_gaps(), drawn)):
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
        dropped = dropped_nodes(spec.seed, i, range(int(has_bias), len(vs)), dropout[i])
        layouts.append(LayerLayout(i, u, [place(u, v) for v in vs], vs, has_bias, ellipsis_v,
                                   dropped, layer.size, before))
    return layouts


def count_edges(spec: FcnnSpec) -> int:
    """The number of edges that would be drawn, from the sizes alone (nothing is allocated)."""
    last = len(spec.layers) - 1
    drawn = [sum(pair) for pair in drawn_nodes([layer.size for layer in spec.layers], spec.max_nodes)]
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


Levels = dict[int, PathData]  # weight level -> the path data of that level's edges (or heads)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused (if it ran) while a layer pair's edges are built: they
    are millions of small tuples in lists that hold no cycles, and the collector would walk
    the growing lists again and again (measured: 40 % of the time of the 535,040 edges of
    784-512-256-10 with arrowheads)."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


class EdgeWriter:
    """Builds the path data of one layer pair's edges, bucketed by weight level. Each node's
    point is one tuple, shared by all of its edges."""

    def __init__(self, spec: FcnnSpec, theme: Theme, place: Placer, rng: random.Random | None):
        self.spec, self.theme, self.place, self.rng = spec, theme, place, rng
        self.reach = spec.node_diameter / 2 + (
            theme.node.stroke_width / 2 if theme.node.stroke != "none" else 0.0)
        self.arrows = spec.arrowheads != "none"
        self.real: Callable[[int, int], int] | None = None  # the pair's real weights, when the spec has them

    def level(self, sender: int = 0, receiver: int = 0) -> int:
        """The quantised weight of the edge from drawn node ``sender`` of the pair's first layer
        to drawn node ``receiver`` of its second: the spec's real weight, or a seeded one."""
        if self.real is not None:
            return self.real(sender, receiver)
        if self.rng is None:
            return 0
        return round((self.rng.random() * 2 - 1) * WEIGHT_LEVELS)

    def _real_levels(self, a: LayerLayout, b: LayerLayout) -> Callable[[int, int], int] | None:
        """The spec's weights from layer a to b as quantised levels (the pair's largest |weight|
        is a full level), by drawn node; a bias row is the matrix's first when it has one."""
        if self.spec.weights is None or self.rng is None:
            return None
        matrix = self.spec.weights[a.index]
        bias_row = len(matrix) == a.size + 1
        peak = max((abs(v) for row in matrix for v in row), default=0.0) or 1.0

        def real(sender: int, receiver: int) -> int:
            i, j = a.number(sender), b.number(receiver)
            if j is None:
                return 0
            row = (0 if bias_row else None) if i is None else i - 1 + int(bias_row)
            return 0 if row is None else round(matrix[row][j - 1] / peak * WEIGHT_LEVELS)

        return real

    def pair(self, a: LayerLayout, b: LayerLayout) -> tuple[Levels, Levels, BBox | None]:
        """(edge path data per level, arrowhead path data per level, arrowheads' extent)."""
        senders, receivers = a.senders(), b.receivers()
        self.real = self._real_levels(a, b)
        self.receiver_slots = [k for k, _, _ in receivers]
        with collector_paused():
            if self.arrows:
                return self._arrow_pair(senders, receivers, a.u, b.u)
            if self.spec.bezier:
                return self._curve_pair(senders, receivers, a.u, b.u), {}, None
            return self._line_pair(senders, receivers), {}, None

    def _reached(self, sender: int, indices: list[int]) -> dict[int, list[int]]:
        """One sender's receivers (their indices) by weight level: a level is drawn for each
        edge, in order, so every layer pair draws its levels as it always has."""
        reached: dict[int, list[int]] = {}
        slots = self.receiver_slots
        for k in indices:
            reached.setdefault(self.level(sender, slots[k]), []).append(k)
        return reached

    def _line_pair(self, senders: list[Slot], receivers: list[Slot]) -> Levels:
        """Straight edges: per level, each sender with the receivers it reaches at that level."""
        ends = tuple(p for _, p, _ in receivers)
        indices = list(range(len(ends)))  # one int object per receiver, shared by its edges
        stars: dict[int, list[Star]] = {}
        for sender, start, _ in senders:
            for level, ks in self._reached(sender, indices).items():
                stars.setdefault(level, []).append((start, tuple(ks)))
        return {level: Stars(ends, tuple(v)) for level, v in stars.items()}

    def _curve_pair(self, senders: list[Slot], receivers: list[Slot], ua: float, ub: float,
                    heads: dict[int, list[Polyline]] | None = None) -> Levels:
        """Bézier edges whose controls sit half-way between the layers, level with each end.
        With ``heads``, each edge ends in its target's arrowhead, added to ``heads`` for it:
        every edge arrives along the layer axis, so a target's edges share one head."""
        mid = (ua + ub) / 2
        targets = [p for _, p, _ in receivers]
        head_of: list[Polyline] = []
        if heads is not None:
            origin, axis = self.place(0.0, 0.0), self.place(1.0, 0.0)
            direction = unit(axis[0] - origin[0], axis[1] - origin[1])
            arrivals = [self._head(target, direction) for target in targets]
            targets, head_of = [end for end, _ in arrivals], [head for _, head in arrivals]
        ends = tuple((self.place(mid, v), end) for (_, _, v), end in zip(receivers, targets))
        indices = list(range(len(ends)))
        stars: dict[int, list[CurveStar]] = {}
        for sender, start, v in senders:
            leave = (start, self.place(mid, v))
            for level, ks in self._reached(sender, indices).items():
                stars.setdefault(level, []).append((leave, tuple(ks)))
                if heads is not None:
                    heads.setdefault(level, []).extend([head_of[k] for k in ks])
        return {level: CurvedStars(ends, tuple(v)) for level, v in stars.items()}

    def _arrow_pair(self, senders: list[Slot], receivers: list[Slot], ua: float,
                    ub: float) -> tuple[Levels, Levels, BBox | None]:
        heads: dict[int, list[Polyline]] = {}
        if self.spec.bezier:
            edges = self._curve_pair(senders, receivers, ua, ub, heads)
        else:
            edges = self._straight_arrows(senders, receivers, heads)
        corners = [p for level in heads.values() for head in level for p in head]
        closed = self.spec.arrowheads == "solid"
        return (edges, {level: Polylines(tuple(v), closed) for level, v in heads.items()},
                BBox.around(corners) if corners else None)

    def _straight_arrows(self, senders: list[Slot], receivers: list[Slot],
                         heads: dict[int, list[Polyline]]) -> Levels:
        """Straight edges, each with its head (added to ``heads``) at its own angle."""
        lines: dict[int, list[Polyline]] = {}
        for sender, source, _ in senders:
            for receiver, target, _ in receivers:
                level = self.level(sender, receiver)
                end, head = self._head(target, unit(target[0] - source[0], target[1] - source[1]))
                lines.setdefault(level, []).append((source, end))
                heads.setdefault(level, []).append(head)
        return {level: Polylines(tuple(v)) for level, v in lines.items()}

    def _head(self, target: Point, direction: Point) -> tuple[Point, Polyline]:
        """Where an edge into ``target`` along ``direction`` ends (inside a solid head, so its
        butt never pokes out of the tip), and the head: base corner, tip, base corner."""
        length, width = self.theme.arrow.length, self.theme.arrow.width
        dx, dy = direction
        tip = (target[0] - dx * self.reach, target[1] - dy * self.reach)
        base1, base2 = arrowhead(tip, direction, length, width)
        back = length * 0.8 if self.spec.arrowheads == "solid" else 0.0
        return (tip[0] - dx * back, tip[1] - dy * back), (base1, tip, base2)


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
            fan = Fan(tuple(p for _, p, _ in a.senders()), tuple(p for _, p, _ in b.receivers()))
            group.add(Path(fan, extent, stroke=e.color,
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
            group.add(Path(edges[level], extent, stroke=st.color, stroke_width=st.width,
                           opacity=st.opacity, id=f"edges-{name}{suffix}"))
            if level in heads and head_extent is not None:
                head_width = max(st.width, 0.5)
                head_group.add(Path(
                    heads[level], head_extent,
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
                 place: Placer, scene: Scene | None = None) -> list[Group]:
    d = spec.node_diameter
    looks: dict[tuple[str, str], list[int]] = {}  # a node look -> the layers drawn with it
    node, bias = theme.node, theme.bias
    activations = spec.layer_activations()
    groups = []
    taken: list[BBox] = []  # the boxes of texts placed so far ("+1", activation names)
    for layer, lay in zip(spec.layers, layouts):
        group = Group(f"layer-{lay.index}", "layer")
        for k, (x, y) in enumerate(lay.nodes):
            if lay.has_bias and k == 0:
                unit = Circle(x, y, d / 2, bias.fill, bias.stroke, node.stroke_width, "bias")
                group.add(unit)
                size = d * 0.45
                base = baseline_for_center(y, size, theme.text.family)
                group.add(Text(x, base, "+1", size, theme.text.family, bias.text, "middle",
                               text_box("+1", x, base, size, theme.text.family, "middle"), "bias", host=unit))
                if scene is not None:
                    legend.add(scene, "bias", legend.like(unit, mark="+1", mark_color=bias.text))
            else:
                dropped = k in lay.dropped
                circle = Circle(x, y, d / 2, layer.fill or node.fill, layer.stroke or node.stroke,
                                node.stroke_width, "node dropped" if dropped else "node")
                group.add(circle)
                looks.setdefault((circle.fill, circle.stroke), [])
                if lay.index not in looks[(circle.fill, circle.stroke)]:
                    looks[(circle.fill, circle.stroke)].append(lay.index)
                if dropped:
                    mark = cross(x, y, d / 2, theme)
                    group.add(mark)
                    if scene is not None:
                        legend.add(scene, "dropout", legend.like(circle, mark="cross", mark_color=mark.stroke))
        if lay.ellipsis_v is not None:
            group.add(_dots(lay, d, place, theme.text.ellipsis))
        name = activations[lay.index]
        if name is not None:
            centres = [p for k, p, _ in lay.receivers()] if lay.has_bias else \
                [p for k, p in enumerate(lay.nodes) if k not in lay.dropped]
            anchor = place(lay.u, min(lay.node_v) - d * 1.2)
            items = activation_items(name, spec.activation_style, centres, anchor, d, theme)
            if scene is not None and spec.activation_style != "name" and items:
                ink = theme.node.stroke if spec.activation_style == "glyph" else theme.text.color
                legend.add(scene, f"activation.{name}", Swatch(
                    "disc", node.fill, node.stroke, node.stroke_width, mark=f"glyph:{name}", mark_color=ink),
                    ACTIVATION_NAMES.get(name, name))
            if spec.activation_style == "name":
                own = [b for b in (c.bbox() for c in group.children) if b is not None]
                a, b = place(lay.u, 0.0), place(lay.u, 1.0)
                away = (a[0] - b[0], a[1] - b[1])  # towards smaller v: away from the layer
                items = [moved_clear(item, taken + own, away) if isinstance(item, Text) else item
                         for item in items]
            group.children.extend(items)
        taken.extend(c.bbox() for c in group.children if isinstance(c, Text))
        groups.append(group)
    if spec.labels or spec.formulas:
        add_labels(spec, theme, layouts, groups)
    if scene is not None:
        node_entries(scene, looks, len(spec.layers), theme)
    return groups


def weight_entry(spec: FcnnSpec, theme: Theme, scene: Scene) -> None:
    """The legend's ramp of edge colours by weight: from -1 to +1 (the seeded weights), or for
    real weights from minus to plus the largest |weight| (each layer pair's own, when they differ:
    every pair is coloured relative to its largest)."""
    e = theme.edge
    ends, label = ("−1", "+1"), None
    if spec.weights is not None:
        peaks = {max((abs(v) for row in matrix for v in row), default=0.0) for matrix in spec.weights}
        if len(peaks) == 1:
            peak = f"{next(iter(peaks)):.3g}"
            ends = (f"−{peak}", f"+{peak}")
        else:
            ends, label = ("−max", "+max"), "Weight (max: each layer pair's largest |w|)"
    legend.add(scene, "weight", Swatch("ramp", ramp=(e.negative, e.zero, e.positive), ends=ends), label)


ACTIVATION_NAMES = {"identity": "Identity", "relu": "ReLU", "leaky_relu": "Leaky ReLU", "sigmoid": "Sigmoid",
                    "tanh": "tanh", "softmax": "Softmax", "gelu": "GELU", "swish": "Swish"}


def node_entries(scene: Scene, looks: dict[tuple[str, str], list[int]], count: int, theme: Theme) -> None:
    """Legend entries for the node looks drawn (``looks``: fill and outline -> the layers with
    them), first in the legend: one "Neuron" when every layer looks alike, else one per look
    named by its layers' roles (input, hidden, output; hidden layers numbered when hidden
    layers differ), keyed ``node.input``, ``node.hidden``, ``node.output`` (joined by ``+``
    when one look serves several, ``node.hidden-2`` for the second hidden layer)."""
    def role(i: int) -> str:
        return "input" if i == 0 else "output" if i == count - 1 else "hidden"

    found: list[Entry] = []
    hidden_looks = {look for look, layers in looks.items() if any(role(i) == "hidden" for i in layers)}
    for (fill, stroke), layers in looks.items():
        swatch = Swatch("disc", fill, stroke, theme.node.stroke_width)
        if len(looks) == 1:
            found.append(Entry("node", legend.NAMES["node"], swatch))
            continue
        keys, names = [], []
        for i in layers:
            r = role(i)
            if r == "hidden" and len(hidden_looks) > 1:
                keys.append(f"hidden-{i}")
                names.append(f"hidden layer {i}")
            elif r not in keys:
                keys.append(r)
                names.append(f"{r} layer" if r != "hidden" or len(layers) == 1 else "hidden layers")
        label = ", ".join(names)
        found.append(Entry("node." + "+".join(keys), label[0].upper() + label[1:], swatch))
    scene.legend[:0] = [e for e in found if all(e.key != old.key for old in scene.legend)]


def add_labels(spec: FcnnSpec, theme: Theme, layouts: list[LayerLayout],
               groups: list[Group]) -> None:
    count = len(spec.layers)
    texts = [layer.label if layer.label is not None else fcnn_label(i, count, layer.size)
             for i, layer in enumerate(spec.layers)]
    boxes = [g.bbox() for g in groups]
    gap = theme.text.size * 0.8
    lines = [texts] if spec.labels else []
    if spec.formulas:
        lines.append(formulas(count, spec.layer_activations(), spec.bias))
    for line in lines:  # captions, then formulas: a row under the drawing or a column beside it
        chosen = [i for i, text in enumerate(line) if text]
        if spec.direction in ("right", "left"):
            top = max(b.y1 for b in boxes if b is not None) + gap
            captions = row_of_captions([line[i] for i in chosen], [layouts[i].nodes[0][0] for i in chosen],
                                       top, theme, "label" if line is texts else "formula")
        else:
            left = max(b.x1 for b in boxes if b is not None) + gap
            captions = column_of_captions([line[i] for i in chosen], [layouts[i].nodes[0][1] for i in chosen],
                                          left, theme, "label" if line is texts else "formula")
        for i, caption in zip(chosen, captions):
            groups[i].add(caption)
        boxes = [b for b in (*boxes, *(c.box for c in captions)) if b is not None]
        gap = theme.text.size * 0.4


def render(spec: FcnnSpec, theme: Theme) -> Scene:
    edges = count_edges(spec)  # refuse before laying anything out
    if edges > spec.max_edges:
        raise SpecError(
            f"this drawing has {edges:,} edges, more than max_edges ({spec.max_edges:,}); "
            "draw fewer nodes per layer (--max-nodes) or raise --max-edges")
    place = PLACERS[spec.direction]
    layouts = layout(spec, place)
    scene = Scene("fcnn", theme.background, theme.margin, flow="x" if spec.direction in ("right", "left") else "y",
                  title="fcnn " + " ".join(str(layer.size) for layer in spec.layers))
    scene.groups.extend(edge_groups(spec, theme, layouts, place))
    scene.groups.extend(layer_groups(spec, theme, layouts, place, scene))
    if spec.edge_color == "weight":
        weight_entry(spec, theme, scene)
    if spec.show_weights:
        add_weight_labels(spec, theme, layouts, place, scene)
    add_skips(spec, theme, layouts, scene)
    note = size_note(spec, layouts, scene.page())
    if note is not None:
        scene.page_notes.append(note)
    return scene


def add_skips(spec: FcnnSpec, theme: Theme, layouts: list[LayerLayout], scene: Scene) -> None:
    """Skip connections as one labelled arc per connection over the columns (beside them, on
    the left, when the network flows up or down), and blocks as frames round their columns
    (the shared pass, ``layout.decorate``). An arc stands for the whole bundle of a skip's
    edges: drawing every edge of a 784 → 10 skip would bury the figure, and one arc keeps a
    figure of 535,000 edges as fast as without it."""
    graph = spec.graph()
    if not graph.groups and not graph.extra_connections():
        return
    flip = spec.direction in ("up", "down")
    layers = [group for group in scene.groups if str(group.id).startswith("layer-")]
    columns = tuple(union_all([c.bbox() for c in group.children if isinstance(c, Circle)]) for group in layers)

    def caption(arcs: Plan) -> Captioned:  # the captions are drawn: moved off the legs
        skips.clear_of_walls(scene, arcs.walls, flip)
        return Captioned(tuple(group.bbox() for group in layers))

    decorate(scene, graph, Placement(ports(spec, layouts), columns, flip=flip), theme, caption)


def ports(spec: FcnnSpec, layouts: list[LayerLayout]) -> tuple[Port, ...]:
    """Each column as the arcs see it (in the frame where the layers follow each other along
    x): legs land on its top node's upper arc, straight arrows would meet its side nodes."""
    flip = spec.direction in ("up", "down")
    r = spec.node_diameter / 2

    def swap(p: Point) -> Point:
        return (p[1], p[0]) if flip else p

    out = []
    for lay in layouts:
        nodes = [swap(p) for p in lay.nodes]
        cx, cy = min(nodes, key=lambda p: p[1])
        low = max(p[1] for p in nodes)

        def circle_top(x: float, cx: float = cx, cy: float = cy) -> float:
            return cy - math.sqrt(max(0.0, r * r - (x - cx) ** 2))

        out.append(Port(cx - r * 0.8, cx + r * 0.8, circle_top, cx - r, (cy, low), cx + r, (cy, low)))
    return tuple(out)


def size_note(spec: FcnnSpec, layouts: list[LayerLayout], box: BBox) -> str | None:
    """A note when the drawing is more than a page takes at its text size (see
    ``PAGE_BLOCK``), naming for each axis that is too long the option that shortens it and a
    value that makes it fit: ``--layer-spacing`` (else ``--node-diameter``) along the layers;
    across them ``--max-nodes`` when a column is taller than the default limit draws it, else
    ``--node-gap``, else ``--node-diameter``."""
    budget_w, budget_h = (side / PAGE_SHRINK for side in PAGE_BLOCK)
    upright = spec.direction in ("up", "down")  # the layers follow each other down the page
    along, across = (box.height, box.width) if upright else (box.width, box.height)
    room_along, room_across = (budget_h, budget_w) if upright else (budget_w, budget_h)
    if along <= room_along and across <= room_across:
        return None
    d = spec.node_diameter
    fixes: dict[str, int] = {}
    if along > room_along:
        free = room_along - (along - (layouts[-1].u - layouts[0].u + d))  # captions' overhang aside
        steps = len(layouts) - 1
        spacing = math.floor((free - d) / steps - d) if steps else -1
        if spacing >= 0:
            fixes["--layer-spacing"] = spacing
        else:
            fixes["--node-diameter"] = math.floor((free - steps * spec.layer_spacing) / (steps + 1))
    if across > room_across:
        def extent(lay: LayerLayout) -> float:
            return max(lay.node_v) - min(lay.node_v) + d
        tallest = max(range(len(layouts)), key=lambda i: extent(layouts[i]))
        lay, gap = layouts[tallest], spec.layer_gaps()[tallest]
        slots = len(lay.nodes) + int(lay.ellipsis_v is not None)
        free = room_across - (across - extent(lay))
        fit = math.floor((free + gap) / (d + gap)) - int(lay.has_bias)  # node slots, the bias unit aside
        new_gap = math.floor((free - slots * d) / (slots - 1)) if slots > 1 else -1
        if slots - int(lay.has_bias) > MAX_NODES and fit >= 3:
            fixes["--max-nodes"] = fit
        elif new_gap >= 0:
            fixes["--node-gap"] = new_gap
        else:
            diameter = math.floor((free - (slots - 1) * gap) / slots)
            fixes["--node-diameter"] = min(diameter, fixes.get("--node-diameter", diameter))
    if fixes.get("--node-diameter", 1) < 1:
        advice = "fewer layers or nodes would fit it"
    else:
        advice = " and ".join(f"{name} {value}" for name, value in fixes.items()) + " would fit it"
    return (f"the figure is {box.width:,.0f} × {box.height:,.0f} px, too big for a page at its text size "
            f"(at most {budget_w:,.0f} × {budget_h:,.0f} px); {advice}")


def add_weight_labels(spec: FcnnSpec, theme: Theme, layouts: list[LayerLayout], place: Placer,
                      scene: Scene) -> None:
    """w/b labels on every edge, in a ``weights`` group per layer pair; a note instead when
    there are too many edges to label, or when some labels found no free spot."""
    pairs = [(a, b, [(s, t) for s in a.senders() for t in b.receivers()]) for a, b in itertools.pairwise(layouts)]
    total = sum(len(edges) for _, _, edges in pairs)
    if total > WEIGHT_LABEL_LIMIT:
        scene.notes.append(too_many_weights(total))
        return
    obstacles = [c.bbox() for c in scene.walk() if isinstance(c, Circle)]
    missing = 0
    for a, b, edges in pairs:
        items = []
        for (sk, sp, sv), (tk, tp, tv) in edges:
            name = weight_name(a.number(sk), b.number(tk) or 0)
            if spec.bezier:
                mid = (a.u + b.u) / 2
                c1, c2 = place(mid, sv), place(mid, tv)
                at = _cubic(sp, c1, c2, tp)
            else:
                at = _line(sp, tp)
            items.append((name, at))
        labels, lost = weight_labels(items, obstacles, theme, scene.background)
        missing += lost
        obstacles += [p.bbox() for p in labels if isinstance(p, Rect)]
        scene.groups.append(Group(f"weights-{a.index}-{b.index}", "weights", list(labels)))
    if missing:
        scene.notes.append(f"show_weights: {missing} of {total} weight labels found no free spot and "
                           "are left out; widen --layer-spacing")


def _line(a: Point, b: Point) -> Callable[[float], Point]:
    return lambda t: (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _cubic(p0: Point, p1: Point, p2: Point, p3: Point) -> Callable[[float], Point]:
    def at(t: float) -> Point:
        s = 1 - t
        return (s**3 * p0[0] + 3 * s * s * t * p1[0] + 3 * s * t * t * p2[0] + t**3 * p3[0],
                s**3 * p0[1] + 3 * s * s * t * p1[1] + 3 * s * t * t * p2[1] + t**3 * p3[1])
    return at

