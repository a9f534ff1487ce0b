"""Recurrent networks (folded and unrolled) and the anatomy options of the FCNN style."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import nnsvg

from .conftest import NS, assert_clear, edge_count, find, layer_group, parse

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
    assert len(arrows) == 3  # h1→h2, h2→h3, h3→h4
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
    assert len(arrows) == 2 * 2
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
