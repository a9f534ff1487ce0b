"""Property tests: any generated input renders a well-formed SVG whose viewBox holds every drawn
element, or raises nnsvg's own error; never another exception."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnsvg
from nnsvg import spec as specs

from .conftest import assert_clear, edge_count, find, parse, viewbox

token = st.one_of(st.integers(-3, 40), st.text(max_size=4), st.floats(allow_nan=True), st.none(),
                  st.booleans(), st.integers(41, 3000).map(str))
options = st.fixed_dictionaries({}, optional={
    "bias": st.booleans(),
    "direction": st.sampled_from(["right", "left", "up", "down", "sideways"]),
    "arrowheads": st.sampled_from(["none", "empty", "solid"]),
    "bezier": st.booleans(),
    "edge_color": st.sampled_from(["fixed", "weight"]),
    "edge_width": st.sampled_from(["fixed", "weight"]),
    "edge_opacity": st.sampled_from(["fixed", "weight"]),
    "max_nodes": st.integers(-1, 20),
    "node_diameter": st.floats(-5, 60),
    "layer_spacing": st.floats(-5, 300),
    "node_gap": st.one_of(st.floats(0, 40), st.lists(st.floats(0, 40), min_size=1, max_size=5)),
    "labels": st.booleans(),
    "seed": st.integers(0, 2**32),
    "theme": st.sampled_from(["nnsvg", "paper", "dark", "colorblind", "nope"]),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers=st.lists(token, min_size=0, max_size=5), extra=options)
def test_fcnn_renders_or_raises_own_error(layers: list[Any], extra: dict[str, Any]) -> None:
    try:
        diagram = nnsvg.fcnn(layers, **extra)
        svg = diagram.svg()
    except nnsvg.NnsvgError as exc:
        assert "\n" not in str(exc)
        return
    root = parse(svg)
    x, y, w, h = viewbox(root)
    page = diagram.scene.page()
    assert (x, y, w, h) == (page.x0, page.y0, page.width, page.height)
    for prim in diagram.scene.walk():
        assert page.contains(prim.bbox())
    assert len(find(root, "g")) >= len(diagram.spec.layers)
    assert edge_count(root) > 0


@settings(max_examples=100, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["style", "layers", "seed", "bias", "set", "theme", "x"]),
                            st.one_of(st.text(max_size=5), st.integers(), st.lists(st.integers(0, 9)),
                                      st.dictionaries(st.text(max_size=8), st.text(max_size=8)), st.none())))
def test_spec_mappings_validate_or_raise_own_error(data: dict[str, Any]) -> None:
    try:
        spec = specs.from_dict(data)
    except nnsvg.NnsvgError:
        return
    assert spec.style == "fcnn" and len(spec.layers) >= 2


side = st.one_of(st.integers(-2, 300).map(str), st.sampled_from(["", "x", "²", "1e3", "-0", "7.5"]))
lenet_token = st.one_of(
    st.builds(lambda n, h, w: f"{n}@{h}x{w}", side, side, side),
    st.builds(lambda n, h, w, f, g: f"{n}@{h}x{w}:{f}x{g}", side, side, side, side, side),
    st.integers(-2, 3000), st.text(max_size=6))
lenet_options = st.fixed_dictionaries({}, optional={
    "gaps": st.one_of(st.floats(-100, 100), st.lists(st.floats(-100, 100), min_size=1, max_size=6)),
    "ops": st.one_of(st.text(max_size=20), st.lists(st.text(max_size=8), max_size=7)),
    "max_maps": st.integers(-1, 30),
    "map_size": st.sampled_from(["linear", "log", "cubic"]),
    "dense_size": st.sampled_from(["linear", "sqrt"]),
    "map_offset": st.floats(-1, 20),
    "filters": st.sampled_from(["infer", "given", "none"]),
    "filter_position": st.sampled_from(["seeded", "center"]),
    "seed": st.integers(0, 100),
    "theme": st.sampled_from(["nnsvg", "paper", "dark", "colorblind"]),
})


def _check(diagram: nnsvg.Diagram) -> None:
    root = parse(diagram.svg())
    page = diagram.scene.page()
    assert viewbox(root) == (page.x0, page.y0, page.width, page.height)
    for prim in diagram.scene.walk():
        assert page.contains(prim.bbox())
    ids = [g.get("id") for g in find(root, "g") if (g.get("id") or "").startswith("layer-")]
    assert ids == [f"layer-{i}" for i in range(len(diagram.spec.layers))] or diagram.spec.style == "alexnet"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers=st.lists(lenet_token, min_size=0, max_size=6), extra=lenet_options)
def test_lenet_renders_or_raises_own_error(layers: list[Any], extra: dict[str, Any]) -> None:
    try:
        diagram = nnsvg.lenet(layers, **extra)
        diagram.svg()
    except nnsvg.NnsvgError as exc:
        assert "\n" not in str(exc)
        return
    _check(diagram)


alex_token = st.one_of(
    st.builds(lambda h, w, d: f"{h}x{w}x{d}", side, side, side),
    st.builds(lambda h, w, d, f, g: f"{h}x{w}x{d}:{f}x{g}", side, side, side, side, side),
    st.integers(-2, 5000), st.text(max_size=6))
alex_options = st.fixed_dictionaries({}, optional={
    "view": st.lists(st.floats(-10, 100), min_size=1, max_size=3),
    "dims": st.booleans(),
    "filter_dims": st.booleans(),
    "spacing": st.floats(-5, 100),
    "depth_size": st.sampled_from(["log", "linear"]),
    "side_size": st.sampled_from(["log", "linear"]),
    "filter_size": st.sampled_from(["log", "linear"]),
    "font_scale": st.floats(0, 4),
    "seed": st.integers(0, 100),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers=st.lists(alex_token, min_size=0, max_size=6), extra=alex_options)
def test_alexnet_renders_or_raises_own_error(layers: list[Any], extra: dict[str, Any]) -> None:
    try:
        diagram = nnsvg.alexnet(layers, **extra)
        diagram.svg()
    except nnsvg.NnsvgError as exc:
        assert "\n" not in str(exc)
        return
    _check(diagram)
    assert_clear(diagram)  # dimension labels never overlap


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40))
def test_any_text_as_a_spec_file_loads_or_raises_own_error(text: str) -> None:
    import tempfile
    from pathlib import Path

    for suffix in (".yaml", ".json", ".toml"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"fig{suffix}"
            path.write_text(text, encoding="utf-8")
            try:
                specs.load(path)
            except nnsvg.NnsvgError:
                pass


rnn_options = st.fixed_dictionaries({}, optional={
    "unroll": st.integers(-1, 8),
    "cell": st.sampled_from(["rnn", "lstm", "gru", "cnn"]),
    "form": st.sampled_from(["auto", "nodes", "blocks"]),
    "outputs": st.sampled_from(["all", "last"]),
    "delay": st.booleans(),
    "labels": st.booleans(),
    "theme": st.sampled_from(["nnsvg", "paper", "dark", "colorblind"]),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers=st.lists(st.one_of(st.integers(-1, 12), st.text(max_size=3)), min_size=0, max_size=6),
       extra=rnn_options)
def test_rnn_renders_or_raises_own_error(layers: list[Any], extra: dict[str, Any]) -> None:
    try:
        diagram = nnsvg.rnn(layers, **extra)
        diagram.svg()
    except nnsvg.NnsvgError as exc:
        assert "\n" not in str(exc)
        return
    _check(diagram)
    assert_clear(diagram)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layers=st.lists(st.integers(1, 7), min_size=2, max_size=5),
       activations=st.lists(st.sampled_from(["relu", "tanh", "softmax", "", "gelu"]), max_size=5),
       dropout=st.floats(0, 0.9), weights=st.booleans(), formulas=st.booleans(), bias=st.booleans(),
       direction=st.sampled_from(["right", "up"]))
def test_fcnn_anatomy_renders_or_raises_own_error(layers: list[int], activations: list[str], dropout: float,
                                                  weights: bool, formulas: bool, bias: bool,
                                                  direction: str) -> None:
    try:
        diagram = nnsvg.fcnn(layers, activations=activations, dropout=dropout, show_weights=weights,
                             formulas=formulas, bias=bias, direction=direction)
        diagram.svg()
    except nnsvg.NnsvgError:
        return
    _check(diagram)
    assert_clear(diagram)
