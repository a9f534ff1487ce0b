"""The graph model (nnsvg.graph) and how specs say it: a layer's name and inputs, connections,
blocks; their validation messages, their round trip through spec files and the CLI, the JSON
Schema, and the note of a style that does not draw them yet."""

from __future__ import annotations

import json
import re
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
        (Node(0, shape=(2,)), Node(1, shape=(3,))), (Connection(0, 1),))


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
def test_styles_that_do_not_draw_them_yet_say_so(style: str) -> None:
    layers = {"fcnn": [2, 3, 4, 2], "lenet": ["1@8x8", "2@4x4", 10, 3], "alexnet": ["8x8x3", "4x4x8", 10, 3],
              "rnn": [2, 3, 4, 2]}[style]
    plain = nnsvg.draw(style, layers)
    wired = nnsvg.draw(style, layers, connections=["0:2:add", "1:3"], blocks=["1:2:B:x2"])
    cls = type(wired.spec)
    expected = []
    if "connections" not in cls.draws:
        expected.append(f"the {style} style does not draw extra connections yet; not drawn: 0→2 (add), 1→3 (data)")
    if "blocks" not in cls.draws:
        expected.append(f"the {style} style does not draw blocks yet; not drawn: 1..2")
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


# --- GraphViz DOT ---------------------------------------------------------------------------

def dot_round_trip(spec: Any, tmp_path: Path) -> Any:
    """The spec written as DOT (by the format table's backend, as ``-o net.dot`` does) and read
    back as a spec file."""
    path = tmp_path / "net.dot"
    nnsvg.render(spec).save(path)
    return specs.load(path)


def test_dot_round_trip_of_a_chain(tmp_path: Path) -> None:
    spec = specs.from_dict({"style": "fcnn", "layers": [3, {"size": 4, "label": "Hidden \"h\" \\ ∈ ℝ⁴"}, 2],
                            "direction": "down", "bias": True, "set": {"edge.width": 0.5}, "node_gap": [10, 12, 14],
                            "width": "column", "height": "9cm"})
    text = nnsvg.render(spec).to_bytes("dot").decode()
    assert 'graph [style="fcnn", rankdir="TB", set="{\\"edge.width\\": 0.5}", width="column", height="9cm", ' \
           'node_gap="[10.0, 12.0, 14.0]", direction="down", bias="true"];' in text
    assert 'L1 [label="Hidden \\"h\\" \\\\ ∈ ℝ⁴", size="4"];' in text
    assert text.count("->") == 2 and "kind" not in text and "cluster" not in text
    again = dot_round_trip(spec, tmp_path)
    assert again == spec and again.graph() == spec.graph() and again.graph().is_chain()


def test_dot_round_trip_of_skips_and_blocks(tmp_path: Path) -> None:
    spec = specs.from_dict(skips(connections=[{"from": "c1", "to": "c3", "kind": "add", "label": "skip"},
                                              {"from": 0, "to": 4, "kind": "concat"}],
                                 blocks=[{"from": "c1", "to": 4, "label": "Features", "repeat": 3},
                                         {"from": 5, "to": 6}, {"from": "c1", "to": 2, "label": "Stage"}],
                                 theme="paper"))
    text = nnsvg.render(spec).to_bytes("dot").decode()
    assert 'L1 -> L3 [kind="add", label="skip"];' in text and 'L0 -> L4 [kind="concat"];' in text
    # blocks[2] (layers 1-2) is inside blocks[0] (layers 1-4)
    outer = text.index('subgraph cluster_0 { label="Features"; repeat="3"; L1; L2; L3; L4;')
    inner = text.index('subgraph cluster_2 { label="Stage"; L1; L2;')
    assert outer < inner < text.index("subgraph cluster_1 { L5; L6;")
    again = dot_round_trip(spec, tmp_path)
    assert again == spec and again.graph() == spec.graph()


def test_dot_round_trip_of_a_branchy_graph() -> None:
    """Branches: layers with several inputs (a style that draws them takes them; the chain
    styles refuse them, so a subclass that allows them stands in here)."""
    from nnsvg import dot
    from nnsvg.spec.fcnn import FcnnSpec
    from nnsvg.spec.fields import build

    class Branchy(FcnnSpec):
        branches = True

    data = {"style": "fcnn", "layers": [
        {"size": 4, "name": "x"}, {"size": 3, "name": "a"}, {"size": 3, "inputs": ["x"], "name": "b"},
        {"size": 5, "inputs": ["b", "a"]}, {"size": 2, "inputs": ["x", 3]}],
        "connections": [{"from": "a", "to": 4, "kind": "multiply"}], "blocks": [{"from": "a", "to": "b"}]}
    spec = build(Branchy, data)
    text = dot.write(spec)
    assert [line.strip() for line in text.splitlines() if "->" in line] == [
        "L0 -> L1;", "L0 -> L2;", "L2 -> L3;", "L1 -> L3;", "L0 -> L4;", "L3 -> L4;", 'L1 -> L4 [kind="multiply"];']
    back = dot.read(text)
    assert back["layers"][3] == {"size": 5, "inputs": ["b", "a"]}
    assert back["layers"][1] == {"size": 3, "name": "a"}  # fed by x, the layer before it: the chain
    assert back["layers"][2] == {"size": 3, "name": "b", "inputs": ["x"]}
    assert back["layers"][4] == {"size": 2, "inputs": ["x", 3]}
    again = build(Branchy, back)
    assert again.graph() == spec.graph()
    assert [len(again.graph().inputs_of(i)) for i in range(5)] == [0, 1, 1, 2, 3]
    with pytest.raises(nnsvg.SpecError, match=r"layers\[2\].inputs: the fcnn style draws a chain"):
        specs.from_dict(back)


def test_dot_written_by_hand() -> None:
    """GraphViz's own forms: comments, defaults, edge chains, joined strings, any node ids."""
    from nnsvg import dot

    data = dot.read('''
        /* a LeNet */ strict digraph "LeNet 5" {
          style = lenet; rankdir=LR  # the style as a plain attribute
          node [shape=box, color="gray"]
          input [size="1@32x32", label="In" + "put"];
          c1 [size="6@28x28:5x5"]; s2 [size="6@14x14"]; f [size=10]
          input -> c1 -> s2 -> f;
          s2 -> f [kind=add]  // a skip
          subgraph cluster_x { label = "Conv"; c1; s2 }
        }''')
    assert data == {"style": "lenet", "layers": [{"size": "1@32x32", "label": "Input"}, "6@28x28:5x5", "6@14x14", 10],
                    "connections": [{"from": 2, "to": 3, "kind": "add"}],
                    "blocks": [{"from": 1, "to": 2, "label": "Conv"}]}
    assert specs.from_dict(data).graph().groups == (Group(1, 2, "Conv"),)


@pytest.mark.parametrize(("text", "message"), [
    ("digraph { style=lenet; a [size=1]; b [size=2]; a -> b;", r"line 1: expected '}', got the end of the file"),
    ("graph g { a -- b }", "an undirected graph; nnsvg reads a digraph"),
    ("digraph { a [size=1]; b [size=2]; a -> b }", r"names no nnsvg style: add graph \[style=\"lenet\"\]"),
    ("digraph { style=lenett; a [size=1]; b [size=2]; a -> b }", "unknown style 'lenett'; did you mean 'lenet'"),
    ("digraph { style=fcnn; a [size=1]; b; a -> b }", r"node 'b' has no size"),
    ("digraph { style=fcnn; a [size=1]; b [size=2]; }", r"node 'b' has no input edge"),
    ("digraph { style=fcnn; a [label=<b>x</b>] }", "line 1: HTML-like labels"),
    ("digraph { style=fcnn;\n a [size=1]; b [size=2]; a:p -> b }", r"line 2: expected no port"),
    ("digraph { style=fcnn; a [size=1 b [size=2] }", r"line 1: expected '=', got '\['"),
    ("digraph { style=fcnn; a [size=1]; b [size=2]; a -> b; a -> { b } }", "an edge to a subgraph is not read"),
    ("digraph { style=fcnn; a [size=1]; b [size=2]; c [size=3]; a -> b -> c; "
     "subgraph cluster_0 { a; c } }", r"subgraph 'cluster_0': a block is consecutive layers; it holds a, c"),
    ("digraph { style=fcnn; a [size=1]; b [size=2]; a -> b; a -> b [kind=skip] }",
     r"connections\[0\].kind: unknown kind"),
    ("digraph { style=fcnn; a [size=1]; b [size=2]; a -> b [weight=2, flow=3] }",
     r"edge a -> b: unknown attribute 'flow' \(nnsvg reads kind and label\)"),
    ("digraph { style=fcnn; a [size=1]; b [size=2]; a -> b [label=x] }", "edge a -> b: a label without a kind"),
    ("digraph { style=fcnn; a [size=1, colour=red]; b [size=2]; a -> b }", "layer 1: unknown layer key 'colour'"),
    ("digraph { style=fcnn; seed=\"-3\"; a [size=1]; b [size=2]; a -> b }", "seed: expected a value from 0"),
    ("digraph { style=fcnn; a [size=1]; b [size=2]; a -> b } extra", "expected the end of the file after the graph"),
    ("digraph { style=fcnn; a [size=\"1]; }", "unexpected"),
    ("digraph { style=fcnn; a [size=1]; b [size=2]; a -> b ! }", r"unexpected '! }'"),
])
def test_malformed_dot_is_a_one_line_error(cli: Cli, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.gv"
    path.write_text(text, "utf-8")
    code, _, err = cli("render", path, "-o", tmp_path / "x.svg")
    assert code == 2 and err.startswith(f"error: spec file '{path}': ") and err.count("\n") == 1, err
    assert re.search(message, err), err
    assert not (tmp_path / "x.svg").exists()


def test_dot_output_from_the_cli(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("lenet", "1@32x32", "6@28x28", "120", "10", "--connect", "0:2:add", "--block", "1:2:B:x2",
                       "-o", tmp_path / "net.dot")
    assert code == 0 and err == ""  # the notes are about drawing; a DOT file draws nothing
    assert "L0 -> L2 [kind=\"add\"];" in (tmp_path / "net.dot").read_text("utf-8")
    code, _, err = cli("render", tmp_path / "net.dot", "-o", tmp_path / "a.svg")
    assert code == 0 and "not drawn" in err
    code, _, err = cli("lenet", "1@32x32", "6@28x28", "120", "10", "--connect", "0:2:add", "--block", "1:2:B:x2",
                       "-o", tmp_path / "b.svg")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    code, _, err = cli("fcnn", "2", "3", "-o", tmp_path / "c.dot", "--scale", "2")
    assert code == 2 and "--scale applies to PNG output only, not DOT (DOT is the network's graph" in err
    # --save-spec writes DOT too, with a theme file named relative to it
    theme = tmp_path / "themes" / "mine.toml"
    theme.parent.mkdir()
    theme.write_text('description = "mine"\n', "utf-8")
    (tmp_path / "out").mkdir()
    code, _, err = cli("fcnn", "2", "3", "--theme", theme, "-o", tmp_path / "d.svg", "--save-spec",
                       tmp_path / "out" / "d.dot")
    assert code == 0, err
    assert 'theme="../themes/mine.toml"' in (tmp_path / "out" / "d.dot").read_text("utf-8")
    assert specs.load(tmp_path / "out" / "d.dot").theme == str(tmp_path / "out" / "../themes/mine.toml")


def test_dot_is_written_without_drawing() -> None:
    """A graph format's backend gets the spec and its graph: nothing is laid out (a figure too
    wide for its printed size still writes its DOT)."""
    diagram = nnsvg.fcnn([3, 4, 2])
    text = diagram.to_bytes("dot").decode()
    assert diagram._scene is None
    assert text.startswith("// nnsvg: a fcnn network of 3 layers") and text.endswith("}\n")
    assert nnsvg.fcnn([3, 4, 2]).to_bytes("dot") == text.encode()  # deterministic


def test_graphs_are_hashable_values() -> None:
    spec = specs.from_dict(skips())
    assert hash(spec.graph()) == hash(specs.from_dict(skips()).graph())
    assert len({*spec.graph().nodes}) == 7
