"""The fully-connected (FCNN) style's spec: layer widths plus NN-SVG's options and ours."""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .. import colors
from ..errors import NnsvgError, SpecError
from ..text import check_text, nearest, quote
from .base import BaseSpec, Compact
from .choices import ACTIVATION_STYLES, ACTIVATIONS, ARROWHEADS, DIRECTIONS, EDGE_MODES
from .fields import option
from .tokens import check_layer_list
from .wiring import LAYER_KEYS_SCHEMA, Ref, layer_wiring, wiring_data

MAX_LAYER_SIZE = 1_000_000_000
MAX_NODES = 16  # max_nodes' default: NN-SVG's page default (16 12 10 1) is drawn whole
_WHOLE = re.compile(r"[+-]?[0-9]+")  # ASCII digits only: str.isdigit() accepts '²'


@dataclass(frozen=True)
class FcnnLayer:
    """One layer: its true width, and optional per-layer overrides."""

    size: int
    label: str | None = None  # replaces the default "Hidden Layer ∈ ℝⁿ"
    fill: str | None = None  # node fill of this layer
    stroke: str | None = None  # node outline of this layer
    gap: float | None = None  # gap between this layer's nodes
    name: str | None = None  # what connections and inputs may call it
    inputs: tuple[Ref, ...] | None = None  # its data inputs (else the layer before it)

    def to_data(self) -> int | dict[str, Any]:
        extra = {k: v for k, v in (("label", self.label), ("fill", self.fill),
                                   ("stroke", self.stroke), ("gap", self.gap)) if v is not None}
        extra.update(wiring_data(self.name, self.inputs))
        return {"size": self.size, **extra} if extra else self.size


def parse_size(token: object, where: str) -> int:
    """A layer width: a whole number from 1 up (an int, numpy's integers, a whole float or
    text of ASCII digits), never converting a number of thousands of digits."""
    bad = f"{where}: expected a layer width (a whole number), got {quote(token)}"
    if isinstance(token, bool) or not isinstance(token, numbers.Real | str):
        raise SpecError(bad)
    if isinstance(token, numbers.Integral):
        size = int(token)
    elif isinstance(token, str):
        text = token.strip()
        if not _WHOLE.fullmatch(text):
            raise SpecError(bad)
        digits = text.lstrip("+-").lstrip("0")
        size = int(text) if len(digits) <= 12 else (MAX_LAYER_SIZE + 1) * (-1 if text[0] == "-" else 1)
    elif math.isfinite(token) and float(token).is_integer():
        size = int(float(token))
    else:
        raise SpecError(bad)
    if size < 1:
        raise SpecError(f"{where}: a layer needs at least 1 node, got {quote(token)}")
    if size > MAX_LAYER_SIZE:
        raise SpecError(f"{where}: {quote(token, 20)} nodes is more than nnsvg draws (at most {MAX_LAYER_SIZE:,})")
    return size


_LAYER_KEYS = ("size", "label", "fill", "stroke", "gap", "name", "inputs")


def parse_layer(item: object, index: int) -> FcnnLayer:
    where = f"layer {index + 1}"
    if not isinstance(item, dict):
        return FcnnLayer(parse_size(item, where))
    for key in item:
        if key not in _LAYER_KEYS:
            raise SpecError(f"{where}: unknown layer key '{key}'{nearest(str(key), list(_LAYER_KEYS))}")
    if "size" not in item:
        raise SpecError(f"{where}: a layer mapping needs 'size'")
    label = item.get("label")
    if label is not None and not isinstance(label, str | int | float):
        raise SpecError(f"{where}.label: expected text, got {quote(label)}")
    gap = item.get("gap")
    if gap is not None:
        if isinstance(gap, bool) or not isinstance(gap, int | float) or not math.isfinite(gap) or gap < 0:
            raise SpecError(f"{where}.gap: expected a number of at least 0, got {quote(gap)}")
        gap = float(gap)
    try:
        fill, stroke = (colors.normalize(item[key], f"{where}.{key}", allow_none=True)
                        if key in item else None for key in ("fill", "stroke"))
    except NnsvgError as exc:
        raise SpecError(str(exc)) from None
    return FcnnLayer(parse_size(item["size"], f"{where}.size"),
                     None if label is None else check_text(str(label), f"{where}.label"), fill, stroke, gap,
                     **layer_wiring(item, where))


def parse_layers(value: object) -> tuple[FcnnLayer, ...]:
    return tuple(parse_layer(item, i) for i, item in enumerate(check_layer_list(value)))


@dataclass(frozen=True, kw_only=True)
class FcnnSpec(BaseSpec):
    """A fully-connected network drawn as nodes and edges (NN-SVG's FCNN style)."""

    style: ClassVar[str] = "fcnn"
    draws: ClassVar[frozenset[str]] = frozenset({"connections", "blocks"})
    layer_schema: ClassVar[dict[str, Any]] = {"oneOf": [
        {"type": ["integer", "string"]},
        {"type": "object", "required": ["size"], "additionalProperties": False,
         "properties": {"size": {"type": ["integer", "string"]}, "label": {"type": "string"},
                        "fill": {"type": "string"}, "stroke": {"type": "string"},
                        "gap": {"type": "number", "minimum": 0}, **LAYER_KEYS_SCHEMA}}]}
    layers: tuple[FcnnLayer, ...] = field(metadata={"kind": "layers", "help": "layer widths"})
    node_diameter: float = option(20.0, "number", "node diameter", low=1, high=1000)
    layer_spacing: float = option(160.0, "number", "space between layers", low=0, high=100_000)
    node_gap: float | list[float] = option(
        20.0, "numbers", "gap between nodes of a layer: one value, or one per layer", low=0, high=10_000)
    direction: str = option("right", "choice", "direction of the layer sequence",
                            choices=DIRECTIONS)
    bias: bool = option(False, "bool", "add a +1 bias unit to every layer but the output")
    bias_label: bool = option(True, "bool", "write +1 in each bias unit; at a printed size (--width) only "
                              "where it prints as large as the captions, else the units are left plain (a note "
                              "says so; --legend names them)")
    arrowheads: str = option("none", "choice", "arrowheads at edge targets",
                             choices=ARROWHEADS)
    bezier: bool = option(False, "bool", "draw edges as Bézier curves")
    edge_color: str = option("fixed", "choice", "edge colour: the theme's, or by weight",
                             choices=EDGE_MODES)
    edge_width: str = option("fixed", "choice", "edge width: the theme's, or by |weight|",
                             choices=EDGE_MODES)
    edge_opacity: str = option("fixed", "choice", "edge opacity: the theme's, or by |weight|",
                               choices=EDGE_MODES)
    max_nodes: int = option(MAX_NODES, "int", "the tallest column: wider layers are drawn as their first "
                            "and last nodes around an ellipsis, in columns whose heights keep the order "
                            "of the true widths (log-scaled); 0 draws every node", low=0, high=MAX_LAYER_SIZE)
    max_edges: int = option(5_000_000, "int", "refuse drawings with more edges than this",
                            low=1, high=10**9)
    activations: list[str] | None = option(None, "texts", "activation of each layer after the input "
                                           f"(or of every layer): {', '.join(ACTIVATIONS)}; '' for none")
    activation_style: str = option("glyph", "choice", "activations as a curve in each node (glyph), "
                                   "one curve beside the layer, or the name", choices=ACTIVATION_STYLES)
    show_weights: bool = option(False, "bool", "label the edges w (and bias edges b) with indices; "
                                "small networks only")
    formulas: bool = option(False, "bool", "a formula caption under each layer, e.g. h₁ = σ(W₁x + b₁)")
    dropout: float | list[float] | None = option(None, "numbers", "dropout of each layer (or one for all): "
                                                 "that fraction of drawn nodes crossed out, by the seed",
                                                 low=0, high=0.9)
    weights: list[list[list[float]]] | None = option(
        None, "matrices", "real weights for --edge-color/--edge-width/--edge-opacity weight, instead of seeded "
        "random ones: per layer pair a matrix of one row per node of the first layer (a bias row first, "
        "optionally) and one column per node of the second (nnsvg import writes them)")

    parse_layers: ClassVar[Any] = staticmethod(parse_layers)

    def __post_init__(self) -> None:
        super().__post_init__()
        n = len(self.layers)
        if self.weights is not None:
            if len(self.weights) != n - 1:
                raise SpecError(f"weights: expected {n - 1} matrices (one per layer pair), got {len(self.weights)}")
            for k, (matrix, a, b) in enumerate(zip(self.weights, self.layers, self.layers[1:])):
                if len(matrix) not in (a.size, a.size + 1):
                    raise SpecError(f"weights[{k}]: expected {a.size} rows (layer {k + 1}'s nodes) or {a.size + 1} "
                                    f"(a bias row first), got {len(matrix)}")
                for r, row in enumerate(matrix):
                    if len(row) != b.size:
                        raise SpecError(f"weights[{k}][{r}]: expected {b.size} values (layer {k + 2}'s nodes), "
                                        f"got {len(row)}")
        gaps = self.node_gap
        if isinstance(gaps, list) and len(gaps) not in (1, n):
            raise SpecError(f"node_gap: expected one value or {n} (one per layer), got {len(gaps)}")
        if self.activations is not None:
            if len(self.activations) not in (n - 1, n):
                raise SpecError(f"activations: expected {n - 1} (one per layer after the input) or {n}, "
                                f"got {len(self.activations)}")
            for name in self.activations:
                if name not in ("", "none", *ACTIVATIONS):
                    raise SpecError(f"activations: unknown activation {quote(name)}; known: {', '.join(ACTIVATIONS)}")
        if isinstance(self.dropout, list) and len(self.dropout) not in (1, n):
            raise SpecError(f"dropout: expected one value or {n} (one per layer), got {len(self.dropout)}")

    def compact_forms(self) -> tuple[Compact, ...]:
        """For a narrow page: the formulas without the layer captions above them (a row of text
        less under the drawing; the formulas name the layers), then activations by name rather
        than a curve in each node."""
        forms = []
        if self.formulas and self.labels:
            forms.append(Compact("the formulas without the layer captions", {"labels": False}))
        if self.activations is not None and self.activation_style != "name":
            forms.append(Compact("activations named above their layers", {"activation_style": "name"}))
        return tuple(forms)

    def layer_activations(self) -> list[str | None]:
        """The activation of every layer (None: none), the input's included."""
        if self.activations is None:
            return [None] * len(self.layers)
        names = list(self.activations)
        if len(names) == len(self.layers) - 1:
            names = ["", *names]
        return [None if name in ("", "none") else name for name in names]

    def layer_dropout(self) -> list[float]:
        if self.dropout is None:
            return [0.0] * len(self.layers)
        values = self.dropout if isinstance(self.dropout, list) else [self.dropout]
        return values * len(self.layers) if len(values) == 1 else list(values)

    def layer_gaps(self) -> list[float]:
        """The node gap of every layer: per-layer override, else node_gap."""
        gaps = self.node_gap if isinstance(self.node_gap, list) else [self.node_gap]
        if len(gaps) == 1:
            gaps = gaps * len(self.layers)
        return [g if layer.gap is None else layer.gap for layer, g in zip(self.layers, gaps)]
