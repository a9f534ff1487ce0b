from __future__ import annotations

import math
import re
import time
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
    ("edge.width", "-1", "from 0 to 100"),
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


# --- issue 18: every theme number has an upper bound; numbers too big for a float are errors

def test_every_number_has_finite_bounds_and_every_text_a_length() -> None:
    for key, meta in theme_keys().items():
        if meta["kind"] in ("number", "dash"):
            assert math.isfinite(meta["high"]) and meta["low"] <= meta["high"], key
        if meta["kind"] == "text":
            assert 100 <= meta["longest"] <= 1000, key


def test_builtin_themes_are_within_the_bounds() -> None:
    for name in builtin_names():
        load_theme(name)  # a built-in value out of range would raise here


@pytest.mark.parametrize(("key", "low", "high"), [
    ("margin", 0, 10_000), ("node.stroke_width", 0, 100), ("edge.width", 0, 100), ("edge.max_width", 0, 100),
    ("arrow.length", 0, 1000), ("arrow.width", 0, 1000), ("text.size", 1, 500), ("block.radius", 0, 1000),
    ("edge.opacity", 0, 1), ("volume.shade", 0, 1), ("filter.stroke_width", 0, 10), ("arrow.shaft_scale", 0.25, 10),
])
def test_bounds_are_inclusive(key: str, low: float, high: float) -> None:
    for good in (low, high, str(high), int(high)):
        apply(Theme(), {key: good})
    for bad in (high * 1.001 + 0.001, low - 0.001, str(high * 10), 10**400, 10**5000, -(10**5000), 1e308,
                math.inf, -math.inf, math.nan, "1e400", "9" * 5000):
        with pytest.raises(ThemeError, match=rf"^{re.escape(key)}: expected a number from {low:g} to {high:g}, got"):
            apply(Theme(), {key: bad})


def test_the_largest_margin_gives_a_sane_page() -> None:
    import nnsvg

    from .conftest import parse, viewbox

    svg = nnsvg.fcnn([8, 12, 8], set={"margin": 10_000, "text.size": 500, "node.stroke_width": 100}).svg()
    _, _, width, height = viewbox(parse(svg))
    assert 20_000 < width < 30_000 and 20_000 < height < 30_000
    assert len(svg) < 200_000


def test_huge_numbers_in_a_theme_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    for text, message in ((f"margin = {'9' * 400}", "an integer of 400 digits"),
                          (f"margin = {'9' * 5000}", "more than 4300 digits"),
                          ("margin = 1e400", "got inf"), ("margin = -inf", "got -inf"), ("margin = nan", "got nan"),
                          (f"[edge]\nrecurrent_dash = [5, {'9' * 400}]", "an integer of 400 digits")):
        path.write_text(text + "\n")
        start = time.perf_counter()
        with pytest.raises(ThemeError, match=message) as info:
            load_theme(str(path))
        assert time.perf_counter() - start < 1.0 and len(str(info.value)) < 300


def test_theme_texts_are_bounded() -> None:
    assert apply(Theme(), {"text.family": "x" * 200}).text.family == "x" * 200
    for key, value in (("text.family", "x" * 201), ("description", "x" * 301), ("name", 10**5000)):
        with pytest.raises(ThemeError, match=rf"^{re.escape(key)}: expected at most \d+ characters, got .{{0,80}}$"):
            apply(Theme(), {key: value})
    assert apply(Theme(), {"name": 42}).name == "42"


def test_dash_patterns_are_bounded() -> None:
    assert apply(Theme(), {"edge.recurrent_dash": [1] * 16}).edge.recurrent_dash == " ".join(["1"] * 16)
    with pytest.raises(ThemeError, match="1 to 16 dash and gap lengths"):
        apply(Theme(), {"edge.recurrent_dash": [1] * 17})


def test_themes_keys_shows_the_bounds() -> None:
    from nnsvg.theme import describe_keys

    docs = {key: doc for key, _, doc in describe_keys()}
    assert docs["margin"].endswith("[from 0 to 10000]")
    assert docs["text.size"].endswith("[from 1 to 500]")
    assert docs["text.family"].endswith("[at most 200 characters]")


def test_themes_built_on_themes_are_bounded(tmp_path: Path) -> None:
    """A chain of bases ends in a one-line error, not a RecursionError."""
    for i in range(40):
        (tmp_path / f"t{i}.toml").write_text(f'base = "t{i + 1}.toml"\n' if i < 39 else "margin = 3\n")
    assert load_theme(str(tmp_path / "t25.toml")).margin == 3
    with pytest.raises(ThemeError, match="at most 16 deep"):
        load_theme(str(tmp_path / "t0.toml"))
