from __future__ import annotations

from pathlib import Path

import pytest

from nnsvg import colors
from nnsvg.errors import ThemeError
from nnsvg.theme import Theme, apply, builtin_names, load_theme, theme_keys


def test_builtin_themes_exist_and_load() -> None:
    names = builtin_names()
    assert {"nnsvg", "paper", "dark", "colorblind"} <= set(names)
    for name in names:
        theme = load_theme(name)
        assert theme.name == name
        assert theme.description, f"{name} has no description"


def test_default_theme_is_nn_svg_look() -> None:
    theme = load_theme("nnsvg")
    assert theme.node.fill == "#ffffff" and theme.node.stroke == "#333333"
    assert theme.edge.color == "#505050" and theme.edge.width == 0.5
    assert (theme.edge.negative, theme.edge.positive) == ("#0000ff", "#ff0000")
    assert load_theme("nnsvg") == Theme(name="nnsvg", description=theme.description)


def test_paper_prints_in_greyscale() -> None:
    paper = load_theme("paper")
    assert "serif" in paper.text.family and "sans" not in paper.text.family.split(",")[0].lower()
    assert paper.edge.width < Theme().edge.width
    # the two ends of the weight ramp must differ in luminance, not only in hue
    assert abs(colors.luminance(paper.edge.negative) - colors.luminance(paper.edge.positive)) > 0.2


def test_colorblind_uses_okabe_ito() -> None:
    theme = load_theme("colorblind")
    assert (theme.edge.negative, theme.edge.positive) == ("#0072b2", "#d55e00")


def test_overrides_and_validation() -> None:
    theme = load_theme("nnsvg", {"node.fill": "#FC0", "edge.width": "1.2", "background": "none"})
    assert theme.node.fill == "#ffcc00"
    assert theme.edge.width == 1.2
    assert theme.background == "none"
    assert load_theme("nnsvg").node.fill == "#ffffff"  # loading is side-effect free


@pytest.mark.parametrize(("key", "value", "message"), [
    ("node.fil", "#fff", "did you mean 'node.fill'"),
    ("edge.widht", "1", "did you mean 'edge.width'"),
    ("node.fill", "#ggg", "'#ggg' is not a colour"),
    ("edge.width", "thick", "expected a number"),
    ("edge.width", "-1", "at least 0"),
    ("edge.opacity", "1.5", "from 0 to 1"),
    ("edge.width", "nan", "expected a number"),
    ("text.color", "none", "is not a colour"),
])
def test_bad_overrides_name_the_key(key: str, value: str, message: str) -> None:
    with pytest.raises(ThemeError, match=message) as info:
        load_theme("nnsvg", {key: value})
    assert "\n" not in str(info.value)


def test_unknown_theme_lists_builtins() -> None:
    with pytest.raises(ThemeError, match=r"did you mean 'paper'.*built-in themes: "):
        load_theme("papr")


def test_user_theme_file_with_base(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('base = "paper"\ndescription = "mine"\n[node]\nfill = "#cfe8ff"\n')
    theme = load_theme(str(path))
    assert theme.name == "mine" and theme.node.fill == "#cfe8ff"
    assert theme.text.family == load_theme("paper").text.family  # inherited


@pytest.mark.parametrize(("text", "message"), [
    ("[node]\nfil = '#fff'\n", "did you mean 'node.fill'"),
    ("[node\n", "not valid TOML"),
    ("margin = true\n", "expected a number"),
    ("base = 'mine.toml'\n", "base must name another theme.*a cycle"),
    ("base = 3\n", "base must name another theme"),
    ("[text]\nfamily = \"Sans\\u001f\"\n", "cannot hold"),
])
def test_bad_theme_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(ThemeError, match=message):
        load_theme(str(path))


def test_missing_and_non_utf8_theme_files(tmp_path: Path) -> None:
    with pytest.raises(ThemeError, match="does not exist"):
        load_theme(str(tmp_path / "nope.toml"))
    bad = tmp_path / "latin.toml"
    bad.write_bytes(b'description = "caf\xe9"\n')
    with pytest.raises(ThemeError, match="not UTF-8"):
        load_theme(str(bad))


def test_every_key_is_settable() -> None:
    keys = theme_keys()
    assert "node.fill" in keys and "margin" in keys and "text.size" in keys
    for key, meta in keys.items():
        value = {"color": "#123456", "number": "0.5", "text": "x", "dash": "4 2"}[meta["kind"]]
        if key == "text.size":
            value = "3"
        apply(Theme(), {key: value})


def test_colour_ramp_passes_through_zero_colour() -> None:
    assert colors.ramp("#0000ff", "#ffffff", "#ff0000", 0) == "#ffffff"
    assert colors.ramp("#0000ff", "#ffffff", "#ff0000", -1) == "#0000ff"
    assert colors.ramp("#0000ff", "#ffffff", "#ff0000", 1) == "#ff0000"
    assert colors.ramp("#0000ff", "#ffffff", "#ff0000", 0.5) == "#ff8080"
    assert colors.normalize("Navy", "x") == "#000080"
