"""PostScript and EPS are vector with real text (no raster fallback: translucent paint is composed
into opaque colours), and PNGs say their resolution (pHYs)."""

from __future__ import annotations

import base64
import io
import math
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import nnsvg
from nnsvg import export
from nnsvg.gallery import spec_files
from nnsvg.geometry import BBox
from nnsvg.scene import Group, Image, Polygon, Rect, Scene, polyline
from nnsvg.scene import Path as ScenePath

from .conftest import REPO

GALLERY = spec_files(REPO / "gallery")
IMAGE_OPERATORS = re.compile(rb"(?<![\w/])(image|colorimage|imagemask|cairo_image|cairo_imagemask)(?![\w])")


def body(eps: bytes) -> bytes:
    """The page: what follows cairo's prolog (which defines, but does not use, image procedures)."""
    assert b"%%EndProlog" in eps
    return eps.split(b"%%EndProlog", 1)[1]


def image_count(eps: bytes) -> int:
    page = body(eps)
    return len(IMAGE_OPERATORS.findall(page))


def colors(eps: bytes) -> set[tuple[float, ...]]:
    """Every colour the page sets: ``r g b rg`` and ``v g`` (cairo's PostScript operators)."""
    page = body(eps).decode("latin-1")
    found = {tuple(float(v) for v in m) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg\b", page)}
    found |= {(float(v),) * 3 for v in re.findall(r"(?m)(?:^|\s)([\d.]+) g\b", page)}
    return found


def near(color: tuple[float, ...], wanted: tuple[float, float, float]) -> bool:
    return all(abs(a - b) < 1e-3 for a, b in zip(color, wanted, strict=True))


def scene(*items: object, background: str = "#ffffff") -> Scene:
    return Scene("test", background, 2.0, [Group("layer-0", None, list(items))])  # type: ignore[arg-type]


# --- no raster ----------------------------------------------------------------------------

@pytest.mark.parametrize("source", GALLERY, ids=lambda p: p.stem)
def test_gallery_eps_has_no_raster_but_the_users_image(source: Path) -> None:
    diagram = nnsvg.load(source)
    eps = diagram.to_bytes("eps")
    assert b"Fallback" not in eps  # cairo's comment on every rasterised region
    users = sum(isinstance(p, Image) for p in diagram.scene.walk())
    assert image_count(eps) == users
    if users:  # the input image, opaque: RGB samples, no soft mask, no alpha
        page = body(eps)
        assert page.count(b"/DeviceRGB") == users and b"/SMask" not in page and b"/MaskColor" not in page


def test_translucent_rect_over_a_rect_is_composed_exactly() -> None:
    """Blue at 50 % over red over white: three opaque colours, each where the painter puts it."""
    red = Rect(0, 0, 40, 40, "#ff0000")
    blue = Rect(20, 20, 40, 40, "#0000ff", opacity=0.5)
    eps = export.draw(scene(red, blue), "eps")
    assert image_count(eps) == 0
    found = colors(eps)
    for wanted in [(1, 0, 0), (0.5, 0.5, 1), (0.5, 0, 0.5)]:
        assert any(near(c, wanted) for c in found), (wanted, found)
    pixels = rasterised(scene(red, blue), eps)
    if pixels is not None:
        assert_close(pixels.getpixel((20, 20)), (255, 0, 0))  # red alone (scale 2, margin 2 px)
        assert_close(pixels.getpixel((60, 60)), (128, 0, 128))  # the overlap
        assert_close(pixels.getpixel((100, 100)), (128, 128, 255))  # blue over white


def test_group_opacity_composes_fill_and_stroke_against_what_was_there() -> None:
    """SVG's ``opacity`` on a filled, stroked shape: the stroke is not seen through its own fill."""
    square = Rect(0, 0, 40, 40, "#00ff00", "#000000", 4.0, opacity=0.5)
    found = colors(export.draw(scene(square), "eps"))
    assert any(near(c, (0.5, 1, 0.5)) for c in found)  # fill over white
    assert any(near(c, (0.5, 0.5, 0.5)) for c in found)  # stroke over white, not over the green
    assert not any(near(c, (0.25, 0.5, 0.25)) for c in found)


def test_see_through_face_over_a_line_keeps_the_line_visible() -> None:
    """A face with fill_opacity over an earlier black line: the line shows through it in the
    composed colour (the line is replayed, clipped to the face)."""
    line = ScenePath(polyline([(0, 20), (80, 20)]), BBox(0, 20, 80, 20), stroke="#000000", stroke_width=2)
    face = Polygon(((10, 0), (60, 0), (60, 40), (10, 40)), "#ffffff", "#000000", 1.0, fill_opacity=0.4)
    found = colors(export.draw(scene(line, face), "eps"))
    assert any(near(c, (0.4, 0.4, 0.4)) for c in found)  # 40 % white over black
    assert any(near(c, (1, 1, 1)) for c in found)  # 40 % white over the white page


def test_a_clipped_piece_keeps_its_clip_when_painted_over_again() -> None:
    """A translucent outline crossing a red square, all under a translucent white sheet: the
    outline's piece on the square is clipped to the square, also when the sheet replays it, so
    the outline beside the square stays grey (not tinted by the square's colour)."""
    red = Rect(0, 0, 40, 40, "#ff0000")
    outline = Rect(20, -10, 60, 60, "none", "#000000", 2.0, opacity=0.5)
    sheet = Rect(-5, -5, 100, 100, "#ffffff", opacity=0.5)
    figure = scene(red, outline, sheet)
    eps = export.draw(figure, "eps")
    assert image_count(eps) == 0
    pixels = rasterised(figure, eps)
    if pixels is not None:
        page = figure.page()
        x, y = round((80 - page.x0) * 2), round((20 - page.y0) * 2)  # the outline's right side
        assert_close(pixels.getpixel((x, y)), (191, 191, 191))
        assert_close(pixels.getpixel((round((10 - page.x0) * 2), y)), (255, 128, 128))  # the square


def test_translucent_background_free_figure_is_composed_on_white() -> None:
    blue = Rect(0, 0, 10, 10, "#0000ff", opacity=0.25)
    found = colors(export.draw(scene(blue, background="none"), "eps"))
    assert any(near(c, (0.75, 0.75, 1)) for c in found)


def test_translucent_image_becomes_one_opaque_image() -> None:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGBA", (4, 4), (255, 0, 0, 128)).save(buffer, "PNG")
    href = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    face = Rect(0, 0, 20, 20, "#0000ff")
    picture = Image(href, 20, 20, (1, 0, 0, 1, 0, 0), 0.5, BBox(0, 0, 20, 20))
    eps = export.draw(scene(face, picture), "eps")
    assert image_count(eps) == 1 and b"/DeviceRGB" in body(eps) and b"Fallback" not in eps
    pixels = rasterised(scene(face, picture), eps)
    if pixels is not None:  # red at 1/4 (its alpha × the opacity) over the blue face
        assert_close(pixels.getpixel((24, 24)), (64, 0, 191))


def test_a_stack_of_translucent_maps_grows_with_its_overlaps_not_their_subsets() -> None:
    """Maps each over the ones before (as LeNet stacks them): pieces hidden under a later map
    are dropped, so twice the maps is about twice the fills, not 2^n times."""
    def fills(n: int) -> int:
        maps = [Rect(3 * k, 3 * k, 30, 30, "#808080" if k % 2 else "#e0e0e0", "#000000", 1.0, opacity=0.8)
                for k in range(n)]
        eps = export.draw(scene(*maps), "eps")
        assert image_count(eps) == 0
        return len(re.findall(rb"\bf\b", body(eps)))

    assert fills(24) < 4 * fills(12)  # measured: 268 and 820; 2^n would be 4096 times


def test_ps_too_has_no_raster() -> None:
    ps = nnsvg.load(REPO / "gallery" / "specs" / "lenet-5.yaml").to_bytes("ps")
    assert ps.startswith(b"%!PS-Adobe-3.0\n") and b"Fallback" not in ps and image_count(ps) == 0


def test_a_big_translucent_figure_is_written() -> None:
    """784-100-10 with the dark theme's see-through edges: cairo's fallback bitmap for it was too
    big for cairo ("invalid size"); composed, it is lines."""
    eps = nnsvg.fcnn([784, 100, 10], theme="dark", max_nodes=0).to_bytes("eps")
    assert image_count(eps) == 0 and b"Fallback" not in eps


def test_eps_is_reproducible() -> None:
    source = REPO / "gallery" / "specs" / "lenet-5.yaml"
    assert nnsvg.load(source).to_bytes("eps") == nnsvg.load(source).to_bytes("eps")


# --- real text ----------------------------------------------------------------------------

def shown_strings(eps: bytes) -> str:
    """The strings the page shows, kerning arrays joined: ``[(Con)-10(v)]TJ`` is ``Conv``."""
    page = body(eps).decode("latin-1")
    parts = []
    for array, single in re.findall(r"\[((?:\([^)]*\)|[-\d. ])*)\]\s*TJ|\(([^)]*)\)\s*Tj", page):
        parts.append("".join(re.findall(r"\(([^)]*)\)", array)) if array else single)
    return "\n".join(parts)


def test_eps_text_is_text_with_its_font_embedded() -> None:
    diagram = nnsvg.load(REPO / "gallery" / "specs" / "lenet-5.yaml")
    eps = diagram.to_bytes("eps")
    assert b"%%BeginResource: font" in eps and b"/FontType 42" in eps
    text = shown_strings(eps)
    for label in ("1@32x32", "6@28x28", "16@5x5", "Convolution", "Max-Pool"):
        assert label in text


# --- the EPS looks like the PDF -----------------------------------------------------------

TOOLS = shutil.which("gs") and shutil.which("pdftoppm")
needs_tools = pytest.mark.skipif(not TOOLS, reason="needs Ghostscript and poppler's pdftoppm "
                                                   "(Debian: ghostscript, poppler-utils)")


def media(page: BBox) -> list[str]:
    """Ghostscript's page: cairo's EPS page, the drawing's size rounded up to whole points (the
    drawing at its top)."""
    return ["-dFIXEDMEDIA", f"-dDEVICEWIDTHPOINTS={math.ceil(page.width * 0.75)}",
            f"-dDEVICEHEIGHTPOINTS={math.ceil(page.height * 0.75)}"]


def rasterised(figure: Scene, eps: bytes, dpi: int = 192) -> object | None:
    """The EPS drawn by Ghostscript on a page of the figure's size (None without the tools)."""
    if not TOOLS:
        return None
    from PIL import Image as PILImage

    page = figure.page()
    run = subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", f"-r{dpi}",
                          "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", *media(page), "-sOutputFile=-", "-"],
                         input=eps, capture_output=True, check=True)
    return PILImage.open(io.BytesIO(run.stdout)).convert("RGB")


def assert_close(got: object, wanted: tuple[int, int, int]) -> None:
    assert isinstance(got, tuple)
    assert all(abs(a - b) <= 3 for a, b in zip(got, wanted, strict=True)), (got, wanted)


def poppler(pdf: bytes, folder: Path, name: str) -> object:
    from PIL import Image as PILImage

    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "192", "-singlefile", str(folder / f"{name}.pdf"), str(folder / name)],
                   check=True, capture_output=True)
    return PILImage.open(folder / f"{name}.png").convert("RGB")


@needs_tools
@pytest.mark.parametrize("name", ["lenet-5", "lenet-small-paper", "alexnet-digit-colorblind", "fcnn-weights-dark",
                                  "fcnn-colorblind-up", "fcnn-weights"])
def test_eps_renders_like_the_pdf(tmp_path: Path, name: str) -> None:
    """The EPS (through ps2pdf) and cairo's PDF (true transparency), both drawn by poppler at
    192 dpi: measured, the gallery differs by at most 2.2 % of pixels by more than 32/255
    (a figure with nothing translucent, rnn-folded: 0.4 %, glyph edges), mean under 1.6/255."""
    from PIL import ImageChops

    diagram = nnsvg.load(REPO / "gallery" / "specs" / f"{name}.yaml")
    page = diagram.scene.page()
    eps = tmp_path / "x.eps"
    eps.write_bytes(diagram.to_bytes("eps"))
    subprocess.run(["ps2pdf", "-dAutoRotatePages=/None", *media(page), str(eps), str(tmp_path / "eps.pdf")],
                   check=True, capture_output=True)
    got = poppler((tmp_path / "eps.pdf").read_bytes(), tmp_path, "eps")
    reference = poppler(diagram.to_bytes("pdf"), tmp_path, "reference")
    from PIL import Image as PILImage

    assert isinstance(got, PILImage.Image) and isinstance(reference, PILImage.Image)
    got = got.crop((0, 0, *reference.size))  # the EPS page is whole points; the drawing is at its top
    histogram = ImageChops.difference(got, reference).convert("L").histogram()
    pixels = reference.size[0] * reference.size[1]
    assert sum(histogram[32:]) / pixels < 0.025
    assert sum(v * n for v, n in enumerate(histogram)) / pixels < 2.0


# --- PNG resolution -----------------------------------------------------------------------

def phys(png: bytes) -> tuple[int, int, int]:
    """The pHYs chunk: pixels per unit across and down, and the unit (1 = metre)."""
    at = png.index(b"pHYs")
    assert png.index(b"IHDR") < at < png.index(b"IDAT")
    length = struct.unpack(">I", png[at - 4:at])[0]
    assert length == 9
    assert struct.unpack(">I", png[at + 13:at + 17])[0] == zlib.crc32(png[at:at + 13])
    return struct.unpack(">IIB", png[at + 4:at + 13])  # type: ignore[return-value]


def test_dpi_300_writes_11811_pixels_per_metre_and_sizes_the_image(
        tmp_path: Path, cli: Callable[..., tuple[int, str, str]]) -> None:
    from PIL import Image as PILImage

    diagram = nnsvg.fcnn([3, 4, 2])
    page = diagram.scene.page()
    out = tmp_path / "x.png"
    code, _, err = cli("fcnn", "3", "4", "2", "-o", out, "--dpi", "300")
    assert code == 0, err
    data = out.read_bytes()
    assert phys(data) == (11811, 11811, 1)
    with PILImage.open(out) as picture:
        assert picture.size == (round(page.width * 300 / 96), round(page.height * 300 / 96))
        assert picture.info["dpi"] == pytest.approx((300, 300), abs=0.01)


@pytest.mark.parametrize(("scale", "per_metre"), [(None, 3780), (2.0, 7559), (3.125, 11811)])
def test_scale_writes_96_dpi_per_unit_of_scale(scale: float | None, per_metre: int) -> None:
    data = nnsvg.fcnn([2, 2]).to_bytes("png", scale=scale)
    assert phys(data) == (per_metre, per_metre, 1)


@pytest.mark.parametrize("fmt", ["eps", "ps", "pdf", "svg"])
@pytest.mark.parametrize("flag", ["--dpi", "--scale"])
def test_raster_options_on_a_vector_format_say_why(tmp_path: Path, fmt: str, flag: str,
                                                   cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = cli("fcnn", "2", "2", "-o", tmp_path / f"x.{fmt}", flag, "3")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert f"{flag} applies to PNG output only, not {fmt.upper()}" in lines[0] and "is vector" in lines[0]
    assert not (tmp_path / f"x.{fmt}").exists()
