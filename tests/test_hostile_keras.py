"""Hostile Keras files (issue 24): HDF5 that points outside itself, damaged HDF5 that crashes or
hangs h5py, zip and JSON bombs, models of too many layers, messages cut short, and names that
carry terminal escapes. Each class is tested on generated variants (defects of several kinds,
at several places): every one is a figure or one error line (exit 2), writes nothing when
refused, reads nothing outside the file it is given, and costs little time and memory."""

from __future__ import annotations

import ctypes
import functools
import hashlib
import io
import json
import math
import os
import random
import signal
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg.errors import SpecError
from nnsvg.importers import isolate
from nnsvg.importers import keras as reader
from nnsvg.text import quote

from .test_import_keras import called, functional, input_layer, layer, sequential, tensor

h5py = pytest.importorskip("h5py")
np = pytest.importorskip("numpy")

Cli = Callable[..., tuple[int, str, str]]
Edit = Callable[[Any], None]
SECRET = 31337.25  # the value every file outside the model holds: it must appear nowhere


# --- the models: a .keras archive (weights in model.weights.h5) and a legacy .h5 file ------------

KERAS_SLOTS = {"a": "layers/dense", "b": "layers/sequential/layers/dense", "m": "layers/my_layer",
               "c": "layers/dense_1"}
KERAS_KERNELS = {"a": (8, 16), "b": (16, 12), "m": (12, 12), "c": (12, 4)}
LEGACY_KERNELS = {"a": (8, 16), "m": (16, 16), "c": (16, 4)}


def kernel(shape: tuple[int, int]) -> Any:
    return (np.arange(math.prod(shape), dtype=np.float32) / 64).reshape(shape)


def keras_config() -> dict[str, Any]:
    """x → dense a → nested Sequential (dense b) → a custom layer m → dense c."""
    inner = sequential("inner", [input_layer("input_layer", [16]), layer("Dense", "b", [16], units=12)], [16])
    layers = [
        {**input_layer("x", [8]), "name": "x", "inbound_nodes": []},
        called(layer("Dense", "a", [8], units=16, activation="relu"), tensor("x", [8])),
        called(inner, tensor("a", [16])),
        called({**layer("MyLayer", "m", [12]), "module": "my.layers"}, tensor("inner", [12], node=1)),
        called(layer("Dense", "c", [12], units=4, activation="softmax"), tensor("m", [12])),
    ]
    return functional("outer", layers, ["x"], ["c"])


def keras_weights(edit: Edit | None = None) -> bytes:
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        for name, slot in KERAS_SLOTS.items():
            group = f.create_group(f"{slot}/vars")
            group.attrs["name"] = name
            group.create_dataset("0", data=kernel(KERAS_KERNELS[name]))
            if name != "m":
                group.create_dataset("1", data=np.ones(KERAS_KERNELS[name][1], np.float32))
        if edit is not None:
            edit(f)
    return buffer.getvalue()


def keras_model(path: Path, edit: Edit | None = None, config: Any = None, weights: bytes | None = None) -> Path:
    """A .keras archive as Keras writes it (config.json, metadata.json, model.weights.h5 stored);
    ``weights``: other weights (empty: none)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.10.0"}))
        text = config if isinstance(config, str) else json.dumps(config or keras_config())
        zf.writestr("config.json", text, zipfile.ZIP_DEFLATED)
        if weights != b"":
            zf.writestr("model.weights.h5", keras_weights(edit) if weights is None else weights)
    return path


def legacy_config() -> dict[str, Any]:
    return {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 8], "name": "x"}},
        {"class_name": "Dense", "config": {"name": "a", "units": 16, "activation": "relu"}},
        {"class_name": "MyLayer", "config": {"name": "m"}},
        {"class_name": "Dense", "config": {"name": "c", "units": 4}, "build_config": {"input_shape": [None, 16]}}]}}


def legacy_model(path: Path, edit: Edit | None = None, config: str | None = None) -> Path:
    """Keras 2's model.save('m.h5'): the config in an attribute, weights under model_weights/<layer>."""
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = config if config is not None else json.dumps(legacy_config())
        for name, shape in LEGACY_KERNELS.items():
            group = f.create_group(f"model_weights/{name}")
            group.attrs["weight_names"] = [f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()]
            group.create_dataset(f"{name}/kernel:0", data=kernel(shape))
            group.create_dataset(f"{name}/bias:0", data=np.ones(shape[1], np.float32))
        if edit is not None:
            edit(f)
    return path


# --- class 2: HDF5 that points outside the file ---------------------------------------------------

def outside(tmp_path: Path) -> tuple[Path, Path]:
    """A raw file of SECRET floats (for external storage) and an HDF5 file of them (for links and
    virtual datasets), as another user's files on the machine."""
    raw, other = tmp_path / "secret.bin", tmp_path / "other.h5"
    if not raw.exists():
        np.full(4096, SECRET, np.float32).tofile(raw)
        with h5py.File(other, "w") as f:
            f.create_dataset("x", data=np.full(4096, SECRET, np.float32))
    return raw, other


def defect(kind: str, target: str, tmp_path: Path) -> Edit:
    """An edit that puts a defect of ``kind`` at ``target`` (a dataset or a group)."""
    raw, other = outside(tmp_path)

    def edit(f: Any) -> None:
        if kind in ("external-storage", "fifo", "virtual"):
            shape, dtype = f[target].shape, f[target].dtype
            del f[target]
            if kind == "virtual":  # each row mapped from the other file's data
                layout = h5py.VirtualLayout(shape=shape, dtype=dtype)
                source = h5py.VirtualSource(str(other), "x", shape=(4096,))
                width = shape[-1]
                for row in range(math.prod(shape[:-1])):
                    layout[(row, slice(None)) if len(shape) == 2 else slice(None)] = \
                        source[row * width:(row + 1) * width]
                f.create_virtual_dataset(target, layout)
            else:
                source = raw if kind == "external-storage" else tmp_path / "fifo"
                f.create_dataset(target, shape=shape, dtype=dtype, external=[(str(source), 0, 4 * math.prod(shape))])
            return
        del f[target]
        links = {"external-link": lambda: h5py.ExternalLink(str(other), "/x"), "soft-link": lambda: h5py.SoftLink("/"),
                 "soft-loop": lambda: h5py.SoftLink("/" + target)}
        f[target] = links[kind]()

    return edit


WORDS = {"external-storage": "keeps its data in another file (external storage); nnsvg reads only the file it is given",
         "fifo": "keeps its data in another file (external storage)",
         "virtual": "is a virtual dataset (its data is in other files)",
         "external-link": "is an external link (to an object in another file); nnsvg follows only the hard links",
         "soft-link": "is a soft link (to another path, which may loop)",
         "soft-loop": "is a soft link (to another path, which may loop)"}
DATASET_KINDS = ["external-storage", "virtual", "external-link", "soft-link", "soft-loop"]
LINK_KINDS = ["external-link", "soft-link", "soft-loop"]
# (container, where): a dense kernel (its data is read), a nested model's or the last layer's
# bias, a custom layer's kernel (only its shape is read); links also at a layer's group, an
# intermediate group and the top group
DATASETS = [("keras", "layers/dense/vars/0"), ("keras", "layers/sequential/layers/dense/vars/1"),
            ("keras", "layers/my_layer/vars/0"), ("legacy", "model_weights/a/a/kernel:0"),
            ("legacy", "model_weights/c/c/bias:0"), ("legacy", "model_weights/m/m/kernel:0")]
GROUPS = [("keras", "layers/dense_1/vars"), ("keras", "layers/sequential/layers"), ("keras", "layers"),
          ("legacy", "model_weights/a/a"), ("legacy", "model_weights/c"), ("legacy", "model_weights")]
CASES = ([(c, w, k) for c, w in DATASETS for k in DATASET_KINDS] + [(c, w, k) for c, w in GROUPS for k in LINK_KINDS])


def build(container: str, tmp_path: Path, edit: Edit | None) -> Path:
    if container == "keras":
        return keras_model(tmp_path / "m.keras", edit)
    return legacy_model(tmp_path / "m.h5", edit)


def import_args(path: Path, tmp_path: Path) -> list[Any]:
    """Drawn with the weights (FCNN, weight colors) and the spec saved: where read data would show."""
    return ["import", path, "--style", "fcnn", "--edge-color", "weight", "--save-spec", tmp_path / "s.yaml",
            "-o", tmp_path / "out.svg"]


@pytest.mark.parametrize(("container", "where", "kind"), CASES, ids=[f"{c}-{k}-{w}" for c, w, k in CASES])
def test_hdf5_pointing_outside_the_file_is_refused(cli: Cli, tmp_path: Path, container: str, where: str,
                                                   kind: str) -> None:
    path = build(container, tmp_path, defect(kind, where, tmp_path))
    code, out, err = cli(*import_args(path, tmp_path))
    assert code == 2, err
    assert err.startswith("error: model ") and err.count("\n") == 1, err
    prefix = "" if container == "legacy" else "model.weights.h5: "
    assert f": {prefix}HDF5 " in err and f"'/{where}' {WORDS[kind]}" in err, err
    assert "31337" not in err + out
    assert not (tmp_path / "out.svg").exists() and not (tmp_path / "s.yaml").exists()


@pytest.mark.parametrize("container", ["keras", "legacy"])
def test_the_same_models_without_a_defect_draw_their_weights(cli: Cli, tmp_path: Path, container: str) -> None:
    """The control: the datasets the defects replace are read (their values reach the spec)."""
    code, _, err = cli(*import_args(build(container, tmp_path, None), tmp_path))
    assert code == 0, err
    spec = (tmp_path / "s.yaml").read_text()
    assert "0.03125" in spec and "0.0625" in spec  # kernel values 2/64, 4/64: the weights were read
    assert "MyLayer" in err  # the custom layer's shape was read too


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize(("container", "where"), [d for d in DATASETS if "my_layer" not in d[1] and "/m/" not in d[1]])
def test_external_storage_on_a_fifo_does_not_hang(tmp_path: Path, container: str, where: str) -> None:
    """Reading a FIFO blocks until someone writes to it: before the fix, forever."""
    os.mkfifo(tmp_path / "fifo")
    path = build(container, tmp_path, defect("fifo", where, tmp_path))
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "nnsvg", *map(str, import_args(path, tmp_path))],
                          capture_output=True, text=True, timeout=60)
    assert time.monotonic() - start < 30
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert WORDS["fifo"] in done.stderr


# --- class 9: damaged HDF5 crashes or hangs h5py --------------------------------------------------

def test_isolate_returns_data_and_the_tasks_own_errors() -> None:
    assert isolate.run(lambda: {"a": (1, 2.5, None), "b": "\udc80x"}) == {"a": [1, 2.5, None], "b": "\udc80x"}

    class Mine(SpecError):
        pass

    def mine() -> None:
        raise Mine("a message of the task's own")

    with pytest.raises(Mine, match=r"^a message of the task's own$"):
        isolate.run(mine, (Mine,))
    with pytest.raises(isolate.Crashed, match=r"^reading it failed \(KeyError: 'x'\)$"):
        isolate.run(lambda: {}["x"])


def crash() -> None:
    ctypes.string_at(0)  # reads address 0: SIGSEGV, as h5py on a damaged heap


def spin() -> None:
    while True:
        pass


@pytest.mark.skipif(not hasattr(os, "fork"), reason="without fork the task runs in this process")
@pytest.mark.parametrize(("task", "words"), [
    (crash, r"crashed \(SIGSEGV\)"),
    (os.abort, r"crashed \(SIGABRT\)"),
    (spin, r"hung \(no progress in 0\.5 s\)"),
    (lambda: os.kill(os.getpid(), signal.SIGKILL), r"crashed \(SIGKILL\)"),
    (lambda: os._exit(3), "ended with exit status 3"),
    (lambda: "x" * (2 * isolate.OUTPUT), "gave more than 1 MB"),
])
def test_isolate_turns_crashes_and_hangs_into_one_error(monkeypatch: pytest.MonkeyPatch,
                                                       capfd: pytest.CaptureFixture[str],
                                                       task: Callable[[], Any], words: str) -> None:
    monkeypatch.setattr(isolate, "SECONDS", 0.5)
    monkeypatch.setattr(isolate, "OUTPUT", 2**20)
    start = time.monotonic()
    with pytest.raises(isolate.Crashed, match=f"^reading it {words}$"):
        isolate.run(task)
    assert time.monotonic() - start < 5
    assert capfd.readouterr() == ("", "")  # the child's crash printed nothing (no faulthandler report)


def steps(count: int, beat: bool) -> int:
    for _ in range(count):
        time.sleep(0.25)
        if beat:
            isolate.progress()
    return count


@pytest.mark.skipif(not hasattr(os, "fork"), reason="without fork the task runs in this process")
def test_isolate_limits_a_step_not_a_long_task(monkeypatch: pytest.MonkeyPatch) -> None:
    """A big model's weights take long as a whole, a step at a time: only a stuck step is stopped."""
    monkeypatch.setattr(isolate, "SECONDS", 1.0)
    assert isolate.run(lambda: steps(10, beat=True)) == 10
    with pytest.raises(isolate.Crashed, match=r"hung \(no progress in 1 s\)"):
        isolate.run(lambda: steps(10, beat=False))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is kept on Linux")
def test_isolate_bounds_the_childs_memory() -> None:
    with pytest.raises(isolate.Crashed, match=r"^reading it needed more than 512 MB$"):
        isolate.run(lambda: len(bytearray(2 * isolate.MEMORY)))


def surveyed_legacy(path: Path) -> bytes:
    """The Keras 2 file the bit-flip survey was made on (model_config and weight_names as
    variable-length texts, a custom layer, optimizer weights)."""
    rng = np.random.default_rng(0)
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 8, 8, 1], "name": "in"}},
        {"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 4, "kernel_size": [3, 3],
                                            "activation": "relu"}},
        {"class_name": "Flatten", "config": {"name": "flatten"}},
        {"class_name": "Dense", "config": {"name": "dense", "units": 16, "activation": "relu"}},
        {"class_name": "MyLayer", "config": {"name": "mine"}},
        {"class_name": "Dense", "config": {"name": "dense_1", "units": 10, "activation": "softmax"}}]}}
    shapes = {"conv2d": [(3, 3, 1, 4), (4,)], "dense": [(144, 16), (16,)], "mine": [(16, 16)],
              "dense_1": [(16, 10), (10,)]}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.13.1"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(config).encode()
        f.attrs["training_config"] = json.dumps({"loss": "categorical_crossentropy"}).encode()
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = [n.encode() for n in ["conv2d", "flatten", "dense", "mine", "dense_1"]]
        weights.attrs["backend"] = b"tensorflow"
        for name in ["conv2d", "flatten", "dense", "mine", "dense_1"]:
            group = weights.create_group(name)
            names = [f"{name}/{v}:0" for v in ("kernel", "bias")][: len(shapes.get(name, []))]
            group.attrs["weight_names"] = [n.encode() for n in names]
            for n, s in zip(names, shapes.get(name, [])):
                group.create_dataset(n, data=rng.standard_normal(s).astype(np.float32))
        f.create_group("optimizer_weights").create_dataset("Adam/iter:0", data=np.int64(5))
    return path.read_bytes()


# single bit flips of the surveyed file that, before, made h5py segfault (exit 139) and loop
# forever, both in reading the model_config attribute (a variable-length text on the global heap);
# the file as h5py 3.16 with HDF5 2.0 writes it (another version may lay it out otherwise)
KNOWN_FLIPS = {"segfault": [(1009, 8)], "endless-loop": [(3001, 2)]}
SURVEYED_SHA256 = "a2d36c90e08b808b5c59ac532cd4bf9ff5fd91a509f31c91fc64759db9cff089"

DRIVER = r"""
import contextlib, io, json, sys, time
from nnsvg.cli import main
*paths, log = sys.argv[1:]
with open(log, "w") as results:
    for path in paths:
        results.write(json.dumps({"start": path}) + "\n")
        results.flush()
        err = io.StringIO()
        start = time.monotonic()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["import", path, "-o", path + ".svg"])
        results.write(json.dumps({"path": path, "code": code, "err": err.getvalue(),
                                  "seconds": time.monotonic() - start}) + "\n")
        results.flush()
"""


def variants(data: bytes, span: tuple[int, int], count: int, seed: int, cut: bool) -> list[bytes]:
    """``count`` seeded variants of ``data``: 1 to 8 bits flipped in ``span``, or (``cut``) cut short."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        if cut and rng.random() < 0.15:
            out.append(data[: rng.randrange(len(data))])
            continue
        flipped = bytearray(data)
        for _ in range(rng.choice([1, 1, 2, 4, 8])):
            flipped[rng.randrange(*span)] ^= 1 << rng.randrange(8)
        out.append(bytes(flipped))
    return out


def test_damaged_hdf5_is_a_figure_or_one_error_line(tmp_path: Path) -> None:
    """Seeded bit flips and cuts of a real Keras 2 .h5 file and of a .keras archive's weights
    (flipped inside model.weights.h5, which Keras stores uncompressed), run in one process: none
    may crash it (139), hang, or end in a traceback or an internal error."""
    legacy = surveyed_legacy(tmp_path / "legacy.h5")
    files: list[Path] = []
    for name, flips in KNOWN_FLIPS.items():
        flipped = bytearray(legacy)
        for offset, mask in flips:
            flipped[offset] ^= mask
        files.append(tmp_path / f"{name}.h5")
        files[-1].write_bytes(flipped)
    for k, data in enumerate(variants(legacy, (0, len(legacy)), 45, 24, cut=True)):
        files.append(tmp_path / f"legacy{k}.h5")
        files[-1].write_bytes(data)
    good = keras_model(tmp_path / "good.keras").read_bytes()
    weights = keras_weights()
    start = good.index(weights)
    for k, data in enumerate(variants(good, (start, start + len(weights)), 45, 42, cut=False)):
        files.append(tmp_path / f"keras{k}.keras")
        files[-1].write_bytes(data)
    log = tmp_path / "log.jsonl"
    done = subprocess.run([sys.executable, "-c", DRIVER, *map(str, files), str(log)], capture_output=True,
                          text=True, timeout=900)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    last = records[-1].get("start") if records and "start" in records[-1] else None
    assert done.returncode == 0, (done.returncode, last, done.stderr[-2000:])
    results = [r for r in records if "code" in r]
    assert len(results) == len(files)
    for r in results:
        lines = r["err"].splitlines()
        if r["code"] == 2:
            assert len(lines) == 1 and lines[0].startswith("error: model "), r
        else:
            assert r["code"] == 0 and all(line.startswith("note: ") for line in lines), r
        assert r["seconds"] < isolate.SECONDS + 15, r
    if hashlib.sha256(legacy).hexdigest() == SURVEYED_SHA256:  # the flips hit what they hit in the survey
        by_name = {Path(r["path"]).stem: r for r in results}
        assert by_name["segfault"]["code"] == 2, by_name["segfault"]
        assert f"(reading it hung (no progress in {isolate.SECONDS:g} s))" in by_name["endless-loop"]["err"]


# --- class 14: bombs -------------------------------------------------------------------------------

def measured(call: Callable[[], Any]) -> tuple[Any, float, int]:
    """``call()``'s result, its CPU time in this process and the peak of memory it allocated."""
    tracemalloc.start()
    start = time.process_time()
    try:
        result = call()
        return result, time.process_time() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bomb_config(kind: str) -> str:
    """A config just under the 16 MB size cap, of what costs most memory once parsed."""
    n = 5_000_000
    body = {"objects": "{}," * n, "lists": "[]," * n, "dicts": '{"a":1},' * (n // 3), "values": "1.5," * (n * 7 // 10),
            "deep-lists": "[" * n + "]" * n, "deep-objects": '{"a":' * (n // 3) + "1" + "}" * (n // 3)}[kind]
    return '{"class_name": "Sequential", "config": {"name": "s", "layers": [' + body.rstrip(",") + "]}}"


BOMBS = [("objects", "more than 200,000 objects and lists"), ("lists", "more than 200,000 objects and lists"),
         ("dicts", "more than 200,000 objects and lists"), ("values", "1,000,000 values"),
         ("deep-lists", "more than 200,000 objects and lists"),
         ("deep-objects", "more than 200,000 objects and lists")]


@pytest.mark.parametrize(("kind", "words"), BOMBS, ids=[b[0] for b in BOMBS])
@pytest.mark.parametrize("container", ["keras", "legacy"])
def test_config_bombs_are_refused_before_they_are_built(cli: Cli, tmp_path: Path, container: str, kind: str,
                                                        words: str) -> None:
    """Before: a 59 KB archive of empty objects became 1.6 GB of dicts."""
    text = bomb_config(kind)
    if container == "keras":
        path = keras_model(tmp_path / "m.keras", config=text)
        assert path.stat().st_size < 200_000  # deflated: a small file
    else:
        path = legacy_model(tmp_path / "m.h5", config=text)
    (code, _, err), cpu, peak = measured(lambda: cli("import", path, "-o", tmp_path / "out.svg"))
    assert code == 2 and err.count("\n") == 1 and words in err, err
    assert "than a model of 5,000 layers has" in err
    assert cpu < 2 and peak < 100 * 2**20, (cpu, peak)
    assert not (tmp_path / "out.svg").exists()


def test_a_config_that_nests_too_deeply_is_one_line(cli: Cli, tmp_path: Path) -> None:
    text = '{"class_name": "Sequential", "config": {"name": "s", "layers": ' + "[" * 50_000 + "]" * 50_000 + "}}"
    code, _, err = cli("import", keras_model(tmp_path / "m.keras", config=text), "-o", tmp_path / "out.svg")
    assert code == 2 and err.count("\n") == 1 and "config.json nests too deeply" in err, err


@functools.cache
def deflate_bomb(size: int) -> bytes:
    """``size`` zero bytes, deflated (about a thousandth of it)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(2**20)
    return b"".join([*(packer.compress(chunk) for _ in range(size // len(chunk))), packer.flush()])


def bomb_archive(path: Path, member: str, size: int, declared: int | None = None) -> Path:
    """A .keras archive whose ``member`` inflates to ``size`` zero bytes and declares ``declared``
    (by default, the truth): written stored, then its headers made to say deflated."""
    packed = deflate_bomb(size)
    members = {"config.json": json.dumps(keras_config()).encode(), "model.weights.h5": keras_weights()}
    members[member] = packed
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data, zipfile.ZIP_STORED if name == member else zipfile.ZIP_DEFLATED)
        offset = zf.getinfo(member).header_offset
    data = bytearray(path.read_bytes())
    crc = _zeros_crc(size)
    file_size = size if declared is None else declared
    struct.pack_into("<H", data, offset + 8, zipfile.ZIP_DEFLATED)  # the local header: method, CRC, size
    struct.pack_into("<L", data, offset + 14, crc)
    struct.pack_into("<L", data, offset + 22, file_size)
    central = data.index(b"PK\x01\x02")
    while struct.unpack_from("<L", data, central + 42)[0] != offset:  # the central directory's entry
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<H", data, central + 10, zipfile.ZIP_DEFLATED)
    struct.pack_into("<L", data, central + 16, crc)
    struct.pack_into("<L", data, central + 24, file_size)
    path.write_bytes(data)
    return path


@functools.cache
def _zeros_crc(size: int) -> int:
    crc, chunk = 0, bytes(2**20)
    for _ in range(size // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    return crc


@pytest.mark.parametrize(("member", "declared", "code", "words"), [
    ("model.weights.h5", None, 0, "model.weights.h5 is compressed and larger than 32 MB inflated, so it is not read"),
    ("model.weights.h5", 1000, 0, "model.weights.h5 cannot be read from the archive (damaged"),
    ("config.json", None, 2, "config.json is larger than 16 MB"),
    ("config.json", 1000, 2, "config.json cannot be read from the archive (damaged"),
], ids=["weights", "weights-lying", "config", "config-lying"])
def test_zip_bombs_are_inflated_only_up_to_their_cap(cli: Cli, tmp_path: Path, member: str, declared: int | None,
                                                     code: int, words: str) -> None:
    """Before: a 1.5 MB archive whose weights file was inflated whole took 3 GB."""
    path = bomb_archive(tmp_path / "bomb.keras", member, 2**27, declared)  # 128 MB, four times the cap
    assert path.stat().st_size < 200_000
    (got, _, err), cpu, peak = measured(lambda: cli("import", path, "-o", tmp_path / "out.svg"))
    assert got == code and words in err, err
    assert err.count("\n") == (1 if code else len(err.splitlines()))
    assert cpu < 5 and peak < 100 * 2**20, (cpu, peak)


def archive_of(path: Path, members: int, name_length: int) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("config.json", json.dumps(keras_config()))
        for k in range(members):
            zf.writestr(f"assets/{k:0{name_length}d}", b"")
    return path


@pytest.mark.parametrize(("members", "name_length", "words"), [
    (1500, 8, "it has more than 1,000 members"),
    (20_000, 40, "its zip directory is larger than 1 MB"),
    (60_000, 8, "its zip directory is larger than 1 MB"),
])
def test_archives_that_list_too_much_are_refused(cli: Cli, tmp_path: Path, members: int, name_length: int,
                                                 words: str) -> None:
    path = archive_of(tmp_path / "many.keras", members, name_length)
    (code, _, err), cpu, _ = measured(lambda: cli("import", path, "-o", tmp_path / "out.svg"))
    assert code == 2 and err.count("\n") == 1 and f"is not a Keras archive ({words}" in err, err
    assert cpu < 1


def test_a_forged_directory_size_is_refused(cli: Cli, tmp_path: Path) -> None:
    data = bytearray(keras_model(tmp_path / "m.keras").read_bytes())
    end = data.rindex(b"PK\x05\x06")
    struct.pack_into("<L", data, end + 12, 2**31)  # the central directory's size
    (tmp_path / "m.keras").write_bytes(data)
    code, _, err = cli("import", tmp_path / "m.keras", "-o", tmp_path / "out.svg")
    assert code == 2 and "its zip directory is larger than 1 MB" in err, err


@pytest.mark.parametrize("size", [400 * 2**20, 3 * 2**30], ids=["400MB", "3GB"])
@pytest.mark.parametrize("container", ["keras", "legacy"])
def test_big_model_files_are_read_in_parts(cli: Cli, tmp_path: Path, container: str, size: int) -> None:
    """A big model file (a hole before the archive, or after the HDF5 data, so the test writes
    little) is read where it is needed: not whole into memory (before: 400 MB read, 3 GB refused)."""
    path = tmp_path / f"big.{'keras' if container == 'keras' else 'h5'}"
    if container == "keras":
        small = keras_model(tmp_path / "small.keras").read_bytes()
        with open(path, "wb") as f:
            f.truncate(size)
            f.seek(0, os.SEEK_END)
            f.write(small)  # zip readers find an archive from its end: data before it is allowed
    else:
        legacy_model(path)
        with open(path, "r+b") as f:
            f.truncate(size)
    (code, _, err), cpu, peak = measured(lambda: cli(*import_args(path, tmp_path)))
    assert code == 0, err
    assert "0.0625" in (tmp_path / "s.yaml").read_text()  # the weights were read
    assert cpu < 2 and peak < 50 * 2**20, (cpu, peak)


# --- class 15: too many layers ---------------------------------------------------------------------

def dense_layers(n: int, prefix: str = "d", same: bool = False) -> list[dict[str, Any]]:
    return [{"class_name": "Dense", "config": {"name": prefix if same else f"{prefix}{k}", "units": 8 + k % 7}}
            for k in range(n)]


def chain(n: int) -> dict[str, Any]:
    return {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 8], "name": "x"}}, *dense_layers(n)]}}


def functional_chain(n: int) -> dict[str, Any]:
    layers = [{"class_name": "InputLayer", "name": "x", "config": {"batch_shape": [None, 8], "name": "x"},
               "inbound_nodes": []}]
    for entry in dense_layers(n):
        source = layers[-1]["name"]
        layers.append({**entry, "name": entry["config"]["name"], "inbound_nodes": [[[source, 0, 0, {}]]]})
    return {"class_name": "Functional", "config": {"name": "f", "layers": layers, "input_layers": [["x", 0, 0]],
                                                   "output_layers": [[layers[-1]["name"], 0, 0]]}}


def nested(parts: int, each: int) -> dict[str, Any]:
    """Sequential models of ``each`` layers nested in one: each within the cap, together over it."""
    inner = [{"class_name": "Sequential", "config": {"name": f"part{p}", "layers": dense_layers(each, f"p{p}_")}}
             for p in range(parts)]
    return {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 8], "name": "x"}}, *inner]}}


@pytest.mark.parametrize(("config", "words"), [
    (chain(5001), "has more than 5,000 layers, more than nnsvg draws"),
    (chain(60_000), "has more than 5,000 layers"),
    (functional_chain(5001), "has more than 5,000 layers"),
    (nested(3, 2000), "has more than 5,000 layers"),
    (nested(60, 100), "has more than 5,000 layers"),
    (chain(100_000), "more than 200,000 objects and lists or 1,000,000 values, more than a model of 5,000 layers has"),
], ids=["5001", "60000", "functional", "3-nested", "60-nested", "100000"])
def test_models_of_too_many_layers_are_refused_early(cli: Cli, tmp_path: Path, config: dict[str, Any],
                                                     words: str) -> None:
    """Before: 100,000 layers took 5 s (16 s here) to be folded, only to be refused by the spec."""
    path = keras_model(tmp_path / "m.keras", config=config)
    (code, _, err), cpu, peak = measured(lambda: cli("import", path, "-o", tmp_path / "out.svg"))
    assert code == 2 and err.count("\n") == 1 and words in err, err
    assert cpu < 1.5 and peak < 100 * 2**20, (cpu, peak)


def test_a_model_at_the_cap_is_read_in_linear_time(tmp_path: Path) -> None:
    """5,000 layers all named alike: each name made unique from the suffix last tried, not by
    trying _1, _2, … anew (5,000² steps before)."""
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [None, 8], "name": "d"}},
        *dense_layers(reader.MAX_LAYERS - 1, same=True)]}}
    path = keras_model(tmp_path / "m.keras", config=config, weights=b"")
    graph, cpu, _ = measured(lambda: reader.read(path))
    assert len(graph.nodes) == reader.MAX_LAYERS and graph.nodes[-1].name == f"d_{reader.MAX_LAYERS - 1}"
    assert len({n.name for n in graph.nodes}) == reader.MAX_LAYERS
    assert cpu < 1.5, cpu


@pytest.mark.skipif(not hasattr(os, "fork"), reason="without fork the weights are read in this process")
def test_a_big_models_weights_are_read_a_layer_at_a_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """1,000 dense layers' weights: however long reading takes as a whole, each layer is a step of
    the child process's, so a slow machine does not make a real model time out."""
    count = 1000
    monkeypatch.setattr(isolate, "SECONDS", 1.0)

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:  # each dense layer's slot, as Keras numbers them
        for k in range(count):
            group = f.create_group(f"layers/dense{f'_{k}' if k else ''}/vars")
            group.create_dataset("0", data=np.full((8 + (k - 1) % 7 if k else 8, 8 + k % 7), k / 64, np.float32))
    path = keras_model(tmp_path / "m.keras", config=chain(count), weights=buffer.getvalue())
    graph = reader.read(path)
    assert len(graph.nodes) == count + 1
    drawn = [n.attrs["weight"][0][0] for n in graph.nodes[1:] if "weight" in n.attrs]
    assert drawn == [k / 64 for k in range(len(drawn))]  # in order, until 100,000 weights are read
    assert len(drawn) > 700 and sum(len(n.attrs["weight"]) * len(n.attrs["weight"][0]) for n in graph.nodes[1:]
                                     if "weight" in n.attrs) <= reader.MAX_DRAWN_WEIGHTS


# --- class 18: the reader's messages are whole ------------------------------------------------------

def functional_with(layers: list[dict[str, Any]]) -> dict[str, Any]:
    return functional("f", [{**input_layer("x", [8]), "name": "x", "inbound_nodes": []}, *layers], ["x"], ["x"])


LONG = "a_layer_with_a_rather_long_name_as_generated_code_writes_them_" * 2
MESSAGES = [
    ("unknown-source", functional_with([called(layer("Dense", "d", [8], units=4), tensor(LONG, [8]))]),
     f"is not a Keras model config Keras could load (layer 'd' is called on {quote(LONG)}, which is not computed "
     "before it)"),
    ("not-a-mapping", functional_with([called({"class_name": "Sequential", "config": {"name": "q", "layers": [3]}},
                                              tensor("x", [8]))]),
     "is not a Keras model config Keras could load (a layer that is not a mapping)"),
    ("no-config", functional_with([{"class_name": "Dense", "name": "d", "config": 7,
                                    "inbound_nodes": [[["x", 0, 0, {}]]]}]),
     "is not a Keras model config Keras could load (layer of class 'Dense' without a config)"),
    ("type-error", functional_with([{**layer("Dense", "d", [8], units=4), "name": "d", "inbound_nodes": 5}]),
     "config.json is not a Keras model config nnsvg can follow (TypeError: 'int' object is not iterable)"),
    ("nested-no-config", {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "Sequential", "config": {"name": "n", "layers": [{"class_name": "Dense"}]}}]}},
     "is not a Keras model config Keras could load (layer of class 'Dense' without a config)"),
]


@pytest.mark.parametrize(("config", "words"), [m[1:] for m in MESSAGES], ids=[m[0] for m in MESSAGES])
def test_the_readers_messages_are_whole(cli: Cli, tmp_path: Path, config: dict[str, Any], words: str) -> None:
    """Before: a message of the reader's own was wrapped in another and cut at 80 characters."""
    path = keras_model(tmp_path / "m.keras", config=config)
    code, _, err = cli("import", path, "-o", tmp_path / "out.svg")
    assert code == 2 and err.count("\n") == 1, err
    assert err.rstrip("\n").endswith(words), err
    assert "(SpecError" not in err and len(err) < 400


# --- class 3: names from the file with terminal escapes ---------------------------------------------

ESCAPES = ["\x1b[31mred\x1b[0m", "a\rb", "a\nb", "bell\x07", "\u202eevil", "\udc80lone"]


def named(text: str) -> dict[str, Any]:
    """The Keras model with ``text`` in a class name, a layer name, a nested model's name and an
    activation's name."""
    inner = sequential("inner" + text, [input_layer("input_layer", [16]),
                                        layer("Dense", "b" + text, [16], units=12, activation="act" + text)], [16])
    layers = [
        {**input_layer("x", [8]), "name": "x", "inbound_nodes": []},
        called(layer("Dense", "a" + text, [8], units=16, activation="relu"), tensor("x", [8])),
        called(inner, tensor("a" + text, [16])),
        called({**layer("My" + text, "m", [12]), "module": "my.layers"}, tensor("inner" + text, [12], node=1)),
        called(layer("Dense", "c", [12], units=4, activation="softmax"), tensor("m", [12])),
    ]
    return functional("outer" + text, layers, ["x"], ["c"])


@pytest.mark.parametrize("style", ["auto", "lenet", "blocks", "fcnn"])
@pytest.mark.parametrize("text", ESCAPES, ids=["ansi", "cr", "lf", "bell", "rtl", "surrogate"])
def test_names_with_control_characters_are_shown_escaped(cli: Cli, tmp_path: Path, text: str, style: str) -> None:
    """Before: a class name's ANSI escape reached the terminal raw in a note, and a name with a
    control character made the figure fail (an SVG file cannot hold it)."""
    path = keras_model(tmp_path / "m.keras", config=named(text))
    code, _, err = cli("import", path, "--style", style, "--save-spec", tmp_path / "s.yaml", "-o", tmp_path / "o.svg")
    assert code == 0, err
    shown = repr(text)[1:-1]
    assert all(line.startswith("note: ") and line.isprintable() for line in err.splitlines()), err
    assert f"My{shown}" in err  # the custom class, named in the note
    svg = (tmp_path / "o.svg").read_text("utf-8")
    assert all(c.isprintable() or c in "\n" for c in svg), [c for c in svg if not c.isprintable() and c != "\n"]
    graph = nnsvg.importers.load(path)
    names = {n.name for n in graph.nodes} | {g.label for g in graph.groups} | {str(n.op) for n in graph.nodes}
    assert {f"a{shown}", f"b{shown}", f"inner{shown}", f"My{shown}"} <= names, names
    assert all(name.isprintable() for name in names)
    assert next(n for n in graph.nodes if n.name == f"b{shown}").attrs["activation"] == f"act{shown}"
