"""Recurrent networks (folded and unrolled) and the anatomy options of the FCNN style."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from pathlib import Path

import pytest

import nnsvg
from nnsvg import quality
from nnsvg.geometry import BBox
from nnsvg.renderers.anatomy import sub
from nnsvg.scene import Circle, Close, CubicTo, Fan, Image, LineTo, MoveTo, Polygon, Primitive, Rect, Scene, Text
from nnsvg.scene import Path as Path_

from .conftest import NS, assert_clear, edge_count, find, layer_group, parse
from .corpus import CORPUS
from .segments import crosses

Cli = Callable[..., tuple[int, str, str]]


def of_class(root: object, tag: str, cls: str) -> list[object]:
    return [e for e in find(root, tag) if cls in (e.get("class") or "").split()]  # type: ignore[arg-type, union-attr]


def test_folded_rnn_has_a_loop_on_the_hidden_layer() -> None:
    diagram = nnsvg.rnn([3, 5, 2])
    root = parse(diagram.svg())
    assert [len(find(layer_group(root, i), "circle")) for i in range(3)] == [3, 5, 2]
    loops = [p for p in of_class(root, "path", "recurrent") if "arrowhead" not in p.get("class")]
    assert len(loops) == 1 and "C" in loops[0].get("d")
    assert loops[0].get("stroke") == diagram.theme.edge.recurrent and loops[0].get("stroke-dasharray")
    assert [t.text for t in of_class(root, "text", "delay")] == ["z⁻¹"]
    assert edge_count(root) == 3 * 5 + 5 * 2
    assert_clear(diagram)


def test_unrolled_rnn_has_columns_and_recurrent_edges() -> None:
    diagram = nnsvg.rnn([3, 5, 2], unroll=4)
    root = parse(diagram.svg())
    assert len(find(layer_group(root, 1), "circle")) == 4 * 5
    arrows = [p for p in of_class(root, "path", "recurrent") if "arrowhead" not in p.get("class")]
    assert len(arrows) == 3 + 1  # h1→h2, h2→h3, h3→h4, and h₀ into the first step
    assert len([p for p in arrows if "initial" in p.get("class")]) == 1
    names = {t.text for t in of_class(root, "text", "state")}
    assert {"x₁", "x₄", "h₁", "h₄", "y₁", "y₄"} <= names  # subscripts as real text
    assert of_class(root, "text", "delay") == []
    assert_clear(diagram)


def test_many_to_one_draws_only_the_last_output() -> None:
    root = parse(nnsvg.rnn([3, 5, 2], unroll=4, outputs="last").svg())
    assert len(find(layer_group(root, 2), "circle")) == 2
    assert {t.text for t in of_class(root, "text", "state")} >= {"y₄"}
    assert "y₁" not in {t.text for t in of_class(root, "text", "state")}


def test_lstm_stack_is_drawn_as_named_blocks() -> None:
    diagram = nnsvg.rnn([3, 5, 5, 2], cell="lstm", unroll=3)
    root = parse(diagram.svg())
    assert len(of_class(root, "rect", "cell")) == 2 * 3
    assert len(of_class(root, "rect", "block")) == 2 * 3  # x and y blocks
    assert [t.text for t in of_class(root, "text", "cell-type")] == ["LSTM"] * 6
    assert {"h₁⁽¹⁾", "h₃⁽²⁾"} <= {t.text for t in of_class(root, "text", "state")}
    arrows = [p for p in of_class(root, "path", "recurrent") if "arrowhead" not in p.get("class")]
    assert len(arrows) == 2 * 2 + 2  # h between the steps in each layer, and each layer's h₀
    states = [p for p in of_class(root, "path", "cell-state") if "arrowhead" not in p.get("class")]
    assert len(states) == 2 * 2 + 2  # and the cell state c alike
    assert find(root, "circle") == []
    assert_clear(diagram)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_cells_and_forms(cell: str) -> None:
    blocks = parse(nnsvg.rnn([3, 64, 10], cell=cell).svg())  # big layer: blocks
    assert len(of_class(blocks, "rect", "cell")) == 1
    assert [t.text for t in of_class(blocks, "text", "cell-type")] == [cell.upper()]
    nodes = parse(nnsvg.rnn([2, 3, 2], form="nodes", cell=cell).svg())
    assert len(find(nodes, "circle")) == 7


@pytest.mark.parametrize("theme", ["nnsvg", "paper", "dark", "colorblind"])
def test_every_theme(theme: str) -> None:
    diagram = nnsvg.rnn([3, 5, 2], unroll=3, cell="gru", theme=theme)
    root = parse(diagram.svg())
    assert {r.get("fill") for r in of_class(root, "rect", "cell")} == {diagram.theme.block.cell_fill}


def test_rnn_errors() -> None:
    with pytest.raises(nnsvg.SpecError, match="needs an input, at least one recurrent layer and an output"):
        nnsvg.rnn([3, 2])
    with pytest.raises(nnsvg.SpecError, match="unroll: expected a value from 0 to 64"):
        nnsvg.rnn([3, 5, 2], unroll=100)
    with pytest.raises(nnsvg.SpecError, match="cell: expected one of rnn, lstm, gru, got 'transformer'"):
        nnsvg.rnn([3, 5, 2], cell="transformer")


def test_rnn_cli_and_round_trip(cli: Cli, tmp_path: Path) -> None:
    assert cli("rnn", "3", "5", "2", "-o", tmp_path / "rnn.svg")[0] == 0
    assert cli("rnn", "3", "5", "2", "--unroll", "4", "-o", tmp_path / "unrolled.pdf")[0] == 0
    spec_file = tmp_path / "lstm.yaml"
    assert cli("rnn", "3", "5", "5", "2", "--cell", "lstm", "--unroll", "3", "--save-spec", spec_file,
               "-o", tmp_path / "a.svg")[0] == 0
    assert cli("render", spec_file, "-o", tmp_path / "b.svg")[0] == 0
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    code, _, err = cli("rnn", "3", "5", "2", "--cell", "transformer", "-o", tmp_path / "c.svg")
    assert code == 2 and err.startswith("error: ") and not (tmp_path / "c.svg").exists()


# --- anatomy of FCNN layers -----------------------------------------------------------------

def test_activation_glyphs_in_every_node() -> None:
    root = parse(nnsvg.fcnn([4, 6, 6, 2], activations="relu,relu,softmax").svg())
    glyphs = of_class(root, "path", "activation")
    assert len(glyphs) == 3  # one path per layer with an activation
    assert [g.get("d").count("M") for g in glyphs] == [6, 6, 2 * 3]  # softmax: three bars per node
    assert of_class(layer_group(root, 0), "path", "activation") == []


@pytest.mark.parametrize("style", ["beside", "name"])
def test_activation_beside_or_named(style: str) -> None:
    root = parse(nnsvg.fcnn([3, 4, 2], activations=["tanh", "sigmoid"], activation_style=style).svg())
    if style == "name":
        assert [t.text for t in of_class(root, "text", "activation")] == ["tanh", "sigmoid"]
    else:
        assert [p.get("d").count("M") for p in of_class(root, "path", "activation")] == [1, 1]


def test_every_activation_has_a_glyph() -> None:
    from nnsvg.spec.choices import ACTIVATIONS

    diagram = nnsvg.fcnn([2] * (len(ACTIVATIONS) + 1), activations=list(ACTIVATIONS))
    assert len(of_class(parse(diagram.svg()), "path", "activation")) == len(ACTIVATIONS)
    with pytest.raises(nnsvg.SpecError, match="unknown activation 'softplus'; known: identity, relu"):
        nnsvg.fcnn([2, 2], activations=["softplus"])
    with pytest.raises(nnsvg.SpecError, match="activations: expected 2"):
        nnsvg.fcnn([2, 2, 2], activations=["relu", "relu", "relu", "relu"])


def test_weights_and_biases_are_labelled_without_collisions() -> None:
    diagram = nnsvg.fcnn([3, 4, 2], show_weights=True, bias=True)
    root = parse(diagram.svg())
    labels = [t.text for t in of_class(root, "text", "weight")]
    assert len(labels) == (3 + 1) * 4 + (4 + 1) * 2
    assert {"w₁₁", "w₄₃", "b₁", "b₄", "w₂₄"} <= set(labels)
    assert [t.text for t in of_class(root, "text", "bias")] == ["+1", "+1"]
    assert diagram.notes == []
    assert_clear(diagram)


def test_too_many_weights_are_left_out_with_a_note(cli: Cli, tmp_path: Path) -> None:
    diagram = nnsvg.fcnn([10, 10], show_weights=True)
    assert of_class(parse(diagram.svg()), "text", "weight") == []
    assert diagram.notes and "too many to label" in diagram.notes[0]
    code, _, err = cli("fcnn", "10", "10", "--show-weights", "-o", tmp_path / "w.svg")
    assert code == 0 and err.startswith("note: show_weights: 100 edges")


def test_formula_captions() -> None:
    diagram = nnsvg.fcnn([4, 6, 6, 2], formulas=True, bias=True, activations="relu,relu,softmax")
    root = parse(diagram.svg())
    assert [t.text for t in of_class(root, "text", "formula")] == [
        "h₁ = relu(W₁x + b₁)", "h₂ = relu(W₂h₁ + b₂)", "ŷ = softmax(W₃h₂ + b₃)"]
    assert_clear(diagram)
    up = nnsvg.fcnn([3, 4, 2], formulas=True, direction="up")
    assert_clear(up)


def test_dropout_crosses_nodes_and_hides_their_edges() -> None:
    diagram = nnsvg.fcnn([4, 6, 6, 2], dropout=[0, 0.5, 0.5, 0], seed=2)
    root = parse(diagram.svg())
    assert [len(of_class(layer_group(root, i), "circle", "dropped")) for i in range(4)] == [0, 3, 3, 0]
    assert len(of_class(root, "path", "dropout")) == 6
    assert edge_count(root) == 4 * 3 + 3 * 3 + 3 * 2
    again = nnsvg.fcnn([4, 6, 6, 2], dropout=[0, 0.5, 0.5, 0], seed=2).svg()
    other = nnsvg.fcnn([4, 6, 6, 2], dropout=[0, 0.5, 0.5, 0], seed=3).svg()
    assert again == diagram.svg() and other != again
    with pytest.raises(nnsvg.SpecError, match=r"dropout\[1\]: expected a value from 0 to 0.9"):
        nnsvg.fcnn([4, 6], dropout=[0, 1.5])


def test_anatomy_from_the_cli(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("fcnn", "4", "6", "6", "2", "--activations", "relu,relu,softmax", "-o", tmp_path / "a.svg")
    assert code == 0, err
    code, _, err = cli("fcnn", "3", "4", "2", "--show-weights", "--bias", "-o", tmp_path / "w.svg")
    assert code == 0 and err == ""
    code, _, err = cli("fcnn", "4", "6", "2", "--activations", "relu,bogus", "-o", tmp_path / "b.svg")
    assert code == 2 and "unknown activation 'bogus'" in err and not (tmp_path / "b.svg").exists()
    code, _, err = cli("fcnn", "4", "6", "2", "--dropout", "0,0.5,0", "--formulas", "-o", tmp_path / "d.pdf")
    assert code == 0, err


@pytest.mark.parametrize("suffix", [".pdf", ".png", ".eps"])
def test_formats(tmp_path: Path, suffix: str) -> None:
    assert nnsvg.rnn([3, 5, 5, 2], cell="lstm", unroll=3).save(tmp_path / f"r{suffix}").stat().st_size > 500
    assert nnsvg.fcnn([3, 4, 2], show_weights=True, bias=True, activations="tanh,softmax",
                      dropout=0.25).save(tmp_path / f"f{suffix}").stat().st_size > 500


def test_paths_inside_recurrent_group_have_class() -> None:
    root = parse(nnsvg.rnn([3, 5, 2], unroll=2).svg())
    group = next(g for g in find(root, "g") if g.get("id") == "recurrent")
    assert all("recurrent" in (p.get("class") or "") for p in group.iter(NS + "path"))


# --- texts clear of shapes, cell state, h₀, spacing (RNN) -----------------------------------

Seg = tuple[tuple[float, float], tuple[float, float]]


def _thick_crosses(seg: Seg, half: float, box: BBox) -> bool:
    """Whether a stroke of half-width ``half`` along ``seg`` (butt ends) meets ``box``: the
    separating-axis test of the stroke's rectangle and the box."""
    (x0, y0), (x1, y1) = seg
    length = math.hypot(x1 - x0, y1 - y0)
    if half == 0 or length == 0:
        return crosses(box, *seg)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -uy * half, ux * half
    stroke = [(x0 + nx, y0 + ny), (x1 + nx, y1 + ny), (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)]
    corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
    for ax, ay in ((1.0, 0.0), (0.0, 1.0), (ux, uy), (-uy, ux)):
        a = [px * ax + py * ay for px, py in stroke]
        b = [px * ax + py * ay for px, py in corners]
        if max(a) <= min(b) or max(b) <= min(a):
            return False
    return True


def _outline(path: Path_) -> list[list[tuple[float, float]]]:
    """A path's polylines (curves sampled), one per subpath; a Fan's lines."""
    data = path.data
    if isinstance(data, Fan):
        return [[a, b] for a in data.starts for b in data.ends]
    lines: list[list[tuple[float, float]]] = []
    for seg in data:  # type: ignore[union-attr]
        if isinstance(seg, MoveTo):
            lines.append([(seg.x, seg.y)])
        elif isinstance(seg, LineTo):
            lines[-1].append((seg.x, seg.y))
        elif isinstance(seg, CubicTo):
            (ax, ay), c1, c2, e = lines[-1][-1], (seg.x1, seg.y1), (seg.x2, seg.y2), (seg.x, seg.y)
            for k in range(1, 33):
                t = k / 32
                u = 1 - t
                lines[-1].append((u ** 3 * ax + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t ** 3 * e[0],
                                  u ** 3 * ay + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t ** 3 * e[1]))
        elif isinstance(seg, Close):
            lines[-1].append(lines[-1][0])
        else:
            raise AssertionError(f"unexpected segment {seg}")
    return lines


def _inside(point: tuple[float, float], polygon: list[tuple[float, float]]) -> bool:
    x, y = point
    inside = False
    for (ax, ay), (bx, by) in zip(polygon, polygon[1:] + polygon[:1]):
        if (ay > y) != (by > y) and x < ax + (bx - ax) * (y - ay) / (by - ay):
            inside = not inside
    return inside


def on_shape(text: Text, shape: Primitive) -> bool:
    """Whether ``shape`` (its stroke included) meets the box of ``text``."""
    box = text.box
    if isinstance(shape, Circle):
        reach = shape.r + (shape.stroke_width / 2 if shape.stroke != "none" else 0.0)
        nx, ny = min(max(shape.cx, box.x0), box.x1), min(max(shape.cy, box.y0), box.y1)
        return (nx - shape.cx) ** 2 + (ny - shape.cy) ** 2 < reach ** 2
    if isinstance(shape, Rect | Polygon | Image):
        return box.overlaps(shape.bbox())
    if isinstance(shape, Path_):
        half = shape.stroke_width / 2 if shape.stroke != "none" else 0.0
        for line in _outline(shape):
            if any(_thick_crosses((a, b), half, box) for a, b in itertools.pairwise(line)):
                return True
            corner = (box.x0, box.y0)
            if shape.fill != "none" and len(line) > 2 and _inside(corner, line):
                return True
        return False
    return False


def texts_on_shapes(scene: Scene) -> list[str]:
    """Every (text, shape) pair where a text sits on a shape other than its host."""
    shapes = [p for p in scene.walk() if not isinstance(p, Text)]
    return [f"{t.text!r} ({t.cls}) on {s.cls}" for t in scene.walk() if isinstance(t, Text)
            for s in shapes if s is not t.host and on_shape(t, s)]


REAL = {  # real recurrent networks, as a paper would draw them
    "char-rnn folded": ([65, 128, 65], {}),
    "char-rnn unrolled": ([65, 128, 65], {"unroll": 4}),
    "2-layer lstm unrolled": ([32, 128, 128, 10], {"cell": "lstm", "unroll": 5}),
    "gru unrolled": ([16, 64, 16], {"cell": "gru", "unroll": 4}),
    "sequence classifier": ([300, 128, 2], {"cell": "lstm", "unroll": 6, "outputs": "last"}),
    "small rnn folded": ([3, 5, 2], {}),
    "small rnn unrolled": ([3, 5, 2], {"unroll": 4}),
    "stacked nodes unrolled": ([2, 4, 4, 3], {"unroll": 3}),
    "wide input below": ([6, 1, 6], {"unroll": 3}),
    "wide output above": ([1, 2, 6], {"unroll": 2, "layer_spacing": 10}),
    "folded wide output": ([1, 1, 6], {"layer_spacing": 0}),
    "tight nodes": ([1, 1, 1, 1], {"unroll": 2, "step_spacing": 0, "layer_spacing": 0, "node_diameter": 1}),
    "tight blocks": ([4, 64, 64, 4], {"cell": "lstm", "unroll": 2, "step_spacing": 0, "layer_spacing": 0}),
    "tight folded blocks": ([4, 64, 64, 4], {"cell": "gru", "layer_spacing": 0}),
    "big text": ([3, 5, 5, 2], {"cell": "lstm", "unroll": 3, "set": {"text.size": 24}}),
    "per-layer gap": ([3, {"size": 4, "gap": 40}, 2], {"unroll": 2}),
    "big strokes, blocks": ([3, 64, 64, 2], {"cell": "lstm", "unroll": 3, "set": {"edge.width": 19}}),
    "big strokes, folded nodes": ([1, 1, 1], {"layer_spacing": 0, "node_diameter": 1, "set": {"edge.width": 13}}),
}


@pytest.mark.parametrize("name", REAL)
def test_every_text_is_clear_of_every_foreign_shape(name: str) -> None:
    layers, options = REAL[name]
    diagram = nnsvg.rnn(layers, **options)
    assert texts_on_shapes(diagram.scene) == []  # line boxes, stricter than the quality check's ink
    assert [str(p) for p in quality.check(diagram.scene) if p.kind != "tiny"] == []  # tiny: node_diameter=1
    assert_clear(diagram)


@pytest.mark.parametrize("network", [n for n in CORPUS if n[1] == "rnn"], ids=lambda n: n[0])
def test_corpus_passes_the_quality_check(network: tuple[str, str, list[object], dict[str, object]]) -> None:
    _, _, layers, options = network
    diagram = nnsvg.rnn(layers, **options)  # type: ignore[arg-type]
    assert [str(p) for p in quality.check(diagram.scene)] == []
    assert texts_on_shapes(diagram.scene) == []
    assert diagram.notes == []


@pytest.mark.parametrize("name", [n for n in REAL if not n.startswith(("tight", "big"))])
def test_real_networks_stay_page_sized(name: str) -> None:
    layers, options = REAL[name]
    diagram = nnsvg.rnn(layers, **options)
    page = diagram.scene.page()
    assert page.width <= 1000 and page.height <= 800, (page.width, page.height)
    assert diagram.notes == []


def test_names_clear_of_recurrent_arrowheads() -> None:
    """The issue's case: "h₂" sat on the arrowhead of h₁ → h₂."""
    scene = nnsvg.rnn([3, 5, 2], unroll=4).scene
    heads = [p for p in scene.walk() if isinstance(p, Path_) and "arrowhead" in (p.cls or "")]
    names = [t for t in scene.walk() if isinstance(t, Text) and t.cls == "state"]
    assert len(heads) == 4 and {"h₁", "h₂", "h₃", "h₄"} <= {t.text for t in names}
    for name in names:
        for head in heads:
            assert not name.box.overlaps(head.bbox()), (name.text, name.box, head.bbox())
    for t in (2, 3, 4):  # each hᵗ sits above the arrow that comes into its row, left of the row
        name = next(n for n in names if n.text == f"h{sub(t)}")
        head = next(h for h in heads if h.bbox().x1 > name.box.x1 and h.bbox().x0 < name.box.x1 + 20)
        assert name.box.y1 < head.bbox().y0


def _arrows(scene: Scene, cls: str) -> list[Path_]:
    return [p for p in scene.walk() if isinstance(p, Path_) and cls in (p.cls or "").split()
            and "arrowhead" not in (p.cls or "")]


def _ends(path: Path_) -> tuple[tuple[float, float], tuple[float, float]]:
    line = _outline(path)[0]
    return line[0], line[-1]


def test_unrolled_lstm_carries_its_cell_state_along_the_top() -> None:
    scene = nnsvg.rnn([3, 5, 5, 2], cell="lstm", unroll=3).scene
    cells = sorted((p for p in scene.walk() if isinstance(p, Rect) and "cell" in (p.cls or "").split()),
                   key=lambda r: (r.y, r.x))
    states = [p for p in _arrows(scene, "cell-state") if "initial" not in (p.cls or "")]
    assert len(states) == 2 * 2  # c₁ → c₂ → c₃ in each of the two layers
    hidden = [p for p in _arrows(scene, "recurrent") if "initial" not in (p.cls or "")]
    assert len(hidden) == 2 * 2
    for path in states:  # from a cell's right edge to the next one's left, in the cells' upper half
        (x0, y0), (x1, y1) = _ends(path)
        assert y0 == y1
        left = next(c for c in cells if abs(c.x + c.width - x0) < 1e-6 and c.y < y0 < c.y + c.height)
        right = next(c for c in cells if c.y == left.y and c.x > left.x + 1)
        assert y0 < left.y + left.height / 2 - 5 and right.x - x1 < 8
    for path in hidden:  # h below it
        (_, y0), _ = _ends(path)
        cell = next(c for c in cells if c.y < y0 < c.y + c.height)
        assert y0 > cell.y + cell.height / 2 + 5
    starts = [t for t in scene.walk() if isinstance(t, Text) and "initial" in (t.cls or "")]
    assert {t.text for t in starts} == {"c₀⁽¹⁾", "c₀⁽²⁾", "h₀⁽¹⁾", "h₀⁽²⁾"} and len(starts) == 4
    legend = next(t for t in scene.walk() if isinstance(t, Text) and t.cls == "legend")
    assert "h⁽¹⁾, c⁽¹⁾ ∈ ℝ⁵" in legend.text


@pytest.mark.parametrize("options", [{"cell": "gru", "unroll": 3}, {"cell": "lstm"}, {"cell": "rnn", "unroll": 3},
                                     {"cell": "lstm", "unroll": 3, "form": "nodes"}])
def test_no_cell_state_without_an_unrolled_lstm_cell(options: dict[str, object]) -> None:
    diagram = nnsvg.rnn([3, 5, 2], **options)  # type: ignore[arg-type]
    assert _arrows(diagram.scene, "cell-state") == []
    assert not [g for g in find(parse(diagram.svg()), "g") if g.get("id") == "cell-state"]


@pytest.mark.parametrize("options", [{}, {"cell": "gru"}, {"form": "blocks"}])
def test_h0_enters_the_first_step(options: dict[str, object]) -> None:
    scene = nnsvg.rnn([3, 5, 2], unroll=3, **options).scene  # type: ignore[arg-type]
    starts = [t for t in scene.walk() if isinstance(t, Text) and "initial" in (t.cls or "")]
    assert [t.text for t in starts] == ["h₀"]
    arrows = [p for p in _arrows(scene, "recurrent") if "initial" in (p.cls or "")]
    assert len(arrows) == 1
    (x0, y0), (x1, y1) = _ends(arrows[0])
    first = next(p for p in scene.groups if p.id == "layer-1")
    left = min(p.bbox().x0 for p in first.walk() if not isinstance(p, Text))
    middle = next(p.bbox().center_y for p in first.walk() if not isinstance(p, Text))
    assert y0 == y1 == pytest.approx(middle)  # at the row's height,
    assert starts[0].box.x1 < x0 < x1 < left < x1 + 8  # from h₀ to the first step's h (its head ends there)
    assert starts[0].box.y0 < y0 < starts[0].box.y1


def test_h0_without_captions_is_an_unnamed_arrow() -> None:
    scene = nnsvg.rnn([3, 5, 2], unroll=3, labels=False).scene
    assert [t for t in scene.walk() if isinstance(t, Text)] == []
    assert len([p for p in _arrows(scene, "recurrent") if "initial" in (p.cls or "")]) == 1


def test_folded_has_no_h0() -> None:
    scene = nnsvg.rnn([3, 5, 2]).scene
    assert [t for t in scene.walk() if isinstance(t, Text) and "initial" in (t.cls or "")] == []


def test_per_layer_gap_spaces_that_row_of_nodes() -> None:
    root = parse(nnsvg.rnn([3, {"size": 4, "gap": 40}, 2], node_diameter=20).svg())
    xs = sorted(float(c.get("cx")) for c in find(layer_group(root, 1), "circle"))  # type: ignore[arg-type]
    assert [b - a for a, b in itertools.pairwise(xs)] == [60.0, 60.0, 60.0]
    xs = sorted(float(c.get("cx")) for c in find(layer_group(root, 0), "circle"))  # type: ignore[arg-type]
    assert [b - a for a, b in itertools.pairwise(xs)] == [34.0, 34.0]  # node_gap 14 elsewhere


def test_per_layer_gap_on_blocks_is_a_note(cli: Cli, tmp_path: Path) -> None:
    diagram = nnsvg.rnn([3, {"size": 64, "gap": 40}, 2])
    assert diagram.notes == ["layer 2: gap spaces a row of nodes; this figure draws blocks (form=nodes draws nodes)"]
    spec = tmp_path / "g.yaml"
    spec.write_text("style: rnn\nlayers: [3, {size: 64, gap: 40}, 2]\n", encoding="utf-8")
    code, _, err = cli("render", spec, "-o", tmp_path / "g.svg")
    assert code == 0 and err.startswith("note: layer 2: gap spaces a row of nodes")


def test_rows_closer_than_a_line_are_spread() -> None:
    scene = nnsvg.rnn([1, 1, 1, 1], layer_spacing=0, node_diameter=1).scene
    nodes = sorted((p for p in scene.walk() if isinstance(p, Circle)), key=lambda c: -c.cy)
    names = [t for t in scene.walk() if isinstance(t, Text) and t.cls == "state"]
    line = names[0].box.height
    assert all(a.cy - b.cy >= line for a, b in itertools.pairwise(nodes))
    assert texts_on_shapes(scene) == []


def test_steps_closer_than_a_name_are_spread() -> None:
    scene = nnsvg.rnn([1, 1, 1, 1], unroll=2, step_spacing=0).scene
    names = {t.text: t for t in scene.walk() if isinstance(t, Text) and t.cls == "state"}
    step1 = [c for c in scene.walk() if isinstance(c, Circle) and c.cx < names["x₂"].box.x0]
    assert len(step1) == 4  # step 1 lies wholly left of step 2's names
    assert max(c.cx + c.r for c in step1) < min(names[n].box.x0 for n in ("x₂", "h₂⁽¹⁾", "h₂⁽²⁾", "y₂"))


def test_arrows_keep_a_length_when_blocks_touch() -> None:
    scene = nnsvg.rnn([4, 64, 4], unroll=3, step_spacing=0, layer_spacing=0).scene
    theme = nnsvg.rnn([4, 64, 4]).theme
    for cls in ("recurrent", "feedforward"):
        for path in _arrows(scene, cls):
            (x0, y0), (x1, y1) = _ends(path)
            assert math.hypot(x1 - x0, y1 - y0) >= theme.arrow.length  # the head is not all of it


def test_block_texts_fit_their_block() -> None:
    for diagram in (nnsvg.rnn([3, {"size": 64, "label": "hidden state of the encoder"}, 2]),
                    nnsvg.rnn([3, 5, 5, 2], cell="lstm", unroll=3, set={"text.size": 30})):
        texts = [t for t in diagram.scene.walk() if isinstance(t, Text) and t.host is not None]
        assert texts
        for text in texts:
            assert text.host.bbox().contains(text.box), text.text  # type: ignore[union-attr]


def test_huge_figure_gets_a_note(cli: Cli, tmp_path: Path) -> None:
    diagram = nnsvg.rnn([3, 5, 2], unroll=40)
    assert len(diagram.notes) == 1 and "text prints at" in diagram.notes[0] and "fewer steps" in diagram.notes[0]
    code, _, err = cli("rnn", "3", "5", "2", "--unroll", "40", "-o", tmp_path / "big.svg")
    assert code == 0 and err.startswith("note: the figure is ") and (tmp_path / "big.svg").exists()
    assert nnsvg.rnn([3, 5, 2], unroll=6).notes == []
    tall = nnsvg.rnn([3, 64, 2], layer_spacing=3000).notes
    assert len(tall) == 1 and tall[0].endswith("pt; a smaller layer_spacing would keep it readable")


def test_names_clear_a_thick_node_outline() -> None:
    """A 13 px node stroke reaches 6.5 px beyond the node: the names beside the rows clear it
    (the hypothesis example of test_rnn_valid_input_renders_with_its_structure)."""
    for options in ({}, {"unroll": 2}, {"layer_spacing": 0, "node_diameter": 1}):
        scene = nnsvg.rnn([1, 1, 1], **options, set={"node.stroke_width": 13, "arrow.length": 0}).scene
        assert texts_on_shapes(scene) == [], options


def test_at_a_printed_size_every_text_keeps_the_theme_size() -> None:
    """The cell type (0.8 of the text at the figure's own size) and z⁻¹ (0.85) print at the text's
    size at a column, apart from each other; the IMDB LSTM prints at 3.5 in with its 8.25 pt."""
    layers, options = [128, 128, 1], {"cell": "lstm", "unroll": 5, "outputs": "last", "theme": "paper"}
    scene = nnsvg.rnn(layers, width="3.5in", **options).scene
    texts = [t for t in scene.walk() if isinstance(t, Text)]
    assert len({round(t.size, 9) for t in texts}) == 1
    kinds = [t for t in texts if t.cls == "cell-type"]
    states = [t for t in texts if t.cls == "state" and t.host is not None]
    assert len(kinds) == 5 and all(not a.box.overlaps(b.box) for a in kinds for b in states)
    folded = nnsvg.rnn([3, 5, 2], width="3.5in").scene
    sizes = {round(t.size, 9) for t in folded.walk() if isinstance(t, Text)}
    assert len(sizes) == 1
    own = nnsvg.rnn(layers, **options).scene
    assert len({round(t.size, 9) for t in own.walk() if isinstance(t, Text)}) == 2
