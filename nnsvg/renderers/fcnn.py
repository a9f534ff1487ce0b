"""FCNN: fully-connected layers drawn as columns of nodes joined by edges (NN-SVG's FCNN).

Layout happens in a layer frame, ``u`` along the sequence of layers and ``v`` across a layer,
then one placer maps (u, v) to the page for the chosen direction. Edges of one style are one
path per layer pair, kept as points (a ``Fan``; per weight level, ``Stars`` or ``CurvedStars``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from ..errors import SpecError
from ..geometry import BBox, Point, baseline_for_center, text_box, text_width, union_all
from ..layout import legend, skips
from ..layout.decorate import Captioned, Placement, decorate
from ..layout.labels import column_of_captions, fcnn_label, moved_clear, row_of_captions
from ..layout.skips import Plan, Port
from ..scene import (
    Circle,
    Dots,
    Entry,
    Group,
    Path,
    Rect,
    Scene,
    Swatch,
    Text,
)
from ..spec.fcnn import MAX_NODES, FcnnSpec
from ..theme import Theme
from .anatomy import (
    GLYPH_TEXT,
    WEIGHT_LABEL_LIMIT,
    activation_items,
    cross,
    formulas,
    too_many_weights,
    weight_labels,
    weight_name,
)
from .fcnn_edges import edge_groups
from .fcnn_layout import PLACERS, LayerLayout, Placer, count_edges, layout

# The size budget: a figure is drawn with its text at the true size, and a reader's page holds
# a text block of 6.5 × 9 in (624 × 864 px at 96 px/in). A figure may be shrunk to half to fit
# it (11 px text is then 4 pt, the least a printed label can be); a bigger one gets a note that
# names the option which shrinks it, with a value that makes it fit.
PAGE_BLOCK = (624.0, 864.0)
PAGE_SHRINK = 0.5


# --- nodes and labels ---------------------------------------------------------------------

def _dots(layer: LayerLayout, d: float, place: Placer, color: str) -> Path:
    """Three dots across the ellipsis slot: the nodes that are not drawn."""
    assert layer.ellipsis_v is not None
    r = max(0.8, d * 0.08)
    step = d * 0.3
    centers = tuple(place(layer.u, layer.ellipsis_v + k * step) for k in (-1, 0, 1))
    return Path(Dots(centers, r), BBox.around(centers, r), fill=color, cls="ellipsis")


def layer_groups(spec: FcnnSpec, theme: Theme, layouts: list[LayerLayout],
                 place: Placer, scene: Scene | None = None) -> list[Group]:
    d = spec.node_diameter
    looks: dict[tuple[str, str], list[int]] = {}  # a node look -> the layers drawn with it
    node = theme.node
    activations, style = spec.layer_activations(), activation_style(spec, theme)
    groups = []
    taken: list[BBox] = []  # the boxes of texts placed so far ("+1", activation names)
    for layer, lay in zip(spec.layers, layouts):
        group = Group(f"layer-{lay.index}", "layer")
        for k, (x, y) in enumerate(lay.nodes):
            if lay.has_bias and k == 0:
                group.children.extend(bias_unit(spec, theme, (x, y), scene))
            else:
                dropped = k in lay.dropped
                circle = Circle(x, y, d / 2, layer.fill or node.fill, layer.stroke or node.stroke,
                                node.stroke_width, "node dropped" if dropped else "node")
                group.add(circle)
                looks.setdefault((circle.fill, circle.stroke), [])
                if lay.index not in looks[(circle.fill, circle.stroke)]:
                    looks[(circle.fill, circle.stroke)].append(lay.index)
                if dropped:
                    mark = cross(x, y, d / 2, theme)
                    group.add(mark)
                    if scene is not None:
                        legend.add(scene, "dropout", legend.like(circle, mark="cross", mark_color=mark.stroke))
        if lay.ellipsis_v is not None:
            group.add(_dots(lay, d, place, theme.text.ellipsis))
        name = activations[lay.index]
        if name is not None:
            centres = [p for k, p, _ in lay.receivers()] if lay.has_bias else \
                [p for k, p in enumerate(lay.nodes) if k not in lay.dropped]
            anchor = place(lay.u, min(lay.node_v) - d * 1.2)
            items = activation_items(name, style, centres, anchor, d, theme, printed(spec))
            if scene is not None and style != "name" and items:
                ink = theme.node.stroke if style == "glyph" else theme.text.color
                legend.add(scene, f"activation.{name}", Swatch(
                    "disc", node.fill, node.stroke, node.stroke_width, mark=f"glyph:{name}", mark_color=ink),
                    ACTIVATION_NAMES.get(name, name))
            if style == "name":
                own = [b for b in (c.bbox() for c in group.children) if b is not None]
                a, b = place(lay.u, 0.0), place(lay.u, 1.0)
                away = (a[0] - b[0], a[1] - b[1])  # towards smaller v: away from the layer
                items = [moved_clear(item, taken + own, away) if isinstance(item, Text) else item
                         for item in items]
            group.children.extend(items)
        taken.extend(c.bbox() for c in group.children if isinstance(c, Text))
        groups.append(group)
    if spec.labels or spec.formulas:
        add_labels(spec, theme, layouts, groups)
    if scene is not None:
        node_entries(scene, looks, len(spec.layers), theme)
    return groups


def weight_entry(spec: FcnnSpec, theme: Theme, scene: Scene) -> None:
    """The legend's ramp of edge colours by weight: from -1 to +1 (the seeded weights), or for
    real weights from minus to plus the largest |weight| (each layer pair's own, when they differ:
    every pair is coloured relative to its largest)."""
    e = theme.edge
    ends, label = ("−1", "+1"), None
    if spec.weights is not None:
        peaks = {max((abs(v) for row in matrix for v in row), default=0.0) for matrix in spec.weights}
        if len(peaks) == 1:
            peak = f"{next(iter(peaks)):.3g}"
            ends = (f"−{peak}", f"+{peak}")
        else:
            ends, label = ("−max", "+max"), "Weight (max: each layer pair's largest |w|)"
    legend.add(scene, "weight", Swatch("ramp", ramp=(e.negative, e.zero, e.positive), ends=ends), label)


ACTIVATION_NAMES = {"identity": "Identity", "relu": "ReLU", "leaky_relu": "Leaky ReLU", "sigmoid": "Sigmoid",
                    "tanh": "tanh", "softmax": "Softmax", "gelu": "GELU", "swish": "Swish"}


def node_entries(scene: Scene, looks: dict[tuple[str, str], list[int]], count: int, theme: Theme) -> None:
    """Legend entries for the node looks drawn (``looks``: fill and outline -> the layers with
    them), first in the legend: one "Neuron" when every layer looks alike, else one per look
    named by its layers' roles (input, hidden, output; hidden layers numbered when hidden
    layers differ), keyed ``node.input``, ``node.hidden``, ``node.output`` (joined by ``+``
    when one look serves several, ``node.hidden-2`` for the second hidden layer)."""
    def role(i: int) -> str:
        return "input" if i == 0 else "output" if i == count - 1 else "hidden"

    found: list[Entry] = []
    hidden_looks = {look for look, layers in looks.items() if any(role(i) == "hidden" for i in layers)}
    for (fill, stroke), layers in looks.items():
        swatch = Swatch("disc", fill, stroke, theme.node.stroke_width)
        if len(looks) == 1:
            found.append(Entry("node", legend.NAMES["node"], swatch))
            continue
        keys, names = [], []
        for i in layers:
            r = role(i)
            if r == "hidden" and len(hidden_looks) > 1:
                keys.append(f"hidden-{i}")
                names.append(f"hidden layer {i}")
            elif r not in keys:
                keys.append(r)
                names.append(f"{r} layer" if r != "hidden" or len(layers) == 1 else "hidden layers")
        label = ", ".join(names)
        found.append(Entry("node." + "+".join(keys), label[0].upper() + label[1:], swatch))
    scene.legend[:0] = [e for e in found if all(e.key != old.key for old in scene.legend)]


def printed(spec: FcnnSpec) -> bool:
    """Whether the figure is laid out for a printed size (``--width``, ``--height``)."""
    return spec.width is not None or spec.height is not None


def activation_style(spec: FcnnSpec, theme: Theme) -> str:
    """How the activations are drawn: as asked, but at a printed size a curve in each node only in
    nodes big enough to read it (``GLYPH_TEXT`` text sizes), else the activation's name."""
    if spec.activation_style == "glyph" and printed(spec) and spec.node_diameter < GLYPH_TEXT * theme.text.size:
        return "name"
    return spec.activation_style


def bias_mark_size(spec: FcnnSpec, theme: Theme) -> float | None:
    """The size of the "+1" in a bias unit, None: not drawn (``bias_label`` off). At a printed
    size (``--width``, ``--height``) text inside a node is drawn at the captions' size, which
    prints at 7 pt or more, or not at all: a node too small to hold it leaves it out."""
    d = spec.node_diameter
    if not spec.bias_label:
        return None
    if not printed(spec):
        return d * 0.45
    size = theme.text.size
    fits = text_width("+1", size, theme.text.family) <= d * 0.8 and size <= d * 0.6
    return size if fits else None


def bias_unit(spec: FcnnSpec, theme: Theme, at: Point, scene: Scene | None) -> list[Circle | Text]:
    """A bias unit at ``at``: its circle and its "+1" (``bias_mark_size``), with its legend entry;
    a note the first time a printed size leaves the "+1" out."""
    (x, y), d, bias = at, spec.node_diameter, theme.bias
    unit = Circle(x, y, d / 2, bias.fill, bias.stroke, theme.node.stroke_width, "bias")
    size = bias_mark_size(spec, theme)
    if scene is not None:
        # (at a printed size the legend's disc is too small for a legible "+1": its label says it)
        mark = "+1" if size is not None and not printed(spec) else None
        legend.add(scene, "bias", legend.like(unit, mark=mark, mark_color=bias.text))
    if size is None:
        if spec.bias_label and scene is not None and BIAS_NOTE not in scene.notes:
            scene.notes.append(BIAS_NOTE)
        return [unit]
    base = baseline_for_center(y, size, theme.text.family)
    return [unit, Text(x, base, "+1", size, theme.text.family, bias.text, "middle",
                       text_box("+1", x, base, size, theme.text.family, "middle"), "bias", host=unit)]


BIAS_NOTE = ("the bias units are drawn without their +1: at this printed size it would print smaller than "
             "the captions (7 pt at least) in nodes this small; --legend below names them")


def add_labels(spec: FcnnSpec, theme: Theme, layouts: list[LayerLayout],
               groups: list[Group]) -> None:
    count = len(spec.layers)
    texts = [layer.label if layer.label is not None else fcnn_label(i, count, layer.size)
             for i, layer in enumerate(spec.layers)]
    boxes = [g.bbox() for g in groups]
    gap = theme.text.size * 0.8
    lines = [texts] if spec.labels else []
    if spec.formulas:
        lines.append(formulas(count, spec.layer_activations(), spec.bias))
    for line in lines:  # captions, then formulas: a row under the drawing or a column beside it
        chosen = [i for i, text in enumerate(line) if text]
        if spec.direction in ("right", "left"):
            top = max(b.y1 for b in boxes if b is not None) + gap
            captions = row_of_captions([line[i] for i in chosen], [layouts[i].nodes[0][0] for i in chosen],
                                       top, theme, "label" if line is texts else "formula")
        else:
            left = max(b.x1 for b in boxes if b is not None) + gap
            captions = column_of_captions([line[i] for i in chosen], [layouts[i].nodes[0][1] for i in chosen],
                                          left, theme, "label" if line is texts else "formula")
        for i, caption in zip(chosen, captions):
            groups[i].add(caption)
        boxes = [b for b in (*boxes, *(c.box for c in captions)) if b is not None]
        gap = theme.text.size * 0.4


def render(spec: FcnnSpec, theme: Theme) -> Scene:
    edges = count_edges(spec)  # refuse before laying anything out
    if edges > spec.max_edges:
        raise SpecError(
            f"this drawing has {edges:,} edges, more than max_edges ({spec.max_edges:,}); "
            "draw fewer nodes per layer (--max-nodes) or raise --max-edges")
    place = PLACERS[spec.direction]
    layouts = layout(spec, place)
    scene = Scene("fcnn", theme.background, theme.margin, flow="x" if spec.direction in ("right", "left") else "y",
                  title="fcnn " + " ".join(str(layer.size) for layer in spec.layers))
    scene.groups.extend(edge_groups(spec, theme, layouts, place))
    scene.groups.extend(layer_groups(spec, theme, layouts, place, scene))
    if spec.edge_color == "weight":
        weight_entry(spec, theme, scene)
    if spec.show_weights:
        add_weight_labels(spec, theme, layouts, place, scene)
    add_skips(spec, theme, layouts, scene)
    note = size_note(spec, layouts, scene.page())
    if note is not None:
        scene.page_notes.append(note)
    return scene


def add_skips(spec: FcnnSpec, theme: Theme, layouts: list[LayerLayout], scene: Scene) -> None:
    """Skip connections as one labelled arc per connection over the columns (beside them, on
    the left, when the network flows up or down), and blocks as frames round their columns
    (the shared pass, ``layout.decorate``). An arc stands for the whole bundle of a skip's
    edges: drawing every edge of a 784 → 10 skip would bury the figure, and one arc keeps a
    figure of 535,000 edges as fast as without it."""
    graph = spec.graph()
    if not graph.groups and not graph.extra_connections():
        return
    flip = spec.direction in ("up", "down")
    layers = [group for group in scene.groups if str(group.id).startswith("layer-")]
    columns = tuple(union_all([c.bbox() for c in group.children if isinstance(c, Circle)]) for group in layers)

    def caption(arcs: Plan) -> Captioned:  # the captions are drawn: moved off the legs
        skips.clear_of_walls(scene, arcs.walls, flip)
        return Captioned(tuple(group.bbox() for group in layers))

    decorate(scene, graph, Placement(ports(spec, layouts), columns, flip=flip), theme, caption)


def ports(spec: FcnnSpec, layouts: list[LayerLayout]) -> tuple[Port, ...]:
    """Each column as the arcs see it (in the frame where the layers follow each other along
    x): legs land on its top node's upper arc, straight arrows would meet its side nodes."""
    flip = spec.direction in ("up", "down")
    r = spec.node_diameter / 2

    def swap(p: Point) -> Point:
        return (p[1], p[0]) if flip else p

    out = []
    for lay in layouts:
        nodes = [swap(p) for p in lay.nodes]
        cx, cy = min(nodes, key=lambda p: p[1])
        low = max(p[1] for p in nodes)

        def circle_top(x: float, cx: float = cx, cy: float = cy) -> float:
            return cy - math.sqrt(max(0.0, r * r - (x - cx) ** 2))

        out.append(Port(cx - r * 0.8, cx + r * 0.8, circle_top, cx - r, (cy, low), cx + r, (cy, low)))
    return tuple(out)


def size_note(spec: FcnnSpec, layouts: list[LayerLayout], box: BBox) -> str | None:
    """A note when the drawing is more than a page takes at its text size (see
    ``PAGE_BLOCK``), naming for each axis that is too long the option that shortens it and a
    value that makes it fit: ``--layer-spacing`` (else ``--node-diameter``) along the layers;
    across them ``--max-nodes`` when a column is taller than the default limit draws it, else
    ``--node-gap``, else ``--node-diameter``."""
    budget_w, budget_h = (side / PAGE_SHRINK for side in PAGE_BLOCK)
    upright = spec.direction in ("up", "down")  # the layers follow each other down the page
    along, across = (box.height, box.width) if upright else (box.width, box.height)
    room_along, room_across = (budget_h, budget_w) if upright else (budget_w, budget_h)
    if along <= room_along and across <= room_across:
        return None
    d = spec.node_diameter
    fixes: dict[str, int] = {}
    if along > room_along:
        free = room_along - (along - (layouts[-1].u - layouts[0].u + d))  # captions' overhang aside
        steps = len(layouts) - 1
        spacing = math.floor((free - d) / steps - d) if steps else -1
        if spacing >= 0:
            fixes["--layer-spacing"] = spacing
        else:
            fixes["--node-diameter"] = math.floor((free - steps * spec.layer_spacing) / (steps + 1))
    if across > room_across:
        def extent(lay: LayerLayout) -> float:
            return max(lay.node_v) - min(lay.node_v) + d
        tallest = max(range(len(layouts)), key=lambda i: extent(layouts[i]))
        lay, gap = layouts[tallest], spec.layer_gaps()[tallest]
        slots = len(lay.nodes) + int(lay.ellipsis_v is not None)
        free = room_across - (across - extent(lay))
        fit = math.floor((free + gap) / (d + gap)) - int(lay.has_bias)  # node slots, the bias unit aside
        new_gap = math.floor((free - slots * d) / (slots - 1)) if slots > 1 else -1
        if slots - int(lay.has_bias) > MAX_NODES and fit >= 3:
            fixes["--max-nodes"] = fit
        elif new_gap >= 0:
            fixes["--node-gap"] = new_gap
        else:
            diameter = math.floor((free - (slots - 1) * gap) / slots)
            fixes["--node-diameter"] = min(diameter, fixes.get("--node-diameter", diameter))
    if fixes.get("--node-diameter", 1) < 1:
        advice = "fewer layers or nodes would fit it"
    else:
        advice = " and ".join(f"{name} {value}" for name, value in fixes.items()) + " would fit it"
    return (f"the figure is {box.width:,.0f} × {box.height:,.0f} px, too big for a page at its text size "
            f"(at most {budget_w:,.0f} × {budget_h:,.0f} px); {advice}")


def add_weight_labels(spec: FcnnSpec, theme: Theme, layouts: list[LayerLayout], place: Placer,
                      scene: Scene) -> None:
    """w/b labels on every edge, in a ``weights`` group per layer pair; a note instead when
    there are too many edges to label, or when some labels found no free spot."""
    pairs = [(a, b, [(s, t) for s in a.senders() for t in b.receivers()]) for a, b in itertools.pairwise(layouts)]
    total = sum(len(edges) for _, _, edges in pairs)
    if total > WEIGHT_LABEL_LIMIT:
        scene.notes.append(too_many_weights(total))
        return
    obstacles = [c.bbox() for c in scene.walk() if isinstance(c, Circle)]
    missing = 0
    for a, b, edges in pairs:
        items = []
        for (sk, sp, sv), (tk, tp, tv) in edges:
            name = weight_name(a.number(sk), b.number(tk) or 0)
            if spec.bezier:
                mid = (a.u + b.u) / 2
                c1, c2 = place(mid, sv), place(mid, tv)
                at = _cubic(sp, c1, c2, tp)
            else:
                at = _line(sp, tp)
            items.append((name, at))
        labels, lost = weight_labels(items, obstacles, theme, scene.background, printed(spec))
        missing += lost
        obstacles += [p.bbox() for p in labels if isinstance(p, Rect)]
        scene.groups.append(Group(f"weights-{a.index}-{b.index}", "weights", list(labels)))
    if missing:
        scene.notes.append(f"show_weights: {missing} of {total} weight labels found no free spot and "
                           "are left out; widen --layer-spacing")


def _line(a: Point, b: Point) -> Callable[[float], Point]:
    return lambda t: (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _cubic(p0: Point, p1: Point, p2: Point, p3: Point) -> Callable[[float], Point]:
    def at(t: float) -> Point:
        s = 1 - t
        return (s**3 * p0[0] + 3 * s * s * t * p1[0] + 3 * s * t * t * p2[0] + t**3 * p3[0],
                s**3 * p0[1] + 3 * s * s * t * p1[1] + 3 * s * t * t * p2[1] + t**3 * p3[1])
    return at

