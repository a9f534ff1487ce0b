"""ONNX models (``.onnx``) → the op ``Graph`` that every importer returns (see
``nnsvg.importers``).

The model is loaded without its external data (a figure needs shapes, not weights' values),
shapes come from ``onnx.shape_inference``, and weights are counted wherever they are: float
initializers, and float tensors computed from constants only (``Constant``,
``ConstantOfShape``, an ``Unsqueeze`` of a constant, …: the onnx package's own test models
carry their weights that way). Shape arithmetic (``Shape`` → ``Gather`` → ``Concat`` →
``Reshape``) is not drawn. The ``onnx`` package is imported inside ``read``: it is the optional
extra ``nnsvg[onnx]``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from ..errors import SpecError
from ..graph import Connection, Graph, Node, ordered
from ..reading import read_regular
from ..text import shown_path
from . import missing

MAX_MODEL_BYTES = 2**31  # protobuf's own limit for one message
MAX_DRAWN_WEIGHTS = 100_000  # a dense layer's real weights are kept (for the FCNN style) up to this many

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
MERGE_KINDS = {"Add": "add", "Multiply": "multiply", "Concat": "concat"}
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
    data = read_regular(path, MAX_MODEL_BYTES, "model")
    shown = shown_path(os.fspath(path))
    try:
        model = onnx.load_model_from_string(data)
    except Exception as exc:  # protobuf's DecodeError and whatever a damaged file makes it raise
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise SpecError(f"model {shown} is not a readable ONNX model ({reason})") from None
    if not model.HasField("graph") or not model.graph.node:
        raise SpecError(f"model {shown} is not an ONNX model with a graph (no operations found; "
                        "is the file truncated or of another format?)")
    try:
        model = onnx.shape_inference.infer_shapes(model)
    except Exception:  # a model shape inference cannot follow is still drawn, with the shapes it gives
        pass
    return model


def _dims(type_proto: Any) -> tuple[int | str, ...] | None:
    if not type_proto.HasField("tensor_type") or not type_proto.tensor_type.HasField("shape"):
        return None
    return tuple(d.dim_value if d.HasField("dim_value") else (d.dim_param or "?")
                 for d in type_proto.tensor_type.shape.dim)


def _elements(shape: Iterable[int | str] | None) -> int | None:
    if shape is None:
        return None
    total = 1
    for d in shape:
        if not isinstance(d, int):
            return None
        total *= d
    return total


def _attrs(node: Any, helper: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for a in node.attribute:
        try:
            out[a.name] = helper.get_attribute_value(a)
        except Exception:  # an attribute of a type the figure never needs (a graph, a sparse tensor)
            continue
    return out


def _pair(values: Any) -> tuple[int, int] | None:
    if not isinstance(values, list | tuple) or not values:
        return None
    items = [int(v) for v in values]
    return (items[0], items[1]) if len(items) >= 2 else (items[0], items[0])


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
            self.shape[t.name] = tuple(int(d) for d in t.dims)
            self.dtype[t.name] = t.data_type
        self.constant: set[str] = set(self.initializers)
        self.shape_math: set[str] = set()
        self.arrays: dict[str, Any] = {}
        self.rows: dict[tuple[str, bool], tuple[tuple[float, ...], ...]] = {}  # weights as drawn (in × out)

    def is_float(self, name: str) -> bool:
        return self.dtype.get(name, 1) in FLOAT_TYPES

    def array(self, name: str) -> Any:
        """An initializer's values (numpy), or None (computed, or its data is external)."""
        if name in self.arrays:
            return self.arrays[name]
        from onnx import numpy_helper

        tensor = self.initializers.get(name)
        array = None
        if tensor is not None and tensor.data_location != 1:  # 1: EXTERNAL, not loaded
            try:
                array = numpy_helper.to_array(tensor)
            except Exception:
                array = None
        self.arrays[name] = array
        return array

    def matrix(self, name: str, transposed: bool) -> tuple[tuple[float, ...], ...] | None:
        """A 2D initializer's values as rows of floats (transposed on request), made once."""
        key = (name, transposed)
        if key not in self.rows:
            array = self.array(name)
            if array is None or array.ndim != 2:
                return None
            matrix = array.T if transposed else array
            self.rows[key] = tuple(tuple(float(v) for v in row) for row in matrix.tolist())
        return self.rows[key]


def _constant_of_shape(node: Any, tensors: _Tensors, attrs: Mapping[str, Any]) -> None:
    """The shape and type of a ConstantOfShape output, from its (constant) shape input."""
    out = node.output[0]
    values = tensors.array(node.input[0]) if node.input else None
    if values is not None and tensors.shape.get(out) is None:
        tensors.shape[out] = tuple(int(v) for v in values.reshape(-1))
    value = attrs.get("value")
    tensors.dtype[out] = int(getattr(value, "data_type", 1) or 1)


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
        kept.append({"name": value.name, "op": "Input", "shape": shape[1:] if shape else shape,
                     "inputs": [], "params": 0, "attrs": {}})

    from onnx import helper

    for node in g.node:
        attrs = _attrs(node, helper)
        inputs = [name for name in node.input if name]
        data = [name for name in inputs if name in producer]
        if node.op_type == "ConstantOfShape":
            _constant_of_shape(node, tensors, attrs)
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
            params += _elements(tensors.shape.get(name)) or 0
        op, extra = _vocabulary(node.op_type, attrs, data, weights, tensors)
        out = node.output[0] if node.output else ""
        shape = tensors.shape.get(out)
        index = len(kept)
        for name in node.output:
            if name:
                producer[name] = index
        kept.append({"name": node.name or out, "op": op, "shape": shape[1:] if shape else shape,
                     "inputs": [producer[name] for name in data], "params": params,
                     "attrs": {**extra, "onnx_op": node.op_type}})
    return _graph(kept)


def _vocabulary(op_type: str, attrs: dict[str, Any], data: list[str], weights: list[str],
                tensors: _Tensors) -> tuple[str, dict[str, Any]]:
    """The shared vocabulary's op for an ONNX op, with the attributes a figure shows."""
    extra: dict[str, Any] = {}
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
        rate = attrs.get("ratio")
        if rate is None and len(weights) > 0:
            array = tensors.array(weights[0])
            rate = float(array.reshape(-1)[0]) if array is not None and array.size == 1 else None
        return "Dropout", {"rate": 0.5 if rate is None else float(rate)}
    if op_type == "MatMul" and not weights:
        return "MatMul", {}
    if op_type not in LAYERS and op_type != "MatMul":
        return op_type, {"generic": True}
    op = "Dense" if op_type == "MatMul" else LAYERS[op_type]
    if op in ("Conv", "ConvTranspose", "MaxPool", "AvgPool"):
        kernel = _pair(attrs.get("kernel_shape"))
        if kernel is None and op.startswith("Conv") and len(weights) > 0:
            w = tensors.shape.get(weights[0])
            kernel = (int(w[2]), int(w[3])) if w is not None and len(w) >= 4 and all(
                isinstance(d, int) for d in w[2:4]) else None
        if kernel is not None:
            extra["kernel"] = kernel
        stride = _pair(attrs.get("strides"))
        extra["stride"] = stride or (1, 1)
        if attrs.get("group", 1) != 1:
            extra["groups"] = int(attrs["group"])
    if op == "Dense":
        extra.update(_dense_weights(op_type, attrs, weights, tensors))
    if op in ("LSTM", "GRU", "RNN"):
        extra["cell"] = op.lower()
        if "hidden_size" in attrs:
            extra["units"] = int(attrs["hidden_size"])
    return op, extra


def _dense_weights(op_type: str, attrs: dict[str, Any], weights: list[str], tensors: _Tensors) -> dict[str, Any]:
    """A dense layer's width, and its real weights (in × out) and bias when they are in the file
    and few enough to draw."""
    if not weights:
        return {}
    w_shape = tensors.shape.get(weights[0])
    out: dict[str, Any] = {}
    transposed = op_type == "Gemm" and bool(attrs.get("transB", 0))
    if w_shape is not None and len(w_shape) == 2:
        units = w_shape[0] if transposed else w_shape[1]
        if isinstance(units, int):
            out["units"] = units
    elements = _elements(w_shape)
    if elements is None or elements > MAX_DRAWN_WEIGHTS or bool(attrs.get("transA", 0)):
        return out
    matrix = tensors.matrix(weights[0], transposed)
    if matrix is None:
        return out
    out["weight"] = matrix
    if len(weights) > 1:
        bias = tensors.array(weights[1])
        if bias is not None and bias.size == len(matrix[0]):
            out["bias"] = tuple(float(v) for v in bias.reshape(-1).tolist())
    return out


def _graph(kept: list[dict[str, Any]]) -> Graph:
    """Nodes in a topological order (the file's, unless it is not one) with their connections."""
    n = len(kept)
    order = list(range(n))
    if any(source >= i for i, item in enumerate(kept) for source in item["inputs"]):
        order = ordered(n, [(source, i) for i, item in enumerate(kept) for source in item["inputs"]])
        if len(order) < n:
            raise SpecError("the model's graph has a cycle; ONNX graphs are acyclic")
    position = {old: new for new, old in enumerate(order)}
    nodes: list[Node] = []
    connections: list[Connection] = []
    names: set[str] = set()
    for new, old in enumerate(order):
        item = kept[old]
        name = item["name"] if item["name"] not in names else f"{item['name']}_{new}"
        names.add(name)
        nodes.append(Node(new, name, item["op"], item["shape"], item["params"] or None, None,
                          MappingProxyType(item["attrs"])))
        sources = sorted({position[s] for s in item["inputs"]})
        kind = MERGE_KINDS.get(item["op"], "data")
        for k, source in enumerate(sources):
            # the nearest input is the trunk; the others merge into it
            connections.append(Connection(source, new, "data" if k == len(sources) - 1 else kind))
    return Graph(tuple(nodes), tuple(connections))

