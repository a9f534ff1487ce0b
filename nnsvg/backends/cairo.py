"""The cairo backend: a Scene drawn straight onto a cairo PDF, PNG, PS or EPS surface.

The same scene the SVG export writes, drawn with cairocffi (a dependency of nnsvg), so a big
figure is never written as SVG text and parsed back: path segments and the bulk kinds (a ``Fan``
of 535,000 edges, say) become move/line/curve/arc calls on their points. Text is drawn from the
font file nnsvg measured (through cairo's FreeType faces), else by family name with cairo's toy
font API, as cairosvg (the tests' reference route) does. Imported only when drawing.
"""

from __future__ import annotations

import base64
import io
import math
import os
import re
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from .. import colors
from ..errors import ExportError
from ..geometry import Point, arc_center, quad_to_cubic
from ..scene import (
    ArcTo,
    Circle,
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
    Polylines,
    QuadTo,
    Rect,
    Scene,
    Segments,
    Stars,
    Text,
)
from ..signals import held
from ..units import PT_PER_PX
from .pdf_fonts import keep_fonts

if TYPE_CHECKING:
    from ..formats import Request, Written

SVG_MITER_LIMIT = 4.0  # SVG's default stroke-miterlimit (cairo's own default is 10)


def _cairo() -> Any:
    try:
        import cairocffi
    except (ImportError, OSError) as exc:
        raise ExportError(f"PDF/PNG/EPS output needs cairocffi and the cairo library ({exc}); "
                          "SVG output works without them") from None
    return cairocffi


def _rgba(ctx: Any, color: str, alpha: float) -> None:
    r, g, b = colors.to_rgb(color)
    ctx.set_source_rgba(r / 255, g / 255, b / 255, alpha)


# On a raster surface, lines are stroked a few at a time: cairo's scan converter walks every
# active edge on every row, so one path of 535,000 crossing lines takes minutes, while strokes
# of 8 lines take seconds (measured: 50,000 lines, 19.7 s in one stroke, 1.6 s in eights).
# Vector surfaces (PDF, PS) record the path as it is: one stroke per path.
RASTER_BATCH = 8


Flush = Callable[[], None] | None  # called after every batch of subpaths (None: never)


def _trace_fan(ctx: Any, fan: Fan, flush: Flush, batch: int) -> None:
    move, line = ctx.move_to, ctx.line_to
    count = 0
    for sx, sy in fan.starts:
        for ex, ey in fan.ends:
            move(sx, sy)
            line(ex, ey)
            count += 1
            if flush is not None and count % batch == 0:
                flush()


def _trace_stars(ctx: Any, data: Stars, flush: Flush, batch: int) -> None:
    move, line, ends = ctx.move_to, ctx.line_to, data.ends
    count = 0
    for (sx, sy), indices in data.stars:
        for k in indices:
            move(sx, sy)
            line(*ends[k])
            count += 1
            if flush is not None and count % batch == 0:
                flush()


def _trace_dots(ctx: Any, dots: Dots, flush: Flush, batch: int) -> None:
    for count, (x, y) in enumerate(dots.centers, 1):
        ctx.new_sub_path()
        ctx.arc(x, y, dots.r, 0, 2 * math.pi)
        if flush is not None and count % batch == 0:
            flush()


def _trace_polylines(ctx: Any, data: Polylines, flush: Flush, batch: int) -> None:
    move, line, close = ctx.move_to, ctx.line_to, ctx.close_path
    for count, points in enumerate(data.lines, 1):
        move(*points[0])
        for point in points[1:]:
            line(*point)
        if data.closed:
            close()
        if flush is not None and count % batch == 0:
            flush()


def _trace_curved_stars(ctx: Any, data: CurvedStars, flush: Flush, batch: int) -> None:
    move, curve, ends = ctx.move_to, ctx.curve_to, data.ends
    count = 0
    for ((sx, sy), (cx, cy)), indices in data.stars:
        for k in indices:
            (c2x, c2y), (ex, ey) = ends[k]
            move(sx, sy)
            curve(cx, cy, c2x, c2y, ex, ey)
            count += 1
            if flush is not None and count % batch == 0:
                flush()


def _arc(ctx: Any, current: Point, seg: ArcTo) -> None:
    """An SVG arc: in centre form, a unit circle's arc drawn under the ellipse's transform
    (a straight line when a radius is zero, nothing when it ends where it starts)."""
    arc = arc_center(current, (seg.x, seg.y), seg.rx, seg.ry, seg.rotation, seg.large_arc, seg.sweep)
    if arc is None:
        if current != (seg.x, seg.y):
            ctx.line_to(seg.x, seg.y)
        return
    matrix = ctx.get_matrix()
    ctx.translate(arc.cx, arc.cy)
    ctx.rotate(arc.rotation)
    ctx.scale(arc.rx, arc.ry)
    (ctx.arc if arc.sweep > 0 else ctx.arc_negative)(0.0, 0.0, 1.0, arc.start, arc.start + arc.sweep)
    ctx.set_matrix(matrix)


def _trace_segments(ctx: Any, segments: Segments, flush: Flush, batch: int) -> None:
    """Segments as cairo calls; the current point and the subpath's start are tracked here,
    for the segments that need them (quadratic curves, arcs, and whatever follows a close)."""
    current = begin = (0.0, 0.0)
    subpaths = 0
    for seg in segments:
        if isinstance(seg, MoveTo):
            if flush is not None and subpaths and subpaths % batch == 0:
                flush()
            subpaths += 1
            ctx.move_to(seg.x, seg.y)
            current = begin = (seg.x, seg.y)
        elif isinstance(seg, LineTo):
            ctx.line_to(seg.x, seg.y)
            current = (seg.x, seg.y)
        elif isinstance(seg, CubicTo):
            ctx.curve_to(seg.x1, seg.y1, seg.x2, seg.y2, seg.x, seg.y)
            current = (seg.x, seg.y)
        elif isinstance(seg, QuadTo):
            c1, c2 = quad_to_cubic(current, (seg.x1, seg.y1), (seg.x, seg.y))
            ctx.curve_to(*c1, *c2, seg.x, seg.y)
            current = (seg.x, seg.y)
        elif isinstance(seg, ArcTo):
            _arc(ctx, current, seg)
            current = (seg.x, seg.y)
        else:
            ctx.close_path()
            current = begin


def _trace(ctx: Any, data: PathData, flush: Flush = None, batch: int = RASTER_BATCH) -> None:
    """Add the path data to the current path; ``flush()``, when given, is called after every
    ``batch`` subpaths (a stroke-only path on a raster surface is stroked in batches)."""
    if isinstance(data, tuple):
        _trace_segments(ctx, data, flush, batch)
    elif isinstance(data, Fan):
        _trace_fan(ctx, data, flush, batch)
    elif isinstance(data, Stars):
        _trace_stars(ctx, data, flush, batch)
    elif isinstance(data, CurvedStars):
        _trace_curved_stars(ctx, data, flush, batch)
    elif isinstance(data, Dots):
        _trace_dots(ctx, data, flush, batch)
    else:
        _trace_polylines(ctx, data, flush, batch)


def _fill_and_stroke(ctx: Any, fill: str, fill_alpha: float, stroke: str, width: float,
                     alpha: float) -> None:
    """Fill then stroke the current path; with a group opacity on both, composite them first
    (as SVG's ``opacity`` does)."""
    both = fill != "none" and stroke != "none" and width > 0
    grouped = both and alpha < 1
    if grouped:
        ctx.push_group()
    if fill != "none":
        _rgba(ctx, fill, fill_alpha * (1.0 if grouped else alpha))
        if stroke != "none" and width > 0:
            ctx.fill_preserve()
        else:
            ctx.fill()
    if stroke != "none" and width > 0:
        _rgba(ctx, stroke, 1.0 if grouped else alpha)
        ctx.set_line_width(width)
        ctx.stroke()
    if grouped:
        ctx.pop_group_to_source()
        ctx.paint_with_alpha(alpha)
    ctx.new_path()


def _stroke_in_batches(ctx: Any, item: Path) -> None:
    """Stroke a line path in batches, inside a group painted once with the path's opacity, so
    the result is that of one stroke (overlaps are not darkened twice)."""
    grouped = item.opacity < 1
    if grouped:
        ctx.push_group()
    _rgba(ctx, item.stroke, 1.0)
    ctx.set_line_width(item.stroke_width)
    _trace(ctx, item.data, flush=ctx.stroke)
    ctx.stroke()
    if grouped:
        ctx.pop_group_to_source()
        ctx.paint_with_alpha(item.opacity)


def _rounded(ctx: Any, item: Rect) -> None:
    r = min(item.radius, item.width / 2, item.height / 2)
    x0, y0, x1, y1 = item.x, item.y, item.x + item.width, item.y + item.height
    ctx.new_sub_path()
    ctx.arc(x1 - r, y0 + r, r, -math.pi / 2, 0)
    ctx.arc(x1 - r, y1 - r, r, 0, math.pi / 2)
    ctx.arc(x0 + r, y1 - r, r, math.pi / 2, math.pi)
    ctx.arc(x0 + r, y0 + r, r, math.pi, 3 * math.pi / 2)
    ctx.close_path()


def _png(item: Image) -> bytes:
    """The image's bytes as PNG (cairo reads PNG only: others are converted with Pillow)."""
    head, _, payload = item.href.partition(",")
    data = base64.b64decode(payload)
    if "image/png" not in head:
        from PIL import Image as PILImage

        buffer = io.BytesIO()
        with PILImage.open(io.BytesIO(data)) as picture:
            picture.convert("RGBA").save(buffer, "PNG")
        data = buffer.getvalue()
    return data


@contextmanager
def _scratch() -> Iterator[tuple[str, Callable[[], bytes]]]:
    """A temporary file that cairo reads or writes by name, and a reader of its bytes; removed
    on the way out, whatever happens. cairo is never handed a Python file object: it would call
    back into Python (cffi) to read or write it, and the ``Interrupted`` a signal raises there
    (``nnsvg.entry``) cannot pass through C: cffi prints it as "Exception ignored" and cairo
    fails with a write error. With a file name, cairo runs C alone; the signal's exception is
    raised in nnsvg's own code once cairo returns."""
    import tempfile

    name, file = "", None
    try:
        with held():  # made and named at once: a signal cannot leave it behind unnamed
            fd, name = tempfile.mkstemp(prefix="nnsvg-", suffix=".part")
            file = opened = os.fdopen(fd, "r+b")

        def read() -> bytes:
            opened.seek(0)
            return opened.read()

        yield name, read
    finally:
        if file is not None:
            file.close()
        if name:
            _unlink(name)


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:  # gone already (unlinked once cairo opened it), or open elsewhere on Windows
        pass


def _image_surface(cairo: Any, png: bytes) -> Any:
    with _scratch() as (name, _):
        with open(name, "wb") as file:
            file.write(png)
        return cairo.ImageSurface.create_from_png(name)


def _image(ctx: Any, cairo: Any, item: Image) -> None:
    surface = _image_surface(cairo, _png(item))
    ctx.save()
    ctx.transform(cairo.Matrix(*item.matrix))
    ctx.scale(item.width / surface.get_width(), item.height / surface.get_height())
    ctx.set_source_surface(surface, 0, 0)
    ctx.paint_with_alpha(item.opacity)
    ctx.restore()


@cache
def _ft_libraries() -> Any:
    """fontconfig and cairo's FreeType functions through cffi, to draw a font from its file:
    ``(cffi, fontconfig, cairo)``, loaded once, or None where cairo has no FreeType backend (then
    fonts are found by family name)."""
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef("""
            typedef struct _FcPattern FcPattern;
            FcPattern *FcPatternCreate(void);
            int FcPatternAddString(FcPattern *p, const char *object, const unsigned char *s);
            int FcPatternAddInteger(FcPattern *p, const char *object, int i);
            void FcPatternDestroy(FcPattern *p);
            void *cairo_ft_font_face_create_for_pattern(FcPattern *pattern);
        """)
        fc = _dlopen(ffi, ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll", "fontconfig"))
        lib = _dlopen(ffi, ("libcairo.so.2", "libcairo.2.dylib", "libcairo-2.dll", "cairo"))
        lib.cairo_ft_font_face_create_for_pattern  # noqa: B018  (absent without FreeType)
    except Exception:  # no cffi, no fontconfig, or a cairo without FreeType
        return None
    return ffi, fc, lib


def _dlopen(ffi: Any, names: tuple[str, ...]) -> Any:
    import ctypes.util

    for name in names:
        try:
            return ffi.dlopen(name)
        except OSError:
            continue
    found = ctypes.util.find_library(names[-1])
    if found is None:
        raise OSError(names[-1])
    return ffi.dlopen(found)


@cache
def _file_face(cairo: Any, path: str, index: int) -> Any:
    """A cairo font face of one font file, made once (None when cairo cannot open files)."""
    libs = _ft_libraries()
    if libs is None:
        return None
    ffi, fc, lib = libs
    pattern = fc.FcPatternCreate()
    fc.FcPatternAddString(pattern, b"file", os.fsencode(path))
    fc.FcPatternAddInteger(pattern, b"index", index)
    pointer = lib.cairo_ft_font_face_create_for_pattern(pattern)
    fc.FcPatternDestroy(pattern)
    if pointer == ffi.NULL:
        return None
    address = int(ffi.cast("uintptr_t", pointer))
    return cairo.FontFace._from_pointer(cairo.ffi.cast("cairo_font_face_t *", address), incref=False)


def _select_font(ctx: Any, cairo: Any, font: Any) -> None:
    """Set the font of one run: from its file when known (the exact font nnsvg measured), else
    by family name (cairo's toy API, as cairosvg does)."""
    face = _file_face(cairo, font.path, font.index) if font.path is not None else None
    if face is not None:
        ctx.set_font_face(face)
    else:
        ctx.select_font_face(font.family, cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_NORMAL)


def _show_text(ctx: Any, cairo: Any, item: Text, rgb: tuple[float, float, float]) -> None:
    """A text, each run of characters in the font that has them (``nnsvg.fonts``: the label
    font, or the fallback with the glyph), so no glyph is missing in PDF, PNG or PostScript."""
    from .. import fonts

    runs = fonts.resolve(item.family).runs(item.text)
    advances = []
    for font, run in runs:
        _select_font(ctx, cairo, font)
        ctx.set_font_size(item.size)
        advances.append(ctx.text_extents(run)[4])
    total = sum(advances)
    x = item.x - {"start": 0.0, "middle": total / 2, "end": total}[item.anchor]
    ctx.set_source_rgb(*rgb)
    for (font, run), advance in zip(runs, advances):
        _select_font(ctx, cairo, font)
        ctx.set_font_size(item.size)
        ctx.move_to(x, item.y)
        ctx.show_text(run)
        x += advance
    ctx.new_path()


def _text(ctx: Any, cairo: Any, item: Text) -> None:
    r, g, b = colors.to_rgb(item.fill)
    _show_text(ctx, cairo, item, (r / 255, g / 255, b / 255))


# --- opaque drawing for PostScript (backends.opaque): each shape as a tracer of its path ----

def _polygon_tracer(item: Polygon) -> Callable[[Any], None]:
    def trace(ctx: Any) -> None:
        ctx.move_to(*item.points[0])
        for point in item.points[1:]:
            ctx.line_to(*point)
        ctx.close_path()
    return trace


def _rect_tracer(item: Rect) -> Callable[[Any], None]:
    def trace(ctx: Any) -> None:
        if item.radius:
            _rounded(ctx, item)
        else:
            ctx.rectangle(item.x, item.y, item.width, item.height)
    return trace


def _circle_tracer(item: Circle) -> Callable[[Any], None]:
    def trace(ctx: Any) -> None:
        ctx.new_sub_path()
        ctx.arc(item.cx, item.cy, item.r, 0, 2 * math.pi)
    return trace


def _path_tracer(item: Path) -> Callable[[Any], None]:
    def trace(ctx: Any) -> None:
        _trace(ctx, item.data)
    return trace


def _stroke_style(cairo: Any) -> Callable[..., Callable[[Any], None]]:
    """A maker of stroke settings: width, cap and join (SVG's defaults when None), dashes."""
    caps = {"round": cairo.LINE_CAP_ROUND, "square": cairo.LINE_CAP_SQUARE}
    joins = {"round": cairo.LINE_JOIN_ROUND, "bevel": cairo.LINE_JOIN_BEVEL}

    def style(width: float, cap: str | None, join: str | None,
              dash: tuple[float, ...] | None) -> Callable[[Any], None]:
        def apply(ctx: Any) -> None:
            ctx.set_line_width(width)
            ctx.set_line_cap(caps.get(cap or "", cairo.LINE_CAP_BUTT))
            ctx.set_line_join(joins.get(join or "", cairo.LINE_JOIN_MITER))
            ctx.set_dash(list(dash) if dash else [])
        return apply
    return style


def _draw_opaque(ctx: Any, cairo: Any, scene: Scene, background: str) -> None:
    from . import opaque

    tracers: dict[str, Callable[..., Callable[[Any], None]]] = {
        "polygon": _polygon_tracer, "rect": _rect_tracer, "circle": _circle_tracer, "path": _path_tracer}
    opaque.draw_scene(ctx, cairo, scene, opaque.rgb(background), _stroke_style(cairo), tracers, _show_text,
                      _image_surface, _png)


def _draw(ctx: Any, cairo: Any, item: Any, raster: bool) -> None:
    if isinstance(item, Group):
        for child in item.children:
            _draw(ctx, cairo, child, raster)
    elif isinstance(item, Path):
        ctx.set_line_cap({"round": cairo.LINE_CAP_ROUND}.get(item.linecap or "", cairo.LINE_CAP_BUTT))
        ctx.set_line_join({"round": cairo.LINE_JOIN_ROUND}.get(item.linejoin or "", cairo.LINE_JOIN_MITER))
        ctx.set_dash(list(item.dash) if item.dash else [])
        if raster and item.fill == "none" and item.stroke != "none" and item.stroke_width > 0:
            _stroke_in_batches(ctx, item)
        else:
            _trace(ctx, item.data)
            _fill_and_stroke(ctx, item.fill, 1.0, item.stroke, item.stroke_width, item.opacity)
    elif isinstance(item, Circle):
        ctx.arc(item.cx, item.cy, item.r, 0, 2 * math.pi)
        _fill_and_stroke(ctx, item.fill, 1.0, item.stroke, item.stroke_width, 1.0)
    elif isinstance(item, Polygon):
        ctx.set_line_join(cairo.LINE_JOIN_ROUND)
        ctx.move_to(*item.points[0])
        for point in item.points[1:]:
            ctx.line_to(*point)
        ctx.close_path()
        _fill_and_stroke(ctx, item.fill, item.fill_opacity, item.stroke, item.stroke_width, item.opacity)
        ctx.set_line_join(cairo.LINE_JOIN_MITER)
    elif isinstance(item, Rect):
        if item.radius:
            _rounded(ctx, item)
        else:
            ctx.rectangle(item.x, item.y, item.width, item.height)
        _fill_and_stroke(ctx, item.fill, 1.0, item.stroke, item.stroke_width, item.opacity)
    elif isinstance(item, Text):
        _text(ctx, cairo, item)
    elif isinstance(item, Image):
        _image(ctx, cairo, item)
    else:
        raise TypeError(f"cannot draw {type(item).__name__}")


def encode(scene: Scene, request: Request) -> Written:
    """The backend's entry point (``nnsvg.formats.Backend``): the scene drawn as one PDF, PNG,
    PS or EPS file."""
    return [(request.name, [draw(scene, request.fmt.name, request.scale)])]


def draw(scene: Scene, fmt: str, scale: float = 1.0) -> bytes:
    """``render``, with cairo's failures (assorted exception types) as an ExportError."""
    try:
        return render(scene, fmt, scale=scale)
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(f"{fmt.upper()} drawing failed: {exc}") from None


def render(scene: Scene, fmt: str, scale: float = 1.0) -> bytes:
    """The scene as PDF, PNG, PS or EPS bytes: the page is the scene's page (PDF/PS in points,
    1 px = 0.75 pt; PNG width × scale pixels), or the physical size it was laid out for. cairo
    writes a temporary file by name (``_scratch`` says why), read back when it is done."""
    cairo = _cairo()
    if fmt not in ("png", "pdf", "ps", "eps"):
        raise ExportError(f"the cairo backend does not write '{fmt}'")
    width, height = scene.size()  # output px: the page, or the physical size it was laid out for
    with _scratch() as (name, read):
        surface, units = _surface(cairo, fmt, name, width, height, scale)
        _paint(cairo.Context(surface), cairo, scene, fmt, units * scene.unit_scale())
        if fmt == "png":
            surface.write_to_png(name)
        surface.finish()
        data = read()
    if fmt == "png":
        return with_dpi(data, scale * CSS_DPI)
    data = reproducible(data, fmt)
    if fmt == "pdf":
        return keep_fonts(data)  # so that pdfTeX does not swap in its own copy of the font
    return with_page_box(data, width * PT_PER_PX, height * PT_PER_PX)


def _surface(cairo: Any, fmt: str, name: str, width: float, height: float, scale: float) -> tuple[Any, float]:
    """The cairo surface of ``fmt`` (a vector one writing the file ``name``), and its units per px."""
    if fmt == "png":
        return cairo.ImageSurface(cairo.FORMAT_ARGB32, round(width * scale), round(height * scale)), scale
    if fmt == "pdf":
        surface = cairo.PDFSurface(name, width * PT_PER_PX, height * PT_PER_PX)
        if hasattr(surface, "set_metadata"):  # cairo 1.16+; older ones get the date replaced below
            stamp = time.gmtime(build_time())
            surface.set_metadata(cairo.PDF_METADATA_CREATE_DATE, time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp))
    else:
        surface = cairo.PSSurface(name, width * PT_PER_PX, height * PT_PER_PX)
        surface.set_eps(fmt == "eps")
    _unlink(name)  # cairo has the file open: on POSIX no name is left behind even if nnsvg is killed
    return surface, PT_PER_PX


def _paint(ctx: Any, cairo: Any, scene: Scene, fmt: str, units: float) -> None:
    """The scene drawn on ``ctx``, ``units`` device units per px."""
    page = scene.page()
    ctx.set_miter_limit(SVG_MITER_LIMIT)
    ctx.scale(units, units)
    ctx.translate(-page.x0, -page.y0)
    if scene.background != "none":
        ctx.rectangle(page.x0, page.y0, page.width, page.height)
        _rgba(ctx, scene.background, 1.0)
        ctx.fill()
    if fmt in ("ps", "eps"):  # PostScript draws opaque paint only: compose it (backends.opaque)
        _draw_opaque(ctx, cairo, scene, scene.background if scene.background != "none" else "#ffffff")
    else:
        for group in scene.groups:
            _draw(ctx, cairo, group, raster=fmt == "png")


CSS_DPI = 96.0  # a px is 1/96 in: a PNG at scale s is 96 × s dots per inch
INCH_M = 0.0254


def with_dpi(png: bytes, dpi: float) -> bytes:
    """The PNG with a pHYs chunk saying ``dpi`` dots per inch (in dots per metre, as PNG stores
    it: 300 dpi = 11811), right after the header chunk, so programs that place images (Word,
    PowerPoint, LaTeX, Inkscape) size it as drawn: 96 × scale dpi, or --dpi N."""
    per_metre = round(dpi / INCH_M)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    end_of_header = 8 + 8 + 13 + 4  # signature, IHDR length and type, IHDR data, CRC
    if png[12:16] != b"IHDR":
        raise ExportError("PNG drawing failed: cairo wrote no PNG header")
    return png[:end_of_header] + chunk + png[end_of_header:]


_BOX = re.compile(rb"^%%(Page)?BoundingBox: [^\n]*$", re.MULTILINE)


def with_page_box(data: bytes, width: float, height: float) -> bytes:
    """PostScript whose bounding box is the page (``width`` × ``height`` pt), as a PDF's page is:
    cairo writes the box of the ink, which on a transparent page leaves out the margin (and
    would make a figure laid out for 3.5 in a little narrower). The exact size follows in
    ``%%HiResBoundingBox``."""
    box = f"0 0 {math.ceil(width - 1e-6)} {math.ceil(height - 1e-6)}".encode()
    exact = f"0 0 {width:.4f} {height:.4f}".encode()

    def replace(match: re.Match[bytes]) -> bytes:
        if match.group(1):
            return b"%%PageBoundingBox: " + box
        return b"%%BoundingBox: " + box + b"\n%%HiResBoundingBox: " + exact

    return _BOX.sub(replace, data)


def build_time() -> int:
    """The date written into PDF and PostScript files: ``SOURCE_DATE_EPOCH`` when it is set (the
    reproducible-builds convention), else 0 (1970-01-01, "no date"), so the same input always
    gives the same bytes."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() and len(value) <= 12 else 0


_PDF_DATE = re.compile(rb"(/CreationDate \((?:D:)?)[0-9]{14}")
_PS_DATE = re.compile(rb"^%%CreationDate: [^\n]*$", re.MULTILINE)


def reproducible(data: bytes, fmt: str) -> bytes:
    """The document with its creation date set to ``build_time()`` (cairo writes the current time
    into PostScript, and into PDF when it cannot be told otherwise). In a PDF only the 14 digits
    change, so every byte offset in its cross-reference table stays right."""
    stamp = time.gmtime(build_time())
    if fmt == "pdf":
        digits = time.strftime("%Y%m%d%H%M%S", stamp).encode()
        return _PDF_DATE.sub(lambda m: m.group(1) + digits, data, count=1)
    if fmt in ("ps", "eps"):
        return _PS_DATE.sub(b"%%CreationDate: " + time.strftime("%a %b %d %H:%M:%S %Y", stamp).encode(), data,
                            count=1)
    return data
