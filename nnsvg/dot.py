"""GraphViz DOT: a spec's graph written as a ``digraph`` (``-o net.dot``), and a DOT file of that
shape read back as spec data (``nnsvg render net.dot``).

The shape::

    digraph nnsvg {
      graph [style="lenet", rankdir="LR", theme="paper"];   // the style, and the options set
      node [shape="box"];
      L0 [label="1@32x32", size="1@32x32"];                  // a layer: its token, label, name, fill…
      L1 [label="C1", size="6@28x28", name="c1"];
      L0 -> L1;                                              // a layer's data input (no kind)
      L1 -> L3 [kind="add", label="skip"];                   // a connections: entry (with its kind)
      subgraph cluster_0 { label="Features"; repeat="3"; L1; L2; L3; L4; }   // blocks[0]
    }

Layers are nodes ``L0``, ``L1``, … in order (a hand-written file may use any ids: a node's index
is the order in which it first appears). A node's ``label`` is its caption, unless it is the
layer's token (the writer's label for a layer without a caption, so that GraphViz shows it). An
edge without ``kind`` is its target's data input: a layer fed by just the layer before it is the
chain; an edge with ``kind`` is a ``connections:`` entry. A cluster is a block, its members
consecutive layers; ``cluster_K`` keeps the block's place in the list. References come back by
the layer's name when it has one, else by index. The reader knows the subset the writer writes
(and GraphViz's comments, ``node``/``edge`` defaults, edge chains, ``+`` joined strings); it
needs no library. It reads in time and memory linear in the file: a label longer than
``MAX_LABEL`` characters and subgraphs nested deeper than ``MAX_DEPTH`` are refused.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import styles
from .errors import SpecError
from .kinds import CONNECTION_KINDS
from .spec import fields
from .spec.mapping import to_dict
from .text import clip

if TYPE_CHECKING:
    from .styles import Spec

# attributes of GraphViz's own that the writer sets, or that a hand-written file may have, and
# that say nothing about the network: read past
GRAPHVIZ = frozenset({"rankdir", "splines", "nodesep", "ranksep", "fontname", "fontsize", "bgcolor", "compound",
                      "shape", "style", "fillcolor", "color", "penwidth", "width", "height", "margin",
                      "arrowhead", "arrowtail", "dir", "constraint", "weight", "fontcolor", "labelloc",
                      "labeljust", "xlabel", "tooltip", "id", "class", "ordering", "concentrate", "newrank"})
RANKDIR = {"right": "LR", "left": "RL", "up": "BT", "down": "TB", "lr": "LR", "bt": "BT"}


# --- writing --------------------------------------------------------------------------------

def quoted(value: object) -> str:
    """A DOT string: in double quotes, with ``"`` and ``\\`` escaped."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def attributes(items: dict[str, Any]) -> str:
    return "[" + ", ".join(f"{key}={quoted(value)}" for key, value in items.items()) + "]" if items else ""


def non_default(spec: Spec, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The spec's options that differ from their defaults, as a spec file holds them (``data``:
    the spec's data, by default ``to_dict(spec)``)."""
    data = to_dict(spec) if data is None else data
    out = {}
    for f in dataclasses.fields(spec):
        if not f.init or f.name in ("layers", "connections", "blocks") or f.name not in data:
            continue
        default = f.default_factory() if callable(f.default_factory) else f.default
        if data[f.name] != default:
            out[f.name] = data[f.name]
    return out


def write(spec: Spec, options: dict[str, Any] | None = None) -> str:
    """The DOT text of ``spec``'s graph; ``options``: the spec options to write (by default the
    ones that differ from their defaults)."""
    graph = spec.graph()
    settings = non_default(spec) if options is None else options
    head = {"style": spec.style, "rankdir": RANKDIR.get(str(getattr(spec, "direction", "right")), "LR"), **settings}
    lines = [f"// nnsvg: a {spec.style} network of {len(graph)} layers; `nnsvg render` this file draws it",
             "digraph nnsvg {", f"  graph {attributes(head)};", '  node [shape="box"];']
    for node, item in zip(graph.nodes, spec.layers):
        data = item.to_data()
        layer = dict(data) if isinstance(data, dict) else {"size": data}
        layer.pop("inputs", None)
        token = str(layer["size"])
        shown = {"label": layer.pop("label", token), "size": token}
        lines.append(f"  L{node.index} {attributes({**shown, **{k: v for k, v in layer.items() if k != 'size'}})};")
    given = [getattr(layer, "inputs", None) for layer in spec.layers]  # ([]: another input of the network)
    inputs = sum(int(i > 0) if refs is None else len(refs) for i, refs in enumerate(given))
    for k, c in enumerate(graph.connections):
        extra = {"kind": c.kind, **({"label": c.label} if c.label is not None else {})} if k >= inputs else {}
        lines.append(f"  L{c.source} -> L{c.target}{' ' + attributes(extra) if extra else ''};")
    # blocks as clusters, each inside the blocks that hold it (blocks nest or are apart)
    order = sorted(range(len(graph.groups)), key=lambda k: (graph.groups[k].first, -graph.groups[k].last, k))
    open_: list[int] = []
    for k in order:
        g = graph.groups[k]
        while open_ and not graph.groups[open_[-1]].contains(g):
            open_.pop()
            lines.append("  " * (len(open_) + 1) + "}")
        pad = "  " * (len(open_) + 1)
        items = {**({"label": g.label} if g.label is not None else {}), **({"repeat": str(g.repeat)}
                                                                            if g.repeat != 1 else {})}
        members = " ".join(f"L{i};" for i in range(g.first, g.last + 1))
        lines.append(f"{pad}subgraph cluster_{k} {{ {''.join(f'{a}={quoted(v)}; ' for a, v in items.items())}"
                     f"{members}")
        open_.append(k)
    while open_:
        open_.pop()
        lines.append("  " * (len(open_) + 1) + "}")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- reading --------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|\#[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\]++|\\.)*+")
  | (?P<html><)
  | (?P<id>-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)|[A-Za-z_\u0080-\U0010ffff][A-Za-z_0-9\u0080-\U0010ffff]*)
  | (?P<edge>->|--)
  | (?P<punct>[{}\[\];,=:+])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
KEYWORDS = ("strict", "graph", "digraph", "subgraph", "node", "edge")
MAX_LABEL = 1_000  # characters: no figure shows a longer caption (a poster-wide line holds ~300)
MAX_DEPTH = 100  # subgraphs within subgraphs: blocks nest a few deep; each level costs every node in it


@dataclass(slots=True)
class Token:
    kind: str  # "id", "string", "edge", "punct", "end"
    text: str
    line: int


def tokens(text: str) -> Iterator[Token]:
    line = 1
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        if kind == "other":
            raise SpecError(f"line {line}: unexpected {clip(text[match.start():match.start() + 10])!r}")
        if kind == "html":
            raise SpecError(f"line {line}: HTML-like labels (<...>) are not read; use a quoted string")
        if kind == "space":
            line += text.count("\n", match.start(), match.end())
            continue
        value = match.group()
        if kind == "string":
            yield Token(kind, re.sub(r'\\(["\\])', r"\1", value[1:-1].replace("\\\n", "").replace("\\\r\n", "")),
                        line)
            line += value.count("\n")
        else:
            yield Token(kind, value, line)
    yield Token("end", "", line)


@dataclass
class Scope:
    """A graph or subgraph: its attributes, the node and edge defaults, its member nodes."""

    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    node_defaults: dict[str, str] = field(default_factory=dict)
    edge_defaults: dict[str, str] = field(default_factory=dict)
    members: dict[str, None] = field(default_factory=dict)  # in order of first appearance (a set)
    children: list[Scope] = field(default_factory=list)


@dataclass
class Parsed:
    root: Scope
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)  # in order of first appearance
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


class Parser:
    """A recursive-descent reader of the tokens as they come (two ahead at most: a file of a
    million tokens is never a million objects at once)."""

    def __init__(self, text: str) -> None:
        self.stream = tokens(text)
        self.ahead: collections.deque[Token] = collections.deque()
        self.last = Token("end", "", 1)  # the last token read (past the end: the end again)

    def peek(self, k: int = 0) -> Token:
        if len(self.ahead) > k:
            return self.ahead[k]
        while len(self.ahead) <= k:
            self.last = next(self.stream, self.last)
            self.ahead.append(self.last)
        return self.ahead[k]

    @property
    def here(self) -> Token:
        return self.peek()

    def advance(self) -> None:
        self.peek()
        self.ahead.popleft()

    def fail(self, what: str) -> SpecError:
        token = self.here
        shown = "the end of the file" if token.kind == "end" else repr(clip(token.text, 30))
        return SpecError(f"line {token.line}: expected {what}, got {shown}")

    def take(self, text: str | None = None, kind: str | None = None) -> Token | None:
        token = self.here
        if (text is not None and (token.text != text or token.kind not in ("punct", "edge", "id")))\
                or (kind is not None and token.kind != kind):
            return None
        self.advance()
        return token

    def expect(self, text: str) -> None:
        if self.take(text) is None:
            raise self.fail(f"'{text}'")

    def ident(self, what: str) -> str:
        token = self.here
        if token.kind not in ("id", "string") or (token.kind == "id" and token.text.lower() in KEYWORDS):
            raise self.fail(what)
        self.advance()
        text = token.text
        while token.kind == "string" and self.take("+") is not None:  # "a" + "b"
            part = self.take(kind="string")
            if part is None:
                raise self.fail("a quoted string after '+'")
            text += part.text
        return text

    def keyword(self, word: str) -> bool:
        if self.here.kind == "id" and self.here.text.lower() == word:
            self.advance()
            return True
        return False

    def parse(self) -> Parsed:
        self.keyword("strict")
        if self.keyword("graph"):
            raise SpecError("line 1: an undirected graph; nnsvg reads a digraph (its edges have a direction)")
        if not self.keyword("digraph"):
            raise self.fail("'digraph'")
        name = self.ident("a graph name") if self.here.kind in ("id", "string") else ""
        parsed = Parsed(Scope(name))
        self.expect("{")
        self.statements(parsed, [parsed.root])
        if self.here.kind != "end":
            raise self.fail("the end of the file after the graph")
        return parsed

    def attr_list(self) -> dict[str, str]:
        out: dict[str, str] = {}
        while self.take("[") is not None:
            while self.take("]") is None:
                key, value = self.attribute()
                out[key] = value
                self.take(",") or self.take(";")
        return out

    def attribute(self) -> tuple[str, str]:
        """``key = value``; a label longer than any figure shows is refused here."""
        key = self.ident("an attribute name")
        self.expect("=")
        line = self.here.line
        value = self.ident(f"a value of '{key}'")
        if key == "label" and len(value) > MAX_LABEL:
            raise SpecError(f"line {line}: a label of {len(value):,} characters is more than a figure shows "
                            f"(at most {MAX_LABEL:,})")
        return key, value

    def statements(self, parsed: Parsed, scopes: list[Scope]) -> None:
        scope = scopes[-1]
        while self.take("}") is None:
            if self.here.kind == "end":
                raise self.fail("'}'")
            if self.take(";") is not None:
                continue
            if self.keyword("subgraph") or self.here.text == "{":
                name = self.ident("a subgraph name") if self.here.kind in ("id", "string") else ""
                if len(scopes) > MAX_DEPTH:
                    raise SpecError(f"line {self.here.line}: subgraphs nested more than {MAX_DEPTH} deep "
                                    "(blocks nest a few deep)")
                self.expect("{")
                child = Scope(name, node_defaults=dict(scope.node_defaults),
                              edge_defaults=dict(scope.edge_defaults))
                scope.children.append(child)
                self.statements(parsed, [*scopes, child])  # (its nodes are every outer scope's too: node_id)
                if self.here.kind == "edge":
                    raise self.fail("a node (an edge from a subgraph is not read)")
                continue
            for word, target in (("graph", scope.attrs), ("node", scope.node_defaults),
                                 ("edge", scope.edge_defaults)):
                if self.keyword(word):
                    target.update(self.attr_list())
                    break
            else:
                self.node_or_edge(parsed, scopes)

    def node_id(self, parsed: Parsed, scopes: list[Scope]) -> str:
        node = self.ident("a node id, 'subgraph', 'graph', 'node' or 'edge'")
        if self.take(":") is not None:
            raise self.fail("no port (node:port is not read)")
        if node not in parsed.nodes:
            parsed.nodes[node] = dict(scopes[-1].node_defaults)
        for scope in scopes:
            scope.members.setdefault(node)
        return node

    def node_or_edge(self, parsed: Parsed, scopes: list[Scope]) -> None:
        if self.here.kind == "id" or self.here.kind == "string":
            if self.peek(1).text == "=" and self.peek(1).kind == "punct":
                key, value = self.attribute()
                scopes[-1].attrs[key] = value
                return
        chain = [self.node_id(parsed, scopes)]
        while True:
            edge = self.take(kind="edge")
            if edge is None:
                break
            if edge.text == "--":
                raise SpecError(f"line {edge.line}: '--' is an undirected edge; nnsvg reads '->'")
            if self.here.text == "{" or self.here.text.lower() == "subgraph":
                raise self.fail("a node (an edge to a subgraph is not read)")
            chain.append(self.node_id(parsed, scopes))
        attrs = self.attr_list()
        if len(chain) == 1:
            parsed.nodes[chain[0]].update(attrs)
        else:
            for a, b in itertools.pairwise(chain):
                parsed.edges.append((a, b, {**scopes[-1].edge_defaults, **attrs}))


def _clusters(scope: Scope) -> Iterator[Scope]:
    for child in scope.children:
        if child.name.startswith("cluster"):
            yield child
        yield from _clusters(child)


def _value(name: str, text: str, kind: str) -> Any:
    """A graph attribute as the value of spec option ``name``: text options as they are, the
    others as the JSON the writer wrote (or the text, for the option to refuse)."""
    if kind in ("text", "choice", "length"):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def read(text: str) -> dict[str, Any]:
    """Spec data (a mapping for ``nnsvg.spec.from_dict``) from DOT text of the shape above; a
    SpecError naming the line or the node for what does not fit."""
    parsed = Parser(text).parse()
    style, data = _options(parsed.root.attrs)
    layers, names = _layers(parsed.nodes)
    ids = list(parsed.nodes)
    refs: dict[str, int | str] = {node: names.get(node, i) for i, node in enumerate(ids)}
    connections = _edges(parsed.edges, layers, ids, refs, style.spec_class().branches)
    blocks = _blocks(parsed.root, ids, refs)
    data["layers"] = [layer if set(layer) != {"size"} else layer["size"] for layer in layers]
    if connections:
        data["connections"] = connections
    if blocks:
        data["blocks"] = blocks
    return data


def _options(attrs: dict[str, str]) -> tuple[styles.Style, dict[str, Any]]:
    """The style the graph names, and the spec data its graph attributes give."""
    if "style" not in attrs:
        raise SpecError(f"the graph names no nnsvg style: add graph [style=\"lenet\"] "
                        f"(one of {', '.join(styles.STYLES)})")
    style = styles.get(attrs["style"])
    declared = fields.options(style.spec_class())
    data: dict[str, Any] = {"style": style.name}
    for key, value in attrs.items():
        if key in declared:  # an option, even where GraphViz has an attribute of that name (width)
            data[key] = _value(key, value, declared[key]["kind"])
        elif key not in ("style", "label") and key not in GRAPHVIZ:
            data[key] = value  # for the spec to name as unknown
    return style, data


def _layers(nodes: dict[str, dict[str, str]]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """A layer's data per node, in order, and the layer names by node id."""
    names: dict[str, str] = {}
    layers: list[dict[str, Any]] = []
    for node, items in nodes.items():
        layer: dict[str, Any] = {k: v for k, v in items.items() if k not in GRAPHVIZ}
        if "size" not in layer:
            raise SpecError(f"node {node!r} has no size (its layer token, e.g. size=\"6@28x28\")")
        size: Any = layer["size"]
        if re.fullmatch(r"[0-9]{1,12}", size):
            size = int(size)
        layer["size"] = size
        if layer.get("label") == str(size):
            del layer["label"]  # the writer's label for a layer without a caption
        if "gap" in layer:
            layer["gap"] = _value("gap", layer["gap"], "number")
        if "name" in layer:
            names[node] = layer["name"]
        layers.append(layer)
    return layers, names


def _edges(edges: list[tuple[str, str, dict[str, str]]], layers: list[dict[str, Any]], ids: list[str],
           refs: dict[str, int | str], branches: bool) -> list[dict[str, Any]]:
    """The ``connections:`` entries (edges with a kind); each layer's ``inputs`` set in
    ``layers`` where they are not just the layer before it."""
    connections: list[dict[str, Any]] = []
    inputs: list[list[int | str]] = [[] for _ in ids]
    position = {node: i for i, node in enumerate(ids)}
    for a, b, items in edges:
        extra = [k for k in items if k not in GRAPHVIZ and k not in ("kind", "label")]
        if extra:
            raise SpecError(f"edge {a} -> {b}: unknown attribute '{extra[0]}' (nnsvg reads kind and label)")
        if "kind" in items:
            connections.append({"from": refs[a], "to": refs[b], "kind": items["kind"],
                                **({"label": items["label"]} if "label" in items else {})})
        elif "label" in items:
            raise SpecError(f"edge {a} -> {b}: a label without a kind; a labelled edge is a connection: give "
                            f"it kind=\"data\" (or {', '.join(k for k in CONNECTION_KINDS if k != 'data')})")
        else:
            inputs[position[b]].append(refs[a])
    for i, sources in enumerate(inputs):
        chain = [] if i == 0 else [refs[ids[i - 1]]]
        if sources and sources != chain:
            layers[i]["inputs"] = sources
        elif not sources and i > 0 and branches:  # another input of the network
            layers[i]["inputs"] = []
        elif not sources and i > 0:
            raise SpecError(f"node {ids[i]!r} has no input edge; every layer but the first has one "
                            f"({ids[i - 1]} -> {ids[i]} for a chain)")
    return connections


def _blocks(root: Scope, ids: list[str], refs: dict[str, int | str]) -> list[dict[str, Any]]:
    """The ``blocks:`` entries: a cluster each, in the order of their ``cluster_K`` names."""
    index = {node: i for i, node in enumerate(ids)}
    blocks: list[tuple[int, dict[str, Any]]] = []
    for k, cluster in enumerate(_clusters(root)):
        members = sorted(index[m] for m in cluster.members)
        if not members:
            continue
        if members != list(range(members[0], members[-1] + 1)):
            raise SpecError(f"subgraph {cluster.name!r}: a block is consecutive layers; it holds "
                            f"{', '.join(ids[m] for m in members)}")
        block: dict[str, Any] = {"from": refs[ids[members[0]]], "to": refs[ids[members[-1]]]}
        if "label" in cluster.attrs:
            block["label"] = cluster.attrs["label"]
        if "repeat" in cluster.attrs:
            block["repeat"] = cluster.attrs["repeat"]
        place = re.fullmatch(r"cluster_([0-9]{1,6})", cluster.name)
        blocks.append((int(place.group(1)) if place else 10**6 + k, block))
    return [block for _, block in sorted(blocks, key=lambda b: b[0])]
