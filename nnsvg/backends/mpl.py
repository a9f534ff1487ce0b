"""The Matplotlib backend: a Scene drawn into a Matplotlib ``Axes`` as real artists.

``Diagram.draw(ax)`` ends here. Every scene primitive becomes one artist, in the scene's
painting order: a ``Circle``, ``Rectangle`` (``FancyBboxPatch`` when rounded) or ``Polygon``
patch; a path of segments a ``PathPatch`` (arcs as cubic Béziers); the bulk kinds one collection
each (a ``Fan``, ``Stars`` and open ``Polylines`` a ``LineCollection`` with one segment per
line, closed ``Polylines`` a ``PolyCollection``, ``CurvedStars`` and ``Dots`` a
``PathCollection``); an image an ``AxesImage`` placed by its affine matrix; a text a ``Text``.
The Axes gets the page as its limits, equal aspect, the y axis pointing down (as in SVG) and no
axis lines.

Sizes: coordinates are the scene's drawing units, so shapes scale with the Axes. Line widths,
dash patterns and font sizes are in points in Matplotlib; they are kept proportional to the
Axes too (a width of w drawing units is w × the Axes' points per unit), re-computed every time
the figure is drawn, so the diagram looks as its SVG does scaled to the Axes' size, in a
subplot grid, after ``tight_layout`` or a resized window. A scene laid out for a physical size
(``width="3.5in"``) drawn into an Axes of that width gets its text at the true point size:
``Diagram.draw`` lays the figure out for the Axes' size (``axes_inches``) unless told not to.

The one difference from SVG: an opacity applies to each piece (fill and stroke, and each line of
a collection) rather than to the composited shape, so where a translucent shape's stroke
overlaps its own fill, or two translucent lines of one fan cross, the overlap is a little
darker (SVG's group opacity has no counterpart in Matplotlib's vector backends).

Imported only by ``Diagram.draw``; without Matplotlib the import is an ``ExportError`` that
says how to install it.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from .. import colors, fonts
from ..errors import ExportError
from ..geometry import BBox, Point, arc_center, quad_to_cubic
from ..scene import (
    ArcTo,
    Circle,
    CubicTo,
    CurvedStars,
    Dots,
    Fan,
    Image,
    LineTo,
    MoveTo,
    Path,
    Polygon,
    Polylines,
    Primitive,
    QuadTo,
    Rect,
    Scene,
    Segments,
    Stars,
    Text,
)
from ..units import PT_PER_IN

INSTALL = "pip install 'nnsvg[matplotlib]'"

try:
    import matplotlib as mpl
    import numpy as np
    from matplotlib import collections as mcollections
    from matplotlib import patches as mpatches
    from matplotlib import path as mpath
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.font_manager import FontProperties, fontManager
    from matplotlib.image import AxesImage
    from matplotlib.text import Text as MplText
    from matplotlib.transforms import Affine2D
except ImportError as exc:
    raise ExportError(f"drawing into a Matplotlib Axes needs Matplotlib ({exc}): {INSTALL}") from None

_ANCHOR: dict[str, Literal["left", "center", "right"]] = {"start": "left", "middle": "center", "end": "right"}
_CAP = {"round": "round", "square": "projecting"}  # SVG's default (None) is butt
_JOIN = {"round": "round", "bevel": "bevel"}  # SVG's default (None) is miter
RGBA = tuple[float, float, float, float]


def _rgba(color: str, alpha: float = 1.0) -> RGBA | str:
    if color == "none":
        return "none"
    r, g, b = colors.to_rgb(color)
    return (r / 255, g / 255, b / 255, alpha)


# --- path geometry as Matplotlib paths ------------------------------------------------------

def _arc_curves(current: Point, seg: ArcTo) -> list[tuple[Point, Point, Point]]:
    """An SVG arc as cubic Béziers (controls and end), one per quarter turn at most; a straight
    line (both controls on it) when a radius is zero, nothing when it ends where it starts."""
    arc = arc_center(current, (seg.x, seg.y), seg.rx, seg.ry, seg.rotation, seg.large_arc, seg.sweep)
    end = (seg.x, seg.y)
    if arc is None:
        return [] if current == end else [(current, end, end)]
    pieces = max(1, math.ceil(abs(arc.sweep) / (math.pi / 2) - 1e-9))
    step = arc.sweep / pieces
    k = 4 / 3 * math.tan(step / 4)
    cos, sin = math.cos(arc.rotation), math.sin(arc.rotation)

    def on_page(x: float, y: float) -> Point:  # a point of the unit circle's frame
        x, y = arc.rx * x, arc.ry * y
        return arc.cx + cos * x - sin * y, arc.cy + sin * x + cos * y

    curves = []
    for i in range(pieces):
        a0 = arc.start + i * step
        a1 = a0 + step
        c0, s0, c1, s1 = math.cos(a0), math.sin(a0), math.cos(a1), math.sin(a1)
        last = end if i == pieces - 1 else on_page(c1, s1)
        curves.append((on_page(c0 - k * s0, s0 + k * c0), on_page(c1 + k * s1, s1 - k * c1), last))
    return curves


def segments_path(segments: Segments) -> mpath.Path:
    """Typed segments as one Matplotlib path (move, line, cubic curve and close codes)."""
    vertices: list[Point] = []
    codes: list[Any] = []  # Matplotlib's path codes (numpy uint8)
    current = begin = (0.0, 0.0)
    for seg in segments:
        if isinstance(seg, MoveTo):
            current = begin = (seg.x, seg.y)
            vertices.append(current)
            codes.append(mpath.Path.MOVETO)
        elif isinstance(seg, LineTo):
            current = (seg.x, seg.y)
            vertices.append(current)
            codes.append(mpath.Path.LINETO)
        elif isinstance(seg, CubicTo):
            current = (seg.x, seg.y)
            vertices += [(seg.x1, seg.y1), (seg.x2, seg.y2), current]
            codes += [mpath.Path.CURVE4] * 3
        elif isinstance(seg, QuadTo):
            end = (seg.x, seg.y)
            c1, c2 = quad_to_cubic(current, (seg.x1, seg.y1), end)
            vertices += [c1, c2, end]
            codes += [mpath.Path.CURVE4] * 3
            current = end
        elif isinstance(seg, ArcTo):
            for c1, c2, end in _arc_curves(current, seg):
                vertices += [c1, c2, end]
                codes += [mpath.Path.CURVE4] * 3
            current = (seg.x, seg.y)
        else:
            vertices.append(begin)
            codes.append(mpath.Path.CLOSEPOLY)
            current = begin
    return mpath.Path(np.asarray(vertices, float).reshape(-1, 2), np.asarray(codes, np.uint8))


def fan_segments(fan: Fan) -> Any:
    """A fan's lines as an (n, 2, 2) array, start by start (the order SVG writes them in)."""
    starts = np.asarray(fan.starts, float).reshape(-1, 2)
    ends = np.asarray(fan.ends, float).reshape(-1, 2)
    lines = np.empty((len(starts), len(ends), 2, 2))
    lines[:, :, 0, :] = starts[:, None, :]
    lines[:, :, 1, :] = ends[None, :, :]
    return lines.reshape(-1, 2, 2)


def stars_segments(data: Stars) -> Any:
    """The lines of ``Stars`` as an (n, 2, 2) array, star by star."""
    ends = np.asarray(data.ends, float).reshape(-1, 2)
    count = sum(len(indices) for _, indices in data.stars)
    lines = np.empty((count, 2, 2))
    at = 0
    for start, indices in data.stars:
        lines[at:at + len(indices), 0, :] = start
        lines[at:at + len(indices), 1, :] = ends[list(indices)]
        at += len(indices)
    return lines


def _curve_paths(data: CurvedStars) -> list[mpath.Path]:
    codes = np.asarray([mpath.Path.MOVETO] + [mpath.Path.CURVE4] * 3, np.uint8)
    ends = data.ends
    return [mpath.Path(np.asarray([start, control, *ends[k]], float), codes)
            for (start, control), indices in data.stars for k in indices]


def _dot_paths(dots: Dots) -> list[mpath.Path]:
    return [mpath.Path.circle(center, dots.r) for center in dots.centers]


# --- keeping widths and font sizes in proportion to the Axes --------------------------------

@dataclass
class _Sized:
    """What the sizer re-sizes: line widths (with their dash patterns) and font sizes, each in
    drawing units."""

    lines: list[tuple[Any, float, tuple[float, ...] | None]] = field(default_factory=list)
    texts: list[tuple[MplText, float]] = field(default_factory=list)


def points_per_unit(ax: Axes, page: BBox) -> float:
    """Points of the figure per drawing unit: the Axes' width in pixels over the page's width in
    drawing units, in points (72 per inch) at the figure's dpi."""
    x0 = ax.transData.transform((page.x0, page.y0))[0]
    x1 = ax.transData.transform((page.x1, page.y0))[0]
    figure = ax.figure
    assert figure is not None
    dpi = float(figure.dpi)
    return float(abs(x1 - x0)) / page.width * PT_PER_IN / dpi


class DiagramSizer(Artist):
    """An invisible artist drawn just before the diagram's: it sets their line widths, dash
    patterns and font sizes from the Axes' current points per drawing unit (only when that
    changed, so it never makes an interactive figure draw itself again)."""

    def __init__(self, ax: Axes, page: BBox, sized: _Sized, zorder: float) -> None:
        super().__init__()
        self._ax, self._page, self._sized = ax, page, sized
        self._scale: float | None = None
        self.set_zorder(zorder)
        self.set_in_layout(False)

    def resize(self) -> float:
        """Re-size the diagram's lines and texts for the Axes as it is now; the scale used."""
        scale = points_per_unit(self._ax, self._page) if self._page.width > 0 else 1.0
        if scale == self._scale:
            return scale
        self._scale = scale
        relative = bool(mpl.rcParams["lines.scale_dashes"])  # dashes in units of the line width
        for artist, width, dash in self._sized.lines:
            artist.set_linewidth(width * scale)
            if dash and width > 0:
                artist.set_linestyle((0, [d / width if relative else d * scale for d in dash]))
        for text, size in self._sized.texts:
            text.set_fontsize(size * scale)
        return scale

    def draw(self, renderer: RendererBase) -> None:
        self.resize()
        self.stale = False


# --- primitives as artists ------------------------------------------------------------------

def _family(font: fonts.Font) -> str:
    """The family name Matplotlib finds ``font`` by: its file, registered once, when known."""
    return font.family if font.path is None else _registered(font.path, font.family)


@cache
def _registered(path: str, family: str) -> str:
    """The family name Matplotlib knows a font file by, once the file is added to its fonts
    (``family`` when FreeType cannot open the file)."""
    try:
        fontManager.addfont(path)
    except Exception:  # a file FreeType cannot open: the family by name
        return family
    return str(fontManager.ttflist[-1].name)


def font_properties(item: Text) -> FontProperties:
    """The fonts of a text: its label font, then the fonts nnsvg chose for the characters the
    label font lacks (Matplotlib falls back along the list per glyph, as nnsvg measured)."""
    families: list[str] = []
    for font, _ in fonts.resolve(item.family).runs(item.text):
        name = _family(font)
        if name not in families:
            families.append(name)
    return FontProperties(family=families or ["sans-serif"])


def _stroke(kw: dict[str, Any], item: Path | Rect | Polygon | Circle, alpha: float) -> bool:
    """Stroke keywords; whether there is a stroke."""
    stroked = item.stroke != "none" and item.stroke_width > 0
    kw["edgecolor"] = _rgba(item.stroke, alpha) if stroked else "none"
    kw["linewidth"] = 0.0
    return stroked


class _Builder:
    def __init__(self, ax: Axes, zorder: float) -> None:
        self.ax = ax
        self.zorder = zorder
        self.sized = _Sized()

    def line(self, artist: Any, width: float, dash: tuple[float, ...] | None = None) -> None:
        self.sized.lines.append((artist, width, dash))

    def patch(self, patch: mpatches.Patch, item: Path | Rect | Polygon | Circle, stroked: bool,
              dash: tuple[float, ...] | None = None) -> Artist:
        patch.set_zorder(self.zorder)
        self.ax.add_artist(patch)  # not add_patch: the limits are the page, no data limits to update
        if stroked:
            self.line(patch, item.stroke_width, dash)
        return patch

    def collection(self, coll: mcollections.Collection, item: Path) -> Artist:
        coll.set_zorder(self.zorder)
        self.ax.add_collection(coll, autolim=False)
        if item.stroke != "none" and item.stroke_width > 0:
            self.line(coll, item.stroke_width, item.dash)
        return coll

    def path(self, item: Path) -> Artist:
        kw: dict[str, Any] = {}
        stroked = _stroke(kw, item, item.opacity)
        kw["facecolor"] = _rgba(item.fill, item.opacity)
        kw["capstyle"] = _CAP.get(item.linecap or "", "butt")
        kw["joinstyle"] = _JOIN.get(item.linejoin or "", "miter")
        data = item.data
        if isinstance(data, tuple):
            return self.patch(mpatches.PathPatch(segments_path(data), **kw), item, stroked, item.dash)
        coll: mcollections.Collection
        if isinstance(data, Fan):
            coll = mcollections.LineCollection(fan_segments(data), **_line_kw(kw))
        elif isinstance(data, Stars):
            coll = mcollections.LineCollection(stars_segments(data), **_line_kw(kw))
        elif isinstance(data, Polylines) and not data.closed:
            lines: Any = [np.asarray(points, float).reshape(-1, 2) for points in data.lines]
            coll = mcollections.LineCollection(lines, **_line_kw(kw))
        elif isinstance(data, Polylines):
            polygons = [np.asarray(points, float).reshape(-1, 2) for points in data.lines]
            coll = mcollections.PolyCollection(polygons, closed=True, **_plural(kw))
        elif isinstance(data, CurvedStars):
            coll = mcollections.PathCollection(_curve_paths(data), **_plural(kw))
        else:
            coll = mcollections.PathCollection(_dot_paths(data), **_plural(kw))
        coll.set_transform(self.ax.transData)
        return self.collection(coll, item)

    def circle(self, item: Circle) -> Artist:
        kw: dict[str, Any] = {"facecolor": _rgba(item.fill)}
        stroked = _stroke(kw, item, 1.0)
        return self.patch(mpatches.Circle((item.cx, item.cy), item.r, **kw), item, stroked)

    def rect(self, item: Rect) -> Artist:
        kw: dict[str, Any] = {"facecolor": _rgba(item.fill, item.opacity), "joinstyle": "miter"}
        stroked = _stroke(kw, item, item.opacity)
        patch: mpatches.Patch
        if item.radius:
            r = min(item.radius, item.width / 2, item.height / 2)
            patch = mpatches.FancyBboxPatch((item.x, item.y), item.width, item.height,
                                            boxstyle=f"round,pad=0,rounding_size={r!r}", **kw)
        else:
            patch = mpatches.Rectangle((item.x, item.y), item.width, item.height, **kw)
        return self.patch(patch, item, stroked)

    def polygon(self, item: Polygon) -> Artist:
        kw: dict[str, Any] = {"facecolor": _rgba(item.fill, item.fill_opacity * item.opacity),
                              "joinstyle": "round"}
        stroked = _stroke(kw, item, item.opacity)
        return self.patch(mpatches.Polygon(item.points, closed=True, **kw), item, stroked)

    def image(self, item: Image) -> Artist:
        from PIL import Image as PILImage

        _, _, payload = item.href.partition(",")
        with PILImage.open(io.BytesIO(base64.b64decode(payload))) as picture:
            pixels = np.asarray(picture.convert("RGBA"))
        image = AxesImage(self.ax, interpolation="bilinear", origin="upper")
        image.set_data(pixels)
        image.set_extent((0.0, item.width, item.height, 0.0))  # the image's own frame, y down
        image.set_transform(Affine2D.from_values(*item.matrix) + self.ax.transData)
        image.set_alpha(item.opacity)
        image.set_zorder(self.zorder)
        image.set_clip_path(self.ax.patch)
        self.ax.add_image(image)
        return image

    def text(self, item: Text) -> Artist:
        text = MplText(item.x, item.y, item.text, color=_rgba(item.fill), fontproperties=font_properties(item),
                       horizontalalignment=_ANCHOR[item.anchor], verticalalignment="baseline",
                       usetex=False, parse_math=False, zorder=self.zorder)
        text.set_transform(self.ax.transData)
        self.ax.add_artist(text)
        self.sized.texts.append((text, item.size))
        return text

    def primitive(self, item: Primitive) -> Artist:
        if isinstance(item, Path):
            return self.path(item)
        if isinstance(item, Circle):
            return self.circle(item)
        if isinstance(item, Rect):
            return self.rect(item)
        if isinstance(item, Polygon):
            return self.polygon(item)
        if isinstance(item, Image):
            return self.image(item)
        if isinstance(item, Text):
            return self.text(item)
        raise TypeError(f"cannot draw {type(item).__name__}")


def _plural(kw: dict[str, Any]) -> dict[str, Any]:
    """Patch keywords as a collection's (one value for every member)."""
    return {"facecolors": kw["facecolor"], "edgecolors": kw["edgecolor"], "linewidths": kw["linewidth"],
            "capstyle": kw["capstyle"], "joinstyle": kw["joinstyle"]}


def _line_kw(kw: dict[str, Any]) -> dict[str, Any]:
    """A line collection's keywords: its stroke colour (lines have no fill)."""
    return {"colors": kw["edgecolor"], "linewidths": kw["linewidth"], "capstyle": kw["capstyle"],
            "joinstyle": kw["joinstyle"]}


def axes_inches(ax: Axes) -> tuple[float, float]:
    """The Axes' box in inches (width, height) as the figure will print it: its axis lines and
    ticks turned off first (the diagram has none) and the figure's layout engine run
    (``layout="constrained"``, ``"tight"``), then the box the layout gives it, before the equal
    aspect narrows it to the diagram's proportions."""
    if not isinstance(ax, Axes):
        raise ExportError(f"draw() needs a Matplotlib Axes (as plt.subplots() gives), got {type(ax).__name__}")
    ax.set_axis_off()
    figure = ax.get_figure(root=True)
    assert figure is not None
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)
    parent = ax.get_figure(root=False)
    assert parent is not None
    box = ax.get_position(original=True).transformed(parent.transSubfigure)
    dpi = float(figure.dpi)
    return float(box.width) / dpi, float(box.height) / dpi


def draw(scene: Scene, ax: Axes, *, background: bool = True, zorder: float = 1.0) -> list[Artist]:
    """Draw the scene into ``ax``; the artists added, in painting order: the page's background
    (a ``Rectangle``, when the scene has one and ``background``), then one per primitive of
    ``scene.walk()``. The Axes' limits become the page (y pointing down), its aspect equal, its
    axis lines and ticks off."""
    if not isinstance(ax, Axes):
        raise ExportError(f"draw() needs a Matplotlib Axes (as plt.subplots() gives), got {type(ax).__name__}")
    page = scene.page()
    builder = _Builder(ax, zorder)
    artists: list[Artist] = []
    if background and scene.background != "none":
        rect = mpatches.Rectangle((page.x0, page.y0), page.width, page.height, facecolor=_rgba(scene.background),
                                  edgecolor="none", linewidth=0.0, zorder=zorder)
        ax.add_artist(rect)
        artists.append(rect)
    artists += [builder.primitive(item) for item in scene.walk()]
    ax.set_xlim(page.x0, page.x1)
    ax.set_ylim(page.y1, page.y0)  # y down, as on the page
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    # drawn just before the diagram's artists (the Axes draws by zorder, ties in order added)
    sizer = DiagramSizer(ax, page, builder.sized, math.nextafter(zorder, -math.inf))
    ax.add_artist(sizer)
    ax.apply_aspect()
    sizer.resize()
    return artists
