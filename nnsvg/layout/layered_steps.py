"""The pieces of the layered layout (``layout.layered``) that stand on their own: a node during
the layout (a box or a dummy on a long edge's lane) and the pieces of a route; the least-squares
fit under separations (``pav``, pool-adjacent-violators), crossings counted with a Fenwick
tree, rigid chains and the room a chain may move in (``Room``, ``move_chain``), tracks
assigned to the nets that turn in one gap, and a route's collinear points dropped."""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

Point = tuple[float, float]  # (u, v)

ROOM_SLACK = 1e-6  # px: a position this close to a frozen node's reach is tried by pushing (rounding)


class Node:
    """A box or a dummy (a long edge passing a rank: ``real`` is -1) during the layout."""

    __slots__ = ("across", "along", "frames", "index", "rank", "real", "v")

    def __init__(self, along: float, across: float, real: int, rank: int) -> None:
        self.along, self.across, self.real, self.rank = along, across, real, rank
        self.v = 0.0  # position across the flow
        self.index = 0  # position in its rank's order
        self.frames: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Start:  # out of the source's downstream side at v
    node: Node
    v: float


@dataclass(frozen=True)
class Turn:  # across the flow in the gap after rank ``gap``, on the track of its nets
    gap: int
    v_from: float
    v_to: float
    nets: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class End:  # into the target's upstream side at v
    node: Node
    v: float


@dataclass(frozen=True)
class Flank:  # along the lane to the target's middle, then into its flank (side -1 or +1)
    node: Node
    side: int


@dataclass(frozen=True)
class Beside:  # straight across from a side input to its merge, in their rank
    source: Node
    target: Node


Piece = Start | Turn | End | Flank | Beside


Net = tuple[int, str, int]  # a gap, and what the turns in it share a track for: ("out", box), ("edge", k)...


def pav(desired: list[float], weights: list[float], seps: list[float]) -> list[float]:
    """Positions x (in order) minimising Σ w·(x − desired)² with x[i+1] − x[i] ≥ seps[i]."""
    offsets = [0.0]
    for s in seps:
        offsets.append(offsets[-1] + s)
    targets = [d - o for d, o in zip(desired, offsets)]
    blocks: list[list[float]] = []  # [weighted sum, weight, count]
    for t, w in zip(targets, weights):
        blocks.append([t * w, w, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            top = blocks.pop()
            blocks[-1][0] += top[0]
            blocks[-1][1] += top[1]
            blocks[-1][2] += top[2]
    out = []
    for total, weight, count in blocks:
        out.extend([total / weight] * int(count))
    return [y + o for y, o in zip(out, offsets)]


def count_crossings(upper: list[Node], down: dict[int, list[Node]], rank: int) -> int:
    """Crossings between the edges from ``upper`` (in order) to the next rank."""
    ends = [b.index for a in upper for b in sorted(down.get(id(a), []), key=lambda m: m.index)
            if b.rank == rank + 1]
    return inversions(ends)


def inversions(values: list[int]) -> int:
    """How many pairs stand in the wrong order (a larger value first), counted with a Fenwick tree
    over the values (non-negative indices): n log n, where counting pairs was quadratic in a rank
    crossed by hundreds of skips."""
    size = max(values, default=-1) + 2
    tree = [0] * (size + 1)
    count = 0
    for seen, x in enumerate(values):
        k, below = x + 1, 0  # how many seen so far are ≤ x
        while k > 0:
            below += tree[k]
            k -= k & -k
        count += seen - below
        k = x + 1
        while k <= size:
            tree[k] += 1
            k += k & -k
    return count


def rigid_chains(nodes: list[Node], links: list[tuple[Node, Node]]) -> list[list[Node]]:
    """The chains of nodes joined by aligning links, longest first (ties: the lowest position in
    ``nodes``)."""
    parent = list(range(len(nodes)))
    where = {id(node): k for k, node in enumerate(nodes)}

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in links:
        ra, rb = find(where[id(a)]), find(where[id(b)])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[Node]] = {}
    for k, node in enumerate(nodes):
        groups.setdefault(find(k), []).append(node)
    chains = [g for g in groups.values() if len(g) > 1 and len({m.rank for m in g}) == len(g)]
    return sorted(chains, key=lambda g: (-len(g), where[id(g[0])]))


class Room:
    """Where a chain may go without pushing a frozen node, read off the rows in constant time per
    member (``move_chain`` finds it out by pushing, which tried in turn for every position a chain
    might take made straightening cubic in the skips of a wide figure).

    In a row whose separations hold, the nodes' positions less the separations before them
    (``offsets``) never decrease; a node moved to ``v`` pushes every node on its right whose such
    value is below its own, up to the first that is not, and alike on its left. So the push reaches
    the first frozen node on a side exactly when that node's value is on the wrong side of the
    moved node's."""

    def __init__(self, rows: list[list[Node]], separation: Callable[[Node, Node], float],
                 frozen: set[int]) -> None:
        self.rows = rows
        self.offsets: list[list[float]] = []
        self.frozen: list[list[int]] = []  # per row: the positions of its frozen nodes, in order
        for row in rows:
            offsets = [0.0]
            for a, b in itertools.pairwise(row):
                offsets.append(offsets[-1] + separation(a, b))
            self.offsets.append(offsets)
            self.frozen.append([k for k, node in enumerate(row) if id(node) in frozen])

    def freeze(self, chain: list[Node]) -> None:
        for m in chain:
            bisect.insort(self.frozen[m.rank], m.index)

    def span(self, chain: list[Node]) -> tuple[float, float]:
        """The positions ``chain`` may move to: from, to (nothing when from > to)."""
        lo, hi = -math.inf, math.inf
        for m in chain:
            row, offsets, frozen = self.rows[m.rank], self.offsets[m.rank], self.frozen[m.rank]
            k = bisect.bisect_right(frozen, m.index)
            if k < len(frozen):  # the first frozen node on its right
                f = frozen[k]
                hi = min(hi, row[f].v - offsets[f] + offsets[m.index])
            if k > 0:  # and on its left
                f = frozen[k - 1]
                lo = max(lo, row[f].v - offsets[f] + offsets[m.index])
        return lo - ROOM_SLACK, hi + ROOM_SLACK


def straighten(chain: list[Node], rows: list[list[Node]], separation: Callable[[Node, Node], float],
                frozen: set[int], room: Room) -> bool:
    """Move a chain to one position across (the mean of its members', else one member's), pushing
    the nodes beside it in each of its ranks aside as far as they must go. False, and nothing
    moved, when every such position would push a frozen node (``room`` rules out at once the
    positions that would)."""
    lo, hi = room.span(chain)
    if lo > hi:
        return False
    mean = sum(m.v for m in chain) / len(chain)
    targets = [mean, *sorted({m.v for m in chain}, key=lambda v: (abs(v - mean), v))]
    return any(move_chain(chain, v, rows, separation, frozen) for v in targets if lo <= v <= hi)


def move_chain(chain: list[Node], v: float, rows: list[list[Node]], separation: Callable[[Node, Node], float],
                frozen: set[int]) -> bool:
    """Move every node of ``chain`` to ``v``, pushing its neighbours aside; False, and nothing
    moved, when that would push a frozen node."""
    touched: dict[int, tuple[Node, float]] = {}

    def move(node: Node, to: float) -> bool:
        if abs(node.v - to) < 1e-9:
            return True
        if id(node) in frozen:
            return False
        touched.setdefault(id(node), (node, node.v))
        node.v = to
        return True

    ok = all(move(m, v) for m in chain)
    for m in chain if ok else ():
        row = rows[m.rank]
        for j in range(m.index + 1, len(row)):  # push the right side right
            need = row[j - 1].v + separation(row[j - 1], row[j])
            if row[j].v >= need - 1e-9:
                break
            if not move(row[j], need):
                ok = False
                break
        for j in range(m.index - 1, -1, -1):  # and the left side left
            need = row[j + 1].v - separation(row[j], row[j + 1])
            if row[j].v <= need + 1e-9:
                break
            if not move(row[j], need):
                ok = False
                break
        if not ok:
            break
    if not ok:
        for node, old in touched.values():
            node.v = old
    return ok


def assign_tracks(nets: dict[Net, list[float]], gap: float, assignment: dict[Net, int]) -> int:
    """Each net's track in one gap (into ``assignment``): the lowest-numbered track free at the
    start of its span, nets taken by where their spans start; returns the number of tracks. A
    track once free stays free for every later net (they start no earlier), so the free tracks
    wait in a heap by number and the busy ones in a heap by where they end: n log n, where
    looking along the tracks for every net was quadratic in the nets of a gap."""
    busy: list[tuple[float, int]] = []  # (end, track)
    free: list[int] = []
    count = 0
    for key, (lo, hi) in sorted(nets.items(), key=lambda item: (item[1][0], item[1][1], item[0])):
        while busy and busy[0][0] + gap <= lo:
            heapq.heappush(free, heapq.heappop(busy)[1])
        track = heapq.heappop(free) if free else count
        count = max(count, track + 1)
        heapq.heappush(busy, (hi, track))
        assignment[key] = track
    return count


def simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and the middle of straight runs."""
    out: list[Point] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 1e-9 and abs(out[-1][1] - p[1]) < 1e-9:
            continue
        if len(out) >= 2:
            a, b = out[-2], out[-1]
            if (abs(a[0] - b[0]) < 1e-9 and abs(b[0] - p[0]) < 1e-9) or (abs(a[1] - b[1]) < 1e-9 and
                                                                            abs(b[1] - p[1]) < 1e-9):
                out[-1] = p
                continue
        out.append(p)
    return out
