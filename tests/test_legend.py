"""Vector legends (``--legend``): the entries are what the figure draws (for every style), the
swatches look like the drawn shapes, the legend is clear of the drawing and inside the page,
wraps at a printed width, and is off by default."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Any

import pytest

import nnsvg
from nnsvg import quality
from nnsvg.geometry import BBox
from nnsvg.scene import Circle, Entry, Group, Path, Polygon, Rect, Scene, Text
from nnsvg.units import parse as length

from .conftest import find, parse

LENET5 = ["1@32x32:5x5", "6@28x28:2x2", "6@14x14:5x5", "16@10x10:2x2", "16@5x5", 120, 84, 10]
ALEXNET = ["224x224x3:11x11", "55x55x96:5x5", "27x27x256:3x3", "13x13x384:3x3", "13x13x256", 4096, 1000]


def legend_group(scene: Scene) -> Group | None:
    return next((g for g in scene.groups if g.id == "legend"), None)


def drawing_box(scene: Scene) -> BBox:
    boxes = [b for g in scene.groups if g.id != "legend" and (b := g.bbox()) is not None]
    box = boxes[0]
    for b in boxes[1:]:
        box = box.union(b)
    return box


def keys(scene: Scene) -> set[str]:
    return {e.key for e in scene.legend}


def entry(scene: Scene, key: str) -> Entry:
    return next(e for e in scene.legend if e.key == key)


def drawn(scene: Scene, kind: type, cls: str) -> list[Any]:
    """The primitives of a type outside the legend whose class holds the word ``cls``."""
    return [p for g in scene.groups if g.id != "legend" for p in g.walk()
            if isinstance(p, kind) and cls in (p.cls or "").split()]


# --- entries are what is drawn ----------------------------------------------------------------

FCNN_CASES: list[dict[str, Any]] = [
    {},
    {"bias": True},
    {"dropout": [0, 0.5, 0.5, 0], "seed": 2},
    {"activations": ["relu", "tanh", "softmax"]},
    {"activations": ["relu", "", "sigmoid"], "activation_style": "beside"},
    {"activations": ["relu", "relu", "softmax"], "activation_style": "name"},
    {"edge_color": "weight"},
    {"edge_width": "weight"},
    {"layers": [3, {"size": 4, "fill": "#ffcc00"}, {"size": 4, "fill": "#ffcc00"}, 2]},
    {"layers": [{"size": 3, "fill": "#cfe8ff"}, 4, {"size": 4, "fill": "#ffcc00"}, {"size": 2, "fill": "#cfe8ff"}]},
]


@pytest.mark.parametrize("options", FCNN_CASES)
def test_fcnn_entries_are_the_node_looks_and_marks_drawn(options: dict[str, Any]) -> None:
    layers = options.pop("layers", [3, 4, 4, 2])
    scene = nnsvg.fcnn(layers, legend="right", **options).scene
    nodes = drawn(scene, Circle, "node")
    looks = {(c.fill, c.stroke) for c in nodes}
    node_entries = [e for e in scene.legend if e.key == "node" or e.key.startswith("node.")]
    assert {(e.swatch.fill, e.swatch.stroke) for e in node_entries} == looks
    assert len(node_entries) == len(looks)
    assert ("node" in keys(scene)) == (len(looks) == 1)
    assert ("bias" in keys(scene)) == bool(drawn(scene, Circle, "bias"))
    assert ("dropout" in keys(scene)) == bool(drawn(scene, Circle, "dropped"))
    glyphs = {e.key for e in scene.legend if e.key.startswith("activation.")}
    style = options.get("activation_style", "glyph")
    names = {f"activation.{a}" for a in options.get("activations", []) if a}
    assert glyphs == (names if style != "name" else set())
    assert bool(drawn(scene, Path, "activation")) == (bool(names) and style != "name")
    assert ("weight" in keys(scene)) == (options.get("edge_color") == "weight")
    # the legend draws every entry it lists, with the swatch's own look
    group = legend_group(scene)
    assert group is not None
    assert [g.id for g in group.children] == [f"legend-{re.sub(r'[^A-Za-z0-9_-]+', '-', e.key)}"
                                              for e in scene.legend]


def test_fcnn_node_entries_are_named_by_the_roles_of_their_layers() -> None:
    scene = nnsvg.fcnn([{"size": 3, "fill": "#cfe8ff"}, 4, {"size": 4, "fill": "#ffcc00"},
                        {"size": 2, "fill": "#cfe8ff"}], legend="below").scene
    labels = {e.key: e.label for e in scene.legend}
    assert labels == {"node.input+output": "Input layer, output layer", "node.hidden-1": "Hidden layer 1",
                      "node.hidden-2": "Hidden layer 2"}
    plain = nnsvg.fcnn([3, 4, 2], legend="below").scene
    assert [(e.key, e.label) for e in plain.legend] == [("node", "Neuron")]


def test_fcnn_swatches_copy_the_drawn_shapes() -> None:
    scene = nnsvg.fcnn([3, 4, 2], bias=True, legend="right", theme="dark").scene
    node, bias = drawn(scene, Circle, "node")[0], drawn(scene, Circle, "bias")[0]
    group = legend_group(scene)
    assert group is not None
    swatches = {g.id: next(p for p in g.walk() if isinstance(p, Circle)) for g in group.children
                if isinstance(g, Group)}
    for shape, key in ((node, "legend-node"), (bias, "legend-bias")):
        assert (swatches[key].fill, swatches[key].stroke, swatches[key].stroke_width) == \
            (shape.fill, shape.stroke, shape.stroke_width)
    plus = [t for t in group.walk() if isinstance(t, Text) and t.text == "+1"]
    assert len(plus) == 1 and plus[0].host is swatches["legend-bias"]


def test_weight_ramp_runs_from_the_negative_to_the_positive_colour() -> None:
    scene = nnsvg.fcnn([3, 4, 2], edge_color="weight", legend="below").scene
    ramp = entry(scene, "weight").swatch
    from nnsvg.theme import load_theme

    edge = load_theme("nnsvg").edge
    assert ramp.ramp == (edge.negative, edge.zero, edge.positive)
    group = legend_group(scene)
    assert group is not None
    slices = [p for p in group.walk() if isinstance(p, Path) and p.cls == "legend-ramp"]
    assert len(slices) == 16 and slices[0].fill != slices[-1].fill
    weight = next(g for g in group.children if isinstance(g, Group) and g.id == "legend-weight")
    assert [t.text for t in weight.walk() if isinstance(t, Text)] == ["−1", "+1", "Weight"]


def test_the_ramp_of_real_weights_ends_at_their_largest_magnitude() -> None:
    same = nnsvg.fcnn([2, 2, 2], edge_color="weight", weights=[[[0.5, -2.0], [1.0, 0.0]], [[2.0, 1.0], [-1.5, 0.2]]],
                      legend="below").scene
    assert entry(same, "weight").swatch.ends == ("−2", "+2")
    apart = nnsvg.fcnn([2, 2, 2], edge_color="weight", weights=[[[0.5, -2.0], [1.0, 0.0]], [[0.1, 0.3], [-0.2, 0]]],
                       legend="below").scene
    assert entry(apart, "weight").swatch.ends == ("−max", "+max")
    assert "largest |w|" in entry(apart, "weight").label


LENET_CASES: list[tuple[list[Any], dict[str, Any]]] = [
    (LENET5, {}),
    (["1@32x32", "6@28x28", "6@14x14"], {}),  # maps only, no windows
    (["3@64x64:5x5", 128, 10], {}),
    ([{"size": "1@32x32", "fill": "#cfe8ff"}, "6@28x28", {"size": 120, "fill": "#ffcc00"}, 10], {}),
    (["1@8x8", "1@4x4", 10], {}),  # one map per stack: one fill, a plain box
]


@pytest.mark.parametrize(("layers", "options"), LENET_CASES)
def test_lenet_entries_are_the_fills_and_kinds_drawn(layers: list[Any], options: dict[str, Any]) -> None:
    scene = nnsvg.lenet(layers, legend="right", **options).scene
    own = {i for i, layer in enumerate(layers) if isinstance(layer, dict) and "fill" in layer}
    maps = [r for i, g in enumerate(scene.groups) if g.id and g.id.startswith("layer-")
            and int(g.id[6:]) not in own for r in g.walk() if isinstance(r, Rect) and r.cls == "map"]
    if maps:
        swatch = entry(scene, "map").swatch
        assert {swatch.fill, swatch.alt} == {r.fill for r in maps}
        assert swatch.shape == ("stack" if len({r.fill for r in maps}) > 1 else "box")
    else:
        assert "map" not in keys(scene)
    dense = [p for g in scene.groups if g.id and g.id.startswith("layer-") and int(g.id[6:]) not in own
             for p in g.walk() if isinstance(p, Polygon) and p.cls == "dense"]
    assert ("dense" in keys(scene)) == bool(dense)
    assert ("window" in keys(scene)) == bool(drawn(scene, Rect, "window"))
    assert {k for k in keys(scene) if k.startswith("layer-")} == {f"layer-{i}" for i in own}
    for i in own:
        fill = layers[i]["fill"]
        assert entry(scene, f"layer-{i}").swatch.fill == fill


ALEXNET_CASES: list[tuple[list[Any], dict[str, Any]]] = [
    (ALEXNET, {}),
    (["32x32x3", "28x28x32", "14x14x64"], {}),  # volumes only, arrows between them
    (["32x32x3:5x5", "28x28x32", 10], {"look": "cubes"}),
    ([{"size": "32x32x3:5x5", "fill": "#cfe8ff"}, "28x28x32", 10], {}),
]


@pytest.mark.parametrize(("layers", "options"), ALEXNET_CASES)
def test_alexnet_entries_are_the_faces_drawn(layers: list[Any], options: dict[str, Any]) -> None:
    scene = nnsvg.alexnet(layers, legend="below", **options).scene
    own = {i for i, layer in enumerate(layers) if isinstance(layer, dict) and "fill" in layer}
    for kind in ("volume", "dense"):
        faces = [p for g in scene.groups if g.id and g.id.startswith("layer-") and int(g.id[6:]) not in own
                 for p in g.walk() if isinstance(p, Polygon) and kind in (p.cls or "").split()]
        assert (kind in keys(scene)) == bool(faces), kind
    filters = [p for p in drawn(scene, Polygon, "filter") if "window" not in (p.cls or "")]
    assert ("filter" in keys(scene)) == bool(filters)
    assert ("pyramid" in keys(scene)) == bool(drawn(scene, Polygon, "pyramid"))
    assert {k for k in keys(scene) if k.startswith("layer-")} == {f"layer-{i}" for i in own}
    front = {p.fill for p in drawn(scene, Polygon, "front") if "volume" in (p.cls or "")}
    if "volume" in keys(scene):
        assert entry(scene, "volume").swatch.fill in front


RNN_CASES: list[tuple[list[int], dict[str, Any], set[str]]] = [
    ([3, 5, 2], {}, {"node", "edge", "recurrent"}),
    ([3, 5, 2], {"unroll": 3}, {"node", "edge", "recurrent"}),
    ([3, 5, 5, 2], {"cell": "lstm", "unroll": 3}, {"block", "cell", "edge", "recurrent", "cell-state"}),
    ([3, 5, 2], {"cell": "gru"}, {"block", "cell", "edge", "recurrent"}),
    ([3, 40, 2], {"unroll": 2}, {"block", "cell", "edge", "recurrent"}),
]


@pytest.mark.parametrize(("layers", "options", "expected"), RNN_CASES)
def test_rnn_entries_are_the_kinds_drawn(layers: list[int], options: dict[str, Any], expected: set[str]) -> None:
    scene = nnsvg.rnn(layers, legend="right", **options).scene
    assert keys(scene) == expected
    kinds = {"cell": (Rect, "cell"), "block": (Rect, "block"), "node": (Circle, "node"),
             "edge": (Path, "feedforward"), "recurrent": (Path, "recurrent"), "cell-state": (Path, "cell-state")}
    for key, (kind, cls) in kinds.items():
        assert (key in keys(scene)) == bool(drawn(scene, kind, cls)), key
    recurrent = next(p for p in drawn(scene, Path, "recurrent") if p.stroke != "none")
    swatch = entry(scene, "recurrent").swatch
    assert (swatch.stroke, swatch.dash, swatch.stroke_width) == (recurrent.stroke, recurrent.dash,
                                                                  recurrent.stroke_width)
    if "cell" in expected:
        assert entry(scene, "cell").label == f"{options.get('cell', 'rnn').upper()} cell"


# --- placement --------------------------------------------------------------------------------

FIGURES: list[Callable[..., nnsvg.Diagram]] = [
    lambda **o: nnsvg.fcnn([4, 6, 6, 2], bias=True, activations=["relu", "relu", "softmax"], edge_color="weight",
                           dropout=[0, 0.3, 0.3, 0], **o),
    lambda **o: nnsvg.lenet(LENET5, **o),
    lambda **o: nnsvg.alexnet(ALEXNET, dims=True, **o),
    lambda **o: nnsvg.rnn([3, 5, 5, 2], cell="lstm", unroll=3, **o),
    lambda **o: nnsvg.rnn([3, 5, 2], **o),
]


@pytest.mark.parametrize("side", ["right", "below"])
@pytest.mark.parametrize("figure", FIGURES, ids=["fcnn", "lenet", "alexnet", "lstm", "rnn"])
def test_the_legend_is_clear_of_the_drawing_inside_the_page_and_passes_the_quality_check(
        figure: Callable[..., nnsvg.Diagram], side: str) -> None:
    scene = figure(legend=side).scene
    group = legend_group(scene)
    assert group is not None and group.children
    box, drawing = group.bbox(), drawing_box(scene)
    assert box is not None
    if side == "right":
        assert box.x0 > drawing.x1
    else:
        assert box.y0 > drawing.y1
    assert not box.overlaps(drawing)
    assert scene.page().contains(box)
    assert quality.check(scene) == []


@pytest.mark.parametrize("figure", FIGURES, ids=["fcnn", "lenet", "alexnet", "lstm", "rnn"])
def test_the_legend_is_deterministic(figure: Callable[..., nnsvg.Diagram]) -> None:
    assert figure(legend="auto").svg() == figure(legend="auto").svg()


@pytest.mark.parametrize("figure", FIGURES, ids=["fcnn", "lenet", "alexnet", "lstm", "rnn"])
def test_off_by_default_draws_the_same_svg_as_legend_off(figure: Callable[..., nnsvg.Diagram]) -> None:
    plain = figure().svg()
    assert plain == figure(legend="off").svg()
    assert 'id="legend"' not in plain and "legend-" not in plain
    assert 'id="legend"' in figure(legend="below").svg()


def test_auto_takes_the_side_that_keeps_the_figure_closer_to_a_page() -> None:
    tall = nnsvg.fcnn([2, 3, 3, 3, 3, 3, 2], direction="up", bias=True, legend="auto").scene
    wide = nnsvg.lenet(LENET5, legend="auto").scene
    for scene, side in ((tall, "right"), (wide, "below")):
        box, drawing = legend_group(scene).bbox(), drawing_box(scene)  # type: ignore[union-attr]
        assert box is not None
        assert (box.x0 > drawing.x1) == (side == "right") and (box.y0 > drawing.y1) == (side == "below")
    # with both sides given, the target's aspect: a wide target puts the legend beside a tall figure
    both = nnsvg.fcnn([3, 4, 2], legend="auto", width="7in", height="2in").scene
    box, drawing = legend_group(both).bbox(), drawing_box(both)  # type: ignore[union-attr]
    assert box is not None and box.x0 > drawing.x1


def rows_and_columns(group: Group) -> tuple[int, int]:
    labels = [t for t in group.walk() if isinstance(t, Text) and t.cls == "legend-label"
              and t.text not in ("−1", "+1")]
    return len({round(t.y, 3) for t in labels}), len({round(t.x, 3) for t in labels})


def test_below_wraps_into_rows_at_the_drawings_width_and_right_into_columns_at_its_height() -> None:
    options: dict[str, Any] = {"bias": True, "activations": ["relu", "tanh", "softmax"], "dropout": [0, 0.3, 0.3, 0],
                               "edge_color": "weight"}
    narrow = nnsvg.fcnn([3, 4, 4, 2], layer_spacing=20, labels=False, legend="below", **options).scene
    group = legend_group(narrow)
    assert group is not None
    rows, columns = rows_and_columns(group)
    assert rows > 1 and columns >= 1
    box, drawing = group.bbox(), drawing_box(narrow)
    assert box is not None
    widest = max(g.bbox().width for g in group.children if isinstance(g, Group))  # type: ignore[union-attr]
    assert box.width <= max(drawing.width, widest) + 1e-6
    flat = nnsvg.fcnn([2, 2, 2, 2], labels=False, legend="right", **options).scene
    group = legend_group(flat)
    assert group is not None
    rows, columns = rows_and_columns(group)
    assert columns > 1
    box, drawing = group.bbox(), drawing_box(flat)
    assert box is not None
    line = max(g.bbox().height for g in group.children if isinstance(g, Group))  # type: ignore[union-attr]
    assert box.height <= max(drawing.height, line) + 1e-6


def test_at_a_column_the_legend_wraps_under_the_drawing_and_passes_the_check() -> None:
    scene = nnsvg.lenet(LENET5, legend="below", width="column", theme="paper").scene
    group = legend_group(scene)
    assert group is not None
    assert scene.printed is not None and scene.printed.width == pytest.approx(length("column", "width").px,
                                                                                abs=0.02)  # IEEEtran, to its quantum
    assert scene.page().contains(group.bbox())  # type: ignore[arg-type]
    assert quality.check(scene) == []
    texts = [t for t in group.walk() if isinstance(t, Text)]
    printed = texts[0].size * scene.unit_scale() * 0.75
    assert printed == pytest.approx(11 * 0.75, rel=1e-3)  # the paper theme's 8.25 pt


def test_at_a_column_a_legend_asked_right_that_does_not_fit_is_drawn_below_with_a_note() -> None:
    scene = nnsvg.rnn([3, 5, 5, 2], cell="lstm", unroll=3, legend="right", width="column").scene
    box, drawing = legend_group(scene).bbox(), drawing_box(scene)  # type: ignore[union-attr]
    assert box is not None and box.y0 > drawing.y1
    assert any("a legend right of the drawing does not fit; drawn below it" in n for n in scene.notes)


def test_at_a_column_a_legend_right_that_leaves_the_drawing_illegible_is_drawn_below() -> None:
    """Beside LeNet-5 at 3.5 in the legend's text takes width from the drawing, whose dense layers
    then print under 0.6 pt; under it the figure is legible."""
    plain = nnsvg.lenet(LENET5, width="column").scene
    assert quality.check(plain) == []
    for side in ("right", "auto"):
        scene = nnsvg.lenet(LENET5, legend=side, width="column").scene
        group = legend_group(scene)
        assert group is not None and group.cls == "legend below"
        assert quality.check(scene) == []
        said = [n for n in scene.notes if "legend right of the drawing leaves the drawing illegible" in n]
        assert len(said) == (side == "right")


# --- labels -----------------------------------------------------------------------------------

def test_legend_labels_rename_and_leave_out_entries() -> None:
    scene = nnsvg.fcnn([3, 4, 2], bias=True, legend="right",
                       legend_labels={"node": "Unit", "bias": ""}).scene
    group = legend_group(scene)
    assert group is not None
    assert [t.text for t in group.walk() if isinstance(t, Text) and t.cls == "legend-label"] == ["Unit"]
    assert not any("legend_labels" in n for n in scene.notes)


def test_a_legend_label_for_an_entry_not_drawn_gets_a_note() -> None:
    scene = nnsvg.fcnn([3, 4, 2], legend="right", legend_labels={"bias": "b"}).scene
    assert any(n.startswith("legend_labels: 'bias' name no entry") and "node" in n for n in scene.notes)


def test_cli_legend_and_legend_label(cli: Callable[..., tuple[int, str, str]], tmp_path: Any) -> None:
    code, out, err = cli("fcnn", "3", "4", "2", "--bias", "--legend", "below", "--legend-label", "bias=Bias",
                         "--save-spec", tmp_path / "s.yaml")
    assert code == 0, err
    root = parse(out)
    groups = [g for g in find(root, "g") if g.get("id") == "legend"]
    assert len(groups) == 1
    texts = [t.text for t in groups[0].iter() if t.tag.endswith("text")]
    assert texts == ["Neuron", "+1", "Bias"]
    code, again, err = cli("render", tmp_path / "s.yaml")
    assert code == 0 and again == out
    # nnsvg render overrides the file's legend and adds to its labels
    code, right, err = cli("render", tmp_path / "s.yaml", "--legend", "right", "--legend-label", "node=Unit")
    assert code == 0, err
    legend = next(g for g in find(parse(right), "g") if g.get("id") == "legend")
    assert [t.text for t in legend.iter() if t.tag.endswith("text")] == ["Unit", "+1", "Bias"]
    code, _, err = cli("fcnn", "3", "2", "--legend", "left")
    assert code == 2 and err.startswith("error: --legend: expected one of off, right, below, auto")
    code, _, err = cli("fcnn", "3", "2", "--legend-label", "bias")
    assert code == 2 and err.strip() == "error: --legend-labels: expected key=value, got 'bias'"


def test_legend_labels_in_a_spec_file_are_checked() -> None:
    with pytest.raises(nnsvg.NnsvgError, match=r"^legend_labels\.bias: expected text"):
        nnsvg.render({"style": "fcnn", "layers": [3, 2], "legend_labels": {"bias": [1]}})
    with pytest.raises(nnsvg.NnsvgError, match=r"^legend_labels: expected a mapping"):
        nnsvg.render({"style": "fcnn", "layers": [3, 2], "legend_labels": "bias=x"})



def _skip_kinds(scene: Scene) -> set[str]:
    stack: list[Any] = list(scene.groups)
    kinds = set()
    while stack:
        group = stack.pop()
        if isinstance(group, Group):
            if group.cls and group.cls.startswith("skip "):
                kinds.add(group.cls.split()[1])
            stack.extend(group.children)
    return kinds


@pytest.mark.parametrize("style", ["lenet", "alexnet", "fcnn"])
def test_skip_connection_kinds_drawn_are_in_the_legend_and_no_others(style: str) -> None:
    layers = {"lenet": ["3@32x32", "8@16x16", "8@16x16", "16@8x8", 10],
              "alexnet": ["32x32x3", "16x16x8", "16x16x8", "8x8x16", 10],
              "fcnn": [4, 6, 6, 6, 2]}[style]
    connections = [{"from": 1, "to": 3, "kind": "add"}, {"from": 0, "to": 3, "kind": "concat"}]
    diagram = nnsvg.draw(style, layers, connections=connections, legend="below")
    drawn = _skip_kinds(diagram.scene)
    assert drawn == {"add", "concat"}
    marks = {e.key: e.swatch.mark for e in diagram.scene.legend if e.key.startswith("connection.")}
    assert marks == {"connection.add": "⊕", "connection.concat": "‖"}
    plain = nnsvg.draw(style, layers, connections=connections[:1], legend="below")
    assert [e.key for e in plain.scene.legend if e.key.startswith("connection.")] == ["connection.add"]


def test_blocks_entries_are_the_op_kinds_and_connection_kinds_drawn() -> None:
    from nnsvg.renderers.blocks import legend_entries

    spec = nnsvg.load(FilePath(__file__).parent.parent / "gallery" / "specs" / "blocks-resnet-bottleneck.yaml").spec
    diagram = nnsvg.render(dataclasses.replace(spec, legend="right"))
    ops, connections = legend_entries(diagram.spec, diagram.theme)
    entries = diagram.scene.legend
    assert [e.key for e in entries if e.key.startswith("op.")] == [f"op.{kind}" for kind, _ in ops if kind != "merge"]
    assert [e.key for e in entries if e.key.startswith("merge.")] == ["merge.add"]  # the ⊕ drawn as a node
    assert {e.key for e in entries if e.key.startswith("connection.")} == {f"connection.{k}" for k in connections}
    assert {e.key: e.swatch.fill for e in entries if e.key.startswith("op.")} == \
        {f"op.{k}": f for k, f in ops if k != "merge"}
    assert len(ops) >= 3  # io, conv, norm, act in the bottleneck
