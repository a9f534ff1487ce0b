"""The SVG backend: a Scene written as an SVG document with svgwrite.

The viewBox is the scene's page (drawing + margin, widened to whole px) and width/height carry
``px`` units, so a PDF page is exactly the drawing (1 px = 0.75 pt) and a PNG is width × scale
pixels. Numbers become text here and only here (``number``: each document its own decimals).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from .. import fonts
from ..geometry import Point
from ..scene import (
    ArcTo,
    Circle,
    Close,
    CubicTo,
    CurvedStars,
    Dots,
    Fan,
    Group,
    Image,
    LineTo,
    MoveTo,
    PathData,
    Polygon,
    Polyline,
    Polylines,
    QuadTo,
    Rect,
    Scene,
    Segments,
    Stars,
    Text,
)
from ..scene import Path as PathPrim

if TYPE_CHECKING:
    from ..formats import Request, Written

DECIMALS = 2  # a drawing unit is a px of the page at its own size: 1/100 px is plenty
Number = Callable[[float], str]  # a number as text, at one document's decimals


def decimals_for(scene: Scene) -> int:
    """Decimals that keep 1/100 px of the printed page: two, and more where the scene was laid
    out for a physical size that draws a unit larger than a px (a small figure at a page's width:
    at 20 px per unit two decimals would round a 0.35 px stroke to 0.4 and move points 0.1 px)."""
    scale = scene.unit_scale()
    return DECIMALS + min(6, max(0, math.ceil(math.log10(scale) - 1e-9))) if scale > 1 else DECIMALS


def number(decimals: int = DECIMALS) -> Number:
    """Numbers as text at ``decimals`` (a document's: ``decimals_for``), trailing zeros stripped,
    never ``-0``. Each document's writer holds its own, so documents written interleaved (two
    streams at once) keep their own decimals."""

    def text(value: float) -> str:
        out = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
        return "0" if out == "-0" else out

    return text


fmt = number()  # at two decimals: a drawing at its own size


# --- path data ----------------------------------------------------------------------------
# Each kind of path data as SVG path text. Segments are written one command each, with no
# separator between commands (M1,2L3,4C5,6 7,8 9,10Z); the bulk kinds come in pieces, each
# point formatted once however many lines share it.

def _arc(seg: ArcTo, n: Number) -> str:
    return f"A{n(seg.rx)},{n(seg.ry)} {n(seg.rotation)} {int(seg.large_arc)},{int(seg.sweep)} {n(seg.x)},{n(seg.y)}"


_SEGMENT_TEXT: dict[type, Callable[[Any, Number], str]] = {
    MoveTo: lambda s, n: f"M{n(s.x)},{n(s.y)}",
    LineTo: lambda s, n: f"L{n(s.x)},{n(s.y)}",
    CubicTo: lambda s, n: f"C{n(s.x1)},{n(s.y1)} {n(s.x2)},{n(s.y2)} {n(s.x)},{n(s.y)}",
    QuadTo: lambda s, n: f"Q{n(s.x1)},{n(s.y1)} {n(s.x)},{n(s.y)}",
    ArcTo: _arc,
    Close: lambda s, n: "Z",
}


def segments_text(segments: Segments, n: Number = fmt) -> str:
    """Segments as SVG path text, one command each."""
    return "".join([_SEGMENT_TEXT[type(s)](s, n) for s in segments])


def _dots_parts(dots: Dots, fmt: Number) -> Iterator[str]:
    """Each dot as two relative half-circle arcs."""
    r = fmt(dots.r)
    for x, y in dots.centers:
        yield (f"M{fmt(x - dots.r)},{fmt(y)}a{r},{r} 0 1,0 {fmt(2 * dots.r)},0"
               f"a{r},{r} 0 1,0 {fmt(-2 * dots.r)},0Z")


def _fan_parts(fan: Fan, fmt: Number) -> Iterator[str]:
    """One piece per start point: its move, then a line to every end."""
    ends = [f"{fmt(x)},{fmt(y)}" for x, y in fan.ends]
    if not ends:
        return
    for x, y in fan.starts:
        prefix = f"M{fmt(x)},{fmt(y)}L"
        yield prefix + prefix.join(ends)


class _SharedTexts(dict[Point, str]):
    """Points as text after a command letter ("L1,2"), each formatted the first time it is
    asked for: a node's point shared by a thousand edges is formatted once."""

    __slots__ = ("fmt", "prefix")

    def __init__(self, prefix: str, fmt: Number) -> None:
        super().__init__()
        self.prefix, self.fmt = prefix, fmt

    def __missing__(self, point: Point) -> str:
        fmt = self.fmt
        text = self[point] = f"{self.prefix}{fmt(point[0])},{fmt(point[1])}"
        return text

    def trim(self) -> None:
        """Forget every text once there are many, so memory stays bounded; a shared point is
        then formatted again, once."""
        if len(self) > CACHE_LIMIT:
            self.clear()


class _FreshTexts:
    """Points as text after a command letter, formatted every time: for points that are
    seldom shared (arrowhead corners), where keeping their texts costs more than it saves."""

    __slots__ = ("fmt", "prefix")

    def __init__(self, prefix: str, fmt: Number) -> None:
        self.prefix, self.fmt = prefix, fmt

    def __getitem__(self, point: Point) -> str:
        fmt = self.fmt
        return f"{self.prefix}{fmt(point[0])},{fmt(point[1])}"

    def trim(self) -> None:
        pass


Texts = _SharedTexts | _FreshTexts
CHUNK = 2048  # lines or curves of bulk path data joined into one piece
CACHE_LIMIT = 1 << 16  # point texts kept per command letter


def _polylines_text(lines: Sequence[Polyline], move: Texts, line: Texts, end: str) -> str:
    """Polylines as one piece of text. Open lines of two points (edges) and lines of three
    (arrowheads) are the big cases and take a short way: unpacking fails on a line of another
    length (ValueError), and then the whole chunk takes the general way."""
    try:
        if not end:
            return "".join([move[a] + line[b] for a, b in lines])
        return "".join([f"{move[a]}{line[b]}{line[c]}{end}" for a, b, c in lines])
    except ValueError:
        return "".join([move[points[0]] + "".join([line[p] for p in points[1:]]) + end for points in lines])


def _star_parts(stars: Iterable[tuple[str, tuple[int, ...]]], end: Callable[[int], str]) -> Iterator[str]:
    """Stars as text, their start's text (``prefix``) before each of their ends' texts, in
    pieces of about CHUNK lines."""
    pieces: list[str] = []
    lines = 0
    for prefix, indices in stars:
        if indices:
            pieces.append(prefix + prefix.join(map(end, indices)))
            lines += len(indices)
            if lines >= CHUNK:
                yield "".join(pieces)
                pieces, lines = [], 0
    if pieces:
        yield "".join(pieces)


class PathWriter:
    """Path data of any kind as SVG path text, in pieces. Segments are written one command
    each with no separator (M1,2L3,4C5,6 7,8 9,10Z); a ``Fan`` formats each point once and
    joins; ``Stars``, ``CurvedStars`` and ``Polylines`` look point texts up in caches kept
    across every path this writer writes (the nodes' points recur in each weight level's path).
    ``decimals``: its document's (``decimals_for``); ``fmt`` writes every other number of it."""

    def __init__(self, decimals: int = DECIMALS) -> None:
        self.fmt = number(decimals)
        self._shared = {prefix: _SharedTexts(prefix, self.fmt) for prefix in ("M", "L", "C", " ", "")}
        self._fresh = {prefix: _FreshTexts(prefix, self.fmt) for prefix in ("M", "L", "C", " ", "")}
        self._ends: tuple[tuple[Point, ...], list[str]] = ((), [])  # the last Stars' ends and their texts
        self._curve_ends: tuple[tuple[tuple[Point, Point], ...], list[str]] = ((), [])

    def parts(self, data: PathData) -> Iterator[str]:
        if isinstance(data, tuple):
            yield segments_text(data, self.fmt)
        elif isinstance(data, Fan):
            yield from _fan_parts(data, self.fmt)
        elif isinstance(data, Stars):
            yield from self._stars_parts(data)
        elif isinstance(data, CurvedStars):
            yield from self._curved_stars_parts(data)
        elif isinstance(data, Dots):
            yield from _dots_parts(data, self.fmt)
        else:
            yield from self._polylines_parts(data)

    def _texts(self, prefixes: Sequence[str], pieces: Sequence[Sequence[Point]]) -> list[Texts]:
        """The point texts of each command letter in ``prefixes`` (the k-th is for the k-th
        point of a piece, the last for all the rest): cached when those points are shared in
        the first chunk of ``pieces`` (edges between nodes share the nodes' point objects),
        fresh when they are not (an arrow's end, its head's corners)."""
        sample = pieces[:CHUNK]
        last = len(prefixes) - 1
        texts: list[Texts] = []
        for k, prefix in enumerate(prefixes):
            points = [p for piece in sample for p in (piece[k:] if k == last else piece[k:k + 1])]
            shared = len(set(map(id, points))) * 2 < len(points)
            texts.append(self._shared[prefix] if shared else self._fresh[prefix])
        return texts

    def _stars_parts(self, data: Stars) -> Iterator[str]:
        """Each star as a ``Fan`` writes a start: its move, then a line to each of its ends."""
        move, end = self._shared["M"], self._shared[""]
        if data.ends is not self._ends[0]:  # a layer pair's levels share one tuple of ends
            self._ends = (data.ends, [end[p] for p in data.ends])
        yield from _star_parts(((move[start] + "L", indices) for start, indices in data.stars),
                               self._ends[1].__getitem__)

    def _polylines_parts(self, data: Polylines) -> Iterator[str]:
        move, line = self._texts(("M", "L"), data.lines)
        end = "Z" if data.closed else ""
        for first in range(0, len(data.lines), CHUNK):
            yield _polylines_text(data.lines[first:first + CHUNK], move, line, end)
            move.trim()
            line.trim()

    def _curved_stars_parts(self, data: CurvedStars) -> Iterator[str]:
        """As ``Stars``: each start with its first control ("M1,2C3,4") once, then a curve to
        each of its ends, written with its control once (" 5,6 7,8")."""
        move, control, rest = self._shared["M"], self._shared["C"], self._shared[" "]
        if data.ends is not self._curve_ends[0]:  # a layer pair's levels share one tuple of ends
            self._curve_ends = (data.ends, [rest[c] + rest[p] for c, p in data.ends])
        yield from _star_parts(((move[start] + control[c], indices) for (start, c), indices in data.stars),
                               self._curve_ends[1].__getitem__)


def _points(data: PathData) -> int:
    """How many points (or segments) path data holds, without writing it."""
    if isinstance(data, tuple):
        return len(data)
    if isinstance(data, Fan):
        return len(data.starts) * (len(data.ends) + 1)
    if isinstance(data, Stars | CurvedStars):
        return sum(len(indices) + 1 for _, indices in data.stars)
    if isinstance(data, Dots):
        return 3 * len(data.centers)
    return sum(map(len, data.lines))


def path_text(data: PathData) -> str:
    """Path data of any kind as SVG path text, whole."""
    return "".join(PathWriter().parts(data))


def _style(kw: dict[str, Any], prim: Any, fmt: Number) -> dict[str, Any]:
    kw["fill"] = prim.fill
    if prim.stroke != "none":
        kw["stroke"] = prim.stroke
        kw["stroke_width"] = fmt(prim.stroke_width)
    if getattr(prim, "opacity", 1.0) != 1.0:
        kw["opacity"] = fmt(prim.opacity) if prim.opacity >= 0.01 else f"{prim.opacity:.4f}"
    if getattr(prim, "cls", None):
        kw["class_"] = prim.cls
    return kw


def _element(dwg: Any, item: Any, writer: PathWriter, spliced: list[str | PathData]) -> Any:
    fmt = writer.fmt
    if isinstance(item, Group):
        kw = {}
        if item.id:
            kw["id"] = item.id
        if item.cls:
            kw["class_"] = item.cls
        group = dwg.g(**kw)
        for child in item.children:
            group.add(_element(dwg, child, writer, spliced))
        return group
    if isinstance(item, Circle):
        return dwg.circle(center=(fmt(item.cx), fmt(item.cy)), r=fmt(item.r), **_style({}, item, fmt))
    if isinstance(item, PathPrim):
        kw = _style({}, item, fmt)
        if item.id:
            kw["id"] = item.id
        if item.linejoin:
            kw["stroke_linejoin"] = item.linejoin
        if item.linecap:
            kw["stroke_linecap"] = item.linecap
        if item.dash:
            kw["stroke_dasharray"] = " ".join(fmt(v) for v in item.dash)
        data: str | PathData = item.data
        if _points(item.data) * 4 <= SPLICE_ABOVE:  # may be short: a point takes 4 characters or more
            data = "".join(writer.parts(item.data))
            if len(data) <= SPLICE_ABOVE:
                return dwg.path(d=data, **kw)
        spliced.append(data)
        return dwg.path(d=f"@@nnsvg-path-{len(spliced) - 1}@@", **kw)
    if isinstance(item, Polygon):
        kw = _style({}, item, fmt)
        if item.stroke != "none":
            kw["stroke_linejoin"] = "round"
        if item.fill_opacity != 1.0:
            kw["fill_opacity"] = fmt(item.fill_opacity)
        return dwg.polygon(points=[(fmt(x), fmt(y)) for x, y in item.points], **kw)
    if isinstance(item, Rect):
        kw = _style({}, item, fmt)
        if item.radius:
            kw["rx"] = kw["ry"] = fmt(item.radius)
        return dwg.rect(insert=(fmt(item.x), fmt(item.y)), size=(fmt(item.width), fmt(item.height)), **kw)
    if isinstance(item, Image):
        kw = {"class_": item.cls} if item.cls else {}
        if item.opacity != 1.0:
            kw["opacity"] = fmt(item.opacity)
        image = dwg.image(href=item.href, insert=(0, 0), size=(fmt(item.width), fmt(item.height)),
                          preserveAspectRatio="none", **kw)
        image["transform"] = "matrix(" + " ".join(f"{v:.6g}" for v in item.matrix) + ")"
        return image
    if isinstance(item, Text):
        kw = {"font_family": fonts.resolve(item.family).css(item.text), "font_size": fmt(item.size), "fill": item.fill}
        if item.anchor != "start":
            kw["text_anchor"] = item.anchor
        if item.cls:
            kw["class_"] = item.cls
        return dwg.text(item.text, insert=(fmt(item.x), fmt(item.y)), **kw)
    raise TypeError(f"cannot export {type(item).__name__}")


_SPLICE = re.compile(r"@@nnsvg-path-(\d+)@@")
SPLICE_ABOVE = 4096  # path data longer than this is spliced in, not escaped by the XML writer


def page_size(scene: Scene) -> tuple[str, str]:
    """The SVG's width and height with their unit: the page in px, or the physical size the
    scene was laid out for in the unit the user gave it in (width="3.5in")."""
    from ..units import written

    width, height = scene.size()
    unit = scene.printed.unit if scene.printed is not None else "px"
    return written(width, unit), written(height, unit)


def svg_parts(scene: Scene, debug: bool = False) -> Iterator[str]:
    """The scene as a standalone SVG document, in pieces. The document's structure is built
    with svgwrite; long path data (digits, commas and path commands, so nothing to escape) is
    spliced into it as it is written, so a 535,000-edge figure is never copied whole.
    ``debug`` turns on svgwrite's attribute validation (used by the tests)."""
    import svgwrite

    writer = PathWriter(decimals_for(scene))
    fmt = writer.fmt
    page = scene.page()
    width, height = fmt(page.width), fmt(page.height)
    dwg = svgwrite.Drawing(size=page_size(scene), profile="full", debug=debug)
    dwg.attribs["viewBox"] = " ".join(fmt(v) for v in (page.x0, page.y0, page.width, page.height))
    if scene.title:
        dwg.set_desc(title=scene.title)
    if scene.background != "none":
        dwg.add(dwg.rect(insert=(fmt(page.x0), fmt(page.y0)), size=(width, height),
                         fill=scene.background, class_="background"))
    spliced: list[str | PathData] = []  # path data, or its text, written in as the document is
    for group in scene.groups:
        dwg.add(_element(dwg, group, writer, spliced))
    root = dwg.get_xml()
    for defs in root.findall("defs"):
        if len(defs) == 0:
            root.remove(defs)
    for element in root.iter():
        if element is not root:
            element.tail = "\n"
    root.text = "\n"
    body = ElementTree.tostring(root, encoding="unicode")
    yield '<?xml version="1.0" encoding="utf-8"?>\n'
    position = 0
    for match in _SPLICE.finditer(body):
        yield body[position:match.start()]
        data = spliced[int(match.group(1))]
        if isinstance(data, str):
            yield data
        else:
            yield from writer.parts(data)
        position = match.end()
    yield body[position:] + "\n"


def to_svg(scene: Scene, debug: bool = False) -> str:
    """The scene as one SVG document string."""
    return "".join(svg_parts(scene, debug))


def encode(scene: Scene, request: Request) -> Written:
    """The backend's entry point (``nnsvg.formats.Backend``): the SVG document, streamed."""
    return [(request.name, svg_bytes(scene))]


def svg_bytes(scene: Scene, chunk: int = 1 << 16) -> Iterator[bytes]:
    """The SVG document as UTF-8 bytes in chunks of about ``chunk`` characters, for writing a
    big figure without holding a second copy of it."""
    buffer: list[str] = []
    size = 0
    for part in svg_parts(scene):
        buffer.append(part)
        size += len(part)
        if size >= chunk:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")
