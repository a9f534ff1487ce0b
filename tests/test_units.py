"""Lengths: TeX's units (pt is the TeX point, bp the PostScript point, pc, dd, cc), the presets of
the common document classes checked against the classes themselves, and the page an SVG and a
PDF get for a size in any unit (never wider than asked, to the 1/100 pt an SVG writes)."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import nnsvg
from nnsvg import units
from nnsvg.errors import SpecError

from .test_physical import pdf_page

PDFLATEX = shutil.which("pdflatex")
KPSEWHICH = shutil.which("kpsewhich")

# preset → (class, its options, the length LaTeX reports, what to typeset before asking: acmart's
# sigconf sets its two columns at \maketitle)
MEASURED = {
    ("width", "column"): ("IEEEtran", "conference", "columnwidth", ""),
    ("width", "ieee-column"): ("IEEEtran", "journal", "columnwidth", ""),
    ("width", "ieee-text"): ("IEEEtran", "conference", "textwidth", ""),
    ("width", "article-column"): ("article", "twocolumn", "columnwidth", ""),
    ("width", "article-text"): ("article", "twocolumn", "textwidth", ""),
    ("width", "article-onecolumn"): ("article", "", "textwidth", ""),
    ("width", "acm-column"): ("acmart", "sigconf", "columnwidth", r"\title{x}\maketitle"),
    ("width", "acm-text"): ("acmart", "sigconf", "textwidth", r"\title{x}\maketitle"),
    ("width", "acm-small"): ("acmart", "acmsmall", "textwidth", r"\title{x}\maketitle"),
    ("width", "lncs-text"): ("llncs", "", "textwidth", ""),
    ("width", "revtex-column"): ("revtex4-2", "aps,twocolumn", "columnwidth", ""),
    ("width", "revtex-text"): ("revtex4-2", "aps,twocolumn", "textwidth", ""),
    ("width", "beamer-text"): ("beamer", "aspectratio=169", "textwidth", ""),
    ("height", "ieee-text"): ("IEEEtran", "conference", "textheight", ""),
    ("height", "article-text"): ("article", "", "textheight", ""),
    ("height", "beamer-text"): ("beamer", "aspectratio=169", "textheight", ""),
}
# the conference styles are not in TeX Live: their values are read from the style file (named in
# the preset's text) and checked by arithmetic here
FROM_STYLE_FILES = {"icml-column": (6.75 - 0.25) / 2 * 72.27, "icml-text": 6.75 * 72.27,
                    "neurips-text": 5.5 * 72.27, "iclr-text": 5.5 * 72.27}


def test_every_class_preset_is_measured_or_derived() -> None:
    named = {(axis, name) for axis, table in units.PRESET_TABLES.items() for name in table}
    generic = {("width", "page"), ("width", "slide"), ("height", "page"), ("height", "slide")}
    derived = {("width", name) for name in FROM_STYLE_FILES}
    assert named == set(MEASURED) | generic | derived


def latex_length(cls: str, options: str, length: str, before: str, folder: Path) -> str:
    if KPSEWHICH is None or not subprocess.run([KPSEWHICH, f"{cls}.cls"], capture_output=True, text=True).stdout:
        pytest.skip(f"the {cls} class is not installed (CI installs texlive-publishers)")
    source = folder / "measure.tex"
    source.write_text(f"\\documentclass[{options}]{{{cls}}}\n\\begin{{document}}\n{before}\n"
                      f"\\typeout{{NNSVG=\\the\\{length}=}}\n\\end{{document}}\n", encoding="utf-8")
    assert PDFLATEX is not None
    # nonstop: a class whose text font is not installed (IEEEtran's Times) still reports its
    # lengths, which are set before any glyph is typeset
    run = subprocess.run([PDFLATEX, "-interaction=nonstopmode", source.name], cwd=folder, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "MKTEXTFM": "0", "MKTEXPK": "0"})
    found = re.search(r"NNSVG=([0-9.]+)pt=", run.stdout)
    assert found is not None, run.stdout[-2000:]
    return found.group(1)


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed (CI installs it: .ci/apt-packages)")
@pytest.mark.parametrize(("axis", "name"), sorted(MEASURED))
def test_class_presets_are_what_latex_reports(axis: str, name: str, tmp_path: Path) -> None:
    """Each preset is the class's own \\the\\columnwidth (or \\textwidth, \\textheight), to the
    digit LaTeX prints."""
    reported = latex_length(*MEASURED[(axis, name)], tmp_path)
    preset = units.PRESET_TABLES[axis][name]
    assert preset.unit == "pt" and f"{preset.value:g}" == f"{float(reported):g}", (reported, preset)


@pytest.mark.parametrize("name", sorted(FROM_STYLE_FILES))
def test_conference_presets_follow_their_style_files(name: str) -> None:
    length = units.parse(name)
    assert length.px / units.PX_PER["pt"] == pytest.approx(FROM_STYLE_FILES[name], abs=5e-5)


@pytest.mark.parametrize(("unit", "inches"), [("in", 1), ("cm", 1 / 2.54), ("mm", 1 / 25.4), ("pt", 1 / 72.27),
                                              ("bp", 1 / 72), ("pc", 12 / 72.27), ("dd", 1238 / 1157 / 72.27),
                                              ("cc", 12 * 1238 / 1157 / 72.27), ("px", 1 / 96)])
def test_units_are_texs(unit: str, inches: float) -> None:
    assert set(units.UNITS) == {"in", "cm", "mm", "pt", "bp", "pc", "dd", "cc", "px"}
    for value in (1, 17.25, 229.5):
        if units.SMALLEST_IN <= value * inches <= units.LARGEST_IN:
            assert units.parse(f"{value}{unit}").px == pytest.approx(value * inches * 96, rel=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_the_page_is_never_wider_than_asked(seed: int) -> None:
    """For a width in any unit the PDF page is that width to the 1/100 bp the SVG writes, never
    more; the SVG writes it in a CSS unit (TeX's are written in CSS points)."""
    draw = random.Random(seed)
    unit = list(units.UNITS)[seed % len(units.UNITS)]
    inches = draw.uniform(2.5, 7.5)
    value = round(inches * 96 / units.PX_PER[unit], 3)
    text = f"{value:g}{unit}"
    diagram = nnsvg.fcnn([3, 5, 2], width=text)
    assert diagram.scene.page().contains(diagram.scene.bbox())  # the side rounded down still holds it
    asked_bp = units.parse(text).px * 0.75
    width, _, _, _ = pdf_page(diagram.to_bytes("pdf"))
    assert asked_bp - 0.01 <= width <= asked_bp + 1e-6
    written = re.search(rb'<svg[^>]* width="([0-9.]+)(in|cm|mm|pt|px)"', diagram.svg().encode())
    assert written is not None
    css = {b"in": 72, b"cm": 72 / 2.54, b"mm": 72 / 25.4, b"pt": 1, b"px": 0.75}[written.group(2)]
    assert float(written.group(1)) * css == pytest.approx(width, abs=1e-3)


@pytest.mark.parametrize(("text", "hint"), [("artcle-column", "did you mean 'article-column'"),
                                            ("ieee-colum", "did you mean 'ieee-column'"),
                                            ("neurips", "did you mean 'neurips-text'"),
                                            ("acm-colunm", "did you mean 'acm-column'"),
                                            ("zzz", "or a preset: column (252pt), page (7in), slide (960bp)")])
def test_a_misspelled_preset_names_the_nearest(text: str, hint: str) -> None:
    with pytest.raises(SpecError) as caught:
        units.parse(text, "width")
    assert hint in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("text", ["12", "3.5", "229.5"])
def test_a_number_without_a_unit_names_the_units(text: str) -> None:
    with pytest.raises(SpecError, match=r"needs a unit \(in, cm, mm, pt, bp, pc, dd, cc, px\)"):
        units.parse(text, "width")
