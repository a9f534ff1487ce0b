"""Export: a Scene as SVG text (svgwrite); a Scene drawn as PDF/PNG/EPS/PS by the cairo backend
(``draw``), or SVG text converted by cairosvg (``convert``, the reference route the tests compare
against); both imported only when used. And atomic file writes.

The SVG's viewBox is the scene's page (drawing + margin, widened to whole px) and its
width/height carry ``px`` units, so a PDF page is exactly the drawing (1 px = 0.75 pt) and a
PNG is width × scale pixels.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .errors import ExportError
from .scene import Circle, Group, Image, PathData, Polygon, Rect, Scene, Text, fmt, path_parts
from .scene import Path as PathPrim

FORMATS = {".svg": "svg", ".pdf": "pdf", ".png": "png", ".eps": "eps", ".ps": "ps"}


def format_for(path: str | os.PathLike[str]) -> str:
    """The output format for a file name, from its extension."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise ExportError(f"output '{path}': {shown} is not a format nnsvg writes "
                          f"(use {', '.join(FORMATS)})")
    return FORMATS[suffix]


# --- SVG ----------------------------------------------------------------------------------

def _style(kw: dict[str, Any], prim: Any) -> dict[str, Any]:
    kw["fill"] = prim.fill
    if prim.stroke != "none":
        kw["stroke"] = prim.stroke
        kw["stroke_width"] = fmt(prim.stroke_width)
    if getattr(prim, "opacity", 1.0) != 1.0:
        kw["opacity"] = fmt(prim.opacity) if prim.opacity >= 0.01 else f"{prim.opacity:.4f}"
    if getattr(prim, "cls", None):
        kw["class_"] = prim.cls
    return kw


def _element(dwg: Any, item: Any, spliced: list[PathData]) -> Any:
    if isinstance(item, Group):
        kw = {}
        if item.id:
            kw["id"] = item.id
        if item.cls:
            kw["class_"] = item.cls
        group = dwg.g(**kw)
        for child in item.children:
            group.add(_element(dwg, child, spliced))
        return group
    if isinstance(item, Circle):
        return dwg.circle(center=(fmt(item.cx), fmt(item.cy)), r=fmt(item.r), **_style({}, item))
    if isinstance(item, PathPrim):
        kw = _style({}, item)
        if item.id:
            kw["id"] = item.id
        if item.linejoin:
            kw["stroke_linejoin"] = item.linejoin
        if item.linecap:
            kw["stroke_linecap"] = item.linecap
        if item.dash:
            kw["stroke_dasharray"] = item.dash
        data = item.data
        if isinstance(data, str) and len(data) <= SPLICE_ABOVE:
            return dwg.path(d=data, **kw)
        spliced.append(data)
        return dwg.path(d=f"@@nnsvg-path-{len(spliced) - 1}@@", **kw)
    if isinstance(item, Polygon):
        kw = _style({}, item)
        if item.stroke != "none":
            kw["stroke_linejoin"] = "round"
        if item.fill_opacity != 1.0:
            kw["fill_opacity"] = fmt(item.fill_opacity)
        return dwg.polygon(points=[(fmt(x), fmt(y)) for x, y in item.points], **kw)
    if isinstance(item, Rect):
        kw = _style({}, item)
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
        kw = {"font_family": item.family, "font_size": fmt(item.size), "fill": item.fill}
        if item.anchor != "start":
            kw["text_anchor"] = item.anchor
        if item.cls:
            kw["class_"] = item.cls
        return dwg.text(item.text, insert=(fmt(item.x), fmt(item.y)), **kw)
    raise TypeError(f"cannot export {type(item).__name__}")


_SPLICE = re.compile(r"@@nnsvg-path-(\d+)@@")
SPLICE_ABOVE = 4096  # path data longer than this is spliced in, not escaped by the XML writer


def svg_parts(scene: Scene, debug: bool = False) -> Iterator[str]:
    """The scene as a standalone SVG document, in pieces. The document's structure is built
    with svgwrite; long path data (digits, commas and path commands, so nothing to escape) is
    spliced into it as it is written, so a 535,000-edge figure is never copied whole.
    ``debug`` turns on svgwrite's attribute validation (used by the tests)."""
    import svgwrite

    page = scene.page()
    width, height = fmt(page.width), fmt(page.height)
    dwg = svgwrite.Drawing(size=(f"{width}px", f"{height}px"), profile="full", debug=debug)
    dwg.attribs["viewBox"] = " ".join(fmt(v) for v in (page.x0, page.y0, page.width, page.height))
    if scene.title:
        dwg.set_desc(title=scene.title)
    if scene.background != "none":
        dwg.add(dwg.rect(insert=(fmt(page.x0), fmt(page.y0)), size=(width, height),
                         fill=scene.background, class_="background"))
    spliced: list[PathData] = []
    for group in scene.groups:
        dwg.add(_element(dwg, group, spliced))
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
        yield from path_parts(spliced[int(match.group(1))])
        position = match.end()
    yield body[position:] + "\n"


def to_svg(scene: Scene, debug: bool = False) -> str:
    """The scene as one SVG document string."""
    return "".join(svg_parts(scene, debug))


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


# --- conversion ---------------------------------------------------------------------------

def draw(scene: Scene, fmt_name: str, *, scale: float = 1.0) -> bytes:
    """The scene drawn directly with cairo as PDF, PNG, PS or EPS (see ``cairo_backend``)."""
    from . import cairo_backend

    try:
        return cairo_backend.render(scene, fmt_name, scale=scale)
    except ExportError:
        raise
    except Exception as exc:  # cairo reports its failures as assorted exception types
        raise ExportError(f"{fmt_name.upper()} drawing failed: {exc}") from None


def convert(svg: str, fmt_name: str, *, scale: float = 1.0) -> bytes:
    """The SVG as bytes of ``fmt_name`` (svg, pdf, png, eps, ps). ``scale`` sizes a PNG:
    width × scale pixels."""
    if fmt_name == "svg":
        return svg.encode("utf-8")
    if fmt_name not in FORMATS.values():
        raise ExportError(f"unknown output format '{fmt_name}'")
    try:
        import cairosvg
    except (ImportError, OSError) as exc:
        raise ExportError(f"{fmt_name.upper()} output needs cairosvg and the cairo library "
                          f"({exc}); SVG output works without them") from None
    function = {"pdf": cairosvg.svg2pdf, "png": cairosvg.svg2png, "eps": cairosvg.svg2eps,
                "ps": cairosvg.svg2ps}[fmt_name]
    options: dict[str, Any] = {"scale": scale} if fmt_name == "png" else {}
    try:
        data = function(bytestring=svg.encode("utf-8"), **options)
    except Exception as exc:  # cairo reports its failures as assorted exception types
        raise ExportError(f"{fmt_name.upper()} conversion failed: {exc}") from None
    return data  # type: ignore[no-any-return]


# --- files --------------------------------------------------------------------------------

def check_target(path: str | os.PathLike[str]) -> Path:
    """The output path, if a file can be written there; an ExportError otherwise."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportError(f"output '{path}' is a directory")
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"output '{path}': folder '{folder}' does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"output '{path}': folder '{folder}' is not writable")
    return target


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place: the
    old file stays whole until the new one is complete, and no partial file is left."""
    target = check_target(path)
    try:
        mode = target.stat().st_mode & 0o777 if target.exists() else _new_file_mode()
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise ExportError(f"cannot write '{path}': {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:  # chunks, produced while writing: a failure midway still leaves no trace
                for chunk in data:
                    handle.write(chunk)
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write '{path}': {exc.strerror or exc}") from None
        raise
    return target
