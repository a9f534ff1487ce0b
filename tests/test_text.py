"""One check_text, one nearest, one looks_like_path (nnsvg/text.py), used by specs and themes
alike: every entry point refuses the same characters with the same one-line message."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

import nnsvg
import nnsvg.text
from nnsvg.errors import NnsvgError, SpecError, ThemeError
from nnsvg.text import check_text, looks_like_path, nearest

Cli = Callable[..., tuple[int, str, str]]

BAD = ["\uffff", "\ufffe", "\x01", "\ud800"]  # not characters, a C0 control, a lone surrogate


def message(name: str, text: str, char: str) -> str:
    """check_text's message: an entry point with rules of its own would word it differently."""
    return f"{name}: {text!r} contains the character {char!r}, which an SVG file cannot hold"


def test_check_text_refuses_what_xml_cannot_hold() -> None:
    for char in [*BAD, "\x00", "\x1f", "\udfff"]:
        with pytest.raises(SpecError, match=re.escape(message("x", f"a{char}", char))):
            check_text(f"a{char}", "x")
    with pytest.raises(ThemeError):
        check_text("\uffff", "x", ThemeError)
    for good in ("tab\there", "two\nlines\r", "x ∈ ℝ³", "\ufffd", "\U0001f600", ""):
        assert check_text(good, "x") == good


def test_nearest_suggests_or_lists() -> None:
    assert nearest("papr", ["nnsvg", "paper"]) == "; did you mean 'paper'?"
    assert nearest("zzz", ["b", "a"]) == "; valid: a, b"
    assert nearest("zzz", ["b", "a"], otherwise="") == ""
    assert nearest("node.fil", {"node.fill": 1, "edge.width": 2}) == "; did you mean 'node.fill'?"


@pytest.mark.parametrize(("theme", "path"), [
    ("paper", False), ("my-theme", False), ("mine.toml", True), ("themes/x", True), ("themes\\x", True),
    ("/abs/x.toml", True),
])
def test_looks_like_path(theme: str, path: bool) -> None:
    assert looks_like_path(theme) is path


def _theme_file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "mine.toml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def _toml_escape(char: str) -> str:
    return f"\\u{ord(char):04x}"


# (entry point, the name the error must give, a call that passes ``text`` through that entry point)
ENTRY_POINTS: list[tuple[str, str, Callable[[str, Path], object]]] = [
    ("spec layer label", "layer 1.label", lambda text, _: nnsvg.fcnn([{"size": 2, "label": text}, 2])),
    ("spec ops text", "ops[0]", lambda text, _: nnsvg.lenet(["1@4x4", 1], ops=[text])),
    ("spec theme option", "theme", lambda text, _: nnsvg.fcnn([2, 2], theme=text)),
    ("theme --set family", "--set text.family", lambda text, _: nnsvg.fcnn([2, 2], set={"text.family": text})),
    ("theme --set colour name", "--set node.fill", lambda text, _: nnsvg.fcnn([2, 2], set={"node.fill": text})),
    ("theme --set description", "--set description",
     lambda text, _: nnsvg.fcnn([2, 2], set={"description": text})),
    ("theme --set number", "--set edge.width", lambda text, _: nnsvg.fcnn([2, 2], set={"edge.width": text})),
    ("theme --set dash", "--set edge.recurrent_dash",
     lambda text, _: nnsvg.rnn([2, 3, 2], set={"edge.recurrent_dash": text})),
]

# theme files: TOML cannot spell a lone surrogate, so those are given the other characters
FILE_ENTRY_POINTS: list[tuple[str, str, str]] = [
    ("theme file family", "text.family", '[text]\nfamily = "{}"\n'),
    ("theme file description", "description", 'description = "{}"\n'),
    ("theme file colour", "node.fill", '[node]\nfill = "{}"\n'),
    ("theme file base", "base", 'base = "{}"\n'),
]


@pytest.mark.parametrize("char", BAD, ids=["U+FFFF", "U+FFFE", "U+0001", "lone-surrogate"])
@pytest.mark.parametrize(("name", "call"), [e[1:] for e in ENTRY_POINTS], ids=[e[0] for e in ENTRY_POINTS])
def test_every_entry_point_uses_check_text(tmp_path: Path, char: str, name: str,
                                           call: Callable[[str, Path], object]) -> None:
    text = f"A{char}B"
    with pytest.raises(NnsvgError) as info:
        diagram = call(text, tmp_path)
        diagram.svg()  # type: ignore[attr-defined]
    assert str(info.value).endswith(message(name, text, char)), str(info.value)


@pytest.mark.parametrize("char", BAD[:3], ids=["U+FFFF", "U+FFFE", "U+0001"])
@pytest.mark.parametrize(("name", "body"), [e[1:] for e in FILE_ENTRY_POINTS], ids=[e[0] for e in FILE_ENTRY_POINTS])
def test_theme_files_use_check_text(tmp_path: Path, char: str, name: str, body: str) -> None:
    path = _theme_file(tmp_path, body.format("A" + _toml_escape(char) + "B"))
    with pytest.raises(ThemeError) as info:
        nnsvg.fcnn([2, 2], theme=path).svg()
    assert str(info.value) == f"theme '{path}': " + message(name, f"A{char}B", char)


def test_both_entry_points_call_the_one_check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tighten the shared rule: spec and theme both follow, so neither has a check of its own."""
    monkeypatch.setattr(nnsvg.text, "_NOT_XML", re.compile("§"))
    with pytest.raises(SpecError, match="which an SVG file cannot hold"):
        nnsvg.fcnn([{"size": 2, "label": "a§"}, 2])
    with pytest.raises(ThemeError, match="which an SVG file cannot hold"):
        nnsvg.fcnn([2, 2], set={"text.family": "a§"}).svg()
    with pytest.raises(ThemeError, match="which an SVG file cannot hold"):
        nnsvg.fcnn([2, 2], theme=_theme_file(tmp_path, 'description = "a§"\n')).svg()


def test_uffff_family_is_an_error_not_a_broken_file(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "x.svg"
    code, stdout, err = cli("fcnn", "2", "2", "--set", "text.family=A\uffffB", "-o", str(out))
    assert code == 2 and stdout == "" and not out.exists()
    assert err.count("\n") == 1 and err.startswith("error: --set text.family: ") and "cannot hold" in err
    code, stdout, _ = cli("fcnn", "2", "2", "--set", "text.family=A\ufffdB")  # U+FFFD is a character
    assert code == 0
    ET.fromstring(stdout.encode("utf-8"))


def test_theme_base_path_rule_is_the_spec_rule(tmp_path: Path) -> None:
    """A base with a backslash is a path relative to the theme file, as a spec's theme is."""
    (tmp_path / "sub\\base").write_text('description = "the base"\n[node]\nfill = "#123456"\n')
    theme = nnsvg.fcnn([2, 2], theme=_theme_file(tmp_path, 'base = "sub\\\\base"\n')).theme
    assert theme.node.fill == "#123456"


def test_unknown_theme_name_suggests_the_nearest(tmp_path: Path) -> None:
    with pytest.raises(ThemeError, match=r"^unknown theme 'papr'; did you mean 'paper'\? \(built-in themes: "):
        nnsvg.fcnn([2, 2], theme="papr").svg()
    with pytest.raises(ThemeError, match=r"^unknown theme 'zzz' \(built-in themes: .*\.toml file\)$"):
        nnsvg.fcnn([2, 2], theme="zzz").svg()


def test_quote_names_a_huge_integer_by_its_size() -> None:
    """repr() of an integer over 4300 digits raises ValueError, and a long one is slow."""
    from nnsvg.text import quote

    assert quote(10**400 - 1) == "an integer of 400 digits"
    assert quote(-(10**5000)) == "a negative integer of 5,001 digits"
    assert quote([1, 10**5000]) == "[1, an integer of 5,001 digits]"
    assert quote(10**100_000).startswith("an integer of about ")
    assert quote(12) == "12" and quote(True) == "True" and len(quote("x" * 10**6)) < 80


def test_check_text_quotes_the_text_cut_short() -> None:
    with pytest.raises(SpecError) as info:
        check_text("A" * 100_000 + "\uffff", "x")
    assert len(str(info.value)) < 200


def test_moved_clear_keeps_the_host() -> None:
    """A text moved clear of obstacles still names the shape it sits on."""
    from nnsvg.geometry import BBox, text_box
    from nnsvg.layout.labels import moved_clear
    from nnsvg.scene import Circle, Text

    host = Circle(0.0, 0.0, 10.0, "white", "black", 1.0)
    text = Text(0.0, 0.0, "+1", 9.0, "sans-serif", "black", "middle",
                text_box("+1", 0.0, 0.0, 9.0, "sans-serif", "middle"), "bias", host)
    moved = moved_clear(text, [BBox(-20.0, -20.0, 20.0, 20.0)], (0.0, 1.0))
    assert moved.y > text.y and moved.host is host
