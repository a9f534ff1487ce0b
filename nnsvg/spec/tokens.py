"""What the styles' layer tokens share: whole numbers inside tokens, the dense layer, the
mapping form of a layer (``{size: "6@28x28", label: ..., fill: ...}``) and the rule that dense
layers come last."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import colors
from ..errors import NnsvgError, SpecError
from ..text import check_text, clip, nearest, quote
from .wiring import LAYER_KEYS_SCHEMA, Ref, layer_wiring, wiring_data

MAPPING_KEYS = ("size", "label", "fill", "name", "inputs")
LAYER_SCHEMA: dict[str, Any] = {"oneOf": [  # JSON Schema of one layer: a token or the mapping form
    {"type": ["integer", "string"]},
    {"type": "object", "required": ["size"], "additionalProperties": False,
     "properties": {"size": {"type": ["integer", "string"]}, "label": {"type": "string"},
                    "fill": {"type": "string"}, **LAYER_KEYS_SCHEMA}}]}


def whole(text: str, what: str, token: str, where: str, low: int, high: int) -> int:
    """A whole number found inside a token, or an error naming the token and the part."""
    if not re.fullmatch(r"[0-9]+", text.strip()):  # ASCII digits: "²" is a digit to isdigit()
        raise SpecError(f"{where}: '{clip(token)}' has {what} '{clip(text)}', which is not a whole number")
    if len(text.strip().lstrip("0")) > 12:  # far above any bound; int() of 5000 digits fails
        raise SpecError(f"{where}: '{clip(token)}' has {what} of {len(text.strip()):,} digits; "
                        f"expected {low} to {high:,}")
    value = int(text)
    if not low <= value <= high:
        raise SpecError(f"{where}: '{clip(token)}' has {what} {value}; expected {low} to {high:,}")
    return value


def layer_data(value: Any, label: str | None, fill: str | None, name: str | None = None,
               inputs: tuple[Ref, ...] | None = None) -> Any:
    """A layer as written to a spec file: its token, or a mapping when it has overrides."""
    extra = {k: v for k, v in (("label", label), ("fill", fill)) if v is not None}
    extra.update(wiring_data(name, inputs))
    return {"size": value, **extra} if extra else value


@dataclass(frozen=True)
class Dense:
    """A dense (fully-connected) vector of ``size`` units."""

    size: int
    label: str | None = None
    fill: str | None = None
    name: str | None = None
    inputs: tuple[Ref, ...] | None = None

    @property
    def token(self) -> str:
        return str(self.size)

    def to_data(self) -> Any:
        return layer_data(self.size, self.label, self.fill, self.name, self.inputs)


def parse_layer(item: object, index: int, parse_token: Callable[[object, str], Any], example: str) -> Any:
    """A layer from a token or from the mapping form with a label and a fill."""
    where = f"layer {index + 1}"
    if not isinstance(item, dict):
        return parse_token(item, where)
    for key in item:
        if key not in MAPPING_KEYS:
            raise SpecError(f"{where}: unknown layer key '{key}'{nearest(str(key), list(MAPPING_KEYS))}")
    if "size" not in item:
        raise SpecError(f"{where}: a layer mapping needs 'size' (a token such as {example})")
    layer = parse_token(item["size"], f"{where}.size")
    label = item.get("label")
    if label is not None and not isinstance(label, str | int | float):
        raise SpecError(f"{where}.label: expected text, got {quote(label)}")
    try:
        fill = colors.normalize(item["fill"], f"{where}.fill", allow_none=True) if "fill" in item else None
    except NnsvgError as exc:
        raise SpecError(str(exc)) from None
    text = None if label is None else check_text(str(label), f"{where}.label")
    return dataclasses.replace(layer, label=text, fill=fill, **layer_wiring(item, where))


MAX_LAYERS = 1000  # a figure of more layers is unreadable at any page size (ResNet-152 has 152)


def check_layer_list(value: object, minimum: int = 2, what: str = "a network needs") -> list[Any] | tuple[Any, ...]:
    """The layers value as a list of at least ``minimum`` and at most MAX_LAYERS items; ``what``
    starts the message when there are too few."""
    if not isinstance(value, list | tuple):
        raise SpecError(f"layers: expected a list of layer sizes, got {quote(value)}")
    if len(value) < minimum:
        raise SpecError(f"layers: {what} at least {minimum} layers, got {len(value)}")
    if len(value) > MAX_LAYERS:
        raise SpecError(f"layers: {len(value):,} layers is more than nnsvg draws (at most {MAX_LAYERS:,}; "
                        "a figure of more is unreadable at any size)")
    return value


def parse_layers(value: object, parse_token: Callable[[object, str], Any], example: str,
                 kind: str) -> tuple[Any, ...]:
    """At least two layers, each a token or mapping, the dense ones last."""
    value = check_layer_list(value)
    layers = tuple(parse_layer(item, i, parse_token, example) for i, item in enumerate(value))
    first_dense = next((i for i, layer in enumerate(layers) if isinstance(layer, Dense)), None)
    if first_dense is not None:
        for i, layer in enumerate(layers[first_dense:], first_dense):
            if not isinstance(layer, Dense):
                raise SpecError(f"layer {i + 1}: {kind} '{layer.token}' comes after the dense layer "
                                f"{first_dense + 1} ('{layers[first_dense].token}'); dense layers go last")
    return layers
