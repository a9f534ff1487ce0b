from __future__ import annotations

import json
from pathlib import Path

import pytest

import nnsvg
from nnsvg import spec as specs
from nnsvg.errors import SpecError
from nnsvg.spec.fcnn import FcnnLayer


def test_tokens_and_mappings() -> None:
    spec = specs.from_dict({"style": "fcnn", "layers": ["8", 12, {"size": "8", "label": "y", "fill": "#CFE8FF"}]})
    assert spec.layers == (FcnnLayer(8), FcnnLayer(12), FcnnLayer(8, "y", "#cfe8ff"))
    assert spec.seed == 0 and spec.theme == "nnsvg" and spec.max_nodes == 16


@pytest.mark.parametrize(("layers", "message"), [
    ([8, 0, 8], "layer 2: a layer needs at least 1 node, got 0"),
    ([8, -1], "layer 2: a layer needs at least 1 node, got -1"),
    ([8, "x"], "layer 2: expected a layer width .* got 'x'"),
    ([8, "²"], "layer 2: expected a layer width .* got '²'"),  # a digit to str.isdigit(), not to int()
    ([8, 2.5], "layer 2: expected a layer width .* got 2.5"),
    ([8, True], "layer 2: expected a layer width"),
    ([8, None], "layer 2: expected a layer width"),
    ([8], "at least 2 layers, got 1"),
    ([], "at least 2 layers, got 0"),
    ("8 12", "layers: expected a list"),
    ([8, {"size": 3, "colour": "red"}], "unknown layer key 'colour'"),
    ([8, {"label": "x"}], "needs 'size'"),
    ([8, {"size": 3, "fill": "reddish"}], "layer 2.fill: 'reddish' is not a colour"),
    ([8, {"size": 3, "gap": -2}], "layer 2.gap"),
    ([8, 10**10], "more than nnsvg draws"),
])
def test_bad_layers(layers: object, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        specs.from_dict({"style": "fcnn", "layers": layers})


@pytest.mark.parametrize(("options", "message"), [
    ({"direction": "sideways"}, "direction: expected one of right, left, up, down, got 'sideways'"),
    ({"arrowheads": "big"}, "arrowheads: expected one of none, empty, solid"),
    ({"bias": "maybe"}, "bias: expected true or false"),
    ({"node_diameter": 0}, "node_diameter: expected a value from 1 to 1000"),
    ({"node_diameter": "nan"}, "node_diameter: expected a finite number"),
    ({"layer_spacing": "inf"}, "layer_spacing: expected a finite number"),
    ({"seed": -1}, "seed: expected a value"),
    ({"seed": 1.5}, "seed: expected a whole number"),
    ({"max_nodes": "many"}, "max_nodes: expected a whole number"),
    ({"biass": True}, "unknown option 'biass' for style 'fcnn'; did you mean 'bias'"),
    ({"set": ["node.fill"]}, "set: expected a mapping"),
    ({"theme": 3}, "theme: expected text"),
])
def test_bad_options_name_the_option(options: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        specs.from_dict({"style": "fcnn", "layers": [2, 2], **options})


def test_style_is_required_and_checked() -> None:
    with pytest.raises(SpecError, match="needs 'style'"):
        specs.from_dict({"layers": [2, 2]})
    with pytest.raises(SpecError, match="unknown style 'fcn'; did you mean 'fcnn'"):
        specs.from_dict({"style": "fcn", "layers": [2, 2]})
    with pytest.raises(SpecError, match="needs 'layers'"):
        specs.from_dict({"style": "fcnn"})


@pytest.mark.parametrize("suffix", [".yaml", ".toml", ".json"])
def test_round_trip_through_every_format(tmp_path: Path, suffix: str) -> None:
    original = nnsvg.fcnn([4, {"size": 6, "label": "h ∈ ℝ⁶ \"q\"", "fill": "#cfe8ff", "gap": 5}, 2],
                          bias=True, direction="up", seed=3, node_gap=[20, 10, 20],
                          set={"edge.width": 1.2, "node.fill": "#ffcc00"}, edge_color="weight")
    path = tmp_path / f"fig{suffix}"
    original.save_spec(path)
    again = nnsvg.load(path)
    assert again.spec == original.spec
    assert again.svg() == original.svg()


def test_theme_path_is_relative_to_the_spec_file(tmp_path: Path) -> None:
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "mine.toml").write_text('[node]\nfill = "#abcdef"\n')
    (tmp_path / "specs").mkdir()
    spec_file = tmp_path / "specs" / "fig.yaml"
    spec_file.write_text("style: fcnn\nlayers: [2, 2]\ntheme: ../themes/mine.toml\n")
    diagram = nnsvg.load(spec_file)
    assert diagram.theme.node.fill == "#abcdef"
    saved = tmp_path / "copy.json"
    diagram.save_spec(saved)
    assert json.loads(saved.read_text())["theme"] == "themes/mine.toml"
    assert nnsvg.load(saved).svg() == diagram.svg()


@pytest.mark.parametrize(("name", "text", "message"), [
    ("a.yaml", "style: fcnn\nlayers: [2, 2\n", "not valid YAML"),
    ("a.yaml", "style: fcnn\nstyle: fcnn\nlayers: [2, 2]\n", "duplicate key 'style'"),
    ("a.json", '{"style": "fcnn", "layers": [2, 2], "seed": 1, "seed": 2}', "duplicate key 'seed'"),
    ("a.json", '{"style": "fcnn", "layers": [2, NaN]}', "NaN is not allowed"),
    ("a.json", "[8, 12, 8]", "expected a mapping"),
    ("a.yaml", "42\n", "expected a mapping"),
    ("a.toml", "style = 'fcnn'\nlayers = [2, 2\n", "not valid TOML"),
    ("a.yaml", "!!python/object/apply:os.system ['true']\n", "not valid YAML"),
    ("a.txt", "style: fcnn", "unknown extension '.txt'"),
    ("a.yaml", "style: fcnn\nlayers: [2, 0]\n", "a.yaml': layer 2: a layer needs at least 1 node"),
])
def test_bad_spec_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(SpecError, match=message):
        specs.load(path)


def test_missing_and_non_utf8_spec_files(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read spec file"):
        specs.load(tmp_path / "nope.yaml")
    bad = tmp_path / "latin.yaml"
    bad.write_bytes(b"style: fcnn\nlayers: [2, 2]\n# caf\xe9\n")
    with pytest.raises(SpecError, match="not UTF-8"):
        specs.load(bad)


def test_json_schema_covers_every_option() -> None:
    schema = specs.json_schema()
    fcnn = schema["oneOf"][0]
    assert fcnn["properties"]["style"] == {"const": "fcnn"}
    import dataclasses

    assert set(fcnn["properties"]) == {"style"} | {f.name for f in dataclasses.fields(specs.FcnnSpec) if f.init}
    assert {v["properties"]["style"]["const"] for v in schema["oneOf"]} == {"fcnn", "lenet", "alexnet", "rnn", "blocks"}
    assert fcnn["properties"]["direction"]["enum"] == ["right", "left", "up", "down"]


def test_api_errors_are_nnsvg_errors() -> None:
    for call in (lambda: nnsvg.fcnn([0, 2]), lambda: nnsvg.fcnn([2, 2], theme="nope"),
                 lambda: nnsvg.fcnn([2, 2], set={"node.fil": "#fff"}),
                 lambda: nnsvg.render({"style": "lenetx", "layers": [1, 2]}),
                 lambda: nnsvg.render([8, 12])):
        with pytest.raises(nnsvg.NnsvgError):
            call()
    assert issubclass(nnsvg.NnsvgError, ValueError)


def test_diagram_displays_itself_in_jupyter() -> None:
    diagram = nnsvg.fcnn([3, 4, 2])
    assert diagram._repr_svg_() == diagram.svg()
    assert diagram._repr_svg_().lstrip().startswith("<?xml")
    assert "fcnn 3 4 2" in repr(diagram)
