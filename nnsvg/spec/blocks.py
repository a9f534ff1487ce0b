"""The blocks style's spec: the schematic block diagram of papers, one rounded box per layer or
operation, with branches, skips, merges (⊕ ‖ ⊗) and framed blocks ×N.

Layer tokens (a small grammar; the mapping form says the same with names):

- ``OP[:SHAPE[:PARAMS]]``: an op name (a word: letters, digits, ``_``, ``-``, ``.``; starting
  with a letter), an optional shape (any text without ``:``, e.g. ``64`` or ``56x56x64``) and an
  optional parameter count (``36928``, ``36.9k``, ``1.2M``). ``conv3x3:64``, ``bn``, ``relu``,
  ``linear:1000``, ``maxpool3x3``, ``add``, ``concat``, ``attention``, ``ffn``, ``softmax``.
  Known ops are shown by their usual name (``conv3x3`` → "3×3 conv", ``bn`` → "BN", ``mha`` →
  "Multi-Head Attention"); any other word is shown as written.
- ``"free text"`` in double quotes: a box with that text (``"Add & Norm"``).
- The mapping form ``{op:, label:, shape:, params:, kind:, fill:, name:, inputs:}``: ``label``
  replaces the op's name in the box, ``kind`` its colour kind, ``fill`` its colour;
  ``inputs: []`` makes the layer a second input of the network.

``add``, ``concat`` and ``multiply`` (``mul``) are merges: drawn as ⊕, ‖ and ⊗ nodes (or,
with a ``label``, as a box saying it). Every op has a colour kind (``nnsvg.kinds.OPS``: the op
words of each), whose fill is the theme's ``op.<kind>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .. import colors, kinds
from ..errors import NnsvgError, SpecError
from ..text import check_text, clip, nearest, quote
from .base import BaseSpec, Compact
from .fields import option
from .tokens import check_layer_list
from .wiring import LAYER_KEYS_SCHEMA, Ref, layer_wiring, wiring_data

# The colour kinds of ops, in the order a legend lists them (each is a theme key op.<kind>)
OP_KINDS = kinds.OP_KINDS
SHAPE_STYLES = ("below", "inline", "none")
MERGE_STYLES = ("symbol", "box")
DIRECTIONS = ("lr", "bt")
BOX_WIDTHS = ("shared", "lane")
TEXTS = ("full", "brief")
MAX_FOLD = 4
FOLD_FROM = 10  # compact forms: a plain chain of this many layers or more is folded in two
TIGHT = (24.0, 14.0, 10.0)  # the compact form's box_width, rank_gap and lane_gap (px of the page)
MAX_TEXT = 200

_OP = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")
_KERNEL = re.compile(r"(?P<base>[a-z_\-]*?)(?P<kh>[0-9]+)x(?P<kw>[0-9]+)(?P<rest>.*)")
_PARAMS = re.compile(r"(?P<n>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[kKMG]?)")
_UNITS = {"": 1, "k": 1_000, "K": 1_000, "M": 1_000_000, "G": 1_000_000_000}
MAX_PARAMS = 10**15

# words in free text that tell its colour kind, tried in this order
_KIND_WORDS = (("attention", "attention"), ("norm", "norm"), ("feed forward", "dense"), ("feed-forward", "dense"),
               ("linear", "dense"), ("dense", "dense"), ("mlp", "dense"), ("conv", "conv"), ("pool", "pool"),
               ("embed", "embed"), ("encoding", "embed"), ("softmax", "act"), ("relu", "act"), ("gelu", "act"),
               ("sigmoid", "act"), ("tanh", "act"), ("input", "io"), ("output", "io"), ("concat", "merge"))

MAPPING_KEYS = ("op", "label", "shape", "params", "kind", "fill", "name", "inputs", "size")
LAYER_SCHEMA: dict[str, Any] = {"oneOf": [
    {"type": "string"},
    {"type": "object", "additionalProperties": False, "anyOf": [{"required": ["op"]}, {"required": ["label"]},
                                                                 {"required": ["size"]}],
     "properties": {"op": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_.\\-]*(:|$)"}, "label": {"type": "string"},
                    "shape": {"type": ["string", "integer"]}, "params": {"type": ["string", "integer"]},
                    "kind": {"enum": list(OP_KINDS)}, "fill": {"type": "string"}, "size": {"type": "string"},
                    **LAYER_KEYS_SCHEMA, "inputs": {**LAYER_KEYS_SCHEMA["inputs"], "minItems": 0}}}]}


def _known(op: str) -> tuple[str, str] | None:
    word = op.lower()
    if word in kinds.OP_WORDS:
        return kinds.OP_WORDS[word]
    match = _KERNEL.fullmatch(word)
    if match and match["base"] in kinds.OP_WORDS and not match["rest"].strip("/0123456789s"):
        kind, name = kinds.OP_WORDS[match["base"]]
        return kind, f"{match['kh']}×{match['kw']} {name}"
    return None


def kind_of_text(text: str) -> str:
    """The colour kind a free text suggests (``"Masked Multi-Head Attention"`` → attention)."""
    lower = text.lower()
    return next((kind for word, kind in _KIND_WORDS if word in lower), "other")


def format_params(n: int) -> str:
    """A parameter count as papers print it: 864, 36.9k, 1.2M, 3.1G."""
    for unit, size in (("G", 10**9), ("M", 10**6), ("k", 10**3)):
        if n >= size:
            value = n / size
            return f"{value:.3g}{unit}" if value < 1000 else f"{value:.0f}{unit}"
    return str(n)


@dataclass(frozen=True)
class BlockLayer:
    """One box (or merge node): its op word ('' for free text), what it shows and overrides."""

    op: str
    label: str | None = None  # the text in the box (free text, or replacing the op's name)
    shape: str | None = None
    params: int | None = None
    kind: str | None = None  # colour kind override
    fill: str | None = None
    name: str | None = None
    inputs: tuple[Ref, ...] | None = None

    @property
    def merge(self) -> str | None:
        """add, concat or multiply for a merge op, else None."""
        return kinds.MERGE_WORDS.get(self.op.lower())

    @property
    def color_kind(self) -> str:
        if self.kind is not None:
            return self.kind
        if self.op:
            known = _known(self.op)
            if known is not None:
                return known[0]
        return kind_of_text(self.label) if self.label else "other"

    @property
    def title(self) -> str:
        """The box's first line: its label, or the op's usual name."""
        if self.label is not None:
            return self.label
        known = _known(self.op)
        return known[1] if known is not None else self.op

    @property
    def token(self) -> str:
        """The token that says this layer's op, shape and parameter count (a free text's label in
        quotes); what it cannot say goes beside it in the mapping form (``to_data``)."""
        if not self.op:
            return f'"{self.label}"'
        shape = self.shape if self.shape is not None and ":" not in self.shape else None
        parts = [self.op, *([shape or ""] if shape or self.params is not None else []),
                 *([str(self.params)] if self.params is not None else [])]
        return ":".join(parts)

    def to_data(self) -> Any:
        """The token, or the mapping form ``{size: TOKEN, label:, shape:, kind:, fill:, name:,
        inputs:}`` with what the token does not say."""
        extra: dict[str, Any] = {}
        if self.op and self.label is not None:
            extra["label"] = self.label
        if self.shape is not None and (":" in self.shape or not self.op):
            extra["shape"] = self.shape
        if not self.op and self.params is not None:
            extra["params"] = self.params
        extra.update({k: v for k, v in (("kind", self.kind), ("fill", self.fill)) if v is not None})
        extra.update(wiring_data(self.name, self.inputs))
        return {"size": self.token, **extra} if extra else self.token


def _text(value: object, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SpecError(f"{where}: expected text, got {quote(value)}")
    text = check_text(str(value), where).strip()
    if not text:
        raise SpecError(f"{where}: expected text, got an empty one")
    if len(text) > MAX_TEXT:
        raise SpecError(f"{where}: {len(text)} characters is more than a box holds (at most {MAX_TEXT})")
    return text


def parse_params(value: object, where: str) -> int:
    """A parameter count: a whole number, or a number with k, M or G (36.9k)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= MAX_PARAMS:
            raise SpecError(f"{where}: expected a parameter count from 0 to 10¹⁵, got {value}")
        return value
    match = _PARAMS.fullmatch(value.strip()) if isinstance(value, str) and len(value) < 30 else None
    if match is None:
        raise SpecError(f"{where}: expected a parameter count such as 36928, 36.9k or 1.2M, got {quote(value)}")
    count = round(float(match["n"]) * _UNITS[match["unit"]])
    if count > MAX_PARAMS:
        raise SpecError(f"{where}: expected a parameter count up to 10¹⁵, got {quote(value)}")
    return count


def parse_token(token: object, where: str) -> BlockLayer:
    """``OP[:SHAPE[:PARAMS]]`` or ``"free text"``."""
    if isinstance(token, bool) or not isinstance(token, str):
        raise SpecError(f"{where}: expected an op such as conv3x3:64, bn, add or \"free text\" in quotes, "
                        f"got {quote(token)}")
    text = check_text(token, where).strip()
    if text.startswith('"'):
        if len(text) < 2 or not text.endswith('"'):
            raise SpecError(f"{where}: free text {clip(text)} has no closing quote")
        return BlockLayer("", _text(text[1:-1], where))
    parts = text.split(":")
    if len(parts) > 3:
        raise SpecError(f"{where}: '{clip(text)}' has {len(parts) - 1} colons; expected OP[:SHAPE[:PARAMS]] "
                        "(e.g. conv3x3:64:36928)")
    op = parts[0].strip()
    if not _OP.fullmatch(op):
        hint = ' (free text goes in double quotes: "Add & Norm")' if " " in op or not op[:1].isalpha() else ""
        raise SpecError(f"{where}: '{clip(text)}' does not start with an op name (a word such as conv3x3, bn, "
                        f"relu, add){hint}")
    if len(op) > 60:
        raise SpecError(f"{where}: the op name '{clip(op)}' is longer than 60 characters")
    shape = None
    if len(parts) > 1:
        if not parts[1].strip() and len(parts) == 2:
            raise SpecError(f"{where}: '{clip(text)}' has an empty shape after ':'; give one (conv3x3:64) or "
                            "leave out the ':'")
        shape = _text(parts[1], f"{where} shape") if parts[1].strip() else None
    params = parse_params(parts[2], f"{where} params") if len(parts) > 2 else None
    return BlockLayer(op, None, shape, params)


def parse_layer(item: object, index: int) -> BlockLayer:
    where = f"layer {index + 1}"
    if not isinstance(item, dict):
        return parse_token(item, where)
    for key in item:
        if key not in MAPPING_KEYS:
            raise SpecError(f"{where}: unknown layer key {quote(key)}{nearest(str(key), list(MAPPING_KEYS))} "
                            f"(keys: {', '.join(MAPPING_KEYS)})")
    if not any(k in item for k in ("op", "label", "size")):
        raise SpecError(f"{where}: a layer mapping needs 'op' (an op such as conv3x3) or 'label' (its text)")
    layer = parse_token(item["size"], f"{where}.size") if "size" in item else BlockLayer("")
    if "op" in item:  # an op name, or a whole token (conv3x3:64)
        op = item["op"]
        if not isinstance(op, str) or not _OP.fullmatch(op.split(":")[0].strip()) or len(op) > 200:
            raise SpecError(f"{where}.op: expected an op name (a word such as conv3x3, bn, mha) or OP:SHAPE[:PARAMS], "
                            f"got {quote(op)}")
        given = parse_token(op, f"{where}.op")
        layer = BlockLayer(given.op, layer.label, given.shape or layer.shape,
                           given.params if given.params is not None else layer.params)
    label = _text(item["label"], f"{where}.label") if "label" in item else layer.label
    shape = _text(item["shape"], f"{where}.shape") if "shape" in item else layer.shape
    params = parse_params(item["params"], f"{where}.params") if "params" in item else layer.params
    kind = item.get("kind")
    if kind is not None and kind not in OP_KINDS:
        raise SpecError(f"{where}.kind: expected one of {', '.join(OP_KINDS)}, got {quote(kind)}")
    try:
        fill = colors.normalize(item["fill"], f"{where}.fill", allow_none=True) if "fill" in item else None
    except NnsvgError as exc:
        raise SpecError(str(exc)) from None
    if not layer.op and label is None:
        raise SpecError(f"{where}: a layer mapping needs 'op' (an op such as conv3x3) or 'label' (its text)")
    return BlockLayer(layer.op, label, shape, params, kind, fill, **layer_wiring(item, where, sources=True))


def parse_layers(value: object) -> tuple[BlockLayer, ...]:
    layers = check_layer_list(value, 1, "a block diagram needs")
    return tuple(parse_layer(item, i) for i, item in enumerate(layers))


@dataclass(frozen=True, kw_only=True)
class BlocksSpec(BaseSpec):
    """The schematic block diagram of papers: a rounded box per layer or op, branches as lanes,
    skips routed around, merges as ⊕ ‖ ⊗, blocks framed ×N."""

    style: ClassVar[str] = "blocks"
    branches: ClassVar[bool] = True
    draws: ClassVar[frozenset[str]] = frozenset({"connections", "blocks"})
    sizes_follow_text: ClassVar[bool] = True  # boxes grow with their text; the options are px of the page
    layer_schema: ClassVar[dict[str, Any]] = LAYER_SCHEMA
    layers: tuple[BlockLayer, ...] = field(
        metadata={"kind": "layers", "help": "ops: OP[:SHAPE[:PARAMS]] (conv3x3:64, bn, relu, add, linear:1000) "
                                            "or \"free text\""})
    direction: str = option("lr", "choice", "data flow: lr (left to right) or bt (bottom to top)",
                            choices=DIRECTIONS)
    box_width: float = option(64.0, "number", "smallest box width (a box grows to fit its text)", low=8, high=2000)
    box_height: float = option(26.0, "number", "smallest box height (a box grows to fit its lines)", low=8,
                               high=2000)
    rank_gap: float = option(22.0, "number", "space between consecutive boxes along the flow (arrows)", low=4,
                             high=1000)
    lane_gap: float = option(18.0, "number", "space between boxes side by side (parallel branches)", low=4,
                             high=1000)
    corner_radius: float = option(-1.0, "number", "corner radius of a box; -1: the theme's block.radius",
                                  low=-1, high=100)
    shapes: str = option("below", "choice", "where a box shows its shape: below its name, inline (\"3×3 conv, "
                         "64\"), or none", choices=SHAPE_STYLES)
    params: bool = option(False, "bool", "show each box's parameter count (given as OP:SHAPE:PARAMS)")
    merge: str = option("symbol", "choice", f"merges ({', '.join(kinds.MERGE_SYMBOLS)}): symbol "
                        f"({' '.join(kinds.MERGE_SYMBOLS.values())} in a circle) or box (a small box naming the "
                        "merge)", choices=MERGE_STYLES)

    fold: int = option(1, "int", "fold a long chain into this many columns (bt) or rows (lr) side by side, every "
                       "other one running back, joined by a return wire (a serpentine); cut only where one wire "
                       "and no frame crosses", low=1, high=MAX_FOLD)
    box_widths: str = option("shared", "choice", "boxes' size across the flow: shared (one for every box of the "
                             "diagram) or lane (one per chain of boxes, each as wide as its own text needs)",
                             choices=BOX_WIDTHS)
    texts: str = option("full", "choice", "box texts: full, or brief (op names abbreviated: \"MHA\", \"FFN\"; "
                        "names wrapped at about five text sizes; the parameter line dropped)", choices=TEXTS)

    parse_layers: ClassVar[Any] = staticmethod(parse_layers)

    def plain_chain(self) -> bool:
        """Whether the layers are one chain: no inputs:, connections or blocks."""
        return not self.connections and not self.blocks and all(layer.inputs is None for layer in self.layers)

    def compact_forms(self) -> tuple[Compact, ...]:
        """A narrow page's forms of a block diagram, least change first: a left-to-right chain
        turned to run bottom to top (a long plain chain: in two columns), then boxes as wide as
        their own lane needs, then closer and only as wide as their text, then brief box texts."""
        forms = []
        if self.fold == 1 and self.plain_chain() and len(self.layers) >= FOLD_FROM:
            forms.append(Compact("drawn bottom to top in two columns joined by a return wire",
                                 {"direction": "bt", "fold": 2}))
        elif self.direction == "lr":
            forms.append(Compact("drawn bottom to top", {"direction": "bt"}))
        if self.box_widths == "shared":
            forms.append(Compact("boxes as wide as their lane's text", {"box_widths": "lane"}))
        tight = {"box_width": min(self.box_width, TIGHT[0]), "rank_gap": min(self.rank_gap, TIGHT[1]),
                 "lane_gap": min(self.lane_gap, TIGHT[2])}
        if any(getattr(self, key) != value for key, value in tight.items()):
            forms.append(Compact("boxes closer, each no wider than its text", tight))
        if self.texts == "full":
            forms.append(Compact("brief box texts (op names abbreviated, parameter counts dropped)",
                                 {"texts": "brief"}))
        return tuple(forms)
