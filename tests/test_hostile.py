"""Hostile and odd input (the adversarial probe's classes): every surface that reaches a cause
gives one error line and exit 2, writes nothing, leaves nothing behind, and refuses quickly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg.spec import files

Cli = Callable[..., tuple[int, str, str]]
HUGE = "9" * 5000  # more digits than Python converts between int and str

# (name, spec file name, its text, words the error must hold)
SPEC_FILES: list[tuple[str, str, str, list[str]]] = [
    ("huge-int-yaml", "a.yaml", f"style: fcnn\nlayers: [8, {HUGE}, 8]\n", ["thousands of digits"]),
    ("huge-int-json", "a.json", f'{{"style": "fcnn", "layers": [8, {HUGE}, 8]}}', ["thousands of digits"]),
    ("huge-int-toml", "a.toml", f'style = "fcnn"\nlayers = [8, {HUGE}, 8]\n', ["thousands of digits"]),
    ("huge-token", "a.yaml", f'style: fcnn\nlayers: [8, "{HUGE}", 8]\n', ["layer 2", "more than nnsvg draws"]),
    ("huge-map-side", "a.yaml", f'style: lenet\nlayers: ["1@{HUGE}x3", 8]\n', ["layer 1", "5,000 digits"]),
    ("inf-seed-yaml", "a.yaml", "style: fcnn\nlayers: [8, 8]\nseed: .inf\n", ["seed", "inf"]),
    ("inf-seed-toml", "a.toml", 'style = "fcnn"\nlayers = [8, 8]\nseed = inf\n', ["seed", "inf"]),
    ("overflow-json", "a.json", '{"style": "fcnn", "layers": [8, 8], "node_diameter": 1e400}',
     ["node_diameter", "finite"]),
    ("400-digits", "a.yaml", f"style: fcnn\nlayers: [8, 8]\nnode_diameter: {'9' * 400}\n",
     ["node_diameter", "finite"]),
    ("400-digit-int-option", "a.yaml", f"style: fcnn\nlayers: [8, 8]\nmax_nodes: {'9' * 400}\n",
     ["max_nodes", "expected a value from"]),
    ("list-key", "a.yaml", "style: fcnn\nlayers: [8, 8]\n? [a, b]\n: 1\n", ["keys are text", "['a', 'b']"]),
    ("int-key", "a.yaml", "style: fcnn\nlayers: [8, 8]\n1: 2\n", ["keys are text", "key 1"]),
    ("null-key", "a.yaml", "style: fcnn\nlayers: [8, 8]\n~: 2\n", ["keys are text", "None"]),
    ("layer-int-key", "a.yaml", "style: fcnn\nlayers: [8, {size: 3, 7: x}]\n", ["keys are text"]),
    ("deep-yaml", "a.yaml", "style: fcnn\nlayers: " + "[" * 20000 + "]" * 20000 + "\n", ["nested deeper"]),
    ("deep-json", "a.json", '{"style": "fcnn", "layers": ' + "[" * 20000 + "]" * 20000 + "}", ["nested deeper"]),
    ("deep-toml", "a.toml", 'style = "fcnn"\nlayers = ' + "[" * 20000 + "]" * 20000 + "\n", ["nested deeper"]),
]


def alias_bomb(levels: int) -> str:
    lines = ["style: fcnn", "a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join([*lines, f"layers: *a{levels}"]) + "\n"


SPEC_FILES += [
    ("alias-bomb", "a.yaml", alias_bomb(8), ["aliases expand to more than 100,000 values"]),
    ("alias-bomb-5", "a.yaml", alias_bomb(5), ["aliases expand to more than"]),
    ("many-aliases", "a.yaml", "style: fcnn\nx0: &x0 [1]\n" + "".join(f"x{i}: &x{i} [*x{i - 1}]\n"
                                                                      for i in range(1, 150)),
     ["more than 100 YAML aliases"]),
]


@pytest.mark.parametrize(("name", "filename", "text", "words"), SPEC_FILES, ids=[c[0] for c in SPEC_FILES])
def test_hostile_spec_files(cli: Cli, tmp_path: Path, name: str, filename: str, text: str,
                            words: list[str]) -> None:
    spec = tmp_path / filename
    spec.write_text(text, "utf-8")
    target = tmp_path / "out.svg"
    target.write_bytes(b"old")
    start = time.process_time()  # CPU time of this process (the CLI runs in-process): a loaded
    code, _, err = cli("render", spec, "-o", target)  # machine does not make it fail, slow code does
    assert time.process_time() - start < 5
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and len(err) < 400, err
    for word in words:
        assert word in err, (word, err)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([filename, "out.svg"])
    with pytest.raises(nnsvg.SpecError):  # the API meets the same cause the same way
        nnsvg.load(spec)


def test_error_messages_are_capped() -> None:
    with pytest.raises(nnsvg.SpecError) as caught:
        nnsvg.fcnn([8, 8], node_gap=[[1] * 100_000])
    assert len(str(caught.value)) < 300
    with pytest.raises(nnsvg.SpecError) as caught:
        nnsvg.fcnn(["x" * 100_000, 8])
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize("args", [
    ["fcnn", "8", HUGE, "8"],
    ["fcnn", "8", "8", "--seed", HUGE],
    ["fcnn", "8", "8", "--node-diameter", HUGE],
    ["lenet", f"1@{HUGE}x2", "4"],
    ["alexnet", f"2x2x{HUGE}", "4"],
])
def test_huge_numbers_on_the_command_line(cli: Cli, args: list[str]) -> None:
    code, _, err = cli(*args)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and len(err) < 300, err


def test_numpy_like_numbers_are_accepted() -> None:
    """numpy's integers are numbers.Integral but not int; floats were accepted already."""
    import fractions
    import numbers

    class Int64:  # what numpy.int64 looks like to nnsvg
        def __init__(self, value: int) -> None:
            self.value = value

        def __int__(self) -> int:
            return self.value

        def __index__(self) -> int:
            return self.value

        def __float__(self) -> float:
            return float(self.value)

    numbers.Integral.register(Int64)
    svg = nnsvg.fcnn([Int64(3), Int64(4)], seed=Int64(2), max_nodes=Int64(10)).svg()
    assert svg == nnsvg.fcnn([3, 4], seed=2, max_nodes=10).svg()
    assert nnsvg.fcnn([fractions.Fraction(4, 2), 3]).spec.layers[0].size == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_and_device_specs_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "fig.yaml"
    os.mkfifo(fifo)
    links = [fifo]
    if Path("/dev/zero").exists():
        zero = tmp_path / "z.yaml"
        zero.symlink_to("/dev/zero")
        links.append(zero)
    for path in links:
        done = subprocess.run([sys.executable, "-m", "nnsvg", "render", str(path)], capture_output=True,
                              text=True, timeout=20)
        assert done.returncode == 2, done.stderr
        assert "not a file" in done.stderr and done.stderr.count("\n") == 1


def test_big_spec_files_are_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"style: fcnn\nlayers: [8, 8]\n" + b"#" * (files.MAX_SPEC_BYTES + 10))
    start = time.process_time()
    with pytest.raises(nnsvg.SpecError, match="larger than 1 MB"):
        nnsvg.load(big)
    assert time.process_time() - start < 1


@pytest.mark.parametrize(("output", "words"), [
    ("", ["the file name is empty"]),
    ("   ", ["the file name is empty"]),
    ("~nosuchuser12345/x.svg", ["no such user"]),
    ("a" * 300 + ".svg", ["longer than 255 bytes"]),
    ("nofolder/" + "b" * 300 + "/x.svg", ["does not exist"]),
])
def test_odd_output_paths(cli: Cli, tmp_path: Path, output: str, words: list[str]) -> None:
    os.chdir(tmp_path)
    code, _, err = cli("fcnn", "2", "2", "-o", output)
    assert code == 2 and err.count("\n") == 1, err
    for word in words:
        assert word in err
    with pytest.raises(nnsvg.ExportError):
        nnsvg.fcnn([2, 2]).save(output)
    assert list(tmp_path.iterdir()) == []


def test_theme_name_too_long(cli: Cli) -> None:
    code, _, err = cli("fcnn", "2", "2", "--theme", "t" * 300 + ".toml")
    assert code == 2 and err.count("\n") == 1 and "internal" not in err, err


@pytest.mark.parametrize(("call", "words"), [
    (lambda: nnsvg.load(None), ["expected a file path", "None"]),  # type: ignore[arg-type]
    (lambda: nnsvg.load("a\0b.yaml"), ["\\x00"]),
    (lambda: nnsvg.load(b"fig.yaml"), ["expected a file path"]),  # type: ignore[arg-type]
    (lambda: nnsvg.render(type("Fake", (), {"style": "fcnn"})()), ["render() takes a spec mapping"]),
    (lambda: nnsvg.fcnn([2, 2]).save("a\0b.svg"), ["NUL"]),
    (lambda: nnsvg.fcnn([2, 2]).save(None), ["expected a file path"]),  # type: ignore[arg-type]
    (lambda: nnsvg.fcnn([2, 2]).save("x.svg", spec=3), ["save_spec", "expected a file path"]),  # type: ignore[arg-type]
])
def test_api_path_edge_cases(call: Callable[[], Any], words: list[str]) -> None:
    with pytest.raises(nnsvg.NnsvgError) as caught:
        call()
    assert "\n" not in str(caught.value)
    for word in words:
        assert word in str(caught.value), (word, str(caught.value))


def test_options_after_double_dash_are_named(cli: Cli) -> None:
    code, _, err = cli("fcnn", "--", "8", "8", "-o", "x.svg")
    assert code == 2 and "-o comes after '--'" in err and "did you mean" not in err


def test_render_refuses_to_overwrite_its_own_spec(cli: Cli, tmp_path: Path) -> None:
    spec = tmp_path / "fig.yaml"
    spec.write_text("style: fcnn  # mine\nlayers: [3, 3]\n", "utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(spec)
    for same in (spec, tmp_path / "." / "fig.yaml", link):
        code, _, err = cli("render", spec, "--save-spec", same, "-o", tmp_path / "x.svg")
        assert code == 2 and "is the spec file being rendered" in err, err
        assert spec.read_text("utf-8").endswith("# mine\nlayers: [3, 3]\n")
    assert not (tmp_path / "x.svg").exists()
    code, _, err = cli("render", spec, "--save-spec", tmp_path / "copy.yaml", "-o", tmp_path / "x.svg")
    assert code == 0, err


def run_nnsvg(args: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nnsvg", *args], stderr=subprocess.PIPE, text=True, timeout=60,
                          **kw)


def test_standard_output_failures() -> None:
    if Path("/dev/full").exists():
        with open("/dev/full", "w") as full:
            done = run_nnsvg(["fcnn", "8", "8"], stdout=full)
        assert done.returncode == 2 and "No space left on device" in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1
    closed = subprocess.run([sys.executable, "-m", "nnsvg", "fcnn", "8", "8"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, timeout=60, preexec_fn=lambda: os.close(1))
    assert closed.returncode == 2 and closed.stderr.count("\n") == 1, closed.stderr
    assert "standard output is closed" in closed.stderr


def test_broken_pipe_is_one_line() -> None:
    process = subprocess.Popen([sys.executable, "-m", "nnsvg", "fcnn", "400", "400", "400", "--max-nodes", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(100)
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 2
    assert err.count("\n") == 1 and "broken pipe" in err, err


def handlers_installed(pid: int, signum: int) -> bool:
    """Whether the process catches ``signum`` yet (Linux: the SigCgt mask in /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True  # it has ended
    mask = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(mask, 16) >> (signum - 1) & 1)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc to see the handlers")
@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signals_leave_no_trace(tmp_path: Path, delay: float, signum: int) -> None:
    """From the moment nnsvg's entry point runs (a few ms after Python starts: the package
    imports almost nothing), SIGINT and SIGTERM give one line, no traceback, the old file."""
    target = tmp_path / "net.svg"
    target.write_bytes(b"old figure")
    process = subprocess.Popen([sys.executable, "-m", "nnsvg", "fcnn", "500", "500", "500", "--max-nodes", "0",
                                "-o", str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not handlers_installed(process.pid, signal.SIGTERM) and time.monotonic() < deadline:  # ours: both
        time.sleep(0.001)
    time.sleep(delay)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    finished = target.read_bytes().endswith(b"</svg>\n")
    stopped = {signal.SIGINT: 130, signal.SIGTERM: 143}[signum]
    if process.returncode == 0 or (process.returncode in (-signum, stopped) and finished):
        # it finished first, or was stopped after the new file was in place (while printing its
        # notes or while Python shut down): the new figure is whole, never a part of one
        assert finished
    else:
        assert process.returncode == {signal.SIGINT: 130, signal.SIGTERM: 143}[signum], (process.returncode, err)
        assert err == {signal.SIGINT: "error: interrupted\n", signal.SIGTERM: "error: terminated\n"}[signum]
        assert target.read_bytes() == b"old figure"
    assert [p.name for p in tmp_path.iterdir()] == ["net.svg"]


def test_json_spec_round_trip_still_works(tmp_path: Path) -> None:
    spec = tmp_path / "a.json"
    spec.write_text(json.dumps({"style": "fcnn", "layers": [3, {"size": 4, "label": "h"}], "seed": 3}))
    assert nnsvg.load(spec).spec.seed == 3


@pytest.mark.parametrize(("args", "words"), [
    (["--scale", "64"], ["31,168 × 32,384 px", "use --scale 28.5 or less"]),
    (["--dpi", "9000"], ["more than nnsvg draws", "megapixels"]),
    (["--scale", "1e-300"], ["would be 0 × 0 px", "raise --scale"]),
    (["--scale", "0.001"], ["would be 0 × 1 px"]),
])
def test_raster_size_is_checked_before_drawing(cli: Cli, tmp_path: Path, args: list[str], words: list[str]) -> None:
    start = time.process_time()
    code, _, err = cli("fcnn", "8", "12", "8", "-o", tmp_path / "x.png", *args)
    assert time.process_time() - start < 2
    assert code == 2 and err.count("\n") == 1 and "CAIRO" not in err, err
    for word in words:
        assert word in err, (word, err)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(nnsvg.ExportError, match=r"megapixels|would be 0"):
        nnsvg.fcnn([8, 12, 8]).to_bytes("png", scale=float(args[1]) if args[0] == "--scale" else None,
                                         dpi=float(args[1]) if args[0] == "--dpi" else None)


@pytest.mark.parametrize(("style", "token"), [("fcnn", 3), ("lenet", "1@2x2"), ("alexnet", "2x2x2"), ("rnn", 2)])
def test_layer_count_limit(style: str, token: object) -> None:
    from nnsvg.spec.tokens import MAX_LAYERS

    diagram = nnsvg.draw(style, [token] * MAX_LAYERS)
    assert len(diagram.spec.layers) == MAX_LAYERS
    with pytest.raises(nnsvg.SpecError, match=f"{MAX_LAYERS + 1:,} layers is more than nnsvg draws"):
        nnsvg.draw(style, [token] * (MAX_LAYERS + 1))


def test_many_captions_are_placed_clear_of_each_other() -> None:
    """Caption placement looks only at its neighbours now; it must still keep them apart."""
    from .conftest import assert_clear

    assert_clear(nnsvg.lenet(["1@2x2", "1@3x3", "2@2x2"] * 60 + [4]))


SIGNAL_IN_CALLBACK = """
import gc, os, signal, sys, weakref
from nnsvg import entry
from nnsvg.errors import Interrupted, interruption
entry.install()
number = signal.{signal}
def send(*_):
    os.kill(os.getpid(), number)
class Dying:
    def __del__(self):
        send()
class Named:
    def __set_name__(self, owner, name):
        send()
        sum(range(10))
def trigger(kind):
    if kind == "weakref":
        class A: pass
        a = A()
        keep = weakref.ref(a, send)
        del a
    elif kind == "finalize":
        class B: pass
        b = B()
        weakref.finalize(b, send)
        del b
    elif kind == "del":
        Dying()
    elif kind == "gc":
        gc.callbacks.append(send)
        gc.collect()
    elif kind == "set_name":
        type("C", (), {{"x": Named()}})
try:
    trigger("{kind}")
    for _ in range(3_000_000):
        pass
    print("not interrupted")
except BaseException as error:
    stop = interruption(error)
    print("interrupted", stop.name if stop else repr(error))
"""


@pytest.mark.parametrize("kind", ["weakref", "finalize", "del", "gc", "set_name"])
@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_a_signal_inside_a_callback_is_not_lost(kind: str, name: str) -> None:
    """A signal that arrives while Python runs a callback it cannot raise from (a weakref's, as
    importlib's module locks have; a finalizer; __del__; a gc callback) was printed as "Exception
    ignored" and lost, and one raised in __set_name__ came out as a RuntimeError: it is raised
    in ordinary code, or found behind the error Python wrapped it in."""
    code = SIGNAL_IN_CALLBACK.format(signal=name, kind=kind)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    expected = {"SIGINT": "interrupted", "SIGTERM": "terminated"}[name]
    assert (run.stdout, run.stderr) == (f"interrupted {expected}\n", "")
