"""The anatomy of a layer, drawn on FCNN-style node columns: activation glyphs, dropout
crosses, formula captions and weight/bias labels on edges."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from ..geometry import BBox, Point, baseline_for_center, text_box
from ..layout.glyphs import glyph
from ..scene import LineTo, MoveTo, Path, Polylines, Primitive, Rect, Text
from ..theme import Theme

SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
WEIGHT_LABEL_LIMIT = 48  # more edges than this and their labels could not be read


def sub(number: int) -> str:
    return str(number).translate(SUBSCRIPT)


def dropped_nodes(seed: int, layer: int, candidates: Sequence[int], fraction: float) -> frozenset[int]:
    """A seeded choice of ``round(fraction × len(candidates))`` of the candidates, never all of
    them (a layer with no node left would cut the network in two)."""
    count = min(round(fraction * len(candidates)), len(candidates) - 1)
    if count == 0:
        return frozenset()
    rng = random.Random(f"dropout:{seed}:{layer}")  # a str seed is hashed with SHA-512: stable
    return frozenset(rng.sample(list(candidates), count))


def cross(x: float, y: float, r: float, theme: Theme) -> Path:
    """An X over a dropped node."""
    k = r * 0.72
    data = (MoveTo(x - k, y - k), LineTo(x + k, y + k), MoveTo(x - k, y + k), LineTo(x + k, y - k))
    return Path(data, BBox(x - k, y - k, x + k, y + k), stroke=theme.node.stroke,
                stroke_width=max(theme.node.stroke_width, 1.0), cls="dropout", linecap="round")


# At a printed size a curve in each node needs nodes this many text sizes across to be read (a
# 9 pt caption's node at 13.5 pt); smaller nodes get the activation's name above the layer. A
# curve beside the layer is drawn at least this many text sizes across.
GLYPH_TEXT = 1.5
BESIDE_TEXT = 1.5


def activation_items(name: str, style: str, centres: list[Point], anchor: Point, d: float,
                     theme: Theme, printed: bool = False) -> list[Primitive]:
    """The activation of a layer: a curve in each node (glyph), one curve at ``anchor``
    (beside), or its name there (name). ``printed`` (a figure laid out for a printed size): the
    name at the captions' size (7 pt or more), the curve beside at least ``BESIDE_TEXT`` text
    sizes across."""
    width = max(0.6, d * 0.045)
    if style == "glyph" and not centres:
        return []
    if style == "glyph":
        size = d * 0.55
        data = Polylines(tuple(line for x, y in centres for line in glyph(name, x, y, size)))
        box = BBox.around(centres, size / 2)
        return [Path(data, box, stroke=theme.node.stroke, stroke_width=width, cls="activation",
                     linejoin="round", linecap="round")]
    x, y = anchor
    if style == "beside":
        size = max(d * 0.9, BESIDE_TEXT * theme.text.size) if printed else d * 0.9
        return [Path(Polylines(glyph(name, x, y, size)), BBox.around([anchor], size / 2), stroke=theme.text.color,
                     stroke_width=width * 1.3, cls="activation", linejoin="round", linecap="round")]
    size, family = theme.text.size * (1.0 if printed else 0.85), theme.text.family
    base = baseline_for_center(y, size, family)
    return [Text(x, base, name, size, family, theme.text.color, "middle",
                 text_box(name, x, base, size, family, "middle"), "activation")]


def layer_names(count: int) -> list[str]:
    """x, h₁ … h_k, ŷ."""
    return ["x", *(f"h{sub(i)}" for i in range(1, count - 1)), "ŷ"]


def formulas(count: int, activations: list[str | None], bias: bool) -> list[str]:
    """'h₁ = relu(W₁x + b₁)' for every layer after the input ('' for the input)."""
    names = layer_names(count)
    out = [""]
    for i in range(1, count):
        function = activations[i] or "σ"
        affine = f"W{sub(i)}{names[i - 1]}" + (f" + b{sub(i)}" if bias else "")
        out.append(f"{names[i]} = {function}({affine})")
    return out


def weight_name(source: int | None, target: int) -> str:
    """w with the target's and the source's index (b for the bias unit); 1-based."""
    if source is None:
        return f"b{sub(target)}"
    joiner = "," if max(source, target) > 9 else ""
    return f"w{sub(target)}{joiner}{sub(source)}"


Edge = tuple[str, Callable[[float], Point]]  # (label, point at t along the edge)


def weight_labels(edges: list[Edge], obstacles: list[BBox], theme: Theme,
                  background: str, printed: bool = False) -> tuple[list[Primitive], int]:
    """Labels placed along their edges, each at the first spot (middle first, then towards the
    ends) clear of nodes and other labels; returns the primitives and how many did not fit.
    ``printed`` (a figure laid out for a printed size): at the captions' size (7 pt or more),
    else a little smaller than them."""
    size, family = theme.text.size * (1.0 if printed else 0.72), theme.text.family
    pad = size * 0.15
    placed: list[BBox] = []
    out: list[Primitive] = []
    missing = 0
    fill, opacity = theme.weight_label.fill(background), theme.weight_label.opacity
    for label, at in edges:
        for t in (0.5, 0.38, 0.62, 0.3, 0.7, 0.24, 0.76, 0.44, 0.56):
            x, y = at(t)
            base = baseline_for_center(y, size, family)
            box = text_box(label, x, base, size, family, "middle").grow(pad)
            if not any(box.overlaps(b) for b in obstacles) and not any(box.overlaps(b) for b in placed):
                placed.append(box)
                plate = Rect(box.x0, box.y0, box.width, box.height, fill, opacity=opacity, cls="weight-bg")
                out.append(plate)  # the label sits on its plate, which hides the edges under it
                out.append(Text(x, base, label, size, family, theme.text.color, "middle",
                                text_box(label, x, base, size, family, "middle"), "weight", host=plate))
                break
        else:
            missing += 1
    return out, missing


def too_many_weights(count: int) -> str:
    return (f"show_weights: {count} edges are too many to label readably (at most "
            f"{WEIGHT_LABEL_LIMIT}); the weights are not shown")


