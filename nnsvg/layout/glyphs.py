"""Activation-function glyphs: each function's curve as a few path segments in a small box,
drawn inside a node or beside a layer. Names and curves only; placement is the renderer's."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..scene import Polyline


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _gelu(x: float) -> float:
    return 0.5 * x * (1 + math.erf(x / math.sqrt(2)))


# name -> (function on [-3, 3], y range shown); softmax is drawn as bars, not a curve
ACTIVATIONS: dict[str, tuple[Callable[[float], float] | None, tuple[float, float]]] = {
    "identity": (lambda x: x, (-3.0, 3.0)),
    "relu": (lambda x: max(0.0, x), (-0.6, 3.0)),
    "leaky_relu": (lambda x: x if x > 0 else 0.15 * x, (-0.6, 3.0)),
    "sigmoid": (_sigmoid, (-0.1, 1.1)),
    "tanh": (math.tanh, (-1.2, 1.2)),
    "gelu": (_gelu, (-0.6, 3.0)),
    "swish": (lambda x: x * _sigmoid(x), (-0.6, 3.0)),
    "softmax": (None, (0.0, 1.0)),
}
SAMPLES = 13


def known() -> str:
    return ", ".join(ACTIVATIONS)


def glyph(name: str, cx: float, cy: float, size: float) -> tuple[Polyline, ...]:
    """The polylines of the glyph of ``name`` centred on (cx, cy) in a size × size box: axes as
    a faint cross are left out; the curve (or three bars for softmax) is all there is."""
    function, (low, high) = ACTIVATIONS[name]
    half = size / 2
    if function is None:  # softmax: three bars of a distribution
        width = size / 5
        bars = []
        for k, share in enumerate((0.35, 1.0, 0.55)):
            x = cx - half + width * (0.5 + 1.6 * k)
            top = cy + half - size * share
            bars.append(((x, cy + half), (x, top), (x + width, top), (x + width, cy + half)))
        return tuple(bars)
    points = []
    for k in range(SAMPLES):
        x = -3 + 6 * k / (SAMPLES - 1)
        y = (function(x) - low) / (high - low)
        points.append((cx - half + size * k / (SAMPLES - 1), cy + half - size * y))
    return (tuple(points),)
