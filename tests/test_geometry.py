from __future__ import annotations

import math

import pytest

from nnsvg import fonts
from nnsvg.backends.svg import fmt
from nnsvg.geometry import (
    BBox,
    arrowhead,
    assign_rows,
    baseline_for_center,
    font_metrics,
    text_box,
    text_width,
    union_all,
)


def test_fmt_strips_zeros_and_negative_zero() -> None:
    assert fmt(1.0) == "1"
    assert fmt(1.5) == "1.5"
    assert fmt(-0.001) == "0"
    assert fmt(-1.256) == "-1.26"
    assert fmt(180.0) == "180"
    assert fmt(0.1 + 0.2) == "0.3"


def test_bbox_union_grow_overlap() -> None:
    a, b = BBox(0, 0, 10, 10), BBox(5, 5, 20, 30)
    assert a.union(b) == BBox(0, 0, 20, 30)
    assert a.grow(2) == BBox(-2, -2, 12, 12)
    assert a.overlaps(b) and not a.overlaps(BBox(11, 0, 12, 1))
    assert union_all([a, b]) == BBox(0, 0, 20, 30)
    assert union_all([]) is None
    assert BBox(0, 0, 20, 30).contains(a)


def test_text_width_uses_real_advances(monkeypatch: pytest.MonkeyPatch) -> None:
    # DejaVu Sans: 'H' is 1540 and 'x' 1212 units of 2048; a wide and a narrow letter differ.
    assert text_width("H", 2048, "DejaVu Sans") == pytest.approx(1540)
    assert text_width("x", 2048, "DejaVu Sans") == pytest.approx(1212)
    assert text_width("iiii", 12, "sans-serif") < text_width("MMMM", 12, "sans-serif")
    # the serif family is measured with the serif font
    assert text_width("H", 2048, "DejaVu Serif, serif") == pytest.approx(1786)
    # a machine without fontconfig: the generic families stand on nnsvg's DejaVu table
    # (tests/test_fonts.py tests the families fontconfig finds)
    monkeypatch.setattr(fonts, "FC_MATCH", "/nonexistent/fc-match")
    fonts.forget()
    try:
        assert font_metrics("Times New Roman, serif").family == "DejaVu Serif"
        assert font_metrics("Helvetica").family == "DejaVu Sans"
    finally:
        monkeypatch.undo()
        fonts.forget()
        font_metrics.cache_clear()


def test_text_width_scales_and_handles_unknown_glyphs() -> None:
    assert text_width("abc", 24, "DejaVu Sans") == pytest.approx(2 * text_width("abc", 12, "DejaVu Sans"))
    assert text_width("\u0378", 10, "DejaVu Sans") == pytest.approx(10)  # unassigned, in no font: 1 em


@pytest.mark.parametrize("anchor", ["start", "middle", "end"])
def test_text_box_anchor(anchor: str) -> None:
    width = text_width("Hidden", 12, "DejaVu Sans")
    box = text_box("Hidden", 100, 50, 12, "DejaVu Sans", anchor)
    assert box.width == pytest.approx(width)
    expected_left = {"start": 100, "middle": 100 - width / 2, "end": 100 - width}[anchor]
    assert box.x0 == pytest.approx(expected_left)
    assert box.y0 < 50 < box.y1


def test_baseline_centres_text_box() -> None:
    base = baseline_for_center(40, 10, "DejaVu Sans")
    box = text_box("+1", 0, base, 10, "DejaVu Sans")
    assert (box.y0 + box.y1) / 2 == pytest.approx(40)


def test_assign_rows_keeps_spans_apart() -> None:
    spans = [(0, 10), (5, 15), (12, 20), (30, 40)]
    rows = assign_rows(spans, gap=1)
    assert rows == [0, 1, 0, 0]
    # any order gives the same rows per span
    assert assign_rows(list(reversed(spans)), gap=1) == list(reversed(rows))
    for i, (a0, a1) in enumerate(spans):
        for j, (b0, b1) in enumerate(spans):
            if i < j and rows[i] == rows[j]:
                assert a1 + 1 <= b0 or b1 + 1 <= a0


def test_arrowhead_corners() -> None:
    b1, b2 = arrowhead((10, 0), (1, 0), length=4, width=2)
    assert b1 == pytest.approx((6, 1)) and b2 == pytest.approx((6, -1))
    d = (math.sqrt(0.5), math.sqrt(0.5))
    c1, c2 = arrowhead((0, 0), d, 2, 2)
    assert math.dist(c1, c2) == pytest.approx(2)
    mid = ((c1[0] + c2[0]) / 2, (c1[1] + c2[1]) / 2)
    assert math.dist(mid, (0, 0)) == pytest.approx(2)
