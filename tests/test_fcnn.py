"""The FCNN renderer, checked on the SVG it produces."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nnsvg
from nnsvg import quality
from nnsvg.backends import svg as svg_backend
from nnsvg.geometry import BBox
from nnsvg.renderers.fcnn import PAGE_BLOCK, PAGE_SHRINK
from nnsvg.renderers.fcnn_edges import WEIGHT_LEVELS
from nnsvg.renderers.fcnn_layout import column_slots, drawn_nodes
from nnsvg.scene import Circle, Rect, Text
from nnsvg.scene import Path as ScenePath

from . import corpus
from .conftest import NS, edge_count, find, layer_group, numbers, parse, viewbox


def svg_of(layers: list[object], **options: object) -> str:
    return nnsvg.fcnn(layers, **options).svg()


def circles(root: object) -> list[object]:
    return find(root, "circle")  # type: ignore[arg-type]


def test_8_12_8_counts() -> None:
    root = parse(svg_of([8, 12, 8]))
    assert len(circles(root)) == 28
    assert edge_count(root) == 8 * 12 + 12 * 8 == 192
    for i, size in enumerate([8, 12, 8]):
        assert len(find(layer_group(root, i), "circle")) == size


def test_bias_adds_a_unit_to_every_layer_but_the_output() -> None:
    root = parse(svg_of([8, 12, 8], bias=True))
    assert len(circles(root)) == 30
    assert edge_count(root) == 9 * 12 + 13 * 8 == 212
    assert [len(find(layer_group(root, i), "circle")) for i in range(3)] == [9, 13, 8]
    bias_texts = [t for t in find(root, "text") if t.get("class") == "bias"]
    assert [t.text for t in bias_texts] == ["+1", "+1"]


def test_structure_groups_and_ids() -> None:
    root = parse(svg_of([3, 4, 2]))
    ids = [g.get("id") for g in find(root, "g")]
    assert ids == ["edges-0-1", "edges-1-2", "layer-0", "layer-1", "layer-2"]
    edges = [g for g in find(root, "g") if g.get("class") == "edges"]
    # fixed style: one path per layer pair, one M per edge
    assert [len(list(g.iter(NS + "path"))) for g in edges] == [1, 1]
    assert [sum(p.get("d").count("M") for p in g.iter(NS + "path")) for g in edges] == [12, 8]


def test_node_coordinates_follow_nn_svg_layout() -> None:
    root = parse(svg_of([2, 3], node_diameter=20, layer_spacing=160, node_gap=20))
    xs = sorted({float(c.get("cx")) for c in circles(root)})
    assert xs == [0, 180]  # i · (spacing + diameter)
    ys0 = sorted(float(c.get("cy")) for c in find(layer_group(root, 0), "circle"))
    ys1 = sorted(float(c.get("cy")) for c in find(layer_group(root, 1), "circle"))
    assert ys0 == [-20, 20] and ys1 == [-40, 0, 40]  # pitch diameter + gap, centred
    assert {c.get("r") for c in circles(root)} == {"10"}


def test_node_gap_per_layer_and_per_layer_override() -> None:
    root = parse(svg_of([2, {"size": 2, "gap": 0}, 2], node_gap=[20, 5, 40]))
    def ys(i: int) -> list[float]:
        return sorted(float(c.get("cy")) for c in find(layer_group(root, i), "circle"))
    assert ys(0) == [-20, 20] and ys(1) == [-10, 10] and ys(2) == [-30, 30]
    with pytest.raises(nnsvg.SpecError, match="node_gap: expected one value or 3"):
        svg_of([2, 2, 2], node_gap=[1, 2])


@pytest.mark.parametrize(("direction", "axis"), [("right", "cx"), ("left", "cx"), ("up", "cy"), ("down", "cy")])
def test_directions(direction: str, axis: str) -> None:
    root = parse(svg_of([2, 3, 1], direction=direction))
    positions = [float(find(layer_group(root, i), "circle")[0].get(axis)) for i in range(3)]
    sign = 1 if direction in ("right", "down") else -1
    assert positions == [0, sign * 180, sign * 360]


def test_default_labels_with_superscripts() -> None:
    root = parse(svg_of([8, 12, 784]))
    labels = [t.text for t in find(root, "text") if t.get("class") == "label"]
    assert labels == ["Input Layer ∈ ℝ⁸", "Hidden Layer ∈ ℝ¹²", "Output Layer ∈ ℝ⁷⁸⁴"]
    for i in range(3):  # each caption lives in its layer's group
        assert len(find(layer_group(root, i), "text")) == 1


def test_custom_labels_are_escaped_and_labels_can_be_off() -> None:
    svg = svg_of([{"size": 2, "label": "x <in> & \"R\""}, 3])
    assert "x &lt;in&gt; &amp;" in svg
    root = parse(svg)
    assert next(t.text for t in find(root, "text")) == 'x <in> & "R"'
    assert find(parse(svg_of([2, 3], labels=False)), "text") == []


def test_per_layer_fill_and_stroke() -> None:
    root = parse(svg_of([2, {"size": 3, "fill": "#cfe8ff", "stroke": "red"}, 2]))
    assert {c.get("fill") for c in find(layer_group(root, 1), "circle")} == {"#cfe8ff"}
    assert {c.get("stroke") for c in find(layer_group(root, 1), "circle")} == {"#ff0000"}
    assert {c.get("fill") for c in find(layer_group(root, 0), "circle")} == {"#ffffff"}


def test_big_layers_are_elided_with_true_size_in_label() -> None:
    root = parse(svg_of([784, 512, 256, 10]))
    counts = [len(find(layer_group(root, i), "circle")) for i in range(4)]
    assert counts == [15, 14, 13, 10]  # columns of 16, 15 and 14 slots (one is the ellipsis), and 10
    assert edge_count(root) == 15 * 14 + 14 * 13 + 13 * 10
    dots = [p for p in find(root, "path") if p.get("class") == "ellipsis"]
    assert len(dots) == 3 and all(p.get("d").count("M") == 3 for p in dots)
    labels = [t.text for t in find(root, "text")]
    assert "Input Layer ∈ ℝ⁷⁸⁴" in labels
    _, _, w, h = viewbox(root)
    assert w < 800 and h < 800  # fits on a page


def column_extent(root: object, index: int) -> float:
    """The drawn height of a layer's column: its nodes and its ellipsis, top to bottom."""
    group = layer_group(root, index)  # type: ignore[arg-type]
    ys = [float(c.get("cy")) + s * float(c.get("r")) for c in find(group, "circle") for s in (-1, 1)]
    return max(ys) - min(ys)


def caption_sizes(root: object) -> list[str]:
    return [t.text or "" for t in find(root, "text") if t.get("class") == "label"]  # type: ignore[arg-type]


@pytest.mark.parametrize("widths", [[784, 128, 32, 128, 784], [784, 300, 100, 10], [784, 512, 256, 10]])
def test_column_heights_order_as_the_true_widths(widths: list[int]) -> None:
    """The issue's examples: the autoencoder's bottleneck and the classifier's taper show (on the
    old fixed elision every column wider than 16 was the same 15 slots)."""
    root = parse(svg_of(widths))
    heights = [column_extent(root, i) for i in range(len(widths))]
    for (wa, ha), (wb, hb) in itertools.combinations(zip(widths, heights), 2):
        assert (wa > wb) == (ha > hb) and (wa == wb) == (math.isclose(ha, hb)), (widths, heights)
    assert [c.split("ℝ")[1] for c in caption_sizes(root)] == [
        str(w).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")) for w in widths]
    for i, w in enumerate(widths):  # elided exactly when fewer nodes are drawn than the width
        drawn = len(find(layer_group(root, i), "circle"))
        ellipsis = [p for p in find(layer_group(root, i), "path") if p.get("class") == "ellipsis"]
        assert bool(ellipsis) == (drawn < w) and drawn <= min(w, 16)


SWEEP = [*range(1, 41), 50, 64, 100, 120, 128, 200, 256, 300, 500, 512, 784, 1000, 1024, 2048, 4096,
         10_000, 60_000, 10**6, 10**9]


@pytest.mark.parametrize("max_nodes", [16, 8, 5, 30])
def test_elision_is_monotone_over_every_pair_of_a_sweep(max_nodes: int) -> None:
    """Any two widths drawn in one figure: the wider one is strictly taller (until max_nodes
    stops it), equal widths are equal; a layer of at most max_nodes keeps all its nodes when no
    wider layer needs the room; an elided column hides at least one node behind its ellipsis."""
    cap = max(max_nodes, 3)
    for a, b in itertools.combinations(SWEEP, 2):  # a < b
        heights = column_slots([a, b, a], max_nodes)
        assert heights[a] < heights[b] <= max(cap, b if b <= max_nodes else 0), (a, b, heights)
        for size, (before, after) in zip((a, b), drawn_nodes([a, b], max_nodes)):
            shown = before + after
            if after:  # elided: nodes on both sides, at least one behind the ellipsis
                assert before >= after >= 1 and shown < size and shown + 1 == heights[size]
            else:
                assert shown == size == heights[size]
        if b <= max_nodes:
            assert heights == {a: a, b: b}
    sweep = column_slots(SWEEP, max_nodes)  # more distinct widths than heights: never inverted
    assert all(sweep[a] <= sweep[b] for a, b in itertools.pairwise(SWEEP))
    assert max(sweep.values()) == cap


@settings(max_examples=300, deadline=None)
@given(sizes=st.lists(st.integers(1, 10**6) | st.integers(1, 40), min_size=1, max_size=12),
       max_nodes=st.integers(0, 40))
def test_elision_keeps_the_order_of_widths_in_any_figure(sizes: list[int], max_nodes: int) -> None:
    heights = column_slots(sizes, max_nodes)
    widths = sorted(heights)
    cap = max(max_nodes, 3)
    assert all(heights[a] <= heights[b] for a, b in itertools.pairwise(widths))
    if len(widths) <= cap - 2:  # room for one height per distinct width: strictly taller
        assert all(heights[a] < heights[b] for a, b in itertools.pairwise(widths))
    if max_nodes == 0 or widths[-1] <= max_nodes:
        assert all(heights[w] == w for w in widths)
    for size, (before, after) in zip(sizes, drawn_nodes(sizes, max_nodes)):
        if after:  # elided: never over the limit, 2 nodes at least, 1 or more hidden
            assert heights[size] <= cap and before >= after >= 1 and before + after < size
        else:
            assert before == size


def test_elision_keeps_small_layers_and_spreads_wide_ones() -> None:
    assert column_slots([16, 12, 10, 1], 16) == {16: 16, 12: 12, 10: 10, 1: 1}  # NN-SVG's default
    assert column_slots([784, 10], 16)[10] == 10  # 10 stays 10 beside 784
    mnist = column_slots([784, 512, 256, 10], 16)
    assert len(set(mnist.values())) == 4 and mnist[784] == 16  # log-ish: 784, 512, 256 all differ
    auto = column_slots([784, 128, 32, 128, 784], 16)
    assert auto[784] - auto[32] >= 5  # the bottleneck is a third shorter, not a slot
    assert column_slots([784, 16, 10], 16) == {784: 16, 16: 15, 10: 10}  # 16 gives up nodes for 784
    assert column_slots([5, 1000], 0) == {5: 5, 1000: 1000}  # 0 draws every node
    for max_nodes in range(1, 30):  # never taller than max_nodes (3 at the least: 2 nodes and ⋮)
        ((before, after),) = drawn_nodes([1000], max_nodes)
        assert before + after + 1 <= max(max_nodes, 3) and before >= after >= 1


def test_max_nodes_zero_draws_every_node() -> None:
    root = parse(svg_of([40, 30], max_nodes=0))
    assert len(circles(root)) == 70 and edge_count(root) == 1200
    assert not [p for p in find(root, "path") if p.get("class") == "ellipsis"]


def test_edge_limit_is_refused_up_front() -> None:
    with pytest.raises(nnsvg.SpecError, match="more than max_edges"):
        nnsvg.fcnn([10**6, 10**6], max_nodes=0).scene  # noqa: B018


def test_weight_styles_are_bucketed_and_seeded() -> None:
    root = parse(svg_of([30, 30, 30], max_nodes=0, edge_color="weight", edge_width="weight"))
    paths = [p for g in find(root, "g") if g.get("class") == "edges" for p in g.iter(NS + "path")]
    assert edge_count(root) == 1800
    assert len(paths) <= 2 * (2 * WEIGHT_LEVELS + 1)
    colours = {p.get("stroke") for p in paths}
    assert "#0000ff" in colours and "#ff0000" in colours  # both ends of the ramp occur
    widths = sorted(float(p.get("stroke-width") or 0) for p in paths)
    assert widths[-1] == pytest.approx(2.0)  # max_width at |w| = 1
    assert svg_of([5, 5], edge_color="weight", seed=1) != svg_of([5, 5], edge_color="weight", seed=2)
    assert svg_of([5, 5], edge_color="weight", seed=1) == svg_of([5, 5], edge_color="weight", seed=1)


def test_weight_opacity() -> None:
    root = parse(svg_of([10, 10], edge_opacity="weight"))
    opacities = [float(p.get("opacity", 1)) for p in find(root, "path") if (p.get("id") or "").startswith("edges")]
    assert len(opacities) > 3 and min(opacities) < 0.2 and max(opacities) == pytest.approx(1.0)
    assert {p.get("stroke") for p in find(root, "path") if (p.get("id") or "").startswith("edges")} == {"#505050"}


@pytest.mark.parametrize("style", ["empty", "solid"])
@pytest.mark.parametrize("bezier", [False, True])
def test_arrowheads_touch_target_outline(style: str, bezier: bool) -> None:
    root = parse(svg_of([2, 3], arrowheads=style, bezier=bezier))
    heads = [g for g in find(root, "g") if g.get("class") == "arrowheads"]
    assert len(heads) == 1
    data = "".join(p.get("d") for p in heads[0].iter(NS + "path"))
    assert data.count("M") == 6 == edge_count(root)
    assert data.count("Z") == (6 if style == "solid" else 0)
    # every tip lies on the outline of a target node (radius 10 + half the 1 px stroke)
    targets = [(float(c.get("cx")), float(c.get("cy"))) for c in find(layer_group(root, 1), "circle")]
    for piece in data.split("M")[1:]:
        values = numbers(piece)
        tip = (values[2], values[3])
        assert min(math.dist(tip, t) for t in targets) == pytest.approx(10.5, abs=0.02)


def test_bezier_edges_are_cubic_with_midway_controls() -> None:
    root = parse(svg_of([1, 1], bezier=True))
    d = next(p for p in find(root, "path") if p.get("id") == "edges-0-1").get("d")
    assert d.count("C") == 1
    x0, y0, c1x, c1y, c2x, c2y, x1, y1 = numbers(d)
    assert c1x == c2x == (x0 + x1) / 2 and c1y == y0 and c2y == y1


def test_viewbox_is_tight_around_everything_drawn() -> None:
    for options in ({}, {"bias": True, "arrowheads": "solid"}, {"direction": "up"}, {"labels": False}):
        diagram = nnsvg.fcnn([3, 5, 2], **options)
        scene = diagram.scene
        drawn = scene.bbox()
        page = scene.page()
        margin = diagram.theme.margin
        assert page.contains(drawn.grow(margin))
        assert page.width - drawn.width < 2 * margin + 2 and page.height - drawn.height < 2 * margin + 2
        x, y, w, h = viewbox(parse(diagram.svg()))
        assert (x, y, w, h) == (page.x0, page.y0, page.width, page.height)
        for prim in scene.walk():
            assert page.contains(prim.bbox())


def test_labels_never_overlap_even_when_layers_are_close() -> None:
    for direction in ("right", "up"):
        diagram = nnsvg.fcnn([8, 12, 8, 4, 6], layer_spacing=10, direction=direction)
        texts = [p for p in diagram.scene.walk() if isinstance(p, Text) and p.cls == "label"]
        assert len(texts) == 5
        boxes: list[BBox] = [t.box for t in texts]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not a.overlaps(b), (a, b)
        page = diagram.scene.page()
        assert all(page.contains(b) for b in boxes)


def test_width_and_height_carry_units() -> None:
    root = parse(svg_of([2, 3]))
    _x, _y, w, h = viewbox(root)
    assert root.get("width") == f"{w:g}px" and root.get("height") == f"{h:g}px"
    assert w == int(w) and h == int(h)


def test_deterministic_svg() -> None:
    options = {"bias": True, "arrowheads": "solid", "bezier": True, "edge_color": "weight",
               "edge_width": "weight", "seed": 3}
    assert svg_of([4, 6, 6, 2], **options) == svg_of([4, 6, 6, 2], **options)


def test_svg_is_valid_for_svgwrite_validator() -> None:
    diagram = nnsvg.fcnn([3, 4, 2], bias=True, arrowheads="empty", edge_color="weight")
    assert svg_backend.to_svg(diagram.scene, debug=True) == diagram.svg()


def test_background_none_has_no_background_rect() -> None:
    root = parse(nnsvg.fcnn([2, 2], set={"background": "none"}).svg())
    assert not [r for r in find(root, "rect") if r.get("class") == "background"]
    root = parse(nnsvg.fcnn([2, 2]).svg())
    assert [r.get("fill") for r in find(root, "rect") if r.get("class") == "background"] == ["#ffffff"]


@pytest.mark.parametrize("theme", ["nnsvg", "paper", "dark", "colorblind"])
def test_every_theme_renders(theme: str) -> None:
    diagram = nnsvg.fcnn([3, 4, 2], theme=theme, bias=True, edge_color="weight")
    root = parse(diagram.svg())
    assert len(circles(root)) == 11
    assert {c.get("stroke") for c in circles(root)} == {diagram.theme.node.stroke}


# --- size budget --------------------------------------------------------------------------

BUDGET = (PAGE_BLOCK[0] / PAGE_SHRINK, PAGE_BLOCK[1] / PAGE_SHRINK)

REAL_NETWORKS = [  # MLPs from papers and tutorials, at the default options
    [784, 512, 256, 10], [784, 300, 100, 10], [784, 128, 32, 128, 784], [784, 1000, 500, 250, 30],
    [784, 2500, 2000, 1500, 1000, 500, 10], [16, 12, 10, 1], [4, 10, 3], [3072, 1024, 512, 10],
    [8, 12, 8], [2, 3, 1], [784, 800, 800, 10]]


@pytest.mark.parametrize("layers", REAL_NETWORKS)
@pytest.mark.parametrize("direction", ["right", "up"])
def test_real_networks_stay_page_sized_without_a_note(layers: list[int], direction: str) -> None:
    diagram = nnsvg.fcnn(layers, direction=direction, bias=True)
    page = diagram.scene.page()
    along, across = (page.height, page.width) if direction == "up" else (page.width, page.height)
    assert along <= (BUDGET[1] if direction == "up" else BUDGET[0])
    assert across <= (BUDGET[0] if direction == "up" else BUDGET[1])
    assert diagram.notes == []


SuggestCase = tuple[list[int], dict[str, object], str]


@pytest.mark.parametrize("case", [
    ([784, 512, 10], {"max_nodes": 2000}, "--max-nodes"),
    ([784, 512, 10], {"max_nodes": 0, "bias": True}, "--max-nodes"),
    ([784, 100, 10], {"max_nodes": 200, "direction": "up"}, "--max-nodes"),
    ([8, 8, 8], {"layer_spacing": 2000}, "--layer-spacing"),
    ([8, 8, 8], {"layer_spacing": 2000, "node_gap": 400}, "--layer-spacing"),
    ([8, 30, 8], {"node_gap": 300}, "--node-gap"),
    ([8, 8], {"node_diameter": 1000}, "--node-diameter"),
])
def test_a_huge_figure_gets_a_note_naming_the_option_that_shrinks_it(case: SuggestCase) -> None:
    layers, options, option = case
    diagram = nnsvg.fcnn(layers, **options)
    page = diagram.scene.page()
    assert page.width > BUDGET[0] or page.height > BUDGET[1]
    (note,) = diagram.notes
    fixes = dict(re.findall(r"(--[a-z-]+) (\d+)", note.split(";")[1]))
    assert option in fixes
    assert f"{page.width:,.0f} × {page.height:,.0f} px" in note
    # the suggested values do fit it: no note, inside the budget
    fixed = nnsvg.fcnn(layers, **{**options, **{k[2:].replace("-", "_"): int(v) for k, v in fixes.items()}})
    page = fixed.scene.page()
    assert page.width <= BUDGET[0] and page.height <= BUDGET[1] and fixed.notes == []


def test_size_note_is_printed_on_stderr(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    code, _, err = cli("fcnn", "784", "128", "10", "--max-nodes", "2000", "-o", tmp_path / "big.svg")
    assert code == 0 and (tmp_path / "big.svg").exists()
    assert re.fullmatch(r"note: the figure is [\d,]+ × [\d,]+ px, too big for a page at its text size "
                        r"\(at most 1,248 × 1,728 px\); --max-nodes \d+ would fit it\n", err), err


# --- figure quality -----------------------------------------------------------------------

FCNN_GALLERY = sorted((Path(__file__).parent.parent / "gallery" / "specs").glob("fcnn-*.yaml"))
QUALITY_CASES: list[tuple[str, list[int], dict[str, object]]] = [
    *((name, tokens, options) for name, _, tokens, options in corpus.FCNN),
    ("autoencoder-bias-up", [784, 128, 32, 128, 784], {"bias": True, "direction": "up", "theme": "paper"}),
    ("mlp-activations-bias", [784, 300, 100, 10], {"activations": ["relu", "relu", "softmax"],
                                                   "formulas": True, "bias": True}),
    ("mlp-activation-names", [784, 300, 100, 10], {"activations": ["relu", "relu", "softmax"],
                                                   "activation_style": "name"}),
    ("784-16-10-bias", [784, 16, 10], {"bias": True}),
    ("weights-bias", [3, 4, 2], {"show_weights": True, "bias": True, "layer_spacing": 220}),
]


@pytest.mark.parametrize("case", QUALITY_CASES, ids=[c[0] for c in QUALITY_CASES])
def test_real_networks_pass_the_quality_check(case: tuple[str, list[int], dict[str, object]]) -> None:
    """No text on a foreign shape (a '+1' sits on its bias unit, a weight on its plate), no text
    on text, nothing clipped, tiny or dominant."""
    _, tokens, options = case
    assert [str(p) for p in quality.check(nnsvg.fcnn(tokens, **options).scene)] == []


@pytest.mark.parametrize("path", FCNN_GALLERY, ids=[p.stem for p in FCNN_GALLERY])
def test_fcnn_gallery_passes_the_quality_check(path: Path) -> None:
    assert [str(p) for p in quality.check(nnsvg.load(str(path)).scene)] == []


def test_bias_label_and_weight_labels_name_their_host() -> None:
    scene = nnsvg.fcnn([3, 4, 2], show_weights=True, bias=True).scene
    texts = [p for p in scene.walk() if isinstance(p, Text)]
    ones = [t for t in texts if t.cls == "bias"]
    weights = [t for t in texts if t.cls == "weight"]
    assert len(ones) == 2 and all(isinstance(t.host, Circle) and t.host.cls == "bias" for t in ones)
    assert all(t.host.bbox().contains(t.box) for t in ones)  # type: ignore[union-attr]
    assert weights and all(isinstance(t.host, Rect) and t.host.cls == "weight-bg" for t in weights)
    assert all(t.host.bbox().contains(t.box) for t in weights)  # type: ignore[union-attr]


# --- text inside nodes at a printed size (issue 25) ---------------------------------------------

def _printed_pt(diagram: nnsvg.Diagram, text: Text) -> float:
    return text.size * diagram.scene.unit_scale() * 0.75


@pytest.mark.parametrize(("layers", "width", "diameter"), [
    ([2, 2, 1], "3.5in", 20.0), ([2, 2, 1], "229.5pt", 20.0), ([2, 2, 1], "page", 20.0),
    ([3, 4, 2], "3.5in", 40.0), ([3, 4, 2], "2in", 60.0), ([8, 12, 8], "3.5in", 20.0)])
def test_a_bias_plus_one_prints_as_large_as_the_captions_or_is_left_out(
        layers: list[int], width: str, diameter: float) -> None:
    diagram = nnsvg.draw("fcnn", layers, bias=True, width=width, node_diameter=diameter)
    texts = [p for p in diagram.scene.walk() if isinstance(p, Text)]
    marks = [t for t in texts if t.text == "+1"]
    captions = [t for t in texts if t.cls == "label"]
    assert captions
    if marks:
        assert len(marks) == len(layers) - 1
        assert min(_printed_pt(diagram, t) for t in marks) >= min(_printed_pt(diagram, t) for t in captions) - 1e-6
        assert not any("without their +1" in note for note in diagram.notes)
    else:
        assert sum("without their +1" in note for note in diagram.notes) == 1
    assert len([c for c in diagram.scene.walk() if isinstance(c, Circle) and c.cls == "bias"]) == len(layers) - 1


def test_big_nodes_keep_their_plus_one_at_a_printed_size() -> None:
    diagram = nnsvg.draw("fcnn", [3, 4, 2], bias=True, width="3.5in", node_diameter=60)
    assert len([p for p in diagram.scene.walk() if isinstance(p, Text) and p.text == "+1"]) == 2


def test_bias_label_off_draws_plain_bias_units_without_a_note() -> None:
    for sized in ({}, {"width": "3.5in"}):
        diagram = nnsvg.draw("fcnn", [2, 2, 1], bias=True, bias_label=False, **sized)
        assert not [p for p in diagram.scene.walk() if isinstance(p, Text) and p.text == "+1"]
        assert not any("+1" in note for note in diagram.notes)


def test_without_a_printed_size_the_plus_one_is_as_before() -> None:
    diagram = nnsvg.draw("fcnn", [2, 2, 1], bias=True)
    marks = [p for p in diagram.scene.walk() if isinstance(p, Text) and p.text == "+1"]
    assert [m.size for m in marks] == [9.0, 9.0]


@pytest.mark.parametrize("width", ["3.5in", "229.5pt", "2in"])
@pytest.mark.parametrize(("layers", "options"), [
    ([3, 4, 2], {"show_weights": True, "bias": True, "layer_spacing": 220}),
    ([4, 10, 3], {"activations": ["relu", "softmax"]}),
    ([4, 6, 6, 2], {"activations": ["relu", "relu", "softmax"], "activation_style": "name", "bias": True}),
    ([4, 6, 6, 2], {"activations": ["relu", "relu", "softmax"], "formulas": True, "bias": True})])
def test_every_text_of_a_printed_fcnn_prints_at_the_captions_size(layers: list[int], options: dict[str, object],
                                                                 width: str) -> None:
    diagram = nnsvg.draw("fcnn", layers, width=width, **options)
    texts = [p for p in diagram.scene.walk() if isinstance(p, Text)]
    caption = max(_printed_pt(diagram, t) for t in texts if t.cls == "label")
    assert caption >= 7.0
    assert all(_printed_pt(diagram, t) >= caption - 1e-6 for t in texts), \
        sorted({(t.cls, round(_printed_pt(diagram, t), 2)) for t in texts})


def test_activation_glyphs_in_small_printed_nodes_become_names() -> None:
    small = nnsvg.draw("fcnn", [4, 10, 3], activations=["relu", "softmax"], width="3.5in")
    assert sorted(t.text for t in small.scene.walk() if isinstance(t, Text) and t.cls == "activation") == \
        ["relu", "softmax"]
    assert not [p for p in small.scene.walk() if isinstance(p, ScenePath) and p.cls == "activation"]
    big = nnsvg.draw("fcnn", [4, 10, 3], activations=["relu", "softmax"], width="3.5in", node_diameter=40,
                     set={"text.size": 10})
    assert len([p for p in big.scene.walk() if isinstance(p, ScenePath) and p.cls == "activation"]) == 2
    mine = nnsvg.draw("fcnn", [4, 10, 3], activations=["relu", "softmax"])
    assert len([p for p in mine.scene.walk() if isinstance(p, ScenePath) and p.cls == "activation"]) == 2


def test_fcnn_compact_forms() -> None:
    spec = nnsvg.draw("fcnn", [4, 6, 2], formulas=True, activations=["relu", "softmax"]).spec
    assert [dict(f.changes) for f in spec.compact_forms()] == [{"labels": False}, {"activation_style": "name"}]
    assert nnsvg.draw("fcnn", [4, 6, 2]).spec.compact_forms() == ()
    plain = nnsvg.draw("fcnn", [4, 6, 2], formulas=True, labels=False)
    assert plain.spec.compact_forms() == ()
    assert [t.cls for t in plain.scene.walk() if isinstance(t, Text)] == ["formula", "formula"]


def test_a_printed_legend_names_the_bias_unit_without_a_tiny_plus_one() -> None:
    diagram = nnsvg.draw("fcnn", [3, 4, 2], bias=True, node_diameter=60, width="3.5in", legend="below")
    assert [e.swatch.mark for e in diagram.scene.legend if e.key == "bias"] == [None]
    assert [e.swatch.mark for e in nnsvg.draw("fcnn", [3, 4, 2], bias=True, legend="below").scene.legend
            if e.key == "bias"] == ["+1"]
