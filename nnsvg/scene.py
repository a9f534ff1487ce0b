"""The scene: what a renderer draws, as primitives with fully resolved visual attributes.

Renderers build a ``Scene``; a backend writes it. Coordinates are drawing units (CSS px, y
down). Path geometry is typed: segments (move, line, cubic, quadratic, arc, close) or bulk
kinds for many pieces of one style; numbers become text only in a backend.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .geometry import BBox, Point, union_all


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str
    stroke_width: float
    cls: str | None = None

    def bbox(self) -> BBox:
        reach = self.r + (self.stroke_width / 2 if self.stroke != "none" else 0.0)
        return BBox(self.cx - reach, self.cy - reach, self.cx + reach, self.cy + reach)


# --- path geometry ------------------------------------------------------------------------
# A path is typed data, never text: numbers become text (or cairo calls, or TikZ) only in a
# backend. ``Segments`` is any path; the bulk kinds keep many pieces of one style as shared
# points and indices, so a figure of 500,000 edges is not 500,000 objects of segments.

class MoveTo(NamedTuple):
    """Start a new subpath at (x, y)."""

    x: float
    y: float


class LineTo(NamedTuple):
    x: float
    y: float


class CubicTo(NamedTuple):
    """A cubic Bézier curve from the current point through controls (x1, y1), (x2, y2)."""

    x1: float
    y1: float
    x2: float
    y2: float
    x: float
    y: float


class QuadTo(NamedTuple):
    """A quadratic Bézier curve from the current point with control (x1, y1)."""

    x1: float
    y1: float
    x: float
    y: float


class ArcTo(NamedTuple):
    """An elliptical arc from the current point to (x, y), as SVG's ``A`` command: radii,
    the ellipse's x-axis rotation in degrees, and the two flags that pick one of four arcs."""

    rx: float
    ry: float
    rotation: float
    large_arc: bool
    sweep: bool
    x: float
    y: float


class Close(NamedTuple):
    """Close the subpath with a straight line back to its start."""


Segment = MoveTo | LineTo | CubicTo | QuadTo | ArcTo | Close
Segments = tuple[Segment, ...]  # a path: every subpath starts with a MoveTo
Polyline = tuple[Point, ...]  # the points of one open or closed polyline
Star = tuple[Point, tuple[int, ...]]  # a start point and the indices of the ends of its lines
CurveStar = tuple[tuple[Point, Point], tuple[int, ...]]  # (start, control point), end indices


def polyline(points: Sequence[Point], closed: bool = False) -> Segments:
    """The segments of one polyline through ``points`` (closed back to its start if asked)."""
    first, *rest = points
    segments: list[Segment] = [MoveTo(*first), *(LineTo(*p) for p in rest)]
    if closed:
        segments.append(Close())
    return tuple(segments)


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Fan:
    """Straight lines from every start to every end (a fully-connected layer pair's edges),
    kept as points: SVG export formats each point once and joins; cairo draws it directly."""

    starts: tuple[Point, ...]
    ends: tuple[Point, ...]


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Stars:
    """Straight lines from each start to some of the ``ends``: a sparse ``Fan`` (the edges of
    one weight level of a layer pair). A star is a start and the indices in ``ends`` of the
    points it has lines to, so there is no object per line and each end is formatted once."""

    ends: tuple[Point, ...]
    stars: tuple[Star, ...]


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Dots:
    """Filled circles of radius ``r`` (an ellipsis)."""

    centers: tuple[Point, ...]
    r: float


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Polylines:
    """Many independent polylines of at least one point each (edges with one style,
    arrowheads, glyph curves), all open or all ``closed``. A point shared by many lines (a
    node's centre) is best one tuple object: it is stored once, and a backend formats it once."""

    lines: tuple[Polyline, ...]
    closed: bool = False


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class CurvedStars:
    """``Stars`` whose lines are cubic Bézier curves (Bézier edges): an end comes with the
    control point its curves arrive from, a star's start with the one its curves leave to."""

    ends: tuple[tuple[Point, Point], ...]  # (control point, end)
    stars: tuple[CurveStar, ...]


PathData = Segments | Fan | Stars | CurvedStars | Dots | Polylines


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Path:
    """Path data with its style: ``Segments``, or a bulk kind (``Fan``, ``Stars``,
    ``CurvedStars``, ``Dots``, ``Polylines``). ``extent`` is the box of the path's own geometry
    (the renderer knows it without parsing the data); half the stroke width is added for the
    drawn box."""

    data: PathData
    extent: BBox
    stroke: str = "none"
    stroke_width: float = 0.0
    fill: str = "none"
    opacity: float = 1.0
    cls: str | None = None
    id: str | None = None
    linecap: str | None = None
    linejoin: str | None = None
    dash: tuple[float, ...] | None = None  # dash and gap lengths in px, e.g. (4, 3); None: solid

    def bbox(self) -> BBox:
        return self.extent.grow(self.stroke_width / 2) if self.stroke != "none" else self.extent


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str = "none"
    stroke_width: float = 0.0
    opacity: float = 1.0
    cls: str | None = None
    radius: float = 0.0

    def bbox(self) -> BBox:
        half = self.stroke_width / 2 if self.stroke != "none" else 0.0
        return BBox(self.x - half, self.y - half,
                    self.x + self.width + half, self.y + self.height + half)


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Polygon:
    """A closed polygon; drawn with round joins so its box is its points plus half the stroke."""

    points: tuple[tuple[float, float], ...]
    fill: str
    stroke: str = "none"
    stroke_width: float = 0.0
    opacity: float = 1.0
    cls: str | None = None
    fill_opacity: float = 1.0  # the fill alone (see-through faces with solid outlines)

    def bbox(self) -> BBox:
        half = self.stroke_width / 2 if self.stroke != "none" else 0.0
        return BBox.around(self.points, half)


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Image:
    """An embedded raster image of width × height, placed by an affine ``matrix``
    (SVG's a b c d e f), so it can lie on a projected face."""

    href: str
    width: float
    height: float
    matrix: tuple[float, ...]
    opacity: float
    box: BBox
    cls: str | None = None

    def bbox(self) -> BBox:
        return self.box


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Text:
    """One line of text with its baseline at ``y``; ``box`` is its measured extent.

    ``host`` is the one shape the text is meant to sit on (a node's "+1" in its circle, a
    cell's name in its box, a label on its plate); it may overlap that shape and whatever the
    host hides. Any other shape under the text is a defect the quality check reports."""

    x: float
    y: float
    text: str
    size: float
    family: str
    fill: str
    anchor: str
    box: BBox
    cls: str | None = None
    host: Primitive | None = None

    def bbox(self) -> BBox:
        return self.box


Primitive = Circle | Image | Path | Polygon | Rect | Text


@dataclass(slots=True)
class Group:
    """A named group (``<g>``): a layer, the edges of a layer pair, …"""

    id: str | None = None
    cls: str | None = None
    children: list[Primitive | Group] = field(default_factory=list)

    def add(self, item: Primitive | Group) -> Primitive | Group:
        self.children.append(item)
        return item

    def bbox(self) -> BBox | None:
        return union_all([b for b in (c.bbox() for c in self.children) if b is not None])

    def walk(self) -> Iterator[Primitive]:
        for child in self.children:
            if isinstance(child, Group):
                yield from child.walk()
            else:
                yield child


@dataclass(frozen=True, slots=True)
class Printed:
    """A scene laid out for a physical size (``nnsvg.physical``): its page in drawing units, how
    many CSS px of the printed page (1/96 in) one drawing unit is, the unit the SVG's width and
    height are written in (in, cm, mm, pt, px), and the page's printed size in CSS px (exactly
    what the SVG says in its unit)."""

    frame: BBox
    scale: float
    unit: str
    width: float
    height: float


# --- what the legend may list (recorded by the renderers, laid out by ``layout.legend``) --------

@dataclass(frozen=True)
class Swatch:
    """How an entry's sample is drawn (the shapes: ``layout.legend``)."""

    shape: str
    fill: str = "none"
    stroke: str = "none"
    stroke_width: float = 0.0
    opacity: float = 1.0
    fill_opacity: float = 1.0
    alt: str | None = None  # stack: the front map's fill
    shade: float = 0.0  # cube, bar: the side face darker, the top lighter by this
    radius: float = 0.0  # box: corner radius
    dash: tuple[float, ...] | None = None  # line
    head: str = "none"  # line: none or solid
    mark: str | None = None  # disc: "+1", "cross", "glyph:relu"; line: a symbol at its end
    mark_color: str = "#000000"
    ramp: tuple[str, str, str] | None = None  # ramp: colours at -1, 0, +1
    ends: tuple[str, str] = ("−1", "+1")  # ramp: the texts at its ends


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    swatch: Swatch


@dataclass(slots=True)
class Scene:
    """A finished drawing: top-level groups painted in order, the page background and margin."""

    style: str
    background: str
    margin: float
    groups: list[Group] = field(default_factory=list)
    title: str = ""
    notes: list[str] = field(default_factory=list)  # things the user should know (not errors)
    # notes on the drawing's own px size against a page ("the figure is … too big"): they no
    # longer hold once the figure is laid out for a printed size, which says its own
    page_notes: list[str] = field(default_factory=list)
    flow: str = "x"  # the page axis the network reads along ("x" or "y"): the quality check's
    # size budget (no layer longer than ~40 % of the figure) is measured along it
    printed: Printed | None = None  # set when laid out for a physical size (--width / --height)
    # what the legend may list: the kinds the renderer drew, in the order it drew them
    # (``nnsvg.layout.legend.add``); drawn as a legend only when the spec asks for one
    legend: list[Entry] = field(default_factory=list)

    def bbox(self) -> BBox:
        box = union_all([b for b in (g.bbox() for g in self.groups) if b is not None])
        return box if box is not None else BBox(0.0, 0.0, 0.0, 0.0)

    def page(self) -> BBox:
        """The page: the drawing's box plus the margin, widened outwards to whole units so the
        page size is an integer number of px (exact PNG sizes, exact PDF points). A scene laid
        out for a physical size has its page fixed by that size instead (``printed.frame``)."""
        if self.printed is not None:
            return self.printed.frame
        box = self.bbox().grow(self.margin)
        return BBox(math.floor(box.x0), math.floor(box.y0), math.ceil(box.x1), math.ceil(box.y1))

    def unit_scale(self) -> float:
        """CSS px of the output (1/96 in; 0.75 pt) per drawing unit: 1 unless laid out for a
        physical size."""
        return self.printed.scale if self.printed is not None else 1.0

    def size(self) -> tuple[float, float]:
        """The page's size in CSS px of the output (1 px = 1/96 in = 0.75 pt): the PDF page is
        this × 0.75 pt, a PNG at scale 1 this many pixels."""
        if self.printed is not None:
            return self.printed.width, self.printed.height
        page = self.page()
        return page.width, page.height

    def walk(self) -> Iterator[Primitive]:
        for group in self.groups:
            yield from group.walk()
