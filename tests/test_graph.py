"""The graph model (nnsvg.graph) and how specs say it: a layer's name and inputs, connections,
blocks; their validation messages, their round trip through spec files and the CLI, the JSON
Schema, and the note of a style that does not draw them yet."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import nnsvg
from nnsvg import spec as specs
from nnsvg.graph import CONNECTION_KINDS, Connection, Graph, Group, Node
from nnsvg.spec.wiring import Block, Link

Cli = Callable[..., tuple[int, str, str]]

LENET = ["1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", 120, 10]


def skips(**options: Any) -> dict[str, Any]:
    """A LeNet spec with named layers, a skip by name and one by index, and a nested block."""
    layers: list[Any] = list(LENET)
    layers[1] = {"size": "6@28x28", "name": "c1"}
    layers[3] = {"size": "16@10x10", "name": "c3", "label": "C3"}
    return {"style": "lenet", "layers": layers,
            "connections": [{"from": "c1", "to": "c3", "kind": "add", "label": "skip"}, "0:4:concat"],
            "blocks": [{"from": 1, "to": 4, "label": "Features", "repeat": 3}, "c1:2:Stage"], **options}


# --- the model ------------------------------------------------------------------------------

def test_chain() -> None:
    g = Graph.chain(4)
    assert [n.index for n in g.nodes] == [0, 1, 2, 3]
    assert g.connections == (Connection(0, 1), Connection(1, 2), Connection(2, 3))
    assert g.is_chain() and g.extra_connections() == ()
    assert g.inputs_of(0) == () and g.inputs_of(2) == (Connection(1, 2),)
    assert g.outputs_of(3) == () and g.outputs_of(1) == (Connection(1, 2),)
    assert g.topological_order() == (0, 1, 2, 3)
    assert g.validate() is g
    assert CONNECTION_KINDS == ("data", "add", "concat", "multiply", "recurrent")


def test_extra_connections_and_helpers() -> None:
    skip, back = Connection(0, 2, "add"), Connection(3, 1, "recurrent")
    g = Graph(Graph.chain(4).nodes, (*Graph.chain(4).connections, skip, back), (Group(1, 2, "B", 2),))
    assert not g.is_chain()
    assert g.extra_connections() == (skip, back)
    assert g.inputs_of(2) == (Connection(1, 2), skip) and g.outputs_of(0) == (Connection(0, 1), skip)
    assert g.topological_order() == (0, 1, 2, 3)  # the recurrent edge does not order
    assert g.validate() is g


def test_topological_order_is_deterministic_lowest_ready_first() -> None:
    # two branches from 0 (1→3 and 2→4), merged at 5; declared in a scrambled order
    edges = (Connection(2, 4), Connection(0, 2), Connection(3, 5), Connection(0, 1), Connection(4, 5),
             Connection(1, 3))
    g = Graph(tuple(Node(i) for i in range(6)), edges)
    assert g.topological_order() == (0, 1, 2, 3, 4, 5)
    reordered = Graph(g.nodes, tuple(reversed(edges)))
    assert reordered.topological_order() == g.topological_order()
    # a node whose input comes later in the index order waits for it
    late = Graph(tuple(Node(i) for i in range(3)), (Connection(2, 1), Connection(0, 2)))
    assert late.topological_order() == (0, 2, 1)


@pytest.mark.parametrize(("graph", "message"), [
    (Graph((Node(0), Node(2))), "node 1 has index 2"),
    (Graph((Node(0, "a"), Node(1, "a"))), "two layers are named 'a'"),
    (Graph(Graph.chain(2).nodes, (Connection(0, 5),)), r"layer 5 does not exist \(layers are 0 to 1\)"),
    (Graph(Graph.chain(2).nodes, (Connection(0, 1, "skip"),)), "unknown kind 'skip' .one of data, add"),
    (Graph(Graph.chain(2).nodes, (Connection(1, 1, "recurrent"),)), "cannot connect to itself"),
    (Graph(Graph.chain(2).nodes, (Connection(0, 1), Connection(0, 1))), r"0 → 1 \(data\) is given twice"),
    (Graph(Graph.chain(3).nodes, (Connection(0, 1), Connection(1, 2), Connection(2, 1))),
     "cycle through layer 1; only 'recurrent'"),
    (Graph(Graph.chain(3).nodes, (), (Group(2, 1),)), "group 2..1: expected layers first ≤ last within 0 to 2"),
    (Graph(Graph.chain(3).nodes, (), (Group(0, 1, repeat=0),)), "repeat is at least 1, got 0"),
    (Graph(Graph.chain(4).nodes, (), (Group(0, 2), Group(1, 3))), "groups 0..2 and 1..3 partly overlap"),
    (Graph(Graph.chain(4).nodes, (), (Group(0, 2), Group(0, 2))), "group 0..2 is given twice"),
])
def test_graph_validation(graph: Graph, message: str) -> None:
    with pytest.raises(nnsvg.SpecError, match=message):
        graph.validate()


def test_nested_groups_are_valid() -> None:
    g = Graph(Graph.chain(6).nodes, Graph.chain(6).connections, (Group(0, 5, "all", 2), Group(1, 2), Group(3, 3)))
    assert g.validate() is g


# --- specs -------------------------------------------------------------------------------

def test_spec_graph() -> None:
    spec = specs.from_dict(skips())
    g = spec.graph()
    assert g is spec.graph()  # built once, with the spec
    assert len(g) == 7 and g.nodes[1].name == "c1" and g.nodes[3].label == "C3"
    assert g.nodes[1].shape == (6, 28, 28) and g.nodes[6].shape == (10,)
    assert g.nodes[3].attrs["data"] == {"size": "16@10x10", "label": "C3", "name": "c3"}
    assert g.chain_connections() == tuple(Connection(i, i + 1) for i in range(6))
    assert g.extra_connections() == (Connection(1, 3, "add", "skip"), Connection(0, 4, "concat"))
    assert g.groups == (Group(1, 4, "Features", 3), Group(1, 2, "Stage"))
    assert spec.connections == (Link("c1", "c3", "add", "skip"), Link(0, 4, "concat"))
    assert spec.blocks == (Block(1, 4, "Features", 3), Block("c1", 2, "Stage"))
    # every style has it
    volumes = specs.from_dict({"style": "alexnet", "layers": ["8x8x3", "4x4x8", 10], "connections": ["0:2:add"]})
    assert volumes.graph().extra_connections() == (Connection(0, 2, "add"),)
    assert volumes.graph().nodes[0].shape == (8, 8, 3)
    assert specs.from_dict({"style": "fcnn", "layers": [2, 3]}).graph() == Graph(
        (Node(0, shape=(2,), attrs={"data": 2}), Node(1, shape=(3,), attrs={"data": 3})), (Connection(0, 1),))


def test_inputs_of_the_previous_layer_is_a_chain() -> None:
    spec = specs.from_dict({"style": "fcnn", "layers": [{"size": 2, "name": "x"}, {"size": 3, "inputs": ["x"]}, 4]})
    assert spec.graph().is_chain()
    assert spec.layers[1].inputs == ("x",)


@pytest.mark.parametrize(("change", "message"), [
    ({"connections": ["0:9"]}, r"connections\[0\].to: layer 9 does not exist \(layers are 0 to 6, 0-based\)"),
    ({"connections": [{"from": "c11", "to": 5}]},
     r"connections\[0\].from: no layer is named 'c11'; did you mean 'c1'\? \(named layers: c1, c3\)"),
    ({"connections": "0:2"}, r"connections: expected a list of entries such as 2:6:add, got '0:2'"),
    ({"blocks": {"from": 0, "to": 2}}, r"blocks: expected a list of entries such as 2:5:Residual block:x3"),
    ({"connections": ["2:1:add"]}, r"connections\[0\]: from layer 2 to layer 1 goes backwards; only kind 'recurrent'"),
    ({"connections": ["c3:c3:recurrent"]}, r"connections\[0\]: from and to are both layer 3"),
    ({"connections": ["0:3:skip"]}, r"connections\[0\].kind: unknown kind 'skip'; expected one of data, add, "
                                    "concat, multiply, recurrent"),
    ({"connections": ["0:3:add", {"from": 0, "to": "c3", "kind": "add"}]},
     r"connections\[1\]: layer 0 → 3 \(add\) is already connected"),
    ({"connections": ["0:1"]}, r"connections\[0\]: layer 0 → 1 \(data\) is already connected"),
    ({"connections": [{"from": 0}]}, r"connections\[0\]: needs 'to'"),
    ({"connections": [{"from": 0, "to": 2, "knd": "add"}]},
     r"connections\[0\]: unknown key 'knd'; did you mean 'kind'"),
    ({"connections": ["2"]}, r"connections\[0\]: expected FROM:TO\[:KIND\[:LABEL\]\]"),
    ({"connections": [{"from": -1, "to": 2}]}, r"connections\[0\].from: a layer index is 0 or more, got -1"),
    ({"connections": [{"from": "2 3", "to": 4}]}, r"connections\[0\].from: expected a layer index .* got '2 3'"),
    ({"blocks": ["0:99"]}, r"blocks\[0\].to: layer 99 does not exist"),
    ({"blocks": ["3:1"]}, r"blocks\[0\]: from layer 3 is after to layer 1"),
    ({"blocks": ["0:3", "2:5"]}, r"blocks\[1\]: layers 2 to 5 partly overlap blocks\[0\] \(layers 0 to 3\)"),
    ({"blocks": ["0:3", "0:c3:again"]}, r"blocks\[1\]: layers 0 to 3 are already blocks\[0\]"),
    ({"blocks": [{"from": 0, "to": 2, "repeat": 0}]}, r"blocks\[0\].repeat: expected a whole number from 1 to 10,000"),
    ({"blocks": ["0:2:x0"]}, r"blocks\[0\].repeat: expected a whole number from 1"),
    ({"blocks": [{"from": 0, "to": 2, "times": 2}]}, r"blocks\[0\]: unknown key 'times'"),
])
def test_wiring_errors_name_the_entry_and_what_is_valid(change: dict[str, Any], message: str) -> None:
    data = {**skips(), "connections": [], "blocks": [], **change}
    with pytest.raises(nnsvg.SpecError, match=message):
        specs.from_dict(data)


@pytest.mark.parametrize(("layers", "message"), [
    ([{"size": 2, "name": "a"}, {"size": 2, "name": "a"}], r"layers\[1\]: the name 'a' is already layer 0's"),
    ([{"size": 2, "name": "1a"}, 2], r"layer 1.name: a layer name is a word .* got '1a'"),
    ([{"size": 2, "name": "in put"}, 2], r"layer 1.name: a layer name is a word"),
    ([2, {"size": 2, "inputs": []}], r"layer 2.inputs: expected at least one layer"),
    ([2, {"size": 2, "inputs": ["x"]}], r"layers\[1\].inputs\[0\]: no layer is named 'x' \(no layer has a name"),
    ([2, {"size": 2, "inputs": [5]}], r"layers\[1\].inputs\[0\]: layer 5 does not exist"),
    ([{"size": 2, "inputs": [1]}, 2], r"layers\[0\].inputs\[0\]: layer 1 is not before layer 0"),
    ([2, 3, {"size": 2, "inputs": [0]}], r"layers\[2\].inputs: the fcnn style draws a chain.*blocks style"),
    ([2, 3, {"size": 2, "inputs": [0, 1]}], r"layers\[2\].inputs: the fcnn style draws a chain"),
    ([{"size": 2, "name": "a"}, {"size": 2, "inputs": ["a", 0]}],
     r"layers\[1\].inputs\[1\]: layer 0 is already input 0"),
])
def test_layer_name_and_inputs_errors(layers: list[Any], message: str) -> None:
    with pytest.raises(nnsvg.SpecError, match=message):
        nnsvg.fcnn(layers)


@pytest.mark.parametrize("suffix", [".yaml", ".toml", ".json"])
def test_round_trip_through_spec_files(tmp_path: Path, suffix: str) -> None:
    spec = specs.from_dict(skips())
    path = tmp_path / f"spec{suffix}"
    path.write_text(specs.dump(spec, path), "utf-8")
    again = specs.load(path)
    assert again == spec and again.graph() == spec.graph()
    data = specs.to_dict(again)
    assert data["connections"] == [{"from": "c1", "to": "c3", "kind": "add", "label": "skip"},
                                   {"from": 0, "to": 4, "kind": "concat"}]
    assert data["blocks"] == [{"from": 1, "to": 4, "label": "Features", "repeat": 3},
                              {"from": "c1", "to": 2, "label": "Stage"}]
    assert data["layers"][3] == {"size": "16@10x10", "label": "C3", "name": "c3"}
    fcnn = specs.from_dict({"style": "fcnn", "layers": [{"size": 2, "name": "x"}, {"size": 3, "inputs": ["x"]}]})
    assert specs.to_dict(fcnn)["layers"] == [{"size": 2, "name": "x"}, {"size": 3, "inputs": ["x"]}]


def test_a_chain_writes_no_connections_or_blocks() -> None:
    data = specs.to_dict(specs.from_dict({"style": "fcnn", "layers": [2, 3]}))
    assert "connections" not in data and "blocks" not in data


def test_cli_flags_reach_the_spec_and_round_trip(cli: Cli, tmp_path: Path) -> None:
    saved = tmp_path / "s.json"
    code, _, err = cli("lenet", "1@32x32", "6@28x28", "6@14x14", "120", "10", "--connect", "0:2:add",
                       "--connections", "1:3:concat:cat", "--block", "1:2:Res: block:x3", "--blocks", "3:4",
                       "-o", tmp_path / "a.svg", "--save-spec", saved)
    assert code == 0, err
    data = json.loads(saved.read_text("utf-8"))
    assert data["connections"] == [{"from": 0, "to": 2, "kind": "add"},
                                   {"from": 1, "to": 3, "kind": "concat", "label": "cat"}]
    assert data["blocks"] == [{"from": 1, "to": 2, "label": "Res: block", "repeat": 3}, {"from": 3, "to": 4}]
    code, _, err = cli("render", saved, "-o", tmp_path / "b.svg")
    assert code == 0, err
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    code, _, err = cli("lenet", "1@32x32", "6@28x28", "120", "--connect", "0:7", "-o", tmp_path / "c.svg")
    assert code == 2 and err.strip() == "error: connections[0].to: layer 7 does not exist (layers are 0 to 2, 0-based)"
    assert not (tmp_path / "c.svg").exists()


@pytest.mark.parametrize("style", ["fcnn", "lenet", "alexnet", "rnn"])
def test_styles_that_do_not_draw_them_say_so(style: str) -> None:
    layers = {"fcnn": [2, 3, 4, 2], "lenet": ["1@8x8", "2@4x4", 10, 3], "alexnet": ["8x8x3", "4x4x8", 10, 3],
              "rnn": [2, 3, 4, 2]}[style]
    plain = nnsvg.draw(style, layers)
    wired = nnsvg.draw(style, layers, connections=["0:2:add", "1:3"], blocks=["1:2:B:x2"])
    cls = type(wired.spec)
    expected = []
    if "connections" not in cls.draws:
        expected.append(f"the {style} style draws only its chain and its own recurrent loops; extra connections "
                        "are not drawn: 0→2 (add), 1→3 (data)")
    else:  # drawn: the two spans interleave, so on one side of the row their arcs must cross
        expected.append("connections 0→2 and 1→3 interleave, so their arcs cross")
    if "blocks" not in cls.draws:
        expected.append(f"the {style} style does not frame blocks; not drawn: 1..2")
    assert [n for n in wired.notes if n not in plain.notes] == expected
    if len(expected) == 2:  # nothing of it drawn: the same figure as the chain
        assert wired.svg() == plain.svg()


def test_diagram_keeps_its_spec_and_graph() -> None:
    diagram = nnsvg.render(skips())
    assert diagram.spec.graph().extra_connections()[0] == Connection(1, 3, "add", "skip")


# --- the JSON Schema ------------------------------------------------------------------------

GOOD = [skips(), skips(connections=["0:2", "c1:4:multiply:gate", {"from": 4, "to": 1, "kind": "recurrent"}],
                       blocks=["0:2:x4", {"from": "c3", "to": 5}]),
        {"style": "fcnn", "layers": [{"size": 2, "name": "x"}, {"size": 3, "inputs": ["x"]}]}]
BAD = [skips(connections=[{"from": 0}]), skips(connections=[{"from": 0, "to": 1, "kind": "skip"}]),
       skips(connections="0:2"), skips(connections=["0:2:skip"]), skips(blocks=[{"from": 0, "to": 1, "repeat": 0}]),
       skips(blocks=[{"from": 0, "to": 1, "times": 2}]), skips(connections=[{"from": -1, "to": 1}]),
       {"style": "fcnn", "layers": [{"size": 2, "name": "1x"}, 3]},
       {"style": "fcnn", "layers": [2, {"size": 3, "inputs": []}]}]


@pytest.mark.parametrize("data", GOOD)
def test_schema_accepts_good_specs(data: dict[str, Any]) -> None:
    jsonschema.validate(data, specs.json_schema())
    specs.from_dict(data)  # and so does the spec


@pytest.mark.parametrize("data", BAD)
def test_schema_rejects_bad_specs(data: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, specs.json_schema())
    with pytest.raises(nnsvg.SpecError):
        specs.from_dict(data)
