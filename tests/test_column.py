"""A figure at a column's width (3.5 in) with text at its printed size: labels in at most two
rows, maps drawn as large as the width allows, and a note with checked suggestions when the
labels cannot fit in two rows."""

from __future__ import annotations

import itertools
import re

import pytest

import nnsvg
from nnsvg.scene import Rect, Scene, Text

LENET5 = ["1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", 120, 84, 10]
VGG16 = ["3@224x224", "64@224x224", "64@112x112", "128@112x112", "128@56x56", "256@56x56", "256@28x28",
         "512@28x28", "512@14x14", "512@14x14", "512@7x7", 4096, 4096, 1000]


def depth(scene: Scene, cls: str) -> int:
    """How many labels of a class stack at one x at most (their x-ranges overlapping there)."""
    boxes = [t.box for t in scene.walk() if isinstance(t, Text) and t.cls == cls]
    edges = sorted([(b.x0, 1) for b in boxes] + [(b.x1, -1) for b in boxes], key=lambda e: (e[0], e[1]))
    most = now = 0
    for _, step in edges:
        now += step
        most = max(most, now)
    return most


def rows(scene: Scene, cls: str) -> int:
    return len({round(t.y, 6) for t in scene.walk() if isinstance(t, Text) and t.cls == cls})


def two_rows_note(notes: list[str]) -> str | None:
    return next((n for n in notes if "need more than two rows" in n), None)


def test_lenet5_at_a_column_keeps_captions_and_op_labels_in_two_rows() -> None:
    scene = nnsvg.lenet(LENET5, width="3.5in").scene
    assert depth(scene, "caption") == 2  # neighbours alternate; main stacked three
    assert depth(scene, "op") == 2 and rows(scene, "op") == 2
    ops = [t for t in scene.walk() if isinstance(t, Text) and t.cls == "op"]
    assert [round(t.y, 6) for t in ops[::2]] == [round(ops[0].y, 6)] * len(ops[::2])  # alternating, evenly
    assert [round(t.y, 6) for t in ops[1::2]] == [round(ops[1].y, 6)] * len(ops[1::2])
    assert two_rows_note(nnsvg.lenet(LENET5, width="3.5in").notes) is None


def test_lenet5_at_a_column_draws_its_maps_large() -> None:
    scene = nnsvg.lenet(LENET5, width="3.5in").scene
    front = next(p for p in scene.groups[0].walk() if isinstance(p, Rect) and p.cls == "map")
    printed_pt = front.width * scene.unit_scale() * 0.75
    assert printed_pt > 12  # 7.1 pt before: next to 9 pt text the 32x32 input was a speck
    # the diagonal step stays longer than the outlines, so the maps of a stack do not merge
    maps = [p for p in scene.groups[4].walk() if isinstance(p, Rect) and p.cls == "map"]
    assert maps[1].x - maps[0].x >= 1.5 * maps[0].stroke_width


def test_the_figure_at_its_own_size_is_unchanged_by_the_label_room() -> None:
    assert nnsvg.lenet(LENET5).svg() == nnsvg.lenet(LENET5, label_room=False).svg()


def test_labels_that_need_three_rows_move_layers_apart() -> None:
    # long captions on small layers: without room the third caption would be lifted over two
    layers = ["1@8x8", "1@8x8", "1@8x8", "1@8x8"]
    labelled = [{"size": t, "label": "a rather long caption"} for t in layers]
    packed = nnsvg.lenet(labelled, label_room=False).scene
    roomy = nnsvg.lenet(labelled).scene
    assert depth(packed, "caption") > 2 and depth(roomy, "caption") <= 2


@pytest.mark.parametrize("width", ["2.75in", "3in"])
def test_a_width_too_narrow_for_two_rows_gets_a_note_whose_suggestions_fit(width: str) -> None:
    diagram = nnsvg.lenet(LENET5, width=width)
    note = two_rows_note(diagram.notes)
    assert note is not None and f"--width {width}" in note
    wider = re.search(r"; --width ([0-9.]+in) ", note)
    size = re.search(r"--set text\.size=([0-9.]+) \(([0-9.]+) pt\)", note)
    assert wider is not None and size is not None
    assert float(size.group(2)) >= 7  # never below the legible floor
    for again in (nnsvg.lenet(LENET5, width=wider.group(1)),
                  nnsvg.lenet(LENET5, width=width, set={"text.size": float(size.group(1))})):
        assert again.notes == []  # two rows, and nothing too small or crowded either
        assert depth(again.scene, "caption") <= 2 and depth(again.scene, "op") <= 2


def test_no_text_size_is_offered_under_7_pt() -> None:
    note = two_rows_note(nnsvg.lenet(LENET5, width="2.5in").notes)
    assert note is not None and "text.size" not in note and "--width 3.25in" in note


def test_vgg16_at_a_column_is_drawn_with_a_note_not_refused() -> None:
    diagram = nnsvg.lenet(VGG16, map_size="log", dense_size="sqrt", width="3.5in")
    note = two_rows_note(diagram.notes)
    assert note is not None and "text.size" not in note  # under 7 pt it would take: not offered
    wider = re.search(r"; --width ([0-9.]+in) ", note)
    assert wider is not None
    again = nnsvg.lenet(VGG16, map_size="log", dense_size="sqrt", width=wider.group(1))
    assert two_rows_note(again.notes) is None and depth(again.scene, "caption") <= 2


def test_an_lstm_legend_wraps_at_a_column_instead_of_refusing_the_width() -> None:
    """The legend (x ∈ ℝ¹⁰⁰⁰⁰, h⁽¹⁾, c⁽¹⁾ ∈ ℝ²⁰⁰, …) is one line of text at its printed size, wider
    than 3.5 in at 9 pt: the figure was refused. At a printed width it wraps at its commas to the
    drawing's width; at the figure's own size it stays one line."""
    layers, options = [10000, 200, 200, 10000], {"cell": "lstm", "unroll": 3}
    scene = nnsvg.rnn(layers, width="column", **options).scene
    legend = [t for t in scene.walk() if isinstance(t, Text) and t.cls == "legend"]
    assert len(legend) == 2 and legend[0].text.endswith(",") and legend[1].text.endswith("T = 3")
    drawn = [p.bbox() for g in scene.groups for p in g.walk() if not isinstance(p, Text)]
    width = max(b.x1 for b in drawn) - min(b.x0 for b in drawn)
    assert all(t.box.width <= width for t in legend)
    assert legend[1].y > legend[0].y and legend[0].box.y1 < legend[1].box.y0  # lines apart
    own = nnsvg.rnn(layers, **options).scene
    assert len([t for t in own.walk() if isinstance(t, Text) and t.cls == "legend"]) == 1


def test_a_refused_width_names_a_width_and_a_text_size_that_fit() -> None:
    """An unrolled LSTM's blocks hold their text: 6 steps at 8.25 pt need about 276 pt (TeX's,
    the unit of the column preset). The error names the least width (in steps of 10 pt) and the
    largest text size (>= 7 pt) that fit, each checked; both render."""
    layers = [128, 128, 1]
    options = {"cell": "lstm", "unroll": 6, "outputs": "last", "theme": "paper"}
    with pytest.raises(nnsvg.SpecError) as refused:
        _ = nnsvg.rnn(layers, width="column", **options).scene
    message = str(refused.value)
    wider = re.search(r"give --width ([0-9.]+pt),", message)
    size = re.search(r"--set text\.size=([0-9.]+) \(([0-9.]+) pt\)", message)
    assert wider is not None and size is not None and float(size.group(2)) >= 7
    assert 252 < float(wider.group(1).removesuffix("pt")) <= 290  # not the 493 pt of its own proportions
    assert nnsvg.rnn(layers, width=wider.group(1), **options).scene.printed is not None
    smaller = nnsvg.rnn(layers, width="column", set={"text.size": float(size.group(1))}, **options)
    assert smaller.scene.printed is not None


def test_a_crowded_figure_gets_a_checked_text_size_that_clears_it() -> None:
    """LeNet-5 as volumes with dimension labels at 4.5 in: its labels crowd the shrunk drawing.
    A note names the largest text size (>= 7 pt, in half points) at which they do not; drawn with
    it the figure has no crowding or tiny-shape note and no such quality problem."""
    from nnsvg import quality

    layers = ["32x32x1:5x5", "28x28x6:2x2", "14x14x6:5x5", "10x10x16:2x2", "5x5x16", 120, 84, 10]
    diagram = nnsvg.alexnet(layers, dims=True, width="4.5in")
    assert any("labels crowd the drawing" in n for n in diagram.notes)
    size = next(re.search(r"--set text\.size=([0-9.]+) \(([0-9.]+) pt\) keeps", n) for n in diagram.notes
                if "keeps the shapes visible" in n)
    assert size is not None and 7 <= float(size.group(2)) < 9
    again = nnsvg.alexnet(layers, dims=True, width="4.5in", set={"text.size": float(size.group(1))})
    assert not any("crowd" in n or "print under" in n or "keeps the shapes" in n for n in again.notes)
    kinds = {p.kind for p in quality.check(again.scene)}
    assert not kinds & {"text-on-text", "text-on-shape", "clipped", "tiny"}


@pytest.mark.parametrize("theme", ["nnsvg", "paper"])
def test_op_labels_in_one_row_are_a_text_size_apart(theme: str) -> None:
    """Two op labels a word space apart in one row read as one ("Dense Dense", the paper theme at
    3.5 in): neighbours closer than a text size go to the other row."""
    scene = nnsvg.lenet(LENET5, width="3.5in", theme=theme).scene
    ops = sorted((t for t in scene.walk() if isinstance(t, Text) and t.cls == "op"), key=lambda t: t.box.x0)
    for a, b in itertools.pairwise(ops):
        if round(a.y, 6) == round(b.y, 6):
            assert b.box.x0 - a.box.x1 >= a.size
    assert depth(scene, "op") <= 2 and rows(scene, "op") == 2
