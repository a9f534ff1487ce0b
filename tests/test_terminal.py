"""Nothing from an input reaches the terminal raw: every line nnsvg prints (``error:``,
``note:``, the editor's start-up lines) goes through ``text.terminal``, which writes each
character a terminal acts on as its escape."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from nnsvg.text import terminal

Cli = Callable[..., tuple[int, str, str]]
# every character a terminal acts on: C0, DEL, C1, the bidi marks, overrides and isolates
ACTIVE = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0x61C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                           *range(0x2066, 0x206A)]]
RAW = re.compile("[" + "".join(re.escape(c) for c in ACTIVE) + "]")


def hostile_names(count: int, seed: int = 7) -> list[str]:
    """Names of a model's ops or files mixing letters with escape sequences, CR, LF and C1/bidi
    controls at random places."""
    pieces = ["\x1b[31m", "\x1b]0;title\x07", "\r", "\n", "\x9b2J", "\u202e", "\x00", "\x7f", "\u2066", "\t"]
    rng = random.Random(seed)
    return ["".join(rng.choice([*pieces, "Op", "layer", "é", "ℝ"]) for _ in range(rng.randint(1, 8)))
            for _ in range(count)]


@pytest.mark.parametrize("char", ACTIVE, ids=[f"U+{ord(c):04X}" for c in ACTIVE])
def test_every_active_character_is_escaped(char: str) -> None:
    shown = terminal(f"a{char}b")
    assert RAW.search(shown) is None
    assert shown.startswith("a\\") and shown.endswith("b")
    assert shown[1:-1].encode("ascii").decode("unicode_escape") == char  # the escape names that character


def test_printable_text_is_unchanged() -> None:
    text = "Conv 3×3, x ∈ ℝ¹²⁸ — «Dense» \\x1b (a written backslash stays as it is)"
    assert terminal(text) == text


@pytest.mark.parametrize("name", hostile_names(12))
def test_error_lines_never_carry_controls(cli: Cli, tmp_path: Path, name: str) -> None:
    """A bad option value holding controls: one ``error:`` line, nothing raw in it."""
    code, _, err = cli("fcnn", "4", "4", "--set", f"node.fill={name}")
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1
    assert RAW.search(err[:-1]) is None, err


@pytest.mark.parametrize("name", hostile_names(8, seed=11))
def test_import_notes_never_carry_controls(cli: Cli, tmp_path: Path, name: str) -> None:
    """An ONNX op of a hostile name is drawn as a generic layer and named in a note: escaped."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    nodes = [helper.make_node("Relu", ["x"], ["a"]), helper.make_node(name, ["a"], ["y"], domain="custom")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 8])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("custom", 1)])
    path = tmp_path / "m.onnx"
    onnx.save(model, str(path))
    code, _, err = cli("import", path, "-o", tmp_path / "m.svg")
    assert code in (0, 2), err
    lines = err.splitlines()
    assert lines and all(line.startswith(("note: ", "error: ")) for line in lines), err
    assert RAW.search(err.replace("\n", "")) is None, err
