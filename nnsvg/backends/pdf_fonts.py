"""The embedded fonts of a PDF renamed so that pdfTeX keeps them.

When pdfTeX includes a PDF (``\\includegraphics{fig.pdf}``) it replaces every embedded Type 1
font whose PostScript name its font map knows by its own copy (``\\pdfinclusioncopyfonts=0``,
the default). For a figure drawn in the paper's own font (Latin Modern, TeX Gyre, CM Unicode…)
that copy is the subset the document itself uses, or the TeX encoding of the font: glyphs the
figure has and the document lacks (¹, ², ∈ from the same font) are lost, silently — the PDF
alone is right. A name the map does not know keeps the figure's font: each embedded Type 1
font's ``/BaseFont`` and its descriptor's ``/FontName`` get ``SUFFIX`` (the subset tag and the
name stay readable: ``MEEBQK+LMRoman10-Regular-nnsvg``). XeTeX and LuaTeX copy fonts as they
are; the rename changes nothing for them or for a viewer.

The PDF is cairo's: a classic cross-reference table and plain dictionaries. The names are
rewritten in the font dictionaries only (never inside a stream) and the table's offsets moved by
what each rewrite added; anything else (a cross-reference stream, an unexpected table) is left
as it was.
"""

from __future__ import annotations

import re

SUFFIX = b"-nnsvg"
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SECTION = re.compile(rb"(\d+) (\d+)\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_NAME = re.compile(rb"/(BaseFont|FontName)\s*/([!-~]+?)(?=[\s/<>\[\]()]|$)")


def keep_fonts(pdf: bytes) -> bytes:
    """``pdf`` with its embedded Type 1 fonts renamed (see the module), or as it was."""
    table = _xref(pdf)
    if table is None:
        return pdf
    xref_at, entries = table
    heads = {number: _head(pdf, offset) for number, offset in entries.items()}
    names = {_base_font(head) for head in heads.values() if b"/Subtype /Type1" in head and b"/Type /Font" in head}
    names.discard(None)
    if not names:
        return pdf
    edits: list[tuple[int, int, bytes]] = []  # (start, end, new bytes)
    for number, head in heads.items():
        for match in _NAME.finditer(head):
            if match.group(2) in names and not match.group(2).endswith(SUFFIX):
                at = entries[number] + match.start(2)
                edits.append((at, at + len(match.group(2)), match.group(2) + SUFFIX))
    return _rewrite(pdf, sorted(edits), xref_at, entries)


def _xref(pdf: bytes) -> tuple[int, dict[int, int]] | None:
    """The offset of the cross-reference table and each object's offset, or None when the file
    has no classic table at its ``startxref``."""
    end = _STARTXREF.search(pdf[-64:])
    if end is None:
        return None
    at = int(end.group(1))
    if pdf[at:at + 4] != b"xref":
        return None
    position, entries = at + 4, {}
    while True:
        while pdf[position:position + 1] in (b"\r", b"\n", b" "):
            position += 1
        section = _SECTION.match(pdf, position)
        if section is None:
            break
        first, count = int(section.group(1)), int(section.group(2))
        position = section.end()
        for index in range(count):
            entry = _ENTRY.match(pdf, position + 20 * index)
            if entry is None:
                return None
            if entry.group(3) == b"n":
                entries[first + index] = int(entry.group(1))
        position += 20 * count
    return (at, entries) if pdf[position:position + 7] == b"trailer" else None


def _head(pdf: bytes, offset: int) -> bytes:
    """An object's dictionary: from its offset to its stream or its end, whichever comes first."""
    stop = len(pdf)
    for word in (b"stream", b"endobj"):
        found = pdf.find(word, offset)
        if found != -1:
            stop = min(stop, found)
    return pdf[offset:stop]


def _base_font(head: bytes) -> bytes | None:
    for match in _NAME.finditer(head):
        if match.group(1) == b"BaseFont":
            return match.group(2)
    return None


def _rewrite(pdf: bytes, edits: list[tuple[int, int, bytes]], xref_at: int, entries: dict[int, int]) -> bytes:
    """``pdf`` with ``edits`` made, every offset in the table (and startxref) moved by what the
    edits before it added."""
    def moved(offset: int) -> int:
        return offset + sum(len(new) - (end - start) for start, end, new in edits if start < offset)

    parts, last = [], 0
    for start, end, new in edits:
        parts += [pdf[last:start], new]
        last = end
    parts.append(pdf[last:xref_at])
    table = pdf[xref_at:]
    trailer = table.index(b"trailer")

    def entry(match: re.Match[bytes]) -> bytes:
        if match.group(3) != b"n":
            return match.group(0)
        return b"%010d %s n" % (moved(int(match.group(1))), match.group(2))

    table = _ENTRY.sub(entry, table[:trailer]) + table[trailer:]
    tail = _STARTXREF.search(table)
    assert tail is not None  # found by _xref
    return b"".join(parts) + table[:tail.start(1)] + b"%d" % moved(xref_at) + table[tail.end(1):]
