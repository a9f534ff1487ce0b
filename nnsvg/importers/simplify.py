"""From an imported op graph to the graph a figure draws; format-independent (every importer's
``read`` returns the graph described in ``nnsvg.importers``; this module never sees a file).

- ``fold``: activations, normalisation, dropout, reshapes and scalings are merged into the layer
  they follow, as attributes (``activation``, ``norm``, ``dropout``), so the FCNN style can show
  them as glyphs and crossed-out nodes; their weights (a batch norm's) count in that layer.
- ``regions``: the series-parallel regions (a residual block, an inception or fire module, a
  dense block): the runs of layers between two points where the whole network passes through
  one layer; ``spans`` adds a fire module's squeeze convolution to its region.
- ``collapse``: each region as a group (``depth`` ≥ 1) or as one layer (``depth`` 0), and a run
  of identical regions (same merge, same main path, same output shape: ResNet-50's 3, 4, 6
  and 3 bottlenecks) as one copy with ``Group.repeat`` = the run's length. A ``Block`` layer
  (depth 0) carries its run's parameters; with depth ≥ 1 the nodes keep those of the one copy
  drawn: take totals before collapsing.

Everything here is linear in the graph's size (a model of 10,000 operations folds and
collapses in milliseconds).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from ..graph import Connection, Graph, Group, Node
from .common import MERGE_KINDS

# The shared op vocabulary (what an importer writes in ``Node.op``)
LAYER_OPS = ("Input", "Conv", "ConvTranspose", "Dense", "MatMul", "MaxPool", "AvgPool", "GlobalAvgPool",
             "GlobalMaxPool", "Upsample", "Embedding", "LSTM", "GRU", "RNN", "Block")
MERGE_OPS = tuple(MERGE_KINDS)  # Add, Concat, Multiply
FOLDED_OPS = ("Activation", "Norm", "Dropout", "Reshape", "Scale")
OPS = LAYER_OPS + MERGE_OPS + FOLDED_OPS
RECURRENT_OPS = ("LSTM", "GRU", "RNN")
POOL_OPS = ("MaxPool", "AvgPool", "GlobalAvgPool", "GlobalMaxPool")
MERGE_NAMES = {"Add": "Residual block", "Concat": "Concat block", "Multiply": "Gated block"}


def _rebuild(graph: Graph, alias: Mapping[int, int], replaced: Mapping[int, Node] | None = None) -> Graph:
    """The graph without the aliased nodes: a connection from or to an aliased node now runs from
    or to its alias (aliases are resolved transitively and must point to kept nodes in the end);
    a connection that becomes a self loop or a duplicate is dropped; groups are dropped (callers
    add theirs); ``replaced`` swaps kept nodes."""

    def resolve(i: int) -> int:
        while i in alias:
            i = alias[i]
        return i

    replaced = replaced or {}
    kept = [i for i in range(len(graph.nodes)) if i not in alias]
    position = {old: new for new, old in enumerate(kept)}
    nodes = tuple(_at(replaced.get(old, graph.nodes[old]), new) for new, old in enumerate(kept))
    seen: set[tuple[int, int]] = set()
    connections = []
    for c in graph.connections:
        s, t = position[resolve(c.source)], position[resolve(c.target)]
        if s == t or (s, t) in seen:
            continue
        seen.add((s, t))
        connections.append(Connection(s, t, c.kind, c.label))
    return Graph(nodes, tuple(connections))


def _at(node: Node, index: int) -> Node:
    """The node at another index (dataclasses.replace is ten times slower, for 10,000 nodes)."""
    return node if node.index == index else Node(index, node.name, node.op, node.shape, node.params, node.label,
                                                  node.attrs)


def _with(node: Node, **attrs: Any) -> Node:
    return replace(node, attrs=MappingProxyType({**node.attrs, **attrs}))


def fold(graph: Graph) -> Graph:
    """Activations, normalisation, dropout, reshapes and scalings merged into the layer they
    follow (when that layer feeds nothing else; else they are just passed through)."""
    n = len(graph.nodes)
    inputs: list[list[int]] = [[] for _ in range(n)]
    consumers = [0] * n
    for c in graph.connections:
        inputs[c.target].append(c.source)
        consumers[c.source] += 1
    alias: dict[int, int] = {}
    hosts: dict[int, Node] = {}

    def host_of(i: int) -> int:
        while i in alias:
            i = alias[i]
        return i

    for node in graph.nodes:
        if node.op not in FOLDED_OPS or len(inputs[node.index]) != 1:
            continue
        source = inputs[node.index][0]
        host = host_of(source)
        alias[node.index] = host
        current = hosts.get(host, graph.nodes[host])
        params = (current.params or 0) + (node.params or 0)
        extra: dict[str, Any] = {}
        if consumers[source] != 1:  # the layer also feeds others: this op only passes through
            hosts[host] = replace(current, params=params or None)
            continue
        if node.op == "Activation":
            extra["activation"] = node.attrs.get("function")
        elif node.op == "Norm":
            extra["norm"] = node.attrs.get("norm")
        elif node.op == "Dropout":
            extra["dropout"] = node.attrs.get("rate", 0.5)
        hosts[host] = replace(_with(current, **extra), params=params or None)
    return _rebuild(graph, alias, hosts)


def regions(graph: Graph) -> list[tuple[int, int]]:
    """The series-parallel regions, as (first, last) layer ranges: between two consecutive cuts
    of the topological order where every connection crossing the cut leaves the layer just
    before it (the whole network passes through that layer), when more than one layer lies
    between them. The last layer of a region is where its branches merge."""
    n = len(graph.nodes)
    reach = [-1] * (n + 1)  # reach[i]: the farthest target of a connection from a layer before i
    for c in graph.connections:
        if c.kind != "recurrent" and c.source + 1 <= n:
            reach[c.source + 1] = max(reach[c.source + 1], c.target)
    farthest = -1
    cuts = [-1]
    for i in range(n):
        farthest = max(farthest, reach[i])
        if farthest <= i:  # nothing from before i passes over i: the network runs through i
            cuts.append(i)
    out = []
    for a, b in itertools.pairwise(cuts):
        if b - a > 1:
            out.append((a + 1, b))
    return out


def _main_path(graph: Graph, first: int, last: int, inputs: list[list[int]]) -> list[int]:
    """The longest path through a region to its merge (lowest indices on ties)."""
    length: dict[int, int] = {}
    for i in range(first, last + 1):
        inner = [s for s in inputs[i] if first <= s <= last]
        length[i] = 1 + max((length[s] for s in inner), default=0)
    path = [last]
    while True:
        inner = [s for s in inputs[path[-1]] if first <= s <= last]
        if not inner:
            break
        best = max(length[s] for s in inner)
        path.append(min(s for s in inner if length[s] == best))
    return path[::-1]


def _signature(graph: Graph, first: int, last: int, inputs: list[list[int]]) -> tuple[Any, ...]:
    """What makes two regions "the same block": the merge, the ops, kernels and channels along
    the main path, and the output's height and width (not the strides: a stage's first block
    downsamples; not the output channels: a dense block's layers each add as many)."""
    path = _main_path(graph, first, last, inputs)
    steps = tuple((graph.nodes[i].op, graph.nodes[i].attrs.get("kernel"),
                   (graph.nodes[i].shape or (None,))[0]) for i in path[:-1])
    merge = graph.nodes[last]
    return merge.op, steps, (merge.shape or ())[1:]


def label_of(graph: Graph, first: int, last: int, inputs: list[list[int]] | None = None) -> str:
    """A region's name from its merge: residual (add), dense (a concat of the block's own input
    with what it computed: DenseNet), inception (a concat of three or more branches), concat,
    gated (multiply)."""
    merge = graph.nodes[last]
    if merge.op == "Concat":
        sources = inputs[last] if inputs is not None else [c.source for c in graph.connections if c.target == last]
        if first - 1 in sources:
            return "Dense layer"
        if len(sources) == 2 and first not in sources and _squeezes(graph, first + 1, last):
            return "Fire module"  # the region starts with its squeeze, which feeds the two branches
        return "Inception block" if len(sources) >= 3 else "Concat block"
    return MERGE_NAMES.get(merge.op or "", "Block")


@dataclass(frozen=True)
class Span:
    """A run of consecutive layers of the graph: one layer, or a region (a block)."""

    first: int
    last: int
    region: bool


def _squeezes(graph: Graph, first: int, last: int) -> bool:
    """Whether the layer before a region is its squeeze: a 1x1 convolution that feeds exactly the
    two branches of a concat (SqueezeNet's fire module is the squeeze and the expand branches)."""
    split = graph.nodes[first - 1] if first > 0 else None
    if split is None or split.op != "Conv" or tuple(split.attrs.get("kernel") or ()) != (1, 1):
        return False
    merge = graph.nodes[last]
    if merge.op != "Concat":
        return False
    into = [c.source for c in graph.connections if c.target == last]
    out_of = [c.target for c in graph.connections if c.source == first - 1]
    return len(into) == 2 and len(out_of) == 2 and first - 1 not in into


def spans(graph: Graph) -> list[Span]:
    """The graph's layers in order, each region as one span (a fire module's squeeze with it)."""
    out: list[Span] = []
    found = {a: b for a, b in regions(graph)}
    for a, b in list(found.items()):
        if _squeezes(graph, a, b) and a - 1 not in found.values():
            found[a - 1] = found.pop(a)
    i = 0
    while i < len(graph.nodes):
        if i in found:
            out.append(Span(i, found[i], True))
            i = found[i] + 1
        else:
            out.append(Span(i, i, False))
            i += 1
    return out


def collapse(graph: Graph, depth: int = 1, same: Callable[[Span, Span], bool] | None = None) -> Graph:
    """Regions as groups (``depth`` ≥ 1) or as single ``Block`` layers (``depth`` 0), and every
    run of identical regions as its first copy with ``repeat`` = the run's length. ``same``
    (optional) also lets runs of single layers collapse: two spans are one run when it says so."""
    inputs: list[list[int]] = [[] for _ in graph.nodes]
    for c in graph.connections:
        inputs[c.target].append(c.source)
    parts = spans(graph)
    keys = [(_signature(graph, s.first, s.last, inputs) if s.region else None) for s in parts]
    alias: dict[int, int] = {}
    replaced: dict[int, Node] = {}
    groups: list[tuple[int, int, str | None, int]] = []  # old first, last, label, repeat
    k = 0
    while k < len(parts):
        run = k + 1
        while run < len(parts) and (
                (keys[k] is not None and keys[run] == keys[k])
                or (same is not None and keys[k] is None and keys[run] is None and same(parts[k], parts[run]))):
            run += 1
        span = parts[k]
        for other in parts[k + 1:run]:  # later copies: drawn as the first one's ×N
            for i in range(other.first, other.last + 1):
                alias[i] = span.last
        label = label_of(graph, span.first, span.last, inputs) if span.region else None
        if span.region and depth == 0:
            members = [graph.nodes[i] for i in range(span.first, span.last + 1)]
            # the one layer stands for the whole run: its weights are the run's
            params = sum(graph.nodes[i].params or 0 for p in parts[k:run] for i in range(p.first, p.last + 1))
            merge = graph.nodes[span.last]
            for i in range(span.first, span.last):
                alias[i] = span.last
            shape = graph.nodes[parts[run - 1].last].shape  # the run's output: a dense block's grows
            replaced[span.last] = Node(span.last, merge.name, "Block", shape, params or None, label,
                                       MappingProxyType({"merge": merge.op, "layers": len(members),
                                                         "activation": merge.attrs.get("activation")}))
            if run - k > 1:
                groups.append((span.last, span.last, label, run - k))
        elif span.region or run - k > 1:
            if run - k > 1 and not span.region:
                label = graph.nodes[span.first].op
            groups.append((span.first, span.last, label, run - k))
        k = run
    out = _rebuild(graph, alias, replaced)
    kept = [i for i in range(len(graph.nodes)) if i not in alias]
    position = {old: new for new, old in enumerate(kept)}
    return Graph(out.nodes, out.connections,
                 tuple(Group(position[a], position[b], label, repeat) for a, b, label, repeat in groups))


def total_params(graph: Graph) -> int:
    """Every weight element of a graph before ``collapse`` (after it, a repeated group's node
    counts one copy's)."""
    return sum(node.params or 0 for node in graph.nodes)
