"""The TikZ backend: a Scene as a ``tikzpicture`` for LaTeX (``-o fig.tex``).

LaTeX typesets the labels with the document's own font and math: each ``Text`` is a
``\\node`` at its anchor point (``base west``, ``base``, ``base east`` for SVG's start,
middle and end), its text in LaTeX (``backends.latex``: ℝ⁸ → ``$\\mathbb{R}^{8}$``) at the
theme's size (``\\fontsize``), so a label sits where the SVG's does whatever width LaTeX's font
gives it. Every other primitive is one ``\\draw`` (stroked, maybe filled) or ``\\fill``
(filled only); an image is a scope of filled cells (its pixels, at most ``IMAGE_CELLS`` a side,
merged along rows), so the file needs no image file beside it. Each group is a ``scope``
named in a comment (``% layer-0``).

Numbers are PostScript points (bp, 1/72 in, the unit of a PDF page) at the figure's printed
size (``--width``), with the origin at the page's lower left and ``\\useasboundingbox`` the
page, so the picture is exactly as big as the PDF nnsvg writes. Colours are named once at the
top (``nnsvgNodeFill``…) with ``\\providecolor``: defining one of those names before
``\\input`` recolours the figure. The file needs ``\\usepackage{tikz}`` and
``\\usepackage{amssymb}`` (for ``\\mathbb``); ``tex_standalone`` writes a whole ``standalone``
document instead.

TeX holds a whole page in its memory before writing it out, so a picture has a limit: beyond
``MAX_SEGMENTS`` line and curve segments pdflatex stops with "TeX capacity exceeded" (measured
in ``tests/test_tikz.py``); such a figure is refused with an error that points to
``--latex-labels`` (the shapes as PDF, the labels typeset by LaTeX). TeX's lengths end at
``\\maxdimen`` (16383.99998 pt, 5.76 m): a page side beyond it (``MAX_TEX_BP``), or a label LaTeX
sets wider than it, stops pdflatex with "Dimension too large", so ``check_tex_size`` refuses, for
both LaTeX routes (``.tex`` and ``.pdf_tex``) and before anything is written, a page beyond
``MAX_TEX_BP`` and a label measured wider than ``MAX_TEX_LABEL_BP``.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import ExportError
from ..geometry import Point, arc_center, quad_to_cubic
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
    Path,
    PathData,
    Polygon,
    Primitive,
    QuadTo,
    Rect,
    Scene,
    Segments,
    Stars,
    Text,
)
from ..text import clip
from ..units import PT_PER_IN, PT_PER_PX, TEX_PT_PER_BP
from ..version import __version__
from .latex import one_line, to_latex

if TYPE_CHECKING:
    from ..formats import Request, Written

MAX_SEGMENTS = 50_000  # see the module's docstring; pdflatex's default main memory
IMAGE_CELLS = 96  # an image's longest side in cells
PER_LINE = 8  # subpaths on one line of a path
CHUNK = 1_000  # segments of one path command (see _chunked)
ANCHORS = {"start": "base west", "middle": "base", "end": "base east"}
# TeX's largest length, \maxdimen = 16383.99998 pt, in bp (1 bp = 72.27/72 pt): a picture of a
# side beyond it stops pdflatex with "Dimension too large" (measured: 16,260 bp compiles, 16,366 not)
MAX_TEX_BP = 16383.99998 / TEX_PT_PER_BP
# a label's measured width at most: LaTeX sets it in the document's font, which can be several
# times as wide as the theme's measure (a monospace font against DejaVu Sans' narrow letters), and
# a TikZ node wider than MAX_TEX_BP fails as the page does; real labels are under 100 characters
# (~600 bp), this is ~770 characters (1.4 m)
MAX_TEX_LABEL_BP = MAX_TEX_BP / 4


def fmt(value: float) -> str:
    """A number as text: two decimals, trailing zeros stripped, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def segments(data: PathData) -> int:
    """How many line and curve segments (and dots) path data draws."""
    if isinstance(data, tuple):
        return sum(not isinstance(s, MoveTo) for s in data)
    if isinstance(data, Fan):
        return len(data.starts) * len(data.ends)
    if isinstance(data, Stars | CurvedStars):
        return sum(len(indices) for _, indices in data.stars)
    if isinstance(data, Dots):
        return len(data.centers)
    return sum(max(1, len(line) - (0 if data.closed else 1)) for line in data.lines)


def check_tex_size(scene: Scene) -> None:
    """An ExportError when LaTeX cannot hold the figure: a label wider than MAX_TEX_LABEL_BP (the
    likelier cause, named first) or a page side beyond MAX_TEX_BP."""
    k = scene.unit_scale() * PT_PER_PX
    for item in scene.walk():
        if isinstance(item, Text) and item.box.width * k > MAX_TEX_LABEL_BP:
            raise ExportError(f"the label '{clip(item.text, 40)}' is {item.box.width * k:,.0f} bp wide, more than "
                              f"LaTeX can safely set (at most {MAX_TEX_LABEL_BP:,.0f} bp: TeX's lengths end at "
                              f"{MAX_TEX_BP:,.0f} bp, 5.76 m, and the document's font may be several times "
                              "wider); shorten it, or write SVG or PDF")
    page = scene.page()
    width, height = page.width * k, page.height * k
    if max(width, height) > MAX_TEX_BP:
        raise ExportError(f"a LaTeX picture of {width:,.0f} x {height:,.0f} bp is larger than TeX's lengths reach "
                          f"(at most {MAX_TEX_BP:,.0f} bp, 5.76 m: pdflatex stops with \"Dimension too large\"); "
                          "draw it smaller (--width) or write SVG or PDF")


def scene_segments(scene: Scene) -> int:
    """The segments of every path of the scene (a shape or text counts one)."""
    return sum(segments(p.data) if isinstance(p, Path) else 1 for p in scene.walk())


class Writer:
    """Coordinates in bp with y up, colour names, and the text of each primitive."""

    def __init__(self, scene: Scene) -> None:
        self.page = scene.page()
        self.k = scene.unit_scale() * PT_PER_PX  # bp per drawing unit
        self.colors: dict[tuple[str, str, str], str] = {}  # (kind, part, "#rrggbb") → its name
        self.names: set[str] = set()

    # numbers

    def pt(self, p: Point) -> str:
        return f"({fmt((p[0] - self.page.x0) * self.k)},{fmt((self.page.y1 - p[1]) * self.k)})"

    def xy(self, x: float, y: float) -> str:
        return self.pt((x, y))

    def length(self, value: float) -> str:
        return fmt(value * self.k)

    def size(self) -> tuple[float, float]:
        return self.page.width * self.k, self.page.height * self.k

    # colours

    def color(self, value: str, what: str, part: str = "") -> str:
        """The name of a colour of a kind of thing (``what``: a class such as "volume top") in a
        ``part`` (fill, stroke, text), made when first seen: ``nnsvgVolumeFill`` (the class's
        first word), or with all its words when that name has another colour already
        (``nnsvgVolumeTopFill``), or a number. Each kind and part has its own names, so the
        labels can be recoloured apart from the outlines."""
        words = [w for w in what.replace("-", " ").split() if w.isalpha()] or ["shape"]
        key = (words[0], part, value.lower())
        if key not in self.colors:
            short = "nnsvg" + "".join(w[:1].upper() + w[1:] for w in [words[0], part] if w)
            full = "nnsvg" + "".join(w[:1].upper() + w[1:] for w in [*words, part] if w)
            name, n = short, 1
            if name in self.names:
                name = full
            while name in self.names:
                n += 1
                name = f"{full}{n}"
            self.names.add(name)
            self.colors[key] = name
        return self.colors[key]

    # path data

    def path(self, data: PathData) -> Iterator[str]:
        """Path data as TikZ path operations, PER_LINE subpaths a line."""
        if isinstance(data, tuple):
            yield from self._segments(data)
        elif isinstance(data, Fan):
            ends = [self.pt(e) for e in data.ends]
            yield from _lines(f"{self.pt(s)} -- {e}" for s in data.starts for e in ends)
        elif isinstance(data, Stars):
            ends = [self.pt(e) for e in data.ends]
            yield from _lines(f"{start} -- {ends[i]}" for start, indices in
                              ((self.pt(s), ix) for s, ix in data.stars) for i in indices)
        elif isinstance(data, CurvedStars):
            ends = [f"and {self.pt(c)} .. {self.pt(e)}" for c, e in data.ends]
            yield from _lines(f"{head} {ends[i]}" for head, indices in
                              ((f"{self.pt(s)} .. controls {self.pt(c)}", ix) for (s, c), ix in data.stars)
                              for i in indices)
        elif isinstance(data, Dots):
            r = self.length(data.r)
            yield from _lines(f"{self.pt(c)} circle[radius={r}]" for c in data.centers)
        else:
            end = " -- cycle" if data.closed else ""
            yield from _lines(" -- ".join(self.pt(p) for p in line) + end for line in data.lines)

    def _segments(self, data: Segments) -> Iterator[str]:
        current = begin = (0.0, 0.0)
        line: list[str] = []
        subpaths = 0
        for seg in data:
            if isinstance(seg, MoveTo):
                if line and subpaths % PER_LINE == 0:
                    yield " ".join(line)
                    line = []
                subpaths += 1
                current = begin = (seg.x, seg.y)
                line.append(self.pt(current))
            elif isinstance(seg, LineTo):
                current = (seg.x, seg.y)
                line.append(f"-- {self.pt(current)}")
            elif isinstance(seg, CubicTo):
                line.append(f".. controls {self.xy(seg.x1, seg.y1)} and {self.xy(seg.x2, seg.y2)} .. "
                            f"{self.xy(seg.x, seg.y)}")
                current = (seg.x, seg.y)
            elif isinstance(seg, QuadTo):
                c1, c2 = quad_to_cubic(current, (seg.x1, seg.y1), (seg.x, seg.y))
                current = (seg.x, seg.y)
                line.append(f".. controls {self.pt(c1)} and {self.pt(c2)} .. {self.pt(current)}")
            elif isinstance(seg, ArcTo):
                line.extend(self._arc(current, seg))
                current = (seg.x, seg.y)
            elif isinstance(seg, Close):
                line.append("-- cycle")
                current = begin
        if line:
            yield " ".join(line)

    def _arc(self, current: Point, seg: ArcTo) -> list[str]:
        """An SVG arc as cubic curves of at most 90° each."""
        arc = arc_center(current, (seg.x, seg.y), seg.rx, seg.ry, seg.rotation, seg.large_arc, seg.sweep)
        if arc is None:
            return [] if current == (seg.x, seg.y) else [f"-- {self.xy(seg.x, seg.y)}"]
        pieces = max(1, math.ceil(abs(arc.sweep) / (math.pi / 2) - 1e-9))
        step = arc.sweep / pieces
        handle = 4 / 3 * math.tan(step / 4)
        cos, sin = math.cos(arc.rotation), math.sin(arc.rotation)

        def at(t: float, dx: float = 0.0, dy: float = 0.0) -> Point:
            ex, ey = arc.rx * (math.cos(t) + dx), arc.ry * (math.sin(t) + dy)
            return arc.cx + cos * ex - sin * ey, arc.cy + sin * ex + cos * ey

        out = []
        for n in range(pieces):
            t0, t1 = arc.start + n * step, arc.start + (n + 1) * step
            c1 = at(t0, -handle * math.sin(t0), handle * math.cos(t0))
            c2 = at(t1, handle * math.sin(t1), -handle * math.cos(t1))
            end = (seg.x, seg.y) if n == pieces - 1 else at(t1)
            out.append(f".. controls {self.pt(c1)} and {self.pt(c2)} .. {self.pt(end)}")
        return out


def _lines(pieces: Iterator[str]) -> Iterator[str]:
    line: list[str] = []
    for piece in pieces:
        line.append(piece)
        if len(line) == PER_LINE:
            yield " ".join(line)
            line = []
    if line:
        yield " ".join(line)


def _what(item: Primitive, group: str | None = None) -> str:
    """What a primitive is, for its colours' names: its class, its group's (edges), its type."""
    return item.cls or group or type(item).__name__.lower()


def _paint(w: Writer, item: Any, extra: list[str], group: str | None = None) -> tuple[str, list[str]]:
    """The command (``\\draw`` or ``\\fill``) and options of a shape."""
    options: list[str] = []
    stroked = item.stroke != "none" and item.stroke_width > 0
    filled = item.fill != "none"
    if filled:
        options.append(f"fill={w.color(item.fill, _what(item, group), 'fill')}")
    if stroked:
        options.insert(0, w.color(item.stroke, _what(item, group), "stroke"))
        options.append(f"line width={w.length(item.stroke_width)}bp")
    options += extra
    return ("\\draw" if stroked else "\\fill"), options


def _opacity(alpha: float, fill_alpha: float = 1.0) -> list[str]:
    out = []
    if alpha != 1.0:
        out.append(f"draw opacity={fmt_alpha(alpha)}")
    if alpha * fill_alpha != 1.0:
        out.append(f"fill opacity={fmt_alpha(alpha * fill_alpha)}")
    return out


def fmt_alpha(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value < 0.01 else fmt(value)


def _command(name: str, options: list[str], body: Iterator[str] | list[str]) -> Iterator[str]:
    """One path command, its path operations on lines of PER_LINE subpaths."""
    lines = list(body)
    head = f"{name}[{', '.join(options)}]" if options else name
    if len(lines) <= 1:
        yield f"{head} {lines[0] if lines else ''};"
        return
    yield f"{head} {lines[0]}"
    for line in lines[1:-1]:
        yield f"  {line}"
    yield f"  {lines[-1]};"


def _chunked(name: str, options: list[str], opacity: float, body: Iterator[str]) -> Iterator[str]:
    """A path as one command per CHUNK segments (PER_LINE a line): pgf builds a path by copying
    it whole at each step and holds it in TeX's main memory, so one path of 20,000 segments
    exhausts that memory and 10,000 take seconds, while pieces of CHUNK cost what their
    segments cost. With an opacity the pieces are one transparency group, so the overlaps of
    two pieces are not darker than those within one (as in the one SVG path)."""
    lines = list(body)
    per = max(1, CHUNK // PER_LINE)
    if len(lines) <= per:
        yield from _command(name, options + _opacity(opacity), lines)
        return
    if opacity != 1.0:
        yield f"\\begin{{scope}}[transparency group, opacity={fmt_alpha(opacity)}]"
    for first in range(0, len(lines), per):
        yield from _command(name, options, lines[first:first + per])
    if opacity != 1.0:
        yield "\\end{scope}"


def _shape(w: Writer, item: Rect | Polygon) -> Iterator[str]:
    """A rectangle or polygon. With an opacity on both its fill and its stroke, the two are one
    transparency group painted at that opacity (SVG's ``opacity``, as the cairo backend
    composes it), so the stroke does not show the fill through it."""
    fill_alpha = item.fill_opacity if isinstance(item, Polygon) else 1.0
    grouped = item.opacity < 1 and item.fill != "none" and item.stroke != "none" and item.stroke_width > 0
    extra = _opacity(1.0, fill_alpha) if grouped else _opacity(item.opacity, fill_alpha)
    if isinstance(item, Rect):
        if item.radius:
            extra.append(f"rounded corners={w.length(min(item.radius, item.width / 2, item.height / 2))}bp")
        shape = f"{w.xy(item.x, item.y + item.height)} rectangle {w.xy(item.x + item.width, item.y)}"
    else:
        if item.stroke != "none":
            extra.append("line join=round")
        shape = " -- ".join(w.pt(p) for p in item.points) + " -- cycle"
    name, options = _paint(w, item, extra)
    if grouped:
        yield f"\\begin{{scope}}[transparency group, opacity={fmt_alpha(item.opacity)}]"
    yield from _command(name, options, [shape])
    if grouped:
        yield "\\end{scope}"


def _primitive(w: Writer, item: Primitive, group: str | None = None) -> Iterator[str]:
    if isinstance(item, Text):
        yield _node(w, item)
    elif isinstance(item, Circle):
        name, options = _paint(w, item, [])
        yield from _command(name, options, [f"{w.xy(item.cx, item.cy)} circle[radius={w.length(item.r)}]"])
    elif isinstance(item, Rect | Polygon):
        yield from _shape(w, item)
    elif isinstance(item, Path):
        extra = []
        if item.linecap in ("round", "square"):
            extra.append(f"line cap={'rect' if item.linecap == 'square' else 'round'}")
        if item.linejoin in ("round", "bevel"):
            extra.append(f"line join={item.linejoin}")
        if item.dash:
            dash = list(item.dash) * (2 if len(item.dash) % 2 else 1)
            pattern = " ".join(f"{'on' if n % 2 == 0 else 'off'} {w.length(v)}bp" for n, v in enumerate(dash))
            extra.append(f"dash pattern={pattern}")
        name, options = _paint(w, item, extra, group)
        yield from _chunked(name, options, item.opacity, w.path(item.data))
    elif isinstance(item, Image):
        yield from _image(w, item)
    else:
        raise TypeError(f"cannot write {type(item).__name__} as TikZ")


def font_size(size_bp: float) -> str:
    """``\\fontsize`` of a text ``size_bp`` big, with a baseline skip of 1.2 times it."""
    return f"\\fontsize{{{fmt(size_bp)}bp}}{{{fmt(size_bp * 1.2)}bp}}\\selectfont"


def _node(w: Writer, item: Text) -> str:
    color = w.color(item.fill, _what(item), "text")
    options = f"anchor={ANCHORS.get(item.anchor, 'base west')}, text={color}, font={font_size(item.size * w.k)}"
    return f"\\node[{options}] at {w.xy(item.x, item.y)} {{{to_latex(item.text)}}};"


def _image(w: Writer, item: Image) -> Iterator[str]:
    """The image as filled cells in its own coordinates (x right, y down, width × height),
    mapped onto the page by its matrix: at most IMAGE_CELLS a side, equal neighbours in a row
    merged into one rectangle, transparent cells left out."""
    from PIL import Image as PILImage

    payload = item.href.partition(",")[2]
    with PILImage.open(io.BytesIO(base64.b64decode(payload))) as picture:
        rgba = picture.convert("RGBA")
    scale = min(1.0, IMAGE_CELLS / max(rgba.size))
    if scale < 1:
        rgba = rgba.resize((max(1, round(rgba.width * scale)), max(1, round(rgba.height * scale))),
                           PILImage.Resampling.BOX)
    a, b, c, d, e, f = item.matrix
    k, page = w.k, w.page
    cm = (f"cm={{{a * k:.6g},{-b * k:.6g},{c * k:.6g},{-d * k:.6g},"
          f"({fmt((e - page.x0) * k)},{fmt((page.y1 - f) * k)})}}")
    options = [cm, *([f"opacity={fmt_alpha(item.opacity)}"] if item.opacity != 1.0 else [])]
    yield f"\\begin{{scope}}[{', '.join(options)}] % image, {rgba.width} x {rgba.height} cells"
    cw, ch = item.width / rgba.width, item.height / rgba.height
    pixels = rgba.load()
    assert pixels is not None
    for row in range(rgba.height):
        col = 0
        while col < rgba.width:
            value = pixels[col, row]
            end = col + 1
            while end < rgba.width and pixels[end, row] == value:
                end += 1
            red, green, blue, alpha = value  # type: ignore[misc]
            if alpha:
                fill = f"fill={{rgb,255:red,{red};green,{green};blue,{blue}}}"
                if alpha < 255:
                    fill += f", fill opacity={fmt(alpha / 255)}"
                # each cell reaches a little into the next, so no hairline shows between cells
                yield (f"\\fill[{fill}] ({fmt(col * cw)},{fmt(row * ch)}) rectangle "
                       f"({fmt(min(end + 0.05, rgba.width) * cw)},{fmt(min(row + 1.05, rgba.height) * ch)});")
            col = end
    yield "\\end{scope}"


def _group(w: Writer, group: Group, depth: int) -> Iterator[str]:
    indent = "  " * depth
    yield f"{indent}\\begin{{scope}} % {one_line(group.id or group.cls or 'group')}"
    for child in group.children:
        if isinstance(child, Group):
            yield from _group(w, child, depth + 1)
        else:
            for line in _primitive(w, child, group.cls):
                yield f"{indent}  {line}"
    yield f"{indent}\\end{{scope}}"


def picture(scene: Scene) -> tuple[list[str], list[str], tuple[float, float]]:
    """The color definitions, the ``tikzpicture`` lines, and the page size in bp."""
    count = scene_segments(scene)
    if count > MAX_SEGMENTS:
        raise ExportError(f"a TikZ picture of {count:,} line segments is more than TeX's memory holds "
                          f"(at most {MAX_SEGMENTS:,}); write the shapes as PDF and let LaTeX set the labels: "
                          "-o FILE.pdf --latex-labels, then \\input{FILE.pdf_tex}")
    check_tex_size(scene)
    w = Writer(scene)
    width, height = w.size()
    body = ["\\begin{tikzpicture}[x=1bp, y=1bp, inner sep=0pt, outer sep=0pt, miter limit=4]",
            f"\\useasboundingbox (0,0) rectangle ({fmt(width)},{fmt(height)});"]
    if scene.background != "none":
        body.append(f"\\fill[{w.color(scene.background, 'background')}] (0,0) rectangle "
                    f"({fmt(width)},{fmt(height)});")
    for group in scene.groups:
        body.extend(_group(w, group, 0))
    body.append("\\end{tikzpicture}")
    defines = [f"\\providecolor{{{name}}}{{HTML}}{{{value.lstrip('#').upper()}}}"
               for (_, _, value), name in w.colors.items()]
    return defines, body, (width, height)


def tikz(scene: Scene, standalone: bool = False) -> str:
    """The scene as a TikZ picture to ``\\input`` (or a whole standalone document)."""
    defines, body, (width, height) = picture(scene)
    inches = f"{width / PT_PER_IN:.2f} x {height / PT_PER_IN:.2f} in"
    title = f": {one_line(scene.title)}" if scene.title else ""  # one comment line
    head = [f"% nnsvg {__version__}{title}",
            f"% A TikZ picture of {fmt(width)} x {fmt(height)} bp ({inches}); numbers are in bp (1/72 in).",
            "% Needs \\usepackage{tikz} and \\usepackage{amssymb} in the preamble; \\input this file where the",
            "% figure goes, at 100 % (labels are set in the document's font at the theme's size).",
            "% Colours are named below with \\providecolor: \\definecolor one of these names before",
            "% \\input to recolour the figure."]
    # every line outside the picture ends with %: its line break would be a space in the text
    defines = [f"{line}%" for line in defines]
    body[-1] += "%"
    if standalone:
        lines = [*head, "\\documentclass[border=0pt]{standalone}", "\\usepackage{tikz}", "\\usepackage{amssymb}",
                 *defines, "\\begin{document}%", *body, "\\end{document}"]
    else:
        lines = [*head, "\\begingroup%", *defines, *body, "\\endgroup%"]
    return "\n".join(lines) + "\n"


def encode(scene: Scene, request: Request) -> Written:
    """The backend's entry point (``nnsvg.formats.Backend``): the picture, or with
    ``tex_standalone`` a whole document."""
    return [(request.name, [tikz(scene, standalone=request.flags.get("tex_standalone", False)).encode("utf-8")])]

