"""The LeNet renderer, checked on the SVG and scene it produces."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

import nnsvg
from nnsvg import quality
from nnsvg.geometry import BBox
from nnsvg.renderers import lenet as lenet_renderer
from nnsvg.renderers import lenet_sizes
from nnsvg.renderers.lenet_sizes import drawn_slots
from nnsvg.scene import Dots, Polygon, Rect, Text
from nnsvg.scene import Path as ScenePath
from nnsvg.spec import lenet as lenet_spec

from .conftest import NS, assert_clear, find, layer_group, numbers, parse
from .corpus import LENET as LENET_CORPUS
from .segments import crosses

LENET5 = ["1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", 120, 84, 10]
NN_SVG_DEFAULT = ["8@128x128", "8@64x64", "24@48x48", "24@16x16", 256, 128]
Cli = Callable[..., tuple[int, str, str]]


def of_class(root: object, tag: str, cls: str) -> list[object]:
    return [e for e in find(root, tag) if e.get("class") == cls]  # type: ignore[arg-type, union-attr]


def test_lenet5_draws_45_maps_and_3_dense_layers() -> None:
    root = parse(nnsvg.lenet(LENET5).svg())
    assert len(of_class(root, "rect", "map")) == 45
    assert len(of_class(root, "polygon", "dense")) == 3
    for i, maps in enumerate([1, 6, 6, 16, 16]):
        assert len([r for r in find(layer_group(root, i), "rect") if r.get("class") == "map"]) == maps
    ids = [g.get("id") for g in find(root, "g") if (g.get("id") or "").startswith("layer-")]
    assert ids == [f"layer-{i}" for i in range(8)]


def test_captions_and_inferred_ops() -> None:
    root = parse(nnsvg.lenet(LENET5).svg())
    captions = [t.text for t in of_class(root, "text", "caption")]
    assert captions == ["1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", "1x120", "1x84", "1x10"]
    ops = [t.text for t in of_class(root, "text", "op")]
    assert ops == ["Convolution", "Max-Pool", "Convolution", "Max-Pool", "Dense", "Dense", "Dense"]
    for i, caption in enumerate(captions):  # each caption lives in its layer's group
        assert [t.text for t in find(layer_group(root, i), "text")] == [caption]


def test_windows_are_inferred_from_sizes() -> None:
    spec = nnsvg.lenet(LENET5).spec
    assert [s.window for s in lenet_spec.steps(spec)] == [(5, 5), (2, 2), (5, 5), (2, 2), None, None, None]
    a, b = lenet_spec.MapLayer(3, 64, 64), lenet_spec.MapLayer(3, 60, 60)
    assert lenet_spec.infer_window(a, b) == ((5, 5), "Convolution")
    assert lenet_spec.infer_window(b, lenet_spec.MapLayer(3, 20, 20)) == ((3, 3), "Max-Pool")
    assert lenet_spec.infer_window(b, b) == (None, "Convolution")
    # AlexNet's strided 227 -> 55 is no 173x173 kernel: a convolution without a window
    assert lenet_spec.infer_window(lenet_spec.MapLayer(3, 227, 227), lenet_spec.MapLayer(96, 55, 55)) \
        == (None, "Convolution")
    assert lenet_spec.infer_window(lenet_spec.MapLayer(3, 32, 32), lenet_spec.MapLayer(6, 22, 22)) \
        == ((11, 11), "Convolution")
    assert lenet_spec.infer_window(lenet_spec.MapLayer(1, 8, 8), lenet_spec.MapLayer(1, 16, 16)) == (None, "")


def test_window_sizes_and_lines() -> None:
    diagram = nnsvg.lenet(["1@32x32", "6@28x28", "6@14x14", 10])
    root = parse(diagram.svg())
    windows = of_class(root, "rect", "window")
    # the 2x2 pooling window is drawn at the 4 px minimum, not as a 2 px dot
    assert [(float(w.get("width")), float(w.get("height"))) for w in windows] == [(5, 5), (4, 4)]
    fronts = [[r for r in find(layer_group(root, i), "rect") if r.get("class") == "map"][-1] for i in range(3)]
    for window, front in zip(windows, fronts):  # inside the front map
        wx, wy, fx, fy = (float(v) for v in (window.get("x"), window.get("y"), front.get("x"), front.get("y")))
        assert fx <= wx and wx + float(window.get("width")) <= fx + float(front.get("width"))
        assert fy <= wy and wy + float(window.get("height")) <= fy + float(front.get("height"))
    # two lines from each window to one point on the next front map
    first = next(g for g in find(root, "g") if g.get("id") == "links-0-1")
    d = "".join(p.get("d") for p in first.iter(NS + "path"))
    values = numbers(d)
    assert d.count("M") == 2 and (values[2], values[3]) == (values[6], values[7])
    nx, ny = float(fronts[1].get("x")), float(fronts[1].get("y"))
    assert nx <= values[2] <= nx + 28 and ny <= values[3] <= ny + 28


def test_explicit_filters_ops_and_no_filters() -> None:
    root = parse(nnsvg.lenet(["3@64x64:5x5", "32@60x60:2x2", "32@30x30", 128, 10],
                             ops="Conv 5x5,Max-pool 2x2,Dense,Dense").svg())
    assert [t.text for t in of_class(root, "text", "op")] == ["Conv 5x5", "Max-pool 2x2", "Dense", "Dense"]
    assert len(of_class(root, "rect", "window")) == 2
    root = parse(nnsvg.lenet(LENET5, filters="none").svg())
    assert of_class(root, "rect", "window") == []
    root = parse(nnsvg.lenet(["1@32x32", "6@28x28:3x3", "6@14x14"], filters="given").svg())
    assert len(of_class(root, "rect", "window")) == 1
    root = parse(nnsvg.lenet(["1@8x8", "1@4x4", 4], ops=["", "FC"]).svg())
    assert [t.text for t in of_class(root, "text", "op")] == ["FC"]


def test_seeded_and_centred_windows() -> None:
    def positions(**options: object) -> list[str]:
        root = parse(nnsvg.lenet(LENET5, **options).svg())
        return [w.get("x") for w in of_class(root, "rect", "window")]
    assert positions(seed=1) == positions(seed=1)
    assert positions(seed=1) != positions(seed=2)
    assert positions(filter_position="center", seed=1) == positions(filter_position="center", seed=2)
    assert nnsvg.lenet(LENET5, seed=4).svg() == nnsvg.lenet(LENET5, seed=4).svg()


def test_many_maps_are_bounded_but_captioned() -> None:
    root = parse(nnsvg.lenet(["3@32x32", "512@16x16", 10]).svg())
    assert len([r for r in find(layer_group(root, 1), "rect") if r.get("class") == "map"]) <= 24
    assert [p for p in find(layer_group(root, 1), "path") if p.get("class") == "ellipsis"]
    assert "512@16x16" in [t.text for t in find(root, "text")]
    root = parse(nnsvg.lenet(["3@32x32", "512@16x16", 10], max_maps=0).svg())
    assert len([r for r in find(layer_group(root, 1), "rect") if r.get("class") == "map"]) == 512
    for maps in (25, 100, 10**6):
        for limit in (4, 10, 24):
            back, front = drawn_slots(maps, limit)
            assert back >= 1 and front >= 1 and back + front + 3 <= max(limit, 5)


def test_gaps_per_gap_and_negative() -> None:
    def lefts(gaps: object) -> list[float]:
        diagram = nnsvg.lenet(["2@20x20", "2@20x20", "2@20x20"], gaps=gaps, map_offset=8)
        return [min(p.x for p in g.walk() if isinstance(p, Rect)) for g in diagram.scene.groups[:3]]
    assert lefts(40) == pytest.approx([0, 68, 136])  # 20 + 8 (offset) + 40 per layer
    assert lefts([10, -20]) == pytest.approx([0, 38, 46])
    with pytest.raises(nnsvg.SpecError, match="gaps: expected one value or 2"):
        nnsvg.lenet(["2@20x20", "2@20x20", "2@20x20"], gaps=[1, 2, 3])


def test_small_maps_step_less_than_the_offset() -> None:
    diagram = nnsvg.lenet(["16@5x5", 10])
    xs = sorted(p.x for p in diagram.scene.groups[0].walk() if isinstance(p, Rect))
    assert xs[1] - xs[0] == pytest.approx(3)  # half the 6 px minimum side: the stack stays connected
    assert xs[-1] - xs[0] == pytest.approx(45)


def test_log_scale_keeps_big_inputs_on_a_page() -> None:
    layers = ["3@224x224", "64@112x112", "128@56x56", "256@28x28", "512@14x14", "512@7x7", 4096, 1000]
    linear = nnsvg.lenet(layers, dense_size="sqrt", dense_scale=30)
    log = nnsvg.lenet(layers, map_size="log", dense_size="sqrt", dense_scale=30)
    assert log.scene.page().height < linear.scene.page().height
    first = next(r for r in log.scene.groups[0].walk() if isinstance(r, Rect))
    assert first.width == pytest.approx(12 * 7.813, abs=0.01)  # 12 x log2(225)


def test_dense_lengths() -> None:
    def length(**options: object) -> float:
        polygon = nnsvg.lenet(["1@4x4", 400], **options).scene.groups[1].children[0]
        (_x0, y0), _, _, (_x3, y3) = polygon.points  # type: ignore[union-attr]
        return y3 - y0
    assert length(dense_size="linear") == pytest.approx(400)
    assert length(dense_size="linear", dense_scale=50) == pytest.approx(200)
    assert length(dense_size="sqrt") == pytest.approx(200)  # sqrt(400) x 100 / 10
    assert length() == pytest.approx(256)  # auto: the longest layer past 256 is drawn at 256
    assert length(dense_scale=50) == pytest.approx(128)


@pytest.mark.parametrize("layers", [LENET5, NN_SVG_DEFAULT, ["1@28x28:5x5", "20@24x24", 500, 10]])
@pytest.mark.parametrize("gaps", [40, 0, -20])
def test_no_text_overlaps_or_leaves_the_page(layers: list[object], gaps: float) -> None:
    diagram = nnsvg.lenet(layers, gaps=gaps)
    assert len(assert_clear(diagram)) >= len(layers)


def test_long_op_labels_are_kept_apart() -> None:
    ops = "A very long convolution,Another long pooling step,Fully connected"
    diagram = nnsvg.lenet(["1@16x16", "1@12x12", "1@6x6", 10], gaps=-5, ops=ops)
    texts = [p for p in diagram.scene.walk() if isinstance(p, Text) and p.cls == "op"]
    assert len(texts) == 3
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert not a.box.overlaps(b.box)


@pytest.mark.parametrize("theme", ["nnsvg", "paper", "dark", "colorblind"])
def test_every_theme(theme: str) -> None:
    diagram = nnsvg.lenet(LENET5, theme=theme)
    root = parse(diagram.svg())
    fills = {r.get("fill") for r in of_class(root, "rect", "map")}
    assert fills == {diagram.theme.map.fill, diagram.theme.map.fill_alt}
    assert {p.get("fill") for p in of_class(root, "polygon", "dense")} == {diagram.theme.dense.fill}


@pytest.mark.parametrize(("token", "message"), [
    ("6@28", "'6@28' is not a feature-map layer"),
    ("0@28x28", "'0@28x28' has map count 0"),
    ("6@28x-3", "'6@28x-3' has width '-3'"),
    ("6@28x28:29x3", "has a 29x3 filter, larger than its 28x28 maps"),
    ("6@28x28:0x3", "filter height 0"),
    ("x", r"expected N@HxW \(feature maps\) or a whole number \(a dense layer\), got 'x'"),
    ("6@0x4", "height 0"),
    ("6@²x4", "height '²', which is not a whole number"),
])
def test_bad_tokens_name_the_token(token: str, message: str) -> None:
    with pytest.raises(nnsvg.SpecError, match=message):
        nnsvg.lenet([token, 10])


def test_structure_errors() -> None:
    with pytest.raises(nnsvg.SpecError, match="comes after the dense layer 1"):
        nnsvg.lenet([10, "6@28x28"])
    with pytest.raises(nnsvg.SpecError, match="ops: 3 op labels for 2 gaps"):
        nnsvg.lenet(["1@8x8", "1@4x4", 4], ops="a,b,c")
    with pytest.raises(nnsvg.SpecError, match="at least 2 layers"):
        nnsvg.lenet(["1@8x8"])
    with pytest.raises(nnsvg.SpecError, match="feature maps; draw fewer with --max-maps"):
        nnsvg.lenet(["1000000@2x2", "1000000@1x1"], max_maps=0).scene  # noqa: B018


def test_cli_examples(cli: Cli, tmp_path: Path) -> None:
    assert cli("lenet", *[str(t) for t in LENET5], "-o", tmp_path / "lenet5.pdf")[0] == 0
    code, _, err = cli("lenet", "3@64x64:5x5", "32@60x60:2x2", "32@30x30", "128", "10", "--ops",
                       "Conv 5x5,Max-pool 2x2,Dense,Dense", "--theme", "paper", "-o", tmp_path / "small.svg")
    assert code == 0, err
    code, _, err = cli("lenet", *NN_SVG_DEFAULT, "--gaps", "40,10,-20,-20,10", "-o", tmp_path / "d.png")
    assert code == 0, err
    assert (tmp_path / "d.png").read_bytes().startswith(b"\x89PNG")
    spec_file = tmp_path / "lenet.yaml"
    assert cli("lenet", *LENET5, "--gaps", "-20", "--save-spec", spec_file, "-o", tmp_path / "a.svg")[0] == 0
    assert cli("render", spec_file, "-o", tmp_path / "b.svg")[0] == 0
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


@pytest.mark.parametrize(("args", "message"), [
    (["6@28", "10"], "'6@28' is not a feature-map layer"),
    (["0@28x28", "10"], "map count 0"),
    (["6@28x-3", "10"], "has width '-3'"),
    (["10", "6@28x28"], "dense layers go last"),
    (["6@28x28:30x30", "10"], "larger than its 28x28 maps"),
    (["1@8x8", "4", "--ops", "a,b"], "2 op labels for 1 gaps"),
    (["1@8x8", "4", "--map-size", "cubic"], "--map-size: expected one of auto, linear, log, got 'cubic'"),
])
def test_cli_errors(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    target = tmp_path / "x.pdf"
    code, out, err = cli("lenet", *args, "-o", target)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("error: ")
    assert message in err
    assert not target.exists()


def test_round_trip_with_overrides(tmp_path: Path) -> None:
    diagram = nnsvg.lenet([{"size": "1@32x32:5x5", "label": "input", "fill": "#cfe8ff"}, "6@28x28",
                           {"size": 10, "label": "out"}], ops=["Conv", "FC"], gaps=[30, 20], seed=5)
    for suffix in (".yaml", ".toml", ".json"):
        path = tmp_path / f"l{suffix}"
        diagram.save_spec(path)
        assert nnsvg.load(path).svg() == diagram.svg()


@pytest.mark.parametrize("suffix", [".pdf", ".png", ".eps", ".ps"])
def test_every_format(tmp_path: Path, suffix: str) -> None:
    path = nnsvg.lenet(LENET5).save(tmp_path / f"l{suffix}")
    assert path.stat().st_size > 500


# --- size budget, elided stacks, captions and op labels ------------------------------------

ISSUE = ["3@224x224", "64@224x224", "64@112x112", "128@112x112", "128@56x56", "256@56x56", 4096, 1000]
VGG16 = ["3@224x224", "64@224x224", "64@112x112", "128@112x112", "128@56x56", "256@56x56", "256@28x28",
         "512@28x28", "512@14x14", "512@7x7", 4096, 4096, 1000]
ALEXNET = ["3@227x227:11x11", "96@55x55:5x5", "256@27x27:3x3", "384@13x13:3x3", "384@13x13:3x3",
           "256@13x13", 4096, 4096, 1000]
CIFAR = ["3@32x32", "32@32x32", "32@16x16", "64@16x16", "64@8x8", 512, 10]
MNIST = ["1@28x28", "32@26x26", "64@24x24", "64@12x12", 128, 10]
REAL = {"lenet5": LENET5, "issue": ISSUE, "vgg16": VGG16, "alexnet": ALEXNET, "cifar": CIFAR, "mnist": MNIST}


def layer_shapes(diagram: nnsvg.Diagram) -> list[BBox]:
    """The box of each layer's maps or parallelogram (captions and windows aside)."""
    out = []
    for group in diagram.scene.groups:
        if group.id.startswith("layer-"):
            boxes = [p.bbox() for p in group.walk() if isinstance(p, Rect | Polygon) and p.cls in ("map", "dense")]
            out.append(BBox(min(b.x0 for b in boxes), min(b.y0 for b in boxes),
                            max(b.x1 for b in boxes), max(b.y1 for b in boxes)))
    return out


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_networks_fit_a_page(name: str) -> None:
    """The issue: VGG's 4096 layer made a 7138x4162 px page (12170 px for all of VGG-16), one
    layer took 58 % of the width and 2x2 pooling windows were 1-2 px dots."""
    diagram = nnsvg.lenet(REAL[name])
    page = diagram.scene.page()
    assert page.width <= 1700 and page.height <= 700
    assert page.width / page.height <= 9
    shapes = layer_shapes(diagram)
    figure = shapes[0].union(shapes[-1])
    for box in shapes:
        figure = figure.union(box)
    assert max(box.width for box in shapes) <= 0.4 * figure.width
    windows = [p for p in diagram.scene.walk() if isinstance(p, Rect) and p.cls == "window"]
    assert windows and min(min(w.width, w.height) for w in windows) >= lenet_renderer.MIN_WINDOW
    assert diagram.notes == []


def test_small_networks_keep_nn_svg_sizes() -> None:
    """auto sizes are linear below the knees: NN-SVG's default and LeNet-5 draw px = units."""
    diagram = nnsvg.lenet(NN_SVG_DEFAULT)
    shapes = layer_shapes(diagram)
    assert shapes[0].height == pytest.approx(128 + 7 * 8 + 1)  # 8 maps of 128 px, 8 px apart, 1 px stroke
    assert shapes[4].height == pytest.approx(256 + 1)  # the 1x256 parallelogram
    lenet5 = layer_shapes(nnsvg.lenet(LENET5))
    assert lenet5[0].width == pytest.approx(32 + 1)


def test_auto_sizes_compress_only_past_the_knee() -> None:
    compressed = lenet_sizes.compressed
    assert compressed(56, 128, 128, 1.0) == 56  # at the knee: linear
    assert compressed(56, 129, 128, 1.0) == pytest.approx(56, rel=0.02)  # continuous past it
    sides = [compressed(u, 224, 128, 1.0) for u in (7, 14, 28, 56, 112, 224)]
    assert sides[-1] == pytest.approx(128) and sides == sorted(sides) and sides[0] > 15
    assert compressed(4096, 4096, 256, 0.5) == pytest.approx(256)


def test_fit_shrinks_the_step_then_the_layers() -> None:
    spec = nnsvg.lenet(VGG16).spec
    factors = lenet_sizes.fitted(spec)
    assert factors.step == pytest.approx(lenet_sizes.FIT_STEP) and 0.5 <= factors.size < 1
    assert lenet_sizes.widths(spec, factors)[1] == pytest.approx(lenet_sizes.PAGE_WIDTH, abs=1)
    diagram = nnsvg.lenet(VGG16)
    shapes = layer_shapes(diagram)
    assert shapes[2].x0 - shapes[1].x1 == pytest.approx(40 * factors.size, abs=1.01)  # gaps shrink too
    for group in diagram.scene.groups[1:10]:
        maps = [p for p in group.walk() if isinstance(p, Rect) and p.cls == "map"]
        assert min(b.x - a.x for a, b in itertools.pairwise(maps)) >= lenet_sizes.MIN_FIT_STEP - 1e-9
    nofit = nnsvg.lenet(VGG16, fit=False)
    assert nofit.scene.page().width > 3000
    assert lenet_sizes.fitted(nnsvg.lenet(LENET5).spec) == lenet_sizes.Factors()


@pytest.mark.parametrize(("options", "words"), [
    ({"map_size": "linear", "dense_size": "linear"}, ["layer 7 (1x4096) takes 60%", "--dense-size auto",
                                                      "px wide", "--map-size auto"]),
    ({"fit": False, "dense_size": "linear"}, ["--fit", "--dense-size auto"]),
    ({"dense_scale": 1000}, ["a smaller --dense-scale"]),
])
def test_a_note_names_the_option_that_shrinks_a_huge_figure(options: dict[str, object], words: list[str]) -> None:
    notes = " ".join(nnsvg.lenet(ISSUE, **options).notes)
    for word in words:
        assert word in notes, (word, notes)


def test_the_note_reaches_the_cli(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("lenet", *ISSUE, "--dense-size", "linear", "--map-size", "linear", "-o", tmp_path / "a.svg")
    assert code == 0 and err.startswith("note: layer 7 (1x4096)") and "--dense-size auto" in err


def test_an_elided_stack_is_one_continuous_run() -> None:
    """Before: back maps, three empty slots, front maps and a ⋱ outside the stack read as two
    stacks. Now every drawn map is one step from the next except one gap of two steps, and the
    three dots sit in that gap's notch, on no map."""
    diagram = nnsvg.lenet(["3@32x32", "512@16x16", 10])
    group = diagram.scene.groups[1]
    maps = [p for p in group.walk() if isinstance(p, Rect) and p.cls == "map"]
    steps_x = [b.x - a.x for a, b in itertools.pairwise(maps)]
    step = min(steps_x)
    assert step == pytest.approx(8)
    assert sorted(steps_x)[-1] == pytest.approx(2 * step) and sorted(steps_x)[-2] == pytest.approx(step)
    assert [b.y - a.y for a, b in itertools.pairwise(maps)] == steps_x  # a 45° run
    dots = next(p for p in group.walk() if isinstance(p, ScenePath) and p.cls == "ellipsis")
    assert isinstance(dots.data, Dots) and len(dots.data.centers) == 3
    k = steps_x.index(max(steps_x))  # the gap follows map k
    for x, y in dots.data.centers:
        assert maps[k].x + maps[k].width < x < maps[k + 1].x + maps[k + 1].width + 2
        assert maps[k].y - 2 < y < maps[k + 1].y
        assert not any(m.x - dots.data.r < x < m.x + m.width + dots.data.r
                       and m.y - dots.data.r < y < m.y + m.height + dots.data.r for m in maps)


def test_small_maps_keep_a_visible_size_and_step() -> None:
    diagram = nnsvg.lenet(["16@2x2", "16@1x1", 4])
    for group in diagram.scene.groups[:2]:
        maps = [p for p in group.walk() if isinstance(p, Rect) and p.cls == "map"]
        assert min(m.width for m in maps) == lenet_sizes.MIN_SIDE
        assert maps[1].x - maps[0].x == pytest.approx(lenet_sizes.MIN_SIDE * lenet_sizes.STEP_SHARE)


@pytest.mark.parametrize("name", sorted(REAL))
def test_captions_sit_close_above_their_layers(name: str) -> None:
    """Before: LeNet-5's 16@5x5 caption sat 22 px above its stack (a link line lifted it), VGG's
    up to 781 px. Now every caption's bottom is within half a line of its layer's top."""
    diagram = nnsvg.lenet(REAL[name])
    size = diagram.theme.text.size
    # VGG's 512@7x7 caption is lifted by the line into 1x4096: its neighbour's caption leaves no
    # room to the left of that line (main: 781 px above)
    limit = 2 * size if name == "vgg16" else 0.5 * size
    for box, group in zip(layer_shapes(diagram), [g for g in diagram.scene.groups if g.id.startswith("layer-")]):
        (text,) = [p for p in group.walk() if isinstance(p, Text)]
        assert 0 <= box.y0 - text.box.y1 <= limit, (text.text, box.y0 - text.box.y1)
        assert text.box.x1 >= box.x0 and text.box.x0 <= box.x1  # over its own layer




@pytest.mark.parametrize("name", [*sorted(REAL), "huge", "nn-svg"])
def test_labels_are_on_no_foreign_shape(name: str) -> None:
    """No caption or op label meets a map, a window, a parallelogram's edges or a link line."""
    if name == "huge":
        diagram = nnsvg.lenet(ISSUE, map_size="linear", dense_size="linear", fit=False)
    elif name == "nn-svg":
        diagram = nnsvg.load(Path(__file__).parent.parent / "gallery/specs/lenet-nn-svg-default.yaml")
    else:
        diagram = nnsvg.lenet(REAL[name])
    texts = [p for p in diagram.scene.walk() if isinstance(p, Text)]
    rects = [p for p in diagram.scene.walk() if isinstance(p, Rect) and p.cls in ("map", "window")]
    edges = []
    for p in diagram.scene.walk():
        if isinstance(p, Polygon):
            edges += list(zip(p.points, p.points[1:] + p.points[:1]))
        elif isinstance(p, ScenePath) and isinstance(p.data, tuple):
            points = [(s.x, s.y) for s in p.data]
            edges += [(points[i], points[i + 1]) for i in range(0, len(points), 2)]
    for text in texts:
        assert not any(text.box.overlaps(r.bbox()) for r in rects), text.text
        assert not any(crosses(text.box, a, b) for a, b in edges), text.text


def test_op_labels_stay_near_the_stacks_they_name() -> None:
    """Before: with a 4096 px dense layer every op label sat in one row ~2000 px under the
    stacks. Now a label sits just under what is drawn in its own x-range."""
    diagram = nnsvg.lenet(ISSUE, map_size="linear", dense_size="linear", fit=False)
    shapes = layer_shapes(diagram)
    size = diagram.theme.text.size
    ops = [p for p in diagram.scene.walk() if isinstance(p, Text) and p.cls == "op"]
    assert [o.text for o in ops][:5] == ["Convolution", "Max-Pool", "Convolution", "Max-Pool", "Convolution"]
    stacks_bottom = max(b.y1 for b in shapes[:6])
    assert shapes[6].y1 - stacks_bottom > 1500  # the 1x4096 layer reaches far lower
    for op in ops[:5]:
        assert op.box.y1 <= stacks_bottom + 3 * size
    assert len({round(o.y, 6) for o in ops[:5]}) == 1  # one row
    assert ops[-1].box.y0 > shapes[-2].y1  # the dense step's label stays under its big layer


@pytest.mark.parametrize(("name", "tokens", "options"),
                         [(n, t, o) for n, _, t, o in LENET_CORPUS] + [(n, t, {}) for n, t in sorted(REAL.items())])
def test_real_networks_pass_the_quality_check(name: str, tokens: list[object], options: dict[str, object]) -> None:
    """No text on a foreign shape or on text, nothing clipped, no tiny window (VGG's 4 px
    windows were under the 0.25 % floor of a 1622 px figure), no dominant layer."""
    diagram = nnsvg.lenet(tokens, **options)
    assert [str(p) for p in quality.check(diagram.scene)] == []


# --- dense slabs at a printed size (issue 25) ---------------------------------------------------

@pytest.mark.parametrize(("layers", "options"), [
    (["3@224x224", "64@224x224", "64@112x112", "128@112x112", "128@56x56", "256@56x56", "256@28x28",
      "512@28x28", "512@14x14", "512@7x7", 4096, 4096, 1000], {"map_size": "log", "dense_size": "sqrt"}),
    (["1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", 120, 84, 10], {}),
    (["1@28x28", "32@26x26", 128, 10], {"theme": "paper"})])
@pytest.mark.parametrize("width", ["3.5in", "229.5pt", "2in"])
def test_dense_slabs_print_at_least_a_point_and_a_half_thick(layers: list[object], options: dict[str, object],
                                                             width: str) -> None:
    from nnsvg.quality import min_width
    from nnsvg.scene import Polygon

    diagram = nnsvg.draw("lenet", layers, width=width, **options)
    slabs = [p for p in diagram.scene.walk() if isinstance(p, Polygon) and p.cls == "dense"]
    assert len(slabs) == sum(isinstance(layer, int) for layer in layers)
    printed = [min_width(p.points) * diagram.scene.unit_scale() * 0.75 for p in slabs]
    assert min(printed) >= 1.4, printed


def test_dense_slabs_keep_nnsvg_thickness_without_a_printed_size() -> None:
    from nnsvg.scene import Polygon

    diagram = nnsvg.draw("lenet", ["1@32x32", "6@28x28", 120, 84, 10])
    slabs = [p for p in diagram.scene.walk() if isinstance(p, Polygon) and p.cls == "dense"]
    assert [round(p.points[1][0] - p.points[0][0], 6) for p in slabs] == [10.0, 10.0, 10.0]


# --- shorter labels: op_labels, captions, compact_forms (issue 25) ------------------------------

LENET_5 = ["1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", 120, 84, 10]


def _texts(diagram: nnsvg.Diagram, cls: str) -> list[str]:
    return [t.text for t in diagram.scene.walk() if isinstance(t, Text) and t.cls == cls]


@pytest.mark.parametrize(("mode", "expected"), [
    ("full", ["Convolution", "Max-Pool", "Convolution", "Max-Pool", "Dense", "Dense", "Dense"]),
    ("short", ["Conv", "Pool", "Conv", "Pool", "FC", "FC", "FC"]),
    ("off", [])])
def test_op_labels_full_short_or_off(mode: str, expected: list[str]) -> None:
    assert _texts(nnsvg.draw("lenet", LENET_5, op_labels=mode), "op") == expected


def test_short_op_labels_keep_the_ops_given() -> None:
    diagram = nnsvg.draw("lenet", LENET_5, op_labels="short", ops=["Conv 5x5", "", "Conv 5x5"])
    assert _texts(diagram, "op") == ["Conv 5x5", "Conv 5x5", "Pool", "FC", "FC", "FC"]
    assert _texts(nnsvg.draw("lenet", LENET_5, op_labels="off", ops=["Conv 5x5"]), "op") == []


def test_short_captions_square_the_side_and_drop_the_dense_one() -> None:
    diagram = nnsvg.draw("lenet", ["3@32x32", "8@30x28", 120, {"size": 10, "label": "out"}], captions="short")
    assert _texts(diagram, "caption") == ["3@32²", "8@30x28", "120", "out"]
    assert _texts(nnsvg.draw("lenet", LENET_5), "caption")[-1] == "1x10"


def test_compact_forms_shorten_the_labels_least_change_first() -> None:
    import dataclasses

    spec = nnsvg.draw("lenet", LENET_5).spec
    forms = spec.compact_forms()
    assert [dict(f.changes) for f in forms] == [{"op_labels": "short"}, {"captions": "short"}, {"op_labels": "off"},
                                                {"captions": "key"}]
    widths = []
    for form in ((), *[forms[:k + 1] for k in range(len(forms) - 1)]):
        changed = spec
        for f in form:
            changed = dataclasses.replace(changed, **f.changes)
        scene = nnsvg.Diagram(changed).scene
        widths.append(sum(t.box.width for t in scene.walk() if isinstance(t, Text)))
    assert widths == sorted(widths, reverse=True) and len(set(widths)) == 4
    assert nnsvg.draw("lenet", LENET_5, labels=False).spec.compact_forms() == ()
    given = nnsvg.draw("lenet", ["1@32x32", 10], ops=["x"], captions="short").spec.compact_forms()
    assert [dict(f.changes) for f in given] == [{"op_labels": "off"}, {"captions": "key"}]


def test_bad_op_labels_is_one_error_line(cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    out = tmp_path / "x.svg"
    code, _, err = cli("lenet", "1@32x32", "10", "--op-labels", "tiny", "-o", str(out))
    assert code == 2 and err.startswith("error:") and err.count("\n") == 1 and not out.exists()


def test_captions_in_a_key_number_the_layers_and_list_them_under_the_drawing() -> None:
    diagram = nnsvg.draw("lenet", LENET_5, captions="key", op_labels="off", width="3.5in")
    assert _texts(diagram, "caption") == [str(i) for i in range(1, 9)]
    key = [t for t in diagram.scene.walk() if isinstance(t, Text) and t.cls == "key"]
    assert [t.text for t in key] == ["1: 1@32²", "2: 6@28²", "3: 6@14²", "4: 16@10²", "5: 16@5²", "6: 120", "7: 84",
                                     "8: 10"]
    others = [t for t in diagram.scene.walk() if not (isinstance(t, Text) and t.cls == "key") and t.bbox() is not None]
    lowest = max(b.y1 for b in (t.bbox() for t in others) if b is not None)
    assert all(t.box.y0 > lowest for t in key)
    drawing = [b for b in (t.bbox() for t in others) if b is not None]
    assert all(t.box.x1 <= max(b.x1 for b in drawing) + 1e-6 for t in key)
    rows = sorted({round(t.y, 6) for t in key})
    assert 1 < len(rows) < len(key)
    assert not quality.check(diagram.scene)


def test_a_key_is_not_drawn_without_labels() -> None:
    diagram = nnsvg.draw("lenet", LENET_5, captions="key", labels=False)
    assert not [t for t in diagram.scene.walk() if isinstance(t, Text)]
