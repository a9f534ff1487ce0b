"""A saved ``ExportedProgram`` (``torch.export.save``, a ``.pt2`` file) read without PyTorch and
without unpickling anything.

A ``.pt2`` file is a zip archive under one folder: ``models/model.json`` is the serialized
program (each operation's target, arguments and output tensors; each tensor's dtype and sizes;
the signature, which says which inputs are parameters, buffers, constants or the user's), and
``data/weights/`` holds the weights as raw bytes that ``model_weights_config.json`` describes
(a tensor subclass's are pickled). ``torch.export.load`` unpickles parts of the archive (opaque
constants, pickled weights, the sample inputs, a legacy weights file), and unpickling runs
whatever code the file names: so this reader takes the JSON and raw weight bytes only, and
bounds every read (the zip's directory, each member decompressed, the JSON's size and nesting,
the number of operations), so that a crafted archive is refused, never run or inflated. The
archives of PyTorch 2.7 and before (``serialized_exported_program.json`` at the top) hold the
same JSON; their weights are pickled, so only their counts are read (from the JSON).

What comes out is a ``Program``: the neutral form that ``nnsvg.importers.torch`` maps onto the
shared vocabulary, and that it also makes from a program traced in this process, so a saved
program and a live module are drawn by the same code.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
import struct
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from ..errors import SpecError
from ..reading import open_regular, size_text
from ..text import shown_path
from .common import MAX_DRAWN_WEIGHTS, clean

MAX_DIRECTORY_BYTES = 4 * 2**20  # the zip's member list: ~80 bytes a member, so ~50,000 (real ones: a few KB)
MAX_MEMBERS = 20_000  # a .pt2 holds a file per weight storage: the largest real models have a few thousand
MAX_JSON_BYTES = 32 * 2**20  # models/model.json: real programs take 1.3-2.8 KB an operation (with stack traces)
# JSON values (commas, colons, brackets and braces in the text): parsed, each costs up to ~80 bytes, so at
# most ~120 MB; real programs have 130-260 an operation, so 6,000-11,000 operations fit
MAX_JSON_VALUES = 1_500_000
MAX_CONFIG_BYTES = 16 * 2**20  # the weights' config: ~1 KB a weight
MAX_OPERATIONS = 20_000  # before simplification: real models export to a few thousand; a figure draws 1,000 layers
MAX_MODULE_DEPTH = 32  # modules inside modules around one operation: real models nest under 10 deep
MAX_ARGUMENT_DEPTH = 8  # an argument's lists and maps within each other: the schema nests 2 deep
MAX_RANK = 64  # a tensor's dimensions: real ones have up to 6; more is a crafted file
MAX_DIM = 2**62  # a size or a stride: PyTorch's are int64
MAX_READ_WEIGHTS = 4 * MAX_DRAWN_WEIGHTS  # a dense layer's storage read for its real weights

# the packings PyTorch writes and reads (stored; deflated by other zip tools): zipfile unpacks these
# as much as asked for, but bzip2 and LZMA each compressed chunk whole (a few bytes → gigabytes)
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
Shape = tuple[int | str, ...]
# ScalarType → struct's code and size (bfloat16 is read as the top half of a float32)
FLOATS = {6: ("e", 2), 7: ("f", 4), 8: ("d", 8), 13: ("bf16", 2)}


@dataclass(frozen=True)
class Ref:
    """A value of the program (a tensor, a symbolic size) by its name: an argument of a call."""

    name: str


@dataclass(frozen=True)
class Call:
    """One operation: ``op`` is its short name (``convolution``, ``add``, ``getitem``), ``args``
    and ``kwargs`` as the op's schema takes them (values of the program as ``Ref``), ``outputs``
    the names of what it makes, ``shape`` its (first) output's full shape, batch included, and
    ``stack`` the modules it was called in, (path, class), outermost first."""

    name: str
    op: str
    args: tuple[Any, ...]
    kwargs: Mapping[str, Any]
    outputs: tuple[str, ...]
    shape: Shape | None
    tensor: bool
    stack: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Weight:
    """A parameter: its sizes, and its elements in row-major order when read (None: unreadable)."""

    shape: tuple[int, ...]
    values: Callable[[], list[float] | None]


@dataclass
class Program:
    """An exported program: the user's inputs (name → full shape), the parameters (placeholder
    name → parameter name, and parameter name → ``Weight``), and the calls in execution order."""

    inputs: dict[str, Shape | None]
    parameters: dict[str, str]
    weights: dict[str, Weight]
    calls: list[Call]


class _Bad(Exception):
    """The JSON is not the program the schema describes: the reason, for the error message."""


@contextlib.contextmanager
def opened(path: str | os.PathLike[str]) -> Iterator[Program]:
    """The program saved at ``path``, its weights readable until the block ends; a ``SpecError``
    (one line) for anything that is not an archive this reader can take within its limits."""
    shown = shown_path(os.fspath(path))
    with open_regular(path, None, "model") as (fd, _), os.fdopen(os.dup(fd), "rb") as file:
        archive = _Archive(file, shown)
        data = archive.json(archive.model, MAX_JSON_BYTES)
        try:
            program = _program(data, archive)
        except _Bad as exc:
            raise SpecError(f"model {shown}: {archive.model_name} is not an ExportedProgram nnsvg can "
                            f"read ({exc})") from None
        yield program


class _Archive:
    """The zip file, its directory checked before it is read, and its members read bounded."""

    def __init__(self, file: IO[bytes], shown: str) -> None:
        self.shown = shown
        _check_directory(file, shown)
        try:
            self.zip = zipfile.ZipFile(file)
            names = self.zip.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise self.not_archive("not a readable zip file; is it truncated?") from None
        if len(names) > MAX_MEMBERS:
            raise SpecError(f"model {shown} holds {len(names):,} files, more than an ExportedProgram has "
                            f"({MAX_MEMBERS:,})")
        self.root = names[0].split("/", 1)[0] + "/" if names and "/" in names[0] else ""
        self.model = self.root + "models/model.json"
        self.legacy = self.model not in names and "serialized_exported_program.json" in names
        if self.legacy:
            self.model = "serialized_exported_program.json"
        elif self.model not in names:
            raise self.not_archive("a zip file without models/model.json")
        self.model_name = self.model[len(self.root):] if not self.legacy else self.model
        self.names = set(names)
        self._config: dict[str, Any] | None = None
        self._order: str | None = None

    def not_archive(self, reason: str) -> SpecError:
        return SpecError(f"model {self.shown} is not an ExportedProgram archive ({reason})")

    def read(self, name: str, limit: int, whole: bool = True) -> bytes:
        """A member's bytes: refused when its declared size is over ``limit``, and read through a
        bounded stream (a declared size can lie; the stream stops past the limit). Not ``whole``:
        its first ``limit`` bytes (or fewer)."""
        shown = clean(name[len(self.root):])
        try:
            info = self.zip.getinfo(name)
            if info.compress_type not in METHODS:
                raise SpecError(f"model {self.shown}: {shown} is packed in a way PyTorch's archives are not "
                                "(only stored or deflated)")
            if whole and info.file_size > limit:
                raise SpecError(f"model {self.shown}: {shown} is larger than {size_text(limit)} "
                                "unpacked, more than an ExportedProgram's")
            with self.zip.open(info) as member:  # zipfile unpacks about as much as is asked for
                data = member.read(min(limit, info.file_size) + 1 if whole else limit)
        except SpecError:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            # a bad CRC, a truncated or encrypted member, an unknown compression
            raise SpecError(f"model {self.shown}: {shown} cannot be read from the archive (damaged)") from None
        if len(data) > limit:
            raise SpecError(f"model {self.shown}: {shown} is larger than {size_text(limit)} unpacked, more "
                            "than an ExportedProgram's")
        return data

    def json(self, name: str, limit: int) -> Any:
        """A member's JSON, its size and its number of values checked before it is parsed."""
        shown = clean(name[len(self.root):])
        data = self.read(name, limit)
        values = data.count(b",") + data.count(b":") + data.count(b"[") + data.count(b"{")
        if values > MAX_JSON_VALUES:
            raise SpecError(f"model {self.shown}: {shown} holds about {values:,} JSON values, more than an "
                            f"ExportedProgram's ({MAX_JSON_VALUES:,})")
        try:
            text = data.decode("utf-8")
            del data  # the text and what it parses to are held at once, not the bytes too
            return json.loads(text, parse_constant=_no_constant)
        except RecursionError:
            raise SpecError(f"model {self.shown}: {shown} is nested deeper than any program's JSON") from None
        except ValueError:  # also UnicodeDecodeError, and an integer of thousands of digits
            raise SpecError(f"model {self.shown}: {shown} is not valid JSON") from None

    def weight_config(self, fqn: str) -> Any:
        """The weights config's entry for a parameter (None if the archive has none)."""
        if self._config is None:
            name = self.root + "data/weights/model_weights_config.json"
            config = self.json(name, MAX_CONFIG_BYTES) if not self.legacy and name in self.names else {}
            entries = config.get("config") if isinstance(config, dict) else None
            self._config = entries if isinstance(entries, dict) else {}
        return self._config.get(fqn)

    def byteorder(self) -> str:
        """The weights' byte order, as struct writes it."""
        if self._order is None:
            name = self.root + "byteorder"
            order = self.read(name, 16).strip() if name in self.names else b"little"
            self._order = ">" if order == b"big" else "<"
        return self._order


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # PyTorch writes inf and nan as strings, never bare


def _check_directory(file: IO[bytes], shown: str) -> None:
    """Refuse an archive whose end records claim a member list over the limits, before zipfile
    reads that list (it reads all of it, and makes an object per member). The 32-bit and the
    ZIP64 records are both checked, wherever zipfile may take them from."""
    file.seek(0, os.SEEK_END)
    end = file.tell()
    file.seek(max(0, end - (65536 + 22 + 20 + 56)))
    tail = file.read()
    found = [len(tail) - 22] if tail[-22:-18] == b"PK\x05\x06" else []
    found.append(tail.rfind(b"PK\x05\x06", 0, len(tail) - 21))
    for at in (k for k in found if k >= 0):
        entries, size = struct.unpack_from("<HI", tail, at + 10)
        counts = [(entries, size)]
        zip64 = at - 20 - 56
        if zip64 >= 0 and tail[at - 20:at - 16] == b"PK\x06\x07" and tail[zip64:zip64 + 4] == b"PK\x06\x06":
            counts.append(struct.unpack_from("<QQ", tail, zip64 + 32))
        for entries, size in counts:
            if entries > MAX_MEMBERS or size > MAX_DIRECTORY_BYTES:
                raise SpecError(f"model {shown}: its zip directory lists {entries:,} files in "
                                f"{size / 2**20:.1f} MB, more than an ExportedProgram has (at most "
                                f"{MAX_MEMBERS:,} files in {size_text(MAX_DIRECTORY_BYTES)})")
    file.seek(0)


def _program(data: Any, archive: _Archive) -> Program:
    graph_module = _field(data, "graph_module", dict)
    graph = _field(graph_module, "graph", dict)
    nodes = _field(graph, "nodes", list)
    if len(nodes) > MAX_OPERATIONS:
        raise SpecError(f"model {archive.shown} has {len(nodes):,} operations, more than nnsvg draws "
                        f"({MAX_OPERATIONS:,})")
    tensors = _field(graph, "tensor_values", dict)
    inputs: dict[str, Shape | None] = {}
    parameters: dict[str, str] = {}
    weights: dict[str, Weight] = {}
    for spec in _field(_field(graph_module, "signature", dict), "input_specs", list):
        kind, value = _union(spec, "an input spec")
        if kind == "user_input":
            arg = _argument(_field(value, "arg", dict), 0)
            if isinstance(arg, Ref):
                inputs[arg.name] = _sizes(tensors.get(arg.name), arg.name)
        elif kind == "parameter":
            name = _field(_field(value, "arg", dict), "name", str)
            fqn = _field(value, "parameter_name", str)
            parameters[name] = fqn
            weights[fqn] = _weight(tensors.get(name), name, fqn, archive)
    calls = [_call(node, tensors) for node in nodes]
    return Program(inputs, parameters, weights, calls)


def _field(value: Any, key: str, kind: type) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get(key), kind) or isinstance(value.get(key), bool):
        raise _Bad(f"{key}: expected {kind.__name__}")
    return value[key]


def _union(value: Any, what: str) -> tuple[str, Any]:
    """A tagged union of the schema: ``{"as_tensor": {...}}`` → ("as_tensor", {...})."""
    if not isinstance(value, dict) or len(value) != 1:
        raise _Bad(f"{what}: expected one tagged value")
    return next(iter(value.items()))


def _call(node: Any, tensors: Mapping[str, Any]) -> Call:
    target = _field(node, "target", str)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for named in _field(node, "inputs", list):
        value = _argument(_field(named, "arg", dict), 0)
        if named.get("kind") == 2:  # ArgumentKind.KEYWORD; POSITIONAL (1) or none (older files): in order
            kwargs[_field(named, "name", str)] = value
        else:
            args.append(value)
    outputs = [_argument(output, 0) for output in _field(node, "outputs", list)]
    first = outputs[0] if outputs else None
    if isinstance(first, list):  # a list of tensors (split, chunk)
        first = first[0] if first else None
    names = tuple(r.name for r in flatten(outputs) if isinstance(r, Ref))
    tensor = isinstance(first, Ref) and first.name in tensors
    shape = _sizes(tensors[first.name], first.name) if tensor and isinstance(first, Ref) else None
    name = node.get("name")
    op = _op_name(target)
    return Call(name if isinstance(name, str) and name else (names[0] if names else op), op, tuple(args),
                kwargs, names, shape, tensor, _stack(_metadata(node).get("nn_module_stack")))


def _metadata(node: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = node.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _op_name(target: str) -> str:
    """An op's short name from its target: torch.ops.aten.conv2d.default → conv2d; add_ → add."""
    parts = target.split(".")
    name = parts[3] if target.startswith("torch.ops.") and len(parts) >= 4 else parts[-1]
    return name.rstrip("_") if name.endswith("_") and not name.startswith("_") else name


def flatten(value: Any) -> list[Any]:
    """The leaves of nested lists, tuples and mappings, in order (a call's arguments, outputs)."""
    if isinstance(value, list | tuple):
        return [x for v in value for x in flatten(v)]
    if isinstance(value, Mapping):
        return [x for v in value.values() for x in flatten(v)]
    return [value]


PLAIN = {"as_int": int, "as_float": float, "as_bool": bool}
SCALARS = {"as_int": int, "as_float": float, "as_bool": bool, "as_string": str, "as_scalar_type": int,
           "as_memory_format": int, "as_layout": int, "as_operator": str}
LISTS = {"as_ints": "as_int", "as_floats": "as_float", "as_bools": "as_bool", "as_strings": "as_string",
         "as_tensors": "as_tensor", "as_sym_ints": "as_sym_int", "as_sym_floats": "as_sym_float",
         "as_sym_bools": "as_sym_bool", "as_optional_tensors": "as_optional_tensor",
         "as_int_lists": "as_ints", "as_float_lists": "as_floats", "as_nested_tensors": "as_tensors"}


def _argument(value: Any, depth: int) -> Any:
    """An argument's value as the live graph has it: numbers, lists, text, and a value of the
    program as a ``Ref``; what a figure never uses (a device, a subgraph) as None."""
    if depth > MAX_ARGUMENT_DEPTH:
        raise _Bad(f"arguments nest deeper than {MAX_ARGUMENT_DEPTH}")
    kind, inner = _union(value, "an argument")
    if kind in SCALARS:
        return _scalar(inner, SCALARS[kind])
    if kind in LISTS:
        if not isinstance(inner, list):
            raise _Bad(f"{kind}: expected a list")
        return [_argument({LISTS[kind]: item}, depth + 1) for item in inner]
    if kind in ("as_tensor", "as_custom_obj"):
        return Ref(_field(inner, "name", str))
    if kind in ("as_sym_int", "as_sym_float", "as_sym_bool", "as_optional_tensor"):
        tag, item = _union(inner, kind)
        if tag == "as_name":
            return Ref(_scalar(item, str))
        if tag == "as_tensor":
            return Ref(_field(item, "name", str))
        return _scalar(item, PLAIN[tag]) if tag in PLAIN else None
    if kind == "as_string_to_argument":
        if not isinstance(inner, dict):
            raise _Bad(f"{kind}: expected a map")
        return {str(k): _argument(v, depth + 1) for k, v in inner.items()}
    return None  # as_none, as_device, as_graph, as_complex, and kinds of later schemas


def _scalar(value: Any, kind: type) -> Any:
    if kind is float and isinstance(value, str) and value in ("Infinity", "-Infinity", "NaN"):
        return float(value.lower().replace("infinity", "inf"))  # how PyTorch writes them
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Bad(f"expected {kind.__name__}, got {clean(repr(value))}")
    if isinstance(value, int) and not isinstance(value, bool) and not -MAX_DIM <= value <= MAX_DIM:
        raise _Bad(f"the integer {clean(str(value))[:30]} is out of range")
    return value


def _sizes(meta: Any, name: str) -> Shape | None:
    """A tensor's full shape from its metadata: a dimension's number, or for a symbolic one its
    example's (as ``int()`` of a traced size gives), else its expression."""
    if meta is None:
        return None
    sizes = _field(meta, "sizes", list)
    if len(sizes) > MAX_RANK:
        raise _Bad(f"tensor {clean(name)} has {len(sizes):,} dimensions")
    dims: list[int | str] = []
    for size in sizes:
        kind, value = _union(size, f"a size of {clean(name)}")
        if kind == "as_int":
            dims.append(_dim(value, name))
        elif kind == "as_expr" and isinstance(value, dict):
            hint = value.get("hint")
            if isinstance(hint, dict) and "as_int" in hint:
                dims.append(_dim(hint["as_int"], name))
            else:
                dims.append(_symbol(value.get("expr_str")))
        else:
            dims.append("?")
    return tuple(dims)


def _dim(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DIM:
        raise _Bad(f"tensor {clean(name)} has a size of {clean(repr(value))[:30]}")
    return value


def _symbol(expr: Any) -> str:
    """A symbolic size's name: Symbol('s27', positive=True, integer=True) → s27."""
    text = str(expr) if isinstance(expr, str) else "?"
    if text.startswith("Symbol('") and "'" in text[8:]:
        text = text[8:text.index("'", 8)]
    return clean(text[:40])


def _stack(text: Any) -> tuple[tuple[str, str], ...]:
    """The modules around an operation, from "key,path,type;…" (a path may hold brackets with
    commas, as torch writes it: ``layers.slice(None, 2, None)``)."""
    if not isinstance(text, str) or not text:
        return ()
    stack: list[tuple[str, str]] = []
    for entry in text.split(";")[:MAX_MODULE_DEPTH]:
        parts = _split(entry)
        if len(parts) == 3 and parts[1]:
            stack.append((parts[1], parts[2]))
    return tuple(stack)


def _split(entry: str) -> list[str]:
    if "[" not in entry and "(" not in entry:
        return entry.split(",")
    out, start, depth = [], 0, 0
    for end, c in enumerate(entry):
        if c in "[(":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(entry[start:end])
            start = end + 1
    out.append(entry[start:])
    return out


def _weight(meta: Any, name: str, fqn: str, archive: _Archive) -> Weight:
    """A parameter: its sizes from the graph's tensor metadata (they count its elements), its
    values read only when asked for (a small dense layer's, drawn by FCNN)."""
    shape = _sizes(meta, name)
    if shape is None or not all(isinstance(d, int) for d in shape):
        raise _Bad(f"parameter {clean(fqn)} has no sizes")
    sizes = tuple(int(d) for d in shape)
    if math.prod(sizes) > MAX_DIM:
        raise _Bad(f"parameter {clean(fqn)} has more than {MAX_DIM:,} elements")
    return Weight(sizes, lambda: _values(archive, fqn, sizes))


def _values(archive: _Archive, fqn: str, sizes: tuple[int, ...]) -> list[float] | None:
    """A parameter's elements (row-major) from its raw bytes; None when they are pickled (never
    loaded: that runs code), of a dtype other than a float, or more than a figure draws."""
    entry = archive.weight_config(fqn)
    if not isinstance(entry, dict) or entry.get("use_pickle") is not False:
        return None
    try:
        meta = _field(entry, "tensor_meta", dict)
        dtype = FLOATS.get(_field(meta, "dtype", int))
        if dtype is None or _sizes(meta, fqn) != sizes:
            return None
        strides = [_dim(_union(s, "a stride")[1], fqn) for s in _field(meta, "strides", list)]
        offset = _dim(_union(meta.get("storage_offset", {"as_int": 0}), "an offset")[1], fqn)
        path = _field(entry, "path_name", str)
    except _Bad:
        return None
    if len(strides) != len(sizes) or 0 in sizes:
        return [] if 0 in sizes else None
    span = offset + sum((n - 1) * s for n, s in zip(sizes, strides, strict=True)) + 1
    member = archive.root + "data/weights/" + path
    if span > MAX_READ_WEIGHTS or member not in archive.names:
        return None
    code, width = dtype
    data = archive.read(member, span * width, whole=False)
    if len(data) < span * width:
        return None
    storage = _decode(data[:span * width], code, archive.byteorder())
    ranges = [range(n) for n in sizes]
    return [storage[offset + sum(i * s for i, s in zip(index, strides, strict=True))]
            for index in itertools.product(*ranges)]


def _decode(data: bytes, code: str, order: str) -> list[float]:
    if code != "bf16":
        return list(struct.unpack(f"{order}{len(data) // struct.calcsize(code)}{code}", data))
    halves = struct.unpack(f"{order}{len(data) // 2}H", data)  # a bfloat16 is a float32's top 16 bits
    return list(struct.unpack(f"<{len(halves)}f", struct.pack(f"<{len(halves)}I", *(h << 16 for h in halves))))

