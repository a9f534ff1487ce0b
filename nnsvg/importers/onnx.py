"""ONNX models (``.onnx``) → the op ``Graph`` that every importer returns (see
``nnsvg.importers``).

The file is read by ``onnx_file`` (its graph, without the weights' values nor external data: a
figure needs shapes, not values; and checked against its limits before shape inference runs),
shapes come from ``onnx.shape_inference``, and weights are counted wherever they are: float
initializers, and float tensors computed from constants only (``Constant``,
``ConstantOfShape``, an ``Unsqueeze`` of a constant, …: the onnx package's own test models
carry their weights that way). Shape arithmetic (``Shape`` → ``Gather`` → ``Concat`` →
``Reshape``) is not drawn. The ``onnx`` package is imported inside ``read``: it is the optional
extra ``nnsvg[onnx]``. Every attribute is read by ``attribute`` (typed, finite, in range), and every
name from the file that reaches a label or a note is cut and escaped (``_name``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from types import MappingProxyType
from typing import Any

from ..errors import SpecError
from ..graph import Connection, Graph, Node
from ..text import clip, quote, shown_path
from . import missing, onnx_file
from .common import MAX_DRAWN_WEIGHTS, connections_into, elements, unique_name
from .onnx_file import MAX_NAME, node_label

MAX_ELEMENTS = 2**40  # values in one weight tensor: an LLM's largest (its embedding) has ~2**32
MAX_SIZE = 2**31 - 1  # a kernel side, stride, group count or hidden size: real ones are at most thousands

FLOAT_TYPES = {1, 10, 11, 16}  # FLOAT, FLOAT16, DOUBLE, BFLOAT16

ACTIVATIONS = {
    "Relu": "relu", "LeakyRelu": "leaky_relu", "PRelu": "leaky_relu", "Sigmoid": "sigmoid", "Tanh": "tanh",
    "Softmax": "softmax", "LogSoftmax": "softmax", "Gelu": "gelu", "Clip": "relu", "Elu": "elu", "Selu": "selu",
    "Celu": "elu", "HardSigmoid": "sigmoid", "HardSwish": "swish", "Softplus": "softplus", "Softsign": "softsign",
    "Mish": "mish", "ThresholdedRelu": "relu",
}
NORMS = {"BatchNormalization": "batch", "LRN": "lrn", "LayerNormalization": "layer",
         "InstanceNormalization": "instance", "GroupNormalization": "group", "LpNormalization": "lp"}
SHAPE_ONLY = {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Identity", "Cast", "Pad",
              "Expand", "DepthToSpace", "SpaceToDepth"}
MERGES = {"Add": "Add", "Sum": "Add", "Sub": "Add", "Mul": "Multiply", "Div": "Multiply", "Concat": "Concat"}
LAYERS = {"Conv": "Conv", "ConvTranspose": "ConvTranspose", "Gemm": "Dense", "MaxPool": "MaxPool",
          "AveragePool": "AvgPool", "GlobalAveragePool": "GlobalAvgPool", "GlobalMaxPool": "GlobalMaxPool",
          "LSTM": "LSTM", "GRU": "GRU", "RNN": "RNN", "Upsample": "Upsample", "Resize": "Upsample",
          "MatMul": "MatMul"}
# constant inputs of these are settings (a dropout ratio, clip bounds, resize scales), not weights
NO_WEIGHTS = {"Dropout", "Clip", "Resize", "Upsample", "Pad", *SHAPE_ONLY}
SHAPE_SOURCES = {"Shape", "Size"}  # their outputs (and what is computed from them) are shape arithmetic


def _load(path: str | os.PathLike[str]) -> Any:
    try:
        import onnx
    except ImportError:
        raise missing("onnx", "onnx") from None
    shown = shown_path(os.fspath(path))
    data = onnx_file.light(path)
    try:
        model = onnx.load_model_from_string(data)
    except Exception as exc:  # protobuf's DecodeError and whatever a damaged file makes it raise
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise SpecError(f"model {shown} is not a readable ONNX model ({clip(reason, 120)})") from None
    if not model.HasField("graph") or not model.graph.node:
        raise SpecError(f"model {shown} is not an ONNX model with a graph (no operations found; "
                        "is the file truncated or of another format?)")
    onnx_file.check(model, shown)
    onnx_file.in_order(model.graph)
    try:
        model = onnx.shape_inference.infer_shapes(model)
    except Exception:  # a model shape inference cannot follow is still drawn, with the shapes it gives
        pass
    return model


def _name(text: str) -> str:
    """A name from the file as a label or a note shows it: cut to MAX_NAME characters, line
    breaks and other controls written as escapes (an SVG cannot hold them, a terminal acts on them)."""
    return clip(text, MAX_NAME)


def _dims(type_proto: Any) -> tuple[int | str, ...] | None:
    if not type_proto.HasField("tensor_type") or not type_proto.tensor_type.HasField("shape"):
        return None
    return tuple(_dim(d) for d in type_proto.tensor_type.shape.dim)


def _dim(d: Any) -> int | str:
    """A dimension: its size, or its name when symbolic; "?" when unknown (a negative size is no
    size: old exporters wrote -1 for "unknown")."""
    if d.HasField("dim_value"):
        return int(d.dim_value) if d.dim_value >= 0 else "?"
    return _name(d.dim_param) or "?"


def _elements(shape: Iterable[int | str] | None, name: str) -> int | None:
    """The values of a weight tensor of this shape (None when a dimension is unknown); a
    SpecError naming it when there are more than any model holds."""
    if shape is None:
        return None
    total = elements(shape, MAX_ELEMENTS)
    if total is not None and total > MAX_ELEMENTS:
        raise SpecError(f"tensor {quote(name, MAX_NAME)} has more than {MAX_ELEMENTS:,} values "
                        f"(dimensions {quote(tuple(shape))}), more than any model's")
    return total


# an attribute's type (AttributeProto.type) as a message names it
TYPE_WORDS = {1: "a number", 2: "a whole number", 3: "text", 4: "a tensor", 5: "a graph", 6: "a list of numbers",
              7: "a list of whole numbers", 8: "a list of texts", 9: "a list of tensors", 10: "a list of graphs",
              11: "a sparse tensor", 12: "a list of sparse tensors", 13: "a type", 14: "a list of types"}
KINDS = {"int": (2,), "ints": (7,), "float": (1, 2), "tensor": (4,)}  # the types each kind accepts
KIND_WORDS = {"int": "a whole number", "ints": "a list of whole numbers", "float": "a number", "tensor": "a tensor"}
# an old file's attribute without a type: the field that is set says it
IMPLIED = (("f", 1), ("i", 2), ("s", 3), ("t", 4), ("g", 5), ("floats", 6), ("ints", 7), ("strings", 8))


def attribute(node: Any, name: str, kind: str, low: float | None = None, high: float | None = None) -> Any:
    """The value of ``node``'s attribute ``name`` read as ``kind`` (int, ints, float, tensor), or
    None when the node has none; a SpecError naming the node and the attribute when it is of
    another type, not finite, or outside ``low`` to ``high``. Every attribute the reader uses is
    read here."""
    found = next((a for a in node.attribute if a.name == name), None)
    if found is None:
        return None
    declared = found.type or next((t for field, t in IMPLIED if _has(found, field)), 0)
    if declared not in KINDS[kind]:
        got = TYPE_WORDS.get(declared, "an attribute of no known type")
        raise SpecError(f"{_where(node, name)}: expected {KIND_WORDS[kind]}, got {got}")
    if kind == "tensor":
        return found.t
    values = list(found.ints) if kind == "ints" else [found.f if declared == 1 else found.i]
    for value in values:
        if not math.isfinite(value):
            raise SpecError(f"{_where(node, name)}: expected a finite number, got {value}")
        if (low is not None and value < low) or (high is not None and value > high):
            word = KIND_WORDS[kind].removeprefix("a list of ")
            raise SpecError(f"{_where(node, name)}: expected {word} from {low:,} to {high:,}, got {quote(value)}")
    return values if kind == "ints" else float(values[0]) if kind == "float" else values[0]


def _where(node: Any, name: str) -> str:
    return f"node {node_label(node)}, attribute '{name}'"


def _has(found: Any, field: str) -> bool:
    return bool(getattr(found, field)) if field in ("floats", "ints", "strings") else found.HasField(field)


def _pair(values: list[int] | None) -> tuple[int, int] | None:
    if not values:
        return None
    return (values[0], values[1]) if len(values) >= 2 else (values[0], values[0])


class _Tensors:
    """What is known of every tensor: shape, element type, and which ones are constants."""

    def __init__(self, model: Any) -> None:
        g = model.graph
        self.shape: dict[str, tuple[int | str, ...] | None] = {}
        self.dtype: dict[str, int] = {}
        for v in [*g.input, *g.value_info, *g.output]:
            self.shape[v.name] = _dims(v.type)
            if v.type.HasField("tensor_type"):
                self.dtype[v.name] = v.type.tensor_type.elem_type
        self.initializers = {t.name: t for t in g.initializer}
        for t in g.initializer:
            if any(d < 0 for d in t.dims):
                raise SpecError(f"initializer {quote(t.name, MAX_NAME)} has a negative dimension "
                                f"({quote(tuple(t.dims))}); a tensor's sizes are at least 0")
            self.shape[t.name] = tuple(int(d) for d in t.dims)
            self.dtype[t.name] = t.data_type
        self.constant: set[str] = set(self.initializers)
        self.shape_math: set[str] = set()
        self.arrays: dict[str, Any] = {}
        self.rows: dict[tuple[str, bool], tuple[tuple[float, ...], ...]] = {}  # weights as drawn (in × out)

    def is_float(self, name: str) -> bool:
        return self.dtype.get(name, 1) in FLOAT_TYPES

    def array(self, name: str) -> Any:
        """An initializer's values (numpy), or None (computed, or its values are not in what was
        read: stored elsewhere, or too big to need)."""
        if name in self.arrays:
            return self.arrays[name]
        from onnx import numpy_helper

        tensor = self.initializers.get(name)
        array = None
        if tensor is not None and tensor.data_location != 1:  # 1: EXTERNAL, never read
            try:
                array = numpy_helper.to_array(tensor)
            except Exception:  # values that do not fit the dimensions, a type numpy lacks
                array = None
        self.arrays[name] = array
        return array

    def matrix(self, name: str, transposed: bool) -> tuple[tuple[float, ...], ...] | None:
        """A 2D initializer's values as rows of floats (transposed on request), made once."""
        key = (name, transposed)
        if key not in self.rows:
            array = self.array(name)
            if array is None or array.ndim != 2 or array.dtype.kind not in "fiu":
                return None
            matrix = array.T if transposed else array
            self.rows[key] = tuple(tuple(float(v) for v in row) for row in matrix.tolist())
        return self.rows[key]

    def scalar(self, node: Any, name: str, what: str, low: float, high: float) -> float | None:
        """The one value of a constant input (a dropout ratio), or None when it is not known; a
        SpecError naming the node and input when it is not a number from ``low`` to ``high``."""
        array = self.array(name)
        if array is None or array.size != 1:
            return None
        raw = array.reshape(-1)[0]
        value = raw.item() if hasattr(raw, "item") else raw  # (a text tensor's values are bytes)
        if array.dtype.kind not in "fiu" or not math.isfinite(value) or not low <= value <= high:
            raise SpecError(f"node {node_label(node)}, input {quote(name, MAX_NAME)}: expected {what} from "
                            f"{low} to {high}, got {quote(value)}")
        return float(value)


def _constant_of_shape(node: Any, tensors: _Tensors) -> None:
    """The shape and type of a ConstantOfShape output, from its (constant) shape input."""
    if not node.output:
        return
    out = node.output[0]
    values = tensors.array(node.input[0]) if node.input else None
    if values is not None:
        where = f"node {node_label(node)}, input {quote(node.input[0], MAX_NAME)}"
        if values.dtype.kind not in "iu" or values.ndim > 1:
            raise SpecError(f"{where}: expected a list of whole numbers (a shape), got {values.dtype} values "
                            f"of dimensions {quote(values.shape)}")
        if values.size > onnx_file.MAX_RANK or (values < 0).any():
            raise SpecError(f"{where}: expected at most {onnx_file.MAX_RANK} sizes of at least 0, got "
                            f"{quote(values.tolist())}")
        if tensors.shape.get(out) is None:
            tensors.shape[out] = tuple(int(v) for v in values.reshape(-1))
    value = attribute(node, "value", "tensor")
    tensors.dtype[out] = value.data_type if value is not None and value.data_type else 1  # FLOAT by default


def read(path: str | os.PathLike[str], notes: list[str] | None = None) -> Graph:
    """The op graph of an ONNX model file (see ``nnsvg.importers`` for what it holds); it has
    no notes of its own to add to ``notes``."""
    model = _load(path)
    g = model.graph
    tensors = _Tensors(model)
    producer: dict[str, int] = {}  # tensor → index of the node (in `kept`) that computes it
    kept: list[dict[str, Any]] = []
    owned: set[str] = set()  # weight tensors already counted (a shared weight counts once)

    for value in g.input:
        if value.name in tensors.constant:
            continue
        shape = tensors.shape.get(value.name)
        producer[value.name] = len(kept)
        kept.append({"name": _name(value.name), "op": "Input", "shape": shape[1:] if shape else shape,
                     "inputs": [], "params": 0, "attrs": {}})

    for node in g.node:
        inputs = [name for name in node.input if name]
        data = [name for name in inputs if name in producer]
        if node.op_type == "ConstantOfShape":
            _constant_of_shape(node, tensors)
        if not data or all(name in tensors.shape_math for name in data):
            # constants only (weights, shape tensors), or arithmetic on shapes: not drawn
            into = tensors.constant if not data else tensors.shape_math
            into.update(node.output)
            continue
        if node.op_type in SHAPE_SOURCES:
            tensors.shape_math.update(node.output)
            continue
        data = [name for name in data if name not in tensors.shape_math]
        weights = [name for name in inputs if name in tensors.constant]
        params = 0
        for name in weights:
            if name in owned or not tensors.is_float(name) or node.op_type in NO_WEIGHTS:
                continue
            owned.add(name)
            params += _elements(tensors.shape.get(name), name) or 0
        op, extra = _vocabulary(node, data, weights, tensors)
        out = node.output[0] if node.output else ""
        shape = tensors.shape.get(out)
        index = len(kept)
        for name in node.output:
            if name:
                producer[name] = index
        kept.append({"name": _name(node.name or out), "op": op, "shape": shape[1:] if shape else shape,
                     "inputs": [producer[name] for name in data], "params": params,
                     "attrs": {**extra, "onnx_op": _name(node.op_type)}})
    return _graph(kept)


def _vocabulary(node: Any, data: list[str], weights: list[str], tensors: _Tensors) -> tuple[str, dict[str, Any]]:
    """The shared vocabulary's op for an ONNX op, with the attributes a figure shows."""
    op_type = node.op_type
    if op_type in ACTIVATIONS:
        return "Activation", {"function": ACTIVATIONS[op_type]}
    if op_type in NORMS:
        return "Norm", {"norm": NORMS[op_type]}
    if op_type in SHAPE_ONLY:
        return "Reshape", {}
    if op_type in MERGES:
        if len(set(data)) < 2:  # with a constant: a scale or shift, or a concat of one
            return ("Reshape" if op_type == "Concat" else "Scale"), {}
        return MERGES[op_type], {}
    if op_type == "Dropout":
        rate = attribute(node, "ratio", "float", 0.0, 1.0)
        if rate is None and len(weights) > 0:
            rate = tensors.scalar(node, weights[0], "a ratio", 0.0, 1.0)
        return "Dropout", {"rate": 0.5 if rate is None else rate}
    if op_type == "MatMul" and not weights:
        return "MatMul", {}
    if op_type not in LAYERS:
        return _name(op_type), {"generic": True}
    op = "Dense" if op_type == "MatMul" else LAYERS[op_type]
    extra: dict[str, Any] = {}
    if op in ("Conv", "ConvTranspose", "MaxPool", "AvgPool"):
        extra.update(_window(node, op, weights, tensors))
    if op == "Dense":
        extra.update(_dense_weights(node, weights, tensors))
    if op in ("LSTM", "GRU", "RNN"):
        extra["cell"] = op.lower()
        units = attribute(node, "hidden_size", "int", 1, MAX_SIZE)
        if units is not None:
            extra["units"] = units
    return op, extra


def _window(node: Any, op: str, weights: list[str], tensors: _Tensors) -> dict[str, Any]:
    """A convolution's or pooling's kernel (from its weights' shape when the attribute is not
    given), stride and groups."""
    extra: dict[str, Any] = {}
    kernel = _pair(attribute(node, "kernel_shape", "ints", 1, MAX_SIZE))
    if kernel is None and op.startswith("Conv") and len(weights) > 0:
        w = tensors.shape.get(weights[0])
        if w is not None and len(w) >= 4 and all(isinstance(d, int) and 1 <= d <= MAX_SIZE for d in w[2:4]):
            kernel = (int(w[2]), int(w[3]))
    if kernel is not None:
        extra["kernel"] = kernel
    extra["stride"] = _pair(attribute(node, "strides", "ints", 1, MAX_SIZE)) or (1, 1)
    groups = attribute(node, "group", "int", 1, MAX_SIZE)
    if groups is not None and groups != 1:
        extra["groups"] = groups
    return extra


def _dense_weights(node: Any, weights: list[str], tensors: _Tensors) -> dict[str, Any]:
    """A dense layer's width, and its real weights (in × out) and bias when they are in the file
    and few enough to draw."""
    if not weights:
        return {}
    w_shape = tensors.shape.get(weights[0])
    out: dict[str, Any] = {}
    gemm = node.op_type == "Gemm"
    transposed = gemm and attribute(node, "transB", "int", 0, 1) == 1
    if w_shape is not None and len(w_shape) == 2:
        units = w_shape[0] if transposed else w_shape[1]
        if isinstance(units, int):
            out["units"] = units
    elements = _elements(w_shape, weights[0])
    if elements is None or elements > MAX_DRAWN_WEIGHTS or (gemm and attribute(node, "transA", "int", 0, 1) == 1):
        return out
    matrix = tensors.matrix(weights[0], transposed)
    if matrix is None:
        return out
    out["weight"] = matrix
    if len(weights) > 1:
        bias = tensors.array(weights[1])
        if bias is not None and bias.dtype.kind in "fiu" and bias.size == len(matrix[0]):
            out["bias"] = tuple(float(v) for v in bias.reshape(-1).tolist())
    return out


def _graph(kept: list[dict[str, Any]]) -> Graph:
    """The nodes (in the model's order, a topological one: ``onnx_file.in_order``) with their
    connections."""
    nodes: list[Node] = []
    connections: list[Connection] = []
    names: set[str] = set()
    for index, item in enumerate(kept):
        nodes.append(Node(index, unique_name(item["name"], index, names), item["op"], item["shape"],
                          item["params"] or None, None, MappingProxyType(item["attrs"])))
        connections.extend(connections_into(index, item["op"], item["inputs"]))
    return Graph(tuple(nodes), tuple(connections))
