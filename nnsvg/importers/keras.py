"""The Keras importer: a ``.keras`` archive (Keras 3) or a legacy ``.h5`` file → the op graph.

A ``.keras`` file is a zip archive of ``config.json`` (the model's serialized config: class,
layers, for a Functional model each layer's ``inbound_nodes``), ``metadata.json`` (the Keras
version) and ``model.weights.h5`` (the variables, under ``layers/<layer>/vars/<i>``). The
config is read with the standard library only (no TensorFlow or Keras import): shapes are
computed from the input's shape by the layers' documented rules (``keras_layers``: Conv1D/2D/3D
with padding, strides and dilation, pooling, Dense, Flatten, Reshape, Embedding, recurrent
layers, merges, …) and, where a rule is missing, taken from what the config recorded (a layer's ``build_config``,
the shape of every tensor a Functional layer is called on). Parameter counts follow the same
rules and equal what Keras reports (``model.count_params()``: trainable and not, a batch
norm's moving statistics included). A nested model is drawn inline, its layers framed as a
group named after it.

Real weights (for ``--edge-color weight``) are read from ``model.weights.h5`` when ``h5py`` is
installed (``pip install 'nnsvg[keras]'``); without it the figure is drawn with seeded weights
and a note says so. A legacy ``.h5`` file (Keras 2's ``model.save("m.h5")``) needs ``h5py``.

Keras writes channels last (``H, W, C``); ``Node.shape`` is channels first, as the importer
contract says (``C, H, W``); a sequence stays ``(steps, features)``.

A model file is not trusted. It is read in parts through a ``Window``, never whole: an
archive's directory and ``config.json`` within limits (``archive``; the config's JSON values
counted before it is parsed, its layers before any is followed), ``model.weights.h5`` in place.
HDF5 is read through ``hdf5`` (hard links only; datasets whose data is in the file) and in a
child process (``isolate``), since a damaged file can crash h5py or make it loop. Names from
the file (layers, classes, nested models, activations) are escaped and cut before they become
labels, notes or messages.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

from ..errors import SpecError
from ..graph import Connection, Graph, Group, Node
from ..reading import Window, open_regular, size_text
from ..text import clip, quote, shown_path
from . import archive, hdf5, isolate, missing
from .common import MAX_DRAWN_WEIGHTS, clean, connections_into
from .keras_layers import Layer, Shape, layer_rule

MAX_MODEL_BYTES = None  # no limit: the file is read in parts (its config, the weights drawn), never whole
# Keras's largest applications (NASNetLarge, EfficientNetB7) have about 800-1,050 layers; folding
# a model costs ~0.1 ms a layer, so 100,000 layers took seconds only to draw an unreadable figure
MAX_LAYERS = 5000
MAX_CONFIG_BYTES = 16 * 2**20  # a Keras config takes ~1.2 KB a layer: 5,000 layers are ~6 MB
# JSON objects and lists, and values (commas): a layer has ~20 and ~40; the caps keep the parsed
# config within ~50 MB (an empty dict costs 64 bytes, a one-key one 184, a float 24)
MAX_CONFIG_CONTAINERS = 200_000
MAX_CONFIG_VALUES = 1_000_000
# Keras stores model.weights.h5 uncompressed (read in place); a compressed one is inflated into
# memory, up to the weights of a model of ~8 million parameters
MAX_INFLATED_WEIGHTS = 32 * 2**20
MAX_H5_OBJECTS = 100_000  # groups, datasets and variables in a weights file: 5,000 layers make ~20,000
MAX_VARIABLES = 1000  # a layer's variables (a dense layer has 2, an attention layer 8)
MAX_STORED_NAME = 4096  # characters of a layer name written on its vars group (to find its weights)
_H5_ERRORS: tuple[type[SpecError], ...] = (hdf5.Refused, hdf5.Unreadable, SpecError)  # most specific first

MODELS = ("Sequential", "Functional", "Model")


def _snake(name: str) -> str:
    """Keras's ``naming.to_snake_case``: the name a layer's weights are stored under."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


# --- reading the config ---------------------------------------------------------------------------

def _batchless(shape: Any) -> Shape | None:
    """A recorded shape (with its batch dimension) without the batch dimension."""
    if not isinstance(shape, list | tuple) or not shape:
        return None
    return tuple(int(d) if isinstance(d, int) and not isinstance(d, bool) else None for d in shape[1:])


def _refs(value: Any) -> Iterator[tuple[str, int, int, Shape | None]]:
    """Every tensor an ``inbound_nodes`` entry names, as (layer, node, tensor, shape), in order:
    Keras 3 writes ``{"class_name": "__keras_tensor__", "config": {"shape", "keras_history"}}``,
    Keras 2 ``[layer, node, tensor, kwargs]``."""
    if isinstance(value, Mapping):
        if value.get("class_name") == "__keras_tensor__":
            config = value.get("config")
            if isinstance(config, Mapping) and _is_history(config.get("keras_history")):
                history = config["keras_history"]
                yield str(history[0]), int(history[1]), int(history[2]), _batchless(config.get("shape"))
            return
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list | tuple):
        if _is_history(value):
            yield str(value[0]), int(value[1]), int(value[2]), None
            return
        for item in value:
            yield from _refs(item)


def _is_history(value: Any) -> bool:
    return (isinstance(value, list | tuple) and len(value) >= 3 and isinstance(value[0], str)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value[1:3]))


class _Reader:
    """Walks a model config, nested models inline, collecting the graph's items."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.items: list[dict[str, Any]] = []
        self.groups: list[tuple[int, int, str]] = []
        self.unknown: list[str] = []
        self.names: dict[str, int] = {}  # each item's name → the next suffix to try for a repeated name
        self.slots: dict[tuple[str, str], str] = {}
        self.counts: dict[tuple[str, str], int] = {}

    def bad(self, what: str) -> SpecError:
        return SpecError(f"model {self.shown} is not a Keras model config Keras could load ({what})")

    def slot(self, prefix: str, cls: str, name: str) -> str:
        """Where a layer's variables are in model.weights.h5: ``layers/<snake_case class>[_k]``,
        numbered by class in the model's layer order (Keras's ``_save_container_state``)."""
        key = (prefix, name)
        if key not in self.slots:
            snake = _snake(cls)
            n = self.counts.get((prefix, snake), -1) + 1
            self.counts[(prefix, snake)] = n
            self.slots[key] = f"{prefix}layers/{snake if n == 0 else f'{snake}_{n}'}"
        return self.slots[key]

    def add(self, name: str, cls: str, layer: Layer | None, inputs: list[int], store: str) -> int:
        """A new item; its name and class, from the file, are shown with their control
        characters escaped (they become labels, notes and messages)."""
        if len(self.items) >= MAX_LAYERS:
            raise self.too_many()
        name, cls = clean(name), clean(cls)
        if layer is None:  # no rule: a generic layer of the shape Keras recorded, if any
            layer = Layer(cls, None, 0, {"generic": True})
        unique = name
        while unique in self.names:  # from the suffix last tried: n repeats of a name cost n steps
            k = self.names[name]
            self.names[name] = k + 1
            unique = f"{name}_{k}"
        self.names[unique] = 1
        self.items.append({"name": unique, "op": layer.op, "shape": layer.shape, "first": layer.channels_first,
                           "inputs": inputs, "params": layer.params, "attrs": {**layer.attrs, "keras_class": cls},
                           "store": store})
        return len(self.items) - 1

    def too_many(self) -> SpecError:
        return SpecError(f"model {self.shown} has more than {MAX_LAYERS:,} layers, more than nnsvg draws (Keras's "
                         "largest applications have about 1,000)")

    def model(self, entry: Mapping[str, Any], inputs: list[int] | None, path: str) -> list[int]:
        """The items of a (nested) model; returns the indices of its outputs."""
        cls = str(entry.get("class_name"))
        config = entry.get("config")
        if not isinstance(config, Mapping) or not isinstance(config.get("layers"), list):
            raise self.bad(f"{quote(cls)} without a list of layers")
        if len(self.items) + len(config["layers"]) > MAX_LAYERS:  # refused before any layer is looked at
            raise self.too_many()
        start = len(self.items)
        layers = [layer for layer in config["layers"] if isinstance(layer, Mapping)]
        if len(layers) != len(config["layers"]):
            raise self.bad("a layer that is not a mapping")
        functional = cls != "Sequential" and any("inbound_nodes" in layer for layer in layers)
        outputs = (self.functional(entry, config, layers, inputs, path) if functional
                   else self.sequential(entry, config, layers, inputs, path))
        if inputs is not None and len(self.items) > start:  # nested: its layers framed as a block
            label = clean(str(config.get("name") or entry.get("name") or cls))
            self.groups.append((start, len(self.items) - 1, label))
        return outputs

    def input_shape(self, entry: Mapping[str, Any], config: Mapping[str, Any],
                    layers: list[Mapping[str, Any]]) -> Shape | None:
        for source in (entry.get("build_config"), config, layers[0].get("build_config") if layers else None,
                       layers[0].get("config") if layers else None):
            if isinstance(source, Mapping):
                for key in ("input_shape", "build_input_shape", "batch_shape", "batch_input_shape"):
                    shape = _batchless(source.get(key))
                    if shape is not None:
                        return shape
        return None

    def call(self, layer: Mapping[str, Any], inputs: list[int], path: str,
             recorded: Shape | None = None) -> list[int]:
        """One call of a layer on the given items; a nested model is walked."""
        cls = str(layer.get("class_name"))
        config = layer.get("config")
        if not isinstance(config, Mapping):
            raise self.bad(f"layer of class {quote(cls)} without a config")
        name = str(config.get("name") or layer.get("name") or _snake(cls))
        slot = self.slot(path, cls, name)
        if isinstance(config.get("layers"), list):
            return self.model(layer, inputs, slot + "/")
        shapes = [self.items[i]["shape"] for i in inputs]
        first = bool(inputs) and bool(self.items[inputs[0]]["first"])
        try:
            rule = layer_rule(cls, config, shapes, first)
        except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError, OverflowError):
            rule = None
        if rule is None:
            self.unknown.append(cls)
        elif recorded is not None and rule.shape != recorded and recorded and all(d is not None for d in recorded):
            rule.shape = recorded  # what Keras recorded wins over a rule that disagrees
        index = self.add(name, cls, rule, inputs, slot + "/vars")
        if rule is None and recorded is not None:
            self.items[index]["shape"] = recorded
        return [index]

    def sequential(self, entry: Mapping[str, Any], config: Mapping[str, Any], layers: list[Mapping[str, Any]],
                   inputs: list[int] | None, path: str) -> list[int]:
        current = inputs
        if current is None:
            shape = self.input_shape(entry, config, layers)
            first = layers[0] if layers and layers[0].get("class_name") == "InputLayer" else None
            name = str((first.get("config") or {}).get("name") if first else "input") or "input"
            current = [self.add(name, "InputLayer", Layer("Input", shape), [], "")]
        for k, layer in enumerate(layers):
            if layer.get("class_name") == "InputLayer":
                continue
            following = layers[k + 1] if k + 1 < len(layers) else None
            recorded = _batchless((following.get("build_config") or {}).get("input_shape")) if following else None
            current = self.call(layer, current, path, recorded)
        return current

    def functional(self, entry: Mapping[str, Any], config: Mapping[str, Any], layers: list[Mapping[str, Any]],
                   inputs: list[int] | None, path: str) -> list[int]:
        produced: dict[str, dict[int, list[int]]] = {}  # layer → call → items of its outputs
        recorded: dict[tuple[str, int], Shape | None] = {}
        for layer in layers:
            for node in layer.get("inbound_nodes") or []:
                for ref_name, ref_node, _, shape in _refs(node):
                    if shape is not None:
                        recorded[(ref_name, ref_node)] = shape
        input_names = [str(ref[0]) for ref in _refs(config.get("input_layers") or [])]
        given = list(inputs) if inputs is not None else None
        for layer in layers:
            cls = str(layer.get("class_name"))
            lconfig = layer.get("config") if isinstance(layer.get("config"), Mapping) else {}
            name = str(layer.get("name") or (lconfig or {}).get("name") or _snake(cls))
            calls = produced.setdefault(name, {})
            if cls == "InputLayer":
                if given is not None:  # nested: the model's input is what it is called on
                    position = input_names.index(name) if name in input_names else 0
                    calls[0] = [given[min(position, len(given) - 1)]] if given else []
                    continue
                shape = _batchless((lconfig or {}).get("batch_shape") or (lconfig or {}).get("batch_input_shape"))
                if shape is None and (lconfig or {}).get("shape") is not None:
                    shape = tuple((lconfig or {})["shape"])
                self.slot(path, cls, name)
                calls[0] = [self.add(name, cls, Layer("Input", shape), [], "")]
                continue
            offset = 1 if cls in ("Functional", "Model") else 0  # a nested model's own call is node 0
            for k, node in enumerate(layer.get("inbound_nodes") or []):
                sources: list[int] = []
                for ref_name, ref_node, _, _ in _refs(node):
                    earlier = produced.get(ref_name, {})
                    found = earlier.get(ref_node)
                    if found is None:  # Keras renumbers calls: take the layer's only call
                        if len(earlier) != 1:
                            raise self.bad(f"layer {quote(name)} is called on {quote(ref_name)}, which is not "
                                           "computed before it")
                        found = next(iter(earlier.values()))
                    sources.extend(s for s in found[:1] if s not in sources)
                calls[k + offset] = self.call(layer, sources, path, recorded.get((name, k + offset)))
        outputs = [produced.get(str(r[0]), {}).get(int(r[1])) for r in _refs(config.get("output_layers") or [])]
        return [found[0] for found in outputs if found] or ([len(self.items) - 1] if self.items else [])


# --- reading the file -------------------------------------------------------------------------

class _Weights:
    """Where the HDF5 weights are: ``open`` gives a new file object of them (in whichever process
    reads); ``legacy``: a legacy .h5 file, whose failures are errors (its config is in it too),
    where an archive's weights file that cannot be read is a note."""

    def __init__(self, open_: Callable[[], Any], legacy: bool) -> None:
        self.open = open_
        self.legacy = legacy


def read(path: str | os.PathLike[str], notes: list[str] | None = None) -> Graph:
    """The op graph of a ``.keras`` archive or a legacy ``.h5`` file (see ``nnsvg.importers``).
    ``notes`` (optional) collects what the reader could not do (no weights without h5py)."""
    shown = shown_path(os.fspath(path))
    legacy = os.path.splitext(os.fspath(path))[1].lower() == ".h5"
    if legacy:
        _h5py()  # before the file is even opened: the error says what to install
    with open_regular(path, MAX_MODEL_BYTES, "model") as (fd, size):
        whole = Window(fd, 0, size)
        config, weights = _legacy_config(whole, shown) if legacy else _archive_config(whole, shown)
        reader = _follow(config, shown)
        _weights(reader, weights, shown, notes)
    return _graph(reader)


def _h5py() -> None:
    try:
        import h5py  # noqa: F401  (imported here, so that a forked reader has it already)
    except ImportError:
        raise missing("keras", "h5py") from None


def _legacy_config(whole: Window, shown: str) -> tuple[Any, _Weights]:
    """A legacy .h5 file's config (its ``model_config`` attribute) and its weights."""
    def task() -> str | None:
        with hdf5.opened(Window(whole.fd, 0, whole.size)) as handle:
            return hdf5.text_attribute(handle, "model_config", MAX_CONFIG_BYTES)

    try:
        text = isolate.run(task, _H5_ERRORS)
    except (hdf5.Unreadable, isolate.Crashed) as exc:
        raise SpecError(f"model {shown} is not a readable HDF5 file ({exc})") from None
    if text is None:
        raise SpecError(f"model {shown} holds no model config (saved with save_weights? nnsvg needs "
                        "model.save)")
    return _json(text, shown, "its model_config"), _Weights(lambda: Window(whole.fd, 0, whole.size), True)


def _archive_config(whole: Window, shown: str) -> tuple[Any, _Weights | str | None]:
    """A .keras archive's config.json and its weights (a note instead when they cannot be read)."""
    try:
        zipped = archive.open_archive(whole)
    except archive.Damaged as exc:
        raise SpecError(f"model {shown} is not a Keras archive ({exc})") from None
    names = set(zipped.namelist())
    if "config.json" not in names:
        raise SpecError(f"model {shown} is a zip file without config.json, not a Keras archive")
    try:
        data = archive.member_bytes(zipped, "config.json", MAX_CONFIG_BYTES)
    except archive.Damaged as exc:
        raise SpecError(f"model {shown}: {exc}") from None
    if data is None:
        raise SpecError(f"model {shown}: config.json is larger than {size_text(MAX_CONFIG_BYTES)}, more than a "
                        f"model of {MAX_LAYERS:,} layers needs")
    config = _json(data.decode("utf-8", "replace"), shown, "config.json")
    if "model.weights.h5" not in names:
        return config, None
    info = zipped.getinfo("model.weights.h5")
    try:
        if info.compress_type == zipfile.ZIP_STORED:  # as Keras writes it: read in place
            part = archive.stored_window(whole, info)
            return config, _Weights(lambda: Window(part.fd, part.start, part.size), False)
        inflated = archive.member_bytes(zipped, "model.weights.h5", MAX_INFLATED_WEIGHTS)
    except archive.Damaged as exc:
        return config, f"{exc}: --edge-color weight draws seeded weights"
    if inflated is None:
        return config, (f"model.weights.h5 is compressed and larger than {size_text(MAX_INFLATED_WEIGHTS)} "
                        "inflated, so it is not read: --edge-color weight draws seeded weights")
    return config, _Weights(lambda: io.BytesIO(inflated), False)


def _json(text: str, shown: str, what: str) -> Any:
    """The parsed config; its size in JSON values is checked on the text first, since parsing
    builds every value (a 59 KB archive of ``{}``s became 1.6 GB of dicts)."""
    containers = text.count("{") + text.count("[")  # at least as many as there are (brackets in strings count too)
    if containers > MAX_CONFIG_CONTAINERS or text.count(",") > MAX_CONFIG_VALUES:
        raise SpecError(f"model {shown}: {what} holds more than {MAX_CONFIG_CONTAINERS:,} objects and lists or "
                        f"{MAX_CONFIG_VALUES:,} values, more than a model of {MAX_LAYERS:,} layers has")
    try:
        value = json.loads(text)
    except RecursionError:
        raise SpecError(f"model {shown}: {what} nests too deeply to be a Keras model config") from None
    except ValueError:
        raise SpecError(f"model {shown}: {what} is not valid JSON") from None
    if not isinstance(value, Mapping) or not isinstance(value.get("config"), Mapping):
        raise SpecError(f"model {shown}: {what} is not a Keras model config (no class_name and config)")
    return value


def _follow(config: Any, shown: str) -> _Reader:
    """The config's layers, walked."""
    if str(config.get("class_name")) not in MODELS and not isinstance(config["config"].get("layers"), list):
        raise SpecError(f"model {shown}: a {quote(config.get('class_name'))} is not a model Keras builds from its "
                        "config (Sequential or Functional); subclassed models keep no layer graph")
    reader = _Reader(shown)
    try:
        reader.model(config, None, "")
    except SpecError:  # the reader's own message, whole
        raise
    except RecursionError:
        raise SpecError(f"model {shown}: its models nest too deeply") from None
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError) as exc:  # not from Keras
        reason = clip(" ".join(str(exc).split()), 80) or "no message"
        raise SpecError(f"model {shown}: config.json is not a Keras model config nnsvg can follow "
                        f"({type(exc).__name__}: {reason})") from None
    if not reader.items:
        raise SpecError(f"model {shown} has no layers")
    return reader


def _weights(reader: _Reader, weights: _Weights | str | None, shown: str, notes: list[str] | None) -> None:
    """Dense layers' real weights (and every layer's count where no rule gave one) from the
    weights file, when h5py is installed; read in a child process (``isolate``)."""
    if weights is None:
        return
    if isinstance(weights, str):  # why the archive's weights are not read
        _note(notes, weights)
        return
    try:
        _h5py()
    except SpecError:
        _note(notes, "the model's weights are not read without h5py (pip install 'nnsvg[keras]'): "
                     "--edge-color weight draws seeded weights")
        return
    try:
        found = isolate.run(lambda: _variables(weights, reader), _H5_ERRORS)
    except hdf5.Refused as exc:
        raise SpecError(f"model {shown}: {'' if weights.legacy else 'model.weights.h5: '}{exc}") from None
    except (hdf5.Unreadable, isolate.Crashed) as exc:
        if weights.legacy:
            raise SpecError(f"model {shown} is not a readable HDF5 file ({exc})") from None
        _note(notes, f"model.weights.h5 cannot be read ({exc}): --edge-color weight draws seeded weights")
        return
    _apply(reader, found)


def _note(notes: list[str] | None, text: str) -> None:
    if notes is not None:
        notes.append(text)


def _variables(weights: _Weights, reader: _Reader) -> dict[str, Any]:
    """Per item (by index) of a dense or custom layer, the only ones that need them: its
    variables' shapes, and a dense layer's kernel and bias (lists) while the weights read stay
    within MAX_DRAWN_WEIGHTS in all. Runs in the child process, a step per layer."""
    out: dict[str, Any] = {}
    budget = MAX_DRAWN_WEIGHTS
    looked_at = 0
    wanted = [i for i, item in enumerate(reader.items) if item["op"] == "Dense" or item["attrs"].get("generic")]
    with hdf5.opened(weights.open()) as handle:
        found = (_legacy_variables(handle, reader, wanted) if weights.legacy
                 else _keras_variables(handle, reader, wanted))
        for index, objects in found:
            isolate.progress()
            looked_at += len(objects)
            if looked_at > MAX_H5_OBJECTS:
                raise hdf5.Unreadable(f"it holds more than {MAX_H5_OBJECTS:,} variables")
            datasets = [hdf5.dataset(obj) for obj in objects]
            shapes = [list(d.shape or ()) for d in datasets]
            kernel = bias = None
            if reader.items[index]["op"] == "Dense" and len(shapes[0]) == 2 and datasets[0].dtype.kind == "f":
                if math.prod(shapes[0]) <= budget:
                    kernel = datasets[0][()].tolist()
                    budget -= math.prod(shapes[0])
                    if len(shapes) > 1 and len(shapes[1]) == 1 and datasets[1].dtype.kind == "f":
                        if shapes[1][0] <= budget:
                            bias = datasets[1][()].tolist()
                            budget -= shapes[1][0]
            out[str(index)] = [shapes, kernel, bias]
    return out


def _legacy_variables(handle: Any, reader: _Reader, wanted: list[int]) -> Iterator[tuple[int, list[Any]]]:
    """Keras 2's layout: ``model_weights/<layer>``, its variables named in ``weight_names``."""
    import h5py

    tree = hdf5.Tree(handle)
    top = "model_weights" if isinstance(tree.at("model_weights"), h5py.Group) else ""
    for index in wanted:
        path = f"{top}/{reader.items[index]['name']}"
        group = tree.at(path)
        if isinstance(group, h5py.Group):
            names = hdf5.names_attribute(group, "weight_names", MAX_VARIABLES)
            objects = [obj for obj in (tree.at(f"{path}/{n}") for n in names) if obj is not None]
            if objects:
                yield index, objects


def _keras_variables(handle: Any, reader: _Reader, wanted: list[int]) -> Iterator[tuple[int, list[Any]]]:
    """Keras 3's layout: each layer's slot (``layers/<snake_case class>[_k]/vars``, datasets
    ``0``, ``1``, …); a recent Keras also writes the layer's name on its vars group, which is
    preferred where present."""
    import h5py

    tree = hdf5.Tree(handle)
    by_name = _named_vars(tree, _vars_paths(handle))
    for index in wanted:
        item = reader.items[index]
        path = by_name.get(str(item["name"])) or item["store"]  # a link on the way is refused, not skipped
        group = tree.at(path) if path else None
        if not isinstance(group, h5py.Group):
            continue
        if len(group) > MAX_VARIABLES:
            raise hdf5.Unreadable(f"HDF5 group {quote(path)} holds more than {MAX_VARIABLES:,} variables")
        keys = sorted(group.keys(), key=lambda s: int(s) if s.isdigit() else 0)
        objects = [obj for obj in (hdf5.member(group, key) for key in keys) if obj is not None]
        if objects:
            yield index, objects


def _vars_paths(handle: Any) -> set[str]:
    """The paths of the file's vars groups, found by visiting what hard links reach (each once)."""
    paths: list[str] = []

    def visit(name: str) -> bool | None:
        paths.append(name)
        isolate.progress()
        return True if len(paths) > MAX_H5_OBJECTS else None  # True stops the visit

    handle.visit(visit)
    if len(paths) > MAX_H5_OBJECTS:
        raise hdf5.Unreadable(f"it holds more than {MAX_H5_OBJECTS:,} HDF5 objects")
    return {path for path in paths if path == "vars" or path.endswith("/vars")}


def _named_vars(tree: hdf5.Tree, paths: set[str]) -> dict[str, str]:
    """The path of each vars group that has a layer's name, by that name."""
    import h5py

    by_name: dict[str, str] = {}
    for path in sorted(paths):
        isolate.progress()
        group = tree.at(path)
        if isinstance(group, h5py.Group):
            try:
                label = hdf5.text_attribute(group, "name", MAX_STORED_NAME)
            except hdf5.Unreadable:  # not a text: not a name Keras wrote
                label = None
            if label is not None:
                by_name.setdefault(label, path)
    return by_name


def _apply(reader: _Reader, found: dict[str, Any]) -> None:
    """What ``_variables`` read (JSON from the child process), onto the items."""
    try:
        for key, (shapes, kernel, bias) in found.items():
            item = reader.items[int(key)]
            if item["attrs"].get("generic"):
                item["params"] = sum(math.prod(int(d) for d in shape) for shape in shapes)
            if kernel is not None:
                item["attrs"]["weight"] = tuple(tuple(float(v) for v in row) for row in kernel)
            if bias is not None:
                item["attrs"]["bias"] = tuple(float(v) for v in bias)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError) as exc:  # not what the child sends
        raise SpecError(f"model {reader.shown}: its weights cannot be read ({type(exc).__name__})") from None


def _figure_shape(shape: Shape | None, first: bool) -> tuple[int | str, ...] | None:
    """Keras's shape as the contract has it: channels first for images; an unknown dim is '?'."""
    if shape is None:
        return None
    dims: tuple[int | str, ...] = tuple(d if isinstance(d, int) else "?" for d in shape)
    if len(dims) >= 3 and not first:
        dims = (dims[-1], *dims[:-1])
    return dims


def _graph(reader: _Reader) -> Graph:
    """Nodes in the config's order (topological: Keras writes layers after their inputs)."""
    nodes: list[Node] = []
    connections: list[Connection] = []
    for i, item in enumerate(reader.items):
        attrs = {k: v for k, v in item["attrs"].items() if v is not None}
        nodes.append(Node(i, item["name"], item["op"], _figure_shape(item["shape"], item["first"]),
                          item["params"] or None, None, MappingProxyType(attrs)))
        connections.extend(connections_into(i, item["op"], item["inputs"]))
    groups = tuple(Group(a, b, label) for a, b, label in sorted(reader.groups, key=lambda g: (g[0], -g[1])))
    graph = Graph(tuple(nodes), tuple(connections), groups)
    graph.topological_order()
    return graph
