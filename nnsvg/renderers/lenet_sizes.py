"""LeNet's sizes: a feature map's side and a dense layer's length from their units (linear, log,
sqrt or compressed past a knee), the stack of maps a layer draws (``Stack``), the figure's
width, and the factors that fit it (``fitted``: a shorter diagonal step, then smaller layers,
for a figure wider than a page; grown maps at a printed width), with the notes that name the
option that shrinks a figure over budget."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

from ..scene import Scene
from ..spec.lenet import DenseLayer, LenetSpec, MapLayer, caption
from ..theme import Theme

DENSE_DEPTH = 10.0  # NN-SVG's thickness of a dense parallelogram


MIN_SIDE = 6.0  # px: a map side drawn smaller is a dot at column width


MIN_DENSE = 4.0  # px: the shortest dense parallelogram


STEP_SHARE = 0.5  # the diagonal step is at most this share of a map's side: small maps still stack


AUTO_MAP = 128  # units: auto map sides are linear while the largest side is at most this (NN-SVG's input)


AUTO_DENSE = 256  # units: auto dense lengths are linear while the longest layer is at most this


PAGE_WIDTH = 1600.0  # px: fit shrinks a wider figure (at 6.5 in, 12 px text prints at 3.5 pt)


MAX_SHARE = 0.4  # no layer should take more of the figure's width than this


FIT_STEP = 0.5  # fit shortens the diagonal step to at least this share of map_offset


FIT_SIZE = 0.5  # and then draws the layers (and the gaps) at least this share of their size


MIN_FIT_STEP = 3.0  # px: fit never makes the diagonal step shorter (1 px outlines would merge)


MAP_TEXT = 2.5  # at a printed width the largest map is at least this many text sizes across


MAX_GROW = 2.5  # and grown at most this much


STEP_STROKES = 4.0  # and its diagonal steps at least this many map outlines long


GROWN_STEP_SHARE = 0.6  # (up to this share of the grown side)


DEPTH_TEXT = 0.3  # at a printed size a dense slab is at least this many text sizes thick (2 pt at 9 pt)


def compressed(units: float, largest: float, knee: float, strength: float) -> float:
    """``units`` itself while ``largest`` is at most ``knee``; else a power law that draws
    ``largest`` at ``knee`` and keeps the order of every size. The exponent falls with how far
    ``largest`` is past the knee, so a 224 input next to 7×7 maps keeps both visible; the
    result is continuous in ``largest`` at the knee."""
    if largest <= knee:
        return units
    power = 1 / (1 + strength * math.log2(largest / knee))
    return float(knee * (units / largest) ** power)


@dataclass(frozen=True)
class Factors:
    """What ``fit`` applied: the share of the diagonal step and of the layer sizes."""

    step: float = 1.0
    size: float = 1.0
    maps: float = 1.0  # map sides only: grown next to big text at a printed width (``grown``)
    min_step: float = 0.0  # and then a diagonal step of at least a few outline widths
    depth: float = DENSE_DEPTH  # a dense slab's thickness: thicker next to text at a printed size
    shortest: float = MIN_DENSE  # and its least length (a short slab is as visible as a thin one)


def side(units: int, largest: int, spec: LenetSpec, factors: Factors = Factors()) -> float:
    """A map side in px: the spec's formula (``largest`` is the largest side of any map),
    ``fit``'s factor, then the minimum visible size."""
    if spec.map_size == "log":
        px = 12.0 * spec.map_scale * math.log2(1 + units)
    elif spec.map_size == "linear":
        px = units * spec.map_scale
    else:
        px = compressed(units, largest, AUTO_MAP, 1.0) * spec.map_scale
    return max(MIN_SIDE, px * factors.size * factors.maps)


def dense_length(size: int, longest: int, spec: LenetSpec, factors: Factors = Factors()) -> float:
    if spec.dense_size == "sqrt":
        px = math.sqrt(size) * spec.dense_scale / 10
    elif spec.dense_size == "linear":
        px = size * spec.dense_scale / 100
    else:
        px = compressed(size, longest, AUTO_DENSE, 0.5) * spec.dense_scale / 100
    return max(factors.shortest, px * factors.size)


def drawn_slots(maps: int, max_maps: int) -> tuple[int, int]:
    """(maps drawn at the back, maps drawn at the front); front = 0 means all are drawn.
    A deeper stack keeps its back and front maps around a small diagonal ellipsis, so it is
    never longer than ``max_maps`` slots."""
    back = max(1, (max_maps - 3) // 2)
    front = max(1, max_maps - 3 - back)
    if max_maps == 0 or maps <= max_maps or back + front >= maps:  # an ellipsis must stand for a map
        return maps, 0
    return back, front


@dataclass(frozen=True)
class Stack:
    """A stack's geometry relative to its back map's top-left corner: the diagonal offset of
    each drawn map, and the centres of the ellipsis dots (elided stacks)."""

    w: float
    h: float
    step: float
    offsets: tuple[float, ...]
    dots: tuple[float, ...] = ()
    dot_r: float = 0.0

    @property
    def run(self) -> float:
        return self.offsets[-1]


def stack_of(layer: MapLayer, largest: int, spec: LenetSpec, factors: Factors) -> Stack:
    """One continuous diagonal run: the back maps, a gap of two steps (at least 6 px more than
    one) that holds a compact ⋱ in the staircase's notch, then the front maps. A small map's
    step is at most half its side, so its maps overlap and read as one stack."""
    w, h = side(layer.width, largest, spec, factors), side(layer.height, largest, spec, factors)
    fit_step = max(spec.map_offset * factors.step * factors.size, min(spec.map_offset, MIN_FIT_STEP))
    step = min(fit_step, max(1.5, STEP_SHARE * min(w, h) / factors.maps))  # grown maps keep their run
    step = max(step, min(fit_step, factors.min_step, GROWN_STEP_SHARE * min(w, h)))  # outlines that do not merge
    back, front = drawn_slots(layer.maps, spec.max_maps)
    offsets = [j * step for j in range(back)]
    if not front:
        return Stack(w, h, step, tuple(offsets))
    gap = max(2 * step, step + 6.0)
    start = offsets[-1] + gap
    offsets += [start + j * step for j in range(front)]
    dots = tuple(offsets[back - 1] + gap * t for t in (0.25, 0.5, 0.75))
    r = max(0.6, min(1.5, gap * 0.08))
    return Stack(w, h, step, tuple(offsets), dots, r)


def extents(spec: LenetSpec, factors: Factors) -> list[Stack | float]:
    """Each layer's stack (maps) or length (dense) under ``factors``."""
    largest = max((max(m.height, m.width) for m in spec.layers if isinstance(m, MapLayer)), default=1)
    longest = max((d.size for d in spec.layers if isinstance(d, DenseLayer)), default=1)
    return [stack_of(layer, largest, spec, factors) if isinstance(layer, MapLayer)
            else dense_length(layer.size, longest, spec, factors) for layer in spec.layers]


def widths(spec: LenetSpec, factors: Factors) -> tuple[list[float], float]:
    """Each layer's width and the figure's (layers and gaps, captions aside)."""
    each = [e.w + e.run if isinstance(e, Stack) else e + factors.depth for e in extents(spec, factors)]
    gaps = [*spec.gap_list(), 0.0]
    lo = hi = x = 0.0
    for width, gap in zip(each, gaps):
        lo, hi = min(lo, x), max(hi, x + width)
        x += width + gap * factors.size
    return each, hi - lo


def _largest_within(low: float, high: float, width: Callable[[float], float]) -> float:
    """The largest factor in [low, 1] whose figure is at most PAGE_WIDTH wide (``width`` falls
    with the factor), or ``low`` if none is."""
    if width(low) > PAGE_WIDTH:
        return low
    for _ in range(30):
        mid = (low + high) / 2
        low, high = (mid, high) if width(mid) <= PAGE_WIDTH else (low, mid)
    return low


def grown(spec: LenetSpec, theme: Theme | None) -> float:
    """The factor on map sides at a printed width (``--width``, ``--height``, auto map sizes):
    the largest map is drawn at least ``MAP_TEXT`` text sizes across (as the default LeNet at
    its own size: 32 px next to 12 px text), at most ``MAX_GROW`` times its own size. Next to
    text at its printed size the drawing shrinks to fit; map sides are a small part of the
    figure's width (the diagonal runs, the dense layers and the gaps are most of it), so
    growing them costs little width and keeps the maps and their filter windows readable
    where the figure has height to spare. 1 at the figure's own size."""
    if theme is None or spec.map_size != "auto" or (spec.width is None and spec.height is None):
        return 1.0
    largest = max((side(max(m.height, m.width), max(m.height, m.width), spec)
                   for m in spec.layers if isinstance(m, MapLayer)), default=0.0)
    if largest <= 0:
        return 1.0
    return min(MAX_GROW, max(1.0, MAP_TEXT * theme.text.size / largest))


def dense_depth(spec: LenetSpec, theme: Theme | None) -> float:
    """A dense slab's thickness: NN-SVG's, or at a printed width (``--width``, ``--height``) at
    least ``DEPTH_TEXT`` text sizes, so that a drawing shrunk next to its text keeps its dense
    layers visible (a slab of a long network would else print under half a point)."""
    if theme is None or (spec.width is None and spec.height is None):
        return DENSE_DEPTH
    return max(DENSE_DEPTH, DEPTH_TEXT * theme.text.size)


def fitted(spec: LenetSpec, theme: Theme | None = None) -> Factors:
    """The factors that keep the figure within PAGE_WIDTH: first a shorter diagonal step (the
    run of a deep stack is the most elastic part), then smaller layers; and map sides grown
    next to big text (``grown``)."""
    depth = dense_depth(spec, theme)
    maps = grown(spec, theme)
    if maps != 1.0 and theme is not None:
        return dataclasses.replace(fitted(spec), maps=maps, min_step=STEP_STROKES * theme.map.stroke_width,
                                   depth=depth, shortest=max(MIN_DENSE, depth))
    if depth != DENSE_DEPTH:
        return dataclasses.replace(fitted(spec), depth=depth, shortest=max(MIN_DENSE, depth))
    if not spec.fit or widths(spec, Factors())[1] <= PAGE_WIDTH:
        return Factors()
    step = _largest_within(FIT_STEP, 1.0, lambda f: widths(spec, Factors(f, 1.0))[1])
    if widths(spec, Factors(step, 1.0))[1] <= PAGE_WIDTH:
        return Factors(step, 1.0)
    size = _largest_within(FIT_SIZE, 1.0, lambda f: widths(spec, Factors(step, f))[1])
    return Factors(step, size)


def budget_notes(spec: LenetSpec, factors: Factors, scene: Scene) -> list[str]:
    """What is still over budget after fit, with the option that shrinks it: a layer that
    dominates (returned) and a figure wider than a page (added to the scene's page notes)."""
    each, total = widths(spec, factors)
    notes = []
    if len(each) >= 3:
        k = max(range(len(each)), key=lambda i: each[i])
        share = each[k] / total
        if share > MAX_SHARE:
            layer = spec.layers[k]
            if isinstance(layer, DenseLayer):
                fix = "--dense-size auto" if spec.dense_size != "auto" else "a smaller --dense-scale"
            else:
                fix = "--map-size auto" if spec.map_size != "auto" else "a smaller --map-scale or --max-maps"
            notes.append(f"layer {k + 1} ({caption(layer)}) takes {share:.0%} of the figure's width; "
                         f"{fix} shrinks it")
    if total > PAGE_WIDTH * 1.05:
        fixes = [f for f, on in (("--fit", not spec.fit), ("--map-size auto", spec.map_size != "auto"),
                                 ("--dense-size auto", spec.dense_size != "auto")) if on]
        fixes = fixes or ["a smaller --max-maps, --map-offset or --gaps"]
        scene.page_notes.append(f"the figure is {total:,.0f} px wide (a page holds about {PAGE_WIDTH:,.0f}); "
                     f"{' or '.join(fixes)} shrinks it")
    return notes
