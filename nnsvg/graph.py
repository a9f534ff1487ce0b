"""The graph model: a network as layers (nodes), connections between them and groups of
consecutive layers (blocks, optionally repeated ×N).

Every style's spec gives its ``Graph`` (``spec.graph()``); importers (ONNX, Keras, PyTorch) will
produce one; the DOT writer and reader (``nnsvg.dot``) translate it. A graph knows nothing of
drawing. Node indices are 0-based layer positions: node N is drawn as the SVG's
``<g id="layer-N">``.

- A ``layers:`` list alone is the chain: a ``data`` connection from each layer to the next.
- ``Connection.kind`` says how an input is merged at its target (the kinds are the table
  ``nnsvg.kinds.CONNECTIONS``): ``data`` (the layer's input), ``add`` (a residual), ``concat``
  (a U-Net or DenseNet skip), ``multiply`` (a gate), ``recurrent`` (a loop back in time: the
  only kind that may point backwards or close a cycle).
- A ``Group`` is a run of consecutive layers ``first..last`` (inclusive) with a label and a
  repeat count (drawn once, labelled ×N); groups nest but never partly overlap.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .errors import SpecError
from .kinds import CONNECTION_KINDS as CONNECTION_KINDS  # re-exported: a graph's kinds
from .kinds import loops


@dataclass(frozen=True)
class Node:
    """One layer: its position, and what is known of it (all optional but the index). ``shape``
    is the output shape (numbers, or names of symbolic dimensions such as ``"batch"``)."""

    index: int
    name: str | None = None
    op: str | None = None
    shape: tuple[int | str, ...] | None = None
    params: int | None = None
    label: str | None = None
    # whatever else is known (an importer's op attributes; a spec's layer data under "data");
    # compared, not hashed, so that a node can be a dict key
    attrs: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), hash=False)


@dataclass(frozen=True)
class Connection:
    """A connection from layer ``source`` to layer ``target``, merged there as ``kind``."""

    source: int
    target: int
    kind: str = "data"
    label: str | None = None


@dataclass(frozen=True)
class Group:
    """Layers ``first`` to ``last`` (inclusive), framed as one block; ``repeat`` > 1: the block
    stands for that many copies of itself (drawn once, labelled ×N)."""

    first: int
    last: int
    label: str | None = None
    repeat: int = 1

    def contains(self, other: Group) -> bool:
        return self.first <= other.first and other.last <= self.last

    def overlaps(self, other: Group) -> bool:
        return self.first <= other.last and other.first <= self.last


def ordered(n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """Kahn's topological order of ``n`` items under ``edges`` (source, target; a repeated edge
    counts once): of the items that are ready, the lowest index first, so the order is a function
    of the edges alone. Shorter than ``n`` when the edges make a cycle (the caller says so)."""
    waiting = [0] * n
    after: list[list[int]] = [[] for _ in range(n)]
    for source, target in dict.fromkeys(edges):
        waiting[target] += 1
        after[source].append(target)
    ready = [i for i in range(n) if waiting[i] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in after[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, j)
    return order


@dataclass(frozen=True)
class Graph:
    """Layers, the connections between them, and groups of consecutive layers."""

    nodes: tuple[Node, ...]
    connections: tuple[Connection, ...] = ()
    groups: tuple[Group, ...] = ()

    @classmethod
    def chain(cls, n: int) -> Graph:
        """``n`` layers, each feeding the next."""
        return cls(tuple(Node(i) for i in range(n)), tuple(Connection(i, i + 1) for i in range(n - 1)))

    def __len__(self) -> int:
        return len(self.nodes)

    def inputs_of(self, index: int) -> tuple[Connection, ...]:
        """The connections into layer ``index``, in the graph's order."""
        return tuple(c for c in self.connections if c.target == index)

    def outputs_of(self, index: int) -> tuple[Connection, ...]:
        """The connections out of layer ``index``, in the graph's order."""
        return tuple(c for c in self.connections if c.source == index)

    def topological_order(self) -> tuple[int, ...]:
        """Every layer after all of its inputs (recurrent connections aside); of the layers that
        are ready, the lowest index first, so the order is a function of the graph alone. A
        cycle of non-recurrent connections is a SpecError naming a layer on it."""
        order = ordered(len(self.nodes), [(c.source, c.target) for c in self.connections if not loops(c.kind)])
        if len(order) < len(self.nodes):
            stuck = min(set(range(len(self.nodes))) - set(order))
            raise SpecError(f"the connections make a cycle through layer {stuck}; only 'recurrent' "
                            "connections may loop back")
        return tuple(order)

    def chain_connections(self) -> tuple[Connection, ...]:
        """The consecutive ``data`` connections (``i → i+1``)."""
        return tuple(c for c in self.connections if c.kind == "data" and c.target == c.source + 1)

    def is_chain(self) -> bool:
        """Whether the graph is exactly the chain of its layers (groups aside): each layer feeds
        the next with data, and nothing else is connected."""
        return len(self.connections) == len(self.nodes) - 1 == len(set(self.chain_connections()))

    def extra_connections(self) -> tuple[Connection, ...]:
        """Everything but the chain's consecutive data connections: skips, merges, branches,
        recurrences."""
        chain = set(self.chain_connections())
        return tuple(c for c in self.connections if c not in chain)

    def validate(self) -> Graph:
        """The graph itself, or a SpecError naming the first problem: node indices that are not
        their positions, a connection to a layer that does not exist, an unknown kind, a self
        loop, a cycle of non-recurrent connections, a group out of range or partly overlapping
        another, a repeat below 1."""
        n = len(self.nodes)
        for i, node in enumerate(self.nodes):
            if node.index != i:
                raise SpecError(f"node {i} has index {node.index}; a node's index is its position")
        names = [node.name for node in self.nodes if node.name is not None]
        if len(set(names)) != len(names):
            twice = next(name for name in names if names.count(name) > 1)
            raise SpecError(f"two layers are named '{twice}'; names are unique")
        seen: set[tuple[int, int, str]] = set()
        for c in self.connections:
            for end in (c.source, c.target):
                if not 0 <= end < n:
                    raise SpecError(f"connection {c.source} → {c.target}: layer {end} does not exist "
                                    f"(layers are 0 to {n - 1})")
            if c.kind not in CONNECTION_KINDS:
                raise SpecError(f"connection {c.source} → {c.target}: unknown kind '{c.kind}' "
                                f"(one of {', '.join(CONNECTION_KINDS)})")
            if c.source == c.target:
                raise SpecError(f"connection {c.source} → {c.target}: a layer cannot connect to itself")
            if (c.source, c.target, c.kind) in seen:
                raise SpecError(f"connection {c.source} → {c.target} ({c.kind}) is given twice")
            seen.add((c.source, c.target, c.kind))
        self.topological_order()
        for k, g in enumerate(self.groups):
            if not 0 <= g.first <= g.last < n:
                raise SpecError(f"group {g.first}..{g.last}: expected layers first ≤ last within 0 to {n - 1}")
            if g.repeat < 1:
                raise SpecError(f"group {g.first}..{g.last}: repeat is at least 1, got {g.repeat}")
            for h in self.groups[:k]:
                if (h.first, h.last) == (g.first, g.last):
                    raise SpecError(f"group {g.first}..{g.last} is given twice")
                if g.overlaps(h) and not (g.contains(h) or h.contains(g)):
                    raise SpecError(f"groups {h.first}..{h.last} and {g.first}..{g.last} partly overlap; "
                                    "groups nest or are apart")
        return self
