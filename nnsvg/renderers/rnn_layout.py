"""RNN layout: every text measured before anything is placed (``Measures``), the rows of one time
step (``Column``), and every element's box and nodes (``layout``), with the pitches between
rows and between steps grown to what the names beside rows, the arrows, the h₀ (c₀) texts and
the loops need; the names of states and blocks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..geometry import BBox, Point, text_box, text_width
from ..layout.labels import superscript
from ..scene import Text
from ..spec.rnn import RnnSpec
from ..theme import Theme
from .anatomy import sub

BLOCK_HEIGHT = 36.0
BLOCK_PAD = 2.2  # a block's room beside its widest text, in text sizes
PRINTED_PAD = 1.2  # the same at a printed size, where the text keeps its size and the drawing shrinks
INITIAL_ARROW = 40.0  # the longest arrow from h₀ (c₀) into the first step


@dataclass
class Element:
    """One layer at one time step: its box on the page and, in node form, its node centres."""

    layer: int
    step: int  # 0 for a folded drawing
    box: BBox
    nodes: list[Point]


@dataclass(frozen=True)
class Measures:
    """The sizes the layout reserves room with, from the theme."""

    size: float  # text size
    family: str
    line: float  # height of a line of text (ascent + descent)
    pad: float  # the clearance around a text
    shaft: float  # the stroke width of an arrow's shaft (and a loop)
    half_arrow: float  # half the widest part of an arrow (its head)
    min_arrow: float  # the shortest arrow drawn: a head and as much shaft


def measures(theme: Theme) -> Measures:
    size, family = theme.text.size, theme.text.family
    shaft = max(theme.edge.width * theme.arrow.shaft_scale, 1.0)
    return Measures(size, family, text_box("Hg", 0.0, 0.0, size, family).height, size * 0.25, shaft,
                    max(theme.arrow.width, shaft) / 2, 2.0 * theme.arrow.length)


@dataclass(frozen=True)
class Column:
    """One step's layers relative to the step's centre x and the input's centre y: row i is
    ``widths[i]`` wide, ``height`` tall, centred on x = 0 at y = -i·pitch."""

    widths: list[float]
    height: float
    pitch: float
    inset: float  # from a row's left edge to the centre of its first node (nodes only)
    stroke: float  # half an edge's stroke
    outline: float = 0.0  # half a row's own outline (a node's or block's stroke), outside its width

    def cy(self, i: int) -> float:
        return -i * self.pitch

    def left_edge(self, y0: float, y1: float) -> float:
        """The leftmost x of the rows and feed-forward edges drawn between y0 and y1 (rows of
        nodes: a fan's left boundary is the line between the two rows' first nodes)."""
        x = math.inf
        half = self.height / 2 + self.outline
        first, last = self._rows_between(y0 - half, y1 + half)
        for k in range(first, last):
            if self.cy(k) - half < y1 and y0 < self.cy(k) + half:
                x = min(x, -self.widths[k] / 2 - self.outline)
        for k in range(max(first - 1, 0), min(last, len(self.widths) - 1)):
            a = (-self.widths[k] / 2 + self.inset, self.cy(k))
            b = (-self.widths[k + 1] / 2 + self.inset, self.cy(k + 1))
            x = min(x, _segment_left(a, b, y0, y1) - self.stroke)
        return x


    def _rows_between(self, y0: float, y1: float) -> tuple[int, int]:
        """The rows k (first ≤ k < last) whose centre may lie between y0 and y1, with a row to
        spare either side: rows sit at y = -k·pitch, so this is arithmetic, not a scan (a
        1,000-layer figure asks for every row)."""
        count = len(self.widths)
        if self.pitch <= 0 or not math.isfinite(y0) or not math.isfinite(y1):
            return 0, count
        first = max(math.floor(-y1 / self.pitch) - 1, 0)
        last = min(math.ceil(-y0 / self.pitch) + 2, count)
        return first, max(first, last)


def _segment_left(a: Point, b: Point, y0: float, y1: float) -> float:
    """The smallest x of segment a-b between heights y0 and y1 (inf when it does not get there)."""
    (ax, ay), (bx, by) = (a, b) if a[1] <= b[1] else (b, a)
    lo, hi = max(y0, ay), min(y1, by)
    if lo > hi:
        return math.inf
    if by == ay:
        return min(ax, bx)
    xs = [ax + (bx - ax) * (y - ay) / (by - ay) for y in (lo, hi)]
    return min(xs)


def state_name(spec: RnnSpec, layer: int, step: int | None, letter: str = "h") -> str:
    """x, h (or c, an LSTM's cell state), y with the time step as a subscript (and the layer as
    (l) when stacked)."""
    count = len(spec.layers)
    t = "" if step is None else sub(step)
    if layer == 0:
        return f"x{t}"
    if layer == count - 1:
        return f"y{t}"
    stacked = count > 3
    return f"{letter}{t}" + (f"⁽{superscript(layer)}⁾" if stacked else "")


def is_recurrent(spec: RnnSpec, layer: int) -> bool:
    return 0 < layer < len(spec.layers) - 1


def carries_cell_state(spec: RnnSpec) -> bool:
    """An unrolled LSTM drawn as blocks carries c along the top of its cells."""
    return spec.cell == "lstm" and spec.unroll > 0 and spec.use_blocks()


def block_name(spec: RnnSpec, layer: int, step: int) -> str:
    return state_name(spec, layer, step or None) if spec.unroll else \
        (spec.layers[layer].label or state_name(spec, layer, None))


def block_width(spec: RnnSpec, theme: Theme) -> float:
    size, family = theme.text.size, theme.text.family
    steps = range(1, spec.unroll + 1) if spec.unroll else [0]
    names = [block_name(spec, i, t) for i in range(len(spec.layers)) for t in (steps[0], steps[-1])]
    widest = max(text_width(n, size, family) for n in [*names, spec.cell.upper()])
    return max(48.0, widest + (PRINTED_PAD if printed(spec) else BLOCK_PAD) * size)


def printed(spec: RnnSpec) -> bool:
    """Whether the figure is laid out for a printed size (its text then at the theme's size
    throughout: the smaller cell type and z⁻¹ would print under the size asked)."""
    return spec.width is not None or spec.height is not None


def line_step(spec: RnnSpec, m: Measures) -> float:
    """From a cell's first line (its type, smaller at the drawing's own size) to its second."""
    return m.line * 1.05 if printed(spec) else 1.05 * m.size


def block_height(spec: RnnSpec, m: Measures) -> float:
    """Tall enough for a cell's two lines (its type and state), and for an LSTM's two lanes
    (c above h) with their c₀ and h₀ a line apart."""
    height = max(BLOCK_HEIGHT, m.line + line_step(spec, m) + 2 * m.pad)
    if carries_cell_state(spec):
        height = max(height, 2 * (m.line + m.pad))
    return height


def lanes(spec: RnnSpec, height: float) -> dict[str, float]:
    """Where the recurrent arrows run, relative to a cell's centre: h, and an LSTM's c above."""
    if carries_cell_state(spec):
        return {"c": -height / 4, "h": height / 4}
    return {"h": 0.0}


def row_name(spec: RnnSpec, layer: int, step: int) -> str:
    caption = spec.layers[layer].label
    return caption if caption and not spec.unroll else state_name(spec, layer, step or None)


@dataclass(frozen=True)
class Loop:
    """A folded layer's feedback loop on its right side, relative to the box's right edge and
    centre: out of it, round, and back in below."""

    start: Point
    c1: Point
    c2: Point
    end: Point


def loop_shape(box: BBox) -> Loop:
    h = box.height
    start = (box.x1, box.center_y - h * 0.22)
    end = (box.x1 + 0.5, box.center_y + h * 0.22)
    reach = max(h * 1.3, 44.0)
    bulge = max(h * 0.9, 16.0)
    return Loop(start, (box.x1 + reach, start[1] - bulge), (box.x1 + reach, end[1] + bulge), end)


def name_band(spec: RnnSpec, layer: int, m: Measures) -> tuple[float, float]:
    """Top and bottom of a row's name relative to the row's centre: beside the row, or (a
    recurrent row unrolled, whose arrow comes in at mid-height) lifted clear of the arrowhead."""
    if spec.unroll and is_recurrent(spec, layer):
        bottom = -(m.half_arrow + m.pad)
        return bottom - m.line, bottom
    return -m.line / 2, m.line / 2


@dataclass
class Layout:
    elements: list[Element]
    column: Column
    pitch_x: float
    names: dict[tuple[int, int], Text]  # the names beside rows of nodes, by (layer, step)


def layout(spec: RnnSpec, theme: Theme, m: Measures) -> Layout:
    """Every element's box (and nodes), with the pitches between rows and steps grown to
    whatever the texts and arrows between them need."""
    d = spec.node_diameter
    blocks = spec.use_blocks()
    count = len(spec.layers)
    gaps = [spec.node_gap if layer.gap is None else layer.gap for layer in spec.layers]
    if blocks:
        widths = [block_width(spec, theme)] * count
        height = block_height(spec, m)
    else:
        widths = [layer.size * d + (layer.size - 1) * g for layer, g in zip(spec.layers, gaps)]
        height = d
    named = spec.labels and not blocks
    bands = row_bands(spec, m, height, named)
    pitch = max(height + spec.layer_spacing, height + m.min_arrow if blocks else 0.0,
                *(bands[i + 1][1] - bands[i][0] + m.pad for i in range(count - 1)))
    outline = (theme.block.stroke_width if blocks else theme.node.stroke_width) / 2
    column = Column(widths, height, pitch, 0.0 if blocks else d / 2, theme.edge.width / 2, outline)

    steps = range(1, spec.unroll + 1) if spec.unroll else [0]
    sides, pitch_x = name_sides(spec, m, column, named, steps)
    last = count - 1
    out = []
    names = {}
    for t in steps:
        cx = (t - 1 if t else 0) * pitch_x
        for i, layer in enumerate(spec.layers):
            if i == last and spec.unroll and spec.outputs == "last" and t != spec.unroll:
                continue
            cy = column.cy(i)
            w = widths[i]
            box = BBox(cx - w / 2, cy - height / 2, cx + w / 2, cy + height / 2)
            nodes = [] if blocks else [(cx - w / 2 + d / 2 + k * (d + gaps[i]), cy) for k in range(layer.size)]
            out.append(Element(i, t, box, nodes))
            if named:
                right, top, _ = sides[i]
                name = row_name(spec, i, t)
                base = cy + top - text_box(name, 0.0, 0.0, m.size, m.family).y0
                x = cx + right
                names[(i, t)] = Text(x, base, name, m.size, m.family, theme.text.color, "end",
                                     text_box(name, x, base, m.size, m.family, "end"), "state")
    return Layout(out, column, pitch_x, names)


def row_bands(spec: RnnSpec, m: Measures, height: float, named: bool) -> list[tuple[float, float]]:
    """What each row has beside it (its name, arrows, a loop), from top to bottom, relative to
    its centre."""
    bands = []
    for i in range(len(spec.layers)):
        lo, hi = name_band(spec, i, m) if named else (0.0, 0.0)
        if is_recurrent(spec, i):
            if spec.unroll:  # the arrows in, and h₀ (c₀) before the first step
                reach = max(m.half_arrow, m.line / 2)
                lo, hi = min(lo, -reach), max(hi, reach)
            else:  # the loop (its control points bound it) and z⁻¹
                shape = loop_shape(BBox(0.0, -height / 2, 0.0, height / 2))
                lo, hi = min(lo, shape.c1[1] - m.shaft / 2, -m.line / 2), max(hi, shape.c2[1] + m.shaft / 2, m.line / 2)
        bands.append((lo, hi))
    return bands


def name_sides(spec: RnnSpec, m: Measures, column: Column, named: bool,
               steps: Sequence[int]) -> tuple[list[tuple[float, float, float]], float]:
    """Where each row's name ends on the right, relative to its step's centre (with the top and
    bottom of its band), and the pitch between steps: room for the arrow from the step before
    and for the name, clear of the step before (its mirror image)."""
    widths = column.widths
    count = len(spec.layers)
    pitch_x = max(widths) + spec.step_spacing
    name_widths = [max(text_width(row_name(spec, i, t), m.size, m.family) for t in (steps[0], steps[-1]))
                   for i in range(count)]
    sides = []
    for i in range(count):
        top, bottom = name_band(spec, i, m)
        edge = column.left_edge(column.cy(i) + top - m.pad, column.cy(i) + bottom + m.pad)
        if is_recurrent(spec, i) and not spec.unroll:  # a thick loop's stroke reaches back over its row
            edge = min(edge, widths[i] / 2 - m.shaft / 2)
        # half a size beyond the row and its outline: as far as a word space
        sides.append((min(edge, -widths[i] / 2 - column.outline) - m.size / 2, top, bottom))
    if spec.unroll:
        for i in range(count):
            if is_recurrent(spec, i):
                pitch_x = max(pitch_x, widths[i] + m.min_arrow)
            if named:
                pitch_x = max(pitch_x, name_widths[i] + m.pad - 2 * sides[i][0])
    return sides, pitch_x
