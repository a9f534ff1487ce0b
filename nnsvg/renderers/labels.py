"""Layer captions shared by the styles: NN-SVG's default texts and placement without overlap."""

from __future__ import annotations

from ..geometry import assign_rows, text_box, text_width
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
