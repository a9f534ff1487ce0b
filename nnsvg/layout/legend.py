"""Vector legends (``--legend right|below|auto``): a key to the colours and kinds a figure draws.

Renderers record an entry for each kind of thing as they draw it, so the legend lists what the
figure shows and nothing else (never a fixed list):

    from ..layout import legend
    from ..scene import Swatch     # the records (Swatch, Entry) live on the scene
    legend.add(scene, "bias", Swatch("disc", fill=..., stroke=..., stroke_width=..., mark="+1"))
    legend.add(scene, "connection.add", Swatch("line", stroke=c, stroke_width=w, mark="⊕"),
               "Add (residual)")
    legend.add(scene, "op.conv", legend.like(rect), "Convolution")   # the swatch of a drawn shape

``key`` names the entry: it is what the spec's ``legend_labels`` overrides (``{bias: "+1 unit"}``;
an empty text leaves the entry out), and an entry is recorded once (the first ``add`` of a key
wins, so a renderer may call it for every shape it draws). The label is ``NAMES[key]`` unless
given. ``like(prim)`` copies a drawn primitive's fill, stroke, width, opacity and dash, so the
swatch looks exactly like the shapes it stands for. Swatch shapes: ``disc`` (a node, with an
optional ``mark``: a text such as "+1", ``cross`` for a dropped node, or ``glyph:NAME`` for an
activation curve), ``box`` (a rectangle, ``radius`` for rounded blocks), ``square`` (a small
one: a filter window), ``stack`` (two maps,
``fill`` behind ``alt``), ``slab`` (LeNet's dense parallelogram), ``cube`` and ``bar`` (AlexNet's
volumes and dense boxes, shaded by ``shade``), ``line`` (a connection: ``dash``, ``head`` none
or solid, an optional ``mark`` such as ⊕ at its end) and ``ramp`` (edge colours by weight:
``ramp`` holds the colours at −1, 0, +1, with ``ends`` as the texts at the bar's ends).

``place(scene, spec, theme)`` (called by ``nnsvg.renderers.render`` after the style's renderer,
so it is part of the layout at a printed size) lays the entries out clear of the drawing: in
rows under it (wrapping at the drawing's width) or in columns right of it (wrapping at its
height); ``auto`` picks the side that keeps the figure closer to the page's aspect.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .. import colors, kinds
from ..geometry import BBox, Point, baseline_for_center, text_box, text_width, union_all
from ..scene import (
    Circle,
    Close,
    Entry,
    Group,
    LineTo,
    MoveTo,
    Path,
    Polygon,
    Polylines,
    Primitive,
    Rect,
    Scene,
    Swatch,
    Text,
)

if TYPE_CHECKING:
    from ..theme import Theme


class Spec(Protocol):
    """What the legend reads of a style's spec (``nnsvg.spec.base.BaseSpec`` has these)."""

    @property
    def legend(self) -> str: ...
    @property
    def legend_labels(self) -> Mapping[str, str]: ...
    @property
    def width(self) -> str | None: ...
    @property
    def height(self) -> str | None: ...


# The default label of each key a renderer records (a key not here needs its label given).
NAMES: dict[str, str] = {
    "node": "Neuron",
    "bias": "Bias unit (+1)",
    "dropout": "Dropped unit",
    "weight": "Weight",
    "map": "Feature maps",
    "dense": "Dense layer",
    "window": "Filter window",
    "volume": "Feature volume",
    "filter": "Filter",
    "pyramid": "Receptive field",
    "block": "Layer",
    "cell": "Recurrent cell",
    "edge": "Feed-forward",
    "recurrent": "Recurrent (h)",
    "cell-state": "Cell state (c)",
    **kinds.LEGEND_NAMES,  # connection.KIND, merge.KIND, op.KIND
}
PAGE_ASPECT = 6.5 / 9.0  # a paper's text block: ``auto`` aims at it unless --width and --height set one
SWATCH = 1.15  # a swatch's height, in text sizes (its width: SWATCH_WIDE for lines and boxes)
SWATCH_WIDE = 1.9
RAMP_WIDE = 4.5  # the weight bar
RAMP_STEPS = 16
GAP = 0.45  # swatch to label, in text sizes
COLUMN_GAP = 1.4  # between two entries in a row
ROW_GAP = 0.45  # between two rows
AWAY = 1.2  # from the drawing


def add(scene: Scene, key: str, swatch: Swatch, label: str | None = None) -> None:
    """Record that the figure draws ``key`` (once: later calls with the same key are ignored)."""
    if any(entry.key == key for entry in scene.legend):
        return
    scene.legend.append(Entry(key, label if label is not None else NAMES.get(key, key), swatch))


def like(prim: Primitive, shape: str | None = None, **changes: object) -> Swatch:
    """The swatch of a drawn primitive: its fill, stroke, width, opacity and dash (a circle is a
    disc, a path a line, any other shape a box unless ``shape`` says)."""
    if isinstance(prim, Circle):
        base = Swatch(shape or "disc", prim.fill, prim.stroke, prim.stroke_width)
    elif isinstance(prim, Path):
        base = Swatch(shape or "line", prim.fill, prim.stroke, prim.stroke_width, prim.opacity, dash=prim.dash)
    elif isinstance(prim, Rect):
        base = Swatch(shape or "box", prim.fill, prim.stroke, prim.stroke_width, prim.opacity, radius=prim.radius)
    elif isinstance(prim, Polygon):
        base = Swatch(shape or "box", prim.fill, prim.stroke, prim.stroke_width, prim.opacity,
                      fill_opacity=prim.fill_opacity)
    else:
        raise TypeError(f"no swatch for {type(prim).__name__}")
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]


# --- layout -------------------------------------------------------------------------------

@dataclass
class _Item:
    entry: Entry
    width: float  # swatch slot + gap + label
    slot: float  # the swatch's width


def _slot(swatch: Swatch, size: float, family: str) -> float:
    if swatch.shape == "ramp":
        ends = sum(text_width(t, size * 0.85, family) for t in swatch.ends)
        return RAMP_WIDE * size + ends + 0.5 * size
    if swatch.shape in ("disc", "cube", "bar"):
        return SWATCH * size
    if swatch.shape == "line" and swatch.mark:
        return SWATCH_WIDE * size + 1.2 * size
    return SWATCH_WIDE * size


def _grid(items: list[_Item], columns: int, size: float) -> tuple[list[float], int]:
    """Column widths of a row-major grid of ``columns`` columns, and its row count."""
    rows = math.ceil(len(items) / columns)
    widths = [max(items[k].width for k in range(c, len(items), columns)) for c in range(columns)]
    return widths, rows


def arrange(items: list[_Item], side: str, drawing: BBox, size: float, line: float) -> list[tuple[int, int]]:
    """(row, column) of each item: under the drawing, as many per row as its width holds (at
    least one); right of it, as many per column as its height holds (at least one)."""
    n = len(items)
    row_h = line + ROW_GAP * size
    if side == "below":
        columns = n
        while columns > 1:
            widths, _ = _grid(items, columns, size)
            if sum(widths) + COLUMN_GAP * size * (columns - 1) <= max(drawing.width, max(i.width for i in items)):
                break
            columns -= 1
        return [(k // columns, k % columns) for k in range(n)]
    per = max(1, math.floor((drawing.height + ROW_GAP * size) / row_h))
    return [(k % per, k // per) for k in range(n)]


def _entries(scene: Scene, spec: Spec) -> list[Entry]:
    labels = spec.legend_labels
    out = []
    for entry in scene.legend:
        label = labels.get(entry.key, entry.label)
        if label:
            out.append(Entry(entry.key, label, entry.swatch))
    unknown = [key for key in labels if key not in {e.key for e in scene.legend}]
    if unknown:
        keys = ", ".join(e.key for e in scene.legend) or "none"
        scene.notes.append(f"legend_labels: {', '.join(repr(k) for k in unknown)} name no entry of this figure's "
                           f"legend (its entries: {keys})")
    return out


def place(scene: Scene, spec: Spec, theme: Theme) -> None:
    """Add the legend group to the scene, clear of everything drawn (``spec.legend``: off,
    right, below, auto)."""
    if spec.legend == "off":
        return
    entries = _entries(scene, spec)
    if not entries:
        return
    size, family = theme.text.size, theme.text.family
    items = [_Item(e, 0.0, _slot(e.swatch, size, family)) for e in entries]
    common = max((i.slot for i in items if i.entry.swatch.shape != "ramp"), default=0.0)
    for item in items:
        if item.entry.swatch.shape != "ramp":
            item.slot = common
        item.width = item.slot + GAP * size + text_width(item.entry.label, size, family)
    drawing = scene.bbox()
    line = max(text_box("Hg", 0.0, 0.0, size, family).height, SWATCH * size)
    sides = ["right", "below"] if spec.legend == "auto" else [spec.legend]
    options = [_laid_out(items, side, drawing, size, family, line, theme) for side in sides]
    if len(options) > 1:
        aim = _aim(spec)
        options.sort(key=lambda group: abs(math.log(_aspect(drawing, group) / aim)))
    scene.groups.append(options[0])


def _aim(spec: Spec) -> float:
    """The aspect (width / height) ``auto`` aims at: the target's when both sides are given,
    else a paper's text block."""
    if spec.width is not None and spec.height is not None:
        from ..units import parse

        return parse(spec.width, "width").px / parse(spec.height, "height").px
    return PAGE_ASPECT


def _aspect(drawing: BBox, group: Group) -> float:
    box = union_all([drawing, *([b] if (b := group.bbox()) is not None else [])]) or drawing
    return max(box.width, 1e-9) / max(box.height, 1e-9)


def _laid_out(items: list[_Item], side: str, drawing: BBox, size: float, family: str, line: float,
              theme: Theme) -> Group:
    cells = arrange(items, side, drawing, size, line)
    columns = max(c for _, c in cells) + 1
    rows = max(r for r, _ in cells) + 1
    widths = [max((items[k].width for k, (_, c) in enumerate(cells) if c == col), default=0.0)
              for col in range(columns)]
    row_h = line + ROW_GAP * size
    total_w = sum(widths) + COLUMN_GAP * size * (columns - 1)
    total_h = rows * line + (rows - 1) * ROW_GAP * size
    if side == "below":
        x0 = drawing.center_x - total_w / 2
        y0 = drawing.y1 + AWAY * size
    else:
        x0 = drawing.x1 + AWAY * size * 1.5
        y0 = drawing.center_y - total_h / 2
    lefts = [x0 + sum(widths[:c]) + COLUMN_GAP * size * c for c in range(columns)]
    group = Group("legend", f"legend {side}")
    for k, (row, col) in enumerate(cells):
        item = items[k]
        cy = y0 + row * row_h + line / 2
        group.add(_entry_group(item, lefts[col], cy, size, family, theme))
    return group


_ID = re.compile(r"[^A-Za-z0-9_-]+")


def _entry_group(item: _Item, x: float, cy: float, size: float, family: str, theme: Theme) -> Group:
    entry = item.entry
    group = Group(f"legend-{_ID.sub('-', entry.key).strip('-') or 'entry'}", "legend-entry")
    group.children.extend(swatch_shapes(entry.swatch, x, cy, item.slot, size, family, theme))
    tx = x + item.slot + GAP * size
    base = baseline_for_center(cy, size, family)
    group.add(Text(tx, base, entry.label, size, family, theme.text.color, "start",
                   text_box(entry.label, tx, base, size, family), "legend-label"))
    return group


def swatch_shapes(s: Swatch, x: float, cy: float, slot: float, size: float, family: str,
                  theme: Theme) -> list[Primitive]:
    """The primitives of a swatch in the slot from ``x`` (``slot`` wide) centred on ``cy``."""
    h = SWATCH * size
    cls = "legend-swatch"
    if s.shape == "disc":
        r = h / 2 - s.stroke_width / 2
        cx = x + slot / 2
        disc = Circle(cx, cy, r, s.fill, s.stroke, s.stroke_width, cls)
        out: list[Primitive] = [disc]
        if s.mark == "cross":
            k = r * 0.72
            out.append(Path((MoveTo(cx - k, cy - k), LineTo(cx + k, cy + k), MoveTo(cx - k, cy + k),
                             LineTo(cx + k, cy - k)), BBox(cx - k, cy - k, cx + k, cy + k), stroke=s.mark_color,
                            stroke_width=max(s.stroke_width, size / 12), cls="dropout", linecap="round"))
        elif s.mark is not None and s.mark.startswith("glyph:"):
            from .glyphs import glyph

            g = 2 * r * 0.55
            box = BBox(cx - g / 2, cy - g / 2, cx + g / 2, cy + g / 2)
            out.append(Path(Polylines(glyph(s.mark[6:], cx, cy, g)), box, stroke=s.mark_color,
                            stroke_width=max(0.6 * size / 12, 2 * r * 0.045), cls="activation", linejoin="round",
                            linecap="round"))
        elif s.mark:
            small = r * 0.9
            base = baseline_for_center(cy, small, family)
            out.append(Text(cx, base, s.mark, small, family, s.mark_color, "middle",
                            text_box(s.mark, cx, base, small, family, "middle"), "legend-mark", host=disc))
        return out
    w = SWATCH_WIDE * size
    left = x + (slot - w) / 2
    top = cy - h / 2
    if s.shape == "box":
        return [Rect(left, top, w, h, s.fill, s.stroke, s.stroke_width, s.opacity, cls,
                     min(s.radius, h / 2))]
    if s.shape == "square":
        side = h * 0.8
        return [Rect(x + (slot - side) / 2, cy - side / 2, side, side, s.fill, s.stroke, s.stroke_width, s.opacity,
                     cls, min(s.radius, side / 2))]
    if s.shape == "stack":
        step = h * 0.28
        bw, bh = w - step, h - step
        return [Rect(left, top, bw, bh, s.fill, s.stroke, s.stroke_width, s.opacity, cls),
                Rect(left + step, top + step, bw, bh, s.alt or s.fill, s.stroke, s.stroke_width, s.opacity, cls)]
    if s.shape == "slab":
        depth = h * 0.7  # 0.5 h thick across its slant
        length = h
        x0 = x + (slot - depth - length) / 2
        corners = ((x0, top), (x0 + depth, top), (x0 + depth + length, top + length), (x0 + length, top + length))
        return [Polygon(corners, s.fill, s.stroke, s.stroke_width, s.opacity, cls)]
    if s.shape in ("cube", "bar"):
        return _box3(s, x, cy, slot, h)
    if s.shape == "line":
        return _line(s, x, cy, slot, size, family, theme)
    if s.shape == "ramp":
        return _ramp(s, x, cy, size, family, theme)
    raise ValueError(f"unknown swatch shape {s.shape!r}")


def _box3(s: Swatch, x: float, cy: float, slot: float, h: float) -> list[Primitive]:
    """A small box seen from the front, a little above and right: front, right and top faces,
    shaded as AlexNet shades them."""
    front_w = h * (0.8 if s.shape == "cube" else 0.35)
    front_h = h * 0.8
    dx = dy = h * 0.25
    x0 = x + (slot - front_w - dx) / 2
    y0 = cy - (front_h + dy) / 2 + dy
    front = ((x0, y0), (x0 + front_w, y0), (x0 + front_w, y0 + front_h), (x0, y0 + front_h))
    right = ((x0 + front_w, y0), (x0 + front_w + dx, y0 - dy), (x0 + front_w + dx, y0 + front_h - dy),
             (x0 + front_w, y0 + front_h))
    top = ((x0, y0), (x0 + dx, y0 - dy), (x0 + front_w + dx, y0 - dy), (x0 + front_w, y0))

    def shaded(face: str) -> str:
        if s.fill == "none" or s.shade == 0:
            return s.fill
        return colors.mix(s.fill, "#ffffff" if face == "top" else "#000000", s.shade)

    # the faces' class words tell the quality check to measure the box by its largest face
    return [Polygon(points, shaded(face) if face != "front" else s.fill, s.stroke, s.stroke_width, s.opacity,
                    f"legend-swatch {face}", fill_opacity=s.fill_opacity)
            for face, points in (("front", front), ("right", right), ("top", top))]


def _line(s: Swatch, x: float, cy: float, slot: float, size: float, family: str, theme: Theme) -> list[Primitive]:
    w = SWATCH_WIDE * size
    start: Point = (x, cy)
    end: Point = (x + w, cy)
    out: list[Primitive] = []
    if s.head == "solid":
        length, half = theme.arrow.length, theme.arrow.width / 2
        tip = end
        base = (tip[0] - length, cy)
        out.append(Path((MoveTo(base[0], cy - half), LineTo(*tip), LineTo(base[0], cy + half), Close()),
                        BBox(base[0], cy - half, tip[0], cy + half), fill=s.stroke, opacity=s.opacity,
                        cls="legend-swatch arrowhead"))
        end = (tip[0] - length * 0.8, cy)
    out.insert(0, Path((MoveTo(*start), LineTo(*end)), BBox(start[0], cy, end[0], cy), stroke=s.stroke,
                       stroke_width=s.stroke_width, opacity=s.opacity, cls="legend-swatch", dash=s.dash))
    if s.mark:
        r = size * 0.5
        cx = x + w + size * 0.2 + r
        ring = Circle(cx, cy, r, theme.background if theme.background != "none" else "#ffffff", s.stroke,
                      max(s.stroke_width, size / 16), "legend-swatch")
        base_y = baseline_for_center(cy, size * 0.85, family)
        out.append(ring)
        out.append(Text(cx, base_y, s.mark, size * 0.85, family, s.stroke, "middle",
                        text_box(s.mark, cx, base_y, size * 0.85, family, "middle"), "legend-mark", host=ring))
    return out


def _ramp(s: Swatch, x: float, cy: float, size: float, family: str, theme: Theme) -> list[Primitive]:
    """The edge colours from weight -1 to +1 as a bar of slices, the end values beside it."""
    assert s.ramp is not None
    small = size * 0.85
    base = baseline_for_center(cy, small, family)
    low, high = s.ends
    out: list[Primitive] = [Text(x, base, low, small, family, theme.text.color, "start",
                                 text_box(low, x, base, small, family), "legend-label")]
    bar_x = x + text_width(low, small, family) + 0.25 * size
    bar_w, bar_h = RAMP_WIDE * size, SWATCH * size * 0.7
    step = bar_w / RAMP_STEPS
    top = cy - bar_h / 2
    for k in range(RAMP_STEPS):  # each slice a little wider than its step: no seams between them
        w = -1 + 2 * (k + 0.5) / RAMP_STEPS
        color = colors.ramp(*s.ramp, w)
        x0, x1 = bar_x + k * step, bar_x + min((k + 1) * step + step * 0.3, bar_w)
        out.append(Path((MoveTo(x0, top), LineTo(x1, top), LineTo(x1, top + bar_h), LineTo(x0, top + bar_h), Close()),
                        BBox(x0, top, x1, top + bar_h), fill=color, cls="legend-ramp"))
    out.append(Rect(bar_x, top, bar_w, bar_h, "none", theme.text.color, max(size / 24, 0.25), cls="legend-swatch"))
    hx = bar_x + bar_w + 0.25 * size
    out.append(Text(hx, base, high, small, family, theme.text.color, "start",
                    text_box(high, hx, base, small, family), "legend-label"))
    return out
