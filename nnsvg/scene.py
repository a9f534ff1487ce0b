"""The scene: what a renderer draws, as primitives with fully resolved visual attributes.

Renderers build a ``Scene``; ``export`` writes it. Coordinates are drawing units (CSS px, y
down). Path geometry is kept as path data (the SVG path mini-language, which is also what
cairo's path API draws), built with ``fmt`` so every number is formatted one way.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from .geometry import BBox, union_all


def fmt(value: float) -> str:
    """A coordinate as text: two decimals, trailing zeros stripped, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


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


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Fan:
    """Straight lines from every start to every end (a fully-connected layer pair's edges),
    kept as points: SVG export formats each point once and joins; cairo draws it directly."""

    starts: tuple[tuple[float, float], ...]
    ends: tuple[tuple[float, float], ...]

    def svg_parts(self) -> Iterator[str]:
        """The path data in pieces, one per start point (no per-edge objects)."""
        ends = [f"{fmt(x)},{fmt(y)}" for x, y in self.ends]
        for x, y in self.starts:
            prefix = f"M{fmt(x)},{fmt(y)}L"
            yield prefix + prefix.join(ends)


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Dots:
    """Filled circles of radius ``r`` (an ellipsis), as path data of two arcs each."""

    centers: tuple[tuple[float, float], ...]
    r: float

    def svg_parts(self) -> Iterator[str]:
        r = fmt(self.r)
        for x, y in self.centers:
            yield (f"M{fmt(x - self.r)},{fmt(y)}a{r},{r} 0 1,0 {fmt(2 * self.r)},0"
                   f"a{r},{r} 0 1,0 {fmt(-2 * self.r)},0Z")


PathData = str | Fan | Dots


def path_parts(data: PathData) -> Iterator[str]:
    """SVG path data of any kind, in pieces."""
    if isinstance(data, str):
        yield data
    else:
        yield from data.svg_parts()


@dataclass(slots=True)  # not frozen: a frozen dataclass costs twice the start-up time
class Path:
    """Path data with its style: SVG path text (M, L, C, Z), a ``Fan`` of lines or ``Dots``.
    ``extent`` is the box of the path's own geometry (the renderer knows it without parsing
    the data); half the stroke width is added for the drawn box."""

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
    dash: str | None = None  # an SVG stroke-dasharray, e.g. "4 3"

    def bbox(self) -> BBox:
        return self.extent.grow(self.stroke_width / 2) if self.stroke != "none" else self.extent

    @property
    def d(self) -> str:
        """The whole path data as SVG text."""
        return self.data if isinstance(self.data, str) else "".join(self.data.svg_parts())


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
    """One line of text with its baseline at ``y``; ``box`` is its measured extent."""

    x: float
    y: float
    text: str
    size: float
    family: str
    fill: str
    anchor: str
    box: BBox
    cls: str | None = None

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


@dataclass(slots=True)
class Scene:
    """A finished drawing: top-level groups painted in order, the page background and margin."""

    style: str
    background: str
    margin: float
    groups: list[Group] = field(default_factory=list)
    title: str = ""
    notes: list[str] = field(default_factory=list)  # things the user should know (not errors)

    def bbox(self) -> BBox:
        box = union_all([b for b in (g.bbox() for g in self.groups) if b is not None])
        return box if box is not None else BBox(0.0, 0.0, 0.0, 0.0)

    def page(self) -> BBox:
        """The page: the drawing's box plus the margin, widened outwards to whole units so the
        page size is an integer number of px (exact PNG sizes, exact PDF points)."""
        box = self.bbox().grow(self.margin)
        return BBox(math.floor(box.x0), math.floor(box.y0), math.ceil(box.x1), math.ceil(box.y1))

    def walk(self) -> Iterator[Primitive]:
        for group in self.groups:
            yield from group.walk()
