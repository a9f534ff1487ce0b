"""The LeNet renderer, checked on the SVG and scene it produces."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import nnsvg
from nnsvg.renderers.lenet import drawn_slots
from nnsvg.scene import Rect, Text
from nnsvg.spec import lenet as lenet_spec

from .conftest import NS, assert_clear, find, layer_group, numbers, parse

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
    assert lenet_spec.infer_window(lenet_spec.MapLayer(1, 8, 8), lenet_spec.MapLayer(1, 16, 16)) == (None, "")


def test_window_sizes_and_lines() -> None:
    diagram = nnsvg.lenet(["1@32x32", "6@28x28", "6@14x14", 10])
    root = parse(diagram.svg())
    windows = of_class(root, "rect", "window")
    assert [(float(w.get("width")), float(w.get("height"))) for w in windows] == [(5, 5), (2, 2)]
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
    assert xs[1] - xs[0] == pytest.approx(3)  # 60 % of 5: the stack stays connected


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
    assert length() == pytest.approx(400)
    assert length(dense_scale=50) == pytest.approx(200)
    assert length(dense_size="sqrt") == pytest.approx(200)  # sqrt(400) x 100 / 10


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
    (["1@8x8", "4", "--map-size", "cubic"], "--map-size: expected one of linear, log, got 'cubic'"),
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
