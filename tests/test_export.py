"""Every output format opened and measured; writes are atomic."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pdfplumber
import pytest

import nnsvg
from nnsvg import export
from nnsvg.backends import svg as svg_backend
from nnsvg.errors import ExportError
from nnsvg.gallery import png_size, spec_files
from nnsvg.scene import Group, Scene, Text

from .conftest import REPO, parse, viewbox
from .reference import convert


@pytest.fixture(scope="module")
def diagram() -> nnsvg.Diagram:
    return nnsvg.fcnn([8, 12, 8], bias=True, arrowheads="solid")


def test_pdf_page_is_exactly_the_drawing(tmp_path: Path, diagram: nnsvg.Diagram) -> None:
    path = diagram.save(tmp_path / "net.pdf")
    _, _, w, h = viewbox(parse(diagram.svg()))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert (page.width, page.height) == pytest.approx((w * 0.75, h * 0.75))  # 1 px = 0.75 pt
        text = page.extract_text()
        assert "Hidden Layer ∈ ℝ¹²" in text  # real, searchable text, words and spaces
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


def test_failed_drawing_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cairocffi

    target = tmp_path / "net.pdf"
    target.write_bytes(b"old figure")
    calls = 0
    real_stroke = cairocffi.Context.stroke

    def broken(self: object) -> None:  # fail midway through the drawing
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("cairo exploded")
        real_stroke(self)

    monkeypatch.setattr(cairocffi.Context, "stroke", broken)
    with pytest.raises(ExportError, match="PDF drawing failed: cairo exploded"):
        nnsvg.fcnn([8, 12, 8], bias=True, arrowheads="solid").save(target)
    assert calls == 3
    assert target.read_bytes() == b"old figure"
    assert os.listdir(tmp_path) == ["net.pdf"]


def test_failed_svg_write_midway_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "net.svg"
    target.write_bytes(b"old figure")
    diagram = nnsvg.fcnn([30, 30, 30], max_nodes=0)

    def broken_parts(*_: object, **__: object) -> object:
        yield "<?xml partial"
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(svg_backend, "svg_parts", broken_parts)
    with pytest.raises(ExportError, match="Input/output error"):
        diagram.save(target)
    assert target.read_bytes() == b"old figure"
    assert os.listdir(tmp_path) == ["net.svg"]


def test_failed_cairosvg_conversion_is_an_export_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import cairosvg

    def broken(**_: object) -> bytes:
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(cairosvg, "svg2pdf", broken)
    with pytest.raises(ExportError, match="PDF conversion failed: cairo exploded"):
        convert(nnsvg.fcnn([2, 2]).svg(), "pdf")


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


@pytest.mark.parametrize("make", [
    lambda: nnsvg.fcnn([8, 12, 8], bias=True, arrowheads="solid", edge_color="weight", edge_width="weight"),
    lambda: nnsvg.fcnn([784, 30, 10], bezier=True, arrowheads="empty", theme="dark", direction="up"),
    lambda: nnsvg.lenet(["1@32x32", "6@28x28", "6@14x14", "40@10x10", 120, 10], theme="colorblind"),
    lambda: nnsvg.alexnet(["28x28x1:5x5", "24x24x32:2x2", "12x12x32", 10], dims=True,
                          input_image=str(Path(__file__).parent.parent / "gallery" / "digit-3.png")),
], ids=["fcnn-weights", "fcnn-bezier-dark", "lenet", "alexnet-image"])
def test_both_backends_draw_the_same_picture(tmp_path: Path, make: object) -> None:
    """The cairo backend (scene drawn directly) and cairosvg (the SVG parsed back) give the
    same page size and, pixel for pixel, nearly the same picture."""
    diagram = make()  # type: ignore[operator]
    assert_same_pixels(diagram.scene, diagram.svg())
    assert_same_text(diagram)


@pytest.mark.parametrize("source", spec_files(REPO / "gallery"), ids=lambda p: p.stem)
def test_both_backends_draw_every_gallery_figure_alike(source: Path) -> None:
    """Every gallery figure: its shapes pixel for pixel (without its text, which cairosvg sets
    a little apart, see below: rnn-folded's middle-anchored legend differs in 0.64 % of its
    pixels), and its text glyph for glyph."""
    diagram = nnsvg.load(source)
    shapes = without_text(diagram.scene)
    assert_same_pixels(shapes, svg_backend.to_svg(shapes))
    assert_same_text(diagram)


def without_text(scene: Scene) -> Scene:
    def strip(group: Group) -> Group:
        return Group(group.id, group.cls, [strip(c) if isinstance(c, Group) else c
                                           for c in group.children if not isinstance(c, Text)])

    return Scene(scene.style, scene.background, scene.margin, [strip(g) for g in scene.groups])


def assert_same_pixels(scene: Scene, svg: str) -> None:
    from PIL import Image, ImageChops

    direct = export.draw(scene, "png", scale=2)
    reference = convert(svg, "png", scale=2)
    with Image.open(io.BytesIO(direct)) as a, Image.open(io.BytesIO(reference)) as b:
        assert a.size == b.size
        diff = ImageChops.difference(a.convert("RGBA"), b.convert("RGBA")).convert("L")
        histogram = diff.histogram()
        pixels = a.size[0] * a.size[1]
        # under 0.6 % of pixels differ visibly: right-aligned text is placed by its advance (as SVG
        # says) here, by its ink extent in cairosvg, a sub-pixel shift of the glyph edges
        assert sum(histogram[32:]) / pixels < 0.006
        assert sum(v * n for v, n in enumerate(histogram)) / pixels < 1.0  # mean difference < 1/255


def assert_same_text(diagram: nnsvg.Diagram) -> None:
    import pdfplumber

    pdf_direct = export.draw(diagram.scene, "pdf")
    pdf_reference = convert(diagram.svg(), "pdf")
    with pdfplumber.open(io.BytesIO(pdf_direct)) as p, pdfplumber.open(io.BytesIO(pdf_reference)) as q:
        assert (p.pages[0].width, p.pages[0].height) == (q.pages[0].width, q.pages[0].height)
        # the same glyphs (cairosvg sets text letter by letter, so its PDF has no space glyphs)
        assert p.pages[0].extract_text().replace(" ", "") == q.pages[0].extract_text().replace(" ", "")


def test_svg_render_does_not_import_cairosvg() -> None:
    import subprocess
    import sys

    code = ("import sys, nnsvg; nnsvg.fcnn([3, 4]).svg(); "
            "print('cairosvg' in sys.modules, 'yaml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


RENDER_ALL = """
import sys
from pathlib import Path
import nnsvg
from nnsvg.gallery import spec_files
out = Path(sys.argv[2])
for source in spec_files(Path(sys.argv[1])):
    diagram = nnsvg.load(source)
    for fmt in ("pdf", "eps", "ps"):
        (out / f"{source.stem}.{fmt}").write_bytes(diagram.to_bytes(fmt))
"""


def test_print_formats_are_byte_identical_across_runs(tmp_path: Path) -> None:
    """PDF, EPS and PS carry a creation date: fixed (SOURCE_DATE_EPOCH, else 1970), so two runs a
    second apart, in two processes, give the same bytes for every gallery figure."""
    import subprocess
    import sys
    import time

    from .conftest import REPO

    runs = []
    for k in range(2):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
        subprocess.run([sys.executable, "-c", RENDER_ALL, str(REPO / "gallery"), str(folder)], check=True, env=env)
        runs.append(folder)
        time.sleep(1.1)
    names = sorted(p.name for p in runs[0].iterdir())
    assert len(names) == 3 * len(list((REPO / "gallery" / "specs").iterdir()))
    for name in names:
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name


def test_source_date_epoch_is_the_date_written(monkeypatch: pytest.MonkeyPatch) -> None:
    from nnsvg.backends import cairo

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")  # 2025-11-24 16:00:00 UTC
    pdf = nnsvg.fcnn([2, 2]).to_bytes("pdf")
    assert b"/CreationDate (20251124160000Z)" in pdf or b"/CreationDate (D:20251124160000Z)" in pdf
    assert b"%%CreationDate: Mon Nov 24 16:00:00 2025" in nnsvg.fcnn([2, 2]).to_bytes("eps")
    # an older cairo writes the time of the run: only its digits change, so no byte offset moves
    old = b"%PDF-1.5\n1 0 obj << /CreationDate (D:20261125194521Z) >> endobj\nxref 0 9"
    fixed = cairo.reproducible(old, "pdf")
    assert fixed == old.replace(b"20261125194521", b"20251124160000") and len(fixed) == len(old)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert b"%%CreationDate: Thu Jan 01 00:00:00 1970" in nnsvg.fcnn([2, 2]).to_bytes("ps")


def test_svg_documents_written_interleaved_keep_their_own_decimals() -> None:
    """Each SVG document's writer holds its decimals: a figure laid out for a physical size (more
    decimals) streamed while one at its own size (two) is written whole changes neither."""
    small = nnsvg.fcnn([3, 4], bias=True)
    wide = nnsvg.fcnn([40, 40], max_nodes=0, width="40in", bezier=True, node_gap=13.3337)  # edges written late
    assert svg_backend.decimals_for(wide.scene) > svg_backend.decimals_for(small.scene)
    alone = svg_backend.to_svg(wide.scene)
    stream = svg_backend.svg_parts(wide.scene)
    first = next(stream)
    assert svg_backend.to_svg(small.scene) == small.svg()
    assert first + "".join(stream) == alone


def test_every_format_is_written_by_its_backends_one_protocol() -> None:
    """Each row of the format table names a backend module with ``encode(source, request)``;
    export.py and diagram.py compare no format or backend name (they look the row up)."""
    import ast
    import importlib

    from nnsvg import formats

    names = {f.name for f in formats.FORMATS.values()} | {f.backend for f in formats.FORMATS.values()}
    for fmt in formats.FORMATS.values():
        assert callable(importlib.import_module(f"nnsvg.backends.{fmt.backend}").encode), fmt.name
    for module in ("export", "diagram"):
        tree = ast.parse((Path(nnsvg.__file__).parent / f"{module}.py").read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and not (isinstance(node.ops[0], ast.In | ast.NotIn)):
                compared = [n.value for n in (node.left, *node.comparators) if isinstance(n, ast.Constant)]
                assert not set(compared) & names, f"{module}.py:{node.lineno} compares a format name"


def test_a_new_format_is_a_row_and_its_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    from nnsvg import formats

    module = types.ModuleType("nnsvg.backends.counted")

    def encode(scene: object, request: formats.Request) -> formats.Written:
        return [(request.name, [f"{len(list(scene.walk()))} primitives\n".encode()])]  # type: ignore[attr-defined]

    module.encode = encode  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nnsvg.backends.counted", module)
    row = formats.Format("count", (".count",), "counted", frozenset(), "the primitives, counted", binary=False)
    monkeypatch.setitem(formats.FORMATS, "count", row)
    monkeypatch.setitem(formats.EXTENSIONS, ".count", row)
    diagram = nnsvg.fcnn([2, 3])
    written = diagram.save(tmp_path / "net.count")
    counted = f"{len(list(diagram.scene.walk()))} primitives\n"
    assert written.read_text() == diagram.to_bytes("count").decode() == counted


def test_each_format_is_binary_or_text_as_its_row_declares() -> None:
    from nnsvg import formats

    diagram = nnsvg.alexnet(["32x32x3", 10], input_image=str(REPO / "gallery" / "digit-3.png"), theme="paper")
    for fmt in formats.FORMATS.values():
        data = diagram.to_bytes(fmt.name)
        if fmt.binary:
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        else:
            assert data.decode("utf-8").endswith("\n"), fmt.name
