"""The PyTorch importer: an ``nn.Module`` and an example input (or a saved ``ExportedProgram``,
``.pt2``) → the op graph.

``torch.export`` traces the module into ATen operations with the output shape of each (from the
example input) and the module each was called in (``nn_module_stack``): the operations become
the graph's nodes, the modules (``layer1.0``, a ``BasicBlock``) its groups, and every parameter
counts once, in the operation that uses it (buffers such as a batch norm's running statistics
are not parameters, as ``sum(p.numel() for p in module.parameters())`` counts them). A module
export cannot trace (data-dependent control flow, unsupported Python) is drawn from forward
hooks on its leaf modules instead, and a note says so: then what runs outside a module (a
functional ``torch.relu``, a residual ``x + y``) is not seen.

A saved program is read by ``pt2`` from the archive's JSON, never with ``torch.export.load``
(which unpickles parts of the file, and so runs code from it); both kinds come as a
``pt2.Program``, which one function maps onto the vocabulary. ``torch`` is imported inside the
functions for a live module only: it is the optional extra ``nnsvg[torch]``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import operator
import os
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from ..errors import SpecError
from ..graph import Connection, Graph, Group, Node
from . import missing, pt2
from .common import MAX_DRAWN_WEIGHTS, clean, connections_into, unique_name
from .pt2 import Call, Program, Ref, Shape, Weight, flatten

ACTIVATIONS = {"relu": "relu", "relu6": "relu", "hardtanh": "relu", "leaky_relu": "leaky_relu",
               "prelu": "leaky_relu", "sigmoid": "sigmoid", "hardsigmoid": "sigmoid", "tanh": "tanh",
               "softmax": "softmax", "_softmax": "softmax", "log_softmax": "softmax", "_log_softmax": "softmax",
               "gelu": "gelu", "silu": "swish", "hardswish": "swish", "elu": "elu", "selu": "selu",
               "celu": "elu", "softplus": "softplus", "mish": "mish"}
NORMS = {"batch_norm": "batch", "_native_batch_norm_legit_no_training": "batch", "native_batch_norm": "batch",
         "layer_norm": "layer", "native_layer_norm": "layer", "group_norm": "group", "native_group_norm": "group",
         "instance_norm": "instance"}
RESHAPES = {"view", "reshape", "flatten", "permute", "transpose", "contiguous", "unsqueeze", "squeeze", "expand",
            "clone", "t", "_unsafe_view", "alias", "detach", "pad", "constant_pad_nd", "to", "_to_copy", "type_as",
            "slice", "select", "narrow", "unflatten", "movedim", "repeat", "lift_fresh_copy"}
DROPOUTS = {"dropout", "native_dropout", "feature_dropout", "alpha_dropout", "feature_alpha_dropout"}
MERGES = {"add": "Add", "sub": "Add", "mul": "Multiply", "div": "Multiply", "cat": "Concat", "concat": "Concat",
          "stack": "Concat", "maximum": "Add", "minimum": "Add"}
POOLS = {"max_pool1d": "MaxPool", "max_pool2d": "MaxPool", "max_pool3d": "MaxPool",
         "max_pool2d_with_indices": "MaxPool", "max_pool3d_with_indices": "MaxPool", "avg_pool1d": "AvgPool",
         "avg_pool2d": "AvgPool", "avg_pool3d": "AvgPool", "adaptive_avg_pool1d": "AvgPool",
         "adaptive_avg_pool2d": "AvgPool", "adaptive_avg_pool3d": "AvgPool", "_adaptive_avg_pool2d": "AvgPool",
         "adaptive_max_pool2d": "MaxPool", "adaptive_max_pool1d": "MaxPool"}
CONVS = {"conv1d", "conv2d", "conv3d", "convolution", "_convolution", "conv_transpose1d", "conv_transpose2d",
         "conv_transpose3d"}
DENSE = {"linear", "addmm", "mm", "matmul", "bmm"}
RECURRENT = {"lstm": "LSTM", "gru": "GRU", "rnn_tanh": "RNN", "rnn_relu": "RNN"}
UPSAMPLES = {"upsample_nearest1d", "upsample_nearest2d", "upsample_nearest3d", "upsample_bilinear2d",
             "upsample_bicubic2d", "upsample_linear1d", "upsample_trilinear3d", "interpolate"}

# leaf modules by class name (the hooks fallback)
MODULES = {"Conv1d": "Conv", "Conv2d": "Conv", "Conv3d": "Conv", "ConvTranspose1d": "ConvTranspose",
           "ConvTranspose2d": "ConvTranspose", "ConvTranspose3d": "ConvTranspose", "Linear": "Dense",
           "LazyLinear": "Dense", "MaxPool1d": "MaxPool", "MaxPool2d": "MaxPool", "MaxPool3d": "MaxPool",
           "AvgPool1d": "AvgPool", "AvgPool2d": "AvgPool", "AvgPool3d": "AvgPool",
           "AdaptiveAvgPool1d": "AvgPool", "AdaptiveAvgPool2d": "AvgPool", "AdaptiveAvgPool3d": "AvgPool",
           "AdaptiveMaxPool2d": "MaxPool", "Flatten": "Reshape", "Unflatten": "Reshape", "Identity": "Reshape",
           "Embedding": "Embedding", "LSTM": "LSTM", "GRU": "GRU", "RNN": "RNN", "Upsample": "Upsample",
           "Dropout": "Dropout", "Dropout1d": "Dropout", "Dropout2d": "Dropout", "Dropout3d": "Dropout",
           "BatchNorm1d": "Norm", "BatchNorm2d": "Norm", "BatchNorm3d": "Norm", "LayerNorm": "Norm",
           "GroupNorm": "Norm", "InstanceNorm1d": "Norm", "InstanceNorm2d": "Norm"}
MODULE_ACTIVATIONS = {"ReLU": "relu", "ReLU6": "relu", "LeakyReLU": "leaky_relu", "PReLU": "leaky_relu",
                      "Sigmoid": "sigmoid", "Tanh": "tanh", "Softmax": "softmax", "LogSoftmax": "softmax",
                      "GELU": "gelu", "SiLU": "swish", "Hardswish": "swish", "ELU": "elu", "SELU": "selu",
                      "Softplus": "softplus", "Mish": "mish", "Hardtanh": "relu", "Hardsigmoid": "sigmoid"}


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise missing("torch", "torch") from None
    return torch


def _shape(value: Any) -> tuple[int | str, ...] | None:
    """A traced value's shape without the batch dimension (a symbolic size by its name)."""
    return _drop_batch(_full_shape(value))


def _pair(value: Any, default: int = 1) -> tuple[int, int]:
    """A kernel's or a stride's (h, w) from an int or a list; ``default`` for anything else (a
    saved program's argument may be of any type)."""
    if isinstance(value, int):
        return value, value
    if isinstance(value, list | tuple) and value:
        try:
            items = [int(v) for v in value]
        except (TypeError, ValueError):
            return default, default
        return (items[0], items[1]) if len(items) > 1 else (items[0], items[0])
    return default, default


def read(module: Any, example_input: Any = None, notes: list[str] | None = None) -> Graph:
    """The op graph of ``module`` called on ``example_input`` (a tensor, or a tuple of them), or of
    an ``ExportedProgram``; ``notes`` collects what was approximated (the hooks fallback)."""
    torch = _torch()
    if isinstance(module, torch.export.ExportedProgram):
        return _exported(module, torch)
    if not isinstance(module, torch.nn.Module):
        raise SpecError(f"from_torch: expected a torch.nn.Module (or an ExportedProgram), got "
                        f"{type(module).__name__}")
    if example_input is None:
        raise SpecError("from_torch: give an example input (a tensor of the shape the model takes, "
                        "e.g. torch.zeros(1, 3, 224, 224))")
    args = tuple(example_input) if isinstance(example_input, list | tuple) else (example_input,)
    was_training = module.training
    module.eval()
    try:
        try:
            program = _quietly(lambda: torch.export.export(module, args, strict=False))
        except Exception as exc:  # export refuses many real modules: draw what the hooks see
            reason = " ".join(str(exc).split())[:100] or type(exc).__name__
            graph = _hooked(module, args, torch)
            if notes is not None:
                notes.append(f"torch.export could not trace the model ({type(exc).__name__}: {reason}); drawn from "
                             f"forward hooks on its {len(graph.nodes) - 1} leaf module call(s): operations outside "
                             "modules (functional calls, additions) are not drawn")
            return graph
        return _exported(program, torch)
    finally:
        module.train(was_training)


def _quietly(call: Callable[[], Any]) -> Any:
    """``call()`` without torch's log lines (a failed trace logs warnings and its graph)."""
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return call()
    finally:
        logging.disable(previous)


def read_file(path: str | os.PathLike[str], notes: list[str] | None = None) -> Graph:
    """The op graph of an ``ExportedProgram`` saved with ``torch.export.save`` (``.pt2``), read
    from the archive's JSON without PyTorch and without unpickling anything (``pt2``)."""
    with pt2.opened(path) as program:
        return _graph(_items(program, notes))


def _op_name(target: Any) -> str:
    """An ATen op's short name: aten.conv2d.default → conv2d; add_ → add."""
    if target is operator.getitem:
        return "getitem"
    if target in (operator.add, operator.iadd):
        return "add"
    if target in (operator.mul, operator.imul):
        return "mul"
    name = getattr(target, "__name__", None) or str(target)
    packet = getattr(target, "_overloadpacket", None)
    if packet is not None:
        name = getattr(packet, "__name__", name)
    name = name.split(".")[-1] if "." in name else name
    return name.rstrip("_") if name.endswith("_") and not name.startswith("_") else name


def _exported(program: Any, torch: Any) -> Graph:
    """The graph of an ``ExportedProgram`` in this process (traced here, or the user's own)."""
    return _graph(_items(_live(program, torch)))


def _live(program: Any, torch: Any) -> Program:
    """A live ``ExportedProgram`` in the neutral form a saved one is read into (``pt2``)."""
    signature = program.graph_signature
    state = program.state_dict
    parameters: dict[str, str] = dict(signature.inputs_to_parameters)
    user_inputs = set(signature.user_inputs)
    inputs: dict[str, Shape | None] = {}
    calls: list[Call] = []
    for fx in program.graph.nodes:
        if fx.op == "placeholder" and fx.name in user_inputs and fx.name not in parameters:
            inputs[fx.name] = _full_shape(fx.meta.get("val"))
        elif fx.op == "call_function":
            value = fx.meta.get("val")
            stack = tuple((path, kind) for path, kind in (fx.meta.get("nn_module_stack") or {}).values())
            calls.append(Call(fx.name, _op_name(fx.target), _refs(fx.args), _refs(fx.kwargs), (fx.name,),
                              _full_shape(value), _is_tensor_like(value, torch), stack))
    weights = {name: _weight(state[name]) for name in parameters.values() if name in state}
    return Program(inputs, parameters, weights, calls)


def _refs(value: Any) -> Any:
    """Arguments with the graph's nodes as ``Ref`` (by name)."""
    if isinstance(value, list | tuple):
        return tuple(_refs(v) for v in value) if isinstance(value, tuple) else [_refs(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _refs(v) for k, v in value.items()}
    return Ref(value.name) if hasattr(value, "op") and hasattr(value, "name") else value


def _weight(tensor: Any) -> Weight:
    return Weight(tuple(int(d) for d in tensor.shape), lambda: tensor.detach().float().flatten().tolist())


def _full_shape(value: Any) -> Shape | None:
    """A traced value's shape, batch included (a symbolic size as its example's, else its name)."""
    shape = getattr(value, "shape", None)
    if shape is None and isinstance(value, list | tuple) and value:
        shape = getattr(value[0], "shape", None)
    if shape is None:
        return None
    dims: list[int | str] = []
    for d in shape:
        try:
            dims.append(int(d))
        except (TypeError, ValueError):
            dims.append(str(d))
    return tuple(dims)


def _is_tensor_like(value: Any, torch: Any) -> bool:
    if isinstance(value, torch.Tensor):
        return True
    return isinstance(value, list | tuple) and bool(value) and isinstance(value[0], torch.Tensor)


def _items(program: Program, notes: list[str] | None = None) -> list[dict[str, Any]]:
    """The operations that compute on the data, in order, each with the parameters it is the
    first to use (a parameter computed on first, ``w.t()``, counts where it is used)."""
    if len(program.calls) > pt2.MAX_OPERATIONS:
        raise SpecError(f"the model has {len(program.calls):,} operations, more than nnsvg draws "
                        f"({pt2.MAX_OPERATIONS:,})")
    items: list[dict[str, Any]] = []
    producer: dict[str, int] = {}  # value name → item index
    constant: dict[str, set[str]] = {p: {n} for p, n in program.parameters.items()}  # → its parameters
    owned: set[str] = set()
    unread: list[str] = []  # dense layers whose real weights could not be read
    for name, shape in program.inputs.items():
        producer[name] = len(items)
        items.append({"name": name, "op": "Input", "shape": _drop_batch(shape), "inputs": [], "params": 0,
                      "attrs": {}, "stack": ()})
    for call in program.calls:
        flat = [a for a in flatten(call.args) + flatten(call.kwargs) if isinstance(a, Ref)]
        data = [producer[a.name] for a in flat if a.name in producer]
        if not data:
            made = set().union(*(constant.get(a.name, set()) for a in flat))
            constant.update((out, made) for out in call.outputs)
            continue
        if call.op == "getitem" or not call.tensor:
            if call.op == "getitem":  # one output of a multi-output op: that op
                producer.update((out, data[0]) for out in call.outputs)
            continue
        weights = sorted(set().union(*(constant.get(a.name, set()) for a in flat)) - owned)
        owned.update(weights)
        params = sum(math.prod(program.weights[w].shape) for w in weights if w in program.weights)
        op, attrs = _vocabulary(call, flat, data, program)
        if attrs.pop("unread", False):
            unread.append(call.name)
        stack = tuple(path for path, _ in call.stack if path)
        types = {path: kind for path, kind in call.stack if path}
        producer.update((out, len(items)) for out in call.outputs)
        items.append({"name": call.name, "op": op, "shape": _drop_batch(call.shape),
                      "inputs": list(dict.fromkeys(data)), "params": params,
                      "attrs": {**attrs, "torch_op": call.op}, "stack": stack, "types": types})
    if unread and notes is not None:
        notes.append(f"the weights of {len(unread)} dense layer(s) are pickled in the archive (or of a type nnsvg "
                     "does not read), and nnsvg never unpickles (it runs code): --edge-color weight draws seeded "
                     "weights")
    return items


def _drop_batch(shape: Shape | None) -> Shape | None:
    return shape[1:] if shape else None


def _vocabulary(call: Call, flat: list[Ref], data: list[int], program: Program) -> tuple[str, dict[str, Any]]:
    """The shared vocabulary's op for an ATen op, with the attributes a figure shows."""
    name, args, shape = call.op, call.args, call.shape
    if name in ACTIVATIONS:
        return "Activation", {"function": ACTIVATIONS[name]}
    if name in NORMS:
        return "Norm", {"norm": NORMS[name]}
    if name in DROPOUTS:
        rate = args[1] if len(args) > 1 and isinstance(args[1], float) and 0 <= args[1] <= 1 else 0.5
        return "Dropout", {"rate": float(rate)}
    if name in RESHAPES:
        return "Reshape", {}
    if name in MERGES:
        if len(set(data)) < 2:  # with a constant: a scale or shift
            return ("Reshape" if MERGES[name] == "Concat" else "Scale"), {}
        return MERGES[name], {}
    if name in POOLS:
        return _pool(name, args, shape)
    if name == "mean" and len(args) > 1 and isinstance(args[1], list | tuple) and all(
            isinstance(d, int) for d in args[1]) and (set(args[1]) >= {2, 3} or set(args[1]) >= {-1, -2}):
        return "GlobalAvgPool", {}
    weight = next((program.parameters[a.name] for a in flat if a.name in program.parameters), None)
    if name in CONVS:
        return _conv(name, args, program.weights.get(weight) if weight else None)
    if name in DENSE:
        if weight is None:
            return "MatMul", {}
        return "Dense", _dense(name, flat, program)
    if name in RECURRENT:
        hidden = _drop_batch(shape)
        attrs: dict[str, Any] = {"cell": RECURRENT[name].lower()}
        if hidden:
            last = hidden[-1]
            if isinstance(last, int):
                attrs["units"] = last
        return RECURRENT[name], attrs
    if name == "embedding":
        return "Embedding", {}
    if name in UPSAMPLES:
        return "Upsample", {}
    return name, {"generic": True}


def _pool(name: str, args: tuple[Any, ...], shape: Shape | None) -> tuple[str, dict[str, Any]]:
    op = POOLS[name]
    if name.startswith(("adaptive", "_adaptive")):
        if shape is not None and all(d == 1 for d in shape[2:]):
            return ("GlobalAvgPool" if op == "AvgPool" else "GlobalMaxPool"), {}
        return op, {}
    kernel = _pair(args[1]) if len(args) > 1 else (1, 1)
    stride = _pair(args[2], kernel[0]) if len(args) > 2 and args[2] else kernel
    return op, {"kernel": kernel, "stride": stride}


def _conv(name: str, args: tuple[Any, ...], w: Weight | None) -> tuple[str, dict[str, Any]]:
    transposed = "transpose" in name or (name in ("convolution", "_convolution") and len(args) > 6
                                         and bool(args[6]))
    attrs: dict[str, Any] = {}
    if w is not None and len(w.shape) >= 3:
        attrs["kernel"] = (w.shape[2], w.shape[3] if len(w.shape) > 3 else w.shape[2])
    attrs["stride"] = _pair(args[3]) if len(args) > 3 else (1, 1)
    groups = args[8] if name in ("convolution", "_convolution") and len(args) > 8 else (
        args[6] if len(args) > 6 and name.startswith("conv") and "transpose" not in name else 1)
    if isinstance(groups, int) and not isinstance(groups, bool) and groups != 1:
        attrs["groups"] = groups
    return ("ConvTranspose" if transposed else "Conv"), attrs


def _dense(name: str, flat: list[Ref], program: Program) -> dict[str, Any]:
    """A linear layer's width and, when small, its real weights (in × out) and bias."""
    names = [program.parameters[a.name] for a in flat if a.name in program.parameters]
    tensors = [program.weights[n] for n in names if n in program.weights]
    matrix = next((t for t in tensors if len(t.shape) == 2), None)
    vector = next((t for t in tensors if len(t.shape) == 1), None)
    out: dict[str, Any] = {}
    if matrix is None:
        return out
    # linear keeps the weight as out × in; addmm / mm take it transposed already (in × out)
    rows, cols = matrix.shape
    out["units"] = rows if name == "linear" else cols
    if rows * cols <= MAX_DRAWN_WEIGHTS:
        values = matrix.values()
        if values is None or len(values) != rows * cols:
            return {**out, "unread": True}
        grid = [values[r * cols:(r + 1) * cols] for r in range(rows)]
        drawn = list(zip(*grid, strict=True)) if name == "linear" else grid
        out["weight"] = tuple(tuple(float(v) for v in row) for row in drawn)
        bias = vector.values() if vector is not None and vector.shape[0] == out["units"] else None
        if bias is not None and len(bias) == out["units"]:
            out["bias"] = tuple(float(v) for v in bias)
    return out


def _module_op(mod: Any, kind: str) -> tuple[str, dict[str, Any]]:
    """A leaf module of class ``kind`` as an op of the vocabulary, with its attributes."""
    op = MODULES.get(kind, "Activation" if kind in MODULE_ACTIVATIONS else kind)
    attrs: dict[str, Any] = {}
    if kind in MODULE_ACTIVATIONS:
        attrs["function"] = MODULE_ACTIVATIONS[kind]
    elif kind not in MODULES:
        attrs["generic"] = True
    if op in ("Conv", "ConvTranspose", "MaxPool", "AvgPool") and hasattr(mod, "kernel_size"):
        attrs["kernel"] = _pair(mod.kernel_size)
        attrs["stride"] = _pair(getattr(mod, "stride", 1) or attrs["kernel"])
    if op == "AvgPool" and kind.startswith("Adaptive") and _pair(getattr(mod, "output_size", 0)) == (1, 1):
        op = "GlobalAvgPool"
    if op == "Dropout":
        attrs["rate"] = float(getattr(mod, "p", 0.5))
    if op == "Norm":
        attrs["norm"] = "batch" if "Batch" in kind else kind.removesuffix("Norm").lower()
    if op in ("LSTM", "GRU", "RNN"):
        attrs.update(cell=op.lower(), units=int(mod.hidden_size))
    if op == "Dense":
        attrs["units"] = int(mod.out_features)
        if mod.weight.numel() <= MAX_DRAWN_WEIGHTS:
            rows = mod.weight.detach().t().float().tolist()
            attrs["weight"] = tuple(tuple(float(v) for v in row) for row in rows)
            if mod.bias is not None:
                attrs["bias"] = tuple(float(v) for v in mod.bias.detach().float().tolist())
    return op, attrs


def _hooked(module: Any, args: tuple[Any, ...], torch: Any) -> Graph:
    """The graph forward hooks on the leaf modules see: each call a node, connected by the
    tensors they pass (a tensor made outside modules connects to the latest call)."""
    items: list[dict[str, Any]] = []
    made: dict[int, int] = {}  # id(tensor) → item
    kept: list[Any] = []  # the tensors seen, so their ids stay theirs
    for k, x in enumerate(a for a in args if isinstance(a, torch.Tensor)):
        made[id(x)] = len(items)
        kept.append(x)
        items.append({"name": f"input_{k}" if k else "input", "op": "Input", "shape": _shape(x), "inputs": [],
                      "params": 0, "attrs": {}, "stack": ()})
    names = {m: n for n, m in module.named_modules()}

    def hook(mod: Any, inputs: Any, output: Any) -> None:
        sources = [made[id(t)] for t in flatten(inputs) if isinstance(t, torch.Tensor) and id(t) in made]
        if not sources:
            sources = [len(items) - 1]
        kind = type(mod).__name__
        op, attrs = _module_op(mod, kind)
        first = output[0] if isinstance(output, list | tuple) else output
        for t in flatten(output):
            if isinstance(t, torch.Tensor):
                made[id(t)] = len(items)
                kept.append(t)
        name = names.get(mod, kind)
        items.append({"name": name or kind, "op": op, "shape": _shape(first), "inputs": sources,
                      "params": sum(int(p.numel()) for p in mod.parameters(recurse=False)), "attrs": attrs,
                      "stack": tuple(name.split(".")[:-1]) if name else ()})

    handles = [m.register_forward_hook(hook) for m in module.modules() if not list(m.children())]
    try:
        with torch.no_grad():
            module(*args)
    except Exception as exc:
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise SpecError(f"from_torch: the model fails on the example input ({type(exc).__name__}: {reason})") from None
    finally:
        for h in handles:
            h.remove()
    # parameters no leaf module owns (a bare nn.Parameter in a parent module) count on the input
    leaf = sum(item["params"] for item in items)
    total = sum(int(p.numel()) for p in module.parameters())
    if total > leaf and items:
        items[0]["params"] += total - leaf
    for item in items:
        item["stack"] = tuple(".".join(item["stack"][:k + 1]) for k in range(len(item["stack"])))
    return _graph(items)


def _graph(items: list[dict[str, Any]]) -> Graph:
    """Nodes in execution order (topological), with a group per module of two or more nodes
    that are consecutive (a module called in pieces, around others, is not framed). Names are
    shown as ``common.clean`` writes them (a file's names may hold anything)."""
    nodes: list[Node] = []
    connections: list[Connection] = []
    names: set[str] = set()
    for i, item in enumerate(items):
        name = unique_name(clean(item["name"]), i, names)
        attrs = item["attrs"]
        if "torch_op" in attrs:
            attrs["torch_op"] = clean(attrs["torch_op"])
        op = clean(item["op"]) if attrs.get("generic") else item["op"]
        nodes.append(Node(i, name, op, item["shape"], item["params"] or None, None, MappingProxyType(attrs)))
        connections.extend(connections_into(i, item["op"], item["inputs"]))
    return Graph(tuple(nodes), tuple(connections), _groups(items))


def _groups(items: list[dict[str, Any]]) -> tuple[Group, ...]:
    """A group per module path whose operations are consecutive, nested as the modules are: a
    span that would cross one kept before it, or repeat it (a module wrapping one other), is
    left out. One pass in (first, -last) order with the open groups on a stack: the kept groups
    that overlap a new one are those on it, the innermost on top."""
    spans: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        for path in item["stack"]:
            spans.setdefault(path, []).append(i)
    groups: list[Group] = []
    for path, members in spans.items():
        first, last = members[0], members[-1]
        if len(members) >= 2 and last - first + 1 == len(members):
            kind = (items[first].get("types") or {}).get(path, "")
            label = f"{path} ({kind.rsplit('.', 1)[-1]})" if kind else path
            groups.append(Group(first, last, clean(label)))
    groups.sort(key=lambda g: (g.first, -g.last))
    kept: list[Group] = []
    open_: list[Group] = []
    for g in groups:
        while open_ and open_[-1].last < g.first:
            open_.pop()
        if open_ and (not open_[-1].contains(g) or (open_[-1].first, open_[-1].last) == (g.first, g.last)):
            continue
        kept.append(g)
        open_.append(g)
    return tuple(kept)
