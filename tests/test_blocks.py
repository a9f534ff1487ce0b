"""The blocks style: its token grammar, the layered layout's geometry (no box overlaps, edges
clear of boxes, symmetric branch lanes, straight trunks), merge nodes, frames ×N, determinism,
big and random graphs, and the gallery's blocks figures passing the quality check."""

from __future__ import annotations

import itertools
import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnsvg import quality
from nnsvg import spec as specs
from nnsvg.backends.svg import to_svg
from nnsvg.errors import SpecError
from nnsvg.geometry import BBox
from nnsvg.renderers import blocks, render
from nnsvg.scene import Group, LineTo, MoveTo, Rect, Scene, Text
from nnsvg.scene import Path as ScenePath
from nnsvg.spec.blocks import BlocksSpec, parse_token
from nnsvg.theme import load_theme

from .segments import crosses

GALLERY = Path(__file__).resolve().parent.parent / "gallery" / "specs"
SPECS = sorted(GALLERY.glob("blocks-*.yaml"))


def draw(data: dict[str, Any]) -> Scene:
    spec = specs.from_dict({"style": "blocks", **data})
    assert isinstance(spec, BlocksSpec)
    return render(spec, load_theme(spec.theme, spec.set))


def shapes(scene: Scene) -> list[tuple[str, BBox]]:
    """Every box and merge node: (its group id, its box)."""
    out = []
    for group in scene.groups:
        for child in group.children:
            holder = child if isinstance(child, Group) else group
            for item in (child.children if isinstance(child, Group) else [child]):
                if isinstance(item, Rect) or (isinstance(item, ScenePath) and item.cls and
                                              item.cls.startswith("merge-node")):
                    out.append((holder.id or "", item.bbox()))
    return out


def segments(scene: Scene) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The shafts of every edge, as segments."""
    edges = next(g for g in scene.groups if g.id == "edges")
    out = []
    for item in edges.children:
        assert isinstance(item, ScenePath)
        if "arrowhead" in (item.cls or ""):
            continue
        assert isinstance(item.data, tuple)
        points = [(s.x, s.y) for s in item.data if isinstance(s, MoveTo | LineTo)]
        out.extend(itertools.pairwise(points))
    return out


def check_geometry(scene: Scene) -> None:
    boxes = shapes(scene)
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b, -0.5), f"{a} overlaps {b}"
    for p, q in segments(scene):
        assert p[0] == pytest.approx(q[0], abs=1e-6) or p[1] == pytest.approx(q[1], abs=1e-6), "not orthogonal"
        for name, box in boxes:
            assert not crosses(box.grow(-1.0), p, q), f"edge {p}→{q} passes through {name}"


# --- tokens -------------------------------------------------------------------------------------

def test_tokens() -> None:
    conv = parse_token("conv3x3:64:36.9k", "t")
    assert (conv.op, conv.shape, conv.params, conv.title, conv.color_kind) == ("conv3x3", "64", 36900, "3×3 conv",
                                                                                "conv")
    assert parse_token("bn", "t").title == "BN" and parse_token("bn", "t").color_kind == "norm"
    assert parse_token("mha", "t").title == "Multi-Head Attention"
    free = parse_token('"Add & Norm"', "t")
    assert (free.op, free.label, free.color_kind) == ("", "Add & Norm", "norm")
    assert parse_token("frobnicate", "t").title == "frobnicate"
    assert parse_token("concat", "t").merge == "concat" and parse_token("mul", "t").merge == "multiply"


@pytest.mark.parametrize(("token", "message"), [
    ("conv 3x3", "does not start with an op name.*free text goes in double quotes"),
    ("3x3conv", "does not start with an op name"),
    ('"Add & Norm', "no closing quote"),
    ("conv3x3:", "empty shape"),
    ("conv3x3:64:1.2M:x", "has 3 colons"),
    ("conv3x3:64:lots", "expected a parameter count"),
    ('""', "expected text, got an empty one"),
    (12, "expected an op"),
])
def test_token_errors(token: object, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        specs.from_dict({"style": "blocks", "layers": ["input", token]})


@pytest.mark.parametrize(("layer", "message"), [
    ({"label": "x", "colour": "red"}, "unknown layer key 'colour'"),
    ({"shape": "64"}, "needs 'op'"),
    ({"op": "conv 3x3"}, r"layer 2\.op: expected an op name"),
    ({"op": "conv", "kind": "convolution"}, "kind: expected one of"),
])
def test_mapping_errors(layer: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        specs.from_dict({"style": "blocks", "layers": ["input", layer]})


def test_spec_round_trip() -> None:
    data = {"style": "blocks", "layers": ["input", "conv3x3:64:1000", {"op": "bn", "fill": "#ff0000"},
                                          '"Feed Forward"', {"op": "mha", "label": "Self", "name": "att",
                                                             "inputs": [1]}, {"op": "add", "inputs": []}],
            "direction": "bt"}
    spec = specs.from_dict(data)
    again = specs.from_dict(specs.to_dict(spec))
    assert again == spec
    assert specs.to_dict(spec)["layers"][1] == "conv3x3:64:1000"


# --- layout geometry ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_gallery_figures_pass_quality_and_geometry(path: Path) -> None:
    spec = specs.load(path)
    scene = render(spec, load_theme(spec.theme, spec.set))
    assert quality.check(scene) == []
    check_geometry(scene)
    assert not scene.notes


def test_inception_branches_are_symmetric_lanes() -> None:
    scene = render(specs.load(GALLERY / "blocks-inception.yaml"), load_theme("nnsvg"))
    centre = {g.id: next(c for c in g.children if isinstance(c, Rect)).bbox() for g in scene.groups
              if g.id and g.id.startswith("layer-")}
    prev, concat = centre["layer-0"].center_x, centre["layer-8"].center_x
    tops = sorted(centre[f"layer-{i}"].center_x for i in (1, 3, 5, 7))
    assert sum(tops) / 4 == pytest.approx(prev, abs=1.0) == pytest.approx(concat, abs=1.0)
    steps = [b - a for a, b in itertools.pairwise(tops)]
    assert max(steps) - min(steps) < 1.0  # evenly spaced lanes
    for a, b in ((2, 3), (4, 5), (6, 7)):  # each two-op branch is one straight lane
        assert centre[f"layer-{a}"].center_x == pytest.approx(centre[f"layer-{b}"].center_x, abs=0.01)


def test_residual_trunk_is_straight_and_the_skip_enters_the_merge_from_the_side() -> None:
    scene = draw({"layers": ["input", "conv3x3:64", "bn", "relu", "conv3x3:64", "bn", "relu"],
                  "connections": ["0:5:add"], "direction": "bt"})
    xs = [next(c for c in g.children if isinstance(c, Rect)).bbox().center_x for g in scene.groups
          if g.id and g.id.startswith("layer-")]
    assert max(xs) - min(xs) < 0.01
    merge = next(g for g in scene.groups if g.id == "merges").children[0]
    assert isinstance(merge, Group) and merge.id == "merge-5" and "add" in (merge.cls or "")
    ring = merge.children[0].bbox()
    skip = next(p for p in next(g for g in scene.groups if g.id == "edges").children
                if isinstance(p, ScenePath) and p.cls == "edge add")
    assert isinstance(skip.data, tuple)
    last = skip.data[-1]
    assert isinstance(last, LineTo)
    assert last.y == pytest.approx(ring.center_y, abs=0.01) and last.x > ring.x1  # from the right flank
    check_geometry(scene)


@pytest.mark.parametrize(("op", "kind"), [("add", "add"), ("concat", "concat"), ("multiply", "multiply")])
def test_merge_symbols(op: str, kind: str) -> None:
    scene = draw({"layers": [{"op": "input", "name": "x"}, "conv3x3", "bn", {"op": op, "inputs": [2, "x"]}]})
    layer = next(g for g in scene.groups if g.id == "layer-3")
    ring, mark = layer.children
    assert isinstance(ring, ScenePath) and ring.cls == f"merge-node {kind}"
    assert isinstance(mark, ScenePath) and mark.cls == f"merge-symbol {kind}"
    assert isinstance(mark.data, tuple)
    lines = [(a, b) for a, b in zip(mark.data, mark.data[1:]) if isinstance(a, MoveTo) and isinstance(b, LineTo)]
    assert len(lines) == 2
    (a, b), (c, d) = lines
    if kind == "add":  # a cross: one horizontal line, one vertical
        assert (a.y == b.y and c.x == d.x)
    elif kind == "concat":  # two vertical bars
        assert a.x == b.x and c.x == d.x and a.x != c.x
    else:  # a saltire: two diagonals
        assert a.x != b.x and a.y != b.y and c.x != d.x
    assert not any(isinstance(t, Text) for t in layer.children)  # drawn, not a font's glyph


def test_frames_say_their_label_and_repeat() -> None:
    scene = render(specs.load(GALLERY / "blocks-resnet18.yaml"), load_theme("nnsvg"))
    frames = next(g for g in scene.groups if g.id == "frames")
    outlines = [c for c in frames.children if isinstance(c, ScenePath)]
    labels = [c.text for c in frames.children if isinstance(c, Text)]
    assert len(outlines) == 4 and all(o.dash for o in outlines)
    assert labels == ["conv2_x ×2", "conv3_x ×2", "conv4_x ×2", "conv5_x ×2"]
    boxes = {g.id: next(c for c in g.children if isinstance(c, Rect)).bbox() for g in scene.groups
             if g.id in ("layer-3", "layer-4")}
    assert all(outlines[0].extent.contains(b) for b in boxes.values())
    for a, b in itertools.pairwise(outlines):
        assert not a.extent.overlaps(b.extent)


def test_repeat_in_bt_is_a_line_of_its_own() -> None:
    scene = draw({"layers": ["input", "conv3x3", "bn", "relu"], "blocks": ["1:2:Stage:x3"], "direction": "bt"})
    frames = next(g for g in scene.groups if g.id == "frames")
    assert [c.text for c in frames.children if isinstance(c, Text)] == ["Stage", "×3"]


def test_deterministic() -> None:
    spec = specs.load(GALLERY / "blocks-transformer.yaml")
    theme = load_theme("nnsvg")
    assert to_svg(render(spec, theme)) == to_svg(render(spec, theme))


def test_200_layer_chain() -> None:
    layers = ["conv3x3:64", "bn", "relu"] * 66 + ["add", "relu"]
    scene = draw({"layers": layers, "connections": [f"{i}:{i + 3}:add" for i in range(0, 195, 3)]})
    assert sum(1 for g in scene.groups if g.id and g.id.startswith("layer-")) == 200
    assert len(next(g for g in scene.groups if g.id == "merges").children) == 65
    check_geometry(scene)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_dag(seed: int) -> None:
    rng = random.Random(seed)
    layers: list[Any] = ["input"]
    for i in range(1, 40):
        layers.append({"op": rng.choice(["conv3x3", "bn", "relu", "linear"]),
                       "inputs": sorted(rng.sample(range(i), min(i, rng.randint(1, 2))))})
    scene = draw({"layers": layers, "direction": rng.choice(["lr", "bt"])})
    check_geometry(scene)
    assert [p for p in quality.check(scene) if p.kind != "dominant"] == []


def test_link_between_stacks_and_recurrence_are_routed_around() -> None:
    scene = draw({"layers": ["input", "linear", "relu", "linear", {"op": "input", "inputs": []}, "linear",
                             "softmax"],
                  "connections": ["3:5", "3:1:recurrent"], "direction": "bt"})
    edges = next(g for g in scene.groups if g.id == "edges")
    kinds = [p.cls for p in edges.children if isinstance(p, ScenePath) and "arrowhead" not in (p.cls or "")]
    assert kinds.count("edge recurrent") == 1 and kinds.count("edge data") == 6
    check_geometry(scene)
    assert quality.check(scene) == []


def test_legend_entries_are_what_is_drawn() -> None:
    spec = specs.load(GALLERY / "blocks-resnet-basic.yaml")
    ops, connections = blocks.legend_entries(spec, load_theme("nnsvg"))
    assert [k for k, _ in ops] == ["io", "conv", "norm", "act", "merge"]
    assert dict(ops)["conv"] == load_theme("nnsvg").op.conv
    assert connections == ["data", "add"]


def test_text_fits_its_box() -> None:
    scene = draw({"layers": ["input", {"op": "linear", "label": "A very long name for one linear layer"},
                             "conv3x3:56x56x64:36928"], "params": True, "shapes": "below"})
    for group in scene.groups:
        for item in group.walk():
            if isinstance(item, Text) and isinstance(item.host, Rect):
                assert item.host.bbox().contains(item.box)
    texts = [t.text for t in scene.walk() if isinstance(t, Text)]
    assert "56×56×64" in texts and "36.9k params" in texts


def test_cli(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "b.svg"
    code, _, err = cli("blocks", "input", "conv3x3:64", "bn", "relu", "add", "--connect", "0:4:add", "-o", str(out))
    assert code == 0, err
    assert out.read_text().count('class="merge-node add"') == 1
    code, _, err = cli("blocks", "input", "conv 3x3", "-o", str(out))
    assert code == 2 and err.startswith("error: layer 2:")


# --- any graph -----------------------------------------------------------------------------------

OPS = ["conv3x3:64", "bn", "relu", "linear:10", "add", "concat", "multiply", "mha", '"Add & Norm"', "maxpool",
       "softmax", "input"]


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, Any]:
    """A random network: ops, each fed by the layer before it or by some earlier ones (or by
    nothing: another input), extra connections of every kind, blocks that nest or are apart."""
    n = draw(st.integers(2, 18))
    layers: list[Any] = []
    for i in range(n):
        op = draw(st.sampled_from(OPS))
        if i and draw(st.booleans()):
            inputs = draw(st.lists(st.integers(0, i - 1), min_size=0, max_size=3, unique=True))
            layers.append({"op": op.strip('"'), "inputs": sorted(inputs)} if not op.startswith('"') else
                          {"label": op.strip('"'), "inputs": sorted(inputs)})
        else:
            layers.append(op)
    connections = []
    for _ in range(draw(st.integers(0, 4))):
        a, b = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
        kind = draw(st.sampled_from(["data", "add", "concat", "multiply", "recurrent"]))
        connections.append({"from": b, "to": a, "kind": kind} if kind == "recurrent" else
                           {"from": a, "to": b, "kind": kind})
    unique = {(c["from"], c["to"], c["kind"]): c for c in connections}
    blocks = []
    if n > 3 and draw(st.booleans()):
        first = draw(st.integers(1, n - 2))
        last = draw(st.integers(first, n - 1))
        blocks.append({"from": first, "to": last, "label": "B", "repeat": draw(st.integers(1, 4))})
    return {"layers": layers, "connections": list(unique.values()), "blocks": blocks,
            "direction": draw(st.sampled_from(["lr", "bt"])), "merge": draw(st.sampled_from(["symbol", "box"]))}


@settings(max_examples=60 if not os.environ.get("CI") else 150, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow])
@given(data=graphs())
def test_any_graph_renders_clean(data: dict[str, Any]) -> None:
    try:
        spec = specs.from_dict({"style": "blocks", **data})
    except SpecError:  # a connection that repeats an input, a block that overlaps: refused, named
        return
    scene = render(spec, load_theme("nnsvg"))
    check_geometry(scene)
    assert [p for p in quality.check(scene) if p.kind != "dominant"] == []
    assert to_svg(scene) == to_svg(render(spec, load_theme("nnsvg")))


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_dot_round_trip(path: Path, tmp_path: Path) -> None:
    """A blocks spec written as GraphViz DOT (ops, shapes, second inputs, links between stacks,
    frames) reads back to the same figure."""
    spec = specs.load(path)
    dot = tmp_path / "net.dot"
    dot.write_text(specs.dump(spec, dot), "utf-8")
    again = specs.load(dot)
    assert again.graph() == spec.graph()
    theme = load_theme("nnsvg")
    assert to_svg(render(again, theme)) == to_svg(render(spec, theme))
    if path.stem == "blocks-transformer":
        assert 'rankdir="BT"' in dot.read_text("utf-8")


def test_same_bytes_in_fresh_processes(tmp_path: Path) -> None:
    """Nothing in the layout depends on hashing or object addresses: two processes with other
    hash seeds write the same file."""
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"t{seed}.svg"
        subprocess.run([sys.executable, "-m", "nnsvg", "render", str(GALLERY / "blocks-transformer.yaml"), "-o",
                        str(out)], check=True, env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_a_figure_too_long_for_a_page_says_so() -> None:
    long = draw({"layers": ["conv3x3:64", "bn", "relu"] * 30})
    assert len(long.page_notes) == 1 and "prints at" in long.page_notes[0] and "--direction bt" in long.page_notes[0]
    assert draw({"layers": ["conv3x3:64", "bn", "relu"] * 3}).page_notes == []


def test_every_edge_ends_in_an_arrowhead() -> None:
    for path in SPECS:
        spec = specs.load(path)
        edges = next(g for g in render(spec, load_theme("nnsvg")).groups if g.id == "edges")
        heads = [p.extent for p in edges.children if isinstance(p, ScenePath) and "arrowhead" in (p.cls or "")]
        for shaft in edges.children:
            if isinstance(shaft, ScenePath) and "arrowhead" not in (shaft.cls or ""):
                assert isinstance(shaft.data, tuple)
                end = shaft.data[-1]
                assert isinstance(end, LineTo)
                assert any(h.grow(0.01).contains(BBox(end.x, end.y, end.x, end.y)) for h in heads), path.stem


@pytest.mark.parametrize("theme", ["nnsvg", "paper", "colorblind", "dark"])
def test_op_kinds_that_meet_differ_in_grey(theme: str) -> None:
    """Kinds that sit next to each other in common figures (a conv block; a Transformer layer)
    stay apart printed in greyscale: at least 10 apart in Pillow's "L"."""
    op = load_theme(theme).op

    def grey(color: str) -> float:
        r, g, b = (int(color[k:k + 2], 16) for k in (1, 3, 5))
        return r * 299 / 1000 + g * 587 / 1000 + b * 114 / 1000

    for group in (("conv", "norm", "act", "pool"), ("attention", "norm", "dense", "embed", "act")):
        greys = sorted(grey(getattr(op, kind)) for kind in group)
        assert min(b - a for a, b in itertools.pairwise(greys)) >= 10, (theme, group, greys)


def test_labels_flag_and_label_option() -> None:
    scene = draw({"layers": [{"size": "input", "label": "x"}, "conv3x3:64", "relu"], "blocks": ["1:2:Stage:x2"],
                  "labels": False})
    texts = [t.text for t in scene.walk() if isinstance(t, Text)]
    assert texts == ["x", "3×3 conv", "64", "ReLU"]  # the boxes keep their text; the frame its outline only


# --- compact forms: a block diagram at a paper's column (issue 25) ---------------------------------

def corpus(name: str) -> tuple[list[Any], dict[str, Any]]:
    from .corpus import CORPUS

    return next((tokens, options) for n, _, tokens, options in CORPUS if n == name)


def forms_of(name: str) -> list[dict[str, Any]]:
    tokens, options = corpus(name)
    return [dict(c.changes) for c in specs.from_dict({"style": "blocks", "layers": tokens, **options}).compact_forms()]


def test_compact_forms_least_change_first() -> None:
    tight = {"box_width": 24.0, "rank_gap": 14.0, "lane_gap": 10.0}
    assert forms_of("vgg-16-blocks") == [{"direction": "bt", "fold": 2}, {"box_widths": "lane"}, tight,
                                         {"texts": "brief"}]
    assert forms_of("gan-blocks") == [{"direction": "bt"}, {"box_widths": "lane"}, tight, {"texts": "brief"}]
    assert forms_of("transformer") == [{"box_widths": "lane"}, tight, {"texts": "brief"}]  # already bt
    done = {"direction": "bt", "box_widths": "lane", **tight, "texts": "brief", "fold": 2}
    assert specs.from_dict({"style": "blocks", "layers": ["conv3x3"] * 12, **done}).compact_forms() == ()


def test_a_compact_form_is_options_a_user_can_write() -> None:
    tokens, options = corpus("inception-3a")
    spec = specs.from_dict({"style": "blocks", "layers": tokens, **options, "box_widths": "lane", "texts": "brief",
                            "fold": 2})
    assert isinstance(spec, BlocksSpec) and (spec.box_widths, spec.texts, spec.fold) == ("lane", "brief", 2)
    for key, bad in (("box_widths", "own"), ("texts", "short"), ("fold", 5), ("fold", 0)):
        with pytest.raises(SpecError):
            specs.from_dict({"style": "blocks", "layers": tokens, key: bad})


VGG = ["image:224×224×3", *["conv3x3:64"] * 2, "maxpool", *["conv3x3:128"] * 2, "maxpool", *["conv3x3:256"] * 3,
       "maxpool", "fc:4096", "fc:4096", "fc:1000", "softmax"]


def box_centers(scene: Scene) -> list[tuple[float, float]]:
    return [(round(r.x + r.width / 2, 6), round(r.y + r.height / 2, 6)) for r in scene.walk()
            if isinstance(r, Rect) and "box" in (r.cls or "").split()]


@pytest.mark.parametrize("direction", ["bt", "lr"])
def test_fold_two_is_a_serpentine_of_two_columns_joined_by_one_return_wire(direction: str) -> None:
    flat, folded = (draw({"layers": VGG, "direction": direction, "fold": fold}) for fold in (1, 2))
    across = 0 if direction == "bt" else 1  # the page axis the columns (rows) stand side by side on
    lanes = sorted({c[across] for c in box_centers(folded)})
    assert len(box_centers(folded)) == 15 and len(lanes) == 2
    counts = [sum(c[across] == v for c in box_centers(folded)) for v in lanes]
    assert sorted(counts) == [7, 8]  # cut where the two columns are most even
    along = 1 - across
    flat_box, folded_box = flat.bbox(), folded.bbox()
    long_flat = flat_box.height if along else flat_box.width
    long_folded = folded_box.height if along else folded_box.width
    assert long_folded < 0.6 * long_flat
    routes = [p for p in folded.walk() if isinstance(p, ScenePath) and "edge" in (p.cls or "").split()
              and "arrowhead" not in (p.cls or "")]
    assert len(routes) == 14 and sorted(len(p.data) for p in routes) == [2] * 13 + [4]  # the return wire
    boxes = [b for _, b in shapes(folded)]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    assert quality.check(folded) == []


def test_fold_leaves_a_figure_that_no_single_wire_cuts() -> None:
    tokens, options = corpus("resnet-34-column")  # every gap between stages is crossed by a skip too
    flat = draw({"layers": tokens, **options})
    assert box_centers(draw({"layers": tokens, **options, "fold": 2})) == box_centers(flat)


def test_lane_widths_give_each_branch_its_own_width() -> None:
    tokens, options = corpus("inception-3a")
    shared = {round(r.width, 6) for r in draw({"layers": tokens, **options}).walk()
              if isinstance(r, Rect) and "box" in (r.cls or "").split()}
    lane = draw({"layers": tokens, **options, "box_widths": "lane"})
    widths = {round(r.width, 6) for r in lane.walk() if isinstance(r, Rect) and "box" in (r.cls or "").split()}
    assert len(widths) > len(shared) and max(widths) == max(shared)  # (a boxed merge has its own)
    assert lane.bbox().width < 0.9 * draw({"layers": tokens, **options}).bbox().width


def test_brief_texts_abbreviate_and_drop_parameter_counts() -> None:
    tokens, options = corpus("transformer")
    texts = {t.text for t in draw({"layers": tokens, **options, "texts": "brief"}).walk() if isinstance(t, Text)}
    assert {"MHA", "FFN", "Masked", "Pos. Enc."} <= texts
    assert not any("Attention" in t for t in texts)
    tokens, options = corpus("mobilenetv2-block")
    full, brief = ([t.text for t in draw({"layers": tokens, **options, "texts": v}).walk() if isinstance(t, Text)]
                   for v in ("full", "brief"))
    assert sum("params" in t for t in full) == 3 and not any("params" in t for t in brief)


def test_at_a_printed_size_the_shape_lines_print_at_7_pt_or_more() -> None:
    scene = draw({"layers": VGG, "direction": "bt", "fold": 2, "width": "3.5in", "set": {"text.size": 9.34}})
    sizes = {round(t.size, 2) for t in scene.walk() if isinstance(t, Text)}
    assert min(sizes) >= 9.33  # px: 7 pt
    own = draw({"layers": VGG, "set": {"text.size": 9.34}})
    assert min(t.size for t in own.walk() if isinstance(t, Text)) < 9.33  # at its own size: smaller, as designed


# Each blocks network the corpus cannot print as given at a column, in its compact forms: how many
# forms (cumulative, in compact_forms' order) and the text size (pt) with which it passes the
# reader's check of tests/test_print_size.py at both widths. The printed-size search
# (nnsvg/physical.py) finds these by itself once it tries compact forms and text sizes.
COMPACT = {"vgg-16-blocks": (1, 9), "mobilenetv2-block": (1, 9), "vit-encoder-layer": (1, 9),
           "unet-2-level-blocks": (1, 9), "siamese-net": (1, 9), "gan-blocks": (1, 9),
           "lstm-cell-blocks": (3, 9), "resnet-34-column": (2, 8), "inception-3a": (3, 7.5),
           "transformer": (3, 9)}


@pytest.mark.parametrize("name", sorted(COMPACT))
def test_every_blocks_network_prints_at_a_column_in_a_compact_form(name: str) -> None:
    import functools
    import math

    import nnsvg

    from .test_print_size import WIDTHS, defects_of

    tokens, options = corpus(name)
    count, pt = COMPACT[name]
    changes: dict[str, Any] = {}
    for form in forms_of(name)[:count]:
        changes.update(form)
    size = {"text.size": math.ceil(pt / 0.75 * 100) / 100} if pt != 9 else {}
    drawn = {**options, **changes, "set": size}
    for width, target in WIDTHS.items():
        found = defects_of(functools.partial(nnsvg.blocks, tokens, width=width, **drawn), target)
        assert found == [], (name, width, found)
