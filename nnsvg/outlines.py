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

from . import fontfile, fonts
from .scene import Close, CubicTo, Group, LineTo, MoveTo, Path, QuadTo, Scene, Segment, Text
from .text import quote

Op = tuple[str, tuple[float, ...]]  # "M", "L", "Q", "C", "Z" with points in font units


# a glyph's outline: real glyphs have hundreds of points (DejaVu's most complex, 852), CJK ones
# a few thousand at most; a composite of composites (or a charstring of subroutines calling each
# other twice) doubles with every level, and would draw billions
MAX_GLYPH_POINTS = 20_000
MAX_COMPONENT_DEPTH = 16  # real composites nest 1 to 3 deep
# the code a CFF glyph runs, its subroutines counted at every call: 145 bytes on average in the
# 108 CFF fonts of a TeX Live machine, 655 at most (a subroutinised CJK font's: a few KB)
MAX_CHARSTRING_BYTES = 50_000
MAX_SUBR_DEPTH = 10  # the CFF specification's limit on nested subroutine calls


@cache
def _glyph(path: str, index: int, cp: int) -> tuple[tuple[Op, ...], float]:
    """The outline of code point ``cp`` in a font file, in font units (y up), and the font's
    units per em."""
    tt = fonts._ttfont(path, index).tt
    with fontfile.reading(path):
        name = (tt.getBestCmap() or {}).get(cp, ".notdef")
    return _outline(path, index, name)


@cache
def _outline(path: str, index: int, name: str) -> tuple[tuple[Op, ...], float]:
    """The outline of the glyph ``name`` (drawn once, however many characters it draws)."""
    tt = fonts._ttfont(path, index).tt
    with fontfile.reading(path):
        upm = float(tt["head"].unitsPerEm)
        ops: list[Op] = []
        if not any(tag in tt for tag in ("glyf", "CFF ", "CFF2")):
            raise fontfile.NotAFont("has no glyph outlines (TrueType or CFF) to draw as paths")
        glyphs = tt.getGlyphSet()
        if "glyf" in tt:
            _composite_cost(tt["glyf"], name, 0, {})
        else:
            _budget(glyphs.charStrings[name])
        glyphs[name].draw(_recorder(glyphs, ops))
        return tuple(ops), upm


def _composite_cost(glyf: Any, name: str, depth: int, costs: dict[str, int]) -> int:
    """The points a TrueType glyph draws, its components expanded (each counted as a point too):
    a composite nested too deep, or drawing more than MAX_GLYPH_POINTS, is refused unexpanded."""
    if name in costs:
        return costs[name]
    if depth > MAX_COMPONENT_DEPTH:
        raise fontfile.Damaged(f"its glyph {quote(name)} has components nested more than "
                               f"{MAX_COMPONENT_DEPTH} deep (or in a loop)")
    glyph = glyf[name]
    if glyph.isComposite():
        cost = sum(1 + _composite_cost(glyf, c.glyphName, depth + 1, costs) for c in glyph.components)
    else:
        cost = len(glyph.coordinates) if glyph.numberOfContours > 0 else 0
    if cost > MAX_GLYPH_POINTS:
        raise fontfile.Damaged(f"its glyph {quote(name)} has more than {MAX_GLYPH_POINTS:,} points")
    costs[name] = cost
    return cost


def _budget(charstring: Any) -> None:
    """Give a CFF charstring an interpreter that stops after MAX_CHARSTRING_BYTES of code (its
    subroutines' counted at every call) or beyond MAX_SUBR_DEPTH nested calls."""
    from fontTools.misc.psCharStrings import T2OutlineExtractor

    class Budgeted(T2OutlineExtractor):  # type: ignore[misc]  # fontTools publishes no types
        spent = 0

        def execute(self, charString: Any) -> None:
            code = charString.bytecode if charString.bytecode is not None else charString.program
            self.spent += len(code or ())
            if self.spent > MAX_CHARSTRING_BYTES:
                raise fontfile.Damaged(f"a glyph's charstring runs more than {MAX_CHARSTRING_BYTES:,} bytes of code")
            if self.subrLevel > MAX_SUBR_DEPTH:
                raise fontfile.Damaged(f"a glyph's charstring nests more than {MAX_SUBR_DEPTH} subroutines")
            super().execute(charString)

    charstring.outlineExtractor = Budgeted


def _recorder(glyphs: Any, ops: list[Op]) -> Any:
    """A pen recording a glyph's outline into ``ops``, at most MAX_GLYPH_POINTS of them."""
    from fontTools.pens.basePen import BasePen

    def add(op: Op) -> None:
        if len(ops) >= MAX_GLYPH_POINTS:
            raise fontfile.Damaged(f"a glyph has more than {MAX_GLYPH_POINTS:,} points")
        ops.append(op)

    class Recorder(BasePen):  # type: ignore[misc]  # fontTools publishes no types
        def _moveTo(self, pt: Any) -> None:
            add(("M", (pt[0], pt[1])))

        def _lineTo(self, pt: Any) -> None:
            add(("L", (pt[0], pt[1])))

        def _curveToOne(self, p1: Any, p2: Any, p3: Any) -> None:
            add(("C", (p1[0], p1[1], p2[0], p2[1], p3[0], p3[1])))

        def _qCurveToOne(self, p1: Any, p2: Any) -> None:
            add(("Q", (p1[0], p1[1], p2[0], p2[1])))

        def _closePath(self) -> None:
            add(("Z", ()))

    return Recorder(glyphs)


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
