"""The SVG backend: a Scene written as an SVG document with svgwrite.

The viewBox is the scene's page (drawing + margin, widened to whole px) and width/height carry
``px`` units, so a PDF page is exactly the drawing (1 px = 0.75 pt) and a PNG is width × scale
pixels. Numbers become text here and only here (``fmt``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from ..scene import Circle, Group, Image, PathData, Polygon, Rect, Scene, Text, fmt, path_parts
from ..scene import Path as PathPrim


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
