"""Typed path geometry: every segment kind and bulk kind written as SVG text (exactly), drawn by
the cairo backend (pixels, and against cairosvg reading our SVG), and the arc and curve math."""

from __future__ import annotations

import io
import math

import pytest

from nnsvg import export
from nnsvg.backends import svg as svg_backend
from nnsvg.backends.svg import path_text, to_svg
from nnsvg.geometry import BBox, CenterArc, Point, arc_center, quad_to_cubic
from nnsvg.scene import (
    ArcTo,
    Close,
    CubicTo,
    CurvedStars,
    Dots,
    Fan,
    Group,
    LineTo,
    MoveTo,
    Path,
    PathData,
    Polylines,
    QuadTo,
    Scene,
    Stars,
    polyline,
)

from .conftest import find, parse
from .reference import convert

# --- SVG text -----------------------------------------------------------------------------


@pytest.mark.parametrize(("segment", "text"), [
    (MoveTo(1, 2.5), "M1,2.5"),
    (LineTo(-3.456, 0.001), "L-3.46,0"),
    (CubicTo(1, 2, 3, 4, 5, 6), "C1,2 3,4 5,6"),
    (QuadTo(10, -20.5, 30.25, 40), "Q10,-20.5 30.25,40"),
    (ArcTo(5, 2.5, 30, True, False, 7, 8), "A5,2.5 30 1,0 7,8"),
    (ArcTo(5, 5, 0, False, True, -7, 0), "A5,5 0 0,1 -7,0"),
    (Close(), "Z"),
])
def test_each_segment_kind_as_svg_text(segment: object, text: str) -> None:
    assert path_text((MoveTo(0, 0), segment)) == "M0,0" + text  # type: ignore[arg-type]


def test_segments_are_joined_without_separators() -> None:
    data = (MoveTo(0, 0), LineTo(10, 0), CubicTo(10, 5, 5, 10, 0, 10), Close(),
            MoveTo(20, 20), QuadTo(25, 15, 30, 20), ArcTo(5, 5, 0, False, True, 40, 20))
    assert path_text(data) == "M0,0L10,0C10,5 5,10 0,10ZM20,20Q25,15 30,20A5,5 0 0,1 40,20"
    assert path_text(polyline([(0, 0), (1, 1), (2, 0)], closed=True)) == "M0,0L1,1L2,0Z"
    assert path_text(()) == ""


def test_bulk_kinds_as_svg_text() -> None:
    a, b, c = (0.0, 0.0), (10.0, 5.5), (-1.25, 2.0)
    assert path_text(Fan((a, b), (c,))) == "M0,0L-1.25,2M10,5.5L-1.25,2"
    assert path_text(Stars((b, c), ((a, (0, 1)), (b, ()), (c, (1,))))) == "M0,0L10,5.5M0,0L-1.25,2M-1.25,2L-1.25,2"
    assert path_text(Fan((a, b), ())) == path_text(Stars((), ())) == ""
    assert path_text(Dots(((5.0, 5.0),), 1.5)) == "M3.5,5a1.5,1.5 0 1,0 3,0a1.5,1.5 0 1,0 -3,0Z"
    assert path_text(Polylines(((a, b), (b, c)))) == "M0,0L10,5.5M10,5.5L-1.25,2"
    assert path_text(Polylines(((a, b, c),), closed=True)) == "M0,0L10,5.5L-1.25,2Z"
    mixed = Polylines(((a, b), (a, b, c), (a, b, c, a)))  # lines of other lengths: the general way
    assert path_text(mixed) == "M0,0L10,5.5M0,0L10,5.5L-1.25,2M0,0L10,5.5L-1.25,2L0,0"
    curved = CurvedStars(((c, a), (a, b)), (((a, b), (0, 1)), ((c, a), ()), ((c, b), (1,))))
    assert path_text(curved) == "M0,0C10,5.5 -1.25,2 0,0M0,0C10,5.5 0,0 10,5.5M-1.25,2C10,5.5 0,0 10,5.5"


@pytest.mark.parametrize("closed", [False, True])
def test_bulk_text_is_the_same_whatever_the_caching_and_chunking(monkeypatch: pytest.MonkeyPatch,
                                                             closed: bool) -> None:
    """Points shared by many lines (nodes) are cached, unshared ones (arrowhead corners) are
    not; chunks and cache clearing are invisible in the text."""
    monkeypatch.setattr(svg_backend, "CHUNK", 7)
    monkeypatch.setattr(svg_backend, "CACHE_LIMIT", 5)
    nodes = [(float(k), k * 0.5) for k in range(6)]
    shared = tuple((p, q) for p in nodes for q in nodes)
    unshared = tuple(((k + 0.1, 1.0), (k + 0.2, 2.0), (k + 0.3, 3.0)) for k in range(40))
    end = "Z" if closed else ""

    def expected(lines: tuple[tuple[Point, ...], ...]) -> str:
        return "".join("M" + "L".join(f"{svg_backend.fmt(x)},{svg_backend.fmt(y)}" for x, y in line) + end
                       for line in lines)

    for lines in (shared, unshared, shared + unshared):
        assert path_text(Polylines(lines, closed)) == expected(lines)
    everywhere = tuple(range(len(nodes)))
    assert path_text(Stars(tuple(nodes), tuple((p, everywhere) for p in nodes))) == "".join(
        f"M{p[0]:g},{p[1]:g}L{q[0]:g},{q[1]:g}" for p in nodes for q in nodes)
    ends = tuple((q, q) for q in nodes)
    curved = CurvedStars(ends, tuple(((p, p), everywhere) for p in nodes))
    assert path_text(curved) == "".join(
        f"M{p[0]:g},{p[1]:g}C{p[0]:g},{p[1]:g} {q[0]:g},{q[1]:g} {q[0]:g},{q[1]:g}" for p in nodes for q in nodes)


def test_short_path_data_is_built_in_and_long_data_spliced_alike() -> None:
    """Short path data goes into the document as it is built (so svgwrite's validator sees
    it); long data is spliced in as the document is written. The text is the same."""
    nodes = tuple((float(k), 2.0 * k) for k in range(40))
    datas: list[PathData] = [
        polyline([(0, 0), (5, 5)]),
        tuple(s for k in range(600) for s in (MoveTo(k, 0), LineTo(k, 5))),  # long segments
        Polylines(tuple((p, q) for p in nodes for q in nodes)),
        Stars(nodes, tuple((p, tuple(range(40))) for p in nodes)),
        CurvedStars(((nodes[2], nodes[3]),), (((nodes[0], nodes[1]), (0,)),)),
        Fan(nodes, nodes),
        Dots(nodes[:3], 1.0),
    ]
    root = parse(to_svg(_scene(*(_stroked(d) for d in datas))))
    assert [p.get("d") for p in find(root, "path")] == [path_text(d) for d in datas]
    short = _scene(_stroked(datas[0]), _stroked(datas[4]), _stroked(datas[6]))
    assert to_svg(short, debug=True) == to_svg(short)


def test_one_writer_formats_a_shared_point_once_for_all_its_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[float] = []
    real = svg_backend.fmt

    def counted(value: float) -> str:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(svg_backend, "number", lambda decimals=2: counted)  # the writer's numbers
    writer = svg_backend.PathWriter()
    nodes = [(float(k), 0.0) for k in range(4)]
    lines = Polylines(tuple((p, q) for p in nodes for q in nodes))
    first = "".join(writer.parts(lines))
    assert len(calls) == 2 * 2 * 4  # x and y of 4 points, once after M and once after L
    assert "".join(writer.parts(lines)) == first
    assert len(calls) == 16  # the second path: every point's text was known
    assert first == path_text(lines) and first.count("M") == 16


# --- arc and curve math -------------------------------------------------------------------

def _on_ellipse(arc: CenterArc, angle: float) -> Point:
    x, y = arc.rx * math.cos(angle), arc.ry * math.sin(angle)
    cos, sin = math.cos(arc.rotation), math.sin(arc.rotation)
    return arc.cx + cos * x - sin * y, arc.cy + sin * x + cos * y


def test_half_circle() -> None:
    up = arc_center((0, 0), (2, 0), 1, 1, 0, False, True)
    down = arc_center((0, 0), (2, 0), 1, 1, 0, False, False)
    assert up is not None and down is not None
    assert (up.cx, up.cy, up.rx, up.ry) == pytest.approx((1, 0, 1, 1))
    assert up.start == pytest.approx(math.pi) and up.sweep == pytest.approx(math.pi)
    assert (down.cx, down.cy) == pytest.approx((1, 0)) and down.sweep == pytest.approx(-math.pi)
    assert _on_ellipse(up, up.start + up.sweep / 2) == pytest.approx((1, -1))  # sweep 1 turns through y < 0
    assert _on_ellipse(down, down.start + down.sweep / 2) == pytest.approx((1, 1))


@pytest.mark.parametrize("radius", [0.5, 0.001, -0.5])
def test_radii_too_small_are_scaled_up(radius: float) -> None:
    arc = arc_center((0, 0), (2, 0), radius, radius, 0, True, True)
    assert arc is not None
    assert (arc.cx, arc.cy, arc.rx, arc.ry) == pytest.approx((1, 0, 1, 1))
    assert abs(arc.sweep) == pytest.approx(math.pi)


def test_radii_scaled_up_keep_their_ratio() -> None:
    arc = arc_center((0, 0), (4, 0), 1, 0.5, 0, False, True)  # needs rx = 2: ry becomes 1
    assert arc is not None
    assert (arc.rx, arc.ry, arc.cx, arc.cy) == pytest.approx((2, 1, 2, 0))


def test_zero_radius_is_a_line_and_a_closed_arc_is_nothing() -> None:
    assert arc_center((0, 0), (5, 5), 0, 3, 0, False, True) is None
    assert arc_center((0, 0), (5, 5), 3, 0, 0, True, False) is None
    assert arc_center((2, 2), (2, 2), 3, 3, 0, True, True) is None


@pytest.mark.parametrize(("large", "sweep", "center", "turn"), [
    (False, True, (0, 0), math.pi / 2),
    (False, False, (1, 1), -math.pi / 2),
    (True, True, (1, 1), 3 * math.pi / 2),
    (True, False, (0, 0), -3 * math.pi / 2),
])
def test_flags_choose_one_of_four_arcs(large: bool, sweep: bool, center: Point, turn: float) -> None:
    arc = arc_center((1, 0), (0, 1), 1, 1, 0, large, sweep)
    assert arc is not None
    assert (arc.cx, arc.cy) == pytest.approx(center)
    assert arc.sweep == pytest.approx(turn)


@pytest.mark.parametrize("rotation", [0.0, 30.0, -75.0, 390.0])
@pytest.mark.parametrize(("large", "sweep"), [(False, False), (False, True), (True, False), (True, True)])
def test_rotated_ellipse_runs_from_start_to_end(rotation: float, large: bool, sweep: bool) -> None:
    start, end = (3.0, -1.0), (5.0, 2.0)
    arc = arc_center(start, end, 4, 2, rotation, large, sweep)
    assert arc is not None
    assert (arc.rx, arc.ry) == (4, 2)  # big enough: not scaled
    assert arc.rotation == pytest.approx(math.radians(rotation % 360))
    assert _on_ellipse(arc, arc.start) == pytest.approx(start)
    assert _on_ellipse(arc, arc.start + arc.sweep) == pytest.approx(end)
    assert (arc.sweep > 0) == sweep
    assert (abs(arc.sweep) > math.pi) == large


def test_quad_to_cubic_is_exact() -> None:
    p0, q, p2 = (0.0, 0.0), (3.0, 9.0), (6.0, -3.0)
    c1, c2 = quad_to_cubic(p0, q, p2)
    for k in range(11):
        t = k / 10
        s = 1 - t
        quad = tuple(s * s * a + 2 * s * t * b + t * t * c for a, b, c in zip(p0, q, p2))
        cubic = tuple(s**3 * a + 3 * s * s * t * b + 3 * s * t * t * c + t**3 * d
                      for a, b, c, d in zip(p0, c1, c2, p2))
        assert cubic == pytest.approx(quad)


# --- cairo drawing ------------------------------------------------------------------------

PAGE = BBox(0, 0, 100, 100)


def _scene(*paths: Path) -> Scene:
    """A 100 × 100 px page holding the paths (each path's extent is the whole page)."""
    return Scene("test", "#ffffff", 0.0, [Group("paths", None, list(paths))])


def _filled(data: PathData) -> Path:
    return Path(data, PAGE, fill="#000000")


def _stroked(data: PathData) -> Path:
    return Path(data, PAGE.grow(-1.0), stroke="#000000", stroke_width=2.0)  # the stroke reaches the page


def _ink(scene: Scene, pixels: list[tuple[int, int]]) -> list[bool]:
    """Whether each pixel is dark in the cairo backend's PNG of the scene."""
    from PIL import Image

    with Image.open(io.BytesIO(export.draw(scene, "png"))) as image:
        assert image.size == (100, 100)
        gray = image.convert("L")
        return [gray.getpixel(p) < 128 for p in pixels]  # type: ignore[operator]


def _same_as_cairosvg(scene: Scene) -> None:
    """The cairo backend and cairosvg (reading our SVG) draw the same pixels, give or take
    anti-aliasing at the edges."""
    from PIL import Image, ImageChops

    direct = export.draw(scene, "png", scale=2)
    reference = convert(to_svg(scene), "png", scale=2)
    with Image.open(io.BytesIO(direct)) as a, Image.open(io.BytesIO(reference)) as b:
        assert a.size == b.size == (200, 200)
        histogram = ImageChops.difference(a.convert("L"), b.convert("L")).histogram()
        assert sum(histogram[64:]) <= 10, "more than anti-aliasing differs"
        assert sum(v * n for v, n in enumerate(histogram)) / (200 * 200) < 0.5


HALF_DISC = (MoveTo(10, 60), ArcTo(40, 40, 0, False, True, 90, 60), Close())  # the upper half
PARABOLA = (MoveTo(10, 90), QuadTo(50, 10, 90, 90), Close())  # apex at (50, 50)


def test_arc_fill_covers_the_half_disc() -> None:
    inside, outside = [(50, 30), (20, 55), (80, 55), (50, 25)], [(50, 70), (12, 25), (88, 25), (50, 15)]
    assert _ink(_scene(_filled(HALF_DISC)), inside + outside) == [True] * 4 + [False] * 4
    _same_as_cairosvg(_scene(_filled(HALF_DISC)))


def test_arc_with_small_radii_is_scaled_up() -> None:
    data = (MoveTo(10, 60), ArcTo(1, 1, 0, True, True, 90, 60), Close())  # drawn as HALF_DISC
    assert _ink(_scene(_filled(data)), [(50, 30), (50, 70)]) == [True, False]
    _same_as_cairosvg(_scene(_filled(data)))


def test_arc_with_zero_radius_is_a_line() -> None:
    data = (MoveTo(10, 10), ArcTo(0, 20, 0, False, True, 90, 90), LineTo(10, 90), Close())
    assert _ink(_scene(_filled(data)), [(30, 70), (70, 30)]) == [True, False]
    _same_as_cairosvg(_scene(_filled(data)))


@pytest.mark.parametrize(("large", "sweep"), [(False, False), (False, True), (True, False), (True, True)])
def test_rotated_elliptical_arcs_match_cairosvg(large: bool, sweep: bool) -> None:
    data = (MoveTo(35, 40), ArcTo(30, 15, 35, large, sweep, 65, 60), Close())
    _same_as_cairosvg(_scene(_filled(data)))
    _same_as_cairosvg(_scene(_stroked(data)))


def test_quadratic_fill_covers_the_parabola() -> None:
    inside, outside = [(50, 60), (30, 80), (70, 80)], [(50, 40), (20, 50), (80, 50)]
    assert _ink(_scene(_filled(PARABOLA)), inside + outside) == [True] * 3 + [False] * 3
    _same_as_cairosvg(_scene(_filled(PARABOLA)))


def test_every_segment_kind_in_one_path_matches_cairosvg() -> None:
    data = (MoveTo(5, 5), LineTo(30, 5), CubicTo(40, 5, 40, 30, 30, 30), QuadTo(20, 45, 5, 30), Close(),
            MoveTo(60, 60), ArcTo(15, 10, 20, True, True, 90, 80), LineTo(60, 90))
    _same_as_cairosvg(_scene(_filled(data)))
    _same_as_cairosvg(_scene(_stroked(data)))


def _row(k: int, x0: float, x1: float) -> tuple[Point, Point]:
    return (x0, 4.0 + 4 * k), (x1, 4.0 + 4 * k)


@pytest.mark.parametrize("kind", ["segments", "polylines", "curved-stars", "fan", "stars", "dots"])
def test_raster_batches_draw_every_subpath(kind: str) -> None:
    """A stroke-only path on a PNG is stroked RASTER_BATCH subpaths at a time: none is lost."""
    rows = [_row(k, 10, 90) for k in range(20)]
    x = 50  # where each row's ink is looked for
    data: PathData
    if kind == "segments":
        data = tuple(s for a, b in rows for s in (MoveTo(*a), LineTo(*b)))
    elif kind == "polylines":
        data = Polylines(tuple(rows))
    elif kind == "curved-stars":  # each row a straight curve: controls on its ends
        data = CurvedStars(tuple((b, b) for _, b in rows), tuple(((a, a), (k,)) for k, (a, _) in enumerate(rows)))
    elif kind == "fan":  # every row's start to one end: the rows' ink is near their starts
        data = Fan(tuple(a for a, _ in rows), ((90.0, 50.0),))
        x = 11
    elif kind == "stars":
        data = Stars(tuple(b for _, b in rows), tuple((a, (k,)) for k, (a, _) in enumerate(rows)))
    else:
        data = Dots(tuple((50.0, a[1]) for a, _ in rows), 1.0)
    scene = _scene(_stroked(data))
    assert all(_ink(scene, [(x, round(a[1])) for a, _ in rows]))
    _same_as_cairosvg(scene)


def test_closed_polylines_and_dots_fill_like_cairosvg() -> None:
    heads = Polylines(tuple(((10.0 + 20 * k, 80.0), (20.0 + 20 * k, 60.0), (30.0 + 20 * k, 80.0)) for k in range(4)),
                      closed=True)
    dots = Dots(((20.0, 20.0), (50.0, 20.0), (80.0, 20.0)), 6.0)
    scene = _scene(_filled(heads), _filled(dots))
    assert _ink(scene, [(20, 75), (20, 20), (50, 20), (35, 20)]) == [True, True, True, False]
    _same_as_cairosvg(scene)
