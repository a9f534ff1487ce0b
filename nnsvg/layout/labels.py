"""Layer captions shared by the styles: NN-SVG's default texts and placement without overlap."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from typing import Any

from ..geometry import BBox, assign_rows, text_box, text_width
from ..scene import Text
from ..theme import Theme

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(number: int) -> str:
    return str(number).translate(_SUPERSCRIPT)


def fcnn_label(index: int, count: int, size: int) -> str:
    """NN-SVG's caption: "Input Layer ∈ ℝ⁸", "Hidden Layer ∈ ℝ¹²", "Output Layer ∈ ℝ⁸"."""
    role = "Input" if index == 0 else "Output" if index == count - 1 else "Hidden"
    return f"{role} Layer ∈ ℝ{superscript(size)}"


def key_lines(entries: Sequence[str], left: float, top: float, width: float, theme: Theme,
              cls: str = "key") -> list[Text]:
    """A key: ``entries`` ("1 3@224²", …) left to right from ``left``, a wide space apart, in
    lines no wider than ``width`` (a longer entry has a line of its own), the first line's top
    at ``top``."""
    size, family = theme.text.size, theme.text.family
    space = size * 1.2
    probe = text_box("Hg", 0.0, 0.0, size, family)
    line = probe.height * 1.15
    out: list[Text] = []
    x, row = left, 0
    for entry in entries:
        w = text_width(entry, size, family)
        if x > left and x + w > left + width:
            x, row = left, row + 1
        baseline = top - probe.y0 + row * line
        out.append(Text(x, baseline, entry, size, family, theme.text.color, "start",
                        text_box(entry, x, baseline, size, family), cls))
        x += w + space
    return out


def row_of_captions(texts: list[str], centers: list[float], top: float, theme: Theme,
                    cls: str = "label") -> list[Text]:
    """Captions centred under (or over) positions along x, with their tops at ``top``.
    Captions that would touch a neighbour drop to a further row, so none overlap."""
    size, family = theme.text.size, theme.text.family
    widths = [text_width(t, size, family) for t in texts]
    rows = assign_rows([(c - w / 2, c + w / 2) for c, w in zip(centers, widths)], gap=size * 0.6)
    probe = text_box("Hg", 0.0, 0.0, size, family)
    line = probe.height * 1.15
    out = []
    for text, center, row in zip(texts, centers, rows):
        baseline = top - probe.y0 + row * line
        box = text_box(text, center, baseline, size, family, "middle")
        out.append(Text(center, baseline, text, size, family, theme.text.color, "middle", box, cls))
    return out


def column_of_captions(texts: list[str], centers: list[float], left: float, theme: Theme,
                       cls: str = "label") -> list[Text]:
    """Captions starting at ``left``, each vertically centred on a position along y. Captions
    that would touch a neighbour move to a further column, so none overlap."""
    size, family = theme.text.size, theme.text.family
    probe = text_box("Hg", 0.0, 0.0, size, family)
    half = probe.height / 2
    rows = assign_rows([(c - half, c + half) for c in centers], gap=size * 0.2)
    widths = [text_width(t, size, family) for t in texts]
    column_width = max(widths) + size
    out = []
    for text, center, row in zip(texts, centers, rows):
        x = left + row * column_width
        baseline = center - (probe.y0 + probe.y1) / 2
        box = text_box(text, x, baseline, size, family, "start")
        out.append(Text(x, baseline, text, size, family, theme.text.color, "start", box, cls))
    return out


Segment = tuple[tuple[float, float], tuple[float, float]]


def _segment_top(box: BBox, segment: Segment, pad: float) -> float | None:
    """The highest y of ``segment`` within the box's x-range, if the segment passes through
    the box (grown by ``pad``); None when it misses."""
    (ax, ay), (bx, by) = segment
    lo, hi = max(min(ax, bx), box.x0 - pad), min(max(ax, bx), box.x1 + pad)
    if lo > hi:
        return None
    if ax == bx:
        ys = [ay, by]
    else:
        ys = [ay + (by - ay) * (x - ax) / (bx - ax) for x in (lo, hi)]
    if max(ys) < box.y0 - pad or min(ys) > box.y1 + pad:
        return None
    return min(ys)


class _Near:
    """Boxes (or segments) kept sorted by their left edge, to find those whose x-range meets a
    given one without looking at all of them: placing n captions stays near-linear in n."""

    def __init__(self, items: list[Any], span: Callable[[Any], tuple[float, float]]) -> None:
        self.items = sorted(items, key=lambda item: span(item)[0])
        self.lefts = [span(item)[0] for item in self.items]
        self.span = span
        self.widest = max((span(item)[1] - span(item)[0] for item in items), default=0.0)

    def add(self, item: Any) -> None:
        left, right = self.span(item)
        k = bisect.bisect_right(self.lefts, left)
        self.lefts.insert(k, left)
        self.items.insert(k, item)
        self.widest = max(self.widest, right - left)

    def meeting(self, x0: float, x1: float) -> list[Any]:
        lo = bisect.bisect_left(self.lefts, x0 - self.widest)
        hi = bisect.bisect_right(self.lefts, x1)
        return [item for item in self.items[lo:hi] if self.span(item)[1] >= x0]


Near = _Near  # the same index for other label placement (LeNet's op labels)


def _box_span(box: BBox) -> tuple[float, float]:
    return box.x0, box.x1


def _segment_span(segment: Segment) -> tuple[float, float]:
    (ax, _), (bx, _) = segment
    return min(ax, bx), max(ax, bx)


def captions_above(texts: list[str], anchors: list[tuple[float, float]], obstacles: list[BBox],
                   theme: Theme, cls: str = "caption", lines: Sequence[Segment] = (),
                   alternatives: Sequence[Sequence[float]] | None = None,
                   order: Sequence[int] | None = None,
                   walls: Sequence[tuple[float, float, float]] = ()) -> list[Text]:
    """Left-aligned captions just above points (a layer's top-left corner). ``obstacles[i]`` is
    the box of caption i's own layer; a caption that would overlap another layer or an earlier
    caption is lifted until it is clear of both, and of the line segments ``lines``. A caption
    only ever meets what shares its x-range, so only that is looked at. ``alternatives[i]``
    (optional) are further left edges for caption i: the one that needs the least lift wins,
    the anchor on a tie. ``order`` (optional) is the order in which captions are placed (each
    is lifted over those placed before it): every other caption first keeps neighbours that
    overlap in two alternating rows instead of a rising staircase.
    ``walls`` are (x, bottom, half width): vertical lines rising from
    ``bottom`` without end (the legs of skip arcs); a caption never straddles one: it moves
    to either side of it (the least lift wins), and is lifted only if no side is free."""
    size, family = theme.text.size, theme.text.family
    pad = size * 0.25
    layers = _Near(list(range(len(obstacles))), lambda k: _box_span(obstacles[k]))
    segments = _Near(list(lines), _segment_span)
    placed = _Near([], _box_span)
    out: dict[int, Text] = {}
    for i in (range(len(texts)) if order is None else order):
        text, (x0, top) = texts[i], anchors[i]
        best: tuple[float, float, BBox] | None = None
        candidates = [x0, *(alternatives[i] if alternatives is not None else ())]
        if walls:
            candidates = _beside_walls(candidates, text_width(text, size, family), top, walls, size, pad)
        for x in candidates:
            baseline = top - size * 0.35
            box = text_box(text, x, baseline, size, family)
            lo, hi = box.x0 - 2 * pad, box.x1 + 2 * pad  # lifting changes y only: the x-range stays
            others = [obstacles[k] for k in layers.meeting(lo, hi) if k != i]
            near_lines = segments.meeting(lo, hi)
            near_placed = placed.meeting(lo, hi)
            for _ in range(len(others) + len(near_placed) + len(near_lines) + 1):
                tops = [b.y0 for b in others if box.overlaps(b, pad)]
                tops += [b.y0 for b in near_placed if box.overlaps(b, 2 * pad)]  # captions: a word space apart
                tops += [t for t in (_segment_top(box, seg, pad) for seg in near_lines) if t is not None]
                if not tops:
                    break
                lift = box.y1 - min(tops) + pad
                baseline -= lift
                box = text_box(text, x, baseline, size, family)
            if best is None or baseline > best[1] + 1e-9:
                best = (x, baseline, box)
            if baseline == top - size * 0.35 and not walls:  # not lifted: no alternative can do better
                break
        assert best is not None
        x, baseline, box = best
        placed.add(box)
        out[i] = Text(x, baseline, text, size, family, theme.text.color, "start", box, cls)
    return [out[i] for i in range(len(texts))]


def _beside_walls(candidates: list[float], width: float, top: float, walls: Sequence[tuple[float, float, float]],
                  size: float, pad: float) -> list[float]:
    """A caption's left edges with those beside each near leg (and beside a whole cluster of
    legs) added; those that straddle no leg, if any."""
    x0 = candidates[0]
    near = [w for w in walls if x0 - width - size * 4 < w[0] < x0 + width + size * 4 and w[1] > top - size * 10]
    for wx, _, half in near:
        candidates += [wx - half - pad - width, wx + half + pad]
    if near:  # clear of a whole cluster of legs
        candidates += [min(wx - half for wx, _, half in near) - pad - width,
                       max(wx + half for wx, _, half in near) + pad]
    free = [x for x in candidates if not any(x - pad < wx + half and x + width + pad > wx - half
                                             for wx, _, half in walls)]
    return free or candidates


def alternate(boxes: Sequence[BBox], pad: float) -> list[int] | None:
    """Every other label first (0, 2, 4, …, then 1, 3, …) when some neighbours' x-ranges meet
    (within ``pad``): placed in that order, the second half goes one row over the first. None
    when no neighbours meet (one row; the order does not matter)."""
    if all(a.x1 + pad <= b.x0 or b.x1 + pad <= a.x0 for a, b in itertools.pairwise(boxes)):
        return None
    return [*range(0, len(boxes), 2), *range(1, len(boxes), 2)]


def moved_clear(text: Text, obstacles: list[BBox], direction: tuple[float, float]) -> Text:
    """``text`` moved along ``direction`` (a unit vector on the page) until it is a quarter of
    its size clear of every box in ``obstacles``; half a box at a time, so it never jumps over
    a gap it would fit in."""
    pad = text.size * 0.25
    shift = max(text.box.width, text.box.height) / 2 + pad
    dx = dy = 0.0
    box = text.box
    for _ in range(4 * len(obstacles) + 4):
        if not any(box.overlaps(o, pad) for o in obstacles):
            break
        dx, dy = dx + direction[0] * shift, dy + direction[1] * shift
        box = BBox(text.box.x0 + dx, text.box.y0 + dy, text.box.x1 + dx, text.box.y1 + dy)
    return Text(text.x + dx, text.y + dy, text.text, text.size, text.family, text.fill, text.anchor, box,
                text.cls, text.host)
