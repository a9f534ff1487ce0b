"""The catalogue of bad input: every case gets one ``error: ...`` line naming the field or token
and the bad value, exit 2, no traceback, and no file created or changed. The Python API
raises nnsvg's own error type, never a bare KeyError/TypeError/ValueError from inside."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg.errors import NnsvgError

from .conftest import REPO
from .imagefiles import BROKEN, alexnet_spec

Cli = Callable[..., tuple[int, str, str]]
DIGIT = REPO / "gallery" / "digit-3.png"

# (id, files to create {name: bytes}, CLI arguments, words the error must contain)
CASES: list[tuple[str, dict[str, bytes], list[str], list[str]]] = [
    # --- fcnn tokens and options
    ("fcnn-zero", {}, ["fcnn", "8", "0", "8"], ["layer 2", "'0'"]),
    ("fcnn-negative", {}, ["fcnn", "8", "-1", "8"], ["layer 2", "'-1'"]),
    ("fcnn-word", {}, ["fcnn", "8", "x", "8"], ["layer 2", "'x'"]),
    ("fcnn-float", {}, ["fcnn", "8", "2.5"], ["layer 2", "'2.5'"]),
    ("fcnn-superscript", {}, ["fcnn", "8", "²"], ["layer 2", "'²'"]),
    ("fcnn-huge", {}, ["fcnn", "8", "99999999999"], ["layer 2", "99999999999"]),
    ("fcnn-nan-token", {}, ["fcnn", "8", "nan"], ["layer 2", "'nan'"]),
    ("fcnn-one-layer", {}, ["fcnn", "8"], ["at least 2 layers", "got 1"]),
    ("fcnn-no-layers", {}, ["fcnn"], ["Missing argument"]),
    ("fcnn-nan-diameter", {}, ["fcnn", "8", "8", "--node-diameter", "nan"], ["--node-diameter", "nan"]),
    ("fcnn-inf-spacing", {}, ["fcnn", "8", "8", "--layer-spacing", "inf"], ["--layer-spacing", "inf"]),
    ("fcnn-negative-gap", {}, ["fcnn", "8", "8", "--node-gap", "-3"], ["--node-gap", "-3"]),
    ("fcnn-gap-word", {}, ["fcnn", "8", "8", "--node-gap", "wide"], ["--node-gap", "wide"]),
    ("fcnn-gap-count", {}, ["fcnn", "8", "8", "8", "--node-gap", "1,2"], ["node_gap", "got 2"]),
    ("fcnn-direction", {}, ["fcnn", "8", "8", "--direction", "diagonal"], ["--direction", "diagonal"]),
    ("fcnn-arrowheads", {}, ["fcnn", "8", "8", "--arrowheads", "big"], ["--arrowheads", "big"]),
    ("fcnn-max-nodes", {}, ["fcnn", "8", "8", "--max-nodes", "-2"], ["--max-nodes", "-2"]),
    ("fcnn-too-many-edges", {}, ["fcnn", "1000000000", "1000000000", "--max-nodes", "0"], ["max_edges", "edges"]),
    ("fcnn-labels-count", {}, ["fcnn", "8", "8", "--label", "x"], ["--label", "got 1"]),
    ("fcnn-unknown-option", {}, ["fcnn", "8", "8", "--biass"], ["--biass", "--bias"]),
    ("fcnn-seed-word", {}, ["fcnn", "8", "8", "--seed", "abc"], ["seed", "abc"]),
    # --- lenet tokens
    ("lenet-no-width", {}, ["lenet", "6@28", "10"], ["layer 1", "'6@28'"]),
    ("lenet-zero-maps", {}, ["lenet", "0@28x28", "10"], ["layer 1", "'0@28x28'"]),
    ("lenet-negative-side", {}, ["lenet", "6@28x-3", "10"], ["layer 1", "'6@28x-3'"]),
    ("lenet-word-side", {}, ["lenet", "6@axb", "10"], ["layer 1", "'6@axb'"]),
    ("lenet-map-after-dense", {}, ["lenet", "10", "6@28x28"], ["layer 2", "'6@28x28'"]),
    ("lenet-filter-too-big", {}, ["lenet", "6@28x28:29x29", "10"], ["layer 1", "29x29"]),
    ("lenet-too-many-ops", {}, ["lenet", "1@8x8", "4", "--ops", "a,b"], ["ops", "'a', 'b'"]),
    ("lenet-gaps-count", {}, ["lenet", "1@8x8", "1@4x4", "4", "--gaps", "1,2,3"], ["gaps", "got 3"]),
    ("lenet-nan-gap", {}, ["lenet", "1@8x8", "4", "--gaps", "nan"], ["gaps", "nan"]),
    ("lenet-huge-side", {}, ["lenet", "1@999999999x8", "4"], ["layer 1", "999999999"]),
    ("lenet-map-size", {}, ["lenet", "1@8x8", "4", "--map-size", "cubic"], ["--map-size", "cubic"]),
    # --- alexnet tokens
    ("alexnet-two-dims", {}, ["alexnet", "224x224", "10"], ["layer 1", "'224x224'"]),
    ("alexnet-zero", {}, ["alexnet", "0x5x5", "10"], ["layer 1", "'0x5x5'"]),
    ("alexnet-filter-too-big", {}, ["alexnet", "5x5x5:6x6", "10"], ["layer 1", "6x6"]),
    ("alexnet-volume-after-dense", {}, ["alexnet", "10", "5x5x5"], ["layer 2", "'5x5x5'"]),
    ("alexnet-view-range", {}, ["alexnet", "5x5x5", "10", "--view", "95,20"], ["view", "95"]),
    ("alexnet-view-elevation", {}, ["alexnet", "5x5x5", "10", "--view", "30,75"], ["view", "75"]),
    ("alexnet-view-word", {}, ["alexnet", "5x5x5", "10", "--view", "left"], ["view", "left"]),
    ("alexnet-missing-image", {}, ["alexnet", "5x5x5", "10", "--input-image", "cat.jpg"], ["input_image", "cat.jpg"]),
    ("alexnet-corrupt-image", {"cat.png": b"\x89PNG\r\n\x1a\nbroken"},
     ["alexnet", "5x5x5", "10", "--input-image", "cat.png"], ["input_image", "cat.png", "PNG cut short"]),
    ("alexnet-text-as-image", {"cat.jpg": b"hello"}, ["alexnet", "5x5x5", "10", "--input-image", "cat.jpg"],
     ["input_image", "cat.jpg"]),
    ("alexnet-image-folder", {"pics/a.txt": b"x"}, ["alexnet", "5x5x5", "10", "--input-image", "pics"],
     ["input_image", "pics", "directory"]),
    ("alexnet-opacity", {}, ["alexnet", "5x5x5", "10", "--image-opacity", "2"], ["--image-opacity", "2"]),
    # --- rnn
    ("rnn-two-layers", {}, ["rnn", "3", "2"], ["recurrent", "got 2"]),
    ("rnn-zero", {}, ["rnn", "3", "0", "2"], ["layer 2", "'0'"]),
    ("rnn-cell", {}, ["rnn", "3", "5", "2", "--cell", "transformer"], ["--cell", "transformer"]),
    ("rnn-unroll-big", {}, ["rnn", "3", "5", "2", "--unroll", "1000"], ["unroll", "1000"]),
    ("rnn-unroll-word", {}, ["rnn", "3", "5", "2", "--unroll", "many"], ["unroll", "many"]),
    ("rnn-outputs", {}, ["rnn", "3", "5", "2", "--outputs", "first"], ["--outputs", "first"]),
    ("fcnn-activation", {}, ["fcnn", "3", "5", "2", "--activations", "relu,softplus"], ["softplus", "relu"]),
    ("fcnn-dropout", {}, ["fcnn", "3", "5", "2", "--dropout", "0,2,0"], ["dropout[1]", "2"]),
    # --- themes and --set
    ("theme-unknown", {}, ["fcnn", "8", "8", "--theme", "papr"], ["papr", "paper"]),
    ("theme-missing-file", {}, ["fcnn", "8", "8", "--theme", "mine.toml"], ["mine.toml", "does not exist"]),
    ("theme-broken-toml", {"mine.toml": b"[node\n"}, ["fcnn", "8", "8", "--theme", "mine.toml"], ["mine", "TOML"]),
    ("theme-unknown-key", {"mine.toml": b"[node]\nfil = '#fff'\n"}, ["fcnn", "8", "8", "--theme", "mine.toml"],
     ["node.fil", "node.fill"]),
    ("theme-bad-colour", {"mine.toml": b"[node]\nfill = 'blurple'\n"}, ["fcnn", "8", "8", "--theme", "mine.toml"],
     ["node.fill", "blurple"]),
    ("theme-non-utf8", {"mine.toml": b"description = 'caf\xe9'\n"}, ["fcnn", "8", "8", "--theme", "mine.toml"],
     ["mine.toml", "UTF-8"]),
    ("set-unknown-key", {}, ["fcnn", "8", "8", "--set", "edge.colour=#000"], ["edge.colour", "edge.color"]),
    ("set-bad-colour", {}, ["fcnn", "8", "8", "--set", "node.fill=#12345"], ["node.fill", "#12345"]),
    ("set-bad-number", {}, ["fcnn", "8", "8", "--set", "edge.width=thin"], ["edge.width", "thin"]),
    ("set-nan", {}, ["fcnn", "8", "8", "--set", "edge.width=nan"], ["edge.width", "nan"]),
    ("set-no-equals", {}, ["fcnn", "8", "8", "--set", "edge.width"], ["--set", "edge.width"]),
    ("set-family-uffff", {}, ["fcnn", "8", "8", "--set", "text.family=A\uffffB"], ["text.family", "cannot hold"]),
    ("set-dash-zero", {}, ["rnn", "3", "5", "2", "--set", "edge.recurrent_dash=0,0"],
     ["edge.recurrent_dash", "'0,0'"]),
    ("set-shaft-range", {}, ["rnn", "3", "5", "2", "--set", "arrow.shaft_scale=0"], ["arrow.shaft_scale", "'0'"]),
    ("theme-file-uffff", {"mine.toml": '[text]\nfamily = "A\uffffB"\n'.encode()},
     ["fcnn", "8", "8", "--theme", "mine.toml"], ["mine.toml", "text.family", "cannot hold"]),
    # --- spec files
    ("spec-missing", {}, ["render", "fig.yaml"], ["fig.yaml", "cannot read"]),
    ("spec-extension", {"fig.txt": b"style: fcnn"}, ["render", "fig.txt"], ["fig.txt", ".txt"]),
    ("spec-broken-yaml", {"fig.yaml": b"style: fcnn\nlayers: [8, 8\n"}, ["render", "fig.yaml"], ["fig.yaml", "YAML"]),
    ("spec-broken-json", {"fig.json": b'{"style": "fcnn",'}, ["render", "fig.json"], ["fig.json", "JSON"]),
    ("spec-broken-toml", {"fig.toml": b"style = \n"}, ["render", "fig.toml"], ["fig.toml", "TOML"]),
    ("spec-duplicate-yaml", {"fig.yaml": b"style: fcnn\nlayers: [8, 8]\nseed: 1\nseed: 2\n"},
     ["render", "fig.yaml"], ["duplicate key", "seed"]),
    ("spec-duplicate-json", {"fig.json": b'{"style": "fcnn", "layers": [8, 8], "bias": true, "bias": false}'},
     ["render", "fig.json"], ["duplicate key", "bias"]),
    ("spec-list", {"fig.yaml": b"[8, 12, 8]\n"}, ["render", "fig.yaml"], ["fig.yaml", "mapping", "list"]),
    ("spec-number", {"fig.json": b"42"}, ["render", "fig.json"], ["fig.json", "mapping", "int"]),
    ("spec-empty", {"fig.yaml": b""}, ["render", "fig.yaml"], ["fig.yaml", "mapping"]),
    ("spec-unknown-style", {"fig.yaml": b"style: lenett\nlayers: [8, 8]\n"}, ["render", "fig.yaml"],
     ["lenett", "lenet"]),
    ("spec-no-style", {"fig.yaml": b"layers: [8, 8]\n"}, ["render", "fig.yaml"], ["style"]),
    ("spec-unknown-key", {"fig.yaml": b"style: fcnn\nlayers: [8, 8]\nbais: true\n"}, ["render", "fig.yaml"],
     ["bais", "bias"]),
    ("spec-wrong-type-layers", {"fig.yaml": b"style: fcnn\nlayers: 8\n"}, ["render", "fig.yaml"], ["layers", "8"]),
    ("spec-wrong-type-bias", {"fig.json": b'{"style": "fcnn", "layers": [8, 8], "bias": [1]}'},
     ["render", "fig.json"], ["bias", "[1]"]),
    ("spec-wrong-type-set", {"fig.yaml": b"style: fcnn\nlayers: [8, 8]\nset: {node: {fill: red}}\n"},
     ["render", "fig.yaml"], ["set", "node"]),
    ("spec-nan", {"fig.yaml": b"style: fcnn\nlayers: [8, 8]\nnode_diameter: .nan\n"}, ["render", "fig.yaml"],
     ["node_diameter", "nan"]),
    ("spec-infinity-json", {"fig.json": b'{"style": "fcnn", "layers": [8, 8], "seed": Infinity}'},
     ["render", "fig.json"], ["Infinity"]),
    ("spec-python-tag", {"fig.yaml": b"!!python/object/apply:os.system ['touch pwned']\n"}, ["render", "fig.yaml"],
     ["fig.yaml", "YAML"]),
    ("spec-non-utf8", {"fig.yaml": b"style: fcnn\nlayers: [8, 8]\n# \xff\xfe\n"}, ["render", "fig.yaml"],
     ["fig.yaml", "UTF-8"]),
    ("spec-layer-mapping-key", {"fig.yaml": b"style: fcnn\nlayers: [8, {size: 8, colour: red}]\n"},
     ["render", "fig.yaml"], ["layer 2", "colour"]),
    ("spec-layer-bad-fill", {"fig.yaml": b"style: lenet\nlayers: [{size: 1@8x8, fill: nope}, 4]\n"},
     ["render", "fig.yaml"], ["layer 1.fill", "nope"]),
    ("spec-lenet-ops-type", {"fig.yaml": b"style: lenet\nlayers: [1@8x8, 4]\nops: 5\n"}, ["render", "fig.yaml"],
     ["ops", "5"]),
    ("spec-is-directory", {"fig.yaml/x": b""}, ["render", "fig.yaml"], ["fig.yaml", "directory"]),
    # --- outputs
    ("output-extension", {}, ["fcnn", "8", "8", "-o", "net.jpg"], ["net.jpg", ".jpg"]),
    ("output-no-extension", {}, ["fcnn", "8", "8", "-o", "net"], ["net", "extension"]),
    ("output-directory", {"sub/keep": b"x"}, ["fcnn", "8", "8", "-o", "sub"], ["sub", "directory"]),
    ("output-missing-folder", {}, ["fcnn", "8", "8", "-o", "nope/net.svg"], ["nope", "does not exist"]),
    ("save-spec-extension", {}, ["fcnn", "8", "8", "--save-spec", "fig.ini", "-o", "out.svg"], ["fig.ini", ".ini"]),
    ("scale-and-dpi", {}, ["fcnn", "8", "8", "-o", "net.png", "--scale", "2", "--dpi", "300"], ["--scale", "--dpi"]),
    ("scale-zero", {}, ["fcnn", "8", "8", "-o", "net.png", "--scale", "0"], ["scale", "0"]),
    ("dpi-negative", {}, ["fcnn", "8", "8", "-o", "net.png", "--dpi", "-96"], ["dpi", "-96"]),
    ("unknown-command", {}, ["resnet", "8"], ["resnet"]),
]

# --- issue 18: input images bigger than the pixel budget by their header alone (a decompression
# bomb) or not whole (cut short, damaged), through --input-image and the input_image of a spec
# file in each format.
ALEX = ["alexnet", "28x28x1", "10"]


def _image_name(data: bytes) -> str:
    return "img.png" if data.startswith(b"\x89PNG") else "img.jpg"


CASES += [(f"image-{name}", {_image_name(data): data}, [*ALEX, "--input-image", _image_name(data)],
           ["input_image", _image_name(data), words]) for name, (data, words) in BROKEN.items()]
CASES += [(f"spec-{fmt}-image-{name}", {_image_name(data): data, f"fig.{fmt}": alexnet_spec(fmt, _image_name(data))},
           ["render", f"fig.{fmt}"], ["input_image", _image_name(data), words])
          for fmt in ("yaml", "toml", "json")
          for name, (data, words) in BROKEN.items() if name in ("png-header-only", "png-bomb", "jpeg-cut-short",
                                                                "jpeg-bomb", "png-bad-crc")]
# (a device and a FIFO are in test_images.py: each in a process of its own, with a timeout and a
# memory limit, so that a regression fails there instead of hanging or filling this process)


@pytest.mark.parametrize(("files", "args", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_cli(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       files: dict[str, bytes], args: list[str], words: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    existing = tmp_path / "existing.svg"
    existing.write_bytes(b"precious")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    if args[0] in ("fcnn", "lenet", "alexnet", "rnn", "render") and "-o" not in args:
        args = [*args, "-o", "existing.svg"]  # the output file must survive the failure
    code, out, err = cli(*args)
    assert code == 2, err
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert len(err) < 400, err  # values are quoted cut short: a 5000-digit number is not repeated
    for word in words:
        assert word in err, (word, err)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # nothing created, truncated or overwritten
    assert not (tmp_path / "pwned").exists()


def test_catalogue_is_big_enough() -> None:
    assert len(CASES) + len(API_CASES) >= 60


API_CASES: list[tuple[str, Callable[[], Any]]] = [
    ("fcnn-none", lambda: nnsvg.fcnn(None)),  # type: ignore[arg-type]
    ("fcnn-dict-layer-size-none", lambda: nnsvg.fcnn([{"size": None}, 2])),
    ("fcnn-theme-none", lambda: nnsvg.fcnn([2, 2], theme=None)),
    ("fcnn-set-list", lambda: nnsvg.fcnn([2, 2], set=["node.fill=#fff"])),
    ("fcnn-set-nested", lambda: nnsvg.fcnn([2, 2], set={"node": {"fill": "#fff"}})),
    ("fcnn-direction-int", lambda: nnsvg.fcnn([2, 2], direction=3)),
    ("fcnn-gap-dict", lambda: nnsvg.fcnn([2, 2], node_gap={"a": 1})),
    ("fcnn-unknown-kwarg", lambda: nnsvg.fcnn([2, 2], colour="red")),
    ("lenet-int-maps", lambda: nnsvg.lenet([["6@28x28"], 10])),
    ("alexnet-float-view", lambda: nnsvg.alexnet(["5x5x5", 10], view=1.5)),
    ("render-list", lambda: nnsvg.render([8, 12])),
    ("control-char-label", lambda: nnsvg.fcnn([{"size": 2, "label": "a\x1fb"}, 2])),
    ("control-char-op", lambda: nnsvg.lenet(["1@4x4", 1], ops="0\x1f0")),
    ("surrogate-label", lambda: nnsvg.alexnet([{"size": "4x4x4", "label": "\ud800"}, 2])),
    ("render-style-none", lambda: nnsvg.render({"style": None, "layers": [2, 2]})),
    ("load-missing", lambda: nnsvg.load("/nonexistent/fig.yaml")),
    ("save-bad-path-type", lambda: nnsvg.fcnn([2, 2]).save(42)),  # type: ignore[arg-type]
    ("save-bad-scale", lambda: nnsvg.fcnn([2, 2]).to_bytes("png", scale="big")),  # type: ignore[arg-type]
    ("save-bad-dpi", lambda: nnsvg.fcnn([2, 2]).save("/tmp/x.png", dpi="high")),  # type: ignore[arg-type]
    ("to-bytes-format", lambda: nnsvg.fcnn([2, 2]).to_bytes("gif")),
]


@pytest.mark.parametrize("call", [c[1] for c in API_CASES], ids=[c[0] for c in API_CASES])
def test_bad_input_api_raises_nnsvg_error(call: Callable[[], Any]) -> None:
    with pytest.raises(NnsvgError) as info:
        diagram = call()
        if isinstance(diagram, nnsvg.Diagram):
            diagram.svg()
    assert "\n" not in str(info.value)
    assert len(str(info.value)) < 400, str(info.value)  # a huge value is quoted cut short


def test_script_in_a_label_stays_text() -> None:
    hostile = "</text><script>alert(1)</script>"
    for diagram in (nnsvg.fcnn([{"size": 2, "label": hostile}, 2]),
                    nnsvg.lenet([{"size": "1@8x8", "label": hostile}, 4], ops=[hostile]),
                    nnsvg.alexnet([{"size": "8x8x3", "label": hostile}, 4])):
        svg = diagram.svg()
        assert "<script" not in svg and "&lt;script&gt;" in svg
        from .conftest import find, parse

        root = parse(svg)
        assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
        assert hostile in [t.text for t in find(root, "text")]


def test_limits_refuse_quickly_without_allocating() -> None:
    for call in (lambda: nnsvg.fcnn([10**9, 10**9, 10**9], max_nodes=0).svg(),
                 lambda: nnsvg.lenet(["1000000@2x2", "1000000@1x1"], max_maps=0).svg(),
                 lambda: nnsvg.alexnet(["1000000x1000000x1000000", 10], side_size="linear").svg()):
        start = time.perf_counter()
        with pytest.raises(NnsvgError, match=r"max_edges|max-maps|log sizes"):
            call()
        assert time.perf_counter() - start < 1.0


def test_the_limit_is_an_option() -> None:
    diagram = nnsvg.fcnn([300, 300], max_nodes=0, max_edges=100_000)
    assert diagram.svg().count("M") >= 90_000
    with pytest.raises(NnsvgError, match="max_edges"):
        nnsvg.fcnn([300, 300], max_nodes=0, max_edges=1000).svg()


def test_no_temporary_files_are_left_after_success_or_failure(tmp_path: Path, cli: Cli) -> None:
    os.chdir(tmp_path)
    assert cli("fcnn", "3", "3", "-o", "a.pdf")[0] == 0
    assert cli("fcnn", "3", "0", "-o", "a.pdf")[0] == 2
    assert sorted(os.listdir(tmp_path)) == ["a.pdf"]
