"""The AlexNet style's spec: 3D volumes ``HxWxD`` (optionally ``:FHxFW``), then dense layers,
with NN-SVG's AlexNet options, a numeric camera view and an input image."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..errors import SpecError
from ..images import EmbeddedImage, read_image
from ..text import clip, quote
from . import tokens
from .base import BaseSpec, Compact
from .choices import MAP_SIZES, PLACEMENTS, SCALINGS, VOLUME_LOOKS
from .fcnn import parse_size
from .fields import option
from .tokens import Dense, layer_data, whole
from .wiring import Ref

MAX_SIDE = 1_000_000
DIM_FORMS = ("edges", "short", "changes")
_VOLUME = re.compile(r"(?P<h>[^x:]+)x(?P<w>[^x:]+)x(?P<d>[^x:]+)(?::(?P<fh>[^x:]+)x(?P<fw>[^x:]+))?")


@dataclass(frozen=True)
class Volume:
    """A height × width × depth (channels) volume, with an optional filter box."""

    height: int
    width: int
    depth: int
    filter: tuple[int, int] | None = None
    label: str | None = None
    fill: str | None = None
    name: str | None = None
    inputs: tuple[Ref, ...] | None = None

    @property
    def token(self) -> str:
        window = f":{self.filter[0]}x{self.filter[1]}" if self.filter else ""
        return f"{self.height}x{self.width}x{self.depth}{window}"

    def to_data(self) -> Any:
        return layer_data(self.token, self.label, self.fill, self.name, self.inputs)


AlexnetLayer = Volume | Dense


def parse_token(token: object, where: str) -> AlexnetLayer:
    """``HxWxD``, ``HxWxD:FHxFW`` or a dense width."""
    if isinstance(token, str) and "x" in token:
        text = token.strip()
        match = _VOLUME.fullmatch(text)
        if match is None:
            raise SpecError(f"{where}: '{clip(token)}' is not a volume; expected HxWxD (e.g. 55x55x96) "
                            "or HxWxD:FHxFW (e.g. 224x224x3:11x11)")
        h = whole(match["h"], "height", text, where, 1, MAX_SIDE)
        w = whole(match["w"], "width", text, where, 1, MAX_SIDE)
        d = whole(match["d"], "depth", text, where, 1, MAX_SIDE)
        window = None
        if match["fh"] is not None:
            fh = whole(match["fh"], "filter height", text, where, 1, MAX_SIDE)
            fw = whole(match["fw"], "filter width", text, where, 1, MAX_SIDE)
            if fh > h or fw > w:
                raise SpecError(f"{where}: '{clip(token)}' has a {fh}x{fw} filter, larger than its {h}x{w} volume")
            window = (fh, fw)
        return Volume(h, w, d, window)
    try:
        return Dense(parse_size(token, where))
    except SpecError:
        raise SpecError(f"{where}: expected HxWxD (a volume) or a whole number (a dense layer), "
                        f"got {quote(token)}") from None


def parse_layers(value: object) -> tuple[AlexnetLayer, ...]:
    return tokens.parse_layers(value, parse_token, "'55x55x96' or 1000", "volume")


@dataclass(frozen=True, kw_only=True)
class AlexnetSpec(BaseSpec):
    """3D volumes and dense boxes under an orthographic camera (NN-SVG's AlexNet style)."""

    style: ClassVar[str] = "alexnet"
    draws: ClassVar[frozenset[str]] = frozenset({"connections", "blocks"})
    layer_schema: ClassVar[dict[str, Any]] = tokens.LAYER_SCHEMA
    layers: tuple[AlexnetLayer, ...] = field(
        metadata={"kind": "layers", "help": "HxWxD[:FHxFW] volumes and dense widths"})
    look: str = option("row", "choice", "row: channels along the row, deep layers long, the row level "
                       "across the page (NN-SVG's and PlotNeuralNet's look); cubes: channels recede into "
                       "the page, near-cubes down a diagonal (nnsvg 1.x)", choices=VOLUME_LOOKS)
    view: list[float] = option([21.0, 21.4], "numbers", "camera azimuth,elevation in degrees: "
                               "azimuth in [1, 89], elevation in [0, 60]", low=-360, high=360)
    spacing: float = option(40.0, "number", "space between layers (NN-SVG: 20; wider leaves the pyramids room)",
                            low=0, high=10_000)
    dims: bool = option(False, "bool", "dimension labels on volumes and sizes under dense layers")
    dims_form: str = option(
        "edges", "choice", "how dims writes the sizes: edges: each of a volume's three beside the edge it names; "
        "short: one line a layer under it (over it where a neighbour's is in the way), 224²×3 for a square map; "
        "changes: short, once for a run of layers of one size", choices=DIM_FORMS)
    filter_dims: bool = option(False, "bool", "size labels on the filter boxes")
    font_scale: float = option(1.0, "number", "scale of the dimension labels", low=0.2, high=5)
    depth_size: str = option("log", "choice", "depth (channels) drawn as scale x ln(1+d), or linear",
                             choices=SCALINGS)
    depth_scale: float = option(10.0, "number", "scale of depth", low=0.001, high=1000)
    side_size: str = option("log", "choice", "height and width drawn as scale x ln(1+x), or linear",
                            choices=SCALINGS)
    side_scale: float = option(10.0, "number", "scale of height and width", low=0.001, high=1000)
    filter_size: str = option("linear", "choice", "filter box side: linear (f x scale) or log "
                              "(10 x scale x ln(1+f))", choices=MAP_SIZES)
    filter_scale: float = option(1.0, "number", "scale of the filter boxes", low=0.001, high=1000)
    filter_position: str = option("seeded", "choice", "filter box placement: seeded random or centre",
                                  choices=PLACEMENTS)
    input_image: str | None = option(None, "text", "a PNG or JPEG put on the first volume's front face")
    image_opacity: float = option(0.5, "number", "opacity of the input image", low=0, high=1)
    image_flip: bool = option(False, "bool", "mirror the input image left to right")
    levels: list[float] | None = option(
        None, "numbers", "vertical level of each layer, one whole number per layer: 0 is the top row, each "
        "level one step lower (0,0,1,1,2,1,1,0,0 draws a U: a U-Net's encoder steps down, its decoder back up, "
        "and skips between layers of one level are straight arrows across the U)", low=0, high=100)
    # the input image, read and checked while the spec is validated: rendering reads no file
    image: EmbeddedImage | None = field(default=None, init=False, repr=False, compare=False)

    parse_layers: ClassVar[Any] = staticmethod(parse_layers)

    def __post_init__(self) -> None:
        super().__post_init__()
        view = self.view if isinstance(self.view, list) else [self.view]
        if len(view) != 2:
            raise SpecError(f"view: expected azimuth,elevation (two numbers), got {quote(self.view)}")
        azimuth, elevation = view
        if not 1 <= azimuth <= 89:  # nearer 0 or 90 a face is edge-on and spacing divides by ~0
            raise SpecError(f"view: azimuth must be from 1 to 89 degrees, got {azimuth:g}")
        if not 0 <= elevation <= 60:
            raise SpecError(f"view: elevation must be from 0 to 60 degrees, got {elevation:g}")
        if self.levels is not None:
            levels = self.levels if isinstance(self.levels, list) else [self.levels]
            if len(levels) != len(self.layers):
                raise SpecError(f"levels: expected one level per layer ({len(self.layers)}), got {len(levels)}")
            for i, level in enumerate(levels):
                if not float(level).is_integer():
                    raise SpecError(f"levels[{i}]: expected a whole number, got {level:g}")
            object.__setattr__(self, "levels", [int(v) for v in levels])  # whole numbers: 1, not 1.0, in a saved spec
        if self.input_image is not None:
            if not isinstance(self.layers[0], Volume):
                raise SpecError("input_image: the first layer must be a volume to carry the image")
            object.__setattr__(self, "image", read_image(self.input_image))

    def compact_forms(self) -> tuple[Compact, ...]:
        """For a narrow page: the dimension labels as one line a layer, then once for a run of
        one size, then no labels on the filter boxes (each reader still gets every size that
        changes along the network)."""
        forms = []
        if self.dims and self.dims_form == "edges":
            forms.append(Compact("dimension labels as one line a layer (224²×3)", {"dims_form": "short"}))
        if self.dims and self.dims_form != "changes":
            forms.append(Compact("dimension labels once for a run of layers of one size", {"dims_form": "changes"}))
        if self.filter_dims:
            forms.append(Compact("no size labels on the filter boxes", {"filter_dims": False}))
        return tuple(forms)

    def input_files(self) -> list[tuple[str, str]]:
        return [] if self.input_image is None else [("the input image", self.input_image)]
