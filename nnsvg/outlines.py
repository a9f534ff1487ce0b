"""Text as outlines: every label of a scene replaced by the outlines of its glyphs (fontTools),
for journals that reject embedded fonts and SVGs that must look the same on every machine.

Each character is drawn from the font that measures it (``nnsvg.fonts``: the label font, or the
fallback that has the glyph), advanced by the same widths the layout used, so the outlines sit
exactly where the text would and the page does not change: the path keeps the text's box as its
extent. A label whose font has no file (a DejaVu family measured from nnsvg's table when DejaVu
is not installed) stays text, with a note.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from . import fonts
from .scene import Close, CubicTo, Group, LineTo, MoveTo, Path, QuadTo, Scene, Segment, Text

Op = tuple[str, tuple[float, ...]]  # "M", "L", "Q", "C", "Z" with points in font units


@cache
def _glyph(path: str, index: int, cp: int) -> tuple[tuple[Op, ...], float]:
    """The outline of code point ``cp`` in a font file, in font units (y up), and the font's
    units per em."""
    from fontTools.pens.basePen import BasePen

    tt = fonts._ttfont(path, index)
    upm = float(tt["head"].unitsPerEm)
    name = (tt.getBestCmap() or {}).get(cp, ".notdef")
    ops: list[Op] = []

    class Recorder(BasePen):  # type: ignore[misc]  # fontTools publishes no types
        def _moveTo(self, pt: Any) -> None:
            ops.append(("M", (pt[0], pt[1])))

        def _lineTo(self, pt: Any) -> None:
            ops.append(("L", (pt[0], pt[1])))

        def _curveToOne(self, p1: Any, p2: Any, p3: Any) -> None:
            ops.append(("C", (p1[0], p1[1], p2[0], p2[1], p3[0], p3[1])))

        def _qCurveToOne(self, p1: Any, p2: Any) -> None:
            ops.append(("Q", (p1[0], p1[1], p2[0], p2[1])))

        def _closePath(self) -> None:
            ops.append(("Z", ()))

    glyphs = tt.getGlyphSet()
    glyphs[name].draw(Recorder(glyphs))
    return tuple(ops), upm


@cache
def font_path(font: fonts.Font) -> tuple[str, int] | None:
    """The file of a font: its own, or, for a table font found without fontconfig, the file
    fontconfig has for its family (None when DejaVu is not installed)."""
    if font.path is not None:
        return font.path, font.index
    found = fonts.find(font.family)
    return (found.path, found.index) if found is not None and found.path is not None else None


def outline(text: Text) -> Path | None:
    """The glyph outlines of a text as one filled path (None: a font without a file)."""
    found = fonts.resolve(text.family)
    width = text.size * found.advance(text.text)
    x = text.x - {"start": 0.0, "middle": width / 2, "end": width}[text.anchor]
    segments: list[Segment] = []
    for font, run in found.runs(text.text):
        where = font_path(font)
        if where is None:
            return None
        widths = font.metrics.widths
        for ch in run:
            ops, upm = _glyph(where[0], where[1], ord(ch))
            k = text.size / upm
            for op, p in ops:
                if op == "M":
                    segments.append(MoveTo(x + p[0] * k, text.y - p[1] * k))
                elif op == "L":
                    segments.append(LineTo(x + p[0] * k, text.y - p[1] * k))
                elif op == "Q":
                    segments.append(QuadTo(x + p[0] * k, text.y - p[1] * k, x + p[2] * k, text.y - p[3] * k))
                elif op == "C":
                    segments.append(CubicTo(x + p[0] * k, text.y - p[1] * k, x + p[2] * k, text.y - p[3] * k,
                                            x + p[4] * k, text.y - p[5] * k))
                else:
                    segments.append(Close())
            x += text.size * widths.get(ord(ch), fonts.MISSING_GLYPH_EM)
    if not segments:
        segments.append(MoveTo(text.x, text.y))
    return Path(tuple(segments), text.box, fill=text.fill, cls=text.cls)


def outline_scene(scene: Scene) -> None:
    """Replace every text of ``scene`` by its outlines, in place (a note for any that stays)."""
    kept: set[str] = set()

    def walk(group: Group) -> None:
        for i, child in enumerate(group.children):
            if isinstance(child, Group):
                walk(child)
            elif isinstance(child, Text):
                path = outline(child)
                if path is None:
                    kept.add(fonts.resolve(child.family).primary.family)
                else:
                    group.children[i] = path

    for group in scene.groups:
        walk(group)
    for family in sorted(kept):
        scene.notes.append(f"--text-as-paths: no file of the font {family} is installed, so its labels stay text")
