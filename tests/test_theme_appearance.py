"""Appearance the renderers used to hard-code, now theme keys: each key reaches the drawing,
the default theme draws what the literals drew, bad values are one-line errors."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

import nnsvg
from nnsvg.errors import ThemeError
from nnsvg.theme import Theme, load_theme, themes_dir

from .conftest import REPO, find, parse

DIGIT = REPO / "gallery" / "digit-3.png"
Cli = Callable[..., tuple[int, str, str]]

NEW_KEYS = ["edge.recurrent_dash", "arrow.shaft_scale", "filter.stroke_width", "filter.window_stroke_width",
            "pyramid.stroke_width", "weight_label.background", "weight_label.opacity"]


def alexnet(overrides: dict[str, object]) -> ET.Element:
    """Filter boxes, pyramids, the filter window on an input image and an arrow into a dense layer."""
    return parse(nnsvg.alexnet(["28x28x1:5x5", "24x24x8:3x3", "12x12x8", 10], input_image=str(DIGIT),
                               set=overrides).svg())


def rnn(overrides: dict[str, object]) -> ET.Element:
    """Blocks: feed-forward arrows and dashed recurrent arrows between the steps."""
    return parse(nnsvg.rnn([3, 5, 2], cell="lstm", unroll=3, set=overrides).svg())


def rnn_folded(overrides: dict[str, object]) -> ET.Element:
    return parse(nnsvg.rnn([3, 5, 2], set=overrides).svg())


def weights(overrides: dict[str, object]) -> ET.Element:
    return parse(nnsvg.fcnn([2, 3, 2], show_weights=True, set=overrides).svg())


def classed(root: ET.Element, tag: str, want: set[str], refuse: frozenset[str] = frozenset()) -> list[ET.Element]:
    """The ``tag`` elements whose class has every word of ``want`` and none of ``refuse``."""
    out = []
    for element in find(root, tag):
        words = set((element.get("class") or "").split())
        if want <= words and not words & refuse:
            out.append(element)
    return out


# key, value, figure, (tag, class words, class words to leave out), attribute, default, expected when set
CASES = [
    ("filter.stroke_width", "2", alexnet, ("polygon", {"filter"}, {"window"}), "stroke-width", "0.5", "2"),
    ("filter.window_stroke_width", "2", alexnet, ("polygon", {"filter", "window"}, set()), "stroke-width",
     "0.8", "2"),
    ("pyramid.stroke_width", "2", alexnet, ("polygon", {"pyramid"}, set()), "stroke-width", "0.4", "2"),
    ("arrow.shaft_scale", "3", alexnet, ("path", {"arrow"}, {"arrowhead"}), "stroke-width", "1", "1.5"),
    ("arrow.shaft_scale", "3", rnn, ("path", {"feedforward"}, {"arrowhead"}), "stroke-width", "1", "1.5"),
    ("arrow.shaft_scale", "3", rnn, ("path", {"recurrent"}, {"arrowhead"}), "stroke-width", "1", "1.5"),
    ("arrow.shaft_scale", "3", rnn_folded, ("path", {"recurrent"}, {"arrowhead"}), "stroke-width", "1", "1.5"),
    ("edge.recurrent_dash", "2, 1", rnn, ("path", {"recurrent"}, {"arrowhead"}), "stroke-dasharray", "5 3", "2 1"),
    ("edge.recurrent_dash", "8", rnn_folded, ("path", {"recurrent"}, {"arrowhead"}), "stroke-dasharray", "5 3",
     "8"),
    ("weight_label.opacity", "0.5", weights, ("rect", {"weight-bg"}, set()), "opacity", "0.85", "0.5"),
    ("weight_label.background", "#ffeecc", weights, ("rect", {"weight-bg"}, set()), "fill", "#ffffff", "#ffeecc"),
]


@pytest.mark.parametrize(("key", "value", "figure", "select", "attribute", "default", "expected"), CASES,
                         ids=[f"{c[0]}-{c[2].__name__}" for c in CASES])
def test_each_key_changes_the_shapes_it_governs(key: str, value: str, figure: Callable[[dict[str, object]],
                                                ET.Element], select: tuple[str, set[str], set[str]],
                                                attribute: str, default: str, expected: str) -> None:
    tag, want, refuse = select
    before = classed(figure({}), tag, want, frozenset(refuse))
    after = classed(figure({key: value}), tag, want, frozenset(refuse))
    assert before and len(after) == len(before)
    assert [e.get(attribute) for e in before] == [default] * len(before)  # what the literal drew
    assert [e.get(attribute) for e in after] == [expected] * len(after)


def test_rnn_shaft_never_under_one_px() -> None:
    shafts = classed(rnn({"arrow.shaft_scale": "0.5", "edge.width": "1"}), "path", {"feedforward"},
                     frozenset({"arrowhead"}))
    assert shafts and {e.get("stroke-width") for e in shafts} == {"1"}


def test_solid_recurrent_lines() -> None:
    diagram = nnsvg.rnn([3, 5, 2], unroll=2, set={"edge.recurrent_dash": "none"})
    recurrent = classed(parse(diagram.svg()), "path", {"recurrent"})
    assert recurrent and all(e.get("stroke-dasharray") is None for e in recurrent)
    assert diagram.to_bytes("png")[:4] == b"\x89PNG"  # cairo draws it solid


def test_weight_label_background_follows_the_page() -> None:
    def fills(overrides: dict[str, object]) -> set[str | None]:
        return {e.get("fill") for e in classed(weights(overrides), "rect", {"weight-bg"})}

    assert fills({"background": "#223344"}) == {"#223344"}
    assert fills({"background": "none"}) == {"#ffffff"}  # a transparent page: white boxes
    assert fills({"background": "#223344", "weight_label.background": "Page"}) == {"#223344"}
    assert fills({"background": "#223344", "weight_label.background": "navy"}) == {"#000080"}
    assert fills({"weight_label.background": "none"}) == {"none"}


def test_dash_patterns_are_canonical() -> None:
    for given, canonical in [("5 3", "5 3"), ("5,3", "5 3"), (" 4 , 2.50 ", "4 2.5"), ("0 3 2", "0 3 2"),
                             (6, "6"), ([4, 2], "4 2"), ((1, 0), "1 0"), ("NONE", "none")]:
        assert load_theme("nnsvg", {"edge.recurrent_dash": given}).edge.recurrent_dash == canonical


def test_dash_from_a_theme_file_array(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('[edge]\nrecurrent_dash = [4, 2]\n')
    assert load_theme(str(path)).edge.recurrent_dash == "4 2"
    path.write_text('[edge]\nrecurrent_dash = [4, true]\n')
    with pytest.raises(ThemeError, match=r"^theme '.*mine.toml': edge.recurrent_dash: expected a dash pattern"):
        load_theme(str(path))


@pytest.mark.parametrize(("key", "value", "words"), [
    ("edge.recurrent_dash", "0 0", "not all zero"),
    ("edge.recurrent_dash", "0", "not all zero"),
    ("edge.recurrent_dash", "5 -1", "expected a dash pattern"),
    ("edge.recurrent_dash", "", "expected a dash pattern"),
    ("edge.recurrent_dash", "long short", "expected a dash pattern"),
    ("edge.recurrent_dash", "5 inf", "expected a dash pattern"),
    ("edge.recurrent_dash", "5 nan", "expected a dash pattern"),
    ("edge.recurrent_dash", "5 1000", "from 0 to 100 px"),
    ("edge.recurrent_dash", [], "expected a dash pattern"),
    ("edge.recurrent_dash", [True], "expected a dash pattern"),
    ("edge.recurrent_dash", {"a": 1}, "expected a dash pattern"),
    ("arrow.shaft_scale", "0", "from 0.25 to 10"),
    ("arrow.shaft_scale", "11", "from 0.25 to 10"),
    ("filter.stroke_width", "-1", "from 0 to 10"),
    ("filter.stroke_width", "nan", "from 0 to 10"),
    ("filter.window_stroke_width", "11", "from 0 to 10"),
    ("pyramid.stroke_width", "1e300", "from 0 to 10"),
    ("weight_label.opacity", "1.5", "from 0 to 1"),
    ("weight_label.opacity", "true", "expected a number"),
    ("weight_label.background", "pag", "'none' or 'page'"),
    ("weight_label.background", 3, "'none' or 'page'"),
    ("node.fill", "page", "is not a colour"),  # only keys that say so take 'page'
])
def test_bad_values_are_one_line_errors_naming_the_key(key: str, value: object, words: str) -> None:
    with pytest.raises(ThemeError) as info:
        load_theme("nnsvg", {key: value})
    text = str(info.value)
    assert text.startswith(f"--set {key}: ") and words in text and "\n" not in text, text


def test_default_theme_keeps_the_old_literals() -> None:
    theme = Theme()
    assert theme.edge.recurrent_dash == "5 3" and theme.arrow.shaft_scale == 2.0
    assert (theme.filter.stroke_width, theme.filter.window_stroke_width, theme.pyramid.stroke_width) == (0.5, 0.8, 0.4)
    assert (theme.weight_label.background, theme.weight_label.opacity) == ("page", 0.85)


def test_shipped_themes_set_every_new_key() -> None:
    for path in sorted(themes_dir().glob("*.toml")):
        table = tomllib.loads(path.read_text("utf-8"))
        if path.stem == "nnsvg":  # the default theme is Theme(): its file holds only its description
            assert set(table) == {"description"}, table
            assert load_theme("nnsvg") == dataclasses.replace(Theme(), description=table["description"])
            continue
        for key in NEW_KEYS:
            section, name = key.split(".")
            assert name in table.get(section, {}), f"{path.name} does not set {key}"


def test_themes_keys_lists_the_new_keys(cli: Cli) -> None:
    code, out, _ = cli("themes", "--keys")
    assert code == 0
    listed = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert set(NEW_KEYS) <= listed
