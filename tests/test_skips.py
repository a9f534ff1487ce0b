"""Skip connections and block frames in the chain styles (fcnn, lenet, alexnet): arcs never
cross each other, a label or a layer (over many random connection sets), merge symbols per
kind, frames round their layers with their ×N, straight arrows across a U-Net's U, and the
figure's page grows to hold them."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnsvg
from nnsvg import quality
from nnsvg.geometry import BBox, Point
from nnsvg.layout import arcs
from nnsvg.scene import Circle, Group, LineTo, MoveTo, Path, Polygon, QuadTo, Rect, Scene, Text

from .segments import crosses

BASES: dict[str, tuple[list[Any], dict[str, Any]]] = {
    "lenet": (["1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", 120, 84, 10], {}),
    "alexnet": (["32x32x3", "32x32x16", "16x16x32", "16x16x32", "8x8x64", "8x8x64", 10], {"dims": True}),
    "fcnn": ([3, 4, 4, 4, 4, 2], {}),
}
SYMBOL_KINDS = ("add", "concat", "multiply")


def draw(style: str, connections: list[str] = (), blocks: list[str] = (), **options: Any) -> nnsvg.Diagram:  # type: ignore[assignment]
    layers, base = BASES[style]
    return nnsvg.draw(style, layers, connections=list(connections), blocks=list(blocks), **{**base, **options})


def groups_of(scene: Scene, prefix: str) -> Iterator[Group]:
    def visit(group: Group) -> Iterator[Group]:
        if group.cls is not None and group.cls.startswith(prefix):
            yield group
        for child in group.children:
            if isinstance(child, Group):
                yield from visit(child)

    for group in scene.groups:
        yield from visit(group)


def polylines(path: Path) -> list[list[Point]]:
    """A path's subpaths as polylines (a rounded corner as its chord)."""
    out: list[list[Point]] = []
    assert isinstance(path.data, tuple)
    for seg in path.data:
        if isinstance(seg, MoveTo):
            out.append([(seg.x, seg.y)])
        elif isinstance(seg, LineTo | QuadTo):
            out[-1].append((seg.x, seg.y))
    return out


def arc_lines(scene: Scene) -> dict[str, list[tuple[Point, Point]]]:
    """Each drawn connection's lines (shafts, not heads or symbols), by its group id."""
    out: dict[str, list[tuple[Point, Point]]] = {}
    for group in groups_of(scene, "skip "):
        lines = out.setdefault(str(group.id), [])
        for child in group.children:
            if isinstance(child, Path) and child.cls in ("skip arc", "skip"):
                for line in polylines(child):
                    lines += list(itertools.pairwise(line))
    return out


def proper_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    def orient(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2, d3, d4 = orient(c, d, a), orient(c, d, b), orient(a, b, c), orient(a, b, d)
    return d1 * d2 < -1e-9 and d3 * d4 < -1e-9


def inside(shape: Any, p: Point, margin: float = 0.4) -> bool:
    x, y = p
    if isinstance(shape, Rect):
        return (shape.x + margin < x < shape.x + shape.width - margin
                and shape.y + margin < y < shape.y + shape.height - margin)
    if isinstance(shape, Circle):
        return math.hypot(x - shape.cx, y - shape.cy) < shape.r - margin
    if isinstance(shape, Polygon):
        pts = shape.points
        box = BBox.around(pts)
        if not (box.x0 + margin < x < box.x1 - margin and box.y0 + margin < y < box.y1 - margin):
            return False
        hit = False
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
        if not hit:
            return False
        # and not within the margin of an edge
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1]):
            length = math.hypot(x1 - x0, y1 - y0) or 1.0
            if abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / length < margin:
                return False
        return True
    return False


def layer_shapes(scene: Scene) -> list[Any]:
    return [item for group in scene.groups if str(group.id).startswith("layer-") for item in group.walk()
            if isinstance(item, Rect | Circle | Polygon)]


def check_arcs(scene: Scene) -> None:
    """No two connections' lines cross; no line passes through a text or a layer's shape."""
    lines = arc_lines(scene)
    ids = sorted(lines)
    for i, one in enumerate(ids):
        for other in ids[i + 1:]:
            for a, b in lines[one]:
                for c, d in lines[other]:
                    assert not proper_cross(a, b, c, d), (one, other, (a, b), (c, d))
    texts = [t for t in scene.walk() if isinstance(t, Text) and t.cls != "skip-label"]
    shapes = layer_shapes(scene)
    for name, segments in lines.items():
        for a, b in segments:
            for text in texts:
                assert not crosses(text.box.grow(-0.5), a, b), (name, text.text, (a, b))
            length = math.hypot(b[0] - a[0], b[1] - a[1])
            steps = int(length)
            for k in range(1, steps):
                t = k / steps
                p = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                if min(math.hypot(p[0] - q[0], p[1] - q[1]) for q in (a, b)) < 2.0:
                    continue
                for shape in shapes:
                    assert not inside(shape, p), (name, p, shape)


@st.composite
def connection_sets(draw_: st.DrawFn, n: int) -> list[str]:
    """Connections between n layers whose spans nest or are apart (never interleave), any kind;
    recurrent ones point backwards."""
    raw = draw_(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                   st.sampled_from(["data", "add", "concat", "multiply", "recurrent"])),
                         max_size=7))
    chosen: list[tuple[int, int, str]] = []
    for a, b, kind in raw:
        s, t = min(a, b), max(a, b)
        if s == t or (kind == "data" and t == s + 1):
            continue
        if any(p < s < q < t or s < p < t < q for p, q, _ in chosen) or (s, t, kind) in chosen:
            continue
        chosen.append((s, t, kind))
    return [f"{t}:{s}:{kind}" if kind == "recurrent" else f"{s}:{t}:{kind}" for s, t, kind in chosen]


@st.composite
def block_sets(draw_: st.DrawFn, n: int) -> list[str]:
    """Blocks of n layers that nest or stand apart, some repeated."""
    raw = draw_(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 4)), max_size=3))
    chosen: list[tuple[int, int, int]] = []
    for a, b, repeat in raw:
        s, t = min(a, b), max(a, b)
        if any(p < s <= q < t or s < p <= t < q or (p, q) == (s, t) for p, q, _ in chosen):
            continue
        chosen.append((s, t, repeat))
    return [f"{s}:{t}:B{k}" + (f":x{r}" if r > 1 else "") for k, (s, t, r) in enumerate(chosen)]


@pytest.mark.parametrize("style", sorted(BASES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arcs_never_cross_each_other_a_label_or_a_layer(style: str, data: st.DataObject) -> None:
    n = len(BASES[style][0])
    connections = data.draw(connection_sets(n))
    diagram = draw(style, connections)
    scene = diagram.scene
    assert not [note for note in diagram.notes if "interleave" in note]
    assert len(arc_lines(scene)) == len(connections)
    check_arcs(scene)
    assert quality.check(scene) == []
    page = scene.page()
    for item in scene.walk():  # the page grew to hold every arc
        assert page.contains(item.bbox())


@pytest.mark.parametrize("style", sorted(BASES))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arcs_and_frames_together(style: str, data: st.DataObject) -> None:
    n = len(BASES[style][0])
    connections, blocks = data.draw(connection_sets(n)), data.draw(block_sets(n))
    scene = draw(style, connections, blocks).scene
    frames = [g for g in groups_of(scene, "block") if g.cls == "block"]
    assert len(frames) == len(blocks)
    check_arcs(scene)
    assert quality.check(scene) == []


@pytest.mark.parametrize("style", ["fcnn", "lenet", "alexnet"])
def test_merge_symbols_per_kind(style: str) -> None:
    scene = draw(style, ["0:2:add", "2:4:concat", "0:5:multiply", "1:3:data", "4:2:recurrent"]).scene
    merges = [c for c in scene.walk() if isinstance(c, Circle) and (c.cls or "").startswith("merge")]
    assert sorted(str(c.cls) for c in merges) == ["merge add", "merge concat", "merge multiply"]
    marks = {str(p.cls): p for p in scene.walk() if isinstance(p, Path) and (p.cls or "").startswith("merge")}
    assert sorted(marks) == ["merge add", "merge concat", "merge multiply"]
    for kind in SYMBOL_KINDS:  # each mark is two strokes inside its circle
        path = marks[f"merge {kind}"]
        circle = next(c for c in merges if c.cls == f"merge {kind}")
        assert len(polylines(path)) == 2
        assert all(math.hypot(x - circle.cx, y - circle.cy) <= circle.r + 1e-6
                   for line in polylines(path) for x, y in line)
    assert arcs.kinds_drawn(scene) == ["data", "add", "concat", "multiply", "recurrent"]
    recurrent = next(groups_of(scene, "skip recurrent"))
    arc = next(c for c in recurrent.children if isinstance(c, Path) and c.cls == "skip arc")
    assert arc.dash is not None  # recurrent connections are dashed, in the recurrent colour
    svg = draw(style, ["0:2:add"]).svg()
    assert svg.count('class="merge add"') == 2 and 'class="skip add"' in svg


def test_arcs_stack_nested_spans_higher_and_share_endpoints_in_order() -> None:
    scene = draw("lenet", ["1:3:add", "1:5:add", "3:5:concat", "0:7:data"]).scene
    tracks = {}
    for group in groups_of(scene, "skip "):
        arc = next(c for c in group.children if isinstance(c, Path) and c.cls == "skip arc")
        tracks[str(group.id)] = min(y for line in polylines(arc) for _, y in line)
    # nested spans lower (larger y) than those around them; 1→3 and 3→5 are apart and touch at 3
    assert tracks["skip-1-3-add"] > tracks["skip-1-5-add"] > tracks["skip-0-7-data"]
    assert tracks["skip-3-5-concat"] > tracks["skip-1-5-add"]
    legs: dict[str, tuple[float, float]] = {}
    for group in groups_of(scene, "skip "):
        arc = next(c for c in group.children if isinstance(c, Path) and c.cls == "skip arc")
        line = polylines(arc)[0]
        legs[str(group.id)] = (line[0][0], line[-1][0])
    # at layer 3: 1→3 arrives left of where 3→5 leaves; at 5: the lower arc 3→5 lands left of 1→5
    assert legs["skip-1-3-add"][1] < legs["skip-3-5-concat"][0]
    assert legs["skip-3-5-concat"][1] < legs["skip-1-5-add"][1]
    # at 1: the higher arc 1→5 leaves left of 1→3
    assert legs["skip-1-5-add"][0] < legs["skip-1-3-add"][0]
    check_arcs(scene)


@pytest.mark.parametrize("style", ["fcnn", "lenet", "alexnet"])
def test_interleaving_spans_get_a_note(style: str) -> None:
    diagram = draw(style, ["0:3:add", "2:5:add"])
    assert diagram.notes == ["connections 0→3 and 2→5 interleave, so their arcs cross"]


@pytest.mark.parametrize("style", ["fcnn", "lenet", "alexnet"])
def test_frames_enclose_their_layers_with_label_and_repeat(style: str) -> None:
    diagram = draw(style, ["1:3:add"], ["1:3:Residual block:x3", "4:5", "2:3:inner"])
    scene = diagram.scene
    frames = {str(g.id): g for g in groups_of(scene, "block") if g.cls == "block"}
    assert sorted(frames) == ["block-1-3", "block-2-3", "block-4-5"]
    layers = {str(g.id): g for g in scene.groups if str(g.id).startswith("layer-")}
    for name, first, last in (("block-1-3", 1, 3), ("block-4-5", 4, 5), ("block-2-3", 2, 3)):
        frame = next(c for c in frames[name].children if isinstance(c, Path))
        assert frame.dash is not None and frame.fill == "none"
        for i in range(first, last + 1):  # each member's shapes are inside, clear of the border
            for item in layers[f"layer-{i}"].walk():
                if isinstance(item, Rect | Circle | Polygon):  # (texts: the quality check below)
                    assert frame.extent.grow(-0.5).contains(item.bbox()), (name, i, item)
        for i in set(range(len(layers))) - set(range(first, last + 1)):  # the others' shapes are not
            for item in layers[f"layer-{i}"].walk():
                if isinstance(item, Rect | Circle | Polygon) and str(item.cls).split()[0] in (
                        "map", "dense", "volume", "node"):
                    assert not frame.extent.contains(item.bbox()), (name, i)
    texts = {t.text: t for g in frames.values() for t in g.children if isinstance(t, Text)}
    assert sorted(texts) == ["Residual block ×3", "inner"]
    outer = next(c for c in frames["block-1-3"].children if isinstance(c, Path)).extent
    inner_frame = frames["block-2-3"]
    assert outer.contains(inner_frame.bbox())  # the inner frame and its label are inside the outer
    assert texts["Residual block ×3"].box.y0 >= outer.y1  # the label under its frame
    assert quality.check(scene) == []
    assert [n for n in diagram.notes if "not" in n] == []


def test_repeat_alone_is_labelled_times_n() -> None:
    scene = draw("lenet", blocks=["2:3:x4"]).scene
    texts = [t.text for g in groups_of(scene, "block") if g.cls == "block" for t in g.children if isinstance(t, Text)]
    assert texts == ["×4"]


@pytest.mark.parametrize("style", ["fcnn", "lenet", "alexnet"])
def test_skips_are_deterministic_and_round_trip(style: str, tmp_path: Any) -> None:
    connections, blocks = ["0:3:add:res", "3:5:concat"], ["1:3:B:x2"]
    a = draw(style, connections, blocks)
    b = draw(style, connections, blocks)
    assert a.svg() == b.svg()
    a.save(tmp_path / "a.svg", spec=tmp_path / "a.yaml")
    assert nnsvg.load(tmp_path / "a.yaml").svg() == a.svg()
    assert a.svg() != draw(style).svg()


@pytest.mark.parametrize("style", ["fcnn", "lenet", "alexnet"])
def test_the_page_grows_to_hold_the_arcs(style: str) -> None:
    plain = draw(style).scene.page()
    wired = draw(style, ["0:5:data:a long skip over the figure"]).scene
    page = wired.page()
    label = next(t for t in wired.walk() if isinstance(t, Text) and t.cls == "skip-label")
    assert page.y0 < plain.y0 and page.contains(label.box)


def test_fcnn_flowing_down_routes_arcs_on_the_left() -> None:
    for direction in ("up", "down"):
        scene = draw("fcnn", ["0:3:add:res", "1:2:concat"], direction=direction).scene
        nodes = [c for c in scene.walk() if isinstance(c, Circle) and (c.cls or "").startswith("node")]
        left = min(c.cx - c.r for c in nodes)
        for _, segments in arc_lines(scene).items():
            for a, b in segments:
                assert min(a[0], b[0]) <= left + 20  # legs join the leftmost node of their layer
        tracks = [min(a[0], b[0]) for segs in arc_lines(scene).values() for a, b in segs]
        assert min(tracks) < left
        check_arcs(scene)
        assert quality.check(scene) == []
        concat = next(p for p in scene.walk() if isinstance(p, Path) and p.cls == "merge concat")
        bars = polylines(concat)
        assert all(line[0][0] == line[1][0] for line in bars)  # ‖ stays upright


def test_fcnn_with_half_a_million_edges_gets_one_arc() -> None:
    diagram = nnsvg.fcnn([784, 512, 256, 10], max_nodes=0, connections=["0:3:add"])
    scene = diagram.scene
    groups = list(groups_of(scene, "skip "))
    assert len(groups) == 1 and len(arc_lines(scene)["skip-0-3-add"]) >= 3


UNET_LEVELS = [0, 0, 1, 1, 2, 2, 1, 1, 0, 0]


def unet(**options: Any) -> nnsvg.Diagram:
    layers = ["64x64x3", "64x64x16", "32x32x32", "32x32x32", "16x16x64", "16x16x64", "32x32x32", "32x32x32",
              "64x64x16", "64x64x2"]
    return nnsvg.alexnet(layers, levels=UNET_LEVELS, connections=["1:8:concat", "3:6:concat"], **options)


def test_levels_draw_a_u_with_straight_skips_across() -> None:
    for options in ({}, {"dims": True}):  # the cubes look runs down a diagonal of its own
        scene = unet(**options).scene
        boxes = {str(g.id): g.bbox() for g in scene.groups if str(g.id).startswith("layer-")}
        middles = [boxes[f"layer-{i}"].center_y for i in range(10)]  # type: ignore[union-attr]
        for i, j in ((0, 2), (2, 4), (8, 6), (6, 4)):  # deeper levels lower on the page
            assert middles[j] > middles[i] + 10
        assert abs(middles[1] - middles[8]) < 1 and abs(middles[3] - middles[6]) < 1
        lines = arc_lines(scene)
        for name in ("skip-1-8-concat", "skip-3-6-concat"):
            ys = {round(y, 6) for a, b in lines[name] for y in (a[1], b[1])}
            assert len(ys) == 1  # one straight horizontal arrow
        assert quality.check(scene) == []
        check_arcs(scene)


def test_levels_are_whole_numbers_and_round_trip(tmp_path: Any) -> None:
    diagram = nnsvg.alexnet(["8x8x3", "4x4x8", "8x8x3"], levels="0,1.0,0", connections=["0:2:concat"])
    assert diagram.spec.levels == [0, 1, 0] and all(isinstance(v, int) for v in diagram.spec.levels)
    diagram.save(tmp_path / "u.svg", spec=tmp_path / "u.yaml")
    assert "levels: [0, 1, 0]" in (tmp_path / "u.yaml").read_text("utf-8")
    assert nnsvg.load(tmp_path / "u.yaml").svg() == diagram.svg()


def test_levels_are_checked() -> None:
    with pytest.raises(nnsvg.NnsvgError, match=r"levels: expected one level per layer \(10\), got 3"):
        nnsvg.alexnet(["64x64x3"] * 10, levels=[0, 1, 0])
    with pytest.raises(nnsvg.NnsvgError, match=r"levels\[1\]: expected a whole number, got 0.5"):
        nnsvg.alexnet(["64x64x3", 10], levels=[0, 0.5])
    with pytest.raises(nnsvg.NnsvgError, match=r"levels\[1\]: expected a value from 0 to 100"):
        nnsvg.alexnet(["64x64x3", 10], levels=[0, -1])


def test_unet_gallery_figure_is_a_u() -> None:
    from pathlib import Path as FilePath

    spec = FilePath(__file__).parent.parent / "gallery" / "specs" / "alexnet-unet.yaml"
    diagram = nnsvg.load(spec)
    scene = diagram.scene
    assert quality.check(scene) == [] and diagram.notes == []
    lines = arc_lines(scene)
    assert len(lines) == 4 and all(len({a[1] for a, _ in segs} | {b[1] for _, b in segs}) == 1
                                   for segs in lines.values())
    assert sum(1 for c in scene.walk() if isinstance(c, Circle) and c.cls == "merge concat") == 4


@pytest.mark.parametrize("name", ["unet-flat", "unet-u", "fcn-8s", "hed"])
@pytest.mark.parametrize("width", ["column", "article-column"])
def test_skip_arcs_keep_their_printed_sizes_at_a_column(name: str, width: str) -> None:
    """Issue 25: a flat U-Net at a column was a 252 x 13,138 pt page (the arcs kept their size while
    the drawing shrank) and then refused. Now the arcs' tracks, legs and merge marks are printed
    lengths like the text: the page is at most 9 in high and a merge mark prints at the theme's
    radius (3.78 pt), whatever the scale."""
    from nnsvg.layout.skips import symbol_radius
    from nnsvg.theme import load_theme

    from .corpus import CORPUS

    _, style, layers, options = next(network for network in CORPUS if network[0] == name)
    diagram = nnsvg.draw(style, layers, width=width, **options)
    printed = diagram.scene.printed
    assert printed is not None
    assert printed.height * 0.75 <= 9 * 72  # CSS px to bp
    radius = symbol_radius(load_theme("nnsvg")) * 0.75  # pt of the page
    marks = [c for c in diagram.scene.walk() if isinstance(c, Circle) and "merge" in c.cls]
    assert marks
    for mark in marks:
        assert mark.r * printed.scale * 0.75 == pytest.approx(radius, rel=0.01)
    assert quality.check(diagram.scene) == []
