"""``Diagram.draw(ax)``: the scene as Matplotlib artists (nnsvg.backends.mpl).

Skipped where Matplotlib is not installed (it is the optional extra ``nnsvg[matplotlib]``; CI
installs it through ``.ci/extras``), except the test of the error without it, which simulates
its absence.
"""

from __future__ import annotations

import io
import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg.errors import ExportError
from nnsvg.gallery import spec_files
from nnsvg.geometry import apply_affine
from nnsvg.scene import (
    ArcTo,
    Circle,
    CurvedStars,
    Dots,
    Fan,
    Image,
    LineTo,
    MoveTo,
    Polygon,
    Polylines,
    Primitive,
    Rect,
    Stars,
    Text,
)
from nnsvg.scene import Path as PathPrim

REPO = Path(__file__).resolve().parent.parent
GALLERY = spec_files(REPO / "gallery")
NEEDS = "Matplotlib is the optional extra nnsvg[matplotlib] (pip install 'nnsvg[matplotlib]')"


@pytest.fixture
def plt() -> Iterator[Any]:
    pytest.importorskip("matplotlib", reason=NEEDS)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


def page_figure(plt: Any, diagram: Any, scale: float = 1.0) -> tuple[Any, Any]:
    """A figure exactly the size of the diagram's PNG at ``scale`` (96 × scale dpi), with one
    Axes filling it."""
    width, height = diagram.scene.size()  # cairo's PNG rounds these × scale to whole pixels
    pixels = round(width * scale), round(height * scale)
    fig = plt.figure(figsize=(pixels[0] / (96 * scale), pixels[1] / (96 * scale)), dpi=96 * scale)
    return fig, fig.add_axes((0.0, 0.0, 1.0, 1.0))


def lines_of(data: Any) -> int:
    """How many lines (or curves, or dots) bulk path data holds."""
    if isinstance(data, Fan):
        return len(data.starts) * len(data.ends)
    if isinstance(data, Stars | CurvedStars):
        return sum(len(indices) for _, indices in data.stars)
    if isinstance(data, Dots):
        return len(data.centers)
    assert isinstance(data, Polylines)
    return len(data.lines)


def check_artist(prim: Primitive, artist: Any) -> None:
    """The artist drawn for one primitive: its kind, and its geometry in drawing units."""
    from matplotlib import collections, patches
    from matplotlib import text as mtext
    from matplotlib.image import AxesImage

    if isinstance(prim, Circle):
        assert type(artist) is patches.Circle
        assert tuple(artist.center) == (prim.cx, prim.cy) and artist.radius == prim.r
    elif isinstance(prim, Rect):
        assert type(artist) is (patches.FancyBboxPatch if prim.radius else patches.Rectangle)
        box = artist.get_bbox()
        assert (box.x0, box.y0, box.width, box.height) == pytest.approx((prim.x, prim.y, prim.width, prim.height))
    elif isinstance(prim, Polygon):
        assert type(artist) is patches.Polygon
        assert [tuple(p) for p in artist.get_xy()[:len(prim.points)]] == list(prim.points)
    elif isinstance(prim, PathPrim) and isinstance(prim.data, tuple):
        assert type(artist) is patches.PathPatch
        moves = sum(isinstance(s, MoveTo) for s in prim.data)
        assert sum(code == 1 for code in artist.get_path().codes) == moves  # one MOVETO per subpath
    elif isinstance(prim, PathPrim):
        data = prim.data
        kind = {Fan: collections.LineCollection, Stars: collections.LineCollection,
                CurvedStars: collections.PathCollection, Dots: collections.PathCollection}.get(type(data))
        if isinstance(data, Polylines):
            kind = collections.PolyCollection if data.closed else collections.LineCollection
        assert type(artist) is kind
        assert len(artist.get_paths()) == lines_of(data)  # one collection, a member per line
    elif isinstance(prim, Image):
        assert type(artist) is AxesImage
    else:
        assert isinstance(prim, Text)
        assert type(artist) is mtext.Text
        assert artist.get_text() == prim.text and artist.get_position() == (prim.x, prim.y)
        assert artist.get_horizontalalignment() == {"start": "left", "middle": "center", "end": "right"}[prim.anchor]
        assert artist.get_verticalalignment() == "baseline"


@pytest.mark.parametrize("source", GALLERY, ids=[s.stem for s in GALLERY])
def test_every_gallery_figure_is_one_artist_per_primitive(plt: Any, source: Path) -> None:
    diagram = nnsvg.load(source)
    scene = diagram.scene
    _, ax = plt.subplots()
    artists = diagram.draw(ax, fit=False)
    primitives = list(scene.walk())
    background = scene.background != "none"
    assert len(artists) == len(primitives) + background
    if background:
        assert artists[0].get_facecolor()[:3] == pytest.approx([int(scene.background[i:i + 2], 16) / 255
                                                                 for i in (1, 3, 5)])
    for prim, artist in zip(primitives, artists[background:]):
        check_artist(prim, artist)
        assert artist.axes is ax
    # one zorder for all, so the Axes paints them in the scene's order
    assert {a.get_zorder() for a in artists} == {1.0}
    page = scene.page()
    assert ax.get_xlim() == (page.x0, page.x1)
    assert ax.get_ylim() == (page.y1, page.y0)  # y down, as in SVG
    assert ax.get_aspect() == 1.0 and not ax.axison


def test_a_fan_is_one_line_collection_with_every_edge(plt: Any) -> None:
    from matplotlib.collections import LineCollection

    diagram = nnsvg.fcnn([5, 7, 3])
    _, ax = plt.subplots()
    artists = diagram.draw(ax, fit=False)
    fans = [a for a in artists if isinstance(a, LineCollection)]
    assert [len(f.get_segments()) for f in fans] == [35, 21]
    fan = next(p.data for p in diagram.scene.walk() if isinstance(p, PathPrim) and isinstance(p.data, Fan))
    first = fans[0].get_segments()
    # start by start, to every end: the k-th segment is start k // 7 to end k % 7
    assert [tuple(first[8][0]), tuple(first[8][1])] == [fan.starts[1], fan.ends[1]]


def test_widths_dashes_and_font_sizes_follow_the_axes_size(plt: Any) -> None:
    from matplotlib import patches

    diagram = nnsvg.rnn([3, 5, 2])  # a dashed loop, texts, circles
    scene = diagram.scene
    page = scene.page()
    fig, ax = page_figure(plt, diagram)
    artists = diagram.draw(ax, fit=False)[1:]
    pairs = list(zip(scene.walk(), artists))
    text_prim, text = next((p, a) for p, a in pairs if isinstance(p, Text))
    dashed_prim, dashed = next((p, a) for p, a in pairs if isinstance(p, PathPrim) and p.dash)
    assert isinstance(dashed, patches.PathPatch) and dashed_prim.dash is not None
    for inches in (page.width / 96, 2 * page.width / 96):
        fig.set_size_inches(inches, inches * page.height / page.width)
        fig.canvas.draw()
        scale = inches * 72 / page.width  # points per drawing unit
        assert text.get_fontsize() == pytest.approx(text_prim.size * scale)
        assert dashed.get_linewidth() == pytest.approx(dashed_prim.stroke_width * scale)
        _, pattern = dashed.get_linestyle()
        # lines.scale_dashes: the pattern is in line widths, so on the page it is dash × scale pt
        assert [d * dashed.get_linewidth() for d in pattern] == pytest.approx([d * scale for d in dashed_prim.dash])
    # drawing again changes nothing, so an interactive figure does not redraw itself forever
    assert not fig.stale
    fig.canvas.draw()
    assert not fig.stale


def test_text_is_at_its_point_size_when_the_axes_is_the_printed_width(plt: Any) -> None:
    # laid out for 3.5 in, 12 px text prints at 9 pt (1 px = 0.75 pt)
    diagram = nnsvg.fcnn([3, 4, 2], width="3.5in", set={"text.size": 12})
    fig = plt.figure(figsize=(3.5, 3.5 * diagram.scene.size()[1] / diagram.scene.size()[0]))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    texts = [a for a in diagram.draw(ax) if hasattr(a, "get_fontsize")]
    assert texts and all(t.get_fontsize() == pytest.approx(9.0, rel=1e-4) for t in texts)


def test_subplot_grid_and_savefig_to_every_format(plt: Any) -> None:
    fig, (a, b) = plt.subplots(1, 2, figsize=(8, 3))
    artists = nnsvg.fcnn([4, 6, 2]).draw(a)
    b.plot([0, 1, 2], [0, 1, 4])
    assert all(artist.axes is a for artist in artists)
    assert b.axison and b.get_xlim()[1] < 3 and not b.yaxis_inverted()  # the neighbour is untouched
    assert a.get_position().width <= 0.5  # the diagram stays in its cell
    fig.tight_layout()
    for fmt, magic in (("png", b"\x89PNG"), ("pdf", b"%PDF"), ("svg", b"<?xml"), ("eps", b"%!PS")):
        out = io.BytesIO()
        fig.savefig(out, format=fmt)
        assert out.getvalue().startswith(magic)


def test_an_image_is_placed_by_its_matrix(plt: Any) -> None:
    diagram = nnsvg.load(REPO / "gallery/specs/alexnet-digit-colorblind.yaml")
    _, ax = plt.subplots()
    pairs = list(zip(diagram.scene.walk(), diagram.draw(ax, fit=False)[1:]))
    prim, image = next((p, a) for p, a in pairs if isinstance(p, Image))
    assert image.get_extent() == [0.0, prim.width, prim.height, 0.0]
    placed = (image.get_transform() - ax.transData).transform([(0, 0), (prim.width, 0), (0, prim.height)])
    wanted = [apply_affine(prim.matrix, p) for p in [(0, 0), (prim.width, 0), (0, prim.height)]]
    assert placed.ravel().tolist() == pytest.approx([v for point in wanted for v in point])
    assert image.get_array().shape[:2] == (56, 56)  # gallery/digit-3.png's pixels, all of them


def test_arcs_become_bezier_curves_on_the_ellipse() -> None:
    pytest.importorskip("matplotlib", reason=NEEDS)
    from nnsvg.backends.mpl import segments_path

    # a half circle of radius 10 from (0, 0) to (20, 0), sweep flag 1: over the top (y < 0)
    path = segments_path((MoveTo(0, 0), ArcTo(10, 10, 0, False, True, 20, 0), LineTo(20, 5)))
    assert len(path.codes) == 1 + 2 * 3 + 1  # a move, two quarter turns of 3 points, a line
    on_arc = curve_points(path)
    assert max(abs(math.hypot(x - 10, y) - 10) for x, y in on_arc) < 0.003  # within 0.03 % of r
    assert min(y for _, y in on_arc) == pytest.approx(-10, abs=1e-3)
    assert tuple(path.vertices[-1]) == (20, 5)
    other = curve_points(segments_path((MoveTo(0, 0), ArcTo(10, 10, 0, False, False, 20, 0))))
    assert max(y for _, y in other) == pytest.approx(10, abs=1e-3)  # sweep 0: under it


def curve_points(path: Any) -> list[tuple[float, float]]:
    """Points along every cubic curve of a Matplotlib path, 16 per curve."""
    return [tuple(segment(t / 16)) for segment, code in path.iter_bezier()
            if code == 4 for t in range(17)]


def _gray(png: bytes) -> Any:
    """A PNG on white, as gray levels 0-255, blurred by a Gaussian of radius 2 px."""
    import numpy as np
    from PIL import Image as PILImage
    from PIL import ImageFilter

    with PILImage.open(io.BytesIO(png)) as picture:
        rgba = picture.convert("RGBA")
    white = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
    white.alpha_composite(rgba)
    return np.asarray(white.convert("L").filter(ImageFilter.GaussianBlur(2)), float)


# measured, not yet understood: Matplotlib and cairo place this figure's serif labels (the paper
# theme, 8.25 pt) about a pixel apart, a 2.1 mean difference over its dense text (failing on main
# since the "papers" gallery row came; the shapes match)
PNG_NOT_YET = {"papers-lenet-5": "serif labels about a pixel apart: mean 2.1 of 255"}


@pytest.mark.parametrize("source", [pytest.param(s, id=s.stem, marks=pytest.mark.xfail(
    reason=PNG_NOT_YET[s.stem], strict=True)) if s.stem in PNG_NOT_YET else pytest.param(s, id=s.stem)
    for s in GALLERY])
def test_savefig_png_matches_the_cairo_png(plt: Any, source: Path) -> None:
    """Matplotlib's PNG of the figure against nnsvg's own (cairo), both at scale 2 and the same
    pixel size. Both images are blurred by 2 px (one drawing unit) first, so antialiasing,
    Matplotlib's pixel snapping and glyph hinting, which differ by design, count little, while
    a missing or moved shape or text still shows. Measured on the gallery: mean difference
    0.2-0.7 gray levels of 255 for figures at their drawing's size (LeNet's translucent stacks
    the most: Matplotlib applies an opacity to fill and stroke apart, SVG to the shape), 1.1-1.3 for the one laid out
    at 3.5 in (8 pt text and 0.5 px lines at 2 × 96 dpi, where hinting and snapping weigh more);
    pixels off by more than 24 levels at most 0.14 %. Deliberate mistakes measured against it:
    no text 0.8-6.8 mean or 0.8-8.5 % of pixels off; lines 0.75 × as wide (points taken for px)
    1.3-3.6 mean; text 0.75 × as big 0.7-4.5 mean or 0.7-5.8 %; everything one drawing unit to
    the side 1.6-3.8 mean; one fan left out 9.0 mean on fcnn-default. So the bounds are 1.0 mean
    (1.5 at the printed size) and 0.5 % of pixels off by more than 24. A legend adds words
    (alexnet-digit-colorblind with its legend below: 1.05 mean, 0.79 % off, Matplotlib's text
    layout placing each word up to a pixel from cairo's), so the bounds are 1.2 mean and 1 %:
    still under every deliberate mistake but the mildest text-size one, which
    test_widths_dashes_and_font_sizes_follow_the_axes_size checks exactly (sizes in points)."""
    diagram = nnsvg.load(source)
    png = diagram.to_bytes("png", scale=2)
    reference = _gray(png)
    # a figure of the reference's pixels (a page of a printed size is rarely a whole number of
    # them: cairo rounds the page up where Matplotlib's figure rounds down)
    fig = plt.figure(figsize=(reference.shape[1] / 192, reference.shape[0] / 192), dpi=192)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    diagram.draw(ax, fit=False)
    out = io.BytesIO()
    fig.savefig(out, format="png", transparent=True)
    ours = _gray(out.getvalue())
    assert ours.shape == reference.shape
    difference = abs(ours - reference)
    printed = diagram.scene.printed is not None
    assert difference.mean() < (1.5 if printed else 1.2)
    assert (difference > 24).mean() < 0.01


def test_without_matplotlib_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import nnsvg.backends

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    monkeypatch.delitem(sys.modules, "nnsvg.backends.mpl", raising=False)
    monkeypatch.delattr(nnsvg.backends, "mpl", raising=False)
    with pytest.raises(ExportError) as caught:
        nnsvg.fcnn([2, 3]).draw(object())
    message = str(caught.value)
    assert "pip install 'nnsvg[matplotlib]'" in message and "\n" not in message


def test_drawing_into_something_else_is_an_error(plt: Any) -> None:
    with pytest.raises(ExportError, match="needs a Matplotlib Axes"):
        nnsvg.fcnn([2, 3]).draw(plt.figure())


def test_nnsvg_does_not_import_matplotlib_until_draw() -> None:
    code = "import sys, nnsvg; nnsvg.fcnn([3, 4]).scene; nnsvg.fcnn([3, 4]).svg(); print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]


def test_the_manual_example_runs_and_saves_a_pdf_with_the_labels(plt: Any, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import matplotlib

    pdfplumber = pytest.importorskip("pdfplumber")
    page = (REPO / "docs" / "papers-and-latex.md").read_text("utf-8")
    section = page[page.index("## Beside Matplotlib plots"):]
    code = section[section.index("```python\n") + 10:section.index("```\n", section.index("```python"))]
    assert "nnsvg.fcnn([4, 6, 2]).draw(a)" in code and 'rcParams["pdf.fonttype"] = 42' in code
    monkeypatch.chdir(tmp_path)
    with matplotlib.rc_context():  # the example sets rcParams for its session: not for the tests after it
        exec(compile(code, "docs/papers-and-latex.md", "exec"), {})
    with pdfplumber.open(tmp_path / "figure.pdf") as pdf:
        page = pdf.pages[0]
        assert (page.width, page.height) == (504, 180)  # 7 × 2.5 in
        text = page.extract_text()
        sizes = {round(c["size"], 3) for c in page.chars if c["text"] == "I"}
        types = font_types(pdf)
    assert "Input Layer ∈ ℝ⁴" in text and "Hidden Layer ∈ ℝ⁶" in text and "(b) training loss" in text
    # 12 px labels laid out for the Axes' 3.27 in: 9 pt, as the plot's text (to 0.02 %: the
    # constrained layout, run again at the PDF's 72 dpi, moves the Axes' edge by a hair)
    assert len(sizes) == 1 and sizes.pop() == pytest.approx(9.0, rel=5e-4)
    assert types and "Type3" not in types


# --- laid out for the Axes' printed size -------------------------------------------------------

def font_types(pdf: Any) -> set[str]:
    """The subtypes of every font the PDF's pages use (Type1, TrueType, Type0, Type3)."""
    from pdfminer.pdftypes import resolve1

    found = set()
    for page in pdf.pages:
        for font in resolve1(resolve1(page.page_obj.resources).get("Font", {})).values():
            found.add(resolve1(font)["Subtype"].name)
    return found


# one figure of every style that fits an Axes of 3.4 × 2.5 in with its text at the theme's size
AXES_FIGURES = {
    "fcnn": lambda: nnsvg.load(REPO / "gallery/specs/fcnn-default.yaml"),
    "lenet": lambda: nnsvg.load(REPO / "gallery/specs/lenet-5.yaml"),
    "alexnet": lambda: nnsvg.load(REPO / "gallery/specs/alexnet-small-paper.yaml"),
    "rnn": lambda: nnsvg.load(REPO / "gallery/specs/rnn-unrolled.yaml"),
    "blocks": lambda: nnsvg.blocks(["input", "conv3x3:64", "relu", "add"], direction="lr",
                                   connections=["0:3:add"]),
}
AXES_BOX = (0.8, 0.6, 3.4, 2.5)  # left, bottom, width, height in inches, in a 5 × 3.5 in figure


def glyph_sizes(pdf_bytes: bytes) -> list[float]:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return sorted(c["size"] for c in pdf.pages[0].chars if c["text"].strip())


@pytest.mark.parametrize("style", list(AXES_FIGURES))
def test_every_style_prints_at_its_size_in_an_axes(plt: Any, style: str) -> None:
    import matplotlib

    pdfplumber = pytest.importorskip("pdfplumber")
    diagram = AXES_FIGURES[style]()
    assert diagram.spec.style == style and diagram.spec.width is None
    left, bottom, width, height = AXES_BOX
    fig = plt.figure(figsize=(5, 3.5))
    fig.patch.set_visible(False)  # (the figure's white page: not the diagram's)
    ax = fig.add_axes((left / 5, bottom / 3.5, width / 5, height / 3.5))
    artists = diagram.draw(ax)
    sized = diagram.at_size("3.4in", "2.5in").scene  # what draw laid out: one artist per primitive
    assert len(artists) == len(list(sized.walk())) + (sized.background != "none")
    out = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(out, format="pdf")
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if c["text"].strip()]
        types = font_types(pdf)
        shapes = page.rects + page.curves + page.lines
    assert chars and types and "Type3" not in types
    sizes = sorted(c["size"] for c in chars)
    # the size nnsvg's own PDF of the figure at 3.4 × 2.5 in prints, glyph by glyph: the
    # theme's, or the search's smaller one, never under 7 pt
    own = glyph_sizes(diagram.at_size("3.4in", "2.5in").to_bytes("pdf"))
    assert sizes == pytest.approx(own, rel=1e-3) and sizes[0] >= 7.0
    assert sizes[-1] == pytest.approx(diagram.theme.text.size * 0.75, rel=1e-3)
    # everything inside the Axes' box (pdfplumber's y from the top of the 3.5 in page)
    x0, x1, top, bottom_y = 72 * left, 72 * (left + width), 72 * (3.5 - bottom - height), 72 * (3.5 - bottom)
    for item in [*chars, *shapes]:
        assert x0 - 0.5 <= item["x0"] and item["x1"] <= x1 + 0.5, item.get("text", item["object_type"])
        assert top - 0.5 <= item["top"] and item["bottom"] <= bottom_y + 0.5, item.get("text", item["object_type"])
    # the binding side fills the Axes: the diagram is laid out for it, not scaled into it
    page_w, page_h = (v / 96 for v in sized.size())
    assert max(page_w / width, page_h / height) == pytest.approx(1.0, abs=1e-3)


def test_an_axes_too_small_is_the_width_error_in_one_line(plt: Any) -> None:
    fig = plt.figure(figsize=(2, 1.5))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    diagram = nnsvg.load(REPO / "gallery/specs/blocks-resnet-bottleneck.yaml")
    with pytest.raises(nnsvg.SpecError) as caught:
        diagram.draw(ax)
    message = str(caught.value)
    assert message.startswith("draw(ax): the Axes is 2 in × 1.5 in; --") and "\n" not in message
    assert message.endswith("or draw(ax, fit=False) scales the figure into the Axes, its text smaller than its size")
    assert not ax.artists and not ax.patches and not ax.texts and ax.axison  # the Axes as it was
    # fit=False draws it scaled into the Axes, as before
    texts = [a for a in diagram.draw(ax, fit=False) if hasattr(a, "get_fontsize")]
    assert texts and max(t.get_fontsize() for t in texts) < 7.0


def test_the_axes_size_is_the_one_its_layout_engine_gives(plt: Any) -> None:
    # constrained layout: the Axes' box is the one left by its neighbour's title and ticks
    fig, (a, b) = plt.subplots(1, 2, figsize=(7, 2.5), layout="constrained")
    b.plot([1, 2], [3, 4])
    b.set_title("loss")
    from nnsvg.backends.mpl import axes_inches

    inches = axes_inches(a)
    texts = [t for t in nnsvg.fcnn([4, 6, 2]).draw(a) if hasattr(t, "get_fontsize")]
    fig.canvas.draw()  # the layout engine runs again, the box is the same: the text at 9 pt
    assert axes_inches(a) == pytest.approx(inches)
    assert {round(t.get_fontsize(), 3) for t in texts} == {9.0}


def test_an_axes_of_a_subfigure_at_another_dpi_prints_at_size(plt: Any) -> None:
    import matplotlib

    pdfplumber = pytest.importorskip("pdfplumber")
    fig = plt.figure(figsize=(7, 2.5), dpi=200, layout="constrained")
    left, right = fig.subfigures(1, 2)
    right.subplots().plot([1, 2], [3, 4])
    nnsvg.fcnn([4, 6, 2]).draw(left.subplots())
    out = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(out, format="pdf")
    with pdfplumber.open(out) as pdf:
        sizes = {round(c["size"], 2) for c in pdf.pages[0].chars if c["text"] in "ℝIHO"}
    assert sizes == {9.0}


def test_a_spec_with_its_own_width_is_scaled_into_the_axes(plt: Any) -> None:
    diagram = nnsvg.fcnn([3, 4, 2], width="7in")  # laid out for 7 in, drawn in a 3.5 in Axes
    fig = plt.figure(figsize=(3.5, 3.5))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    artists = diagram.draw(ax)
    assert len(artists) == len(list(diagram.scene.walk())) + (diagram.scene.background != "none")
    sizes = {round(a.get_fontsize(), 3) for a in artists if hasattr(a, "get_fontsize")}
    assert sizes == {4.5}  # 9 pt at 7 in, half of it at 3.5 in
