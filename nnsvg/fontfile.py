"""Font files opened safely: the checks a font file passes before fontTools (or cairo) reads it,
and fontTools's failures turned into one error that names the file.

fontTools believes a file's numbers: a table that claims 512 MB is given a 512 MB buffer, a
``name`` table of 5,000 records that share one 64 KB string becomes 350 MB of copies, a ``cmap``
whose ranges overlap expands to billions of code points, and cairo's font subsetter reads past
the end of a ``name`` table whose records point outside it (a crash). So before fontTools sees a
file it must be a regular file (never a FIFO or a device: it is opened without blocking) of at
most ``MAX_FONT_BYTES``; a TrueType or OpenType font (or collection) whose every table lies inside
the file; and the tables nnsvg reads are checked for what they claim: ``head``, ``maxp``,
``hhea``, ``hmtx`` (sizes and counts), ``name`` (its records inside the table; nnsvg reads the
family name itself, from the few records it needs), ``cmap`` (the code points its Unicode
subtables map, counted from their ranges, at most ``MAX_MAPPED_CODE_POINTS``). fontTools then
reads the file lazily, a table when it is first used; whatever it still raises (its exception
types are many) becomes a ``ThemeError`` naming the file, and its log messages and warnings are
kept off the terminal. A glyph's outline is bounded where it is drawn (``nnsvg.outlines``).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO

from .errors import NnsvgError, ThemeError
from .reading import open_regular
from .text import clip, quote, shown_path

# the largest real font files, CJK collections and variable CJK fonts, are 20-60 MB; nnsvg reads
# only the tables it uses, so the limit bounds a damaged directory, not what is read
MAX_FONT_BYTES = 128 * 2**20
# the tables read whole to measure text (cmap, hmtx, name, post, ...): a CJK font's cmap with its
# variation sequences is about 1 MB, hmtx at most 256 KB; a bigger one is damage or a bomb
MAX_TABLE_BYTES = 16 * 2**20
# Unicode has 1.1 million code points, but the widest real fonts (Noto CJK, Unifont) map under
# 100,000; a cmap of the whole code space costs ~300 MB of Python dictionaries to measure
MAX_MAPPED_CODE_POINTS = 200_000
MAX_TABLES = 200  # a font has 10 to 60 tables; the directory is refused beyond this
MAX_FAMILY_CHARS = 200  # a family name longer than this is cut (real ones are under 64)

_SFNT = {b"\x00\x01\x00\x00", b"OTTO", b"true"}  # TrueType, OpenType (CFF), Apple TrueType
_WEB = {b"wOFF": "WOFF", b"wOF2": "WOFF2"}
# the cmap subtables fontTools may decompile for nnsvg: getBestCmap's and the glyph names' (3, 1)
_UNICODE = {(3, 1), (3, 10)} | {(0, encoding) for encoding in (0, 1, 2, 3, 4, 6)}


def font_error(path: str, problem: str) -> ThemeError:
    """The error about the font file at ``path``: ``problem`` ends the sentence."""
    return ThemeError(f"text.family: font file {shown_path(path)} {problem}")


class Damaged(Exception):
    """A check failed: what is wrong with the file's tables (``reading`` names the file)."""

    lead = "is damaged: "


class NotAFont(Damaged):
    """The file is whole, but not a font nnsvg reads (the message says what it is)."""

    lead = ""


@contextmanager
def reading(path: str) -> Iterator[None]:
    """Run fontTools on the font file at ``path``: whatever it raises becomes one ThemeError
    naming the file; its warnings are dropped (its log messages go nowhere: ``_fonttools``)."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except NnsvgError:
        raise
    except Damaged as exc:
        raise font_error(path, f"{exc.lead}{exc}") from None
    except Exception as exc:  # fontTools reports a damaged table as assorted exception types
        why = clip(f"{type(exc).__name__}: {exc}", 120)
        raise font_error(path, f"is damaged: fontTools cannot read it ({why})") from None


def _fonttools() -> Any:
    """fontTools's TTFont class; its loggers given a handler that drops their messages, so a
    font's oddities ("'created' timestamp seems very low") never reach the terminal bare (an
    application that configures logging still receives them)."""
    import logging

    from fontTools.ttLib import TTFont

    logger = logging.getLogger("fontTools")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    return TTFont


@dataclass(frozen=True)
class Opened:
    tt: Any  # the lazy fontTools TTFont, reading the open file
    family: str | None  # the family name of its name table (None: no name that can be shown)


def open_font(path: str, index: int) -> Opened:
    """The font ``index`` of the file at ``path``, after the checks above; a ThemeError naming
    the file when it fails one or fontTools cannot open it."""
    try:
        with open_regular(path, MAX_FONT_BYTES, "font file", ThemeError) as (fd, _):
            file = os.fdopen(os.dup(fd), "rb")  # fontTools reads it a table at a time, later on
    except ThemeError as exc:
        raise ThemeError(f"text.family: {exc}") from None
    try:
        with reading(path):
            tables = check(file, index)
            TTFont = _fonttools()
            return Opened(TTFont(file, fontNumber=index, lazy=True), family_name(tables.get("name")))
    except BaseException:
        file.close()
        raise


def _read(file: BinaryIO, offset: int, length: int) -> bytes:
    file.seek(offset)
    data = file.read(length)
    if len(data) != length:
        raise Damaged("it is shorter than its table directory says")
    return data


Tables = dict[str, tuple[int, int]]  # tag: (offset, length)


def check(file: BinaryIO, index: int) -> dict[str, bytes]:
    """The checks of the module's docstring; returns the small tables it read, by tag."""
    size = file.seek(0, 2)
    directory = _directory(file, size, index)
    read: dict[str, bytes] = {}
    for tag in ("head", "maxp", "hhea", "hmtx", "cmap", "name", "post"):
        if tag not in directory:
            if tag in ("name", "post"):
                continue
            raise Damaged(f"it has no '{tag}' table")
        offset, length = directory[tag]
        if length > MAX_TABLE_BYTES:
            raise Damaged(f"its '{tag}' table claims {length:,} bytes, more than any font's")
        if tag != "post":  # fontTools reads it (the glyph names); nnsvg checks only its size
            read[tag] = _read(file, offset, length)
    _check_head_and_metrics(read)
    if "name" in read:
        _name_records(read["name"])
    _check_cmap(read["cmap"])
    return read


def _directory(file: BinaryIO, size: int, index: int) -> Tables:
    """The table directory of font ``index``, every table checked to lie inside the file."""
    head = _read(file, 0, 12) if size >= 12 else b""
    start = 0
    if head[:4] == b"ttcf":
        count = struct.unpack(">I", head[8:12])[0]
        if not 0 <= index < count or 12 + 4 * count > size:
            raise NotAFont(f"is a collection of {count:,} fonts, with no font number {index}")
        start = struct.unpack(">I", _read(file, 12 + 4 * index, 4))[0]
        head = _read(file, start, 12) if start + 12 <= size else b""
    if head[:4] in _WEB:
        raise NotAFont(f"is a {_WEB[head[:4]]} web font: nnsvg reads TrueType and OpenType fonts (.ttf, .otf)")
    if head[:4] not in _SFNT:
        raise NotAFont(f"is not a TrueType or OpenType font (it starts with {quote(head[:4])})")
    count = struct.unpack(">H", head[4:6])[0]
    if count > MAX_TABLES or start + 12 + 16 * count > size:
        raise Damaged(f"its table directory claims {count:,} tables")
    records = _read(file, start + 12, 16 * count)
    tables: Tables = {}
    for i in range(count):
        raw, _, offset, length = struct.unpack(">4sIII", records[16 * i: 16 * i + 16])
        tag = raw.decode("latin-1")
        if offset + length > size:
            raise Damaged(f"its {quote(tag)} table ({length:,} bytes at {offset:,}) runs past the end of the "
                          f"file ({size:,} bytes)")
        tables[tag] = (offset, length)
    return tables


def _check_head_and_metrics(read: dict[str, bytes]) -> None:
    head, maxp, hhea = read["head"], read["maxp"], read["hhea"]
    if len(head) < 54 or head[12:16] != b"\x5f\x0f\x3c\xf5":
        raise Damaged("its 'head' table is not one (wrong size or magic number)")
    units = struct.unpack(">H", head[18:20])[0]
    if not 16 <= units <= 16384:
        raise Damaged(f"its 'head' table gives {units} units per em (fonts have 16 to 16,384)")
    if len(maxp) < 6 or len(hhea) < 36:
        raise Damaged("its 'maxp' or 'hhea' table is too short")
    glyphs = struct.unpack(">H", maxp[4:6])[0]
    metrics = min(struct.unpack(">H", hhea[34:36])[0], glyphs)  # fontTools uses no more than the glyphs
    if glyphs == 0 or metrics == 0:
        raise Damaged(f"it claims {glyphs:,} glyphs and {metrics:,} advance widths")
    if len(read["hmtx"]) < 4 * metrics + 2 * (glyphs - metrics):
        raise Damaged(f"its 'hmtx' table is too short for {glyphs:,} glyphs")


Record = tuple[int, int, int, int, bytes]  # platform, encoding, language, name ID, text


def _name_records(data: bytes) -> list[Record]:
    """The records of a name table, each checked to lie inside it (cairo reads them unchecked)."""
    if len(data) < 6:
        raise Damaged("its 'name' table is too short")
    _, count, storage = struct.unpack(">HHH", data[:6])
    if 6 + 12 * count > len(data) or storage > len(data):
        raise Damaged(f"its 'name' table claims {count:,} names, more than it holds")
    records: list[Record] = []
    for i in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack(">6H", data[6 + 12 * i: 18 + 12 * i])
        if storage + offset + length > len(data):
            raise Damaged(f"name {i + 1} of its 'name' table lies outside the table")
        if name_id in (1, 16, 21):
            records.append((platform, encoding, language, name_id, data[storage + offset: storage + offset + length]))
    return records


def _decode(record: Record) -> str | None:
    platform, encoding, _, _, text = record
    if platform == 0 or (platform == 3 and encoding in (0, 1, 10)):
        value = text.decode("utf-16-be", "replace")
    elif platform == 1 and encoding == 0:
        value = text.decode("mac-roman")
    else:
        return None
    value = " ".join(value.split())[:MAX_FAMILY_CHARS]
    return value if value and value.isprintable() else None


def family_name(data: bytes | None) -> str | None:
    """The family name of a name table, as fontTools's ``getBestFamilyName`` chooses it (the
    WWS, typographic, then legacy family name; English when there is one), read from the name
    records alone: a text that cannot be shown (control characters) counts as none."""
    records = _name_records(data) if data is not None else []
    for name_id in (21, 16, 1):
        found = [(r, text) for r in records if r[3] == name_id and (text := _decode(r)) is not None]
        english = [text for r, text in found if (r[0], r[2]) in ((1, 0), (3, 0x409))]
        if english or found:
            return (english or [text for _, text in found])[0]
    return None


def _check_cmap(data: bytes) -> None:
    """Each Unicode subtable of a cmap lies inside it and maps at most MAX_MAPPED_CODE_POINTS."""
    if len(data) < 4:
        raise Damaged("its 'cmap' table is too short")
    count = struct.unpack(">H", data[2:4])[0]
    if 4 + 8 * count > len(data):
        raise Damaged(f"its 'cmap' table claims {count:,} subtables, more than it holds")
    seen: set[int] = set()
    for i in range(count):
        platform, encoding, offset = struct.unpack(">HHI", data[4 + 8 * i: 12 + 8 * i])
        if (platform, encoding) not in _UNICODE or offset in seen:
            continue
        seen.add(offset)
        mapped = _subtable_size(data, offset)
        if mapped > MAX_MAPPED_CODE_POINTS:
            raise Damaged(f"its 'cmap' table maps {mapped:,} code points (fonts map at most "
                          f"{MAX_MAPPED_CODE_POINTS:,})")


def _subtable_size(data: bytes, offset: int) -> int:
    """How many code points a Unicode cmap subtable maps, counted from its ranges."""
    if offset + 8 > len(data):
        raise Damaged("a subtable of its 'cmap' table lies outside the table")
    kind = struct.unpack(">H", data[offset: offset + 2])[0]
    if kind in (0, 6):  # 256 codes; a run of at most 65,535
        return 256 if kind == 0 else struct.unpack(">H", data[offset + 8: offset + 10])[0]
    if kind == 4:
        return _format4_size(data, offset)
    if kind in (12, 13):
        return _format12_size(data, offset)
    raise Damaged(f"its 'cmap' table has a Unicode subtable of format {kind}, which Unicode subtables never use")


def _format4_size(data: bytes, offset: int) -> int:
    segments = struct.unpack(">H", data[offset + 6: offset + 8])[0] // 2
    if offset + 16 + 8 * segments > len(data):
        raise Damaged("a subtable of its 'cmap' table runs past the table's end")
    ends = struct.unpack(f">{segments}H", data[offset + 14: offset + 14 + 2 * segments])
    starts = struct.unpack(f">{segments}H", data[offset + 16 + 2 * segments: offset + 16 + 4 * segments])
    total = 0
    for start, end in zip(starts, ends):
        total += max(0, end - start + 1)
    if total > 0x10000:  # fontTools walks every range, overlapping or not
        raise Damaged(f"its format 4 'cmap' subtable's ranges overlap ({total:,} code points in 65,536)")
    return total


def _format12_size(data: bytes, offset: int) -> int:
    if offset + 16 > len(data):
        raise Damaged("a subtable of its 'cmap' table runs past the table's end")
    groups = struct.unpack(">I", data[offset + 12: offset + 16])[0]
    if offset + 16 + 12 * groups > len(data):
        raise Damaged(f"its 'cmap' subtable claims {groups:,} ranges, more than it holds")
    total, last = 0, 0
    for i in range(groups):  # as fontTools keeps them: clamped to U+10FFFF, sorted ones only
        start, end = struct.unpack(">II", data[offset + 16 + 12 * i: offset + 24 + 12 * i])
        end = min(end, 0x10FFFF)
        if start <= end and start >= last:
            total += end - start + 1
            last = end
    return total
