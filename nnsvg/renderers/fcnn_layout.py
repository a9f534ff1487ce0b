"""FCNN's layer frame: ``u`` along the sequence of layers and ``v`` across a layer, mapped to the
page by one placer per direction (``PLACERS``); which nodes of each column are drawn (a long
column elided round its middle, ``column_slots``), each layer's drawn nodes (``LayerLayout``),
and the count of edges drawn."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..geometry import Point
from ..spec.fcnn import FcnnSpec
from .anatomy import (
    dropped_nodes,
)

Placer = Callable[[float, float], Point]


Slot = tuple[int, Point, float]  # (index in the layer's drawn nodes, page point, v)


PLACERS: dict[str, Placer] = {
    "right": lambda u, v: (u, v),
    "left": lambda u, v: (-u, v),
    "down": lambda u, v: (v, u),
    "up": lambda u, v: (v, -u),
}


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
