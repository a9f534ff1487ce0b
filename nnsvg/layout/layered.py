"""A layered (Sugiyama-style) layout of boxes joined by orthogonal edges, for block diagrams.

Pure geometry: it knows boxes (their size along and across the flow), edges and frames, never
layers or ops. Coordinates are abstract: ``u`` runs along the flow (downstream is larger), ``v``
across it; a renderer maps them to the page (left→right: x = u, y = v; bottom→top: x = v,
y = -u).

The steps, each deterministic (ties broken by node index, never by hashing):

1. **Ranks.** Longest path from the sources along the *ranked* edges (the data flow), then every
   node that feeds others is pulled down to just before its first consumer (so a short branch of
   a fork sits next to its join, as in the Inception figure), sinks staying where they are. A
   source whose only edge goes into a merge node that has another input (the Transformer's
   positional encoding into ⊕) is placed *beside* that merge, in its rank.
2. **Long edges** get a dummy node in every rank they pass; a long edge into a node that also
   has an input from the rank before it (a residual skip into ⊕ or Add & Norm) gets one more in
   the target's own rank, so it runs beside the target and enters it from the side. Every step
   after this one takes time near-linear in the boxes, edges and dummies; the dummies are capped
   (``MAX_LANE_STEPS``), since one input feeding n layers needs n²/2 of them.
3. **Order** within ranks: a depth-first order from the sources (the trunk first, so skips lie on
   one side), improved by barycenter sweeps that keep an order only when it has fewer crossings.
4. **Across positions**: every rank is a row of boxes with minimum separations (boxes, lanes
   of dummies, frame paddings, frame labels); positions are the weighted least-squares fit to
   the neighbours' positions under those separations (pool-adjacent-violators: exact, linear),
   swept down and up the ranks until they settle. The weights say what a series-parallel
   network looks like: a fork pulls its branches weakly and is pulled by each fully, so it sits
   amid them and they spread symmetrically about it (Inception's four lanes); a box after a box
   with nothing else between them is pulled hard (a trunk, a branch); a skip's lane barely pulls
   the boxes it leaves and enters, so it keeps beside them. Then every chain of such aligned
   boxes, and every lane of dummies, is made rigid: moved to one position (pushing what is beside
   it aside, never what is already rigid), frozen, and the rest fitted again. A network that is
   not series-parallel goes through the same steps: its crossings are the ordering's to keep few.
5. **Along positions**: rank rows as deep as their deepest box; each gap between rows as wide as
   the arrows, the horizontal tracks of the edges that turn in it and the frames that end or
   start there need.
6. **Routes**: orthogonal polylines. An edge leaves the downstream side of its source and enters
   the upstream side of its target (or its flank, from a lane beside it), turning only in the
   gaps between rows, on tracks assigned so that edges of different nets never run on top of
   each other. Edges that are not ranked (a link between two stacks, a recurrent loop) go out
   into the gap after their source, along a free corridor across the rows (clear of boxes,
   lanes, other corridors, and the frames and frame labels the edge does not leave or enter),
   and into the gap before their target.
7. **Frames**: each frame is the box around its members and the lanes of their edges, padded
   (more for a frame around frames); the gaps before and after it make room for its padding.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from ..errors import SpecError
from ..graph import ordered
from .layered_steps import (
    Beside,
    End,
    Flank,
    Net,
    Node,
    Piece,
    Point,
    Room,
    Start,
    Turn,
    assign_tracks,
    count_crossings,
    pav,
    rigid_chains,
    simplify,
    straighten,
)

DUMMY_WEIGHT = 50.0  # how strongly a lane of dummies keeps straight
TO_DUMMY = 0.001  # how little a real box is pulled toward a skip's lane
SWEEPS = 30  # down-and-up sweeps of the across positions
ORDER_SWEEPS = 8
ALIGN = 8.0  # how strongly a box lines up with its only predecessor (a trunk, a branch's lane)
SNAP = 0.75  # px: closer than this, a box lines up with its neighbour and a lane runs straight
# a long connection's lane is a node in every row it passes, and the layout's time and memory
# grow with them (~50 µs, ~1.5 kB each): DenseNet-121 drawn op by op needs ~25,000, one input
# fed to each of 316 layers 50,000 (a lane per layer: 3,000 px of lanes beside the boxes)
MAX_LANE_STEPS = 50_000


@dataclass(frozen=True)
class Box:
    along: float  # size along the flow
    across: float  # size across it
    side_entry: bool = False  # skips come in from the flank
    merge: bool = False  # a merge: a side input (a source feeding only it) may sit beside it


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    ranked: bool = True  # the target is placed after the source


@dataclass(frozen=True)
class Frame:
    """A frame around ``members`` (node indices): ``pad`` from the boxes; a label beside it that
    needs ``label_across`` across the flow (0: none)."""

    members: frozenset[int]
    pad: float
    label_across: float = 0.0


@dataclass(frozen=True)
class Options:
    rank_gap: float = 22.0  # between rows, at least
    lane_gap: float = 18.0  # between boxes side by side
    edge_gap: float = 10.0  # between a lane of edges and what is beside it
    track_gap: float = 8.0  # between horizontal tracks in one gap
    arrow: float = 7.0  # the arrowhead's length: a turn stays this far from a target


@dataclass
class Layout:
    centers: list[Point]  # per box
    ranks: list[int]  # per box
    routes: list[list[Point]]  # per edge: from the source's boundary to the target's boundary
    frames: list[tuple[float, float, float, float]]  # per frame: u0, v0, u1, v1 (the padding included)
    label_sides: list[int]  # per frame: -1 or +1, the side of its label (across)
    rows: list[tuple[float, float]] = field(default_factory=list)  # per rank: u0, u1


def _topological(n: int, edges: list[Edge]) -> list[int]:
    order = ordered(n, [(e.source, e.target) for e in edges])
    if len(order) < n:  # a cycle of ranked edges: the caller ranks only acyclic data edges
        raise ValueError("ranked edges make a cycle")
    return order


def ranks_of(boxes: list[Box], edges: list[Edge]) -> tuple[list[int], set[int]]:
    """Each box's rank, and the edges (by index) drawn beside their target in its rank."""
    n = len(boxes)
    ranked = [e for e in edges if e.ranked and e.source != e.target]
    order = _topological(n, ranked)
    rank = [0] * n
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for e in ranked:
        preds[e.target].append(e.source)
        succs[e.source].append(e.target)
    for i in order:
        for p in preds[i]:
            rank[i] = max(rank[i], rank[p] + 1)
    for i in reversed(order):  # feed-ins sit right before their first consumer
        if succs[i]:
            rank[i] = max(rank[i], min(rank[s] for s in succs[i]) - 1)
    beside: set[int] = set()
    taken: set[int] = set()  # merges with a side input already (one each)
    degree = [0] * n  # edges of every kind at each box
    for e in edges:
        degree[e.source] += 1
        degree[e.target] += e.target != e.source
    for k, e in enumerate(edges):
        s, t = e.source, e.target
        if (e.ranked and boxes[t].merge and t not in taken and not preds[s] and succs[s] == [t]
                and len(preds[t]) > 1 and preds[t][0] != s and rank[preds[t][0]] == rank[t] - 1
                and degree[s] == 1):
            rank[s] = rank[t]
            beside.add(k)
            taken.add(t)
    return rank, beside


class _Layered:
    """One layout in progress (``layout`` runs its steps in order)."""

    def __init__(self, boxes: list[Box], edges: list[Edge], frames: list[Frame], options: Options,
                 soft: set[int]) -> None:
        self.boxes, self.frames, self.options = boxes, frames, options
        self.n = len(boxes)
        hard = [Edge(e.source, e.target, e.ranked and k not in soft) for k, e in enumerate(edges)]
        self.rank, self.beside = ranks_of(boxes, hard)
        self.edges = [Edge(e.source, e.target, e.ranked and (k not in soft or self.rank[e.target] >
                                                             self.rank[e.source])) for k, e in enumerate(edges)]
        self.nodes = [Node(b.along, b.across, i, self.rank[i]) for i, b in enumerate(boxes)]
        for f, frame in enumerate(frames):
            for m in frame.members:
                self.nodes[m].frames = self.nodes[m].frames | {f}
        self.frame_ranks = [(min(self.rank[m] for m in f.members), max(self.rank[m] for m in f.members))
                            for f in frames]
        self.label_side = [1] * len(frames)
        self.ranked = [k for k, e in enumerate(self.edges) if e.ranked and k not in self.beside]
        self.chains: dict[int, list[Node]] = {}
        self.down: dict[int, list[Node]] = {}
        self.up: dict[int, list[Node]] = {}
        self.rows: list[list[Node]] = []
        self.neighbours: dict[int, list[tuple[Node, float]]] = {}
        self.frozen: set[int] = set()
        self.corridors: list[tuple[float, int, int]] = []  # the corridors taken: across, and their ranks
        self.inside: list[list[Node]] = []  # per frame: its nodes (frame_nodes)
        self.beside_of = {self.edges[k].target: self.edges[k].source for k in self.beside}

    # --- 2. long edges ------------------------------------------------------------------------------
    def make_chains(self) -> None:
        """Each ranked edge as the nodes it passes, dummies between its ends; a skip into a box
        that also has an input from the rank before it gets a dummy beside that box too."""
        before: dict[int, set[int]] = {}
        for k in self.ranked:
            e = self.edges[k]
            before.setdefault(e.target, set()).add(self.rank[e.source])
        flanks = {k for k in self.ranked if self.rank[self.edges[k].target] - self.rank[self.edges[k].source] > 1
                  and self.rank[self.edges[k].target] - 1 in before[self.edges[k].target]
                  and self.boxes[self.edges[k].target].side_entry}
        lanes = sum(max(0, self.rank[self.edges[k].target] - self.rank[self.edges[k].source] - 1) for k in self.ranked)
        if lanes + len(flanks) > MAX_LANE_STEPS:
            raise SpecError(f"connections: the long connections pass {lanes + len(flanks):,} rows in all, more than "
                            f"nnsvg lays out (at most {MAX_LANE_STEPS:,}; each runs in a lane of its own beside every "
                            "row it passes, and so many lanes side by side are unreadable at any size)")
        for k in self.ranked:
            e = self.edges[k]
            s, t = self.nodes[e.source], self.nodes[e.target]
            flank = k in flanks
            chain = [s]
            for r in range(s.rank + 1, t.rank + 1 if flank else t.rank):
                d = Node(0.0, 0.0, -1, r)
                d.frames = frozenset(f for f in s.frames | t.frames
                                     if self.frame_ranks[f][0] <= r <= self.frame_ranks[f][1])
                self.nodes.append(d)
                chain.append(d)
            chain.append(t)
            self.chains[k] = chain
            for a, b in itertools.pairwise(chain):
                if b.rank != a.rank:  # (a flank dummy's last step stays in its rank)
                    self.down.setdefault(id(a), []).append(b)
                    self.up.setdefault(id(b), []).append(a)

    # --- 3. order -----------------------------------------------------------------------------------
    def order(self) -> None:
        count = max(node.rank for node in self.nodes) + 1
        self.rows = [[] for _ in range(count)]
        placed: set[int] = set()
        flanks: dict[int, list[Node]] = {}
        for chain in self.chains.values():
            if chain[-2].rank == chain[-1].rank:
                flanks.setdefault(id(chain[-1]), []).append(chain[-2])

        def put(node: Node) -> None:
            if id(node) not in placed:
                placed.add(id(node))
                self.rows[node.rank].append(node)

        def visit(start: Node) -> None:  # depth first, edges in their order: the trunk first
            stack = [start]
            while stack:
                cur = stack.pop()
                if id(cur) in placed:
                    continue
                put(cur)
                if cur.real in self.beside_of:  # its side input next to it
                    put(self.nodes[self.beside_of[cur.real]])
                for d in flanks.get(id(cur), []):  # the lanes into its flank next to it
                    put(d)
                stack.extend(reversed(self.down.get(id(cur), [])))

        sides = set(self.beside_of.values())
        for node in self.nodes[:self.n]:
            if not self.up.get(id(node)) and node.real not in sides:
                visit(node)
        for node in self.nodes:
            visit(node)
        self.renumber()
        best, best_rows = self.crossings(), [list(row) for row in self.rows]
        for sweep in range(ORDER_SWEEPS):
            if best == 0:
                break
            downward = sweep % 2 == 0
            links = self.up if downward else self.down
            for r in (range(1, count) if downward else range(count - 2, -1, -1)):
                def key(node: Node, r: int = r, links: dict[int, list[Node]] = links) -> tuple[float, int]:
                    near = [m.index for m in links.get(id(node), []) if abs(m.rank - r) == 1]
                    return (sum(near) / len(near) if near else float(node.index), node.index)

                self.rows[r].sort(key=key)
                for k, node in enumerate(self.rows[r]):
                    node.index = k
            crossings = self.crossings()
            if crossings < best:
                best, best_rows = crossings, [list(row) for row in self.rows]
        self.rows = best_rows
        for target, source in sorted(self.beside_of.items()):  # a side input on the outer side
            row = self.rows[self.rank[target]]
            row.remove(self.nodes[source])
            at = row.index(self.nodes[target])
            row.insert(at if at == 0 else at + 1, self.nodes[source])
        self.renumber()

    def renumber(self) -> None:
        for row in self.rows:
            for k, node in enumerate(row):
                node.index = k

    def crossings(self) -> int:
        return sum(count_crossings(self.rows[r], self.down, r) for r in range(len(self.rows) - 1))

    # --- 4. positions across ------------------------------------------------------------------------
    def weigh(self) -> None:
        """How strongly each node is drawn to each neighbour in the ranks next to it."""
        # the dummies of skips (beside the boxes, into a flank): not a branch of the box they leave
        lanes = {id(d) for c in self.chains.values() if c[-2].rank == c[-1].rank for d in c[1:-1]}
        outs = {key: sum(1 for m in near if id(m) not in lanes) or 1 for key, near in self.down.items()}
        ins = {key: sum(1 for m in near if id(m) not in lanes) or 1 for key, near in self.up.items()}
        for k in self.ranked:
            chain = self.chains[k]
            skip = chain[-2].rank == chain[-1].rank
            for a, b in itertools.pairwise(chain):
                if a.rank == b.rank:
                    continue
                if a.real < 0 and b.real < 0:
                    wa = wb = DUMMY_WEIGHT
                elif skip:
                    wa = wb = TO_DUMMY
                elif outs[id(a)] == 1 and ins[id(b)] == 1:
                    wa = wb = ALIGN  # one after the other, nothing else: a straight line
                else:  # a fork's children spread about it; a join sits amid its inputs
                    wa, wb = 1.0 / ins[id(b)], 1.0 / outs[id(a)]
                self.neighbours.setdefault(id(a), []).append((b, wa))
                self.neighbours.setdefault(id(b), []).append((a, wb))
        for k in self.beside:  # a side input: pushed aside by its merge, never pushing it
            e = self.edges[k]
            self.neighbours.setdefault(id(self.nodes[e.source]), []).append((self.nodes[e.target], 0.01))

    def separation(self, a: Node, b: Node) -> float:
        """The least distance from ``a`` to ``b`` next to it (b after a) in a rank."""
        o = self.options
        sep = a.across / 2 + b.across / 2 + (o.lane_gap if a.real >= 0 and b.real >= 0 else o.edge_gap)
        for f in sorted(a.frames ^ b.frames):
            frame = self.frames[f]
            sep += frame.pad
            if frame.label_across and ((f in a.frames and self.label_side[f] > 0) or
                                       (f in b.frames and self.label_side[f] < 0)):
                sep += frame.label_across
        return sep

    def fit(self, sweeps: int, pack: bool = True) -> None:
        """Sweeps down and up the ranks, each rank at the least-squares fit to its neighbours."""
        if pack:
            for row in self.rows:  # packed, centred on 0
                x = 0.0
                for k, node in enumerate(row):
                    x += self.separation(row[k - 1], node) if k else 0.0
                    node.v = x
                for node in row:
                    node.v -= x / 2
        count = len(self.rows)
        seps = [[self.separation(a, b) for a, b in itertools.pairwise(row)] for row in self.rows]
        pulls: dict[int, tuple[list[Node], list[float], float]] = {}  # a node's neighbours, weights, total
        for row in self.rows:
            for node in row:
                near = self.neighbours.get(id(node), [])
                if near and id(node) not in self.frozen:
                    pulls[id(node)] = ([m for m, _ in near], [w for _, w in near], sum(w for _, w in near))
        for _ in range(sweeps):
            moved = 0.0
            for r in [*range(count), *range(count - 1, -1, -1)]:
                row = self.rows[r]
                desired, weights = [], []
                for node in row:
                    pull = pulls.get(id(node))
                    if pull is None:  # frozen, or tied to nothing: stays
                        desired.append(node.v)
                        weights.append(1e6 if id(node) in self.frozen else 0.01)
                    else:
                        others, ws, total = pull
                        desired.append(sum(m.v * w for m, w in zip(others, ws, strict=True)) / total)
                        weights.append(total)
                fitted = pav(desired, weights, seps[r]) if len(row) > 1 else desired
                for node, v in zip(row, fitted, strict=True):
                    moved = max(moved, abs(node.v - v))
                    node.v = v
            if moved < 0.05:  # settled
                break

    def place(self) -> None:
        budget = max(4, min(SWEEPS, 1500 // max(len(self.nodes), 1)))  # big figures: fewer sweeps
        self.fit(budget)
        if any(f.label_across for f in self.frames):  # a frame's label goes on its outer side
            middle = (min(m.v - m.across / 2 for m in self.nodes) + max(m.v + m.across / 2 for m in self.nodes)) / 2
            for f, frame in enumerate(self.frames):
                vs = [self.nodes[m].v for m in frame.members]
                self.label_side[f] = -1 if (min(vs) + max(vs)) / 2 < middle - 1e-6 else 1
            self.fit(budget)
        # chains of aligned boxes and lanes of dummies are rigid: each at one position, the rest refit
        by_id = {id(node): node for node in self.nodes}
        links = [(by_id[key], m) for key, near in self.neighbours.items() for m, w in near if w >= ALIGN]
        chains = rigid_chains(self.nodes, links)
        for _ in range(2):
            room = Room(self.rows, self.separation, self.frozen)
            for chain in chains:
                if id(chain[0]) not in self.frozen and straighten(chain, self.rows, self.separation, self.frozen,
                                                                    room):
                    self.frozen.update(id(m) for m in chain)
                    room.freeze(chain)
            self.fit(budget, pack=False)
        shift = min(node.v - node.across / 2 for node in self.nodes)
        for node in self.nodes:
            node.v = round(node.v - shift, 6)

    # --- 6. routes ------------------------------------------------------------------------------------
    def port(self, node: Node, toward: float, snap: bool = False) -> float:
        """Where an edge toward ``toward`` leaves or enters ``node``: straight at ``toward``
        when that is well within the node, else at its middle."""
        if snap and abs(toward - node.v) < SNAP:
            return node.v
        inset = min(node.across / 2, max(4.0, node.across * 0.15))
        return toward if node.v - node.across / 2 + inset <= toward <= node.v + node.across / 2 - inset else node.v

    def frame_nodes(self) -> None:
        """Each frame's nodes (its boxes and the dummies in it), once the nodes are placed."""
        self.inside = [[] for _ in self.frames]
        for m in self.nodes:
            for f in m.frames:
                self.inside[f].append(m)

    def plans(self) -> list[list[Piece]]:
        self.frame_nodes()
        plans: list[list[Piece]] = [[] for _ in self.edges]
        for k in self.ranked:
            plans[k] = self.ranked_plan(k)
        for k in self.beside:
            e = self.edges[k]
            plans[k] = [Beside(self.nodes[e.source], self.nodes[e.target])]
        for k, e in enumerate(self.edges):
            if not e.ranked:
                plans[k] = self.corridor_plan(k)
        return plans

    def ranked_plan(self, k: int) -> list[Piece]:
        chain = self.chains[k]
        s, t = chain[0], chain[-1]
        flank = chain[-2].rank == t.rank and len(chain) > 2
        if flank and abs(chain[-2].index - t.index) != 1:  # something between the lane and the target:
            chain, flank = [*chain[:-2], t], False  # in through its upstream side instead
        v = self.port(s, chain[1].v, snap=True)
        plan: list[Piece] = [Start(s, v)]
        for a, b in itertools.pairwise(chain):
            if b is t and flank:
                plan.append(Flank(t, 1 if chain[-2].v > t.v else -1))
                break
            if b is t:
                v_in = self.port(t, v)
                if abs(v_in - v) > SNAP:
                    plan.append(Turn(a.rank, v, v_in, (("in", t.real), ("out", s.real)) if a is s else
                                      (("in", t.real),)))
                plan.append(End(t, v_in))
                break
            if abs(b.v - v) > SNAP:  # a turn in the gap before b's rank
                plan.append(Turn(a.rank, v, b.v, (("out", s.real),) if a is s else (("edge", k),)))
                v = b.v
        return plan

    def corridor_plan(self, k: int) -> list[Piece]:
        """Out into the gap after the source, along the free corridor across the ranks nearest to
        both ends, into the gap before the target."""
        e, o = self.edges[k], self.options
        s, t = self.nodes[e.source], self.nodes[e.target]
        lo, hi = min(s.rank, t.rank), max(s.rank, t.rank)
        blocked = [(m.v - m.across / 2 - o.edge_gap, m.v + m.across / 2 + o.edge_gap) for m in self.nodes
                   if lo <= m.rank <= hi]
        nest = _nesting(self.frames)
        for f, frame in enumerate(self.frames):  # a frame and its label, where they are in those ranks
            r0, r1 = self.frame_ranks[f]
            inside = self.inside[f]
            if r1 < lo or r0 > hi or not inside:
                continue
            room = frame.pad * nest[f] + o.edge_gap
            label = frame.label_across + o.edge_gap if frame.label_across else 0.0
            v0, v1 = min(m.v - m.across / 2 for m in inside) - room, max(m.v + m.across / 2 for m in inside) + room
            if e.source in frame.members or e.target in frame.members:  # it leaves or enters the frame anyway:
                if label:  # only its label is in the way
                    blocked.append((v1, v1 + label) if self.label_side[f] > 0 else (v0 - label, v0))
                continue
            blocked.append((v0 - (label if self.label_side[f] < 0 else 0),
                            v1 + (label if self.label_side[f] > 0 else 0)))
        blocked += [(c - o.edge_gap, c + o.edge_gap) for c, r0, r1 in self.corridors if r0 <= hi and lo <= r1]
        blocked.sort()
        candidates: list[float] = []
        reach = -math.inf
        for a, b in blocked:
            if a > reach:
                candidates.append((reach + a) / 2 if math.isfinite(reach) else a - o.edge_gap)
            reach = max(reach, b)
        candidates.append(reach + o.edge_gap if math.isfinite(reach) else s.v)
        corridor = min(candidates, key=lambda c: (abs(c - s.v) + abs(c - t.v), c))
        self.corridors.append((corridor, lo, hi))
        toward = 1 if corridor > t.v else -1
        v_in = t.v + toward * min(t.across / 4, max(t.across / 2 - 6, 0.0))
        return [Start(s, s.v), Turn(s.rank, s.v, corridor, (("out", s.real),)),
                Turn(t.rank - 1, corridor, v_in, (("edge", k),)), End(t, v_in)]

    def tracks(self, plans: list[list[Piece]]) -> tuple[dict[tuple[int, int], int], dict[int, int]]:
        """A track for every turn (by edge and piece) and the number of tracks in each gap: the
        turns of one net (out of one box, into one box, one edge) share a track; nets whose spans
        across the flow come closer than a track gap do not."""
        parent: dict[Net, Net] = {}

        def find(key: Net) -> Net:
            while parent.setdefault(key, key) != key:
                key = parent[key]
            return key

        turns: list[tuple[int, int, Turn]] = []
        for k, plan in enumerate(plans):
            for p, piece in enumerate(plan):
                if isinstance(piece, Turn):
                    roots = [find((piece.gap, *net)) for net in piece.nets]
                    for other in roots[1:]:
                        if other != roots[0]:
                            parent[other] = roots[0]
                    turns.append((k, p, piece))
        spans: dict[int, dict[Net, list[float]]] = {}
        for _, _, piece in turns:
            span = spans.setdefault(piece.gap, {}).setdefault(find((piece.gap, *piece.nets[0])), [math.inf, -math.inf])
            span[0] = min(span[0], piece.v_from, piece.v_to)
            span[1] = max(span[1], piece.v_from, piece.v_to)
        assignment: dict[Net, int] = {}
        counts = {gap: assign_tracks(nets, self.options.track_gap, assignment) for gap, nets in spans.items()}
        return {(k, p): assignment[find((piece.gap, *piece.nets[0]))] for k, p, piece in turns}, counts

    # --- 5. positions along, and the routes' points ----------------------------------------------------
    def along(self, counts: dict[int, int]) -> tuple[list[float], list[float], dict[int, float]]:
        """Each rank's start and depth along the flow, and where each gap's first track is."""
        o, count = self.options, len(self.rows)
        depth = [0.0] * count
        for node in self.nodes[:self.n]:
            depth[node.rank] = max(depth[node.rank], node.along)
        closing = [0.0] * (count + 1)  # frames ending at rank r: room after it
        opening = [0.0] * (count + 1)  # frames starting at rank r: room before it
        nest = _nesting(self.frames)
        for f, (r0, r1) in enumerate(self.frame_ranks):
            room = self.frames[f].pad * nest[f]
            closing[r1] = max(closing[r1], room)
            opening[r0] = max(opening[r0], room)
        start = [0.0] * count
        first_track: dict[int, float] = {}
        u = 0.0
        for g in range(-1, count):  # the gap after rank g
            tracks = counts.get(g, 0)
            spread = (tracks - 1) * o.track_gap if tracks else 0.0
            if 0 <= g < count - 1:
                needed = max(o.rank_gap, spread + 2 * o.arrow if tracks else 0.0)
            else:  # before the first rank, after the last: only for corridors
                needed = spread + 1.5 * o.arrow if tracks else 0.0
            u += closing[g] if g >= 0 else 0.0
            first_track[g] = u + (needed - spread) / 2
            u += needed + (opening[g + 1] if g + 1 < count else 0.0)
            if g + 1 < count:
                start[g + 1] = u
                u += depth[g + 1]
        return start, depth, first_track

    def resolve(self, plans: list[list[Piece]]) -> Layout:
        track_of, counts = self.tracks(plans)
        start, depth, first_track = self.along(counts)

        def middle(node: Node) -> float:
            return start[node.rank] + depth[node.rank] / 2

        routes: list[list[Point]] = []
        for k, plan in enumerate(plans):
            points: list[Point] = []
            for p, piece in enumerate(plan):
                if isinstance(piece, Start):
                    points.append((middle(piece.node) + piece.node.along / 2, piece.v))
                elif isinstance(piece, Turn):
                    u = first_track[piece.gap] + track_of[(k, p)] * self.options.track_gap
                    points.extend([(u, piece.v_from), (u, piece.v_to)])
                elif isinstance(piece, End):
                    points.append((middle(piece.node) - piece.node.along / 2, piece.v))
                elif isinstance(piece, Flank):
                    t = piece.node
                    points.extend([(middle(t), points[-1][1]), (middle(t), t.v + piece.side * t.across / 2)])
                else:
                    s, t = piece.source, piece.target
                    side = 1 if t.v > s.v else -1
                    points = [(middle(t), s.v + side * s.across / 2), (middle(t), t.v - side * t.across / 2)]
            routes.append(simplify(points))
        nest = _nesting(self.frames)
        frames = []
        for f, frame in enumerate(self.frames):
            room = frame.pad * nest[f]
            inside = self.inside[f]
            real = [m for m in inside if m.real >= 0]
            frames.append((min(middle(m) - m.along / 2 for m in real) - room,
                           min(m.v - m.across / 2 for m in inside) - room,
                           max(middle(m) + m.along / 2 for m in real) + room,
                           max(m.v + m.across / 2 for m in inside) + room))
        return Layout([(middle(m), m.v) for m in self.nodes[:self.n]], self.rank, routes, frames, self.label_side,
                      [(start[r], start[r] + depth[r]) for r in range(len(self.rows))])


def layout(boxes: list[Box], edges: list[Edge], frames: list[Frame], options: Options,
           soft: list[int] | None = None) -> Layout:
    """Place ``boxes`` and route ``edges`` (see the module's docstring). The ``soft`` edges (by
    index) do not place boxes: each is ranked if its target already lies after its source, and
    routed along a corridor otherwise (a link between two stacks)."""
    if not boxes:
        return Layout([], [], [[] for _ in edges], [], [])
    work = _Layered(boxes, edges, frames, options, set(soft or ()))
    work.make_chains()
    work.order()
    work.weigh()
    work.place()
    return work.resolve(work.plans())


FOLD_SLACK = 0.25


def fold_cuts(plan: Layout, edges: list[Edge], frames: list[Frame], parts: int) -> list[int]:
    """Where a layout folds into ``parts`` segments (``fold``): the ranks r after which it is cut,
    each gap crossed by exactly one edge and no frame, chosen to make the longest segment (along
    the flow) shortest; [] when there are not enough such gaps, or the longest segment would be
    more than ``FOLD_SLACK`` of the whole longer than an even share."""
    count = max(plan.ranks, default=-1) + 1
    if parts < 2 or count < parts or len(plan.rows) < count:
        return []
    crossing = [0] * count
    for e in edges:
        lo, hi = sorted((plan.ranks[e.source], plan.ranks[e.target]))
        for r in range(lo, hi):
            crossing[r] += 1
    for frame in frames:
        ranks = [plan.ranks[k] for k in frame.members]
        for r in range(min(ranks), max(ranks)):
            crossing[r] += 2
    gaps = [r for r in range(count - 1) if crossing[r] == 1]

    def longest(cuts: tuple[int, ...]) -> float:
        bounds = [-1, *cuts, count - 1]
        return max(plan.rows[b][1] - plan.rows[a + 1][0] for a, b in itertools.pairwise(bounds))

    best: tuple[float, tuple[int, ...]] | None = None
    for cuts in itertools.combinations(gaps, parts - 1):
        if best is None or (longest(cuts), cuts) < best:
            best = (longest(cuts), cuts)
    total = plan.rows[count - 1][1] - plan.rows[0][0]
    if best is None or best[0] > (1 / parts + FOLD_SLACK) * total:  # (no fold that shortens it much)
        return []
    return list(best[1])


def fold(plan: Layout, boxes: list[Box], edges: list[Edge], frames: list[Frame], parts: int, gap: float) -> Layout:
    """The layout folded into ``parts`` segments side by side across the flow (a serpentine):
    every other segment runs against the flow, and the one edge across each cut (``fold_cuts``)
    is a return wire ``gap`` beyond the segments' ends. Unchanged when it cannot be cut."""
    cuts = fold_cuts(plan, edges, frames, parts)
    if not cuts:
        return plan
    segment = [sum(r > c for c in cuts) for r in plan.ranks]  # per box
    spans = _segment_spans(plan, boxes, edges, frames, segment, len(cuts) + 1)
    height = max(u1 - u0 for u0, u1, _, _ in spans)
    offsets, v = [], 0.0
    for _, _, v0, v1 in spans:
        offsets.append(v - v0)
        v += v1 - v0 + gap

    def moved(p: Point, j: int) -> Point:
        u0 = spans[j][0]
        return (p[0] - u0 if j % 2 == 0 else height - (p[0] - u0), p[1] + offsets[j])

    routes = []
    for e, route in zip(edges, plan.routes, strict=True):
        a, b = segment[e.source], segment[e.target]
        if a == b:
            routes.append([moved(p, a) for p in route])
            continue
        start, end = moved(route[0], a), moved(route[-1], b)
        turn = height + gap / 2 if a % 2 == 0 else -gap / 2  # beyond the segments' far or near ends
        routes.append([start, (turn, start[1]), (turn, end[1]), end])
    framed = []
    for frame, (u0, v0, u1, v1) in zip(frames, plan.frames, strict=True):
        j = segment[min(frame.members)]
        (a0, b0), (a1, b1) = moved((u0, v0), j), moved((u1, v1), j)
        framed.append((min(a0, a1), b0, max(a0, a1), b1))
    centers = [moved(c, segment[k]) for k, c in enumerate(plan.centers)]
    return Layout(centers, plan.ranks, routes, framed, plan.label_sides, [])


def _segment_spans(plan: Layout, boxes: list[Box], edges: list[Edge], frames: list[Frame], segment: list[int],
                   parts: int) -> list[tuple[float, float, float, float]]:
    """Each segment's extent (u0, u1, v0, v1): its boxes, its edges' routes, its frames with
    their labels."""
    points: list[list[Point]] = [[] for _ in range(parts)]
    for k, (u, v) in enumerate(plan.centers):
        half_u, half_v = boxes[k].along / 2, boxes[k].across / 2
        points[segment[k]] += [(u - half_u, v - half_v), (u + half_u, v + half_v)]
    for e, route in zip(edges, plan.routes, strict=True):
        if segment[e.source] == segment[e.target]:
            points[segment[e.source]] += route
    for frame, (u0, v0, u1, v1), side in zip(frames, plan.frames, plan.label_sides, strict=True):
        label = frame.label_across * side
        points[segment[min(frame.members)]] += [(u0, min(v0, v0 + label)), (u1, max(v1, v1 + label))]
    return [(min(p[0] for p in ps), max(p[0] for p in ps), min(p[1] for p in ps), max(p[1] for p in ps))
            for ps in points]


def chains(members: list[int], links: list[tuple[int, int]]) -> list[list[int]]:
    """``members`` (node indices, in flow order) grouped in chains along ``links`` (source,
    target): a node and the one it feeds are in one chain when it feeds only that node and that
    node is fed only by it (a trunk, a branch of a fork). Each chain in order, by its head."""
    outs: dict[int, list[int]] = {}
    ins: dict[int, list[int]] = {}
    for source, target in links:
        outs.setdefault(source, []).append(target)
        ins.setdefault(target, []).append(source)
    head = {k: k for k in members}
    for k in members:  # (a chain's head comes before its links)
        after = outs.get(k, [])
        if len(after) == 1 and after[0] in head and ins.get(after[0]) == [k]:
            head[after[0]] = head[k]
    groups: dict[int, list[int]] = {}
    for k in members:
        groups.setdefault(head[k], []).append(k)
    return list(groups.values())


def _nesting(frames: list[Frame]) -> list[int]:
    """How many frames deep each frame is from the inside (1: no frame inside it)."""
    levels = [1] * len(frames)
    order = sorted(range(len(frames)), key=lambda f: len(frames[f].members))
    for f in order:
        for g in order:
            if g != f and frames[g].members < frames[f].members:
                levels[f] = max(levels[f], levels[g] + 1)
    return levels


