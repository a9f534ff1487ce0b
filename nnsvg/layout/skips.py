"""Skip connections for the chain styles (lenet, alexnet, fcnn): the plan, and what the arcs
keep clear of.

A chain style lays its layers out along x; the graph's extra connections (``Graph.
extra_connections``: residual adds, U-Net concats, gates, long data skips, recurrences) are
drawn the same way in every style, in two steps around the style's own labels (the shared
pass, ``layout.decorate``, runs them):

1. ``plan`` (here; after the layers are placed, before their labels): which connections are
   drawn and where their *legs* stand on their layers' tops (``Port``). At each layer the
   incoming legs stand left of the outgoing ones; of the incoming, the higher an arc the
   further right, of the outgoing the further left. Arcs are ranked by span (a nested span is
   lower), so an arc never crosses another whose span is nested in, or apart from, its own. A
   connection between two layers whose facing sides share a level and see each other clear
   (a U-Net's encoder and decoder) is one straight horizontal arrow instead. The legs are
   returned as *walls*: the style keeps its labels out of them (``clear_of_walls`` moves the
   texts already drawn).
2. ``arcs.route`` (after the labels): each arc on a track above everything in its x-range
   (``Obstacles``), with its merge symbol and arrowhead.

Arcs never cross each other unless their spans interleave (a → c and b → d with a < b < c < d:
on one side of a row they must); then a note says which.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..geometry import BBox, Point
from ..graph import CONNECTION_KINDS, Connection, Graph
from ..kinds import MERGE_SYMBOLS
from ..scene import (
    Group,
    LineTo,
    MoveTo,
    Path,
    Polylines,
    Primitive,
    Scene,
    Text,
)
from ..theme import Theme
from .labels import moved_clear

SYMBOLS = MERGE_SYMBOLS  # what the merge shapes stand for
Segment2 = tuple[Point, Point]
Wall = tuple[float, float, float]  # (x, y of the layer's top, half width): a leg rising there


@dataclass(frozen=True)
class Port:
    """A layer as the arcs see it. Legs land on its top within ``x0..x1`` (``top(x)`` is the
    y of its highest drawn point at x); a straight arc leaves its ``right`` side or enters its
    ``left`` side at a y within ``y0..y1``."""

    x0: float
    x1: float
    top: Callable[[float], float]
    left: float
    left_span: tuple[float, float]  # the y-range of the left side
    right: float
    right_span: tuple[float, float]

    def top_at(self, x: float) -> float:
        return self.top(min(max(x, self.x0), self.x1))


@dataclass
class Obstacles:
    """What an arc must keep clear of: boxes (shapes, texts) and line segments."""

    boxes: list[BBox] = field(default_factory=list)
    segments: list[Segment2] = field(default_factory=list)

    def add_items(self, items: Iterable[Primitive]) -> None:
        for item in items:
            if isinstance(item, Path) and isinstance(item.data, tuple) and all(
                    isinstance(s, MoveTo | LineTo) for s in item.data):
                last: Point | None = None
                for s in item.data:
                    assert isinstance(s, MoveTo | LineTo)
                    point = (s.x, s.y)
                    if isinstance(s, LineTo) and last is not None:
                        self.segments.append((last, point))
                    last = point
            elif isinstance(item, Path) and isinstance(item.data, Polylines) and not item.data.closed \
                    and item.fill == "none" and len(item.data.lines) <= 1000:  # a bigger bundle: its box
                for line in item.data.lines:
                    self.segments += list(itertools.pairwise(line))
            else:
                self.boxes.append(item.bbox())

    def top(self, x0: float, x1: float) -> float | None:
        """The highest y of anything within x0..x1."""
        tops = [b.y0 for b in self.boxes if b.x0 <= x1 and x0 <= b.x1]
        for (ax, ay), (bx, by) in self.segments:
            lo, hi = max(min(ax, bx), x0), min(max(ax, bx), x1)
            if lo > hi:
                continue
            if ax == bx:
                tops.append(min(ay, by))
            else:
                tops.append(min(ay + (by - ay) * (x - ax) / (bx - ax) for x in (lo, hi)))
        return min(tops) if tops else None

    def flipped(self) -> Obstacles:
        """The same obstacles with x and y swapped (a network that flows down the page, routed
        as one that flows along it)."""
        return Obstacles([BBox(b.y0, b.x0, b.y1, b.x1) for b in self.boxes],
                         [((a[1], a[0]), (b[1], b[0])) for a, b in self.segments])

    def hits(self, box: BBox, ignore: BBox | None = None) -> bool:
        """Whether ``box`` meets any box (but ``ignore``) or segment."""
        return any(b.overlaps(box) for b in self.boxes if b is not ignore) or \
            any(_crosses_band(s, box) for s in self.segments)

    def clear(self, a: Point, b: Point, pad: float) -> bool:
        """Whether the horizontal segment a-b (a band of ``pad`` around it) meets nothing."""
        band = BBox(min(a[0], b[0]), a[1] - pad, max(a[0], b[0]), a[1] + pad)
        if any(box.overlaps(band) for box in self.boxes):
            return False
        return not any(_crosses_band(s, band) for s in self.segments)


def _crosses_band(segment: Segment2, band: BBox) -> bool:
    (ax, ay), (bx, by) = segment
    lo, hi = max(min(ax, bx), band.x0), min(max(ax, bx), band.x1)
    if lo > hi:
        return False
    if ax == bx:
        ys = [ay, by]
    else:
        ys = [ay + (by - ay) * (x - ax) / (bx - ax) for x in (lo, hi)]
    return max(ys) >= band.y0 and min(ys) <= band.y1


@dataclass
class Arc:
    """One drawn connection: its legs' x on the source and the target, or (straight) the y of
    a horizontal arrow from the source's right side to the target's left side."""

    connection: Connection
    rank: int
    xs: float = 0.0
    xt: float = 0.0
    straight: float | None = None
    lift: float = 0.0  # the merge symbol this much higher on its leg (legs too close for side by side)


@dataclass
class Plan:
    arcs: list[Arc]
    walls: list[tuple[float, float, float]]  # (x, y of the layer's top, half width): a leg rising there
    notes: list[str]
    landings: list[tuple[int, BBox]] = field(default_factory=list)  # (layer, its arrowheads and symbols)

    def wall_boxes(self, flip: bool = False) -> list[BBox]:
        """The legs as tall boxes on the page (``flip``: the plan is in the swapped frame)."""
        boxes = [BBox(x - half, bottom - 1e5, x + half, bottom) for x, bottom, half in self.walls]
        return [BBox(b.y0, b.x0, b.y1, b.x1) for b in boxes] if flip else boxes

    def straight_segments(self, ports: Sequence[Port]) -> list[Segment2]:
        """The straight arcs as segments (labels keep clear of them too)."""
        return [((ports[a.connection.source].right, a.straight), (ports[a.connection.target].left, a.straight))
                for a in self.arcs if a.straight is not None]


def scene_obstacles(scene: Scene, plan: Plan | None = None, flip: bool = False) -> Obstacles:
    """Everything drawn in ``scene`` so far, and the legs of a skip plan, as obstacles on the
    page."""
    seen = Obstacles()
    seen.add_items(scene.walk())
    if plan is not None:
        seen.boxes += plan.wall_boxes(flip)
    return seen


def drawn_connections(graph: Graph) -> list[Connection]:
    """The connections the chain styles draw as arcs: every one but the chain's own
    ``i → i+1`` data links."""
    return list(graph.extra_connections())


def symbol_radius(theme: Theme) -> float:
    return max(3.0, theme.text.size * 0.42)


def leg_spacing(theme: Theme) -> float:
    return 2 * symbol_radius(theme) + theme.text.size * 0.35


def _span(c: Connection) -> tuple[int, int]:
    return (min(c.source, c.target), max(c.source, c.target))


def plan(graph: Graph, ports: Sequence[Port], theme: Theme, obstacles: Obstacles | None = None) -> Plan:
    """Which connections are drawn, in which order (rank: the lower, the nearer the row), and
    where their legs stand; straight where the two layers see each other clear (``obstacles``:
    the layers and lines drawn so far)."""
    connections = drawn_connections(graph)
    ordered = sorted(connections, key=lambda c: (_span(c)[1] - _span(c)[0], _span(c)[0], _span(c)[1],
                                                 CONNECTION_KINDS.index(c.kind)))
    arcs = [Arc(c, rank) for rank, c in enumerate(ordered)]
    if obstacles is not None:
        _straighten(arcs, ports, theme, obstacles)
    walls, landings = _legs(arcs, ports, theme)
    return Plan(arcs, walls, _interleaving(arcs)[:4], landings)


def _straighten(arcs: list[Arc], ports: Sequence[Port], theme: Theme, obstacles: Obstacles) -> None:
    """A straight arrow where the facing sides share a level with a clear view."""
    r = symbol_radius(theme)
    head = theme.arrow.length
    for arc in arcs:
        c = arc.connection
        a, b = ports[c.source], ports[c.target]
        if a.x0 > b.x0:
            continue
        lo, hi = max(a.right_span[0], b.left_span[0]), min(a.right_span[1], b.left_span[1])
        need = head * 2 + (2 * r + 3 if c.kind in SYMBOLS else 0.0)
        if hi - lo < 2 or b.left - a.right < need:
            continue
        for t in (0.3, 0.5, 0.15, 0.7, 0.85):
            y = lo + (hi - lo) * t
            if obstacles.clear((a.right + 0.5, y), (b.left - 0.5, y), max(r, theme.arrow.width) + 1.0):
                arc.straight = y
                break


def _legs(arcs: list[Arc], ports: Sequence[Port], theme: Theme) -> tuple[list[Wall], list[tuple[int, BBox]]]:
    """Where the bent arcs' legs stand on each layer (``Arc.xs``, ``Arc.xt``, ``Arc.lift``), as
    walls, and the landings (the arrowheads and symbols on a layer)."""
    ends: dict[int, list[tuple[int, Arc]]] = {}  # layer → (order key, arc)
    for arc in arcs:
        if arc.straight is not None:
            continue
        c = arc.connection
        # at each layer: incoming legs (the higher, the further right), then outgoing (the
        # higher, the further left); a backward (recurrent) arc arrives from the right
        for layer, incoming in ((c.target, True), (c.source, False)):
            other = c.source if incoming else c.target
            from_left = ports[other].x0 < ports[layer].x0
            key = (0 if from_left else 1) * 10**6 + (arc.rank if from_left else -arc.rank)
            ends.setdefault(layer, []).append((key, arc))
    walls: list[Wall] = []
    landings: list[tuple[int, BBox]] = []
    r = symbol_radius(theme)
    for layer, items in sorted(ends.items()):
        items.sort(key=lambda item: item[0])
        port = ports[layer]
        start, step = _leg_row(port, len(items), theme)
        staggered = step < leg_spacing(theme)
        for k, (_, leg) in enumerate(items):
            x = start + k * step
            landing = layer == leg.connection.target
            if landing:
                leg.xt = x
                leg.lift = (k % 2) * (2 * r + 1.5) if staggered else 0.0
            else:
                leg.xs = x
            symbol = landing and leg.connection.kind in SYMBOLS
            half = r if symbol else theme.arrow.width / 2
            walls.append((x, port.top_at(x), half))
            if landing:
                reach = theme.arrow.length + (2 * r + max(1.5, theme.text.size * 0.15) + leg.lift if symbol else 0.0)
                landings.append((layer, BBox(x - half, port.top_at(x) - reach, x + half, port.top_at(x))))
    return walls, landings


def _leg_row(port: Port, count: int, theme: Theme) -> tuple[float, float]:
    """The first leg's x and the step between legs on a layer: as far apart as leg_spacing
    allows, closer on a narrow layer (merge symbols then stagger)."""
    least = theme.arrow.width + 1.5  # legs closer than this would merge their arrowheads
    room = port.x1 - port.x0
    step = leg_spacing(theme) if count < 2 else max(least, min(leg_spacing(theme), room / (count - 1)))
    width = step * (count - 1)
    mid = (port.x0 + port.x1) / 2
    start = min(max(mid - width / 2, port.x0), port.x1 - width) if width <= room else mid - width / 2
    return start, step


def _interleaving(arcs: list[Arc]) -> list[str]:
    """Notes on the bent arcs that must cross: their spans interleave."""
    notes = []
    bent = [arc for arc in arcs if arc.straight is None]
    for n, one in enumerate(bent):
        for later in bent[n + 1:]:
            (p0, p1), (q0, q1) = _span(one.connection), _span(later.connection)
            if p0 < q0 < p1 < q1 or q0 < p0 < q1 < p1:
                notes.append(f"connections {one.connection.source}→{one.connection.target} and "
                             f"{later.connection.source}→{later.connection.target} interleave, so their arcs cross")
    return notes


# --- the labels already drawn, off the legs --------------------------------------------------

def clear_of_walls(scene: Scene, walls: Sequence[tuple[float, float, float]], flip: bool = False) -> None:
    """Move the texts that a leg would cross (an activation's name over its layer) beside it,
    to the nearer side (``flip``: the walls are in the swapped frame)."""
    if not walls:
        return
    boxes = []
    for x, bottom, half in walls:
        box = BBox(x - half, bottom - 1e5, x + half, bottom)
        boxes.append(BBox(box.y0, box.x0, box.y1, box.x1) if flip else box)

    def visit(group: Group) -> None:
        for k, child in enumerate(group.children):
            if isinstance(child, Group):
                visit(child)
            elif isinstance(child, Text) and child.host is None:
                hit = [b for b in boxes if b.overlaps(child.box)]
                if hit:
                    wall = hit[0]
                    if flip:
                        up = child.box.center_y < wall.center_y
                        group.children[k] = moved_clear(child, boxes, (0.0, -1.0 if up else 1.0))
                    else:
                        left = child.box.center_x < wall.center_x
                        group.children[k] = moved_clear(child, boxes, (-1.0 if left else 1.0, 0.0))

    for g in scene.groups:
        visit(g)
