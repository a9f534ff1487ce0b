"""How a spec says that its network is not a plain chain: a layer's ``name:`` and ``inputs:``,
the spec's ``connections:`` and ``blocks:``; checked against the layers, and turned into the
spec's ``Graph`` (``nnsvg.graph``).

Layers are referred to by their 0-based index (the N of the SVG's ``<g id="layer-N">``) or by
their ``name:``. On the command line: ``--connect FROM:TO[:KIND[:LABEL]]`` and
``--block FROM:TO[:LABEL][:xN]``, each repeatable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import SpecError
from ..graph import Connection, Graph, Group, Node
from ..kinds import CONNECTION_KINDS, loops
from ..optionkinds import SpecKind
from ..text import check_text, nearest, quote

Ref = int | str  # a layer by index or by name


NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$"
MAX_REPEAT = 10_000
REF_SCHEMA: dict[str, Any] = {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": NAME_PATTERN}]}
# the JSON Schema of a layer mapping's wiring keys
LAYER_KEYS_SCHEMA: dict[str, Any] = {
    "name": {"type": "string", "pattern": NAME_PATTERN},
    "inputs": {"type": "array", "minItems": 1, "items": REF_SCHEMA},
}


def ref(value: object, where: str) -> Ref:
    """A layer reference: a whole number from 0 (an index) or a name (a word)."""
    if isinstance(value, bool):
        raise SpecError(f"{where}: expected a layer index or name, got {quote(value)}")
    if isinstance(value, int):
        if value < 0:
            raise SpecError(f"{where}: a layer index is 0 or more, got {value}")
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[0-9]{1,7}", text):
            return int(text)
        if NAME.fullmatch(text):
            return text
    raise SpecError(f"{where}: expected a layer index (0, 1, …) or name (a word such as conv1), got {quote(value)}")


def layer_name(value: object, where: str) -> str:
    if not isinstance(value, str) or not NAME.fullmatch(value):
        raise SpecError(f"{where}: a layer name is a word (letters, digits, _; not starting with a digit), "
                        f"got {quote(value)}")
    return value


def layer_wiring(item: dict[Any, Any], where: str, sources: bool = False) -> dict[str, Any]:
    """A layer mapping's ``name`` and ``inputs``, checked (as keyword arguments of a layer).
    ``sources``: ``inputs: []`` is allowed (a layer fed by nothing: another input of the
    network; the blocks style)."""
    out: dict[str, Any] = {}
    if "name" in item:
        out["name"] = layer_name(item["name"], f"{where}.name")
    if "inputs" in item:
        value = item["inputs"]
        items = value if isinstance(value, list | tuple) else [value]
        if not items and not sources:
            raise SpecError(f"{where}.inputs: expected at least one layer index or name (only the blocks style "
                            "draws a layer with no inputs, a second input of the network)")
        out["inputs"] = tuple(ref(v, f"{where}.inputs") for v in items)
    return out


def wiring_data(name: str | None, inputs: tuple[Ref, ...] | None) -> dict[str, Any]:
    """A layer's wiring as written to a spec file."""
    return {k: v for k, v in (("name", name), ("inputs", None if inputs is None else list(inputs)))
            if v is not None}


@dataclass(frozen=True)
class Link:
    """A ``connections:`` entry as written: ends by index or name."""

    source: Ref
    target: Ref
    kind: str = "data"
    label: str | None = None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"from": self.source, "to": self.target, "kind": self.kind}
        return {**data, "label": self.label} if self.label is not None else data


@dataclass(frozen=True)
class Block:
    """A ``blocks:`` entry as written: first and last layer by index or name."""

    first: Ref
    last: Ref
    label: str | None = None
    repeat: int = 1

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"from": self.first, "to": self.last}
        if self.label is not None:
            data["label"] = self.label
        return {**data, "repeat": self.repeat} if self.repeat != 1 else data


LINK_KEYS = ("from", "to", "kind", "label")
BLOCK_KEYS = ("from", "to", "label", "repeat")


def _mapping(item: dict[Any, Any], keys: tuple[str, ...], where: str) -> None:
    for key in item:
        if key not in keys:
            raise SpecError(f"{where}: unknown key {quote(key)}{nearest(str(key), list(keys))} "
                            f"(keys: {', '.join(keys)})")
    for key in ("from", "to"):
        if key not in item:
            raise SpecError(f"{where}: needs '{key}' (a layer index or name)")


def _kind(value: object, where: str) -> str:
    if not isinstance(value, str) or value not in CONNECTION_KINDS:
        raise SpecError(f"{where}: unknown kind {quote(value)}; expected one of {', '.join(CONNECTION_KINDS)}")
    return value


def _label(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise SpecError(f"{where}: expected text, got {quote(value)}")
    return check_text(str(value), where)


def _repeat(value: object, where: str) -> int:
    text = value.strip().lstrip("x×") if isinstance(value, str) else value
    if isinstance(text, str) and re.fullmatch(r"[0-9]{1,7}", text.strip()):
        text = int(text)
    if isinstance(text, bool) or not isinstance(text, int) or not 1 <= text <= MAX_REPEAT:
        raise SpecError(f"{where}: expected a whole number from 1 to {MAX_REPEAT:,}, got {quote(value)}")
    return text


def _items(value: object, name: str, example: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise SpecError(f"{name}: expected a list of entries such as {example}, got {quote(value)}")
    items = list(value)
    if len(items) > 10_000:
        raise SpecError(f"{name}: {len(items):,} entries is more than any figure has")
    return items


def links(name: str, value: object) -> tuple[Link, ...]:
    """``connections:``: a list of mappings ``{from, to, kind, label}`` or texts
    ``FROM:TO[:KIND[:LABEL]]`` (the command line's ``--connect``)."""
    out = []
    for i, item in enumerate(_items(value, name, "2:6:add")):
        where = f"{name}[{i}]"
        if isinstance(item, Link):  # already checked (the command line's values, checked once per flag)
            out.append(item)
            continue
        if isinstance(item, str):
            parts = item.split(":", 3)
            if len(parts) < 2:
                raise SpecError(f"{where}: expected FROM:TO[:KIND[:LABEL]] (e.g. 2:6:add), got {quote(item)}")
            item = dict(zip(LINK_KEYS, parts))
            if item.get("label") == "":
                del item["label"]
        if not isinstance(item, dict):
            raise SpecError(f"{where}: expected {{from: 2, to: 6, kind: add}} or 2:6:add, got {quote(item)}")
        _mapping(item, LINK_KEYS, where)
        out.append(Link(ref(item["from"], f"{where}.from"), ref(item["to"], f"{where}.to"),
                        _kind(item.get("kind", "data"), f"{where}.kind"), _label(item.get("label"), f"{where}.label")))
    return tuple(out)


def blocks(name: str, value: object) -> tuple[Block, ...]:
    """``blocks:``: a list of mappings ``{from, to, label, repeat}`` or texts
    ``FROM:TO[:LABEL][:xN]`` (the command line's ``--block``)."""
    out = []
    for i, item in enumerate(_items(value, name, "2:5:Residual block:x3")):
        where = f"{name}[{i}]"
        if isinstance(item, Block):
            out.append(item)
            continue
        if isinstance(item, str):
            parts = item.split(":")
            if len(parts) < 2:
                raise SpecError(f"{where}: expected FROM:TO[:LABEL][:xN] (e.g. 2:5:Residual block:x3), "
                                f"got {quote(item)}")
            data: dict[str, Any] = {"from": parts[0], "to": parts[1]}
            rest = parts[2:]
            if rest and re.fullmatch(r"\s*[x×][0-9]+\s*", rest[-1]):
                data["repeat"] = rest.pop()
            if rest and ":".join(rest):
                data["label"] = ":".join(rest)
            item = data
        if not isinstance(item, dict):
            raise SpecError(f"{where}: expected {{from: 2, to: 5, label: ..., repeat: 3}} or 2:5:label:x3, "
                            f"got {quote(item)}")
        _mapping(item, BLOCK_KEYS, where)
        out.append(Block(ref(item["from"], f"{where}.from"), ref(item["to"], f"{where}.to"),
                         _label(item.get("label"), f"{where}.label"),
                         _repeat(item.get("repeat", 1), f"{where}.repeat")))
    return tuple(out)


class Wiring(SpecKind):
    """What the kinds of ``connections:`` and ``blocks:`` share: repeatable FROM:TO texts on the
    command line (also under a short singular name), mappings in a spec file."""

    metavar = "FROM:TO[:...]"
    repeatable = True

    def cli_help(self, name: str, help: str, default: Any) -> str:
        return help


class Connections(Wiring):
    """The kind of ``connections:``: FROM:TO[:KIND[:LABEL]]."""

    name = "connections"
    manual = "`FROM:TO[:KIND[:LABEL]]`, repeatable (a list of mappings in a spec file)"

    def coerce(self, name: str, value: object) -> tuple[Link, ...]:
        return links(name, value)

    def schema(self) -> dict[str, Any]:
        entry = {"type": "object", "required": ["from", "to"], "additionalProperties": False,
                 "properties": {"from": REF_SCHEMA, "to": REF_SCHEMA, "kind": {"enum": list(CONNECTION_KINDS)},
                                "label": {"type": "string"}}}
        text = {"type": "string", "pattern": "^[^:]+:[^:]+(:(" + "|".join(CONNECTION_KINDS) + ")(:.*)?)?$"}
        return {"type": "array", "items": {"oneOf": [entry, text]}}


class Blocks(Wiring):
    """The kind of ``blocks:``: FROM:TO[:LABEL][:xN]."""

    name = "blocks"
    manual = "`FROM:TO[:LABEL][:xN]`, repeatable (a list of mappings in a spec file)"

    def coerce(self, name: str, value: object) -> tuple[Block, ...]:
        return blocks(name, value)

    def schema(self) -> dict[str, Any]:
        entry = {"type": "object", "required": ["from", "to"], "additionalProperties": False,
                 "properties": {"from": REF_SCHEMA, "to": REF_SCHEMA, "label": {"type": "string"},
                                "repeat": {"type": "integer", "minimum": 1, "maximum": MAX_REPEAT}}}
        text = {"type": "string", "pattern": "^[^:]+:[^:]+(:.*)?$"}
        return {"type": "array", "items": {"oneOf": [entry, text]}}


# --- resolving references and building the graph ------------------------------------------------

class Resolver:
    """Layer references of one spec to indices, with errors that name the reference and the
    valid range or names."""

    def __init__(self, layers: tuple[Any, ...]) -> None:
        self.n = len(layers)
        self.names: dict[str, int] = {}
        for i, layer in enumerate(layers):
            name = getattr(layer, "name", None)
            if name is None:
                continue
            if name in self.names:
                raise SpecError(f"layers[{i}]: the name '{name}' is already layer {self.names[name]}'s; "
                                "layer names are unique")
            self.names[name] = i

    def __call__(self, value: Ref, where: str) -> int:
        if isinstance(value, int):
            if value >= self.n:
                raise SpecError(f"{where}: layer {value} does not exist (layers are 0 to {self.n - 1}, 0-based)")
            return value
        if value not in self.names:
            if not self.names:
                raise SpecError(f"{where}: no layer is named '{value}' (no layer has a name: give it one with "
                                f"name: in its mapping, or refer to it by its index, 0 to {self.n - 1})")
            raise SpecError(f"{where}: no layer is named '{value}'{nearest(value, list(self.names), '')} "
                            f"(named layers: {', '.join(self.names)})")
        return self.names[value]


def node_of(index: int, layer: Any) -> Node:
    """A layer as a graph node: its name, its label and its shape from its token."""
    shape: tuple[int | str, ...] | None
    if hasattr(layer, "op"):  # a blocks layer: its op, its parameter count (its shape is a text)
        return Node(index, layer.name, layer.op or None, None, layer.params, layer.label)
    if hasattr(layer, "maps"):
        shape = (layer.maps, layer.height, layer.width)
    elif hasattr(layer, "depth"):
        shape = (layer.height, layer.width, layer.depth)
    else:
        shape = (layer.size,)
    return Node(index, layer.name, None, shape, None, layer.label)


def build_graph(layers: tuple[Any, ...], extra: tuple[Link, ...], framed: tuple[Block, ...]) -> Graph:
    """The graph of a spec: a node per layer, each layer's data inputs (the previous layer, or
    its ``inputs:``), the ``connections:`` and the ``blocks:``; every reference checked, with
    messages that name the entry, the reference and what is valid."""
    resolve = Resolver(layers)
    connections: list[Connection] = []
    for i, layer in enumerate(layers):
        inputs = getattr(layer, "inputs", None)
        if inputs is None:
            if i > 0:
                connections.append(Connection(i - 1, i))
            continue
        sources: list[int] = []
        for k, value in enumerate(inputs):
            j = resolve(value, f"layers[{i}].inputs[{k}]")
            if j >= i:
                raise SpecError(f"layers[{i}].inputs[{k}]: layer {quote(value)} is not before layer {i}; "
                                "a layer's inputs come before it")
            if j in sources:
                raise SpecError(f"layers[{i}].inputs[{k}]: layer {j} is already input {sources.index(j)}")
            sources.append(j)
            connections.append(Connection(j, i))
    seen = {(c.source, c.target, c.kind) for c in connections}
    for k, link in enumerate(extra):
        where = f"connections[{k}]"
        source, target = resolve(link.source, f"{where}.from"), resolve(link.target, f"{where}.to")
        if source == target:
            raise SpecError(f"{where}: from and to are both layer {source}; a connection joins two layers")
        if source > target and not loops(link.kind):
            raise SpecError(f"{where}: from layer {source} to layer {target} goes backwards; only kind "
                            "'recurrent' may (connections run from an earlier layer to a later one)")
        if (source, target, link.kind) in seen:
            raise SpecError(f"{where}: layer {source} → {target} ({link.kind}) is already connected")
        seen.add((source, target, link.kind))
        connections.append(Connection(source, target, link.kind, link.label))
    groups: list[Group] = []
    for k, block in enumerate(framed):
        where = f"blocks[{k}]"
        first, last = resolve(block.first, f"{where}.from"), resolve(block.last, f"{where}.to")
        if first > last:
            raise SpecError(f"{where}: from layer {first} is after to layer {last} (a block runs from its "
                            "first layer to its last)")
        group = Group(first, last, block.label, block.repeat)
        for h, other in enumerate(groups):
            if (other.first, other.last) == (first, last):
                raise SpecError(f"{where}: layers {first} to {last} are already blocks[{h}]")
            if group.overlaps(other) and not (group.contains(other) or other.contains(group)):
                raise SpecError(f"{where}: layers {first} to {last} partly overlap blocks[{h}] (layers "
                                f"{other.first} to {other.last}); blocks nest or are apart")
        groups.append(group)
    nodes = tuple(node_of(i, layer) for i, layer in enumerate(layers))
    return Graph(nodes, tuple(connections), tuple(groups)).validate()


def chain_only(layers: tuple[Any, ...], style: str) -> None:
    """A style that draws a chain refuses a branch: a layer whose ``inputs:`` are not just the
    layer before it (called after ``build_graph``, so every reference is valid)."""
    resolve = Resolver(layers)
    for i, layer in enumerate(layers):
        inputs = getattr(layer, "inputs", None)
        if inputs is not None and [resolve(v, f"layers[{i}].inputs") for v in inputs] != [i - 1]:
            raise SpecError(f"layers[{i}].inputs: the {style} style draws a chain, each layer fed by the one "
                            "before it; a layer with other inputs is a branch: draw it with the blocks style, "
                            "or give the extra input as a connections: entry (a skip beside the chain)")
