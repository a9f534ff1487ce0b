"""The command line as a user drives it: exit codes, messages, files written or untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import nnsvg
from nnsvg.gallery import png_size

from .conftest import edge_count, find, parse, viewbox

Cli = Callable[..., tuple[int, str, str]]


def test_svg_to_stdout(cli: Cli) -> None:
    code, out, err = cli("fcnn", "8", "12", "8")
    assert code == 0 and err == ""
    root = parse(out)
    assert len(find(root, "circle")) == 28 and edge_count(root) == 192
    assert out == nnsvg.fcnn([8, 12, 8]).svg()


@pytest.mark.parametrize("suffix", [".svg", ".pdf", ".png", ".eps", ".ps"])
def test_every_format_from_the_cli(cli: Cli, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"net{suffix}"
    code, out, err = cli("fcnn", "8", "12", "8", "-o", target)
    assert (code, out, err) == (0, "", "")
    assert target.stat().st_size > 100
    assert os.listdir(tmp_path) == [target.name]


def test_issue_examples(cli: Cli, tmp_path: Path) -> None:
    code, _, _ = cli("fcnn", "784", "512", "256", "10", "--theme", "paper", "-o", tmp_path / "mnist.pdf")
    assert code == 0
    code, _, _ = cli("fcnn", "4", "6", "6", "2", "--bias", "--arrowheads", "solid", "--bezier",
                     "--direction", "up", "--seed", "3", "--edge-color", "weight", "--edge-width",
                     "weight", "-o", tmp_path / "fancy.png", "--scale", "3")
    assert code == 0
    reference = nnsvg.fcnn([4, 6, 6, 2], bias=True, arrowheads="solid", bezier=True, direction="up",
                           seed=3, edge_color="weight", edge_width="weight")
    _, _, w, h = viewbox(parse(reference.svg()))
    assert png_size(tmp_path / "fancy.png") == (3 * w, 3 * h)


def test_set_and_save_spec_round_trip(cli: Cli, tmp_path: Path) -> None:
    spec_file, first, second = tmp_path / "fig.yaml", tmp_path / "a.svg", tmp_path / "b.svg"
    code, _, _ = cli("fcnn", "8", "12", "8", "--set", "node.fill=#ffcc00", "--set", "edge.width=1.2",
                     "--save-spec", spec_file, "-o", first)
    assert code == 0
    root = parse(first.read_text())
    assert {c.get("fill") for c in find(root, "circle")} == {"#ffcc00"}
    assert {p.get("stroke-width") for p in find(root, "path") if (p.get("id") or "").startswith("edges")} == {"1.2"}
    assert cli("render", spec_file, "-o", second)[0] == 0
    assert second.read_bytes() == first.read_bytes()
    assert cli("render", spec_file, "-o", tmp_path / "a.pdf")[0] == 0


def test_render_overrides(cli: Cli, tmp_path: Path) -> None:
    spec_file = tmp_path / "fig.toml"
    spec_file.write_text('style = "fcnn"\nlayers = [3, 4]\nedge_color = "weight"\n')
    _, plain, _ = cli("render", spec_file)
    _, seeded, _ = cli("render", spec_file, "--seed", "9")
    _, dark, _ = cli("render", spec_file, "--theme", "dark")
    assert len({plain, seeded, dark}) == 3
    assert seeded == nnsvg.fcnn([3, 4], edge_color="weight", seed=9).svg()


def test_labels_from_the_cli(cli: Cli) -> None:
    _, out, _ = cli("fcnn", "2", "3", "--label", "x", "--label", "y")
    assert [t.text for t in find(parse(out), "text")] == ["x", "y"]
    _, out, _ = cli("fcnn", "2", "3", "--no-labels")
    assert find(parse(out), "text") == []


@pytest.mark.parametrize(("args", "message"), [
    (["fcnn", "8", "0", "8"], "layer 2: a layer needs at least 1 node, got '0'"),
    (["fcnn", "8", "-1", "8"], "layer 2: a layer needs at least 1 node"),
    (["fcnn", "8", "x", "8"], "layer 2: expected a layer width (a whole number), got 'x'"),
    (["fcnn", "8"], "a network needs at least 2 layers, got 1"),
    (["fcnn"], "Missing argument"),
    (["fcnn", "8", "8", "--theme", "nope"], "unknown theme 'nope'"),
    (["fcnn", "8", "8", "--set", "node.fil=#fff"], "did you mean 'node.fill'"),
    (["fcnn", "8", "8", "--set", "node.fill"], "--set: expected key=value"),
    (["fcnn", "8", "8", "--set", "node.fill=#12"], "'#12' is not a colour"),
    (["fcnn", "8", "8", "--direction", "sideways"],
     "--direction: expected one of right, left, up, down, got 'sideways'"),
    (["fcnn", "8", "8", "--node-diameter", "-5"], "--node-diameter: expected a value from 1 to 1000"),
    (["fcnn", "8", "8", "--node-gap", "1,2,3"], "node_gap: expected one value or 2"),
    (["fcnn", "8", "8", "--label", "a"], "--label: give one per layer (2), got 1"),
    (["fcnn", "8", "8", "--scale", "2", "--dpi", "300"], "give --scale or --dpi, not both"),
    (["fcnn", "8", "8", "--scale", "0"], "scale: expected a number above 0"),
    (["fcnn", "8", "8", "--bogus"], "No such option: --bogus"),
    (["fcnn", "1000000", "1000000", "--max-nodes", "0"], "more than max_edges"),
    (["render", "missing.yaml"], "cannot read spec file"),
    (["render", "spec.txt"], "unknown extension '.txt'"),
    (["lenetx", "1"], "No such command 'lenetx'"),
])
def test_bad_input_is_one_error_line_exit_2(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    os.chdir(tmp_path)
    code, out, err = cli(*args, "-o", "out.svg") if args[0] in ("fcnn", "render") and len(args) > 1 else cli(*args)
    assert code == 2, err
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(("output", "message"), [
    ("out.jpg", "'.jpg' is not a format nnsvg writes"),
    ("missing/out.svg", "folder 'missing' does not exist"),
    (".", "is a directory"),
])
def test_bad_outputs(cli: Cli, tmp_path: Path, output: str, message: str) -> None:
    os.chdir(tmp_path)
    code, _, err = cli("fcnn", "2", "2", "-o", output)
    assert code == 2 and message in err and err.count("\n") == 1
    assert os.listdir(tmp_path) == []


def test_failed_render_never_touches_existing_files(cli: Cli, tmp_path: Path) -> None:
    target, spec_file = tmp_path / "net.pdf", tmp_path / "fig.yaml"
    target.write_bytes(b"precious")
    spec_file.write_text("precious spec")
    code, _, _ = cli("fcnn", "8", "0", "-o", target, "--save-spec", spec_file)
    assert code == 2
    code, _, _ = cli("fcnn", "8", "8", "--set", "bogus=1", "-o", target, "--save-spec", spec_file)
    assert code == 2
    assert target.read_bytes() == b"precious" and spec_file.read_text() == "precious spec"
    assert sorted(os.listdir(tmp_path)) == ["fig.yaml", "net.pdf"]


def test_themes_and_keys(cli: Cli) -> None:
    code, out, _ = cli("themes")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["colorblind", "dark", "nnsvg", "paper"]
    assert all(len(line.split(None, 1)) == 2 for line in lines)
    code, out, _ = cli("themes", "--keys")
    assert code == 0 and "node.fill" in out and "edge.max_width" in out


def test_version_help_and_schema(cli: Cli) -> None:
    assert cli("--version")[:2] == (0, f"nnsvg {nnsvg.__version__}\n")
    code, out, _ = cli("--help")
    assert code == 0 and "fcnn" in out and "render" in out and "gallery" in out
    code, out, _ = cli("fcnn", "--help")
    assert code == 0 and "--max-nodes" in out and "--arrowheads" in out
    code, out, _ = cli("schema")
    assert code == 0 and '"fcnn"' in out


def test_real_process_and_python_m(tmp_path: Path) -> None:
    target = tmp_path / "net.svg"
    done = subprocess.run([sys.executable, "-m", "nnsvg", "fcnn", "8", "12", "8", "-o", str(target)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == ""
    assert len(find(parse(target.read_text()), "circle")) == 28
    bad = subprocess.run([sys.executable, "-m", "nnsvg", "fcnn", "8", "x"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == "error: layer 2: expected a layer width (a whole number), got 'x'\n"


@pytest.mark.parametrize("args", [
    ["fcnn", "5", "7", "3", "--edge-color", "weight", "--bias", "--arrowheads", "solid"],
    ["lenet", "1@32x32", "6@28x28", "6@14x14", "16@10x10", "120", "10"],
    ["alexnet", "224x224x3:11x11", "55x55x96:5x5", "27x27x256", "1000", "--dims"],
    ["rnn", "3", "5", "5", "2", "--cell", "lstm", "--unroll", "3"],
    ["fcnn", "4", "6", "2", "--dropout", "0.5", "--activations", "relu,softmax", "--show-weights"],
])
def test_determinism_across_processes(args: list[str]) -> None:
    command = [sys.executable, "-m", "nnsvg", *args]
    outs = {subprocess.run(command, capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "random")}
    assert len(outs) == 1 and len(next(iter(outs))) > 1000
