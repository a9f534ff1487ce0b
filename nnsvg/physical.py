"""Physical size as layout input: ``--width 3.5in`` and ``--height 6cm`` (spec keys ``width`` and
``height``).

A renderer lays a figure out in drawing units; the theme's lengths (text size, stroke widths,
arrowheads, dash patterns, the margin: the fields declared with ``theme._length``) are px of the
printed page, 1 px = 1/96 in = 0.75 pt. For a target size the figure is drawn at a scale ``s``
(printed px per drawing unit) and every theme length is divided by ``s`` before the layout, so
that once the page is scaled to the target each is back at its own size: 12 px text prints at
9 pt, a 0.35 px edge at 0.26 pt, however big the network. The layout sees its true text size,
so captions are staggered, lifted and given room as they need at that size.

The scale is a fixed point. With ``k = 1/s`` (the theme's lengths multiplied by ``k``), a layout
of ``D(k)`` drawing units fills the target ``W`` when ``D(k) = k·W``. Where the layout is affine
in ``k`` (``D = a + b·k``: shapes of fixed size ``a``, text and strokes ``b·k``) the root is
``k = a / (W − b)``, which exists exactly when ``b < W``: when the labels alone fit in ``W``.
The secant method on ``D(k)/W − k`` finds it after two renders in that case. Renderers are
affine only piecewise (a caption moves to a second row, a gap widens for a label), so every step
is kept inside the bracket of the largest ``k`` found too big and the smallest found to fit:
geometric bisection when the secant leaves it, and on every other step from the fifth, so the
bracket closes even where ``D`` jumps. It stops when the drawing fills the target to within
``TOLERANCE``, or when the bracket is that narrow (at a jump), or after ``MAX_ROUNDS`` renders,
taking the smallest ``k`` found that fits; the page is then ``k·W`` wide with the drawing
centred, so it is exactly the target and the text its size. Measured on the test corpus at
3.5, 5 and 7 in: 3 to 5 renders, 13 for AlexNet with dimension labels (its gaps widen in steps).
When nothing up to ``K_LIMIT`` fits (``D(k)/k`` stays above ``W``: the labels alone are wider)
the target is refused with the width the figure has at its own proportions.

A style whose every length follows its text (its spec class says ``sizes_follow_text``: the
blocks style, boxes as big as their text, gaps in px of the page) is not solved: a smaller
drawing is the same figure with its text too big for its boxes, so it is drawn at ``k = 1`` and
centred on a page of the target's size (``own_scale``), or refused with what fits.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from .errors import SpecError
from .geometry import BBox
from .scene import Printed, Scene
from .styles import Spec
from .theme import Theme, theme_keys
from .units import LARGEST_PX, PRESETS, PT_PER_PX, PX_PER, UNITS, Length, parse
from .units import exact as units_exact
from .units import quantum as units_quantum

MAX_ROUNDS = 16  # renders at most; two to six are usual
TOLERANCE = 1e-3  # the drawing fills the target to within 0.1 % (the rest is even padding)
K_LIMIT = 1000.0  # theme lengths × 1000: a drawing 1000 times smaller than its own proportions
TEXT_FLOOR_PT = 7.0  # smallest text a reader should be asked to read in print


# --- the layout at a physical size -----------------------------------------------------------

def length_keys() -> list[str]:
    """The theme keys that are lengths on the printed page (kept at their size at any scale)."""
    return [key for key, meta in theme_keys().items() if meta.get("length") or meta["kind"] == "dash"]


def scaled(theme: Theme, k: float) -> Theme:
    """``theme`` with every length multiplied by ``k``: drawn at a scale of ``1/k`` they print
    at their own size. (Not validated again: a length past its theme bound here is still the
    bound at print size.)"""
    if k == 1.0:
        return theme
    sections: dict[str, dict[str, Any]] = {}
    top: dict[str, Any] = {}
    for key in length_keys():
        section, _, name = key.rpartition(".")
        holder = getattr(theme, section) if section else theme
        value = getattr(holder, name)
        if isinstance(value, str):  # a dash pattern, "5 3" or "none"
            value = value if value == "none" else " ".join(f"{float(v) * k:.6g}" for v in value.split())
        else:
            value = value * k
        (sections.setdefault(section, {}) if section else top)[name] = value
    for section, values in sections.items():
        top[section] = dataclasses.replace(getattr(theme, section), **values)
    return dataclasses.replace(theme, **top)


@dataclass
class Target:
    """The size to fit: a width, a height or both (the figure keeps its aspect and fits inside
    both)."""

    width: Length | None
    height: Length | None

    @classmethod
    def of(cls, spec: Spec) -> Target | None:
        width, height = getattr(spec, "width", None), getattr(spec, "height", None)
        if width is None and height is None:
            return None
        return cls(parse(width, "width") if width is not None else None,
                   parse(height, "height") if height is not None else None)

    @property
    def unit(self) -> str:
        return (self.width or self.height or Length(1, "px", "1px")).unit

    def fill(self, box: BBox) -> tuple[float, str]:
        """The k at which a drawing of ``box`` (drawing units) exactly fills the target, and the
        side that binds."""
        sides = []
        if self.width is not None:
            sides.append((box.width / self.width.px, "width"))
        if self.height is not None:
            sides.append((box.height / self.height.px, "height"))
        return max(sides)

    def described(self) -> str:
        parts = [f"{name} {length.text}" for name, length in (("--width", self.width), ("--height", self.height))
                 if length is not None]
        return " and ".join(parts)


@dataclass
class Trial:
    k: float
    scene: Scene
    box: BBox  # the drawing plus its margin, in drawing units
    need: float  # the k at which this drawing would fill the target
    side: str

    @property
    def ratio(self) -> float:  # printed size over target: at most 1 fits
        return self.need / self.k


def render(spec: Spec, theme: Theme) -> Scene:
    """The scene of ``spec``: laid out for its physical size when it has one (``width``,
    ``height``), else as the renderer draws it. A layout that leaves shapes too small to print
    or labels on the drawing gets a note with a text size that does not, if one of at least
    ``TEXT_FLOOR_PT`` does (checked by laying the figure out with it)."""
    from .renderers import render as draw

    target = Target.of(spec)
    if target is None:
        return draw(spec, theme)
    scene, illegible = layout(spec, theme, target, explain=True)
    if illegible == "drawing":  # (labels that need more rows have their note with a text size)
        size = legible_size(spec, theme, target, scene)
        if size is not None:
            scene.notes.append(f"--set {size} keeps the shapes visible and the labels clear of the drawing at "
                               f"{target.described()}")
    return scene


def layout(spec: Spec, theme: Theme, target: Target, explain: bool = False) -> tuple[Scene, str]:
    """``laid_out``, and for a legend beside the drawing (right, or auto's choice) that leaves it
    unfit or illegible at ``target``, the legend below it instead where that is legible (a legend
    beside the drawing takes a fixed width of text from it; under it, it wraps into rows)."""
    if getattr(spec, "legend", "off") not in ("right", "auto"):
        return laid_out(spec, theme, target, explain)
    scene: Scene | None = None
    try:
        scene, state = laid_out(spec, theme, target)
    except SpecError:
        state = "unfit"
    if state and (scene is None or beside(scene)):
        below = _replaced(spec, legend="below")
        try:
            under: Scene | None = None
            under, under_state = laid_out(below, theme, target)
        except SpecError:
            under_state = "unfit"
        worse = ("", "rows", "drawing", "unfit")  # how far a layout is from legible, then how many notes say so
        if under is not None and (scene is None or (worse.index(under_state), len(under.notes))
                                  < (worse.index(state), len(scene.notes))):
            if explain and under_state:
                under, under_state = laid_out(below, theme, target, explain)
            if explain and spec.legend == "right":
                why = "does not fit" if scene is None else "leaves the drawing illegible"
                under.notes.insert(0, f"at {target.described()} a legend right of the drawing {why}; drawn below it")
            return under, under_state
    if scene is not None and (state == "" or not explain):  # (a legible layout has no notes to explain)
        return scene, state
    return laid_out(spec, theme, target, explain)  # again, for the notes (or the error) that explain it


def laid_out(spec: Spec, theme: Theme, target: Target, explain: bool = False) -> tuple[Scene, str]:
    """The scene laid out for ``target``, and what its notes say is illegible there: "rows"
    (labels need more than two rows), "drawing" (shapes under the print floor, labels crowding
    the drawing) or "". ``explain``: a note or error that says what would fit (laying the figure
    out again for each suggestion), else a SpecError without them."""
    if type(spec).sizes_follow_text:
        return own_scale(spec, theme, target, explain)
    fits, last, natural = solve(lambda k: trial_of(spec, theme, target, k))
    if fits is None and getattr(spec, "label_room", False):
        # the labels need more room in two rows than the target has: say what gives it, and draw
        # them stacked deeper (the layers at their own gaps) rather than refuse
        deeper = _replaced(spec, label_room=False)
        tight = last  # the two-row layout at the largest k tried: about what its labels need
        fits, last, natural = solve(lambda k: trial_of(deeper, theme, target, k))
        if fits is not None:
            scene, _ = finish(fits, target, theme, natural)
            if explain:
                scene.notes.insert(0, two_rows_note(spec, theme, target, tight))
            return scene, "rows"
    if fits is None:
        raise SpecError(too_narrow(target, theme, last, natural, fixes(spec, theme, target, last) if explain else ()))
    scene, illegible = finish(fits, target, theme, natural)
    return scene, "drawing" if illegible else ""


def own_scale(spec: Spec, theme: Theme, target: Target, explain: bool = False) -> tuple[Scene, str]:
    """``laid_out`` for a figure whose every length follows its text (``sizes_follow_text``: its
    boxes are as big as their text, its gaps px of the page): drawn at its own scale (k = 1, the
    text at its point size and the strokes at their widths, as the theme says), on a page the
    target's size with the drawing centred. A smaller drawing would be the same figure with its
    text too big for its boxes, so a drawing bigger than the target is refused, with what fits
    (``own_scale_fixes``) when ``explain``."""
    trial = trial_of(spec, theme, target, 1.0)
    if trial.ratio > 1.0 + 1e-9:
        found = own_scale_fixes(spec, theme, target, trial) if explain else []
        raise SpecError(too_big(target, theme, trial, found))
    scene, illegible = finish(trial, target, theme, trial)
    return scene, "drawing" if illegible else ""


def own_scale_fixes(spec: Spec, theme: Theme, target: Target, trial: Trial) -> list[str]:
    """What makes a figure drawn at its own scale fit its target, each checked by laying it out
    with it: the other flow directions of the style (its ``direction`` option's choices), the
    least side (in steps of the target's unit, the other side kept) and the largest text size
    (in half points, not below ``TEXT_FLOOR_PT``)."""
    out = []
    fields = {f.name: f for f in dataclasses.fields(cast("Any", spec))}
    direction = getattr(spec, "direction", None)
    if "direction" in fields:
        for choice in fields["direction"].metadata.get("choices", ()):
            if choice != direction and fits_at(_replaced(spec, direction=choice), theme):
                out.append(f"--direction {choice} (in a spec file direction: {choice})")
    name = trial.side
    side = target.width if name == "width" else target.height
    assert side is not None
    unit = side.unit
    quantum = UNITS[unit].step
    value = math.ceil(side.px * trial.ratio / PX_PER[unit] / quantum - 1e-9) * quantum
    for _ in range(SUGGESTION_TRIES):
        if value > LARGEST_PX / PX_PER[unit]:
            break
        if fits_at(_replaced(spec, **{name: f"{value:g}{unit}"}), theme):
            out.append(f"--{name} {value:g}{unit}")
            break
        value += quantum
    pt = theme.text.size * PT_PER_PX
    if pt > TEXT_FLOOR_PT:  # every length follows the text: the figure is about in proportion to it
        size_pt = math.floor(min(pt - TEXT_STEP_PT, pt / trial.ratio) / TEXT_STEP_PT) * TEXT_STEP_PT
        for _ in range(SUGGESTION_TRIES):
            if size_pt < TEXT_FLOOR_PT:
                break
            px = round(size_pt / PT_PER_PX, 2)
            if fits_at(spec, dataclasses.replace(theme, text=dataclasses.replace(theme.text, size=px))):
                out.append(f"--set text.size={px:g} ({size_pt:g} pt)")
                break
            size_pt -= TEXT_STEP_PT
    return out


def too_big(target: Target, theme: Theme, trial: Trial, found: Sequence[str] = ()) -> str:
    """Why a figure drawn at its own scale is refused: its size with the text at its point size,
    and ``found``, what was checked to fit."""
    side = target.width if trial.side == "width" else target.height
    assert side is not None
    pt = theme.text.size * PT_PER_PX
    adjective = "wide" if trial.side == "width" else "high"
    fix = ", or ".join(found) if found else f"a smaller text.size (at least {TEXT_FLOOR_PT:g} pt)"
    return (f"--{trial.side} {side.text}: the figure is {side.shown(side.px * trial.ratio)} {adjective} with its "
            f"text at {pt:g} pt (text.size {theme.text.size:g} px), its boxes sized by it, more than "
            f"{side.shown()}: {fix}, or fewer or shorter labels")


def beside(scene: Scene) -> bool:
    """Whether the scene's legend (``nnsvg.layout.legend``) is drawn beside the drawing."""
    return any(g.id == "legend" and "right" in (g.cls or "").split() for g in scene.groups)


def legible_size(spec: Spec, theme: Theme, target: Target, scene: Scene) -> str | None:
    """The largest text size (half points, from half a point under the theme's down to
    ``TEXT_FLOOR_PT``; at most ``SUGGESTION_TRIES``) whose layout at ``target`` is legible, as
    ``text.size=PX (PT pt)``; None if none is."""
    pt = theme.text.size * PT_PER_PX
    size_pt = math.ceil((pt - TEXT_STEP_PT) / TEXT_STEP_PT - 1e-9) * TEXT_STEP_PT
    for _ in range(SUGGESTION_TRIES):
        if size_pt < TEXT_FLOOR_PT:
            return None
        px = round(size_pt / PT_PER_PX, 2)
        if fits_at(spec, dataclasses.replace(theme, text=dataclasses.replace(theme.text, size=px))):
            return f"text.size={px:g} ({size_pt:g} pt)"
        size_pt -= TEXT_STEP_PT
    return None


def _replaced(spec: Spec, **changes: Any) -> Spec:
    return cast("Spec", dataclasses.replace(cast("Any", spec), **changes))


def trial_of(spec: Spec, theme: Theme, target: Target, k: float) -> Trial:
    """``spec`` drawn with the theme's lengths × ``k``, measured against ``target``."""
    from .renderers import render as draw

    scene = draw(spec, scaled(theme, k))
    box = scene.bbox().grow(theme.margin * k)
    need, side = target.fill(box)
    return Trial(k, scene, box, need, side)


def fits_at(spec: Spec, theme: Theme) -> bool:
    """Whether ``spec`` (with its size) has a legible layout at its target with this theme: labels
    in at most two rows, no shape under the print floor, no label crowding the drawing."""
    target = Target.of(spec)
    assert target is not None
    try:
        return layout(spec, theme, target)[1] == ""
    except SpecError:
        return False


SUGGESTION_TRIES = 6  # candidates tried for each suggestion (each one a layout solve)
TEXT_STEP_PT = 0.5  # suggested text sizes are whole or half points


def fixes(spec: Spec, theme: Theme, target: Target, last: Trial) -> list[str]:
    """What makes the figure fit its target, each one checked by laying the figure out with it:
    the least side (in steps of the target's unit) and the largest text size (in half points,
    not below ``TEXT_FLOOR_PT``). ``last`` is the trial at the largest k tried, whose size is
    about what the labels alone need."""
    side = target.width if last.side == "width" and target.width is not None else target.height
    assert side is not None
    name = last.side
    pt = theme.text.size * PT_PER_PX
    out = []
    unit = side.unit
    quantum = UNITS[unit].step
    value = side.px * last.ratio / PX_PER[unit]
    for _ in range(SUGGESTION_TRIES):
        value = math.ceil(value / quantum - 1e-9) * quantum
        if value <= LARGEST_PX / PX_PER[unit] and fits_at(_replaced(spec, **{name: f"{value:g}{unit}"}), theme):
            out.append(f"--{name} {value:g}{unit}")
            break
        value += max(quantum, value * 0.08)  # wider steps as it goes: 6 tries reach about 1.5 times
    if pt > TEXT_FLOOR_PT:  # the labels' room is about in proportion to the text size
        size_pt = math.floor(min(pt - TEXT_STEP_PT, pt / last.ratio) / TEXT_STEP_PT) * TEXT_STEP_PT
        for _ in range(SUGGESTION_TRIES):
            size_pt = max(size_pt, TEXT_FLOOR_PT)
            px = round(size_pt / PT_PER_PX, 2)
            if fits_at(spec, dataclasses.replace(theme, text=dataclasses.replace(theme.text, size=px))):
                out.append(f"--set text.size={px:g} ({size_pt:g} pt)")
                break
            if size_pt <= TEXT_FLOOR_PT:
                break
            size_pt -= TEXT_STEP_PT
    return out


def two_rows_note(spec: Spec, theme: Theme, target: Target, last: Trial) -> str:
    """The note for labels that need more than two rows at the target, with ``fixes`` that keep
    them in two."""
    pt = theme.text.size * PT_PER_PX
    fix = " or ".join(fixes(spec, theme, target, last)) or "fewer or shorter labels"
    return (f"at {target.described()} the labels at {pt:g} pt need more than two rows (drawn stacked deeper, "
            f"the layers at their own gaps); {fix} keeps them in two, legibly")


def solve(trial: Any) -> tuple[Trial | None, Trial, Trial]:
    """The smallest ``k`` whose drawing fits the target (within ``TOLERANCE`` of filling it, or
    at a jump of the layout), by secant steps kept inside the bracket; None when no ``k`` up to
    ``K_LIMIT`` fits. Also returns the last trial and the first (``k = 1``, the figure at its own
    proportions)."""
    small: Trial | None = None  # the largest k found whose drawing is too big
    fits: Trial | None = None  # the smallest k found whose drawing fits
    previous: Trial | None = None
    natural = current = trial(1.0)
    for round_ in range(MAX_ROUNDS):
        if current.ratio <= 1.0:
            if fits is None or current.k < fits.k:
                fits = current
            if current.ratio >= 1.0 - TOLERANCE:
                break
        elif small is None or current.k > small.k:
            small = current
        if fits is not None and small is not None and fits.k / small.k < 1.0 + TOLERANCE:
            break  # the layout jumps between them: take the one that fits, with its padding
        if small is not None and small.k >= K_LIMIT:
            break  # the labels do not fit however small the drawing
        guess = current.need  # the fixed-point step: where this layout would fill the target
        if previous is not None and previous.k != current.k:
            slope = (current.need - previous.need) / (current.k - previous.k)
            if slope < 1.0:  # need(k) = k where the secant line meets the diagonal
                guess = (current.need - slope * current.k) / (1.0 - slope)
            else:  # text grows at least as fast as the room: only a far smaller drawing can fit
                guess = current.k * 4
        low = small.k if small is not None else 0.0
        high = fits.k if fits is not None else math.inf
        bracketed = low > 0 and high < math.inf
        if not low < guess < high or (bracketed and round_ >= 4 and round_ % 2 == 0):
            # outside the bracket, or every other step once the layout has shown it jumps: halve it
            guess = math.sqrt(low * high) if bracketed else (low * 4 if low > 0 else high / 4)
        previous, current = current, trial(min(guess, K_LIMIT))
    return fits, current, natural


def finish(fits: Trial, target: Target, theme: Theme, natural: Trial) -> tuple[Scene, bool]:
    """The scene of the fitting trial with its page: the binding side exactly the target (the
    drawing centred on it), the other the drawing's; its notes for this size. The page's corners
    are rounded outwards to the SVG's 1/100 unit (so the viewBox is the page), and the scale is
    then the target over the page: the text is its size to within about 1/100,000."""
    scene, k, box = fits.scene, fits.k, fits.box
    binding = target.width if fits.side == "width" else target.height
    assert binding is not None
    side_px = units_exact(binding.px, target.unit)
    x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1
    # the side in drawing units: the target's, or the drawing's own where rounding the side down
    # to what the SVG writes (units.exact) left it a hair narrower than the drawing
    if fits.side == "width":
        half = max(side_px * k, x1 - x0) / 2
        x0, x1 = (x0 + x1) / 2 - half, (x0 + x1) / 2 + half
    else:
        half = max(side_px * k, y1 - y0) / 2
        y0, y1 = (y0 + y1) / 2 - half, (y0 + y1) / 2 + half
    frame = BBox(math.floor(x0 * 100) / 100, math.floor(y0 * 100) / 100,
                 math.ceil(x1 * 100) / 100, math.ceil(y1 * 100) / 100)
    extent, other = (frame.width, frame.height) if fits.side == "width" else (frame.height, frame.width)
    scale = side_px / extent
    # the other side to the SVG's last written digit in the unit, rounded up, so the SVG, the PDF
    # and cairosvg's PDF of the SVG all say the same size
    unit = target.unit
    quantum = units_quantum(unit)
    loose = math.ceil(other * scale / quantum - 1e-6) * quantum
    width, height = (side_px, loose) if fits.side == "width" else (loose, side_px)
    scene.printed = Printed(frame, scale, unit, width, height)
    # the renderers' notes on the figure's size against a page are about its own px size; the
    # printed size is now given, and what it leaves too small is said below
    scene.page_notes.clear()
    illegible = [small_shapes(scene, target, theme, fits), crowded(target, fits, natural)]
    for note in (*illegible, too_long(target, fits.side, width, height)):
        if note is not None:
            scene.notes.append(note)
    return scene, any(note is not None for note in illegible)


CHECK_LINES = 20_000  # the quality check tests each label against each line: skip it for more
_CROWDING = ("text-on-text", "text-on-shape", "clipped")


def _lines(scene: Scene) -> int:
    """About how many lines and shapes the scene draws (a fan of n × m edges is n·m)."""
    from .scene import CurvedStars, Fan, Path, Stars

    count = 0
    for prim in scene.walk():
        data = prim.data if isinstance(prim, Path) else None
        if isinstance(data, Fan):
            count += len(data.starts) * len(data.ends)
        elif isinstance(data, Stars | CurvedStars):
            count += sum(len(ends) for _, ends in data.stars)
        else:
            count += 1
    return count


def crowded(target: Target, fits: Trial, natural: Trial) -> str | None:
    """A note when the labels, at their size next to a drawing shrunk to fit, meet lines, shapes
    or each other (the quality check) where the figure at its own proportions has no such
    problem; with the size that keeps those proportions."""
    from . import quality

    if fits.k <= 1.0 or fits.scene is natural.scene or _lines(fits.scene) > CHECK_LINES:
        return None
    now = sum(p.kind in _CROWDING for p in quality.check(fits.scene))
    if now == 0:
        return None
    more = now - sum(p.kind in _CROWDING for p in quality.check(natural.scene))
    if more <= 0:
        return None
    side = target.width if fits.side == "width" and target.width is not None else target.height
    assert side is not None
    own = side.shown(side.px * natural.ratio).replace(" ", "")
    return (f"at {target.described()} the labels crowd the drawing (drawn at {1 / fits.k:.2g} of its own size "
            f"next to them): {more} label{'s' * (more > 1)} meet lines, shapes or other labels; --{fits.side} "
            f"{own} keeps its own proportions, or a smaller text.size or fewer labels")


def too_long(target: Target, side: str, width: float, height: float) -> str | None:
    """A note when the side left free (a long network at a given width) is longer than a page:
    the height of a paper's text block (9 in), or a slide's width for a figure fitted to a height."""
    if side == "width" and target.height is None:
        free, name, limit = height, "height", PRESETS["height"]["page"]
    elif side == "height" and target.width is None:
        free, name, limit = width, "width", PRESETS["width"]["slide"]
    else:
        return None
    page = Length(*limit, "")
    if free <= page.px * 1.001:
        return None
    binding = target.width if side == "width" else target.height
    assert binding is not None
    adjective = "high" if name == "height" else "wide"
    return (f"at --{side} {binding.text} the figure is {binding.shown(free)} {adjective}, more than a page "
            f"({page.value:g} {page.unit}); add --{name} {page.value:g}{page.unit} to fit it inside both, or draw "
            f"fewer nodes or layers")


def small_shapes(scene: Scene, target: Target, theme: Theme, fits: Trial) -> str | None:
    """A note when shapes meant to be seen print under the quality check's floor at this size,
    with a size that keeps them visible. The drawing's scale grows at least in proportion to the
    target (the labels take a fixed part of it), so the target × the missing factor is enough."""
    from . import quality

    small = quality.tiny(scene)
    if not small:
        return None
    name, _, size = min(small, key=lambda item: item[2])
    printed_pt = size * scene.unit_scale() * PT_PER_PX
    factor = quality.TINY_PT / max(printed_pt, 1e-9)
    side = target.width if fits.side == "width" and target.width is not None else target.height
    assert side is not None
    total = sum(c for _, c, _ in small)
    pt = theme.text.size * PT_PER_PX
    return (f"at {target.described()} the drawing is {scene.unit_scale():.2g} of its own size next to its "
            f"{pt:g} pt labels: {total} shape{'s' * (total > 1)} print{'s' * (total == 1)} under "
            f"{quality.TINY_PT:g} pt (the "
            f"smallest: {name}, {printed_pt:.2g} pt); --{fits.side} {side.shown(side.px * factor).replace(' ', '')} "
            f"or a smaller text.size keeps them visible")


def too_narrow(target: Target, theme: Theme, last: Trial, natural: Trial, found: Sequence[str] = ()) -> str:
    """Why the target is refused: the labels (and the margin) alone need more room than it has;
    the size the figure has at its own proportions, the least that could hold the labels, and
    ``found``: the sizes checked to fit (``fixes``)."""
    side = target.width if last.side == "width" and target.width is not None else target.height
    assert side is not None
    pt = theme.text.size * PT_PER_PX
    least = side.px * last.ratio
    own = side.px * natural.ratio
    adjective = "wide" if last.side == "width" else "high"
    alone = f" (the labels alone need more than {side.shown(least)})" if least < own else ""
    widths = [f for f in found if f.startswith("--")  and "text.size" not in f]
    sizes = [f for f in found if "text.size" in f]
    give = (f"give {widths[0]}" if widths else f"give --{last.side} {side.shown(own).replace(' ', '')}")
    smaller = (f"{sizes[0]}" if sizes else f"a smaller text.size (at least {TEXT_FLOOR_PT:g} pt = "
               f"{TEXT_FLOOR_PT / PT_PER_PX:.3g} px) with a wider --{last.side}")
    return (f"--{last.side} {side.text}: the labels do not fit in {side.shown()} at {pt:g} pt (text.size "
            f"{theme.text.size:g} px) however small the drawing; the figure is {side.shown(own)} {adjective} at its "
            f"own proportions{alone}: {give}, or {smaller}, or fewer labels")
