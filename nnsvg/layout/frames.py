"""Block frames for the chain styles (fcnn, lenet, alexnet): a graph's groups as dashed rounded
frames round their layers, with their label and ×N, and the texts a frame crosses moved clear.

``frames`` draws them (an inner block first, its frame and label inside the outer one);
``keep_clear`` moves the scene's texts that a frame or a frame's label would cross. Both are
steps of the shared decoration pass (``layout.decorate``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..geometry import BBox, text_box
from ..graph import Group as GraphGroup
from ..scene import Group, LineTo, MoveTo, Path, QuadTo, Scene, Segment, Text
from ..theme import Theme
from .labels import moved_clear
from .skips import Obstacles, Plan


def frame_label(group: GraphGroup) -> str | None:
    """The text under a block's frame: its label, ×N when repeated, or both."""
    times = f"×{group.repeat}" if group.repeat > 1 else None
    if group.label and times:
        return f"{group.label} {times}"
    return group.label or times


def frames(groups: Sequence[GraphGroup], boxes: Sequence[BBox | None], theme: Theme,
           between: Sequence[tuple[int, BBox]] = (), pad: float | None = None,
           beside: bool = False, plan: Plan | None = None, shapes: Sequence[BBox | None] | None = None,
           obstacles: Obstacles | None = None) -> Group:
    """A dashed rounded frame around each block's layers (``boxes[i]``: layer i with its own
    labels; ``between``: (i, box) of what sits in the gap after layer i, such as an op label),
    its label and ×N under it, left-aligned (``beside``: right of its top, for a network that
    flows down the page, whose next layer is under the frame). A skip ``plan``'s landings (the
    arrowheads and merge symbols on a layer) are inside their layer's frames, so no frame is
    drawn through a symbol. A frame stops at the middle of the gap between its end layers'
    ``shapes`` (their drawn shapes alone; default ``boxes``) and their neighbours', so
    neighbouring frames do not overlap, unless a member's shape reaches further (a frame never
    cuts its members' shapes); a label that a frame crosses is moved by ``keep_clear``.
    An inner block is framed first and its frame and label are inside the outer one. The label
    takes the first of the frame's four corners (under left, under right, over left, over
    right) where it meets nothing in ``obstacles`` (what is drawn so far, the skip legs), no
    other frame's border and no other frame's label; else the nearest free spot."""
    framer = _Framer(groups, boxes, shapes if shapes is not None else boxes, between,
                     list(plan.landings if plan is not None else []), theme,
                     theme.text.size * 0.6 if pad is None else pad, beside, obstacles,
                     max(theme.block.stroke_width * 0.8, 0.6))
    out = Group("blocks", "blocks")
    for g in sorted(groups, key=lambda g: (g.last - g.first, g.first)):
        frame = framer.frame(g)
        if frame is not None:
            out.add(frame)
    framer.move_crossed_labels(out)
    return out


@dataclass
class _Framer:
    """The frames drawn so far, and what the next one keeps clear of."""

    groups: Sequence[GraphGroup]
    boxes: Sequence[BBox | None]
    core: Sequence[BBox | None]  # the layers' shapes alone: a frame stops between these
    between: Sequence[tuple[int, BBox]]
    landings: list[tuple[int, BBox]]
    theme: Theme
    pad: float
    beside: bool
    obstacles: Obstacles | None
    width: float
    done: dict[tuple[int, int], BBox] = field(default_factory=dict)  # each frame with its label
    borders: list[Path] = field(default_factory=list)
    labels: list[Text] = field(default_factory=list)

    def frame(self, g: GraphGroup) -> Group | None:
        members = self.members(g)
        if not members:
            return None
        inner = self.extent(g, members)
        radius = min(self.theme.text.size * 0.6, inner.width / 4, inner.height / 4)
        frame = Group(f"block-{g.first}-{g.last}", "block")
        border = _dashed(inner, radius, self.theme.block.stroke, self.width)
        frame.add(border)
        whole = inner.grow(self.width / 2)
        text = frame_label(g)
        if text:
            label = self.label(text, inner, radius)
            frame.add(label)
            self.labels.append(label)
            whole = whole.union(label.box)
        self.borders.append(border)
        self.done[(g.first, g.last)] = whole
        return frame

    def members(self, g: GraphGroup) -> list[BBox]:
        """What the frame of ``g`` encloses: its layers, the frames inside it, the labels of the
        gaps inside, the skip landings on its layers."""
        members = [b for b in self.boxes[g.first:g.last + 1] if b is not None]
        members += [box for (f, last), box in self.done.items() if g.first <= f and last <= g.last]
        members += [box for i, box in self.between if g.first <= i < g.last]  # labels of the gaps inside
        members += [box for i, box in self.landings if g.first <= i <= g.last]
        return members

    def extent(self, g: GraphGroup, members: list[BBox]) -> BBox:
        """The frame's box: round its members, but never past the middle of the gap to the layer
        before or after the block (a neighbouring block's frame stops there too); a frame round
        another that shares its end, half a pad out."""
        pad, width, core = self.pad, self.width, self.core
        inner = BBox(min(b.x0 for b in members), min(b.y0 for b in members), max(b.x1 for b in members),
                     max(b.y1 for b in members)).grow(pad)
        before, first = core[g.first - 1] if g.first > 0 else None, core[g.first]
        after, last = core[g.last + 1] if g.last + 1 < len(core) else None, core[g.last]
        x0, x1 = inner.x0, inner.x1
        own = [b for b in core[g.first:g.last + 1] if b is not None]
        reach = BBox(min(b.x0 for b in own), inner.y0, max(b.x1 for b in own), inner.y1) if own else inner  # never cut
        if before is not None and first is not None and before.x1 < first.x0:
            inside = sum(1 for h in self.groups if h != g and g.contains(h) and h.first == g.first)
            x0 = max(x0, min((before.x1 + first.x0) / 2 + width - inside * pad * 0.5, reach.x0 - width * 2))
        if after is not None and last is not None and last.x1 < after.x0:
            inside = sum(1 for h in self.groups if h != g and g.contains(h) and h.last == g.last)
            x1 = min(x1, max((last.x1 + after.x0) / 2 - width + inside * pad * 0.5, reach.x1 + width * 2))
        if x0 < x1 and (x0, x1) != (inner.x0, inner.x1):  # cut: its height from what still fits across
            fits = [b for b in members if x0 <= b.x0 and b.x1 <= x1] + own
            inner = BBox(x0, min(b.y0 for b in fits) - pad, x1, max(b.y1 for b in fits) + pad)
        return inner

    def label(self, text: str, inner: BBox, radius: float) -> Text:
        """The frame's label at the first free corner (``beside``: right of its top)."""
        size, family, width = self.theme.text.size, self.theme.text.family, self.width
        probe = text_box(text, 0.0, 0.0, size, family)
        below = inner.y1 + width / 2 + size * 0.25 - probe.y0
        above = inner.y0 - width / 2 - size * 0.25 - probe.y1
        if self.beside:
            spots = [(inner.x1 + width / 2 + size * 0.4, inner.y0 - probe.y0, "start")]
        else:  # under its left end, under its right end, over its left end, over its right end
            spots = [(inner.x0 + radius / 2, below, "start"), (inner.x1 - radius / 2, below, "end"),
                     (inner.x0 + radius / 2, above, "start"), (inner.x1 - radius / 2, above, "end")]
        rects = [f.extent for f in self.borders]

        def free(label: Text) -> bool:
            if self.obstacles is not None and self.obstacles.hits(label.box):
                return False
            return not any(r.overlaps(label.box) and not r.contains(label.box) for r in rects) and \
                not any(t.box.overlaps(label.box) for t in self.labels)

        options = [Text(x, y, text, size, family, self.theme.text.color, anchor,
                        text_box(text, x, y, size, family, anchor), "block-label") for x, y, anchor in spots]
        return next((t for t in options if free(t)), None) or _nearest_free(options[0], free) or options[0]

    def move_crossed_labels(self, out: Group) -> None:
        """A later neighbour's border across a label: move the label."""
        rects = [f.extent for f in self.borders]
        for block in out.children:
            assert isinstance(block, Group)
            for k, item in enumerate(block.children):
                if isinstance(item, Text) and any(r.overlaps(item.box) and not r.contains(item.box) for r in rects):
                    others = [t for t in self.labels if t is not item]

                    def clear(t: Text, others: list[Text] = others) -> bool:
                        return not (self.obstacles is not None and self.obstacles.hits(t.box)) and \
                            not any(r.overlaps(t.box) and not r.contains(t.box) for r in rects) and \
                            not any(o.box.overlaps(t.box) for o in others)

                    moved = _nearest_free(item, clear)
                    if moved is not None:
                        block.children[k] = moved
                        self.labels[self.labels.index(item)] = moved


def _dashed(box: BBox, q: float, stroke: str, width: float) -> Path:
    """A dashed rectangle with corners rounded by ``q`` (a ``Rect`` carries no dash)."""
    x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1
    data: tuple[Segment, ...] = (
        MoveTo(x0 + q, y0), LineTo(x1 - q, y0), QuadTo(x1, y0, x1, y0 + q), LineTo(x1, y1 - q),
        QuadTo(x1, y1, x1 - q, y1), LineTo(x0 + q, y1), QuadTo(x0, y1, x0, y1 - q), LineTo(x0, y0 + q),
        QuadTo(x0, y0, x0 + q, y0))
    dash = (max(3.0, width * 5), max(2.0, width * 3))
    return Path(data, box, stroke=stroke, stroke_width=width, cls="frame", dash=dash, linecap="butt")


def keep_clear(scene: Scene, framed: Group, walls: Sequence[BBox] = ()) -> None:
    """Move the scene's texts that a frame or a frame's label would cross (a neighbour's caption
    or op label reaching into a block) out of its way: along x or y, whichever moves it least
    onto a spot that crosses no frame and meets nothing else drawn (``walls``: skip legs)."""
    shapes: list[tuple[BBox, list[BBox]]] = []  # (frame, boxes to keep clear of)
    for frame in framed.children:
        if not isinstance(frame, Group):
            continue
        rect = next(c for c in frame.children if isinstance(c, Path))
        labels = [c.box for c in frame.children if isinstance(c, Text)]
        shapes.append((rect.extent, [rect.extent.grow(rect.stroke_width), *labels]))
    if not shapes:
        return
    seen = Obstacles()
    seen.add_items(scene.walk())
    seen.boxes += walls
    captions = [t.box for t in scene.walk() if isinstance(t, Text)]  # text never meets text, not by a hair

    def crossed(text: Text) -> list[BBox]:
        """The boxes of the frames (and frame labels) that ``text`` would be on."""
        out = []
        for box, keep in shapes:
            inside = box.grow(-text.size * 0.1).contains(text.box)
            if (box.overlaps(text.box) and not inside) or any(b.overlaps(text.box) for b in keep[1:]):
                out += keep
        return out

    def visit(group: Group) -> None:
        for k, child in enumerate(group.children):
            if isinstance(child, Group):
                visit(child)
            elif isinstance(child, Text) and (keep := crossed(child)):
                own = child.box
                moved = _nearest_free(child, lambda t, own=own: not crossed(t)  # type: ignore[misc]
                                      and not seen.hits(t.box.grow(-t.size * 0.1), own)
                                      and not any(b is not own and b.overlaps(t.box) for b in captions))
                if moved is None:  # nowhere free near: at least off the frame
                    x, y = child.x, child.y
                    moves = [moved_clear(child, keep, d) for d in ((-1.0, 0.0), (1.0, 0.0), (0.0, -1.0), (0.0, 1.0))]
                    moved = min(moves, key=lambda t: (bool(crossed(t)), abs(t.x - x) + abs(t.y - y)))
                group.children[k] = moved
                seen.boxes = [b for b in seen.boxes if b is not own] + [moved.box]
                captions[:] = [b for b in captions if b is not own] + [moved.box]

    for g in scene.groups:
        visit(g)
    seen.add_items(framed.walk())


def _nearest_free(text: Text, free: Callable[[Text], bool], reach: float = 12.0) -> Text | None:
    """``text`` moved the least along x or y (in steps of a quarter of its size, up to ``reach``
    times its size) to a spot where ``free`` holds; None if there is none."""
    step = text.size * 0.25
    for k in range(1, int(reach / 0.25) + 1):
        for dx, dy in ((0.0, -1.0), (0.0, 1.0), (-1.0, 0.0), (1.0, 0.0)):
            d = k * step
            box = BBox(text.box.x0 + dx * d, text.box.y0 + dy * d, text.box.x1 + dx * d, text.box.y1 + dy * d)
            moved = Text(text.x + dx * d, text.y + dy * d, text.text, text.size, text.family, text.fill, text.anchor,
                         box, text.cls, text.host)
            if free(moved):
                return moved
    return None
