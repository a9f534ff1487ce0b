"""RNN: recurrent networks, folded (each recurrent layer with a loop back into itself) or
unrolled through time (one column per step, h(t-1) → h(t) edges, h₀ entering the first step;
an LSTM also carries its cell state c(t-1) → c(t) along the top of its cells).

Within a time step the layers run bottom to top (x, the recurrent layers, y); time runs left
to right. Each layer is drawn as a row of nodes (small plain RNNs) or as a block (big layers,
LSTM and GRU cells). Feed-forward connections are grey; recurrent ones take the theme's
``edge.recurrent`` colour and are dashed, so they read apart even in greyscale.

Every text is measured before anything is placed: the spacing between rows and between time
steps grows where the names beside rows of nodes, the arrows, the h₀ (c₀) texts and the loops
need it, so a name never sits on an arrowhead, an edge, a node or another name. A text inside
a block names that block (``Text.host``).
"""

from __future__ import annotations

from ..geometry import BBox, baseline_for_center, text_box, text_width, union_all, unit
from ..layout import legend
from ..layout.arrows import solid_head, straight_arrow
from ..layout.labels import superscript
from ..scene import Circle, CubicTo, Fan, Group, MoveTo, Path, Primitive, Rect, Scene, Text
from ..spec.rnn import RnnSpec
from ..theme import Theme
from ..units import PT_PER_PX
from .rnn_layout import (
    INITIAL_ARROW,
    Element,
    Measures,
    block_name,
    carries_cell_state,
    is_recurrent,
    lanes,
    layout,
    line_step,
    loop_shape,
    measures,
    printed,
    state_name,
)

# A figure is too big when, fitted to a page's text block, its text prints smaller than this.
PAGE_TEXT = (6.5 * 96, 9.0 * 96)  # a paper's text block (6.5 × 9 in), in px
SMALLEST_PT = 4.0
CELL_TYPE = 0.8  # a cell's type (LSTM) relative to the text size, at the drawing's own size
DELAY = 0.85  # the z⁻¹ of a folded loop, the same
LEGEND_SLACK = 1.25  # at a printed width a legend wider than the drawing by more than this wraps
LEGEND_LEADING = 1.25  # its line spacing, in text heights


def loop(element: Element, theme: Theme, delay: bool, clear_x: float, at_print: bool = False) -> list[Primitive]:
    """A feedback loop on the element's right side, with z⁻¹ beyond it (and right of
    ``clear_x``, where the rest of the drawing at that height ends); ``at_print``: z⁻¹ at the
    text's size."""
    box = element.box
    shape = loop_shape(box)
    start, c1, c2, end = shape.start, shape.c1, shape.c2, shape.end
    color, width = theme.edge.recurrent, max(theme.edge.width * theme.arrow.shaft_scale, 1.0)
    head, back = solid_head(end, unit(end[0] - c2[0], end[1] - c2[1]), color, theme, "recurrent")
    curve = Path((MoveTo(*start), CubicTo(*c1, *c2, *back)), BBox.around([start, c1, c2, back]), stroke=color,
                 stroke_width=width, cls="recurrent", dash=theme.edge.recurrent_dasharray())
    items: list[Primitive] = [curve, head]
    if delay:  # the one-step delay, at the loop's far side
        size, family = theme.text.size * (1.0 if at_print else DELAY), theme.text.family
        far = max(_cubic_x(start[0], c1[0], c2[0], back[0], k / 32) for k in range(33))  # the loop's far side
        x = max(far + width / 2 + size * 0.45, clear_x)
        base = baseline_for_center(box.center_y, size, family)
        items.append(Text(x, base, "z⁻¹", size, family, color, "start",
                          text_box("z⁻¹", x, base, size, family), "delay"))
    return items


def _cubic_x(a: float, b: float, c: float, d: float, t: float) -> float:
    u = 1 - t
    return u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * d


def element_shapes(spec: RnnSpec, element: Element, theme: Theme) -> list[Primitive]:
    """A row of nodes, or a block with its text (cell name and state for a recurrent layer),
    the text hosted by the block."""
    layer = spec.layers[element.layer]
    recurrent = is_recurrent(spec, element.layer)
    if element.nodes:
        node = theme.node
        return [Circle(x, y, spec.node_diameter / 2, layer.fill or node.fill, layer.stroke or node.stroke,
                       node.stroke_width, "node") for x, y in element.nodes]
    block, box = theme.block, element.box
    fill = layer.fill or (block.cell_fill if recurrent else block.fill)
    rect = Rect(box.x0, box.y0, box.width, box.height, fill, block.stroke, block.stroke_width,
                cls="cell box" if recurrent else "block box", radius=block.radius)  # (box: it holds its text)
    out: list[Primitive] = [rect]
    size, family = theme.text.size, theme.text.family
    name = block_name(spec, element.layer, element.step)
    lines = [spec.cell.upper(), name] if recurrent else [name]
    for k, text in enumerate(lines):
        cy = box.center_y + (k - (len(lines) - 1) / 2) * line_step(spec, measures(theme))
        small = size * (CELL_TYPE if recurrent and k == 0 and not printed(spec) else 1.0)
        base = baseline_for_center(cy, small, family)
        out.append(Text(box.center_x, base, text, small, family, theme.text.color, "middle",
                        text_box(text, box.center_x, base, small, family, "middle"),
                        "cell-type" if recurrent and k == 0 else "state", host=rect))
    return out


def initial_state(spec: RnnSpec, theme: Theme, m: Measures, first: Element, lane: float, letter: str,
                  right: float) -> list[Primitive]:
    """h₀ (or c₀) before the first step, with an arrow into it: the text (a caption) ends at ``right``, the
    arrow runs at height ``lane`` (relative to the element's centre) to the element's edge."""
    y = first.box.center_y + lane
    name = state_name(spec, first.layer, 0, letter)
    cls = "cell-state" if letter == "c" else "recurrent"
    base = baseline_for_center(y, m.size, m.family)
    text = Text(right, base, name, m.size, m.family, theme.text.color, "end",
                text_box(name, right, base, m.size, m.family, "end"), f"{cls} initial")
    shaft = max(theme.edge.width * theme.arrow.shaft_scale, 1.0)
    start = right + m.pad + shaft / 2  # a thick shaft's end stays clear of the text too
    arrow: list[Primitive] = [*straight_arrow((start, y), (first.box.x0, y), theme.edge.recurrent, shaft,
                                              theme, f"{cls} initial", theme.edge.recurrent_dasharray())]
    return [*arrow, text] if spec.labels else arrow  # without captions, the state comes in unnamed


def render(spec: RnnSpec, theme: Theme) -> Scene:
    m = measures(theme)
    plan = layout(spec, theme, m)
    items = plan.elements
    by = {(e.layer, e.step): e for e in items}
    count = len(spec.layers)
    layer_groups = [Group(f"layer-{i}", "layer") for i in range(count)]
    edges = Group("edges", "edges")
    recurrent = Group("recurrent", "recurrent")
    cell_state = Group("cell-state", "cell-state")
    edge, width = theme.edge, theme.edge.width
    shaft = max(width * theme.arrow.shaft_scale, 1.0)
    ways = lanes(spec, plan.column.height) if spec.use_blocks() else {"h": 0.0}
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
        if not is_recurrent(spec, e.layer):
            continue
        if not spec.unroll:
            right = -plan.column.left_edge(e.box.center_y - m.line / 2, e.box.center_y + m.line / 2)
            recurrent.children.extend(loop(e, theme, spec.delay, e.box.center_x + right + m.pad, printed(spec)))
            continue
        for letter, lane in ways.items():
            group, cls = (cell_state, "cell-state") if letter == "c" else (recurrent, "recurrent")
            if e.step == 1:  # the initial state, left of the row's name and the edges at its height
                end = e.box.x0 - max(m.min_arrow, min(plan.pitch_x - e.box.width, INITIAL_ARROW)) - m.pad - m.shaft / 2
                y = e.box.center_y + lane
                end = min(end, e.box.center_x + plan.column.left_edge(y - m.line / 2 - m.pad, y + m.line / 2 + m.pad)
                          - m.pad)
                if (e.layer, 1) in plan.names:
                    end = min(end, plan.names[(e.layer, 1)].box.x0 - 2 * m.pad)
                group.children.extend(initial_state(spec, theme, m, e, lane, letter, end))
            nxt = by.get((e.layer, e.step + 1))
            if nxt is not None:
                y = e.box.center_y + lane
                group.children.extend(straight_arrow((e.box.x1, y), (nxt.box.x0, y), edge.recurrent, shaft, theme,
                                                     cls, edge.recurrent_dasharray()))
    scene = Scene("rnn", theme.background, theme.margin, flow="y",  # layers bottom to top; time runs across
                  title=f"rnn {' '.join(str(layer.size) for layer in spec.layers)} {spec.cell}"
                        + (f" unrolled {spec.unroll}" if spec.unroll else ""))
    scene.groups.extend([edges, recurrent, *([cell_state] if cell_state.children else []), *layer_groups])
    legend_entries(spec, theme, layer_groups, [edges, recurrent, cell_state], scene)
    if spec.labels:
        scene.groups.append(captions(spec, theme, list(plan.names.values()), scene))
    scene.notes.extend(notes(spec, scene, theme))
    return scene


def legend_entries(spec: RnnSpec, theme: Theme, layers: list[Group], lines: list[Group], scene: Scene) -> None:
    """The legend's entries for what was drawn: the node looks (as FCNN names them) or the
    blocks and recurrent cells, then the feed-forward, recurrent and cell-state connections."""
    looks: dict[tuple[str, str], list[int]] = {}
    for i, group in enumerate(layers):
        layer = spec.layers[i]
        for item in group.children:
            if isinstance(item, Circle):
                look = looks.setdefault((item.fill, item.stroke), [])
                if i not in look:
                    look.append(i)
            elif isinstance(item, Rect) and layer.fill is not None:
                legend.add(scene, f"layer-{i}", legend.like(item), layer.label or state_name(spec, i, None))
            elif isinstance(item, Rect):
                cell = "cell" in (item.cls or "").split()
                legend.add(scene, "cell" if cell else "block", legend.like(item),
                           f"{spec.cell.upper()} cell" if cell else "Input / output")
    if looks:
        from .fcnn import node_entries

        node_entries(scene, looks, len(spec.layers), theme)
    keys = {"feedforward": "edge", "recurrent": "recurrent", "cell-state": "cell-state"}
    for group in lines:
        headed = any(isinstance(p, Path) and "arrowhead" in (p.cls or "") for p in group.children)
        for item in group.children:
            if isinstance(item, Path) and item.stroke != "none" and item.cls and item.cls.split()[0] in keys:
                head = "solid" if headed and not isinstance(item.data, Fan) else "none"
                legend.add(scene, keys[item.cls.split()[0]], legend.like(item, head=head))


def captions(spec: RnnSpec, theme: Theme, names: list[Text], scene: Scene) -> Group:
    """Node rows get their names on the left; a legend under the drawing gives every layer's
    size (x ∈ ℝ³, h ∈ ℝ⁵, …) and, unrolled, the number of steps."""
    size, family = theme.text.size, theme.text.family
    group = Group("captions", "captions")
    group.children.extend(names)
    def state(i: int) -> str:  # an LSTM's cell state is as wide as its hidden state
        both = carries_cell_state(spec) and is_recurrent(spec, i)
        return state_name(spec, i, None) + (f", {state_name(spec, i, None, 'c')}" if both else "")

    parts = [f"{state(i)} ∈ ℝ{superscript(layer.size)}" for i, layer in enumerate(spec.layers)]
    if spec.unroll:
        parts.append(f"T = {spec.unroll}")
    drawn = union_all([scene.bbox(), *(t.box for t in names)]) or scene.bbox()
    x = (drawn.x0 + drawn.x1) / 2
    top = drawn.y1 + size * 1.2
    probe = text_box("Hg", 0, 0, size, family)
    base = top - probe.y0
    printed = spec.width is not None or spec.height is not None
    for line in wrapped(parts, drawn.width, size, family) if printed else [",  ".join(parts)]:
        group.add(Text(x, base, line, size, family, theme.text.color, "middle",
                       text_box(line, x, base, size, family, "middle"), "legend"))
        base += probe.height * LEGEND_LEADING
    return group


def wrapped(parts: list[str], room: float, size: float, family: str) -> list[str]:
    """The legend's items in lines (comma-separated, as one line) at a printed width: one line
    while it is at most ``LEGEND_SLACK`` times as wide as the drawing, else lines filled up to
    the drawing's width (or the widest item). At a column's width the labels keep their printed
    size while the drawing shrinks; a one-line legend of a 4-layer LSTM is wider than 3.5 in at
    9 pt, and the figure would be refused for it."""
    one = ",  ".join(parts)
    if text_width(one, size, family) <= room * LEGEND_SLACK:
        return [one]
    room = max(room, *(text_width(p + ",", size, family) for p in parts))
    lines: list[str] = []
    for part in parts:
        if lines and text_width(f"{lines[-1]},  {part},", size, family) <= room:
            lines[-1] = f"{lines[-1]},  {part}"
        else:
            lines.append(part)
    return [line + ("," if k < len(lines) - 1 else "") for k, line in enumerate(lines)]


def notes(spec: RnnSpec, scene: Scene, theme: Theme) -> list[str]:
    """What the user should know: a per-layer gap that blocks cannot show (returned), and a
    figure so big that its text would be unreadable once fitted to a page (added to the scene's
    page notes)."""
    out = []
    if spec.use_blocks():
        for i, layer in enumerate(spec.layers):
            if layer.gap is not None:
                out.append(f"layer {i + 1}: gap spaces a row of nodes; this figure draws blocks (form=nodes draws "
                           "nodes)")
    page = scene.page()
    fit = min(1.0, PAGE_TEXT[0] / page.width, PAGE_TEXT[1] / page.height)
    printed = theme.text.size * PT_PER_PX * fit
    if printed < SMALLEST_PT:
        spacings = ["step_spacing"] * bool(spec.unroll) + ["layer_spacing"] + ["node_gap"] * (not spec.use_blocks())
        smaller = "a smaller " + (f"{', '.join(spacings[:-1])} or " if len(spacings) > 1 else "") + spacings[-1]
        scene.page_notes.append(f"the figure is {page.width:.0f} × {page.height:.0f} px: fitted to a 6.5 × 9 in text "
                                f"block its text prints at {printed:.1f} pt; "
                                + ("fewer steps (unroll) or " if spec.unroll else "")
                                + f"{smaller} would keep it readable")
    return out
