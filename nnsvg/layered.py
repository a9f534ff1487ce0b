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
   the target's own rank, so it runs beside the target and enters it from the side.
3. **Order** within ranks: a depth-first order from the sources (the trunk first, so skips lie on
   one side), improved by barycenter sweeps that keep an order only when it has fewer crossings.
4. **Across positions**: every rank is a row of boxes with minimum separations (boxes, lanes
   of dummies, frame paddings, frame labels); positions are the weighted least-squares fit to
   the neighbours' positions under those separations (pool-adjacent-violators: exact, linear),
   swept down and up the ranks. A node with one neighbour each way lines up with them (a straight
   trunk), a fork's children spread symmetrically about it, a skip's dummies keep one lane.
5. **Along positions**: rank rows as deep as their deepest box; each gap between rows as wide as
   the arrows, the horizontal tracks of the edges that turn in it and the frames that end or
   start there need.
6. **Routes**: orthogonal polylines. An edge leaves the downstream side of its source and enters
   the upstream side of its target (or its flank, from a lane beside it), turning only in the
   gaps between rows, on tracks assigned so that edges of different nets never run on top of
   each other. Edges that are not ranked (a link between two stacks, a recurrent loop) go out
   into the gap after their source, along a free corridor across the rows, and into the gap
   before their target.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

Point = tuple[float, float]  # (u, v)

DUMMY_WEIGHT = 50.0  # how strongly a lane of dummies keeps straight
TO_DUMMY = 0.001  # how little a real box is pulled toward a skip's lane
SWEEPS = 30  # down-and-up sweeps of the across positions
ORDER_SWEEPS = 8
ALIGN = 8.0  # how strongly a box lines up with its only predecessor (a trunk, a branch's lane)
SNAP = 0.75  # px: closer than this, a box lines up with its neighbour and a lane runs straight


@dataclass(frozen=True)
class Box:
    along: float  # size along the flow
    across: float  # size across it
    side_entry: bool = False  # a merge node: skips come in from the flank


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


class _Node:
    __slots__ = ("across", "along", "frames", "index", "rank", "real", "side_entry", "v")

    def __init__(self, along: float, across: float, real: int, rank: int, side_entry: bool = False) -> None:
        self.along, self.across, self.real, self.rank = along, across, real, rank
        self.v = 0.0
        self.index = 0  # position in its rank
        self.frames: frozenset[int] = frozenset()
        self.side_entry = side_entry


def _topological(n: int, edges: list[Edge]) -> list[int]:
    waiting = [0] * n
    after: list[list[int]] = [[] for _ in range(n)]
    for e in edges:
        waiting[e.target] += 1
        after[e.source].append(e.target)
    ready = [i for i in range(n) if waiting[i] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in after[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, j)
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
    for k, e in enumerate(edges):
        s, t = e.source, e.target
        if (e.ranked and not preds[s] and succs[s] == [t] and boxes[t].side_entry and len(preds[t]) > 1
                and preds[t][0] != s and rank[preds[t][0]] == rank[t] - 1
                and sum(1 for f in edges if f.source == s or f.target == s) == 1):
            rank[s] = rank[t]
            beside.add(k)
    return rank, beside


def _pav(desired: list[float], weights: list[float], seps: list[float]) -> list[float]:
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


def _crossings(upper: list[_Node], lower: list[_Node], down: dict[int, list[int]], ids: dict[int, int]) -> int:
    pairs = sorted((ids[id(a)], b) for a in upper for b in down.get(id(a), []))
    count = 0
    seen: list[int] = []
    for _, b in pairs:  # inversions among the lower ends
        count += sum(1 for x in seen if x > b)
        seen.append(b)
    return count


def layout(boxes: list[Box], edges: list[Edge], frames: list[Frame], options: Options,
           soft: list[int] | None = None) -> Layout:
    """Place ``boxes`` and route ``edges`` (see the module's docstring). The ``soft`` edges (by
    index) do not place boxes: each is ranked if its target already lies after its source, and
    routed along a corridor otherwise (a link between two stacks)."""
    n = len(boxes)
    loose = set(soft or ())
    rank, beside = ranks_of(boxes, [Edge(e.source, e.target, e.ranked and k not in loose)
                                    for k, e in enumerate(edges)])
    edges = [Edge(e.source, e.target, e.ranked and (k not in loose or rank[e.target] > rank[e.source]))
             for k, e in enumerate(edges)]
    nodes: list[_Node] = [_Node(b.along, b.across, i, rank[i], b.side_entry) for i, b in enumerate(boxes)]
    member_of: list[set[int]] = [set() for _ in range(n)]
    for f_index, frame in enumerate(frames):
        for m in frame.members:
            member_of[m].add(f_index)
    for i, node in enumerate(nodes):
        node.frames = frozenset(member_of[i])
    frame_ranks = [(min(rank[m] for m in f.members), max(rank[m] for m in f.members)) for f in frames]

    # chains: each ranked edge as its nodes from source to target (dummies between)
    ranked_edges = [k for k, e in enumerate(edges) if e.ranked and k not in beside]
    preds_at: dict[int, set[int]] = {}
    for k in ranked_edges:
        e = edges[k]
        preds_at.setdefault(e.target, set()).add(rank[e.source])
    chains: dict[int, list[_Node]] = {}
    for k in ranked_edges:
        e = edges[k]
        s, t = nodes[e.source], nodes[e.target]
        chain = [s]
        flank = (t.rank - s.rank > 1 and (t.rank - 1) in preds_at.get(e.target, set())
                 and boxes[e.target].side_entry)
        last = t.rank + 1 if flank else t.rank
        ends = s.frames | t.frames
        for r in range(s.rank + 1, last):
            d = _Node(0.0, 0.0, -1, r)
            d.frames = frozenset(f for f in ends if frame_ranks[f][0] <= r <= frame_ranks[f][1])
            nodes.append(d)
            chain.append(d)
        chain.append(t)
        chains[k] = chain

    count = max((node.rank for node in nodes), default=0) + 1
    rows: list[list[_Node]] = [[] for _ in range(count)]
    # initial order: depth first from the sources, following edges in their order
    down: dict[int, list[_Node]] = {}
    up: dict[int, list[_Node]] = {}
    for k in ranked_edges:
        chain = chains[k]
        for a, b in zip(chain, chain[1:]):
            if b.rank == a.rank:  # a flank dummy's last step: same rank, not an order link
                continue
            down.setdefault(id(a), []).append(b)
            up.setdefault(id(b), []).append(a)
    for k in beside:
        e = edges[k]
        down.setdefault(id(nodes[e.target]), [])
    placed: set[int] = set()
    beside_of = {edges[k].target: edges[k].source for k in beside}

    def visit(node: _Node) -> None:
        stack = [node]
        while stack:
            cur = stack.pop()
            if id(cur) in placed:
                continue
            placed.add(id(cur))
            rows[cur.rank].append(cur)
            if cur.real >= 0 and cur.real in beside_of:  # its side input right after it
                src = nodes[beside_of[cur.real]]
                if id(src) not in placed:
                    placed.add(id(src))
                    rows[src.rank].append(src)
            flank = [c for c in chains.values() if c[-1] is cur and c[-2].rank == cur.rank]
            for chain in flank:  # the lane beside a merge, next to it
                d = chain[-2]
                if id(d) not in placed:
                    placed.add(id(d))
                    rows[d.rank].append(d)
            stack.extend(reversed(down.get(id(cur), [])))

    for i in range(n):
        if not up.get(id(nodes[i])) and i not in beside_of.values():
            visit(nodes[i])
    for node in nodes:
        if id(node) not in placed:
            visit(node)

    def renumber() -> None:
        for row in rows:
            for k, node in enumerate(row):
                node.index = k

    renumber()
    ids = {id(node): node.index for node in nodes}

    def total_crossings() -> int:
        idx = {id(node): node.index for node in nodes}
        total = 0
        for r in range(count - 1):
            down_idx = {id(a): [b.index for b in down.get(id(a), []) if b.rank == r + 1] for a in rows[r]}
            total += _crossings(rows[r], rows[r + 1], down_idx, idx)
        return total

    best = total_crossings()
    best_rows = [list(row) for row in rows]
    for sweep in range(ORDER_SWEEPS):
        if best == 0:
            break
        order = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for r in order:
            links = up if sweep % 2 == 0 else down
            def key(node: _Node) -> tuple[float, int]:
                near = [m.index for m in links.get(id(node), []) if abs(m.rank - r) == 1]
                return (sum(near) / len(near) if near else float(node.index), node.index)
            rows[r].sort(key=key)
            for k, node in enumerate(rows[r]):
                node.index = k
        crossings = total_crossings()
        if crossings < best:
            best, best_rows = crossings, [list(row) for row in rows]
    rows = best_rows
    for target, source in sorted(beside_of.items()):  # a side input goes on the outer side
        row = rows[rank[target]]
        row.remove(nodes[source])
        at = row.index(nodes[target])
        row.insert(at if at == 0 else at + 1, nodes[source])
    renumber()
    del ids

    # --- across positions ---------------------------------------------------------------------
    neighbours: dict[int, list[tuple[_Node, float]]] = {}
    # the dummies of skips (beside the boxes, into a flank): not a branch of the box they leave
    lanes = {id(d) for c in chains.values() if c[-2].rank == c[-1].rank for d in c[1:-1]}
    for k in ranked_edges:
        chain = chains[k]
        for a, b in zip(chain, chain[1:]):
            skip = chain[-2].rank == chain[-1].rank  # a skip beside the boxes, into its target's flank
            outs = sum(1 for m in down.get(id(a), []) if id(m) not in lanes) or 1
            ins = sum(1 for m in up.get(id(b), []) if id(m) not in lanes) or 1
            if a.real < 0 and b.real < 0:
                wa = wb = DUMMY_WEIGHT
            elif skip:
                wa = wb = TO_DUMMY
            elif outs == 1 and ins == 1:
                wa = wb = ALIGN  # one after the other, nothing else: a straight line
            else:  # a fork's children spread about it; a join sits amid its inputs
                wa, wb = 1.0 / ins, 1.0 / outs
            if a.rank == b.rank:
                continue
            neighbours.setdefault(id(a), []).append((b, wa))
            neighbours.setdefault(id(b), []).append((a, wb))
    for k in beside:
        e = edges[k]
        s, t = nodes[e.source], nodes[e.target]
        neighbours.setdefault(id(s), []).append((t, 0.01))  # pushed aside by its merge, never pushing it

    label_side = [1] * len(frames)
    by_id = {id(node): node for node in nodes}

    def separation(a: _Node, b: _Node) -> float:
        gap = options.lane_gap if a.real >= 0 and b.real >= 0 else options.edge_gap
        sep = a.across / 2 + b.across / 2 + gap
        for f in a.frames ^ b.frames:
            sep += frames[f].pad
            if frames[f].label_across and ((f in a.frames and label_side[f] > 0) or
                                           (f in b.frames and label_side[f] < 0)):
                sep += frames[f].label_across
        return sep

    frozen: set[int] = set()

    budget = max(4, min(SWEEPS, 1500 // max(len(nodes), 1)))  # big figures: fewer sweeps, then rigid chains

    def place(sweeps: int = budget, pack: bool = True) -> None:
        for row in rows if pack else ():  # packed, centred on 0
            x = 0.0
            for k, node in enumerate(row):
                if k:
                    x += separation(row[k - 1], node)
                node.v = x
            shift = x / 2
            for node in row:
                node.v -= shift
        moved = 0.0
        for sweep in range(2 * sweeps):
            if sweep % 2 == 0:
                if sweep and moved < 0.05:  # settled
                    break
                moved = 0.0
            order = range(count) if sweep % 2 == 0 else range(count - 1, -1, -1)
            for r in order:
                row = rows[r]
                if not row:
                    continue
                desired, weights = [], []
                for node in row:
                    near = neighbours.get(id(node), [])
                    if id(node) in frozen:
                        desired.append(node.v)
                        weights.append(1e6)
                    elif near:
                        w = sum(wt for _, wt in near)
                        desired.append(sum(m.v * wt for m, wt in near) / w)
                        weights.append(w)
                    else:
                        desired.append(node.v)
                        weights.append(0.01)
                seps = [separation(a, b) for a, b in zip(row, row[1:])]
                for node, v in zip(row, _pav(desired, weights, seps) if len(row) > 1 else desired):
                    moved = max(moved, abs(node.v - v))
                    node.v = v

    place()
    if any(f.label_across for f in frames):  # labels go on the outer side of each frame
        middle = (min(node.v - node.across / 2 for node in nodes) + max(node.v + node.across / 2 for node in nodes)) / 2
        for f, frame in enumerate(frames):
            vs = [nodes[m].v for m in frame.members]
            label_side[f] = -1 if (min(vs) + max(vs)) / 2 < middle - 1e-6 else 1
        place()
    _snap(rows, neighbours, separation)
    # chains of aligned boxes and lanes of dummies are rigid: each at one position, the rest refit
    links = [(a, b) for key in neighbours for b, w in neighbours[key] if w >= ALIGN for a in [by_id[key]]]
    for chain in _rigid(nodes, links):
        _straighten(chain, rows, separation)
    frozen.update(id(m) for chain in _rigid(nodes, links) for m in chain if len(chain) > 1)
    place(3, pack=False)
    shift = min(node.v - node.across / 2 for node in nodes)
    for node in nodes:
        node.v = round(node.v - shift, 6)

    # --- routes: ports and turns (in gaps), before the gaps get their sizes ----------------------
    # A route is a list of (kind, value) pieces resolved to points once the rows are placed:
    # every horizontal run is in a gap (between rank g and g+1; -1: before rank 0) on a track.
    def extent(node: _Node) -> tuple[float, float]:
        return node.v - node.across / 2, node.v + node.across / 2

    def port(node: _Node, toward: float, snap: bool = False) -> float:
        if snap and abs(toward - node.v) < SNAP:
            return node.v
        lo, hi = extent(node)
        inset = min(node.across / 2, max(4.0, node.across * 0.15))
        return toward if lo + inset <= toward <= hi - inset else node.v

    # a plan: ("start", (source, v)), ("turn", (gap, v_from, v_to, net)): a run across the flow in
    # the gap after rank ``gap`` on its net's track, ("end", (target, v)), ("flank", (target, side)):
    # along the lane to the target's middle and into its flank, ("beside", (source, target))
    Plan = list[tuple[str, object]]
    drafts: list[Plan] = [[] for _ in edges]

    for k in ranked_edges:
        chain = chains[k]
        s, t = chain[0], chain[-1]
        flank = chain[-2].rank == t.rank and len(chain) > 2
        if flank and abs(chain[-2].index - t.index) != 1:  # something between the lane and the target:
            chain = [*chain[:-2], t]  # in through its upstream side instead
            flank = False
        nxt = chain[1]
        v_out = port(s, nxt.v, snap=True)
        plan: Plan = [("start", (s, v_out))]
        v = v_out
        for a, b in zip(chain, chain[1:]):
            if b is t and flank:
                break
            if b is t:
                v_in = port(t, v)
                if abs(v_in - v) > SNAP:
                    nets = (("in", t.real), ("out", s.real)) if a is s else (("in", t.real),)
                    plan.append(("turn", (a.rank, v, v_in, nets)))
                plan.append(("end", (t, v_in)))
                break
            if abs(b.v - v) > SNAP:  # a turn in the gap before b's rank
                plan.append(("turn", (a.rank, v, b.v, (("out", s.real),) if a is s else (("edge", k),))))
                v = b.v
        if flank:
            side = 1 if chain[-2].v > t.v else -1
            plan.append(("flank", (t, side)))
        drafts[k] = plan
    for k in beside:
        e = edges[k]
        s, t = nodes[e.source], nodes[e.target]
        drafts[k] = [("beside", (s, t))]
    # unranked edges: out of the source, along a free corridor, into the target
    for k, e in enumerate(edges):
        if e.ranked and (k in ranked_edges or k in beside):
            continue
        s, t = nodes[e.source], nodes[e.target]
        lo_r, hi_r = min(s.rank, t.rank), max(s.rank, t.rank)
        blocked = sorted((node.v - node.across / 2 - options.edge_gap, node.v + node.across / 2 + options.edge_gap)
                         for node in nodes if lo_r <= node.rank <= hi_r and node not in (s, t))
        blocked += [(node.v - node.across / 2 - options.edge_gap, node.v + node.across / 2 + options.edge_gap)
                    for node in (s, t) if s.rank != t.rank]
        blocked.sort()
        candidates: list[float] = []
        edge_v = -math.inf
        for a, b in blocked:
            if a > edge_v:
                if math.isfinite(edge_v):
                    candidates.append((edge_v + a) / 2)
                else:
                    candidates.append(a - options.edge_gap)
            edge_v = max(edge_v, b)
        candidates.append(edge_v + options.edge_gap if math.isfinite(edge_v) else s.v)
        corridor = min(candidates, key=lambda c: (abs(c - s.v) + abs(c - t.v), c))
        v_out = s.v
        toward = 1 if corridor > t.v else -1
        v_in = t.v + toward * min(t.across / 4, max(t.across / 2 - 6, 0)) if t.across > 12 else t.v
        drafts[k] = [("start", (s, v_out)), ("turn", (s.rank, v_out, corridor, (("out", s.real),))),
                     ("corridor", (corridor, s.rank, t.rank - 1)),
                     ("turn", (t.rank - 1, corridor, v_in, (("edge", k),))), ("end", (t, v_in))]

    # track assignment per gap: the turns of one net (out of one box, into one box, one edge)
    # share a track; nets whose spans across the flow come closer than a track gap do not
    parent: dict[tuple[int, object], tuple[int, object]] = {}

    def find(key: tuple[int, object]) -> tuple[int, object]:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    turns_at: list[tuple[int, int, int, float, float, tuple[object, ...]]] = []
    for k, plan in enumerate(drafts):
        for p, (kind, data) in enumerate(plan):
            if kind == "turn":
                g, v_a, v_b, nets = data  # type: ignore[misc]
                roots = [find((g, net)) for net in nets]
                for other in roots[1:]:
                    parent[other] = roots[0]
                turns_at.append((k, p, g, min(v_a, v_b), max(v_a, v_b), nets[0]))
    spans: dict[int, dict[tuple[int, object], list[float]]] = {}
    for _k, _p, g, lo_v, hi_v, net in turns_at:
        span = spans.setdefault(g, {}).setdefault(find((g, net)), [math.inf, -math.inf])
        span[0], span[1] = min(span[0], lo_v), max(span[1], hi_v)
    assignment: dict[tuple[int, object], int] = {}
    gap_tracks: dict[int, int] = {}
    for g, nets_here in sorted(spans.items(), key=lambda item: item[0]):
        track_ends: list[float] = []
        for net_key, (lo_v, hi_v) in sorted(nets_here.items(),
                                            key=lambda item: (item[1][0], item[1][1], str(item[0]))):
            for t_index, end_v in enumerate(track_ends):
                if end_v + options.track_gap <= lo_v:
                    track_ends[t_index] = hi_v
                    assignment[net_key] = t_index
                    break
            else:
                track_ends.append(hi_v)
                assignment[net_key] = len(track_ends) - 1
        gap_tracks[g] = len(track_ends)
    tracks: dict[tuple[int, int, int], int] = {
        (k, p, g): assignment[find((g, net))] for k, p, g, _, _, net in turns_at}

    # --- along positions ------------------------------------------------------------------------
    depth = [0.0] * count
    for node in nodes:
        if node.real >= 0:
            depth[node.rank] = max(depth[node.rank], node.along)
    closing = [0.0] * (count + 1)  # frames ending at rank r: room after it
    opening = [0.0] * (count + 1)  # frames starting at rank r: room before it
    nest = _nesting(frames)
    for f, (r0, r1) in enumerate(frame_ranks):
        room = frames[f].pad * nest[f]
        closing[r1] = max(closing[r1], room)
        opening[r0] = max(opening[r0], room)
    row_start = [0.0] * count
    track_start: dict[int, float] = {}
    u = 0.0
    for g in range(-1, count):
        # the gap after rank g (before rank g+1)
        n_tracks = gap_tracks.get(g, 0)
        lead = closing[g] if g >= 0 else 0.0
        tail = opening[g + 1] if g + 1 < count else 0.0
        needed = max(options.rank_gap if 0 <= g < count - 1 else 0.0,
                     (n_tracks - 1) * options.track_gap + 2 * options.arrow if n_tracks else 0.0)
        if n_tracks and (g < 0 or g >= count - 1):
            needed = (n_tracks - 1) * options.track_gap + 1.5 * options.arrow
        u += lead
        track_start[g] = u + (needed - (n_tracks - 1) * options.track_gap) / 2 if n_tracks else u + needed / 2
        u += needed + tail
        if g + 1 < count:
            row_start[g + 1] = u
            u += depth[g + 1]

    def track_u(g: int, t_index: int) -> float:
        return track_start[g] + t_index * options.track_gap

    def center_u(node: _Node) -> float:
        return row_start[node.rank] + depth[node.rank] / 2

    for node in nodes:
        if node.real < 0:
            node.along = 0.0

    # --- resolve routes to points ----------------------------------------------------------------
    routes: list[list[Point]] = []
    for k, plan in enumerate(drafts):
        points: list[Point] = []
        for p, (kind, data) in enumerate(plan):
            if kind == "start":
                s, v0 = data  # type: ignore[misc]
                points.append((center_u(s) + s.along / 2, v0))
            elif kind == "turn":
                g, a, b, _ = data  # type: ignore[misc]
                tu = track_u(g, tracks[(k, p, g)])
                points.append((tu, a))
                points.append((tu, b))
            elif kind == "end":
                t, v1 = data  # type: ignore[misc]
                points.append((center_u(t) - t.along / 2, v1))
            elif kind == "flank":
                t, side = data  # type: ignore[misc]
                cu = center_u(t)
                lane = points[-1][1]
                points.append((cu, lane))
                points.append((cu, t.v + side * t.across / 2))
            elif kind == "corridor":
                pass  # the turns on both sides make its run
            elif kind == "beside":
                s, t = data  # type: ignore[misc]
                side = 1 if t.v > s.v else -1
                cu = center_u(t)
                points = [(cu, s.v + side * s.across / 2), (cu, t.v - side * t.across / 2)]
        routes.append(_simplify(points))

    # --- frames ---------------------------------------------------------------------------------
    boxes_at = [(center_u(node), node.v, node.along, node.across) for node in nodes[:n]]
    out_frames: list[tuple[float, float, float, float]] = []
    for f, frame in enumerate(frames):
        room = frame.pad * nest[f]
        inside = [node for node in nodes if f in node.frames]
        u0 = min(center_u(m) - m.along / 2 for m in inside if m.real >= 0) - room
        u1 = max(center_u(m) + m.along / 2 for m in inside if m.real >= 0) + room
        v0 = min(m.v - m.across / 2 for m in inside) - room
        v1 = max(m.v + m.across / 2 for m in inside) + room
        out_frames.append((u0, v0, u1, v1))
    return Layout([(cu, v) for cu, v, _, _ in boxes_at], rank, routes, out_frames, label_side,
                  [(row_start[r], row_start[r] + depth[r]) for r in range(count)])


def _rigid(nodes: list[_Node], links: list[tuple[_Node, _Node]]) -> list[list[_Node]]:
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
    groups: dict[int, list[_Node]] = {}
    for k, node in enumerate(nodes):
        groups.setdefault(find(k), []).append(node)
    chains = [g for g in groups.values() if len(g) > 1 and len({m.rank for m in g}) == len(g)]
    return sorted(chains, key=lambda g: (-len(g), where[id(g[0])]))


def _straighten(chain: list[_Node], rows: list[list[_Node]], separation: object) -> None:
    """Move a chain to one position across, the mean of its members' clamped to what every
    member's neighbours in its rank leave free; unmoved when no position is free for all."""
    sep = separation
    lo, hi = -math.inf, math.inf
    for m in chain:
        row = rows[m.rank]
        k = row.index(m)
        if k > 0:
            lo = max(lo, row[k - 1].v + sep(row[k - 1], m))  # type: ignore[operator]
        if k < len(row) - 1:
            hi = min(hi, row[k + 1].v - sep(m, row[k + 1]))  # type: ignore[operator]
    if lo > hi + 1e-9:
        return
    v = min(max(sum(m.v for m in chain) / len(chain), lo), hi)
    for m in chain:
        m.v = v


def _snap(rows: list[list[_Node]], neighbours: dict[int, list[tuple[_Node, float]]],
          separation: object) -> None:
    """Line a node up exactly with the node it is aligned with (its only predecessor or
    successor, or its lane) when the fit left it a hair off and its rank has room."""
    sep = separation  # (a, b) -> float
    for sweep in (rows, rows[::-1], rows):
        for row in sweep:
            for k, node in enumerate(row):
                partners = [m for m, w in neighbours.get(id(node), []) if w >= ALIGN and m.rank != node.rank]
                partners.sort(key=lambda m: (abs(m.v - node.v), m.rank))
                if not partners or abs(partners[0].v - node.v) >= 4 * SNAP:
                    continue
                v = partners[0].v
                left_ok = k == 0 or v - row[k - 1].v >= sep(row[k - 1], node) - 1e-6  # type: ignore[operator]
                right_ok = k == len(row) - 1 or row[k + 1].v - v >= sep(node, row[k + 1]) - 1e-6  # type: ignore[operator]
                if left_ok and right_ok:
                    node.v = v


def _nesting(frames: list[Frame]) -> list[int]:
    """How many frames deep each frame is from the inside (1: no frame inside it)."""
    levels = [1] * len(frames)
    order = sorted(range(len(frames)), key=lambda f: len(frames[f].members))
    for f in order:
        for g in order:
            if g != f and frames[g].members < frames[f].members:
                levels[f] = max(levels[f], levels[g] + 1)
    return levels


def _simplify(points: list[Point]) -> list[Point]:
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
