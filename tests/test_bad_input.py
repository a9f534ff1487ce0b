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
import nnsvg.theme
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

# --- issue 18: every theme number has an upper bound, and a number too big for a float (a 400-digit
# integer, 1e400, inf) or too long for Python to read (over 4300 digits) is a clear error, through
# --set, a theme file and a spec file's set: in each format
BIG = "9" * 400
HUGE = "9" * 5000
FCNN = ["fcnn", "8", "8"]
CASES += [
    ("set-margin-1e308", {}, [*FCNN, "--set", "margin=1e308"], ["--set margin", "0 to 10000", "'1e308'"]),
    ("set-margin-1e300", {}, [*FCNN, "--set", "margin=1e300"], ["--set margin", "0 to 10000", "'1e300'"]),
    ("set-margin-400-digits", {}, [*FCNN, "--set", f"margin={BIG}"], ["--set margin", "0 to 10000", "'999"]),
    ("set-margin-5000-digits", {}, [*FCNN, "--set", f"margin={HUGE}"], ["--set margin", "0 to 10000", "'999"]),
    ("set-margin-10001", {}, [*FCNN, "--set", "margin=10001"], ["margin", "0 to 10000", "'10001'"]),
    ("set-stroke-width", {}, [*FCNN, "--set", "node.stroke_width=101"], ["node.stroke_width", "0 to 100", "'101'"]),
    ("set-edge-max-width", {}, [*FCNN, "--set", "edge.max_width=1e9"], ["edge.max_width", "0 to 100"]),
    ("set-text-size-big", {}, [*FCNN, "--set", "text.size=501"], ["text.size", "1 to 500", "'501'"]),
    ("set-text-size-small", {}, [*FCNN, "--set", "text.size=0.5"], ["text.size", "1 to 500", "'0.5'"]),
    ("set-arrow-length", {}, [*FCNN, "--set", "arrow.length=1001"], ["arrow.length", "0 to 1000", "'1001'"]),
    ("set-arrow-width-inf", {}, [*FCNN, "--set", "arrow.width=inf"], ["arrow.width", "0 to 1000", "'inf'"]),
    ("set-block-radius", {}, ["rnn", "3", "5", "2", "--set", "block.radius=1e6"], ["block.radius", "0 to 1000"]),
    ("set-opacity", {}, [*FCNN, "--set", "map.opacity=1.5"], ["map.opacity", "0 to 1", "'1.5'"]),
    ("set-shade", {}, [*FCNN, "--set", "volume.shade=-0.1"], ["volume.shade", "0 to 1", "'-0.1'"]),
    ("set-dash-length", {}, ["rnn", "3", "5", "2", "--set", "edge.recurrent_dash=5 1e300"],
     ["edge.recurrent_dash", "0 to 100"]),
    ("set-dash-items", {}, ["rnn", "3", "5", "2", "--set", "edge.recurrent_dash=" + "1 " * 17],
     ["edge.recurrent_dash", "1 to 16"]),
    ("set-family-long", {}, [*FCNN, "--set", "text.family=" + "Serif" * 60], ["text.family", "at most 200"]),
    ("set-description-long", {}, [*FCNN, "--set", "description=" + "x" * 5000], ["description", "at most 300"]),
    ("theme-file-margin-1e300", {"mine.toml": b"margin = 1e300\n"}, [*FCNN, "--theme", "mine.toml"],
     ["mine.toml", "margin", "0 to 10000", "1e+300"]),
    ("theme-file-margin-1e400", {"mine.toml": b"margin = 1e400\n"}, [*FCNN, "--theme", "mine.toml"],
     ["mine.toml", "margin", "0 to 10000", "inf"]),
    ("theme-file-margin-inf", {"mine.toml": b"margin = inf\n"}, [*FCNN, "--theme", "mine.toml"],
     ["mine.toml", "margin", "inf"]),
    ("theme-file-400-digits", {"mine.toml": f"margin = {BIG}\n".encode()}, [*FCNN, "--theme", "mine.toml"],
     ["mine.toml", "margin", "an integer of 400 digits"]),
    ("theme-file-5000-digits", {"mine.toml": f"margin = {HUGE}\n".encode()}, [*FCNN, "--theme", "mine.toml"],
     ["mine.toml", "more than 4300 digits"]),
    ("theme-file-family-number", {"mine.toml": f"[text]\nfamily = {BIG}\n".encode()},
     [*FCNN, "--theme", "mine.toml"], ["text.family", "at most 200", "an integer of 400 digits"]),
    ("theme-file-dash-inf", {"mine.toml": b"[edge]\nrecurrent_dash = [5, inf]\n"},
     ["rnn", "3", "5", "2", "--theme", "mine.toml"], ["mine.toml", "edge.recurrent_dash", "inf"]),
    ("theme-file-stroke", {"mine.toml": b"[volume]\nstroke_width = 1000\n"}, [*FCNN, "--theme", "mine.toml"],
     ["volume.stroke_width", "0 to 100", "1000"]),
    ("spec-yaml-set-1e308", {"fig.yaml": b"style: fcnn\nlayers: [8, 8]\nset: {margin: 1.0e+308}\n"},
     ["render", "fig.yaml"], ["margin", "0 to 10000", "1e+308"]),
    ("spec-yaml-set-inf", {"fig.yaml": b"style: fcnn\nlayers: [8, 8]\nset: {text.size: .inf}\n"},
     ["render", "fig.yaml"], ["text.size", "1 to 500", "inf"]),
    ("spec-yaml-set-400-digits", {"fig.yaml": f"style: fcnn\nlayers: [8, 8]\nset: {{margin: {BIG}}}\n".encode()},
     ["render", "fig.yaml"], ["margin", "an integer of 400 digits"]),
    ("spec-toml-set-1e400", {"fig.toml": b'style = "fcnn"\nlayers = [8, 8]\n[set]\nmargin = 1e400\n'},
     ["render", "fig.toml"], ["margin", "0 to 10000", "inf"]),
    ("spec-toml-set-400-digits", {"fig.toml": f'style = "fcnn"\nlayers = [8, 8]\n[set]\n"arrow.length" = {BIG}\n'
                                  .encode()}, ["render", "fig.toml"], ["arrow.length", "an integer of 400 digits"]),
    ("spec-json-set-1e400", {"fig.json": b'{"style": "fcnn", "layers": [8, 8], "set": {"margin": 1e400}}'},
     ["render", "fig.json"], ["margin", "0 to 10000", "inf"]),
    ("spec-json-set-400-digits", {"fig.json": f'{{"style": "fcnn", "layers": [8, 8], "set": {{"margin": {BIG}}}}}'
                                  .encode()}, ["render", "fig.json"], ["margin", "an integer of 400 digits"]),
    ("spec-json-set-stroke", {"fig.json": b'{"style": "fcnn", "layers": [8, 8], "set": {"link.width": 500}}'},
     ["render", "fig.json"], ["link.width", "0 to 100", "500"]),
]

# --- issue 18: a non-character (U+FFFE, U+FFFF) in any theme text, through every surface, is refused
# before it reaches an SVG file
CASES += [
    ("set-family-ufffe", {}, [*FCNN, "--set", "text.family=A\ufffeB"], ["text.family", "cannot hold"]),
    ("set-name-ufffe", {}, [*FCNN, "--set", "name=A\ufffeB"], ["--set name", "cannot hold"]),
    ("set-description-uffff", {}, [*FCNN, "--set", "description=A\uffffB"], ["--set description", "cannot hold"]),
    ("set-colour-ufffe", {}, [*FCNN, "--set", "node.fill=red\ufffe"], ["node.fill", "cannot hold"]),
    ("set-dash-ufffe", {}, ["rnn", "3", "5", "2", "--set", "edge.recurrent_dash=5\ufffe3"],
     ["edge.recurrent_dash", "cannot hold"]),
    ("set-key-ufffe", {}, [*FCNN, "--set", "text.fa\ufffemily=x"], ["unknown theme key", "text.fa"]),
    ("theme-name-ufffe", {}, [*FCNN, "--theme", "pa\ufffeper"], ["theme", "cannot hold"]),
    ("theme-file-family-ufffe", {"mine.toml": b'[text]\nfamily = "A\\uFFFEB"\n'}, [*FCNN, "--theme", "mine.toml"],
     ["mine.toml", "text.family", "cannot hold"]),
    ("theme-file-name-ufffe", {"mine.toml": b'name = "A\\uFFFEB"\n'}, [*FCNN, "--theme", "mine.toml"],
     ["mine.toml", "name", "cannot hold"]),
    ("theme-file-description-ufffe", {"mine.toml": b'description = "A\\uFFFFB"\n'},
     [*FCNN, "--theme", "mine.toml"], ["mine.toml", "description", "cannot hold"]),
    ("theme-file-base-ufffe", {"mine.toml": b'base = "pa\\uFFFEper"\n'}, [*FCNN, "--theme", "mine.toml"],
     ["mine.toml", "base", "cannot hold"]),
    ("spec-yaml-set-family-ufffe",
     {"fig.yaml": b'style: fcnn\nlayers: [8, 8]\nset: {text.family: "A\\uFFFEB"}\n'},
     ["render", "fig.yaml"], ["text.family", "cannot hold"]),
    ("spec-toml-set-family-ufffe",
     {"fig.toml": b'style = "fcnn"\nlayers = [8, 8]\n[set]\n"text.family" = "A\\uFFFEB"\n'},
     ["render", "fig.toml"], ["text.family", "cannot hold"]),
    ("spec-json-set-family-ufffe",
     {"fig.json": b'{"style": "fcnn", "layers": [8, 8], "set": {"text.family": "A\\ufffeB"}}'},
     ["render", "fig.json"], ["text.family", "cannot hold"]),
    ("spec-json-set-description-surrogate",
     {"fig.json": b'{"style": "fcnn", "layers": [8, 8], "set": {"description": "A\\ud800B"}}'},
     ["render", "fig.json"], ["description", "cannot hold"]),
    ("spec-yaml-theme-ufffe", {"fig.yaml": b'style: fcnn\nlayers: [8, 8]\ntheme: "pa\\uFFFEper"\n'},
     ["render", "fig.yaml"], ["theme", "cannot hold"]),
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


@pytest.mark.parametrize(("name", "text"), [
    ("fig.yaml", f"style: fcnn\nlayers: [8, 8]\nset: {{margin: {HUGE}}}\n"),
    ("fig.toml", f'style = "fcnn"\nlayers = [8, 8]\n[set]\nmargin = {HUGE}\n'),
    ("fig.json", f'{{"style": "fcnn", "layers": [8, 8], "set": {{"margin": {HUGE}}}}}'),
])
def test_spec_file_number_over_4300_digits(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           name: str, text: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(text)
    code, _, err = cli("render", name, "-o", "out.svg")
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, err
    assert "digits" in err and len(err) < 400, err


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
    # issue 18: theme numbers too big for a float or for str(), theme texts too long or not characters
    ("set-margin-400-digits", lambda: nnsvg.fcnn([2, 2], set={"margin": 10**400})),
    ("set-margin-5000-digits", lambda: nnsvg.fcnn([2, 2], set={"margin": 10**5000})),
    ("set-margin-inf", lambda: nnsvg.fcnn([2, 2], set={"margin": float("inf")})),
    ("set-margin-1e300", lambda: nnsvg.fcnn([2, 2], set={"margin": 1e300})),
    ("set-text-size-5000-digits", lambda: nnsvg.lenet(["1@8x8", 4], set={"text.size": -(10**5000)})),
    ("set-family-5000-digits", lambda: nnsvg.fcnn([2, 2], set={"text.family": 10**5000})),
    ("set-colour-5000-digits", lambda: nnsvg.fcnn([2, 2], set={"node.fill": 10**5000})),
    ("set-dash-5000-digits", lambda: nnsvg.rnn([2, 3, 2], set={"edge.recurrent_dash": 10**5000})),
    ("set-dash-long", lambda: nnsvg.rnn([2, 3, 2], set={"edge.recurrent_dash": "1 " * 100_000})),
    ("set-family-megabyte", lambda: nnsvg.fcnn([2, 2], set={"text.family": "Serif, " * 150_000})),
    ("set-family-ufffe", lambda: nnsvg.fcnn([2, 2], set={"text.family": "A\ufffeB" * 100_000})),
    ("set-name-uffff", lambda: nnsvg.fcnn([2, 2], set={"name": "\uffff"})),
    ("set-key-megabyte", lambda: nnsvg.fcnn([2, 2], set={"x" * 10**6: 1})),
    ("theme-name-megabyte", lambda: nnsvg.fcnn([2, 2], theme="x" * 10**6)),
    ("load-theme-5000-digits", lambda: nnsvg.theme.load_theme("nnsvg", {"arrow.width": 10**5000})),
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
        start = time.process_time()
        with pytest.raises(NnsvgError, match=r"max_edges|max-maps|log sizes"):
            call()
        assert time.process_time() - start < 1.0


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
