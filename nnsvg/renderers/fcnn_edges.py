"""FCNN's edges: one path per layer pair and style, kept as points (a ``Fan``; per weight level,
``Stars`` or ``CurvedStars``), straight or Bézier, with arrowheads; coloured by weight in
``WEIGHT_LEVELS`` buckets (a bounded number of paths however many edges)."""

from __future__ import annotations

import gc
import itertools
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .. import colors
from ..geometry import BBox, Point, arrowhead, unit
from ..scene import (
    CurvedStars,
    CurveStar,
    Fan,
    Group,
    Path,
    PathData,
    Polyline,
    Polylines,
    Star,
    Stars,
)
from ..spec.fcnn import FcnnSpec
from ..theme import Theme
from .fcnn_layout import LayerLayout, Placer, Slot

WEIGHT_LEVELS = 16  # |weight| is quantised to this many steps: a bounded number of paths

Levels = dict[int, PathData]  # weight level -> the path data of that level's edges (or heads)


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

