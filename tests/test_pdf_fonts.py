"""A figure in the paper's own font keeps every glyph inside the paper: pdfTeX replaces an
included PDF's Type 1 font by its own copy when its font map knows the name, and that copy lacked
the figure's ¹ ² ³ (lost silently: the PDF alone was right). The PDF's fonts are renamed
(nnsvg/backends/pdf_fonts.py); a document that includes the figure is compiled and its page
compared with the figure, pixel by pixel."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

import nnsvg
from nnsvg.backends.pdf_fonts import SUFFIX, keep_fonts

LABELS = ["Input x¹", "Hidden h²", "Out y³ ∈ ℝ²"]
PDFTOPPM = shutil.which("pdftoppm")


def figure_pdf(labels: list[str] = LABELS, family: str = "Latin Modern Roman") -> bytes:
    layers = [{"size": size, "label": label} for size, label in zip([3, 4, 2], labels, strict=True)]
    return nnsvg.fcnn(layers, set={"text.family": family}).to_bytes("pdf")


def objects_where_the_table_says(pdf: bytes) -> bool:
    """Every in-use entry of the cross-reference table points at its object, and startxref at
    the table."""
    at = int(re.search(rb"startxref\s+(\d+)", pdf[-64:]).group(1))  # type: ignore[union-attr]
    if pdf[at:at + 4] != b"xref":
        return False
    body = pdf[at:pdf.index(b"trailer", at)]
    first = 0
    for line in body.split(b"\n")[1:]:
        parts = line.split()
        if len(parts) == 2:
            first = int(parts[0])
        elif len(parts) == 3:
            if parts[2] == b"n" and not pdf.startswith(b"%d 0 obj" % first, int(parts[0])):
                return False
            first += 1
    return True


@pytest.mark.parametrize("family", ["Latin Modern Roman", "DejaVu Serif", "DejaVu Sans"])
@pytest.mark.parametrize("seed", range(3))
def test_type1_fonts_are_renamed_and_the_file_stays_whole(family: str, seed: int) -> None:
    draw = random.Random(seed)
    labels = [draw.choice(["x¹", "h²", "Dense 128", "ReLU", "y ∈ ℝ³", "α·β"]) for _ in range(3)]
    layers = [{"size": size, "label": label} for size, label in zip([3, 4, 2], labels, strict=True)]
    raw = nnsvg.fcnn(layers, set={"text.family": family})
    pdf = raw.to_bytes("pdf")
    assert objects_where_the_table_says(pdf)
    names = re.findall(rb"/BaseFont /([!-~]+)", pdf)
    type1 = [m for m in re.finditer(rb"/Subtype /Type1\s", pdf)]
    assert names
    if family == "Latin Modern Roman":  # an OpenType CFF font: cairo embeds it as Type 1C
        assert type1 and any(name.endswith(SUFFIX) for name in names)
    # only names of Type 1 fonts change; the rest of the file is byte for byte as cairo wrote it
    assert keep_fonts(pdf) == pdf
    assert pdf == raw.to_bytes("pdf")


@pytest.mark.parametrize("cut", [0, 10, 100, 1000, -40, -10, -6])
def test_anything_but_a_whole_cairo_pdf_is_left_as_it_is(cut: int) -> None:
    pdf = figure_pdf()
    broken = pdf[:cut] if cut else b""
    assert keep_fonts(broken) == broken
    mangled = pdf.replace(b"xref", b"xreg")
    assert keep_fonts(mangled) == mangled


def compile_with(engine: str, figure: Path) -> Path:
    """A document whose page is the figure's size, with the figure at 100 %, compiled by
    ``engine`` (pdflatex loads its font map: Latin Modern is in it)."""
    from pdfplumber import open as open_pdf

    with open_pdf(figure) as pdf:
        width, height = float(pdf.pages[0].width), float(pdf.pages[0].height)
    source = figure.parent / f"paper-{engine}.tex"
    source.write_text(
        "\\documentclass{article}\n"
        f"\\usepackage[paperwidth={width}bp,paperheight={height}bp,margin=0pt]{{geometry}}\n"
        "\\usepackage{graphicx}\n\\pagestyle{empty}\n\\begin{document}\n"
        f"\\noindent\\includegraphics{{{figure.name}}}\n\\end{{document}}\n", encoding="utf-8")
    run = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", source.name], cwd=figure.parent,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout[-2000:]
    return source.with_suffix(".pdf")


def pixels(pdf: Path) -> Image.Image:
    assert PDFTOPPM is not None
    root = pdf.with_suffix("")
    subprocess.run([PDFTOPPM, "-r", "150", "-png", "-singlefile", str(pdf), str(root)], check=True, timeout=60)
    with Image.open(root.with_suffix(".png")) as image:
        return image.convert("L")


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm is not installed (CI installs poppler-utils)")
@pytest.mark.parametrize("engine", ["pdflatex", "lualatex", "xelatex"])
def test_the_paper_shows_every_glyph_of_the_figure(engine: str, tmp_path: Path) -> None:
    if shutil.which(engine) is None:
        pytest.skip(f"{engine} is not installed")
    if engine == "pdflatex" and not subprocess.run(["kpsewhich", "lmr10.pfb"], capture_output=True).stdout:
        pytest.skip("Latin Modern's Type 1 fonts are not in pdfTeX's map here (CI installs lmodern)")
    figure = tmp_path / "fig.pdf"
    figure.write_bytes(figure_pdf())
    paper = compile_with(engine, figure)
    alone, included = pixels(figure), pixels(paper)
    assert alone.size == included.size
    differ = ImageChops.difference(alone, included).point(lambda v: 255 if v > 96 else 0).histogram()[255]
    assert differ <= 10, differ  # 50 with the glyphs pdfTeX lost, 0 with them
