"""The paper's font for real (nnsvg.fonts) and text as outlines (nnsvg.outlines).

Fonts used: Latin Modern Roman (Debian's fonts-lmodern; .ci/run installs it) where installed, a
narrow URW font (fonts-urw-base35, which Ghostscript brings), and a font file the tests build
with fontTools: "Nnsvg Test Wide", ASCII only, every advance exactly 1 em.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg import fonts
from nnsvg.geometry import text_width
from nnsvg.scene import Path as PathPrim
from nnsvg.scene import Text

SVG = "{http://www.w3.org/2000/svg}"
LM = "Latin Modern Roman"
HAVE_FC = shutil.which("fc-match") is not None
needs_fc = pytest.mark.skipif(not HAVE_FC, reason="fontconfig (fc-match) is not installed")


def installed(family: str) -> bool:
    if not HAVE_FC:
        return False
    out = subprocess.run(["fc-list", family, "family"], capture_output=True, text=True).stdout
    return any(family in line.split(",") for line in out.splitlines())


needs_lm = pytest.mark.skipif(not installed(LM), reason="Latin Modern Roman is not installed (fonts-lmodern)")


def wide_font(folder: Path) -> Path:
    """A TrueType font of the printable ASCII characters, each a box 1 em wide: no ℝ, no ∈."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    chars = [chr(c) for c in range(0x21, 0x7F)]
    names = [".notdef", "space", *(f"g{ord(c)}" for c in chars)]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({0x20: "space", **{ord(c): f"g{ord(c)}" for c in chars}})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name != "space":
            pen.moveTo((100, 0))
            pen.lineTo((100, 700))
            pen.lineTo((900, 700))
            pen.lineTo((900, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({name: (1000, 100) for name in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Nnsvg Test Wide", "styleName": "Regular", "psName": "NnsvgTestWide-Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    path = folder / "nnsvg-test-wide.ttf"
    fb.save(str(path))
    return path


@pytest.fixture(autouse=True)
def fresh_lookups() -> Any:
    fonts.forget()
    yield
    fonts.forget()


def texts(diagram: Any) -> list[Text]:
    return [t for t in diagram.scene.walk() if isinstance(t, Text)]


def pdf_chars(data: bytes) -> list[dict[str, Any]]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [dict(c) for c in pdf.pages[0].chars]


def cmap_of(family: str) -> set[int]:
    """The characters of the font fontconfig gives for ``family`` (read here, not by nnsvg)."""
    from fontTools.ttLib import TTFont

    out = subprocess.run(["fc-match", "-a", "--format", "%{file}\n", family], capture_output=True, text=True).stdout
    file = next(f for f in out.splitlines() if f.endswith((".ttf", ".otf")))
    return set(TTFont(file, lazy=True).getBestCmap())


# --- the default families are unchanged ------------------------------------------------------

def test_default_families_measure_from_dejavus_table_without_fonttools_or_fontconfig() -> None:
    """The built-in themes' families are measured from the table (DejaVu's own advances), as
    before, so the gallery and every position test stay where they were; and a default figure
    imports no fontTools and asks fontconfig nothing."""
    from nnsvg.theme import builtin_names, load_theme

    for theme in builtin_names():
        family = load_theme(theme).text.family
        primary = fonts.resolve(family).primary
        assert primary.table in ("DejaVu Sans", "DejaVu Serif") and primary.path is None
    # 'Input Layer ∈ ℝ⁸' in DejaVu Sans, from its advance widths in units of 2048
    advances = [604, 1298, 1300, 1298, 803, 651, 1141, 1255, 1212, 1260, 842, 651, 1784, 651, 1622, 821]
    assert text_width("Input Layer ∈ ℝ⁸", 2048, "DejaVu Sans, Helvetica, Arial, sans-serif") == pytest.approx(
        sum(advances))
    code = ("import sys, nnsvg; from nnsvg import fonts; d = nnsvg.fcnn([8, 12, 8], bias=True); d.svg(); "
            "d.to_bytes('pdf'); nnsvg.lenet(['1@32x32', '6@28x28', 10], theme='paper').svg(); "
            "print('fontTools' in sys.modules, fonts._fc.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "0"]


# --- a serif family that lacks ℝ: per-glyph fallback in PDF and SVG --------------------------

@needs_lm
def test_latin_modern_labels_keep_every_character_in_pdf_and_svg() -> None:
    d = nnsvg.fcnn([8, 12, 8], set={"text.family": f"{LM}, serif"})
    labels = "".join(t.text for t in texts(d))
    assert "ℝ" in labels and "∈" in labels and not d.notes
    assert not ({ord("ℝ"), ord("∈")} & cmap_of(LM))  # the font really lacks them
    chars = pdf_chars(d.to_bytes("pdf"))
    assert "".join(c["text"] for c in chars) == labels  # every character, none missing
    by_char = {c["text"]: c["fontname"].split("+")[-1] for c in chars}
    assert by_char["I"].startswith("LMRoman")
    assert not by_char["ℝ"].startswith("LMRoman") and not by_char["∈"].startswith("LMRoman")
    # the SVG's font list names a family that has each character
    root = ET.fromstring(d.svg())
    for element in root.iter(f"{SVG}text"):
        families = [f.strip().strip("'") for f in element.get("font-family", "").split(",")]
        assert families[0] == LM and families[-1] == "serif"
        covered = set().union(*(cmap_of(f) for f in families if f != "serif"))
        assert all(ord(ch) in covered for ch in element.text or ""), (element.text, families)


@needs_fc
def test_fallback_glyph_is_measured_and_drawn_in_its_own_font(tmp_path: Path) -> None:
    font = wide_font(tmp_path)
    family = f"{font}, serif"
    # 'Layer' is 5 em in the test font; ℝ comes from the serif fallback, with its own advance
    assert text_width("Layer", 10, family) == pytest.approx(50)
    fallback = fonts.resolve(family).font_for(ord("ℝ"))
    assert fallback is not None and fallback.path != str(font)
    assert text_width("Layer ℝ", 10, family) == pytest.approx(60 + 10 * fallback.metrics.widths[ord("ℝ")])
    chars = pdf_chars(nnsvg.fcnn([3, 4, 2], set={"text.family": family}).to_bytes("pdf"))
    names = {c["text"]: c["fontname"].split("+")[-1] for c in chars}
    assert names["I"] == "NnsvgTestWide-Regular"
    assert "Nnsvg" not in names["ℝ"] and "Nnsvg" not in names["∈"] and "Nnsvg" not in names["³"]


# --- the chosen font's metrics drive the layout --------------------------------------------------

def caption_rows(diagram: Any) -> int:
    return len({round(t.y, 3) for t in texts(diagram)})


@needs_fc
def test_captions_are_measured_in_the_chosen_font_and_reflow(tmp_path: Path) -> None:
    wide = str(wide_font(tmp_path))
    default = nnsvg.fcnn([3, 4, 2], layer_spacing=100)
    assert caption_rows(default) == 1
    d = nnsvg.fcnn([3, 4, 2], layer_spacing=100, set={"text.family": f"{wide}, serif"})
    boxes = [t.box.width for t in texts(d)]
    assert boxes[1] > [t.box.width for t in texts(default)][1] * 1.5  # "Hidden Layer ∈ ℝ⁴": 12 em + the fallbacks
    assert caption_rows(d) == 2  # the wide captions no longer fit side by side: a second row
    if not installed("Nimbus Sans Narrow"):
        pytest.skip("Nimbus Sans Narrow is not installed (fonts-urw-base35)")
    assert caption_rows(nnsvg.fcnn([3, 4, 2], layer_spacing=80)) == 2
    narrow = nnsvg.fcnn([3, 4, 2], layer_spacing=80, set={"text.family": "Nimbus Sans Narrow"})
    assert caption_rows(narrow) == 1 and not narrow.notes  # narrow captions fit in one row


# --- families that resolve to nothing -----------------------------------------------------------

def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nnsvg", *args], capture_output=True, text=True, cwd=cwd)


@needs_fc
def test_missing_family_is_a_note_and_falls_back_to_its_class(tmp_path: Path) -> None:
    serif = fonts._fc_match("serif")
    assert serif is not None
    done = run_cli("fcnn", "3", "4", "2", "--set", "text.family=Nowhere Grotesk Pro, serif", "-o",
                   str(tmp_path / "a.svg"))
    assert done.returncode == 0 and (tmp_path / "a.svg").exists()
    note = done.stderr.strip()
    assert note.startswith("note: text.family: 'Nowhere Grotesk Pro' is not installed") and "\n" not in note
    assert f"labels are set in {serif.families[0]}" in note
    # no generic in the list: the name says serif ("Roman"), so a serif it is, not fontconfig's sans default
    d = nnsvg.fcnn([3, 4, 2], set={"text.family": "Imaginary Roman"})
    assert fonts.resolve("Imaginary Roman").primary.path == serif.path
    assert d.notes == [f"text.family: 'Imaginary Roman' is not installed; labels are set in {serif.families[0]} "
                       "instead (fontconfig's serif font)"]
    # a later family of the list that is installed is used, with a note naming it
    assert fonts.resolve("Nowhere Grotesk Pro, DejaVu Serif").primary.family == "DejaVu Serif"


def test_missing_font_file_is_a_note(tmp_path: Path) -> None:
    d = nnsvg.fcnn([3, 4, 2], set={"text.family": f"{tmp_path}/no-such.otf, DejaVu Serif"})
    assert len(d.notes) == 1 and "no-such.otf' (a font file): no such file" in d.notes[0]
    assert fonts.resolve(f"{tmp_path}/no-such.otf, DejaVu Serif").primary.family == "DejaVu Serif"


def test_without_fontconfig_names_fall_back_to_the_table_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "FC_MATCH", str(Path("/nonexistent/fc-match")))
    fonts.forget()
    found = fonts.resolve(f"{LM}, serif")
    assert found.primary.table == "DejaVu Serif"
    assert found.notes == [f"text.family: '{LM}' cannot be looked up: fontconfig (fc-match) is not installed; "
                           "labels are set in DejaVu Serif instead (fontconfig's serif font)"]
    assert found.font_for(ord("ℝ")) == found.primary


# --- a font file path -----------------------------------------------------------------------

def test_font_file_path_is_measured_drawn_and_named_in_svg(tmp_path: Path) -> None:
    wide = wide_font(tmp_path)
    d = nnsvg.fcnn([3, 4, 2], set={"text.family": f"{wide}, DejaVu Serif, serif"})
    assert not d.notes
    first = texts(d)[0]
    # "Input Layer ∈ ℝ³": 13 ASCII characters of 1 em, then ∈, ℝ and ³ in DejaVu Serif
    serif = fonts.resolve("DejaVu Serif").primary.metrics.widths
    assert first.box.width == pytest.approx(first.size * (13 + sum(serif[ord(c)] for c in "∈ℝ³")), rel=1e-9)
    root = ET.fromstring(d.svg())
    element = next(root.iter(f"{SVG}text"))
    assert element.get("font-family") == "Nnsvg Test Wide, DejaVu Serif, serif"  # the file's family, not its path
    assert str(tmp_path) not in d.svg()


# --- text as outlines -----------------------------------------------------------------------------

def ink_difference(a: bytes, b: bytes) -> float:
    """The share of pixels whose grey level differs by more than a quarter between two PNGs,
    seen at a reader's distance (a blur of one pixel: hinting moves glyph edges by less)."""
    from PIL import Image, ImageChops, ImageFilter

    one, two = (Image.open(io.BytesIO(x)).convert("L").filter(ImageFilter.GaussianBlur(1)) for x in (a, b))
    assert one.size == two.size
    histogram = ImageChops.difference(one, two).histogram()
    return sum(histogram[64:]) / (one.size[0] * one.size[1])


def label_difference(a: bytes, b: bytes, diagram: Any, scale: float) -> float:
    """The worst label of two renderings: for each label's box, the share of its pixels that
    differ by more than a quarter (seen through a blur of 1 px: a PNG's hinted text drifts from
    its measured advances by fractions of a pixel), at the best horizontal offset of at most
    4 px (cairosvg anchors centred text by its ink, not its advance)."""
    from PIL import Image, ImageChops, ImageFilter

    one, two = (Image.open(io.BytesIO(x)).convert("L").filter(ImageFilter.GaussianBlur(1)) for x in (a, b))
    page = diagram.scene.page()
    worst = 0.0
    for t in texts(diagram):
        box = t.box.grow(2)
        crop = [round((box.x0 - page.x0) * scale), round((box.y0 - page.y0) * scale),
                round((box.x1 - page.x0) * scale), round((box.y1 - page.y0) * scale)]
        left = one.crop(tuple(crop))
        best = 1.0
        for dx in range(-4, 5):
            right = two.crop((crop[0] + dx, crop[1], crop[2] + dx, crop[3]))
            histogram = ImageChops.difference(left, right).histogram()
            best = min(best, sum(histogram[64:]) / (left.size[0] * left.size[1]))
        worst = max(worst, best)
    return worst


def test_text_as_paths_svg_has_no_text_and_looks_the_same() -> None:
    from .reference import convert

    text = nnsvg.fcnn([3, 4, 2], bias=True)
    paths = nnsvg.fcnn([3, 4, 2], bias=True, text_as_paths=True)
    svg = paths.svg()
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG}text")) and "font-family" not in svg
    assert root.get("viewBox") == ET.fromstring(text.svg()).get("viewBox")  # the page does not move
    assert len([p for p in root.iter(f"{SVG}path") if p.get("class") == "label"]) == 3
    # rendered by the reference converter: every label the same picture (hinting moves a few edge pixels)
    a, b = (convert(d.svg(), "png", scale=2) for d in (text, paths))
    blank = convert(nnsvg.fcnn([3, 4, 2], bias=True, set={"text.color": "#ffffff"}).svg(), "png", scale=2)
    assert label_difference(a, b, text, 2) < 0.06  # measured: at most 0.037
    assert label_difference(a, blank, text, 2) > 0.15  # a missing caption: 0.20
    # the whole picture, through nnsvg's own PNG drawing
    assert ink_difference(text.to_bytes("png", scale=2), paths.to_bytes("png", scale=2)) < 0.004


@needs_fc
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_text_as_paths_pdf_embeds_no_font_and_looks_the_same(tmp_path: Path) -> None:
    family = f"{LM}, serif" if installed(LM) else f"{wide_font(tmp_path)}, serif"
    text = nnsvg.fcnn([8, 12, 8], set={"text.family": family}).to_bytes("pdf")
    paths = nnsvg.fcnn([8, 12, 8], set={"text.family": family}, text_as_paths=True).to_bytes("pdf")
    assert b"/FontFile" in text and b"/FontFile" not in paths and b"/Font" not in paths
    assert not pdf_chars(paths)

    def raster(pdf: bytes, name: str) -> bytes:
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "192", "-singlefile", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True)
        return (tmp_path / f"{name}.png").read_bytes()

    assert ink_difference(raster(text, "text"), raster(paths, "paths")) < 0.0005  # measured: 0.00006
    eps = nnsvg.fcnn([8, 12, 8], set={"text.family": family}, text_as_paths=True).to_bytes("eps")
    assert b"FontName" not in eps and b"%%DocumentSuppliedResources: font" not in eps


def test_text_as_paths_is_deterministic_and_a_spec_key(tmp_path: Path) -> None:
    spec = tmp_path / "fig.yaml"
    spec.write_text("style: rnn\nlayers: [3, 5, 2]\nunroll: 3\ntext_as_paths: true\n")
    first = run_cli("render", str(spec), "-o", str(tmp_path / "a.svg"))
    second = run_cli("render", str(spec), "-o", str(tmp_path / "b.svg"))
    assert first.returncode == second.returncode == 0, first.stderr
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert b"<text" not in (tmp_path / "a.svg").read_bytes()
    # the flag on the command line and on `render`, and PNG accepts it (it looks the same)
    assert run_cli("fcnn", "3", "2", "--text-as-paths", "-o", str(tmp_path / "c.png")).returncode == 0
    plain = tmp_path / "plain.yaml"
    plain.write_text("style: fcnn\nlayers: [3, 2]\n")
    assert run_cli("render", str(plain), "--text-as-paths", "-o", str(tmp_path / "d.svg")).returncode == 0
    assert b"<text" not in (tmp_path / "d.svg").read_bytes()
    assert isinstance(next(i for i in nnsvg.fcnn([3, 2], text_as_paths=True).scene.walk()
                           if getattr(i, "cls", None) == "label"), PathPrim)


@needs_fc
def test_png_draws_the_fallback_glyphs_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """PNG (and so PS, drawn by the same code) sets ℝ and ∈ from the fallback font: each label
    of the text PNG matches its glyph outlines; drawn in the label font alone, as cairo's toy
    font API did, the missing glyphs make the labels differ far beyond that tolerance."""
    lacking = next((f for f in (LM, "Nimbus Roman") if installed(f)), None)
    if lacking is None:
        pytest.skip("neither Latin Modern Roman nor Nimbus Roman is installed")
    family = {"text.family": f"{lacking}, serif"}
    text = nnsvg.fcnn([8, 12, 8], set=family)
    outlines = nnsvg.fcnn([8, 12, 8], set=family, text_as_paths=True).to_bytes("png", scale=2)
    assert label_difference(text.to_bytes("png", scale=2), outlines, text, 2) < 0.03  # measured: 0.009
    monkeypatch.setattr(fonts.FontList, "runs", lambda self, text: [(self.primary, text)])
    alone = nnsvg.fcnn([8, 12, 8], set=family).to_bytes("png", scale=2)
    assert label_difference(alone, outlines, text, 2) > 0.08  # measured: 0.13
