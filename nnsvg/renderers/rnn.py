"""RNN: recurrent networks, folded (each recurrent layer with a loop back into itself) or
unrolled through time (one column per step, h(t-1) → h(t) edges).

Within a time step the layers run bottom to top (x, the recurrent layers, y); time runs left
to right. Each layer is drawn as a row of nodes (small plain RNNs) or as a block (big layers,
LSTM and GRU cells). Feed-forward connections are grey; recurrent ones take the theme's
``edge.recurrent`` colour and are dashed, so they read apart even in greyscale.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..geometry import BBox, Point, baseline_for_center, text_box, text_width, unit
from ..scene import Circle, CubicTo, Fan, Group, MoveTo, Path, Primitive, Rect, Scene, Text
from ..spec.rnn import RnnSpec
from ..theme import Theme
from .anatomy import sub
from .arrows import solid_head, straight_arrow
from .labels import superscript

BLOCK_HEIGHT = 36.0


@dataclass
class Element:
    """One layer at one time step: its box on the page and, in node form, its node centres."""

    layer: int
    step: int  # 0 for a folded drawing
    box: BBox
    nodes: list[Point]


def state_name(spec: RnnSpec, layer: int, step: int | None) -> str:
    """x, h, y with the time step as a subscript (and the layer as (l) when stacked)."""
    count = len(spec.layers)
    t = "" if step is None else sub(step)
    if layer == 0:
        return f"x{t}"
    if layer == count - 1:
        return f"y{t}"
    stacked = count > 3
    return f"h{t}" + (f"⁽{superscript(layer)}⁾" if stacked else "")


def block_width(spec: RnnSpec, theme: Theme) -> float:
    size, family = theme.text.size, theme.text.family
    names = [state_name(spec, i, spec.unroll or None) for i in range(len(spec.layers))]
    widest = max(text_width(n, size, family) for n in [*names, spec.cell.upper()])
    return max(48.0, widest + 2.2 * size)


def elements(spec: RnnSpec, theme: Theme) -> tuple[list[Element], float]:
    """Every element's box (and nodes), and the half-width of a step column."""
    d, gap = spec.node_diameter, spec.node_gap
    blocks = spec.use_blocks()
    widths = [block_width(spec, theme) if blocks else layer.size * d + (layer.size - 1) * gap
              for layer in spec.layers]
    height = BLOCK_HEIGHT if blocks else d
    column = max(widths)
    pitch_x = column + spec.step_spacing
    pitch_y = height + spec.layer_spacing
    steps = range(1, spec.unroll + 1) if spec.unroll else [0]
    last = len(spec.layers) - 1
    out = []
    for t in steps:
        cx = (t - 1 if t else 0) * pitch_x
        for i, layer in enumerate(spec.layers):
            if i == last and spec.unroll and spec.outputs == "last" and t != spec.unroll:
                continue
            cy = -i * pitch_y
            w = widths[i]
            box = BBox(cx - w / 2, cy - height / 2, cx + w / 2, cy + height / 2)
            nodes = [] if blocks else [(cx - w / 2 + d / 2 + k * (d + gap), cy) for k in range(layer.size)]
            out.append(Element(i, t, box, nodes))
    return out, column / 2


def loop(element: Element, theme: Theme, delay: bool) -> list[Primitive]:
    """A feedback loop on the element's right side: out of it, round, and back in below."""
    box = element.box
    h = box.height
    start = (box.x1, box.center_y - h * 0.22)
    end = (box.x1 + 0.5, box.center_y + h * 0.22)
    reach = max(h * 1.3, 44.0)
    bulge = max(h * 0.9, 16.0)
    c1 = (box.x1 + reach, start[1] - bulge)
    c2 = (box.x1 + reach, end[1] + bulge)
    color, width = theme.edge.recurrent, max(theme.edge.width * theme.arrow.shaft_scale, 1.0)
    head, back = solid_head(end, unit(end[0] - c2[0], end[1] - c2[1]), color, theme, "recurrent")
    curve = Path((MoveTo(*start), CubicTo(*c1, *c2, *back)), BBox.around([start, c1, c2, back]), stroke=color,
                 stroke_width=width, cls="recurrent", dash=theme.edge.recurrent_dasharray())
    items: list[Primitive] = [curve, head]
    if delay:  # the one-step delay, at the loop's far side
        size, family = theme.text.size * 0.85, theme.text.family
        x = box.x1 + reach * 0.75 + size * 0.5
        base = baseline_for_center(box.center_y, size, family)
        items.append(Text(x, base, "z⁻¹", size, family, color, "start",
                          text_box("z⁻¹", x, base, size, family), "delay"))
    return items


def element_shapes(spec: RnnSpec, element: Element, theme: Theme) -> list[Primitive]:
    """A row of nodes, or a block with its text (cell name and state for a recurrent layer)."""
    layer = spec.layers[element.layer]
    recurrent = 0 < element.layer < len(spec.layers) - 1
    if element.nodes:
        node = theme.node
        return [Circle(x, y, spec.node_diameter / 2, layer.fill or node.fill, layer.stroke or node.stroke,
                       node.stroke_width, "node") for x, y in element.nodes]
    block, box = theme.block, element.box
    fill = layer.fill or (block.cell_fill if recurrent else block.fill)
    out: list[Primitive] = [Rect(box.x0, box.y0, box.width, box.height, fill, block.stroke, block.stroke_width,
                                 cls="cell" if recurrent else "block", radius=block.radius)]
    size, family = theme.text.size, theme.text.family
    name = state_name(spec, element.layer, element.step or None) if spec.unroll else \
        (layer.label or state_name(spec, element.layer, None))
    lines = [spec.cell.upper(), name] if recurrent else [name]
    for k, text in enumerate(lines):
        cy = box.center_y + (k - (len(lines) - 1) / 2) * size * 1.05
        small = size * (0.8 if recurrent and k == 0 else 1.0)
        base = baseline_for_center(cy, small, family)
        out.append(Text(box.center_x, base, text, small, family, theme.text.color, "middle",
                        text_box(text, box.center_x, base, small, family, "middle"),
                        "cell-type" if recurrent and k == 0 else "state"))
    return out


def render(spec: RnnSpec, theme: Theme) -> Scene:
    items, _ = elements(spec, theme)
    by = {(e.layer, e.step): e for e in items}
    count = len(spec.layers)
    layer_groups = [Group(f"layer-{i}", "layer") for i in range(count)]
    edges = Group("edges", "edges")
    recurrent = Group("recurrent", "recurrent")
    edge, width = theme.edge, theme.edge.width
    shaft = max(width * theme.arrow.shaft_scale, 1.0)
    for e in items:
        layer_groups[e.layer].children.extend(element_shapes(spec, e, theme))
        above = by.get((e.layer + 1, e.step))
        if above is not None:  # feed-forward, one step up
            if e.nodes and above.nodes:
                edges.add(Path(Fan(tuple(e.nodes), tuple(above.nodes)), BBox.around(e.nodes + above.nodes),
                               stroke=edge.color, stroke_width=width, cls="feedforward"))
            else:
                edges.children.extend(straight_arrow((e.box.center_x, e.box.y0), (above.box.center_x, above.box.y1),
                                            edge.color, shaft, theme, "feedforward"))
        if 0 < e.layer < count - 1:  # recurrent
            if not spec.unroll:
                recurrent.children.extend(loop(e, theme, spec.delay))
            elif (e.layer, e.step + 1) in by:
                nxt = by[(e.layer, e.step + 1)]
                recurrent.children.extend(straight_arrow((e.box.x1, e.box.center_y), (nxt.box.x0, nxt.box.center_y),
                                                edge.recurrent, shaft, theme, "recurrent",
                                                edge.recurrent_dasharray()))
    scene = Scene("rnn", theme.background, theme.margin, flow="y",  # layers bottom to top; time runs across
                  title=f"rnn {' '.join(str(layer.size) for layer in spec.layers)} {spec.cell}"
                        + (f" unrolled {spec.unroll}" if spec.unroll else ""))
    scene.groups.extend([edges, recurrent, *layer_groups])
    if spec.labels:
        scene.groups.append(captions(spec, theme, items, scene))
    return scene


def captions(spec: RnnSpec, theme: Theme, items: list[Element], scene: Scene) -> Group:
    """Node rows get their names on the left; a legend under the drawing gives every layer's
    size (x ∈ ℝ³, h ∈ ℝ⁵, …) and, unrolled, the number of steps."""
    size, family = theme.text.size, theme.text.family
    group = Group("captions", "captions")
    count = len(spec.layers)
    for e in items:
        if e.nodes:
            caption = spec.layers[e.layer].label
            name = caption if caption and not spec.unroll else state_name(spec, e.layer, e.step or None)
            x = e.box.x0 - size * 0.5
            base = baseline_for_center(e.box.center_y, size, family)
            if spec.unroll and 0 < e.layer < count - 1:  # clear of the recurrent arrow at mid-height
                base = e.box.center_y - size * 0.35
            group.add(Text(x, base, name, size, family, theme.text.color, "end",
                           text_box(name, x, base, size, family, "end"), "state"))
    parts = [f"{state_name(spec, i, None)} ∈ ℝ{superscript(layer.size)}" for i, layer in enumerate(spec.layers)]
    if spec.unroll:
        parts.append(f"T = {spec.unroll}")
    legend = ",  ".join(parts)
    drawn = scene.bbox()
    x = (drawn.x0 + drawn.x1) / 2
    top = drawn.y1 + size * 1.2
    base = top - text_box("Hg", 0, 0, size, family).y0
    group.add(Text(x, base, legend, size, family, theme.text.color, "middle",
                   text_box(legend, x, base, size, family, "middle"), "legend"))
    return group
