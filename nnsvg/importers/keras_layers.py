"""Keras layers worked out from their config: for one call of a layer, its op in the shared
vocabulary, its output shape and its parameter count, by the layers' documented rules (Conv1D/2D/3D
with padding, strides and dilation, pooling, Dense, Flatten, Reshape, Embedding, recurrent layers,
merges, …). A table: a rule per layer class (``RULES``), or per family of classes matched by name
(``FAMILIES``: ``Conv2D``, ``MaxPooling1D``, …). Parameter counts equal what Keras reports
(``model.count_params()``: trainable and not, a batch norm's moving statistics included).

Keras writes channels last (``H, W, C``); a rule's shape is in Keras's order, and says whether it is
channels first already (the reader turns it into the importer contract's order).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .common import clean, elements

Shape = tuple[int | None, ...]  # a Keras shape without the batch dimension; None: not fixed

ACTIVATIONS = {"relu": "relu", "relu6": "relu", "leaky_relu": "leaky_relu", "sigmoid": "sigmoid",
               "hard_sigmoid": "sigmoid", "tanh": "tanh", "softmax": "softmax", "log_softmax": "softmax",
               "gelu": "gelu", "swish": "swish", "silu": "swish", "hard_swish": "swish", "hard_silu": "swish",
               "elu": "elu", "selu": "selu", "softplus": "softplus", "softsign": "softsign", "mish": "mish",
               "exponential": "exponential"}
ACTIVATION_LAYERS = {"ReLU": "relu", "LeakyReLU": "leaky_relu", "PReLU": "leaky_relu", "ELU": "elu",
                     "Softmax": "softmax"}
NORMS = {"BatchNormalization": "batch", "LayerNormalization": "layer", "GroupNormalization": "group",
         "UnitNormalization": "lp", "SpectralNormalization": "spectral"}
DROPOUTS = ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout",
            "AlphaDropout")
MERGES = {"Add": "Add", "Subtract": "Add", "Average": "Add", "Maximum": "Add", "Minimum": "Add",
          "Multiply": "Multiply", "Concatenate": "Concat"}
RECURRENT = {"LSTM": "LSTM", "GRU": "GRU", "SimpleRNN": "RNN"}

def _tuple(value: Any, n: int, default: int = 1) -> tuple[int, ...]:
    """A size argument (an int or a list) as ``n`` ints."""
    if value is None:
        return (default,) * n
    if isinstance(value, int | float):
        return (int(value),) * n
    items = [int(v) for v in value]
    return tuple(items) if len(items) == n else (items[0],) * n


def _conv_length(length: int | None, kernel: int, stride: int, padding: str, dilation: int = 1) -> int | None:
    """Keras's ``compute_conv_output_shape`` along one axis (pooling too: dilation 1)."""
    if length is None:
        return None
    if padding in ("same", "causal"):
        return (length + stride - 1) // stride
    span = dilation * (kernel - 1) + 1
    return max((length - span) // stride + 1, 0)


def _deconv_length(length: int | None, kernel: int, stride: int, padding: str, dilation: int,
                   output_padding: int | None) -> int | None:
    """Keras's ``deconv_output_length``."""
    if length is None:
        return None
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        return length * stride + (max(kernel - stride, 0) if padding == "valid" else 0)
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


class Layer:
    """One layer call worked out: its op in the shared vocabulary, output shape (Keras order),
    whether that shape is channels first already, its parameters and attributes."""

    def __init__(self, op: str, shape: Shape | None, params: int = 0, attrs: dict[str, Any] | None = None,
                 channels_first: bool = False) -> None:
        self.op = op
        self.shape = shape
        self.params = params
        self.attrs = attrs or {}
        self.channels_first = channels_first


def _spatial(shape: Shape, first: bool) -> tuple[Shape, int | None]:
    """The spatial dims and channel count of an image-like shape."""
    return (shape[1:], shape[0]) if first else (shape[:-1], shape[-1])


def _with_channels(spatial: Shape, channels: int | None, first: bool) -> Shape:
    return (channels, *spatial) if first else (*spatial, channels)


def _activation(config: Mapping[str, Any]) -> str | None:
    value = config.get("activation")
    if isinstance(value, Mapping):  # a serialized activation function
        value = value.get("config") if isinstance(value.get("config"), str) else value.get("class_name")
    if not isinstance(value, str) or value in ("linear", ""):
        return None
    return ACTIVATIONS.get(value, clean(value))



@dataclass(frozen=True)
class Call:
    """One call of a layer, as the rules read it: its class and config, the shapes it is called
    on (``x`` the first), whether they are channels first (``cf``), its activation, whether it
    has a bias, and the groups of the family name it matched."""

    cls: str
    config: Mapping[str, Any]
    inputs: list[Shape | None]
    x: Shape | None
    cf: bool
    act: str | None
    bias: bool
    match: tuple[str | None, ...] = ()

    @property
    def extra(self) -> dict[str, Any]:
        """The attributes every computing layer has: its activation, when it has one."""
        return {"activation": self.act} if self.act else {}


Rule = Callable[[Call], Layer | None]


def layer_rule(cls: str, config: Mapping[str, Any], inputs: list[Shape | None],
               first: bool = False) -> Layer | None:
    """The op, output shape and parameter count of one call of a Keras layer, from the shapes it
    is called on (``first``: the input is channels first). None: a layer without a rule here."""
    fmt = config.get("data_format")
    call = Call(cls, config, inputs, inputs[0] if inputs else None,
                fmt == "channels_first" if fmt is not None else first, _activation(config),
                bool(config.get("use_bias", True)))
    rule = RULES.get(cls)
    if rule is not None:
        return rule(call)
    for pattern, family in FAMILIES:
        match = pattern.fullmatch(cls)
        if match:
            return family(replace(call, match=match.groups()))
    return None


def _input(c: Call) -> Layer:
    return Layer("Input", c.x)


def _dense(c: Call) -> Layer:
    units = int(c.config["units"])
    features = c.x[-1] if c.x else None
    params = (features * units if isinstance(features, int) else 0) + (units if c.bias else 0)
    return Layer("Dense", (*(c.x[:-1] if c.x else ()), units), params, {**c.extra, "units": units}, c.cf)


def _conv_params(c: Call, kind: str | None, window: int, channels: int | None) -> tuple[int | None, int]:
    """A convolution's filters (None when unknown) and parameter count."""
    if kind == "Depthwise":
        multiplier = int(c.config.get("depth_multiplier", 1))
        filters = channels * multiplier if isinstance(channels, int) else None
        return filters, (window * filters if filters else 0) + (filters if c.bias and filters else 0)
    filters = int(c.config["filters"])
    groups = int(c.config.get("groups", 1) or 1)
    if kind == "Separable":
        multiplier = int(c.config.get("depth_multiplier", 1))
        params = (window * channels * multiplier + channels * multiplier * filters
                  if isinstance(channels, int) else 0)
    else:
        params = window * channels // groups * filters if isinstance(channels, int) else 0
    return filters, params + (filters if c.bias else 0)


def _conv(c: Call) -> Layer:
    kind, rank, transpose = c.match[0], int(c.match[1] or 1), c.match[2]
    kernel = _tuple(c.config.get("kernel_size"), rank)
    strides = _tuple(c.config.get("strides"), rank)
    dilation = _tuple(c.config.get("dilation_rate"), rank)
    padding = str(c.config.get("padding", "valid")).lower()
    spatial, channels = _spatial(c.x, c.cf) if c.x and len(c.x) == rank + 1 else ((None,) * rank, None)
    filters, params = _conv_params(c, kind, math.prod(kernel), channels)
    if transpose:
        out_pad = c.config.get("output_padding")
        pads = _tuple(out_pad, rank) if out_pad is not None else (None,) * rank
        out = tuple(_deconv_length(n, k, s, padding, d, p)
                    for n, k, s, d, p in zip(spatial, kernel, strides, dilation, pads))
    else:
        out = tuple(_conv_length(n, k, s, padding, d) for n, k, s, d in zip(spatial, kernel, strides, dilation))
    attrs = {**c.extra, "kernel": (kernel + kernel)[:2], "stride": (strides + strides)[:2]}
    if not transpose and kind is None and int(c.config.get("groups", 1) or 1) != 1:
        attrs["groups"] = int(c.config["groups"])
    return Layer("ConvTranspose" if transpose else "Conv", _with_channels(out, filters, c.cf), params, attrs, c.cf)


def _pool(c: Call) -> Layer:
    rank = int(c.match[1] or 1)
    size = _tuple(c.config.get("pool_size"), rank, 2)
    strides = _tuple(c.config.get("strides") or size, rank)
    padding = str(c.config.get("padding", "valid")).lower()
    spatial, channels = _spatial(c.x, c.cf) if c.x and len(c.x) == rank + 1 else ((None,) * rank, None)
    out = tuple(_conv_length(n, k, s, padding) for n, k, s in zip(spatial, size, strides))
    return Layer("MaxPool" if c.match[0] == "Max" else "AvgPool", _with_channels(out, channels, c.cf), 0,
                 {"kernel": (size + size)[:2], "stride": (strides + strides)[:2]}, c.cf)


def _global_pool(c: Call) -> Layer:
    rank = int(c.match[1] or 1)
    _, channels = _spatial(c.x, c.cf) if c.x and len(c.x) == rank + 1 else ((None,) * rank, None)
    shape: Shape = _with_channels((1,) * rank, channels, c.cf) if c.config.get("keepdims") else (channels,)
    return Layer("GlobalMaxPool" if c.match[0] == "Max" else "GlobalAvgPool", shape, 0, {}, c.cf)


def _flatten(c: Call) -> Layer:
    return Layer("Reshape", (elements(c.x),) if c.x is not None else None)


def _reshape(c: Call) -> Layer:
    target = [int(d) for d in c.config.get("target_shape", ())]
    if -1 in target and c.x is not None:
        known = elements(d for d in target if d != -1)
        whole = elements(c.x)
        target = [whole // known if d == -1 and whole and known else d for d in target]
    return Layer("Reshape", tuple(target))


def _permute(c: Call) -> Layer | None:
    return Layer("Reshape", tuple(c.x[int(d) - 1] for d in c.config.get("dims", ()))) if c.x is not None else None


def _repeat(c: Call) -> Layer | None:
    return Layer("Reshape", (int(c.config["n"]), *c.x)) if c.x is not None else None


def _pad(c: Call) -> Layer | None:
    rank, sign = int(c.match[1] or 1), (1 if c.match[0] == "ZeroPadding" else -1)
    if c.x is None or len(c.x) != rank + 1:
        return None
    raw = c.config.get("padding" if sign > 0 else "cropping", 1)
    if isinstance(raw, int):
        pairs = [(raw, raw)] * rank
    else:
        pairs = [(int(p), int(p)) if isinstance(p, int) else (int(p[0]), int(p[1])) for p in raw]
        pairs = pairs if len(pairs) == rank else [pairs[0]] * rank
    spatial, channels = _spatial(c.x, c.cf)
    out = tuple(n + sign * (a + b) if isinstance(n, int) else None for n, (a, b) in zip(spatial, pairs))
    return Layer("Reshape", _with_channels(out, channels, c.cf), 0, {}, c.cf)


def _upsample(c: Call) -> Layer | None:
    rank = int(c.match[0] or 1)
    if c.x is None or len(c.x) != rank + 1:
        return None
    size = _tuple(c.config.get("size"), rank, 2)
    spatial, channels = _spatial(c.x, c.cf)
    out = tuple(n * s if isinstance(n, int) else None for n, s in zip(spatial, size))
    return Layer("Upsample", _with_channels(out, channels, c.cf), 0, {}, c.cf)


def _dropout(c: Call) -> Layer:
    return Layer("Dropout", c.x, 0, {"rate": float(c.config.get("rate", 0.5))}, c.cf)


def _scale(c: Call) -> Layer:
    return Layer("Scale" if c.cls != "Identity" else "Reshape", c.x, 0, {}, c.cf)


def _activation_layer(c: Call) -> Layer:
    return Layer("Activation", c.x, 0, {"function": c.act or "linear"}, c.cf)


def _named_activation(c: Call) -> Layer:
    params = 0
    if c.cls == "PReLU" and c.x is not None:
        shared = {int(a) for a in (c.config.get("shared_axes") or [])}
        params = elements(1 if i + 1 in shared else d for i, d in enumerate(c.x)) or 0
    return Layer("Activation", c.x, params, {"function": ACTIVATION_LAYERS[c.cls]}, c.cf)


def _norm(c: Call) -> Layer:
    params = 0
    if c.x is not None and c.cls != "UnitNormalization":
        axes = c.config.get("axis", -1)
        axes = [axes] if isinstance(axes, int) else list(axes)
        # BatchNormalization's axis counts the batch dimension (axis=1 is channels first)
        width = elements([c.x[a - 1] if a > 0 else c.x[a] for a in axes]) or 0
        count = int(bool(c.config.get("scale", True))) + int(bool(c.config.get("center", True)))
        if c.cls == "BatchNormalization":
            count += 2  # the moving mean and variance: not trained, but counted
        params = count * width
    return Layer("Norm", c.x, params, {"norm": NORMS[c.cls]}, c.cf)


def _normalization(c: Call) -> Layer:
    # the adapted mean and variance per feature, and the sample count
    last = c.x[-1] if c.x else None
    return Layer("Scale", c.x, 2 * last + 1 if isinstance(last, int) else 0, {}, c.cf)


def _merge(c: Call) -> Layer:
    given = [s for s in c.inputs if s is not None]
    if c.cls == "Concatenate" and given and len(given) == len(c.inputs):
        axis = int(c.config.get("axis", -1))
        axis = axis - 1 if axis > 0 else axis
        sizes = [s[axis] for s in given]
        joined = sum(d for d in sizes if isinstance(d, int)) if all(isinstance(d, int) for d in sizes) else None
        merged = list(given[0])
        merged[axis] = joined
        return Layer("Concat", tuple(merged), 0, {}, c.cf)
    widest = max(given, key=len) if given else None
    return Layer(MERGES[c.cls], widest, 0, {}, c.cf)


def _embedding(c: Call) -> Layer:
    dim = int(c.config["output_dim"])
    return Layer("Embedding", (*(c.x or ()), dim), int(c.config["input_dim"]) * dim, {"units": dim})


def _inner(config: Any, inputs: list[Shape | None]) -> Layer | None:
    """The rule of a wrapped layer (``{"class_name": …, "config": …}``) called on ``inputs``."""
    return layer_rule(str(config.get("class_name")), config.get("config") or {}, inputs)


def _bidirectional(c: Call) -> Layer | None:
    forward = _inner(c.config.get("layer") or {}, c.inputs)
    if forward is None:
        return None
    back = c.config.get("backward_layer")
    backward = _inner(back, c.inputs) if back else forward
    both = forward.shape
    if c.config.get("merge_mode", "concat") == "concat" and both is not None and backward is not None \
            and backward.shape is not None:
        last = both[-1]
        other = backward.shape[-1]
        both = (*both[:-1], last + other if isinstance(last, int) and isinstance(other, int) else None)
    return Layer(forward.op, both, forward.params + (backward.params if backward else 0),
                 {**forward.attrs, "bidirectional": True, "units": both[-1] if both else None})


def _time_distributed(c: Call) -> Layer | None:
    if c.x is None:
        return None
    step = _inner(c.config.get("layer") or {}, [c.x[1:]])
    if step is None or step.shape is None:
        return None
    return Layer(step.op, (c.x[0], *step.shape), step.params, {**step.attrs, "time_distributed": True})


def _recurrent(c: Call) -> Layer:
    units = int(c.config["units"])
    features = c.x[-1] if c.x else None
    gates = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[c.cls]
    params = gates * units * ((features if isinstance(features, int) else 0) + units)
    if c.bias:
        # a GRU with reset_after (Keras 3's default) has an input and a recurrent bias
        params += gates * units * (2 if c.cls == "GRU" and c.config.get("reset_after", True) else 1)
    shape: Shape = (c.x[0], units) if c.config.get("return_sequences") and c.x else (units,)
    attrs: dict[str, Any] = {"cell": RECURRENT[c.cls].lower(), "units": units}
    if c.config.get("return_sequences"):
        attrs["sequences"] = True
    return Layer(RECURRENT[c.cls], shape, params, attrs)


# a rule per layer class
RULES: Mapping[str, Rule] = {
    "InputLayer": _input, "Dense": _dense, "Flatten": _flatten, "Reshape": _reshape, "Permute": _permute,
    "RepeatVector": _repeat, **dict.fromkeys(DROPOUTS, _dropout),
    **dict.fromkeys(("GaussianNoise", "Rescaling", "Identity", "ActivityRegularization", "Masking"), _scale),
    "Activation": _activation_layer, **dict.fromkeys(ACTIVATION_LAYERS, _named_activation),
    **dict.fromkeys(NORMS, _norm), "Normalization": _normalization, **dict.fromkeys(MERGES, _merge),
    "Embedding": _embedding, **dict.fromkeys(RECURRENT, _recurrent), "Bidirectional": _bidirectional,
    "TimeDistributed": _time_distributed,
}
# a rule per family of classes, by name (the rule reads the name's groups: kind, rank, …)
FAMILIES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    (re.compile(r"(Separable|Depthwise)?Conv([123])D(Transpose)?"), _conv),
    (re.compile(r"(Max|Average)Pooling([123])D"), _pool),
    (re.compile(r"Global(Max|Average)Pooling([123])D"), _global_pool),
    (re.compile(r"(ZeroPadding|Cropping)([123])D"), _pad),
    (re.compile(r"UpSampling([123])D"), _upsample),
)
