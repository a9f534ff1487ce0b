"""Blocks: the schematic block diagram of papers. A rounded box per layer or op, coloured by its
op kind (the theme's ``op.*``), its name, shape and parameter count inside, measured with the
real font metrics so nothing overflows; data flowing left→right or bottom→top; parallel
branches as lanes; skips as orthogonal detours beside the boxes, into the flank of their target;
merges as ⊕ (add), ‖ (concat), ⊗ (multiply) nodes; blocks as dashed rounded frames with their
label and ×N. The layout is ``nnsvg.layout.layered``.

A connection of kind add, concat or multiply into a layer that is not itself a merge gets a
merge node of its own, right before that layer: the layer's data inputs and the connection
meet there. ``legend_entries`` says which op kinds and connection kinds a figure draws (for a
legend).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..geometry import BBox, Point, baseline_for_center, text_box, text_width, unit
from ..kinds import CONNECTION_KINDS, MERGE_SYMBOLS, MERGES, OP_LABELS
from ..layout import layered, legend
from ..layout.arrows import solid_head
from ..scene import ArcTo, Close, Group, LineTo, MoveTo, Path, Primitive, Rect, Scene, Segment, Swatch, Text, polyline
from ..spec.blocks import OP_KINDS, BlockLayer, BlocksSpec, format_params
from ..spec.wiring import Resolver
from ..theme import Theme
from ..units import PT_PER_PX

SYMBOLS = MERGE_SYMBOLS
SMALL = 0.85  # the shape and parameter lines, relative to the text size
# a figure drawn for a printed size keeps its small lines at 7 pt or more (px rounded up)
PRINT_FLOOR_PX = math.ceil(7.0 / PT_PER_PX * 100) / 100


def small_size(spec: BlocksSpec, theme: Theme) -> float:
    """The size of a box's shape and parameter lines: ``SMALL`` of the text's, and for a figure
    at a printed size (drawn at its own scale: px are the page's) not under 7 pt where the text
    is not."""
    size = theme.text.size
    if spec.width is None and spec.height is None:
        return size * SMALL
    return max(size * SMALL, min(size, PRINT_FLOOR_PX))
WRAP = 9.0  # a box's name wraps at spaces beyond this many text sizes (about 110 px at 12 px)
BRIEF_WRAP = 5.0  # the same with ``texts: brief``
# the abbreviations of ``texts: brief``, each phrase (matched in this order) and its short form
BRIEF = (("Multi-Head Attention", "MHA"), ("Feed Forward", "FFN"), ("Positional Encoding", "Pos. Enc."),
         ("Embedding", "Emb."), ("Self-Attention", "Self-Attn."), ("Cross-Attention", "Cross-Attn."),
         ("Attention", "Attn."), ("concatenation", "concat"), ("Concatenation", "Concat"))


@dataclass
class Item:
    """A box or merge node to draw: a layer (``layer`` ≥ 0) or a merge before layer ``before``."""

    layer: int
    merge: str | None  # add, concat, multiply: drawn as a symbol (circle) unless boxed
    lines: list[tuple[str, float]]  # (text, size) per line
    fill: str
    kind: str
    along: float = 0.0
    across: float = 0.0
    width: float = 0.0
    height: float = 0.0
    before: int = -1  # an implicit merge: the layer it feeds

    @property
    def circle(self) -> bool:
        return self.merge is not None and not self.lines


def wrap(text: str, size: float, family: str, limit: float) -> list[str]:
    """``text`` broken at spaces into lines of at most ``limit`` px where words allow."""
    words = text.split(" ")
    lines: list[str] = []
    for word in words:
        if lines and text_width(f"{lines[-1]} {word}", size, family) <= limit:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def box_lines(layer: BlockLayer, spec: BlocksSpec, theme: Theme) -> list[tuple[str, float]]:
    size, family = theme.text.size, theme.text.family
    brief = spec.texts == "brief"
    title = abbreviated(layer.title) if brief else layer.title
    if layer.shape and spec.shapes == "inline":
        title = f"{title}, {layer.shape.replace('x', '×')}"
    lines = [(t, size) for t in wrap(title, size, family, (BRIEF_WRAP if brief else WRAP) * size)]
    if layer.shape and spec.shapes == "below":
        lines.append((layer.shape.replace("x", "×"), small_size(spec, theme)))
    if spec.params and layer.params is not None and not brief:
        lines.append((f"{format_params(layer.params)} params", small_size(spec, theme)))
    return lines


def abbreviated(text: str) -> str:
    """``text`` with the phrases of ``BRIEF`` in their short forms."""
    for phrase, short in BRIEF:
        text = text.replace(phrase, short)
    return text


def data_inputs(spec: BlocksSpec) -> list[list[int]]:
    """Each layer's data inputs (the layer before it, or its ``inputs:``): the edges that place
    layers; the ``connections:`` are drawn where the layers are."""
    resolve = Resolver(spec.layers)
    out = []
    for i, layer in enumerate(spec.layers):
        if layer.inputs is None:
            out.append([i - 1] if i else [])
        else:
            out.append([resolve(v, f"layers[{i}].inputs") for v in layer.inputs])
    return out


@dataclass
class Wire:
    source: int  # item index
    target: int
    kind: str
    ranked: bool
    soft: bool = False  # ranked only if its target already lies after its source


def build(spec: BlocksSpec, theme: Theme) -> tuple[list[Item], list[Wire]]:
    """The items (layers, then implicit merges) and the wires between them."""
    items: list[Item] = []
    for i, layer in enumerate(spec.layers):
        kind = layer.color_kind
        fill = layer.fill or getattr(theme.op, kind)
        merge = layer.merge
        boxed = merge is None or layer.label is not None or spec.merge == "box"
        lines = box_lines(layer, spec, theme) if boxed else []
        items.append(Item(i, merge, lines, fill, kind))
    graph = spec.graph()
    inputs = data_inputs(spec)
    wires: list[Wire] = []
    merges: dict[int, int] = {}  # layer → its implicit merge item
    for c in graph.connections:
        if c.kind in SYMBOLS and items[c.target].merge is None and c.target not in merges:
            merges[c.target] = len(items)  # (a second merge kind into the same layer meets here too)
            lines = [(c.kind, small_size(spec, theme))] if spec.merge == "box" else []
            items.append(Item(-1, c.kind, lines, theme.op.merge, "merge", before=c.target))
    for i, sources in enumerate(inputs):
        into = merges.get(i, i)
        for s in sources:
            wires.append(Wire(s, into, "data", True))
    for c in graph.connections:
        if c.kind == "data" and c.source in inputs[c.target]:
            continue
        into = merges.get(c.target, c.target) if c.kind in SYMBOLS else c.target
        if c.kind == "recurrent":
            wires.append(Wire(c.source, c.target, "recurrent", False))
        else:
            wires.append(Wire(c.source, into, c.kind, True, soft=True))
    for target, m in merges.items():
        wires.append(Wire(m, target, "data", True))
    return items, wires


def measure(items: list[Item], spec: BlocksSpec, theme: Theme, wires: list[Wire]) -> None:
    """Each item's width and height (page px) and its size along and across the flow; boxes
    of one diagram share their size across the flow (bt: one width; lr: one height), or with
    ``box_widths: lane`` the boxes of each chain (``layered.chains``)."""
    size, family = theme.text.size, theme.text.family
    pad = size * 0.6
    line = text_box("Hg", 0.0, 0.0, size, family).height
    circle = size * 1.5  # (every size here follows the text: a printed size keeps them in step)
    for item in items:
        if item.circle:
            item.width = item.height = circle
            continue
        widest = max(text_width(t, s, family) for t, s in item.lines)
        item.width = max(spec.box_width if item.merge is None else circle, widest + 2 * pad)
        lines_height = sum(line * s / size for _, s in item.lines) + line * 0.15 * (len(item.lines) - 1)
        item.height = max(spec.box_height if item.merge is None else circle, lines_height + pad * 1.2)
    boxed = [k for k, item in enumerate(items) if not item.circle and item.merge is None]
    links = [(w.source, w.target) for w in wires if w.ranked]
    for group in (layered.chains(boxed, links) if spec.box_widths == "lane" else [boxed] if boxed else []):
        if spec.direction == "bt":
            width = max(items[k].width for k in group)
            for k in group:
                items[k].width = width
        else:
            height = max(items[k].height for k in group)
            for k in group:
                items[k].height = height
    for item in items:
        item.along, item.across = (item.width, item.height) if spec.direction == "lr" else (item.height, item.width)


def frame_label(group_label: str | None, repeat: int) -> list[str]:
    lines = [group_label] if group_label else []
    if repeat > 1:
        lines.append(f"×{repeat}")
    return lines


@dataclass
class Arrangement:
    """A diagram laid out: its items and wires, its frames with their label lines, the layout."""

    items: list[Item]
    wires: list[Wire]
    frames: list[layered.Frame]
    labels: list[list[str]]
    plan: layered.Layout


def arrange(spec: BlocksSpec, theme: Theme) -> Arrangement:
    """The items measured and laid out (``nnsvg.layout.layered``), in its abstract coordinates."""
    items, wires = build(spec, theme)
    measure(items, spec, theme, wires)
    size, family = theme.text.size, theme.text.family
    line = text_box("Hg", 0.0, 0.0, size, family).height
    labels: list[list[str]] = []
    frames: list[layered.Frame] = []
    for g in spec.graph().groups:
        members = set(range(g.first, g.last + 1))
        members |= {k for k, item in enumerate(items) if item.before in members}
        text = frame_label(g.label, g.repeat) if spec.labels else []  # (--no-labels: frames bare)
        labels.append(text)
        if not text:
            room = 0.0
        elif spec.direction == "lr":
            room = line + size * 0.5
        else:
            room = max(text_width(t, size, family) for t in text) + size * 0.6
        frames.append(layered.Frame(frozenset(members), size * 0.6, room))
    boxes = [layered.Box(item.along, item.across, True, item.merge is not None) for item in items]
    edges = [layered.Edge(w.source, w.target, w.ranked) for w in wires]
    soft = [k for k, w in enumerate(wires) if w.soft]
    shaft = theme.edge.width * theme.arrow.shaft_scale
    options = layered.Options(rank_gap=spec.rank_gap, lane_gap=spec.lane_gap, edge_gap=size * 0.8,
                              track_gap=max(size * 0.6, shaft * 3), arrow=theme.arrow.length + 2.0)
    plan = layered.layout(boxes, edges, frames, options, soft=soft)
    if spec.fold > 1:  # a serpentine: the return wire a rank gap beyond the ends
        plan = layered.fold(plan, boxes, edges, frames, spec.fold, 2 * spec.rank_gap)
    return Arrangement(items, wires, frames, labels, plan)


def render(spec: BlocksSpec, theme: Theme) -> Scene:
    done = arrange(spec, theme)
    lr = spec.direction == "lr"

    def page(p: Point) -> Point:
        u, v = p
        return (u, v) if lr else (v, -u)

    scene = Scene("blocks", theme.background, theme.margin, flow="x" if lr else "y",
                  title="blocks " + " ".join(item.lines[0][0] if item.lines else (item.merge or "")
                                             for item in done.items[:len(spec.layers)]))
    radius = theme.block.radius if spec.corner_radius < 0 else spec.corner_radius
    layer_groups, merge_group = draw_items(spec, theme, scene, done, page, radius)
    edge_group = draw_wires(theme, scene, done, page)
    drawn = [p for group in (edge_group, *layer_groups, merge_group) for p in group.walk()]
    frame_group = draw_frames(theme, done, page, radius, lr, drawn)
    scene.groups.extend([frame_group, edge_group, *layer_groups, merge_group])
    scene.page_notes.extend(page_notes(spec, scene, theme))
    return scene


def draw_items(spec: BlocksSpec, theme: Theme, scene: Scene, done: Arrangement, page: Callable[[Point], Point],
               radius: float) -> tuple[list[Group], Group]:
    """Each layer's box (in its group ``layer-N``) and each merge's circle (in ``merges``),
    with their legend entries."""
    layer_groups = [Group(f"layer-{i}", "layer") for i in range(len(spec.layers))]
    merge_group = Group("merges", "merges")
    for k, item in enumerate(done.items):
        cx, cy = page(done.plan.centers[k])
        shapes = merge_shapes(item, cx, cy, theme) if item.circle else box_shapes(item, cx, cy, radius, theme)
        target = layer_groups[item.layer] if item.layer >= 0 else merge_group
        ring = shapes[0]
        if item.circle and item.merge and isinstance(ring, Path):
            legend.add(scene, f"merge.{item.merge}", Swatch("disc", ring.fill, ring.stroke, ring.stroke_width,
                                                                   mark=MERGE_SYMBOLS[item.merge]),
                       MERGE_NAMES[item.merge])
        if item.layer < 0:
            holder = Group(f"merge-{item.before}", f"merge {item.merge}")
            holder.children.extend(shapes)
            target.add(holder)
        else:
            target.children.extend(shapes)
            record(scene, spec.layers[item.layer], item.layer, item.kind, shapes)
    return layer_groups, merge_group


def draw_wires(theme: Theme, scene: Scene, done: Arrangement, page: Callable[[Point], Point]) -> Group:
    """The routed connections as arrows (one head where several arrive at one spot)."""
    shaft = theme.edge.width * theme.arrow.shaft_scale
    edge_group = Group("edges", "edges")
    heads: set[tuple[float, float, float, float]] = set()
    for k, wire in enumerate(done.wires):
        points = [page(p) for p in done.plan.routes[k]]
        if len(points) < 2:
            continue
        recurrent = wire.kind == "recurrent"
        color = theme.edge.recurrent if recurrent else theme.edge.color
        cls = f"edge {wire.kind}"
        tip, before = points[-1], points[-2]
        direction = unit(tip[0] - before[0], tip[1] - before[1])
        head, back = solid_head(tip, direction, color, theme, cls)
        key = (round(tip[0], 3), round(tip[1], 3), round(direction[0], 3), round(direction[1], 3))
        shaft_points = [*points[:-1], back]
        line = Path(polyline(shaft_points), BBox.around(shaft_points), stroke=color, stroke_width=shaft,
                    cls=cls, linejoin="round", dash=theme.edge.recurrent_dasharray() if recurrent else None)
        edge_group.add(line)
        legend.add(scene, f"connection.{wire.kind}", legend.like(line, head="solid"))
        if key not in heads:
            heads.add(key)
            edge_group.add(head)
    return edge_group


def draw_frames(theme: Theme, done: Arrangement, page: Callable[[Point], Point], radius: float, lr: bool,
                drawn: list[Primitive]) -> Group:
    """The blocks' frames, each label where it meets no drawn shape, frame or other label."""
    frame_group = Group("frames", "frames")
    outlines = []
    for f, frame in enumerate(done.plan.frames):
        u0, v0, u1, v1 = frame
        a, b = page((u0, v0)), page((u1, v1))
        box = BBox(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
        outlines.append((box, rounded(box, radius + done.frames[f].pad * 0.5, theme)))
        frame_group.add(outlines[-1][1])
    placed: list[Text] = []
    for f, (box, _) in enumerate(outlines):
        others = [o for g, (_, o) in enumerate(outlines) if g != f]
        texts = clear_label(done.labels[f], box, done.plan.label_sides[f], lr, theme, [*drawn, *others], placed)
        placed.extend(texts)
        frame_group.children.extend(texts)
    return frame_group


MERGE_NAMES = {kind.name: kind.label for kind in MERGES}
OP_NAMES = OP_LABELS


def record(scene: Scene, layer: BlockLayer, index: int, kind: str, shapes: list[Primitive]) -> None:
    """The legend entry of a drawn box: its op kind's (``op.KIND``), or its own when the layer
    has its own ``fill`` (``layer-N``, named by its label or op)."""
    box = next((shape for shape in shapes if isinstance(shape, Rect)), None)
    if box is None:
        return
    if layer.fill is None:
        legend.add(scene, f"op.{kind}", legend.like(box), OP_NAMES.get(kind, kind))
    else:
        legend.add(scene, f"layer-{index}", legend.like(box), layer.label or layer.op or f"layer {index}")


PAGE_TEXT = (6.5 * 96, 9.0 * 96)  # a paper's text block (6.5 × 9 in), in px
SMALLEST_PT = 4.0


def page_notes(spec: BlocksSpec, scene: Scene, theme: Theme) -> list[str]:
    """A note when the figure, fitted to a page's text block, would print its text too small
    to read, with what would help."""
    page = scene.page()
    fit = min(1.0, PAGE_TEXT[0] / page.width, PAGE_TEXT[1] / page.height)
    printed = theme.text.size * PT_PER_PX * fit
    if printed >= SMALLEST_PT:
        return []
    other = "bt" if spec.direction == "lr" else "lr"
    wide = page.width / PAGE_TEXT[0] > page.height / PAGE_TEXT[1]
    hint = f"--direction {other}" if (wide and spec.direction == "lr") or (not wide and spec.direction == "bt") \
        else "fewer layers"
    return [f"the figure is {page.width:.0f} × {page.height:.0f} px: fitted to a 6.5 × 9 in text block its text "
            f"prints at {printed:.1f} pt; {hint}, or runs of identical blocks drawn once (blocks: with repeat), "
            "would keep it readable"]


def clear_label(lines: list[str], box: BBox, side: int, lr: bool, theme: Theme, shapes: list[Primitive],
                texts: list[Text]) -> list[Text]:
    """A frame's label at the first place that meets no drawn shape or text: beside the frame on
    its outer side, on the other side, then at either end of those sides."""
    from ..layout.hits import ink_box, meets

    first: list[Text] | None = None
    for where in ("middle", "start", "end"):
        for s in (side, -side):
            candidate = frame_texts(lines, box, s, lr, theme, where)
            first = first or candidate
            inks = [ink for ink in (ink_box(t) for t in candidate) if ink is not None]
            if not any(meets(ink, p) for ink in inks for p in shapes) and \
                    not any(ink.overlaps(t.box) for ink in inks for t in texts):
                return candidate
    return first or []


def rounded(box: BBox, r: float, theme: Theme) -> Path:
    """A dashed rounded rectangle (a block's frame)."""
    r = max(0.0, min(r, box.width / 2, box.height / 2))
    x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1
    segs: list[Segment] = [MoveTo(x0 + r, y0), LineTo(x1 - r, y0), ArcTo(r, r, 0, False, True, x1, y0 + r),
                           LineTo(x1, y1 - r), ArcTo(r, r, 0, False, True, x1 - r, y1), LineTo(x0 + r, y1),
                           ArcTo(r, r, 0, False, True, x0, y1 - r), LineTo(x0, y0 + r),
                           ArcTo(r, r, 0, False, True, x0 + r, y0), Close()]
    frame = theme.frame
    return Path(tuple(segs), box, stroke=frame.stroke, stroke_width=frame.stroke_width, fill=frame.fill,
                cls="frame", dash=frame.dasharray())


def frame_texts(lines: list[str], box: BBox, side: int, lr: bool, theme: Theme, where: str = "middle") -> list[Text]:
    """A frame's label and ×N beside it: left to right below (side +1) or above it, or bottom to
    top right (+1) or left of it; ``where`` along that side: its middle, its start or its end."""
    if not lines:
        return []
    size, family = theme.text.size, theme.text.family
    gap = size * 0.4
    probe = text_box("Hg", 0, 0, size, family)
    if lr:
        text = " ".join(lines)
        top = box.y1 + gap if side > 0 else box.y0 - gap - probe.height
        base = top - probe.y0
        x, anchor = {"middle": (box.center_x, "middle"), "start": (box.x0 + size, "start"),
                     "end": (box.x1 - size, "end")}[where]
        return [Text(x, base, text, size, family, theme.text.color, anchor,
                     text_box(text, x, base, size, family, anchor), "frame-label")]
    step = probe.height * 1.1
    out = []
    anchor = "start" if side > 0 else "end"
    x = box.x1 + gap if side > 0 else box.x0 - gap
    half = (len(lines) - 1) / 2 * step + probe.height / 2
    middle = {"middle": box.center_y, "start": box.y1 - size - half, "end": box.y0 + size + half}[where]
    for k, text in enumerate(lines):
        cy = middle + (k - (len(lines) - 1) / 2) * step
        base = baseline_for_center(cy, size, family)
        out.append(Text(x, base, text, size, family, theme.text.color, anchor,
                        text_box(text, x, base, size, family, anchor), "frame-label"))
    return out


def box_shapes(item: Item, cx: float, cy: float, radius: float, theme: Theme) -> list[Primitive]:
    block = theme.block
    rect = Rect(cx - item.width / 2, cy - item.height / 2, item.width, item.height, item.fill, block.stroke,
                block.stroke_width, cls=f"box {item.kind}", radius=min(radius, item.height / 2))
    out: list[Primitive] = [rect]
    family = theme.text.family
    heights = [text_box("Hg", 0, 0, s, family).height for _, s in item.lines]
    spacing = [h * 1.15 for h in heights]
    total = sum(spacing) - (spacing[-1] - heights[-1])
    y = cy - total / 2
    for (text, s), h, step in zip(item.lines, heights, spacing):
        base = baseline_for_center(y + h / 2, s, family)
        out.append(Text(cx, base, text, s, family, theme.text.color, "middle",
                        text_box(text, cx, base, s, family, "middle"), "op", host=rect))
        y += step
    return out


def merge_shapes(item: Item, cx: float, cy: float, theme: Theme) -> list[Primitive]:
    """A merge node: a circle with its symbol drawn as lines (⊕ a cross, ⊗ a saltire, ‖ two
    bars), so it looks the same in every font."""
    r = item.width / 2
    block = theme.block
    width = block.stroke_width
    segs: list[Segment] = [MoveTo(cx + r, cy), ArcTo(r, r, 0, False, True, cx - r, cy),
                           ArcTo(r, r, 0, False, True, cx + r, cy), Close()]
    ring = Path(tuple(segs), BBox(cx - r, cy - r, cx + r, cy + r), stroke=block.stroke, stroke_width=width,
                fill=item.fill, cls=f"merge-node {item.merge}")
    inner = r * 0.62
    if item.merge == "add":
        lines = [((cx - r, cy), (cx + r, cy)), ((cx, cy - r), (cx, cy + r))]
    elif item.merge == "multiply":
        d = r / math.sqrt(2)
        lines = [((cx - d, cy - d), (cx + d, cy + d)), ((cx - d, cy + d), (cx + d, cy - d))]
    else:  # concat: two bars
        gap = r * 0.22
        lines = [((cx - gap, cy - inner), (cx - gap, cy + inner)), ((cx + gap, cy - inner), (cx + gap, cy + inner))]
    segs2: list[Segment] = []
    for a, b in lines:
        segs2.extend([MoveTo(*a), LineTo(*b)])
    mark = Path(tuple(segs2), BBox(cx - r, cy - r, cx + r, cy + r), stroke=block.stroke, stroke_width=width,
                cls=f"merge-symbol {item.merge}")
    return [ring, mark]


def legend_entries(spec: BlocksSpec, theme: Theme) -> tuple[list[tuple[str, str]], list[str]]:
    """What a legend of this figure lists: the op kinds drawn with their fills (in ``OP_KINDS``
    order; boxes with their own ``fill`` aside), and the connection kinds drawn."""
    items, wires = build(spec, theme)
    kinds = {item.kind for item in items if item.layer < 0 or spec.layers[item.layer].fill is None}
    ops = [(kind, getattr(theme.op, kind)) for kind in OP_KINDS if kind in kinds]
    connections = sorted({w.kind for w in wires}, key=CONNECTION_KINDS.index)
    return ops, connections
