"""The kinds tables (``nnsvg.kinds``) are what the graph, the specs, the theme and the legend use."""

from __future__ import annotations

import dataclasses

import nnsvg
from nnsvg import kinds
from nnsvg.graph import CONNECTION_KINDS
from nnsvg.layout import legend
from nnsvg.spec import blocks
from nnsvg.theme import OpStyle


def test_every_op_kind_has_a_theme_fill_in_the_table_order() -> None:
    assert [f.name for f in dataclasses.fields(OpStyle)] == list(kinds.OP_KINDS)
    assert blocks.OP_KINDS == kinds.OP_KINDS


def test_the_free_text_words_name_op_kinds_of_the_table() -> None:
    assert {kind for _, kind in blocks._KIND_WORDS} <= set(kinds.OP_KINDS)


def test_merges_are_the_connection_kinds_with_a_symbol() -> None:
    assert CONNECTION_KINDS == kinds.CONNECTION_KINDS
    assert dict(kinds.MERGE_SYMBOLS) == {"add": "⊕", "concat": "‖", "multiply": "⊗"}
    assert {kinds.OP_WORDS[word][0] for word in kinds.MERGE_WORDS} == {"merge"}
    assert [kind.name for kind in kinds.CONNECTIONS if kind.loops] == ["recurrent"]


def test_a_kind_has_one_legend_name_wherever_it_is_drawn() -> None:
    skip = nnsvg.draw("fcnn", [4, 6, 6, 2], connections=[{"from": 0, "to": 2, "kind": "add"}], legend="below")
    merged = nnsvg.draw("blocks", ["input", "conv3x3:8", "relu", "conv3x3:8", "add"],
                        connections=[{"from": 1, "to": 4, "kind": "add"}], legend="right")
    labels = {e.key: e.label for d in (skip, merged) for e in d.scene.legend}
    assert labels["connection.add"] == labels["merge.add"] == legend.NAMES["connection.add"] == "Add"
    assert labels["op.conv"] == kinds.OP_LABELS["conv"]
