"""Layer captions shared by the styles: NN-SVG's default texts and placement without overlap."""

from __future__ import annotations

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


def captions_above(texts: list[str], anchors: list[tuple[float, float]], obstacles: list[BBox],
                   theme: Theme, cls: str = "caption", lines: list[Segment] = ()) -> list[Text]:  # type: ignore[assignment]
    """Left-aligned captions just above points (a layer's top-left corner). ``obstacles[i]`` is
    the box of caption i's own layer; a caption that would overlap another layer or an earlier
    caption is lifted until it is clear of both, and of the line segments ``lines``."""
    size, family = theme.text.size, theme.text.family
    pad = size * 0.25
    placed: list[BBox] = []
    out = []
    for i, (text, (x, top)) in enumerate(zip(texts, anchors)):
        others = obstacles[:i] + obstacles[i + 1:]
        baseline = top - size * 0.35
        box = text_box(text, x, baseline, size, family)
        for _ in range(len(obstacles) + len(placed) + len(lines) + 1):
            tops = [b.y0 for b in others if box.overlaps(b, pad)]
            tops += [b.y0 for b in placed if box.overlaps(b, 2 * pad)]  # captions: a word space apart
            tops += [t for t in (_segment_top(box, seg, pad) for seg in lines) if t is not None]
            if not tops:
                break
            lift = box.y1 - min(tops) + pad
            baseline -= lift
            box = text_box(text, x, baseline, size, family)
        placed.append(box)
        out.append(Text(x, baseline, text, size, family, theme.text.color, "start", box, cls))
    return out
