"""Hostile model files, the PyTorch side (issue 24): nothing in a ``.pt2`` archive is ever run (it
is read without unpickling), every read is bounded (zip bombs, huge member lists, deep or huge
JSON, too many operations), a model path that is not a regular file is told at once for every
format (before the format's library is imported), and names from the file reach the terminal
and the figure escaped. The archives are a real one (``torch.export.save``) taken apart and
changed."""

from __future__ import annotations

import builtins
import json
import os
import pickle
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nnsvg.importers import pt2
from nnsvg.text import shown_path

from .conftest import REPO

torch = pytest.importorskip("torch", reason="making the archives needs the torch extra: pip install 'nnsvg[torch]'")
from torch import nn  # noqa: E402

from nnsvg.importers import torch as reader  # noqa: E402

Cli = Callable[..., tuple[int, str, str]]
Members = dict[str, bytes]


@pytest.fixture(scope="module")
def mlp(tmp_path_factory: pytest.TempPathFactory) -> Members:
    """A small MLP's archive, member by member (under its folder, mlp/)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Dropout(0.25), nn.Linear(3, 2), nn.Softmax(dim=1)).eval()
    path = tmp_path_factory.mktemp("pt2") / "mlp.pt2"
    torch.export.save(torch.export.export(model, (torch.zeros(1, 2),)), str(path))
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


class Zeros(bytes):
    """A member of ``size`` zero bytes packed by ``method``, streamed into the archive (never held
    whole)."""

    size = 0
    method = zipfile.ZIP_DEFLATED


def write(path: Path, members: Members, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            if isinstance(data, Zeros):
                info = zipfile.ZipInfo(name)
                info.compress_type = data.method
                with archive.open(info, "w", force_zip64=True) as member:
                    for _ in range(data.size // 2**20):
                        member.write(bytes(2**20))
            else:
                archive.writestr(name, data)
    return path


def edit_json(members: Members, name: str, change: Callable[[Any], None]) -> Members:
    data = json.loads(members[name])
    change(data)
    return {**members, name: json.dumps(data).encode()}


# --- class 1: a .pt2 file runs code -------------------------------------------------------------


class System:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return os.system, (f"touch '{self.marker}'",)


class Exec:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return builtins.exec, (f"open({str(self.marker)!r}, 'w').close()",)


def constant(path_name: str) -> Callable[[Members, bytes], Members]:
    """A constant whose payload is pickled (an opaque object: pickle.loads; a tensor: torch.load)."""

    def put(members: Members, payload: bytes) -> Members:
        def add(config: Any) -> None:
            config["config"]["evil"] = {"path_name": path_name, "is_param": False, "use_pickle": True,
                                        "tensor_meta": None}

        members = edit_json(members, "mlp/data/constants/model_constants_config.json", add)
        return {**members, f"mlp/data/constants/{path_name}": payload}

    return put


def pickled_weight(members: Members, payload: bytes) -> Members:
    """A weight saved with use_pickle (torch.load(weights_only=False) in torch.export.load)."""

    def flag(config: Any) -> None:
        config["config"]["0.weight"]["use_pickle"] = True

    return {**edit_json(members, "mlp/data/weights/model_weights_config.json", flag),
            "mlp/data/weights/weight_0": payload}


def old_format(members: Members, payload: bytes) -> Members:
    """PyTorch 2.7's archive: the same JSON at the top, the weights, constants and inputs pickled."""
    return {"version": b"8.20", "serialized_exported_program.json": members["mlp/models/model.json"],
            "serialized_state_dict.pt": payload, "serialized_constants.pt": payload,
            "serialized_example_inputs.pt": payload}


PLACES: dict[str, Callable[[Members, bytes], Members]] = {
    "opaque-constant": constant("opaque_obj_0"),
    "tensor-constant": constant("tensor_0"),
    "pickled-weight": pickled_weight,
    "sample-inputs": lambda m, p: {**m, "mlp/data/sample_inputs/model.pt": p},
    "legacy-weights-file": lambda m, p: {**m, "mlp/data/weights/model.pt": p},
    "legacy-constants-file": lambda m, p: {**m, "mlp/data/constants/model.pt": p},
    "old-format": old_format,
}


@pytest.mark.parametrize("payload", [System, Exec], ids=["os.system", "builtins.exec"])
@pytest.mark.parametrize("place", list(PLACES), ids=list(PLACES))
def test_pickles_in_the_archive_never_run(cli: Cli, tmp_path: Path, mlp: Members, place: str,
                                          payload: type[System | Exec]) -> None:
    marker = tmp_path / "ran"
    model = write(tmp_path / "m.pt2", PLACES[place](mlp, pickle.dumps(payload(marker))))
    code, _, err = cli("import", model, "-o", tmp_path / "m.svg")
    assert not marker.exists(), f"the archive's pickle ran ({place})"
    # the archive's JSON is the whole program: it is drawn, its real weights where they are raw bytes
    assert code == 0, err
    assert (tmp_path / "m.svg").read_bytes().endswith(b"</svg>\n")
    graph = reader.read_file(model)
    assert [n.op for n in graph.nodes] == ["Input", "Dense", "Activation", "Dropout", "Dense", "Activation"]
    assert [n.params for n in graph.nodes] == [None, 9, None, None, 8, None]
    assert not marker.exists()


def test_weights_that_are_pickled_are_counted_not_drawn(mlp: Members, tmp_path: Path) -> None:
    notes: list[str] = []
    graph = reader.read_file(write(tmp_path / "m.pt2", pickled_weight(mlp, pickle.dumps([1.0]))), notes)
    assert "weight" not in graph.nodes[1].attrs and graph.nodes[1].attrs["units"] == 3
    assert "weight" in graph.nodes[4].attrs  # the other layer's are raw bytes: read
    assert notes == ["the weights of 1 dense layer(s) are pickled in the archive (or of a type nnsvg does not "
                     "read), and nnsvg never unpickles (it runs code): --edge-color weight draws seeded weights"]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16, torch.float64])
def test_saved_programs_draw_as_the_live_module(tmp_path: Path, dtype: Any) -> None:
    """The JSON reader gives the graph torch.export gives in this process: ops, shapes, counts,
    groups and a small MLP's real weights (of each float type, from the raw bytes)."""
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 2), nn.Tanh())).to(dtype).eval()
    example = torch.zeros(1, 3, dtype=dtype)
    torch.export.save(torch.export.export(model, (example,)), str(tmp_path / "m.pt2"))
    saved, live = reader.read_file(tmp_path / "m.pt2"), reader.read(model, example)
    assert saved == live
    assert saved.nodes[1].attrs["weight"] == tuple(zip(*model[0].weight.float().tolist(), strict=True))


# --- class 14: bombs; class 15: graph size -----------------------------------------------------

# the peak RSS of this process's own memory (VmHWM: ru_maxrss would count the parent's, as Linux
# keeps it across the exec), 0 where /proc is not there
CHILD = """
import sys, time
from nnsvg.cli import main
code = main(sys.argv[1:])
loaded = [m for m in ("torch", "onnx", "h5py", "keras", "pickle") if m in sys.modules]
try:
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    peak = int(status.split()[0]) // 1024
except (OSError, IndexError):
    peak = 0
print(peak, time.process_time(), *loaded)
sys.exit(code)
"""


def child(*args: object) -> tuple[int, str, int, float, list[str]]:
    """``nnsvg ARGS`` in a new process: exit code, stderr, peak RSS (MB), CPU seconds, and the
    heavy modules it imported."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", CHILD, *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.stdout, done.stderr  # it ran to the end
    rss, cpu, *loaded = done.stdout.split()
    return done.returncode, done.stderr, int(rss), float(cpu), loaded


def lie_about_size(path: Path, name: str, size: int) -> None:
    """Make the zip's headers (local and central) claim ``size`` bytes unpacked for ``name``."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(name).header_offset
    data[local + 22:local + 26] = size.to_bytes(4, "little")
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + length] == name.encode():
            data[at + 24:at + 28] = size.to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def zeros(name: str, size: int = 256 * 2**20, method: int = zipfile.ZIP_DEFLATED) -> Callable[[Members], Members]:
    """A member of 256 MB of zeros (a quarter MB deflated, 300 bytes with bzip2)."""
    member = Zeros()
    member.size, member.method = size, method
    return lambda members: {**members, name: member}


def padded_json(members: Members) -> Members:
    return {**members, "mlp/models/model.json": members["mlp/models/model.json"] + b" " * 100 * 2**20}


def many_ops(count: int) -> Callable[[Members], Members]:
    def change(members: Members) -> Members:
        def grow(program: Any) -> None:
            graph = program["graph_module"]["graph"]
            relu = graph["nodes"][1]
            graph["nodes"] = [graph["nodes"][0]] + [{**relu, "metadata": {}}] * count

        return edit_json(members, "mlp/models/model.json", grow)

    return change


def size_of(value: object) -> Callable[[Members], Members]:
    def change(members: Members) -> Members:
        def set_size(program: Any) -> None:
            program["graph_module"]["graph"]["tensor_values"]["linear"]["sizes"][1] = {"as_int": value}

        return edit_json(members, "mlp/models/model.json", set_size)

    return change


# (name, how the archive changes, the header lie (member, size) or None, words of the error or
# None for a figure drawn)
BOMBS: list[tuple[str, Callable[[Members], Members], tuple[str, int] | None, list[str] | None]] = [
    ("json-100MB", padded_json, None, ["models/model.json is larger than 32 MB unpacked"]),
    ("json-100MB-claims-8KB", padded_json, ("mlp/models/model.json", 8031),
     ["models/model.json cannot be read from the archive (damaged)"]),
    ("json-deep", lambda m: {**m, "mlp/models/model.json": b"[" * 300_000 + b"]" * 300_000},
     None, ["models/model.json is nested deeper than any program's JSON"]),
    ("json-huge-int", lambda m: {**m, "mlp/models/model.json": b'{"a": ' + b"9" * 5000 + b"}"},
     None, ["models/model.json is not valid JSON"]),
    ("size-10**30", size_of(10**30), None, ["tensor linear has a size of 100000000000000000000000000"]),
    ("size-negative", size_of(-3), None, ["tensor linear has a size of -3"]),
    ("sample-inputs-256MB", zeros("mlp/data/sample_inputs/model.pt"), None, None),
    ("dense-weight-256MB", zeros("mlp/data/weights/weight_0"), None, None),
    ("constant-256MB", zeros("mlp/data/constants/tensor_0"), None, None),
    ("json-bzip2", zeros("mlp/models/model.json", 40 * 2**20, zipfile.ZIP_BZIP2), None,
     ["models/model.json is packed in a way PyTorch's archives are not"]),
    ("25000-members", lambda m: {**m, **{f"mlp/extra/{k}": b"" for k in range(25_000)}}, None,
     ["lists 25,013 files in 1.", "more than an ExportedProgram has (at most 20,000 files in 4 MB)"]),
    ("long-names", lambda m: {**m, **{f"mlp/extra/{k:0400}": b"" for k in range(11_000)}}, None,
     ["zip directory lists 11,013 files in 4.8 MB", "more than an ExportedProgram has"]),
    ("20001-ops", many_ops(20_001), None, ["has 20,002 operations, more than nnsvg draws (20,000)"]),
    ("json-values", lambda m: {**m, "mlp/models/model.json": b'{"graph_module": [' + b"0," * 1_600_000 + b"0]}"},
     None, ["models/model.json holds about 1,600,003 JSON values, more than an ExportedProgram's (1,500,000)"]),
]


@pytest.mark.parametrize(("name", "change", "lie", "words"), BOMBS, ids=[b[0] for b in BOMBS])
def test_bombs_are_refused_within_bounds(tmp_path: Path, mlp: Members, name: str,
                                         change: Callable[[Members], Members], lie: tuple[str, int] | None,
                                         words: list[str] | None) -> None:
    model = write(tmp_path / "m.pt2", change(mlp))
    if lie is not None:
        lie_about_size(model, *lie)
    assert model.stat().st_size < 12 * 2**20  # what they unpack to is the attack (or their member list)
    code, err, rss, cpu, loaded = child("import", model, "-o", tmp_path / "m.svg")
    assert rss < 150 and cpu < 10, (rss, cpu)  # MB, s: the archives unpack to 100-256 MB
    assert "torch" not in loaded and "pickle" not in loaded
    if words is None:
        assert code == 0, err
        assert (tmp_path / "m.svg").exists()
        return
    assert code == 2 and err.startswith("error: model ") and err.count("\n") == 1 and len(err) < 400, err
    for word in words:
        assert word in err, (word, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pt2"]


def test_operation_limit_counts_before_the_graph_is_built(mlp: Members, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    model = write(tmp_path / "m.pt2", many_ops(30)(mlp))
    assert len(reader.read_file(model).nodes) == 32  # 30 ReLUs, the input and the first layer
    monkeypatch.setattr(pt2, "MAX_OPERATIONS", 30)
    built: list[object] = []
    monkeypatch.setattr(pt2, "_call", lambda *a: built.append(a))
    with pytest.raises(pt2.SpecError, match=r"has 31 operations, more than nnsvg draws \(30\)$"):
        reader.read_file(model)
    assert built == []


# --- class 17: a model path that is not a file -------------------------------------------------

FORMATS = [".pt2", ".onnx", ".keras", ".h5"]


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/null").exists(), reason="needs FIFOs and /dev/null")
@pytest.mark.parametrize("ext", FORMATS)
def test_model_paths_that_are_not_files_are_told_at_once(tmp_path: Path, ext: str) -> None:
    os.mkfifo(tmp_path / f"fifo{ext}")
    (tmp_path / f"folder{ext}").mkdir()
    (tmp_path / f"null{ext}").symlink_to("/dev/null")
    expected = {"fifo": "is a FIFO (a named pipe), not a file", "folder": "is a directory",
                "null": "is a character device, not a file", "missing": ": No such file or directory"}
    for kind, words in expected.items():
        path = tmp_path / f"{kind}{ext}"
        code, err, _, cpu, loaded = child("import", path, "-o", tmp_path / "m.svg")
        assert code == 2 and err.count("\n") == 1, err
        assert err.startswith(f"error: model {shown_path(path)} " if kind != "missing" else
                              f"error: cannot read model {shown_path(path)}"), err
        assert words in err, err
        assert loaded == [] and cpu < 1.5, (loaded, cpu)  # the format's library is never imported
    assert not (tmp_path / "m.svg").exists()


def test_a_directory_given_to_the_reader_itself(tmp_path: Path) -> None:
    (tmp_path / "d.pt2").mkdir()
    with pytest.raises(pt2.SpecError, match=r"^model '.*d\.pt2' is a directory, not a file$"):
        reader.read_file(tmp_path / "d.pt2")


# --- names from the file ------------------------------------------------------------------------

CONTROLS = ["\x1b[2J\x1b[31m", "\r", "\n", "\x07", "\x1b]0;owned\x07", "\u2028"]


@pytest.mark.parametrize("control", CONTROLS, ids=[repr(c) for c in CONTROLS])
def test_names_from_the_file_are_escaped(cli: Cli, mlp: Members, tmp_path: Path, control: str) -> None:
    stack = f"L__self__1,blk{control}1,torch.X{control}"

    def rename(program: Any) -> None:
        graph = program["graph_module"]["graph"]
        graph["nodes"][1]["target"] = f"torch.ops.evil.bad{control}op.default"  # an op nnsvg does not know
        graph["nodes"][1]["name"] = f"relu{control}"
        graph["nodes"][1]["metadata"]["nn_module_stack"] = graph["nodes"][2]["metadata"]["nn_module_stack"] = stack

    model = write(tmp_path / "m.pt2", edit_json(mlp, "mlp/models/model.json", rename))
    code, _, err = cli("import", model, "--style", "blocks", "-o", tmp_path / "m.svg")
    assert code == 0, err
    shown = repr(control)[1:-1]
    assert f"bad{shown}op" in err  # the note naming the unknown op
    assert all(line.isprintable() for line in err.splitlines()) and err.count("\n") == len(err.splitlines())
    svg = (tmp_path / "m.svg").read_text("utf-8")
    assert not any(f"{word}{control}" in svg for word in ("bad", "relu", "blk", "X"))
    graph = reader.read_file(model)
    assert graph.nodes[2].op == f"bad{shown}op" and graph.nodes[2].name == f"relu{shown}"
    assert all(g.label.isprintable() for g in graph.groups)
    if not set(control) & set("[]()"):  # else the stack does not split in three (torch's rule): no group
        assert [g.label for g in graph.groups] == [f"blk{shown}1 (X{shown})"]
