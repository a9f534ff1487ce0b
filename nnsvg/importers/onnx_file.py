"""The part of an ``.onnx`` file a figure needs, read without the rest, and checked before the
onnx package's shape inference sees it (``nnsvg.importers.onnx`` reads the graph from it).

An ONNX file is one protobuf message (``ModelProto``). Parsing it whole costs its size in time and
memory before anything can be checked (a 2 GB file of zeros took 20 s and 4 GB only to be
refused), and about 150 bytes of memory per message however small (10 million empty nodes in a
20 MB file took 1.5 GB). So ``light`` walks the file at the wire level (tags and lengths, read
with ``pread``) and reads only what it keeps: the graph's structure (nodes, tensor types, inputs
and outputs, model-local functions) and the values of small tensors. Weights' values beyond
``KEEP_TENSOR_BYTES`` are not read (the tensor keeps its name, type and dimensions and is marked
as stored elsewhere, so nothing reads it); doc strings, metadata and training graphs are skipped;
external data is never followed (the tensors' ``location`` entries are dropped unread). Operations
and messages are counted as they are met, so a model over a limit is refused before it is parsed.

``check`` then bounds what shape inference would build (it copies every dimension of every tensor
from node to node, and infers a model-local function's body at each call: functions calling
functions twice each took 2ⁿ steps): a tensor's rank, the values a ConstantOfShape, Reshape,
Expand or Unsqueeze takes its output's rank from, and the operations counted with each function
call as its body. ``in_order`` puts the nodes in a topological order (ONNX requires one) or
names a node on a cycle.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..errors import SpecError
from ..graph import ordered
from ..reading import open_regular, size_text
from ..text import clip, quote, shown_path

MAX_MODEL_BYTES = 2**31  # protobuf's own limit for one message: bigger models keep their weights in other files
# operations, with those of subgraphs and each call of a model-local function counted as its body: a
# 70B LLM export has ~20,000 with its shape arithmetic; 100,000 took 9 s and 290 MB only to be refused
MAX_NODES = 50_000
# protobuf messages and list items parsed (a node, an attribute, an input's name, a dimension, a
# number in a list), up to ~150 bytes of memory each (10 million empty nodes in 20 MB took 1.5 GB):
# real models have 11 to 19 per operation, so 50,000 operations ~600,000 to 950,000
MAX_PARTS = 1_000_000
MAX_FIELDS = 300_000  # fields read one by one: a 50,000-node model has ~150,000 (nodes, tensors, tensor types)
MAX_DEPTH = 24  # messages in messages (a subgraph is 3 levels down, a function's 2): protobuf allows 100
MAX_NAME = 40  # characters of a name from the file (an op type, a symbolic dimension) in labels and notes
MAX_RANK = 64  # dimensions of a tensor: real models use at most 8 (numpy allows 64); shape inference copies each
WHOLE_BYTES = 64 * 2**10  # a node or tensor type up to this size is parsed at once (real ones are under 1 KB)
SMALL_TENSOR_BYTES = 2**10  # a tensor this small (a shape, a scalar) is always read whole
KEEP_TENSOR_BYTES = 2**20  # a bigger tensor's values are read up to this size: nnsvg reads at most a drawn
# dense layer's weights (100,000 doubles; a figure draws up to 10,000)
MAX_KEPT_VALUES = 8 * 2**20  # the values of all those tensors: beyond it, tensors keep only their shape
MAX_GRAPH_BYTES = 64 * 2**20  # the graph without weights: a 50,000-node export with long names takes ~20 MB

# tensors whose values a shape inference turns into an output's dimensions, one per value
RANK_INPUTS = {"ConstantOfShape": 0, "Reshape": 1, "Expand": 1, "Unsqueeze": 1}
RANK_ATTRIBUTES = {("Unsqueeze", "axes"), ("Reshape", "shape"), ("RandomNormal", "shape"),
                   ("RandomUniform", "shape")}

# The fields (onnx.proto's numbers) of each message kept by `light`: KEEP keeps a field as it is
# (a scalar, a string); NUMBERS keeps a list of numbers (packed: one part per byte, at most); a kind
# names a message, handled by `_Scan.item`; fields not named are skipped (doc strings, metadata,
# training graphs, external data's locations, the values of big tensors).
KEEP, NUMBERS, LEAF = "keep", "numbers", "leaf"  # LEAF: a message with no messages in it (an opset import)
SCHEMAS: dict[str, dict[int, str]] = {
    "model": {1: KEEP, 2: KEEP, 3: KEEP, 4: KEEP, 5: KEEP, 7: "graph", 8: LEAF, 25: "function"},
    "graph": {1: "node", 2: KEEP, 5: "tensor", 11: "value", 12: "value", 13: "value", 15: "sparse"},
    "node": {1: KEEP, 2: KEEP, 3: KEEP, 4: KEEP, 7: KEEP, 8: KEEP, 5: "attribute"},
    "attribute": {1: KEEP, 2: KEEP, 3: KEEP, 4: KEEP, 7: NUMBERS, 8: NUMBERS, 9: KEEP, 20: KEEP, 21: KEEP,
                  5: "tensor", 6: "graph", 10: "tensor", 11: "graph", 14: "type", 15: "type",
                  22: "sparse", 23: "sparse"},
    "tensor": {1: NUMBERS, 2: KEEP, 8: KEEP, 14: KEEP, 3: LEAF},  # a tensor's values left out
    "sparse": {1: "tensor", 2: "tensor", 3: NUMBERS},
    "function": {1: KEEP, 4: KEEP, 5: KEEP, 6: KEEP, 10: KEEP, 13: KEEP, 7: "node", 9: LEAF,
                 11: "attribute", 12: "value"},
}
STORED_ELSEWHERE = bytes([14 << 3, 1])  # data_location = EXTERNAL: the values are not here
PROTOS = {"node": "NodeProto", "value": "ValueInfoProto", "type": "TypeProto", "attribute": "AttributeProto",
          "sparse": "SparseTensorProto", "tensor": "TensorProto"}
TYPE_WORDS = {"value": "a tensor's type", "type": "a type"}


def light(path: str | os.PathLike[str]) -> bytes:
    """A serialized ModelProto with what a figure needs of the ONNX file at ``path`` (see the
    module's doc), or a SpecError: not a regular file, larger than ``MAX_MODEL_BYTES``, not
    protobuf, or over a limit (operations, messages, nesting, the graph's size)."""
    shown = shown_path(os.fspath(path))
    with open_regular(path, MAX_MODEL_BYTES, "model") as (fd, size):
        return bytes(_Scan(_File(fd, size, shown)).message("model", 0, size, 0))


class _File:
    """An open file read at any offset (``pread``, through a small buffer), and its wire format."""

    CHUNK = 1 << 16

    def __init__(self, fd: int, size: int, shown: str) -> None:
        self.fd, self.size, self.shown = fd, size, shown
        self.base, self.buffer = 0, b""
        self.walked = 0  # fields read one by one

    def broken(self, at: int) -> SpecError:
        return SpecError(f"model {self.shown} is not a readable ONNX model (its protobuf encoding is broken at "
                         f"byte {at:,})")

    def read(self, at: int, n: int) -> bytes:
        offset = at - self.base
        if 0 <= offset and offset + n <= len(self.buffer):
            return self.buffer[offset:offset + n]
        if n > self.CHUNK:
            return self._pread(at, n)
        self.base, self.buffer = at, self._pread(at, min(self.CHUNK, self.size - at))
        return self.buffer[:n]

    def _pread(self, at: int, n: int) -> bytes:
        chunks: list[bytes] = []
        got = 0
        try:
            while got < n:
                chunk = _pread(self.fd, n - got, at + got)
                if not chunk:  # the file shrank under us
                    raise self.broken(at + got)
                chunks.append(chunk)
                got += len(chunk)
        except OSError as exc:
            raise SpecError(f"cannot read model {self.shown}: {exc.strerror or exc}") from None
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def head(self, at: int, end: int) -> tuple[bytes, int]:
        """The buffer and where ``at`` is in it, with the next 20 bytes (two varints) in it, or all
        up to ``end``."""
        offset = at - self.base
        if offset < 0 or offset + min(20, end - at) > len(self.buffer):
            self.base, self.buffer = at, self._pread(at, min(self.CHUNK, self.size - at))
            offset = 0
        return self.buffer, offset

    def fields(self, start: int, end: int) -> Iterator[tuple[int, int, int, int, int]]:
        """Each field from ``start`` to ``end``: (number, wire type, where its tag starts, where its
        value starts, where it ends); a length-delimited field's value starts after its length."""
        at = start
        while at < end:
            buffer, i = self.head(at, end)
            limit = i + end - at
            tag, i = _decode(buffer, i, limit)
            number, wire = tag >> 3, tag & 7
            if wire == 0:
                stop = _decode(buffer, i, limit)[1]
            elif wire == 2:
                length, i = _decode(buffer, i, limit)
                stop = i + length
            elif wire in (1, 5):
                stop = i + (8 if wire == 1 else 4)
            else:  # groups (3, 4) are not in ONNX's messages; 6 and 7 do not exist
                stop = -1
            value, stop = self.base + i, self.base + stop
            if number == 0 or not value <= stop <= end:
                raise self.broken(at)
            self.walked += 1
            if self.walked > MAX_FIELDS:
                raise SpecError(f"model {self.shown} has more than {MAX_FIELDS:,} protobuf fields to read one by "
                                "one (nodes, tensors, tensor types), more than any model's graph")
            yield number, wire, at, value, stop
            at = stop


def _pread(fd: int, n: int, at: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, n, at)
    os.lseek(fd, at, os.SEEK_SET)  # (Windows has no pread)
    return os.read(fd, n)


def _decode(buffer: bytes, i: int, limit: int) -> tuple[int, int]:
    """The varint at ``buffer[i]`` (ending before ``limit``) and where it ends; (0, limit + 1)
    when it is broken (the caller sees a field ending past its message)."""
    if i < limit and buffer[i] < 0x80:
        return buffer[i], i + 1
    value = shift = 0
    for j in range(i, min(i + 10, limit, len(buffer))):
        value |= (buffer[j] & 0x7F) << shift
        if buffer[j] < 0x80:
            return value, j + 1
        shift += 7
    return 0, limit + 1


class _Scan:
    """What `light` keeps of a file, and what it has counted so far."""

    def __init__(self, file: _File) -> None:
        import onnx

        self.file, self.onnx = file, onnx
        self.nodes = self.parts = self.graph_bytes = self.kept_values = 0

    def count(self, parts: int, nodes: int = 0, graph_bytes: int = 0) -> None:
        self.parts += parts
        self.nodes += nodes
        self.graph_bytes += graph_bytes
        shown = self.file.shown
        if self.nodes > MAX_NODES:
            raise SpecError(f"model {shown} has more than {MAX_NODES:,} operations (with those of its subgraphs "
                            "and functions), more than nnsvg draws")
        if self.parts > MAX_PARTS:
            raise SpecError(f"model {shown} holds more than {MAX_PARTS:,} protobuf messages and list items "
                            "(nodes, attributes, names, dimensions), more than any model's graph")
        if self.graph_bytes > MAX_GRAPH_BYTES:
            raise SpecError(f"model {shown}: its graph without the weights' values takes more than "
                            f"{size_text(MAX_GRAPH_BYTES)}, more than any model's graph")

    def message(self, kind: str, start: int, end: int, depth: int) -> bytearray:
        """The fields of a ``kind`` message that are kept, read one by one."""
        if depth > MAX_DEPTH:
            raise SpecError(f"model {self.file.shown} nests its messages more than {MAX_DEPTH} levels deep "
                            "(subgraphs in subgraphs), more than nnsvg reads")
        schema = SCHEMAS[kind]
        out = bytearray()
        for number, wire, at, value, stop in self.file.fields(start, end):
            action = schema.get(number)
            if action in (KEEP, NUMBERS):
                self.count(stop - value if action == NUMBERS and wire == 2 else 1, graph_bytes=stop - at)
                out += self.file.read(at, stop - at)
            elif action is not None:
                if wire != 2:  # a message is length-delimited
                    raise self.file.broken(at)
                out += self.item(action, number, at, value, stop, depth + 1)
        return out

    def item(self, kind: str, number: int, at: int, value: int, stop: int, depth: int) -> bytes:
        """One message field (tag, length and value) as kept: whole (parsed alone to count what is
        in it), or read field by field."""
        size = stop - value
        if kind == LEAF:
            self.count(1, graph_bytes=stop - at)
            return self.file.read(at, stop - at)
        whole = size <= WHOLE_BYTES
        if kind == "tensor":
            whole = size <= SMALL_TENSOR_BYTES or (size <= KEEP_TENSOR_BYTES and
                                                   self.kept_values + size <= MAX_KEPT_VALUES)
            self.kept_values += size if whole and size > SMALL_TENSOR_BYTES else 0
        if whole and kind != "graph" and kind != "function":
            data = self.file.read(at, stop - at)
            parts, nodes = _parts(self._parse(PROTOS[kind], data[value - at:], at))
            self.count(parts, nodes, 0 if kind == "tensor" and size > SMALL_TENSOR_BYTES else stop - at)
            return data
        if kind in TYPE_WORDS:
            raise SpecError(f"model {self.file.shown}: {TYPE_WORDS[kind]} takes more than {size_text(WHOLE_BYTES)}, "
                            "more than any model's (thousands of dimensions, or names of thousands of characters)")
        self.count(1, int(kind == "node"))
        payload = self.message(kind, value, stop, depth)
        if kind == "tensor":
            payload += STORED_ELSEWHERE
        return _varint(number << 3 | 2) + _varint(len(payload)) + payload

    def _parse(self, proto: str, data: bytes, at: int) -> Any:
        try:
            return getattr(self.onnx, proto).FromString(data)
        except Exception:  # protobuf's DecodeError (and whatever a damaged message makes it raise)
            raise self.file.broken(at) from None


def _varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _parts(message: Any) -> tuple[int, int]:
    """(parts, operations) in a parsed message, itself included: its messages and the items of
    its lists (whatever an attribute's declared type says: what is set counts). A node's and a
    tensor's own fields are known, so only their attributes are asked what they hold
    (``ListFields`` costs about a microsecond; it would copy a tensor's values)."""
    kind = message.DESCRIPTOR.name
    if kind == "TensorProto":
        return 1 + int(message.HasField("segment")) + sum(len(getattr(message, name)) for name in TENSOR_LISTS), 0
    if kind == "ValueInfoProto" and message.type.WhichOneof("value") == "tensor_type":  # (dimensions: no lists)
        shape = message.type.tensor_type
        return 3 + len(message.metadata_props) + (1 + len(shape.shape.dim) if shape.HasField("shape") else 0), 0
    if kind == "NodeProto":
        parts, nodes = 1 + len(message.input) + len(message.output), 1
        for group in (message.attribute, message.metadata_props, message.device_configurations):
            for part in group:
                more, n = _parts(part)
                parts, nodes = parts + more, nodes + n
        return parts, nodes
    parts, nodes = 1, 0
    for field, value in message.ListFields():
        if field.message_type is None:
            parts += len(value) if field.is_repeated else 0
            continue
        for part in value if field.is_repeated else (value,):
            more, n = _parts(part)
            parts, nodes = parts + more, nodes + n
    return parts, nodes


TENSOR_LISTS = ("dims", "float_data", "int32_data", "string_data", "int64_data", "double_data", "uint64_data",
                "external_data", "metadata_props")


# --- before shape inference ------------------------------------------------------------------------

Described = Callable[[], str]  # what a message names, made only when there is a message
MAX_TENSOR_USES = 1_000_000  # inputs and outputs of all nodes (shape inference types each output): a
# 50,000-node model has ~150,000


def node_label(node: Any) -> str:
    """A node as a message names it: its name (or first output) and op type, shown safely."""
    name = node.name or (node.output[0] if node.output else "")
    op = clip(node.op_type, MAX_NAME) or "?"
    return f"{quote(name, 40)} ({op})" if name else f"of type {op}"


def check(model: Any, shown: str) -> None:
    """What shape inference would build, bounded: every tensor (a type, an initializer, a
    constant) of at most ``MAX_RANK`` dimensions, no output rank taken from more values than that,
    at most ``MAX_NODES`` operations with each call of a model-local function counted as its body
    (and ``MAX_TENSOR_USES`` inputs and outputs), no function calling itself; else a SpecError
    naming the node or tensor."""
    walk = _Walk(model, shown)
    walk.graph(model.graph)
    for node in walk.shaping:  # once every constant is known (a file may list a node before its input's)
        index = RANK_INPUTS[node.op_type]
        if len(node.input) > index and walk.constants.get(node.input[index], 0) > MAX_RANK:
            raise SpecError(f"node {node_label(node)} takes its output's dimensions from "
                            f"{quote(node.input[index], 40)}, which holds {walk.constants[node.input[index]]:,} "
                            f"values; nnsvg reads tensors of up to {MAX_RANK} dimensions")


class _Walk:
    """Every graph of a model (subgraphs and function bodies too), once each."""

    def __init__(self, model: Any, shown: str) -> None:
        self.shown = shown
        self.functions = {(f.domain, f.name, f.overload): f for f in model.functions}
        self.sizes: dict[tuple[str, str, str], tuple[int, int]] = {}  # a function's operations and tensor uses
        self.depth = 0  # graphs in graphs and functions in functions
        self.calling: set[tuple[str, str, str]] = set()
        self.constants: dict[str, int] = {}  # a constant tensor's name → how many values it holds
        self.shaping: list[Any] = []  # the nodes whose output's rank is the number of values of an input

    def deeper(self, step: int) -> None:
        self.depth += step
        if self.depth > MAX_DEPTH:
            raise SpecError(f"model {self.shown} nests subgraphs and function calls more than {MAX_DEPTH} "
                            "levels deep, more than nnsvg reads")

    def graph(self, graph: Any) -> tuple[int, int]:
        self.deeper(1)
        for tensor in graph.initializer:
            self.constants[tensor.name] = self.tensor(tensor.dims, _named("initializer", tensor.name))
        for sparse in graph.sparse_initializer:
            self.tensor(sparse.dims, _named("initializer", sparse.values.name))
        for value in [*graph.input, *graph.output, *graph.value_info]:
            self.type(value.type, _named("tensor", value.name))
        size = self.nodes(graph.node)
        self.deeper(-1)
        return size

    def tensor(self, dims: Sequence[int], what: Described) -> int:
        """How many values a tensor of these dimensions holds (at most MAX_RANK of them)."""
        _rank(len(dims), what)
        count = 1
        for d in dims:
            count *= max(d, 0)
        return count

    def type(self, proto: Any, what: Described) -> None:
        kind = proto.WhichOneof("value")
        if kind in ("tensor_type", "sparse_tensor_type"):
            _rank(len(getattr(proto, kind).shape.dim), what)
        elif kind in ("sequence_type", "optional_type"):
            self.type(getattr(proto, kind).elem_type, what)
        elif kind == "map_type":
            self.type(proto.map_type.value_type, what)

    def nodes(self, nodes: Any) -> tuple[int, int]:
        count = uses = 0
        for node in nodes:
            n, u = self.node(node)
            count, uses = count + n, uses + u
            if count > MAX_NODES:
                raise SpecError(f"model {self.shown} has more than {MAX_NODES:,} operations, counting each call "
                                "of a function as its body's, more than nnsvg draws")
            if uses > MAX_TENSOR_USES:
                raise SpecError(f"model {self.shown}: its operations have more than {MAX_TENSOR_USES:,} inputs "
                                "and outputs, more than any model's")
        return count, uses

    def node(self, node: Any) -> tuple[int, int]:
        count, uses = 1, len(node.input) + len(node.output)
        for a in node.attribute:
            for field, value in a.ListFields():  # what is there, whatever the declared type says
                n, u = self.value(node, a.name, field.name, value)
                count, uses = count + n, uses + u
        if node.op_type in RANK_INPUTS:
            self.shaping.append(node)
        if self.functions and node.domain not in ("", "ai.onnx"):
            key = (node.domain, node.op_type, node.overload)
            if key in self.functions:
                n, u = self.function(key)
                count, uses = count - 1 + n, uses + u
        return count, uses

    def value(self, node: Any, name: str, field: str, value: Any) -> tuple[int, int]:
        """The operations and tensor uses in one field of an attribute (its subgraphs'), its
        tensors and types checked; a Constant's values counted."""
        def what() -> str:
            return f"node {node_label(node)}, attribute '{clip(name, MAX_NAME)}'"

        values = None
        if field in ("t", "sparse_tensor"):
            values = self.tensor(value.dims, what)
        elif field in ("tensors", "sparse_tensors"):
            for tensor in value:
                self.tensor(tensor.dims, what)
        elif field in ("tp", "type_protos"):
            for proto in [value] if field == "tp" else value:
                self.type(proto, what)
        elif field in ("ints", "floats", "strings"):
            values = len(value)
            if (node.op_type, name) in RANK_ATTRIBUTES and values > MAX_RANK:
                raise SpecError(f"{what()} has {values:,} values; nnsvg reads tensors of up to {MAX_RANK} dimensions")
        elif field in ("g", "graphs"):
            sizes = [self.graph(g) for g in ([value] if field == "g" else value)]
            return sum(n for n, _ in sizes), sum(u for _, u in sizes)
        if node.op_type == "Constant" and values is not None and node.output:
            self.constants[node.output[0]] = values
        return 0, 0

    def function(self, key: tuple[str, str, str]) -> tuple[int, int]:
        if key not in self.sizes:
            if key in self.calling:
                raise SpecError(f"model {self.shown}: function {quote(key[1], 40)} calls itself (directly or "
                                "through other functions), which ONNX does not allow")
            self.calling.add(key)
            self.deeper(1)
            body = self.functions[key]
            for value in body.value_info:
                self.type(value.type, _named("tensor", value.name))
            self.sizes[key] = self.nodes(body.node)
            self.deeper(-1)
            self.calling.discard(key)
        return self.sizes[key]


def _named(word: str, name: str) -> Described:
    return lambda: f"{word} {quote(name, 40)}"


def _rank(rank: int, what: Described) -> None:
    if rank > MAX_RANK:
        raise SpecError(f"{what()} has {rank:,} dimensions; nnsvg reads tensors of up to {MAX_RANK}")


def in_order(graph: Any) -> None:
    """The graph's nodes in a topological order: as the file lists them when that is one (ONNX
    requires it), else sorted (of the nodes that are ready, the first in the file first); a
    SpecError naming a node on a cycle."""
    nodes = graph.node
    ends = [(node.input, node.output) for node in nodes]  # (each container fetched once: this runs for every model)
    made: dict[str, int] = {}
    for i, (_, outputs) in enumerate(ends):
        for name in outputs:
            if name:
                made.setdefault(name, i)
    if all(made.get(name, -1) < i for i, (inputs, _) in enumerate(ends) for name in inputs):
        return
    edges = [(made[name], i) for i, (inputs, _) in enumerate(ends) for name in inputs if name in made]
    order = ordered(len(nodes), edges)
    if len(order) < len(nodes):
        raise SpecError(f"the model's graph has a cycle through node {node_label(nodes[_on_cycle(order, edges)])}; "
                        "ONNX graphs are acyclic")
    data = [nodes[i].SerializeToString() for i in order]
    del graph.node[:]
    for item in data:
        graph.node.add().ParseFromString(item)


def _on_cycle(order: list[int], edges: list[tuple[int, int]]) -> int:
    """A node on a cycle, given the partial topological order that stopped at the cycles: every
    node left out has an input made by another node left out, so going back from one of them
    comes round to a node already met, which is on a cycle."""
    done = set(order)
    before: dict[int, int] = {}
    for source, target in edges:
        if source not in done and target not in done:
            before.setdefault(target, source)
    node = min(before)
    seen = set()
    while node not in seen:
        seen.add(node)
        node = before[node]
    return node
