"""The LeNet style's spec: stacks of 2D feature maps (``N@HxW``, optionally ``:FHxFW``), then
dense layers (plain integers), with NN-SVG's LeNet options and ours."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..errors import SpecError
from ..text import clip, quote
from . import tokens
from .base import BaseSpec, Compact
from .choices import DENSE_SIZES, FILTERS, LENET_MAP_SIZES, PLACEMENTS
from .fcnn import parse_size
from .fields import option
from .tokens import Dense, layer_data, whole
from .wiring import Ref

MAX_SIDE = 100_000
MAX_MAPS = 1_000_000
MAX_INFERRED_KERNEL = 11  # the largest kernel of common CNNs (AlexNet's first layer)
OP_LABELS = ("full", "short", "off")
CAPTIONS = ("full", "short", "key")
SHORT_OPS = {"Convolution": "Conv", "Max-Pool": "Pool", "Dense": "FC"}
_MAP = re.compile(r"(?P<n>[^@:]+)@(?P<h>[^x@:]+)x(?P<w>[^x@:]+)(?::(?P<fh>[^x@:]+)x(?P<fw>[^x@:]+))?")


@dataclass(frozen=True)
class MapLayer:
    """A stack of ``maps`` feature maps of height × width, with an optional filter window."""

    maps: int
    height: int
    width: int
    filter: tuple[int, int] | None = None
    label: str | None = None
    fill: str | None = None
    name: str | None = None
    inputs: tuple[Ref, ...] | None = None

    @property
    def token(self) -> str:
        window = f":{self.filter[0]}x{self.filter[1]}" if self.filter else ""
        return f"{self.maps}@{self.height}x{self.width}{window}"

    def to_data(self) -> Any:
        return layer_data(self.token, self.label, self.fill, self.name, self.inputs)


DenseLayer = Dense  # the LeNet style's name for it
LenetLayer = MapLayer | Dense


def caption(layer: MapLayer | DenseLayer, short: bool = False) -> str:
    """A layer's caption: its label, else its size (``short``: 6@28², 120)."""
    if layer.label is not None:
        return layer.label
    if isinstance(layer, MapLayer):
        if short and layer.height == layer.width:
            return f"{layer.maps}@{layer.height}²"
        return f"{layer.maps}@{layer.height}x{layer.width}"
    return f"{layer.size}" if short else f"1x{layer.size}"


def parse_token(token: object, where: str) -> LenetLayer:
    """``N@HxW``, ``N@HxW:FHxFW`` or a dense width."""
    if isinstance(token, str) and "@" in token:
        text = token.strip()
        match = _MAP.fullmatch(text)
        if match is None:
            raise SpecError(f"{where}: '{clip(token)}' is not a feature-map layer; expected N@HxW "
                            "(e.g. 6@28x28) or N@HxW:FHxFW (e.g. 1@32x32:5x5)")
        maps = whole(match["n"], "map count", text, where, 1, MAX_MAPS)
        height = whole(match["h"], "height", text, where, 1, MAX_SIDE)
        width = whole(match["w"], "width", text, where, 1, MAX_SIDE)
        window = None
        if match["fh"] is not None:
            fh = whole(match["fh"], "filter height", text, where, 1, MAX_SIDE)
            fw = whole(match["fw"], "filter width", text, where, 1, MAX_SIDE)
            if fh > height or fw > width:
                raise SpecError(f"{where}: '{clip(token)}' has a {fh}x{fw} filter, larger than its "
                                f"{height}x{width} maps")
            window = (fh, fw)
        return MapLayer(maps, height, width, window)
    try:
        return Dense(parse_size(token, where))
    except SpecError:
        raise SpecError(f"{where}: expected N@HxW (feature maps) or a whole number (a dense "
                        f"layer), got {quote(token)}") from None


def parse_layers(value: object) -> tuple[LenetLayer, ...]:
    return tokens.parse_layers(value, parse_token, "'6@28x28' or 120", "feature-map layer")


@dataclass(frozen=True, kw_only=True)
class LenetSpec(BaseSpec):
    """Stacked 2D feature maps and dense layers (NN-SVG's LeNet style), left to right."""

    style: ClassVar[str] = "lenet"
    draws: ClassVar[frozenset[str]] = frozenset({"connections", "blocks"})
    layer_schema: ClassVar[dict[str, Any]] = tokens.LAYER_SCHEMA
    layers: tuple[LenetLayer, ...] = field(
        metadata={"kind": "layers", "help": "N@HxW[:FHxFW] and dense widths"})
    ops: list[str] | None = option(None, "texts", "op label of each gap between layers, e.g. "
                                   "'Conv 5x5,Max-pool 2x2,Dense' (missing ones are inferred; '' for none)")
    op_labels: str = option("full", "choice", "the inferred op labels: full (Convolution, Max-Pool, Dense), "
                            "short (Conv, Pool, FC) or off (none); op labels given with ops are kept unless off",
                            choices=OP_LABELS)
    captions: str = option("full", "choice", "layer captions: full (6@28x28, 1x120), short (6@28², 120: a "
                           "square map's side squared, a dense layer's width alone) or key (each layer numbered, "
                           "the short captions in a key under the drawing)", choices=CAPTIONS)
    gaps: float | list[float] = option(40.0, "numbers", "space between layers: one value or one per "
                                       "gap; negative overlaps", low=-10_000, high=10_000)
    map_offset: float = option(8.0, "number", "diagonal step between stacked maps", low=0, high=1000)
    max_maps: int = option(24, "int", "draw a deeper stack as its back and front maps with a "
                           "small diagonal ellipsis between them; 0 draws every map", low=0, high=MAX_MAPS)
    map_size: str = option("auto", "choice", "map side: auto (linear while the largest side is at "
                           "most 128, else compressed so it is drawn at 128 px), linear (px = units x "
                           "map_scale) or log (px = 12 x map_scale x log2(1 + units))",
                           choices=LENET_MAP_SIZES)
    map_scale: float = option(1.0, "number", "scale of map sides", low=0.01, high=100)
    dense_size: str = option("auto", "choice", "dense length: auto (linear while the longest layer "
                             "is at most 256, else compressed so it is drawn at 256 px), linear "
                             "(n x dense_scale / 100) or sqrt (sqrt(n) x dense_scale / 10)",
                             choices=DENSE_SIZES)
    dense_scale: float = option(100.0, "number", "scale of dense lengths, in percent", low=0.01, high=10_000)
    fit: bool = option(True, "bool", "keep a big network on a page: a figure wider than 1600 px "
                       "gets a shorter diagonal map step, then smaller layers and gaps (text keeps its size)")
    label_room: bool = option(True, "bool", "move layers apart where their labels need it, so that "
                              "neighbours' captions (and op labels) alternate between at most two rows; "
                              "off: the layers keep their gaps and labels stack as deep as they need")
    filters: str = option("infer", "choice", "filter windows: as given and inferred from the next "
                          "layer's size (infer), only as given, or none", choices=FILTERS)
    filter_position: str = option("seeded", "choice", "where a filter window sits on its map: a "
                                  "seeded random spot (as NN-SVG) or the centre",
                                  choices=PLACEMENTS)

    parse_layers: ClassVar[Any] = staticmethod(parse_layers)

    def __post_init__(self) -> None:
        super().__post_init__()
        gaps = len(self.layers) - 1
        if isinstance(self.gaps, list) and len(self.gaps) not in (1, gaps):
            raise SpecError(f"gaps: expected one value or {gaps} (one per gap between layers), "
                            f"got {len(self.gaps)}")
        if self.ops is not None and len(self.ops) > gaps:
            raise SpecError(f"ops: {len(self.ops)} op labels for {gaps} gaps between layers "
                            f"({', '.join(repr(o) for o in self.ops)})")

    def compact_forms(self) -> tuple[Compact, ...]:
        """Shorter labels for a narrow page, least change first: the inferred op labels
        abbreviated, then short captions, then no op labels (the captions, the layers' sizes, tell
        what each step did), then the layers numbered with their captions in a key."""
        if not self.labels:
            return ()
        forms = []
        inferred = any(step.op in SHORT_OPS for step in steps(self))
        if self.op_labels == "full" and inferred:
            forms.append(Compact("op labels abbreviated (Conv, Pool, FC)", {"op_labels": "short"}))
        if self.captions == "full":
            forms.append(Compact("short captions (6@28², 120)", {"captions": "short"}))
        if self.op_labels != "off" and any(step.op for step in steps(self)):
            forms.append(Compact("without op labels", {"op_labels": "off"}))
        if self.captions != "key":
            forms.append(Compact("the layers numbered, their captions in a key", {"captions": "key"}))
        return tuple(forms)

    def gap_list(self) -> list[float]:
        gaps = self.gaps if isinstance(self.gaps, list) else [self.gaps]
        return gaps * (len(self.layers) - 1) if len(gaps) == 1 else list(gaps)



@dataclass(frozen=True)
class Step:
    """What happens between layer i and i+1: the op label and the filter window drawn on
    layer i (in map units), if any."""

    op: str
    window: tuple[int, int] | None


def infer_window(a: MapLayer, b: MapLayer) -> tuple[tuple[int, int] | None, str]:
    """The window and op a size change implies: pooling when the next map's height and width
    divide this one's by whole factors (a window of those factors), else a valid convolution
    H−k+1 (a k×k window, if k is at most MAX_INFERRED_KERNEL: a bigger drop is a strided
    convolution whose kernel cannot be known); an equal or larger next map implies no window."""
    if b.height < a.height and a.height % b.height == 0 and a.width % b.width == 0 \
            and b.width < a.width:
        return (a.height // b.height, a.width // b.width), "Max-Pool"
    if b.height <= a.height and b.width <= a.width and (b.height, b.width) != (a.height, a.width):
        window = (a.height - b.height + 1, a.width - b.width + 1)
        if max(window) > MAX_INFERRED_KERNEL:  # a strided convolution (AlexNet's 227→55): size unknown
            return None, "Convolution"
        return window, "Convolution"
    return None, "Convolution" if (b.height, b.width) == (a.height, a.width) else ""


def steps(spec: LenetSpec) -> list[Step]:
    """The op label and filter window of every gap, from the spec's tokens, ops and filters."""
    out = []
    for i, (a, b) in enumerate(zip(spec.layers, spec.layers[1:])):
        window: tuple[int, int] | None = None
        if isinstance(a, MapLayer) and isinstance(b, MapLayer):
            inferred, op = infer_window(a, b)
            if a.filter is not None:
                pooled = a.height // b.height if a.height % b.height == 0 else 0
                op = "Max-Pool" if a.filter == (pooled, pooled) and pooled > 1 else "Convolution"
            window = a.filter or (inferred if spec.filters == "infer" else None)
        else:
            op = "Dense"
            window = a.filter if isinstance(a, MapLayer) else None
        if spec.filters == "none":
            window = None
        if spec.op_labels == "short":
            op = SHORT_OPS.get(op, op)
        if spec.ops is not None and i < len(spec.ops):
            op = spec.ops[i]
        if spec.op_labels == "off":
            op = ""
        out.append(Step(op, window))
    return out
