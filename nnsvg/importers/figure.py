"""From an imported graph to a spec of a drawing style; format-independent.

``figure(graph, style="auto", ...)`` folds and collapses the graph (``simplify``), chooses the
style (``choose_style``) and writes the spec data of that style (the mapping ``nnsvg render``
reads): the style's layer tokens with the model's true dimensions, and captions with
parameter counts (``params``: per layer, the total on the input) or symbolic shapes. It
returns that mapping and the notes a reader should see (what was left out or approximated).

A graph that is not a chain is drawn in the ``blocks`` style (``BRANCHY``): every layer, its
branches and merges, each run of identical blocks framed once ×N (``blocks``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import SpecError
from ..graph import Graph, Node
from . import simplify

LENET_MAX_SIDE = 64  # a chain CNN whose input is at most this many pixels a side (MNIST, CIFAR,
LENET_MAX_LAYERS = 10  # LeNet-5) and has at most this many layers is drawn as LeNet; else AlexNet
MAX_CHAIN_LAYERS = 60  # a longer chain has its runs of identical layers drawn once, as ×N
FCNN_ACTIVATIONS = ("identity", "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "gelu", "swish")
SYMBOLIC_SIDE = 32  # a symbolic height or width is drawn at this size (its name is in the caption)


@dataclass
class Options:
    """What the user asked of the import (``nnsvg import``'s own flags)."""

    params: bool = False  # each layer's parameter count in its caption, and the total
    shapes: bool = False  # every layer's shape in its caption (or the style's dimension labels)
    depth: int | None = None  # None: the style's default; 0: blocks as single layers; 1: expanded
    notes: list[str] = field(default_factory=list)
    collapsed: Graph | None = None  # the graph collapsed at depth 0 (made once by ``figure``)


def human(count: int) -> str:
    """A parameter count for a caption: 864, 35K, 4.1M, 61.0M."""
    if count < 1000:
        return f"{count}"
    if count < 1_000_000:
        return f"{count / 1000:.0f}K" if count >= 10_000 else f"{count / 1000:.1f}K"
    return f"{count / 1_000_000:.1f}M"


def _ints(shape: tuple[int | str, ...] | None) -> bool:
    return shape is not None and all(isinstance(d, int) and d > 0 for d in shape)


def _shape_text(shape: tuple[int | str, ...] | None) -> str:
    return "×".join(str(d) for d in shape) if shape else "?"


def _spatial(node: Node) -> bool:
    """An image-like output: (C, H, W) with H or W above 1."""
    s = node.shape
    return s is not None and len(s) == 3 and not (s[1] == 1 and s[2] == 1)


def _recurrent(graph: Graph) -> bool:
    return any(n.op in simplify.RECURRENT_OPS for n in graph.nodes)


def _dense_only(graph: Graph) -> bool:
    layers = [n for n in graph.nodes if n.op not in ("Input", *simplify.FOLDED_OPS)]
    return bool(layers) and all(n.op in ("Dense", "MatMul") for n in layers)


def _input_side(graph: Graph) -> int:
    first = graph.nodes[0]
    if first.shape is not None and len(first.shape) == 3:
        return max((d for d in first.shape[1:] if isinstance(d, int)), default=SYMBOLIC_SIDE)
    return 0


def choose_style(graph: Graph, collapsed: Graph | None = None) -> str:
    """The style ``--style auto`` draws a (folded) graph in: rnn for recurrent models, fcnn for
    chains of dense layers (MLPs), ``blocks`` for anything branchy, and
    else the chain CNN styles: lenet for small inputs and few layers, alexnet otherwise.
    ``collapsed``: the graph collapsed at depth 0, when the caller has it."""
    from .. import styles

    if _recurrent(graph):
        return "rnn"
    if _dense_only(graph) and graph.is_chain():
        return "fcnn"
    if BRANCHY in styles.STYLES and BRANCHY in BUILDERS and not graph.is_chain():
        return BRANCHY
    chain = collapsed if collapsed is not None else simplify.collapse(graph, 0)
    drawn = [n for n in chain.nodes if n.op not in ("Input",)]
    if _input_side(chain) <= LENET_MAX_SIDE and len(drawn) <= LENET_MAX_LAYERS:
        return "lenet"
    return "alexnet"


BRANCHY = "blocks"  # the style for graphs that are not chains


# --- the chain styles -------------------------------------------------------------------------

def _chain(graph: Graph, style: str, options: Options) -> Graph:
    """The graph as a chain: every region one layer (the chain styles draw no branches); a
    chain still longer than MAX_CHAIN_LAYERS has its runs of identical layers drawn once."""
    collapsed = options.collapsed if options.collapsed is not None else simplify.collapse(graph, 0)
    if options.depth and options.depth > 0 and simplify.regions(graph):
        options.notes.append(f"--depth {options.depth}: the {style} style draws no branches, so each block "
                             "is one layer (the blocks style draws their layers)")
    if len(collapsed.nodes) > MAX_CHAIN_LAYERS:
        def same(a: simplify.Span, b: simplify.Span) -> bool:
            x, y = graph.nodes[a.first], graph.nodes[b.first]
            return (x.op, x.shape, x.attrs.get("kernel")) == (y.op, y.shape, y.attrs.get("kernel"))

        shorter = simplify.collapse(graph, 0, same)
        options.notes.append(f"{len(collapsed.nodes):,} layers: each run of identical layers is drawn once, "
                             f"as ×N ({len(shorter.nodes):,} layers)")
        collapsed = shorter
    if not collapsed.is_chain():
        extra = len(collapsed.extra_connections())
        options.notes.append(f"the model is not a chain: drawn in its topological order, {extra} "
                             "connection(s) between non-adjacent layers not drawn")
    return collapsed


def _op_text(node: Node, repeat: int = 1) -> str:
    """How a lenet gap names the op that makes a layer: Conv 5x5, Max-pool 2x2, Dense, …"""
    kernel = node.attrs.get("kernel")
    window = f" {kernel[0]}x{kernel[1]}" if kernel else ""
    stride = node.attrs.get("stride")
    step = f"/{stride[0]}" if stride and stride[0] > 1 and node.op in ("Conv", "ConvTranspose") else ""
    names = {"Conv": "Conv", "ConvTranspose": "Deconv", "MaxPool": "Max-pool", "AvgPool": "Avg-pool",
             "GlobalAvgPool": "Global avg-pool", "GlobalMaxPool": "Global max-pool", "Dense": "Dense",
             "MatMul": "MatMul", "Upsample": "Upsample"}
    if node.op == "Block":
        text = node.label or "Block"
    else:
        text = names.get(node.op or "", node.op or "?") + (window if node.op in (
            "Conv", "ConvTranspose", "MaxPool", "AvgPool") else "") + step
    return f"{text} ×{repeat}" if repeat > 1 else text


def _caption(node: Node, token: str, options: Options, symbolic: bool, repeat: int = 1,
             named: bool = False) -> str | None:
    """A layer's caption, or None for the style's own: its token first when ``named`` (a style
    whose own caption is the token, so a caption that adds to it repeats it), its shape by name
    when a dimension is symbolic, a block's name and ×N, its parameter count. (Shapes are the
    token's, or AlexNet's dimension labels: --shapes turns those on.)"""
    parts = []
    if symbolic:
        parts.append(_shape_text(node.shape))
    elif named:
        parts.append(token)
    if node.op == "Block":  # short: a caption sits over its neighbours' room ("Residual ×3")
        name = (node.label or "Block").removesuffix(" block") or "Block"
        parts.append(name + (f" ×{repeat}" if repeat > 1 else ""))
    elif repeat > 1:
        parts.append(f"×{repeat}")
    if options.params and node.params:
        parts.append(f"{human(node.params)} params")
    if not parts or parts == [token]:
        return None
    return " · ".join(parts)


def _with_total(layers: list[Any], total: int, options: Options) -> None:
    """The total parameter count in the first layer's caption (the input has no count of its own,
    and nothing to its left crowds a longer caption)."""
    if not options.params or not layers:
        return
    first = layers[0]
    text = f"{human(total)} params in total"
    if isinstance(first, dict):
        first["label"] = f"{first['label']} · {text}" if first.get("label") else text
    else:
        layers[0] = {"size": first, "label": text}


def _volume_token(node: Node, style: str) -> tuple[str, bool]:
    """The layer token of an image-like output, and whether a dimension was symbolic."""
    shape = node.shape or ()
    dims = [d if isinstance(d, int) and d > 0 else SYMBOLIC_SIDE for d in shape]
    symbolic = not _ints(node.shape)
    c, h, w = dims
    return (f"{c}@{h}x{w}" if style == "lenet" else f"{h}x{w}x{c}"), symbolic


def _width(node: Node) -> tuple[int, bool]:
    """A vector layer's width (its units, or its elements), and whether it is symbolic."""
    units = node.attrs.get("units")
    if isinstance(units, int) and units > 0:
        return units, False
    shape = node.shape
    if shape and _ints(shape):
        return math.prod(int(d) for d in shape), False
    if shape and isinstance(shape[-1], int) and shape[-1] > 0:
        return int(shape[-1]), True
    return 1, True


def _layer_item(token: str | int, caption: str | None) -> Any:
    return {"size": token, "label": caption} if caption else token


def cnn(graph: Graph, style: str, options: Options) -> dict[str, Any]:
    """LeNet or AlexNet spec data: volumes (or map stacks) then dense layers. AlexNet draws the
    conv layers' outputs (pooling shrinks between them, as in the paper's figure); LeNet draws
    every layer with its op between (Conv 5x5, Max-pool 2x2)."""
    chain = _chain(graph, style, options)
    repeat = {g.first: g.repeat for g in chain.groups if g.first == g.last}
    picked: list[Node] = []
    for node in chain.nodes:
        if style == "alexnet" and node.op in simplify.POOL_OPS and picked:
            continue
        if node.op in ("GlobalAvgPool", "GlobalMaxPool") and picked:
            continue  # (C, 1, 1): the next dense layer takes it
        picked.append(node)
    layers: list[Any] = []
    ops: list[str] = []
    dense_seen = False
    skipped = 0
    named = style == "lenet"  # lenet's own caption is the shape token; alexnet's dims are --dims
    unknown = 0
    for k, node in enumerate(picked):
        times = repeat.get(node.index, 1)
        if node.shape is None and node.attrs.get("units") is None and 0 < k:
            unknown += 1  # shape inference could not follow it: no size to draw
            continue
        if _spatial(node):
            if dense_seen:
                skipped += 1
                continue
            token, symbolic = _volume_token(node, style)
            following = picked[k + 1] if k + 1 < len(picked) else None
            kernel = following.attrs.get("kernel") if following is not None and following.op in (
                ("Conv",) if style == "alexnet" else ("Conv", "ConvTranspose", "MaxPool", "AvgPool")) else None
            _, h, w = (int(d) if isinstance(d, int) and d > 0 else SYMBOLIC_SIDE for d in node.shape or ())
            plain = token
            if kernel and kernel[0] <= h and kernel[1] <= w and tuple(kernel) != (1, 1):
                token += f":{kernel[0]}x{kernel[1]}"
            layers.append(_layer_item(token, _caption(node, plain, options, symbolic, times, named)))
        else:
            dense_seen = True
            width, symbolic = _width(node)
            layers.append(_layer_item(width, _caption(node, str(width), options, symbolic, times, named)))
        if len(layers) > 1:
            ops.append(_op_text(node, times))
    if unknown:
        options.notes.append(f"{unknown} layer(s) of unknown output shape not drawn")
    if skipped:
        options.notes.append(f"{skipped} image-like layer(s) after the first dense layer not drawn "
                             f"(the {style} style draws dense layers last)")
    data: dict[str, Any] = {"style": style, "layers": layers}
    if style == "lenet":
        data["ops"] = ops
    elif options.shapes:
        data["dims"] = True
    return data


# --- fcnn and rnn -------------------------------------------------------------------------------

MAX_WEIGHTS = 10_000  # real weights go into the spec (for --edge-color weight) up to this many


def fcnn(graph: Graph, options: Options) -> dict[str, Any]:
    """FCNN spec data: the input's width, then each dense layer's, with its activation (glyphs)
    and dropout (crossed-out nodes), and its real weights when the model is small."""
    chain = _chain(graph, "fcnn", options)
    nodes = [n for n in chain.nodes if n.op in ("Input", "Dense", "MatMul") or n.index == 0]
    layers: list[Any] = []
    for node in nodes:
        width, symbolic = _width(node)
        layers.append(_layer_item(width, _caption(node, str(width), options, symbolic, named=True)))
    data: dict[str, Any] = {"style": "fcnn", "layers": layers}
    functions = [str(n.attrs.get("activation") or "") for n in nodes[1:]]
    if any(functions):
        data["activations"] = [f if f in FCNN_ACTIVATIONS else "" for f in functions]
        unknown = sorted({f for f in functions if f and f not in FCNN_ACTIVATIONS})
        if unknown:
            options.notes.append(f"activation(s) without a glyph not drawn: {', '.join(unknown)}")
    rates = [float(n.attrs.get("dropout") or 0.0) for n in nodes]
    if any(rates):
        data["dropout"] = [min(r, 0.9) for r in rates]
    weights = [n.attrs.get("weight") for n in nodes[1:]]
    if weights and all(w is not None for w in weights):
        count = sum(len(w) * len(w[0]) for w in weights if w)
        if count <= MAX_WEIGHTS:
            biases = [n.attrs.get("bias") for n in nodes[1:]]
            data["weights"] = [[[_round(v) for v in row] for row in ([b, *w] if b is not None else w)]
                               for w, b in zip(weights, biases) if w is not None]
        else:
            options.notes.append(f"{count:,} weights are more than a spec keeps ({MAX_WEIGHTS:,}): "
                                 "edges by weight use seeded random weights")
    return data


def _round(value: float) -> float:
    """A weight to 4 significant digits: what a figure can show, and a short spec file."""
    return float(f"{value:.4g}")


def rnn(graph: Graph, options: Options) -> dict[str, Any]:
    """RNN spec data: input width, each recurrent layer's units, the output width."""
    if not _recurrent(graph):
        raise SpecError("the rnn style draws recurrent layers, and the model has none (LSTM, GRU, RNN); "
                        "use --style auto")
    chain = _chain(graph, "rnn", options)
    first = chain.nodes[0]
    width = first.shape[-1] if first.shape and isinstance(first.shape[-1], int) else 1
    layers: list[Any] = [width]
    cells = []
    for node in chain.nodes[1:]:
        if node.op in simplify.RECURRENT_OPS:
            units, _ = _width(node)
            layers.append(units)
            cells.append(str(node.attrs.get("cell", "rnn")))
    last = chain.nodes[-1]
    if last.op not in simplify.RECURRENT_OPS:
        units, _ = _width(last)
        layers.append(units)
    else:
        layers.append(layers[-1])
    data: dict[str, Any] = {"style": "rnn", "layers": layers}
    if cells:
        data["cell"] = cells[0]
        if len(set(cells)) > 1:
            options.notes.append(f"mixed cells ({', '.join(sorted(set(cells)))}): drawn as {cells[0]}")
    return data


# --- blocks ----------------------------------------------------------------------------------------

BLOCK_WORDS = {"Input": "input", "Conv": "conv", "ConvTranspose": "convtranspose", "Dense": "linear",
               "MatMul": "linear", "MaxPool": "maxpool", "AvgPool": "avgpool", "GlobalAvgPool": "gap",
               "GlobalMaxPool": "globalmaxpool", "Upsample": "upsample", "Add": "add", "Concat": "concat",
               "Multiply": "multiply", "Block": "block"}


def _block_layer(node: Node, inputs: list[int], options: Options) -> dict[str, Any]:
    """One node as a blocks layer: its op word (with its kernel: conv3x3), its output channels
    or units (and stride) or, with --shapes, its whole shape; its parameter count; its inputs
    when they are not just the layer before it."""
    word = BLOCK_WORDS.get(node.op or "", "")
    if not word:  # an op nnsvg does not know: its own name, as a word
        word = "".join(ch for ch in str(node.op or "op") if ch.isalnum() or ch in "_-.") or "op"
        if not word[0].isalpha():
            word = f"op{word}"
    kernel = node.attrs.get("kernel")
    if kernel and node.op in ("Conv", "ConvTranspose", "MaxPool", "AvgPool"):
        word += f"{kernel[0]}x{kernel[1]}"
    layer: dict[str, Any] = {"op": word}
    if node.op == "Block":
        layer["label"] = node.label or "Block"
    shape = node.shape
    if shape and node.op not in simplify.MERGE_OPS:
        if options.shapes or node.op == "Input":
            layer["shape"] = _shape_text(shape)
        else:
            stride = node.attrs.get("stride")
            step = f", /{stride[0]}" if stride and stride[0] > 1 else ""
            layer["shape"] = f"{shape[0]}{step}" if len(shape) == 3 else _shape_text(shape)
    if node.params:
        layer["params"] = node.params
    if inputs != ([node.index - 1] if node.index else []):
        layer["inputs"] = inputs
    return layer


def blocks(graph: Graph, options: Options) -> dict[str, Any]:
    """Blocks spec data: every layer of the folded graph (BN and activations folded into their
    layer), its branches and merges as they are, and each run of identical blocks drawn once
    in a frame ×N (``--depth 0``: each block one box)."""
    depth = 1 if options.depth is None else options.depth
    if depth == 0 and options.collapsed is not None:
        graph = options.collapsed
    elif depth != 0:
        graph = simplify.collapse(graph, depth)
    else:
        graph = simplify.collapse(graph, 0)
    inputs: list[list[int]] = [[] for _ in graph.nodes]
    extra: list[dict[str, Any]] = []
    for c in graph.connections:
        target = graph.nodes[c.target]
        if c.kind == "recurrent" or c.source >= c.target:
            extra.append({"from": c.source, "to": c.target, "kind": "recurrent"})
        elif c.kind == "data" or target.op in simplify.MERGE_OPS:
            if c.source not in inputs[c.target]:
                inputs[c.target].append(c.source)
        else:
            extra.append({"from": c.source, "to": c.target, "kind": c.kind})
    layers = [_block_layer(node, inputs[node.index], options) for node in graph.nodes]
    data: dict[str, Any] = {"style": "blocks", "layers": layers}
    if len(graph.nodes) > 12:
        data["direction"] = "lr"
    if extra:
        data["connections"] = extra
    if graph.groups:
        data["blocks"] = [{"from": g.first, "to": g.last,
                           # (a block drawn as one box says its name itself: its frame only ×N)
                           **({"label": g.label} if g.label and (g.first != g.last or
                                                                 graph.nodes[g.first].label != g.label) else {}),
                           **({"repeat": g.repeat} if g.repeat > 1 else {})} for g in graph.groups]
    if options.params:
        data["params"] = True
    return data


Builder = Callable[[Graph, Options], dict[str, Any]]
BUILDERS: dict[str, Builder] = {
    "fcnn": fcnn,
    "lenet": lambda g, o: cnn(g, "lenet", o),
    "alexnet": lambda g, o: cnn(g, "alexnet", o),
    "rnn": rnn,
    "blocks": blocks,
}


def figure(graph: Graph, style: str = "auto", options: Options | None = None) -> tuple[dict[str, Any], list[str]]:
    """The spec data of ``graph`` (an importer's op graph) drawn in ``style`` (``auto``: chosen
    by ``choose_style``), and the notes of what was approximated or left out."""
    options = options or Options()
    generic = [str(n.op) for n in graph.nodes if n.attrs.get("generic")]
    folded = simplify.fold(graph)
    total = simplify.total_params(folded)
    options.collapsed = simplify.collapse(folded, 0)
    chosen = choose_style(folded, options.collapsed) if style == "auto" else style
    if chosen not in BUILDERS:
        raise SpecError(f"--style: expected auto or one of {', '.join(BUILDERS)}, got '{chosen}'")
    if not folded.is_chain() and chosen in ("fcnn", "lenet", "alexnet"):
        options.notes.append(f"the model branches: drawn in the {chosen} style with each block as one layer "
                             "(--style blocks draws the branches)")
    data = BUILDERS[chosen](folded, options)
    if chosen != BRANCHY:  # a blocks label would replace the input's name; the note gives the total
        _with_total(data["layers"], total, options)
    if generic:
        counts = {op: generic.count(op) for op in sorted(set(generic))}
        named = ", ".join(f"{op} ×{k}" if k > 1 else op for op, k in counts.items())
        options.notes.append(f"op(s) nnsvg does not know, drawn as plain layers where their output shape is "
                             f"known: {named}")
    if options.params:
        options.notes.append(f"{total:,} parameters in total")
    return data, options.notes
