"""Property tests: any generated input renders a well-formed SVG whose viewBox holds every drawn
element, or raises nnsvg's own error; never another exception."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnsvg
from nnsvg import spec as specs

from .conftest import edge_count, find, parse, viewbox

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
