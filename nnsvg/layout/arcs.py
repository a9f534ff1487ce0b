"""The skip arcs drawn (step 2 of the skip connections, after the style's labels; the plan is
``skips.plan``): ``route`` puts each bent arc on a track above everything in its x-range
(shapes, lines, labels, lower arcs and their labels); a leg rises from its layer's top to the
track, with rounded corners, and the arc ends in an arrowhead on the target's top, after the
merge's symbol: ⊕ (add), ‖ (concat), ⊗ (multiply), drawn as shapes (no font needed). Recurrent
connections are dashed in the theme's recurrent colour. ``recorded`` adds a legend entry per
kind drawn; ``kinds_drawn`` reads the kinds back from a scene (each arc is a
``<g class="skip KIND">``)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..geometry import BBox, Point, baseline_for_center, text_box
from ..graph import CONNECTION_KINDS
from ..scene import (
    Circle,
    Group,
    LineTo,
    MoveTo,
    Path,
    Primitive,
    QuadTo,
    Scene,
    Segment,
    Swatch,
    Text,
    polyline,
)
from ..theme import Theme
from . import legend
from .arrows import solid_head
from .skips import SYMBOLS, Arc, Obstacles, Plan, Port, symbol_radius


def _symbol(kind: str, center: Point, r: float, color: str, width: float, page: str) -> list[Primitive]:
    cx, cy = center
    fill = page if page != "none" else "#ffffff"
    out: list[Primitive] = [Circle(cx, cy, r, fill, color, width, f"merge {kind}")]
    k = r * 0.6
    if kind == "add":
        data: tuple[Segment, ...] = (MoveTo(cx - r, cy), LineTo(cx + r, cy), MoveTo(cx, cy - r), LineTo(cx, cy + r))
    elif kind == "multiply":
        d = r / math.sqrt(2)
        data = (MoveTo(cx - d, cy - d), LineTo(cx + d, cy + d), MoveTo(cx - d, cy + d), LineTo(cx + d, cy - d))
    else:  # concat: ‖
        g = r * 0.28
        data = (MoveTo(cx - g, cy - k), LineTo(cx - g, cy + k), MoveTo(cx + g, cy - k), LineTo(cx + g, cy + k))
    out.append(Path(data, BBox(cx - r, cy - r, cx + r, cy + r), stroke=color, stroke_width=width,
                    cls=f"merge {kind}", linecap="butt"))
    return out


def _style(theme: Theme, kind: str) -> tuple[str, float, tuple[float, ...] | None]:
    width = max(theme.link.width * theme.arrow.shaft_scale, 0.6)
    if kind == "recurrent":
        return theme.edge.recurrent, width, theme.edge.recurrent_dasharray()
    return theme.link.color, width, None


def route(the_plan: Plan, ports: Sequence[Port], obstacles: Obstacles, theme: Theme, flip: bool = False) -> Group:
    """The arcs of a plan as a group ``skips`` (one ``<g class="skip KIND">`` per arc), each
    bent arc on a track above everything in its x-range and above the lower arcs there.
    ``flip``: the ports and obstacles are given with x and y swapped (a network flowing down
    the page); the arcs are swapped back, so they run on the left of it, labels beside them."""
    size = theme.text.size
    out = Group("skips", "skips")
    routed: list[tuple[float, float, float]] = []  # (x0, x1, the highest y of the arc and its label)
    for arc in sorted(the_plan.arcs, key=lambda a: a.rank):
        c = arc.connection
        color, width, dash = _style(theme, c.kind)
        group = Group(f"skip-{c.source}-{c.target}-{c.kind}", f"skip {c.kind}")
        out.add(group)
        if arc.straight is not None:
            y = arc.straight
            start, end = (ports[c.source].right, y), (ports[c.target].left, y)
            group.children.extend(_shaft_and_head(start, end, c.kind, color, width, dash, theme))
            if c.label:
                group.add(_label(c.label, (start[0] + end[0]) / 2, y - width - size * 0.2, theme))
            continue
        xs, xt = arc.xs, arc.xt
        r = symbol_radius(theme)
        lo, hi = min(xs, xt) - r - 1, max(xs, xt) + r + 1
        y = _track(arc, ports, obstacles, routed, theme, width)
        group.children.extend(_bent(arc, ports, y, theme))
        high = y - width
        if c.label:
            if flip:  # on the page: right-aligned left of the vertical track
                text = _side_label(c.label, y - width / 2 - size * 0.3, (xs + xt) / 2, theme)
            else:
                text = _label(c.label, (xs + xt) / 2, y - width / 2 - size * 0.2, theme)
            group.add(text)
            high = text.box.y0
            lo, hi = min(lo, text.box.x0), max(hi, text.box.x1)
        routed.append((lo, hi, high))
    if flip:
        _flip(out)
    return out


def _track(arc: Arc, ports: Sequence[Port], obstacles: Obstacles, routed: list[tuple[float, float, float]],
           theme: Theme, width: float) -> float:
    """The y of a bent arc's track: above its legs' layers, everything in its x-range and the
    arcs routed before it there."""
    size = theme.text.size
    r = symbol_radius(theme)
    gap = max(size * 0.75, r + 3.0)  # between tracks
    lowest_leg = theme.arrow.length + 2 * r + size * 0.6
    c = arc.connection
    lo, hi = min(arc.xs, arc.xt) - r - 1, max(arc.xs, arc.xt) + r + 1
    y = min(ports[c.source].top_at(arc.xs), ports[c.target].top_at(arc.xt)) - lowest_leg - arc.lift
    found = obstacles.top(lo, hi)
    if found is not None:
        y = min(y, found - size * 0.4 - width)
    for x0, x1, high in routed:
        if x0 <= hi and lo <= x1:
            y = min(y, high - gap)
    return y


def _bent(arc: Arc, ports: Sequence[Port], y: float, theme: Theme) -> list[Primitive]:
    """A bent arc on its track ``y``: up from its source's top, across, down to its target's
    top with rounded corners, ending in the merge symbol and an arrowhead (or the head alone)."""
    c = arc.connection
    color, width, dash = _style(theme, c.kind)
    size, head, r = theme.text.size, theme.arrow.length, symbol_radius(theme)
    xs, xt = arc.xs, arc.xt
    top_s, top_t = ports[c.source].top_at(xs), ports[c.target].top_at(xt)
    bend = min(size * 0.5, abs(xt - xs) / 2)
    sign = 1.0 if xt > xs else -1.0
    tip = (xt, top_t)
    data: list[Segment] = [MoveTo(xs, top_s), LineTo(xs, y + bend), QuadTo(xs, y, xs + sign * bend, y),
                           LineTo(xt - sign * bend, y), QuadTo(xt, y, xt, y + bend)]
    if c.kind in SYMBOLS:
        center = (xt, top_t - head - r - max(1.5, size * 0.15) - arc.lift)
        data.append(LineTo(xt, center[1] - r))
        out: list[Primitive] = [Path(tuple(data), BBox(min(xs, xt), y, max(xs, xt), max(top_s, center[1] - r)),
                                     stroke=color, stroke_width=width, cls="skip arc", dash=dash, linejoin="round")]
        out += _symbol(c.kind, center, r, color, width, theme.background)
        out += _shaft_and_head((xt, center[1] + r), tip, None, color, width, None, theme)
        return out
    shaft_head, back = solid_head(tip, (0.0, 1.0), color, theme, "skip")
    data.append(LineTo(xt, back[1]))
    return [Path(tuple(data), BBox(min(xs, xt), y, max(xs, xt), max(top_s, back[1])), stroke=color,
                 stroke_width=width, cls="skip arc", dash=dash, linejoin="round"), shaft_head]


def recorded(scene: Scene, arcs: Group, theme: Theme) -> Group:
    """``arcs`` (a ``route`` result), after recording a legend entry per connection kind drawn
    (``connection.KIND``: a line in the arc's colour, width and dash, with its merge symbol)."""
    for group in arcs.children:
        if isinstance(group, Group) and group.cls and group.cls.startswith("skip "):
            kind = group.cls.split()[1]
            color, width, dash = _style(theme, kind)
            legend.add(scene, f"connection.{kind}", Swatch("line", stroke=color, stroke_width=width, dash=dash,
                                                                  head="solid", mark=SYMBOLS.get(kind)))
    return arcs


def _side_label(text: str, right: float, y: float, theme: Theme) -> Text:
    """A label given in the page frame of a flipped route: ``right`` is its right end (page x),
    ``y`` its middle (page y); it is flipped with the rest, so it is built flipped here."""
    size, family = theme.text.size, theme.text.family
    baseline = baseline_for_center(y, size, family)
    box = text_box(text, right, baseline, size, family, "end")
    label = Text(right, baseline, text, size, family, theme.text.color, "end", box, "skip-label")
    return Text(label.y, label.x, text, size, family, label.fill, "end", BBox(box.y0, box.x0, box.y1, box.x1),
                "skip-label")


def _flip(group: Group) -> None:
    """Swap x and y of everything in ``group`` (a flipped route back onto the page)."""
    for k, child in enumerate(group.children):
        if isinstance(child, Group):
            _flip(child)
        elif isinstance(child, Circle):
            child.cx, child.cy = child.cy, child.cx
        elif isinstance(child, Text):  # built flipped (_side_label): only swapped back
            box = child.box
            group.children[k] = Text(child.y, child.x, child.text, child.size, child.family, child.fill,
                                     child.anchor, BBox(box.y0, box.x0, box.y1, box.x1), child.cls, child.host)
        elif isinstance(child, Path) and isinstance(child.data, tuple) and (child.cls or "").startswith("merge"):
            e = child.extent  # a merge symbol keeps its look (‖ stays upright): moved, not mirrored
            dx, dy = e.center_y - e.center_x, e.center_x - e.center_y
            child.data = tuple(type(seg)(seg.x + dx, seg.y + dy) if isinstance(seg, MoveTo | LineTo) else seg
                               for seg in child.data)
            child.extent = BBox(e.x0 + dx, e.y0 + dy, e.x1 + dx, e.y1 + dy)
        elif isinstance(child, Path) and isinstance(child.data, tuple):
            data: list[Segment] = []
            for seg in child.data:
                if isinstance(seg, MoveTo | LineTo):
                    data.append(type(seg)(seg.y, seg.x))
                elif isinstance(seg, QuadTo):
                    data.append(QuadTo(seg.y1, seg.x1, seg.y, seg.x))
                else:
                    data.append(seg)
            child.data = tuple(data)
            e = child.extent
            child.extent = BBox(e.y0, e.x0, e.y1, e.x1)


def _label(text: str, x: float, bottom: float, theme: Theme) -> Text:
    size, family = theme.text.size, theme.text.family
    probe = text_box(text, x, 0.0, size, family, "middle")
    baseline = bottom - probe.y1
    box = text_box(text, x, baseline, size, family, "middle")
    return Text(x, baseline, text, size, family, theme.text.color, "middle", box, "skip-label")


def _shaft_and_head(start: Point, end: Point, kind: str | None, color: str, width: float,
                    dash: tuple[float, ...] | None, theme: Theme) -> list[Primitive]:
    """A straight arrow start → end, with the merge symbol just before its head."""
    length = math.hypot(end[0] - start[0], end[1] - start[1])
    ux, uy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
    out: list[Primitive] = []
    tip = end
    if kind in SYMBOLS:
        assert kind is not None
        r = symbol_radius(theme)
        d = theme.arrow.length + r + max(1.5, theme.text.size * 0.15)
        center = (end[0] - ux * d, end[1] - uy * d)
        stop = (center[0] - ux * r, center[1] - uy * r)
        out.append(Path(polyline((start, stop)), BBox.around([start, stop]), stroke=color, stroke_width=width,
                        cls="skip arc", dash=dash))
        out.extend(_symbol(kind, center, r, color, width, theme.background))
        start = (center[0] + ux * r, center[1] + uy * r)
    head, back = solid_head(tip, (ux, uy), color, theme, "skip")
    out.append(Path(polyline((start, back)), BBox.around([start, back]), stroke=color, stroke_width=width,
                    cls="skip arc" if kind not in SYMBOLS else "skip", dash=dash if kind not in SYMBOLS else None))
    out.append(head)
    return out


def kinds_drawn(scene: Scene) -> list[str]:
    """The connection kinds drawn as arcs in a scene, in ``CONNECTION_KINDS`` order (for a
    legend)."""
    found: set[str] = set()

    def visit(group: Group) -> None:
        if group.cls and group.cls.startswith("skip "):
            found.add(group.cls.split()[1])
        for child in group.children:
            if isinstance(child, Group):
                visit(child)

    for g in scene.groups:
        visit(g)
    return [k for k in CONNECTION_KINDS if k in found]
