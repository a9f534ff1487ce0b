"""Every output format opened and measured; writes are atomic."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pdfplumber
import pytest

import nnsvg
from nnsvg import export
from nnsvg.errors import ExportError
from nnsvg.gallery import png_size

from .conftest import parse, viewbox


@pytest.fixture(scope="module")
def diagram() -> nnsvg.Diagram:
    return nnsvg.fcnn([8, 12, 8], bias=True, arrowheads="solid")


def test_pdf_page_is_exactly_the_drawing(tmp_path: Path, diagram: nnsvg.Diagram) -> None:
    path = diagram.save(tmp_path / "net.pdf")
    _, _, w, h = viewbox(parse(diagram.svg()))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert (page.width, page.height) == pytest.approx((w * 0.75, h * 0.75))  # 1 px = 0.75 pt
        text = page.extract_text().replace(" ", "")
        assert "HiddenLayer∈ℝ¹²" in text  # real, searchable text
        for char in page.chars:  # no glyph crosses the page edge
            assert char["x0"] >= 0 and char["x1"] <= page.width
            assert char["top"] >= 0 and char["bottom"] <= page.height


@pytest.mark.parametrize("scale", [1, 2, 3])
def test_png_size_is_viewbox_times_scale(tmp_path: Path, diagram: nnsvg.Diagram, scale: float) -> None:
    path = diagram.save(tmp_path / "net.png", scale=scale)
    _, _, w, h = viewbox(parse(diagram.svg()))
    assert png_size(path) == (w * scale, h * scale)


def test_png_dpi(tmp_path: Path, diagram: nnsvg.Diagram) -> None:
    _, _, w, h = viewbox(parse(diagram.svg()))
    assert png_size(diagram.save(tmp_path / "net.png", dpi=192)) == (2 * w, 2 * h)


def test_png_background_follows_theme(tmp_path: Path) -> None:
    from PIL import Image

    filled = nnsvg.fcnn([2, 2]).save(tmp_path / "filled.png")
    clear = nnsvg.fcnn([2, 2], set={"background": "none"}).save(tmp_path / "clear.png")
    with Image.open(filled) as im:
        assert im.convert("RGBA").getpixel((0, 0)) == (255, 255, 255, 255)
    with Image.open(clear) as im:
        assert im.convert("RGBA").getpixel((0, 0))[3] == 0


@pytest.mark.parametrize(("suffix", "magic"), [(".svg", b"<?xml"), (".pdf", b"%PDF"),
                                               (".png", b"\x89PNG"), (".eps", b"%!PS-Adobe"),
                                               (".ps", b"%!PS-Adobe")])
def test_every_format(tmp_path: Path, diagram: nnsvg.Diagram, suffix: str, magic: bytes) -> None:
    path = diagram.save(tmp_path / f"net{suffix}")
    assert path.read_bytes().startswith(magic)


def test_eps_bounding_box_matches_drawing(tmp_path: Path, diagram: nnsvg.Diagram) -> None:
    data = diagram.save(tmp_path / "net.eps").read_bytes()
    _, _, w, h = viewbox(parse(diagram.svg()))
    line = next(x for x in data.splitlines() if x.startswith(b"%%BoundingBox:"))
    x0, y0, x1, y1 = (int(v) for v in line.split()[1:])
    assert abs((x1 - x0) - w * 0.75) <= 1 and abs((y1 - y0) - h * 0.75) <= 1


def test_unknown_extension_and_bad_targets(tmp_path: Path, diagram: nnsvg.Diagram) -> None:
    with pytest.raises(ExportError, match=r"'\.jpg' is not a format nnsvg writes"):
        diagram.save(tmp_path / "net.jpg")
    with pytest.raises(ExportError, match="no extension"):
        diagram.save(tmp_path / "net")
    with pytest.raises(ExportError, match="is a directory"):
        diagram.save(tmp_path)
    with pytest.raises(ExportError, match="does not exist"):
        diagram.save(tmp_path / "missing" / "net.svg")
    assert sorted(os.listdir(tmp_path)) == []


def test_failed_conversion_keeps_old_file(tmp_path: Path, diagram: nnsvg.Diagram,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import cairosvg

    target = tmp_path / "net.pdf"
    target.write_bytes(b"old figure")

    def broken(**_: object) -> bytes:
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(cairosvg, "svg2pdf", broken)
    with pytest.raises(ExportError, match="PDF conversion failed: cairo exploded"):
        diagram.save(target)
    assert target.read_bytes() == b"old figure"
    assert os.listdir(tmp_path) == ["net.pdf"]


def test_failed_write_midway_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "net.svg"
    target.write_bytes(b"old")

    def no_rename(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(ExportError, match="No space left on device"):
        export.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["net.svg"]


def test_written_files_get_normal_permissions(tmp_path: Path) -> None:
    path = export.write_atomic(tmp_path / "a.svg", b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
    path.chmod(0o640)
    export.write_atomic(path, b"y")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_bytes() == b"y"


def test_svg_render_does_not_import_cairosvg() -> None:
    import subprocess
    import sys

    code = ("import sys, nnsvg; nnsvg.fcnn([3, 4]).svg(); "
            "print('cairosvg' in sys.modules, 'yaml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
