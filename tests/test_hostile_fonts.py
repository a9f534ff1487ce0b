"""Hostile font files and signals while cairo writes (nnsvg issue 24).

A theme's ``text.family`` may name a font file: a damaged one (any table zeroed, filled with
random bytes, half zeroed, claiming 512 MB, pointing past the end, or the file cut short), a bomb
(a name table whose records share one string, cmap ranges that overlap or span all of Unicode,
composites of composites, subroutines calling each other twice, a file of 200 MB), or something
that is not a file at all (a FIFO, a folder, a device). Each gives a figure, or one ``error:``
line naming the file and exit 2: never a traceback, a crash, a hang or a gigabyte. fontTools's
own log lines never reach the terminal. A SIGTERM or SIGINT while cairo writes a PDF or EPS
exits 143 or 130 with one line, leaving no file behind.

The damaged fonts are made from the machine's DejaVu Sans and a CFF font (Latin Modern, URW),
or, where fontconfig finds none, from fonts built here with fontTools.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nnsvg.text import shown_path

from .test_fonts import wide_font

MB = 2**20
MEMORY_MARGIN = 100 * MB  # the promise: ~100 MB beyond what a run with the intact font takes
CPU_MARGIN = 3.0  # seconds of CPU beyond the intact font's run (the promise: about a second)


# --- the fonts damaged ---------------------------------------------------------------------

def _fc_file(pattern: str, suffix: str) -> Path | None:
    if shutil.which("fc-match") is None:
        return None
    out = subprocess.run(["fc-match", "--format", "%{file}", pattern], capture_output=True, text=True,
                         timeout=30).stdout
    return Path(out) if out.lower().endswith(suffix) and Path(out).is_file() else None


def cff_font(folder: Path, subrs: int = 0, hints: int = 0) -> Path:
    """A CFF (OpenType) font: ASCII, each glyph a box; with ``subrs``, every glyph calls a chain
    of ``subrs`` subroutines, each calling the next twice (2 ** subrs calls to draw one glyph),
    the last one declaring ``hints`` stem hints (code that draws nothing)."""
    from fontTools.cffLib import SubrsIndex
    from fontTools.fontBuilder import FontBuilder
    from fontTools.misc.psCharStrings import T2CharString

    names = [".notdef", "space", "box"]
    fb = FontBuilder(1000, isTTF=False)
    fb.font.recalcBBoxes = False  # fontTools would run the charstrings (the bomb) to find the boxes
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({0x20: "space", **{c: "box" for c in range(0x21, 0x7F)}})
    box = [100, 0, "rmoveto", 0, 700, "rlineto", 800, 0, "rlineto", 0, -700, "rlineto"]
    call = [-107, "callsubr"] if subrs else box
    strings = {".notdef": T2CharString(program=[*box, "endchar"]), "space": T2CharString(program=["endchar"]),
               "box": T2CharString(program=[*call, "endchar"])}
    fb.setupCFF("NnsvgTestCFF", {"FullName": "Nnsvg Test CFF"}, strings, {})
    if subrs:
        top = fb.font["CFF "].cff.topDictIndex[0]
        chain = SubrsIndex()
        for i in range(subrs):  # subroutine i calls i + 1 twice (bias -107 for fewer than 1240)
            nxt = [-107 + i + 1, "callsubr"] * 2 if i < subrs - 1 else [0, 10, "hstem"] * hints
            chain.append(T2CharString(program=[10, 0, "rlineto", *nxt, "return"], private=top.Private))
        top.Private.Subrs = chain
    fb.setupHorizontalMetrics({n: (1000, 100) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Nnsvg Test CFF", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    path = folder / f"nnsvg-test-cff-{subrs}-{hints}.otf"
    fb.save(str(path))
    return path


def composite_font(folder: Path, levels: int, loop: bool = False) -> Path:
    """A TrueType font whose ASCII glyphs are a composite of ``levels`` levels, each placing the
    level below twice (2 ** levels boxes); with ``loop``, the lowest composite holds the top one."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    names = [".notdef", "space", *(f"c{i}" for i in range(levels + 1))]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({0x20: "space", **{c: f"c{levels}" for c in range(0x21, 0x7F)}})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        if name in (".notdef", "c0"):
            pen.moveTo((100, 0))
            pen.lineTo((100, 700))
            pen.lineTo((900, 700))
            pen.closePath()
        glyphs[name] = pen.glyph()
    for level in range(1, levels + 1):
        glyph = Glyph()
        glyph.numberOfContours, glyph.components = -1, []
        for shift in (0, 10):
            component = GlyphComponent()
            component.glyphName, component.x, component.y, component.flags = f"c{level - 1}", shift, 0, 0x4
            glyph.components.append(component)
        glyphs[f"c{level}"] = glyph
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (1000, 100) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Nnsvg Test Composite", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    fb.font.recalcBBoxes = False  # fontTools would expand the composites (the bomb) to find the boxes
    path = folder / f"nnsvg-test-composite-{levels}{'-loop' if loop else ''}.ttf"
    fb.save(str(path))
    if loop:
        font = TTFont(str(path), recalcBBoxes=False)
        font["glyf"]["c1"].components[0].glyphName = f"c{levels}"
        font.save(str(path))
    return path


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The intact fonts: the machine's DejaVu Sans and a CFF font, else ones built here."""
    folder = tmp_path_factory.mktemp("sources")
    truetype = _fc_file("DejaVu Sans:fontformat=TrueType", ".ttf") or wide_font(folder)
    cff = _fc_file(":fontformat=CFF", ".otf") or cff_font(folder)
    return {"truetype": truetype.read_bytes(), "cff": cff.read_bytes()}


def directory(data: bytes) -> list[tuple[int, str, int, int]]:
    """The table directory: (entry, tag, offset, length) of each table."""
    count = struct.unpack(">H", data[4:6])[0]
    entries = []
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        entries.append((i, tag.decode("latin-1"), offset, length))
    return entries


def damage(data: bytes, entry: int, kind: str) -> bytes:
    """``data`` with table ``entry`` damaged one way (random bytes seeded by the table and kind)."""
    _, tag, offset, length = directory(data)[entry]
    out = bytearray(data)
    if kind == "zero":
        out[offset: offset + length] = bytes(length)
    elif kind == "random":
        rng = random.Random(f"{tag}-{kind}")
        out[offset: offset + length] = bytes(rng.randrange(256) for _ in range(length))
    elif kind == "half":
        out[offset + length // 2: offset + length] = bytes(length - length // 2)
    elif kind == "bytes":  # a few bytes changed here and there
        rng = random.Random(f"{tag}-{kind}")
        for _ in range(max(1, length // 40)):
            out[offset + rng.randrange(length)] = rng.randrange(256)
    elif kind == "512-MB":
        struct.pack_into(">I", out, 12 + 16 * entry + 12, 512 * MB)
    elif kind == "past-end":
        struct.pack_into(">I", out, 12 + 16 * entry + 8, len(data) + 1000)
    elif kind == "cut":
        del out[offset + length // 2:]
    return bytes(out)


# every table zeroed and filled with random bytes; those nnsvg, fontTools or cairo parse also
# half zeroed and with a few bytes changed; some also claiming 512 MB, past the end, or cut short
PARSED = ("head", "hhea", "maxp", "hmtx", "cmap", "name", "post", "loca", "glyf", "CFF ", "OS/2")
DIRECTORY_TABLES = ("head", "hmtx", "cmap", "name", "glyf", "CFF ")
DIRECTORY_KINDS = ("512-MB", "past-end", "cut")
MUST_REFUSE = {(tag, "zero") for tag in ("head", "hhea", "maxp")} | {
    (tag, kind) for tag in DIRECTORY_TABLES for kind in DIRECTORY_KINDS}


def kinds(tag: str) -> tuple[str, ...]:
    return (("zero", "random") + (("half", "bytes") if tag in PARSED else ())
            + (DIRECTORY_KINDS if tag in DIRECTORY_TABLES else ()))


def variant_name(stem: str, tag: str, kind: str) -> str:
    return f"{stem}-{tag.strip().replace('/', '_')}-{kind}"


def variants(data: bytes, folder: Path, stem: str) -> list[Path]:
    """Every table of the font damaged in turn, each way, each in a file of its own."""
    paths = []
    for entry, tag, _, _ in directory(data):
        for kind in kinds(tag):
            path = folder / f"{variant_name(stem, tag, kind)}{'.otf' if data[:4] == b'OTTO' else '.ttf'}"
            path.write_bytes(damage(data, entry, kind))
            paths.append(path)
    return paths


# --- running nnsvg on many fonts in one process ---------------------------------------------

# Runs the CLI in-process once per line of its input, with caches cleared between runs, and
# prints one JSON line per run: its exit code, what it wrote on stderr, its CPU time and the
# process's peak memory so far. A crash (cairo reading a bad table) ends it: the last line read
# names the font that did it.
WORKER = r"""
import contextlib, io, json, resource, sys, time
from nnsvg import fonts, outlines
from nnsvg.cli import main
for line in sys.stdin:
    font, out, extra = json.loads(line)
    fonts.forget()
    outlines._glyph.cache_clear()
    outlines._outline.cache_clear()
    outlines.font_path.cache_clear()
    err = io.StringIO()
    start = time.process_time()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["fcnn", "3", "4", "2", "--set", f"text.family={font}, serif", "-o", out, *extra])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps([font, code, err.getvalue(), time.process_time() - start, peak]), flush=True)
"""


def run_many(fonts: list[Path], outs: list[Path], extra: list[str]) -> list[tuple[str, int, str, float, int]]:
    lines = "".join(json.dumps([str(f), str(out), extra]) + "\n" for f, out in zip(fonts, outs))
    done = subprocess.run([sys.executable, "-c", WORKER], input=lines, capture_output=True, text=True,
                          timeout=900)
    results = [tuple(json.loads(line)) for line in done.stdout.splitlines()]
    after = results[-1][0] if results else "the start"
    assert done.returncode == 0, f"the worker died after {after}: {done.returncode} {done.stderr[-2000:]}"
    assert done.stderr == "", done.stderr[-2000:]  # nothing bare on the real stderr (cairo, fontconfig)
    return results  # type: ignore[return-value]


def check_result(font: str, code: int, err: str, out: Path) -> None:
    """Exit 0 with notes at most, or exit 2 with one error line naming the font file."""
    lines = err.splitlines()
    if code == 0:
        assert all(line.startswith("note: ") for line in lines), (font, err)
        assert out.exists()
    else:
        assert code == 2, (font, code, err)
        assert len(lines) == 1 and lines[0].startswith("error: text.family: font file '"), (font, err)
        assert Path(font).name in lines[0], (font, err)
        assert not out.exists()


@pytest.mark.parametrize("output", ["svg", "pdf", "eps"])
@pytest.mark.parametrize("source", ["truetype", "cff"])
def test_damaged_font_tables(tmp_path: Path, sources: dict[str, bytes], source: str, output: str) -> None:
    """Each table of a real font damaged each way, as text.family: a figure, or one error line."""
    intact = tmp_path / f"intact{'.otf' if source == 'cff' else '.ttf'}"
    intact.write_bytes(sources[source])
    fonts = [intact, *variants(sources[source], tmp_path, source)]
    outs = [tmp_path / f"{font.stem}.{output}" for font in fonts]
    extra = ["--text-as-paths"] if output == "svg" else []
    results = run_many(fonts, outs, extra)
    assert len(results) == len(fonts)
    (_, code, err, _, baseline), *damaged = results
    assert code == 0 and err == "", err
    refuse = {variant_name(source, tag, kind) for tag, kind in MUST_REFUSE}
    for (font, code, err, cpu, _), out in zip(damaged, outs[1:]):
        check_result(font, code, err, out)
        assert code == 2 or Path(font).stem not in refuse, (font, err)
        assert cpu < CPU_MARGIN, (font, cpu)
    assert max(peak for *_, peak in damaged) * 1024 - baseline * 1024 < MEMORY_MARGIN


# --- bombs, one process each (its own peak memory and CPU time) -----------------------------

def run_measured(args: list[str], timeout: float = 60) -> tuple[int, str, float, int]:
    """``nnsvg ARGS`` in a process of its own: exit code, stderr, CPU seconds, peak RSS bytes."""
    process = subprocess.Popen([sys.executable, "-m", "nnsvg", *args], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    assert process.stderr is not None
    deadline = time.monotonic() + timeout
    os.set_blocking(process.stderr.fileno(), False)
    chunks = []
    while True:
        chunk = process.stderr.read()
        if chunk:
            chunks.append(chunk)
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            raise AssertionError(f"nnsvg {' '.join(args)} ran more than {timeout} s")
        time.sleep(0.01)
    chunks.append(process.stderr.read() or b"")
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    cpu = usage.ru_utime + usage.ru_stime
    return process.returncode, b"".join(chunks).decode(), cpu, usage.ru_maxrss * 1024


@pytest.fixture(scope="module")
def intact_cost(tmp_path_factory: pytest.TempPathFactory) -> tuple[float, int]:
    """CPU seconds and peak memory of a run with a good font file, outlines and PDF."""
    folder = tmp_path_factory.mktemp("intact")
    font = wide_font(folder)
    code, err, cpu, peak = run_measured(["fcnn", "3", "4", "2", "--set", f"text.family={font}, serif",
                                         "--text-as-paths", "-o", str(folder / "x.pdf")])
    assert code == 0 and err == "", err
    return cpu, peak


def replace_table(data: bytes, tag: str, table: bytes) -> bytes:
    """The font rebuilt with table ``tag`` replaced (or added)."""
    tables = {t: data[o: o + n] for _, t, o, n in directory(data)}
    tables[tag] = table
    count = len(tables)
    head = data[:4] + struct.pack(">HHHH", count, 0, 0, 0)
    offset, entries, body = 12 + 16 * count, b"", b""
    for name in sorted(tables):
        entries += struct.pack(">4sIII", name.encode("latin-1"), 0, offset + len(body), len(tables[name]))
        body += tables[name] + bytes(-len(tables[name]) % 4)
    return head + entries + body


def name_bomb() -> bytes:
    """A name table of 5,000 records, each the same 64 KB string (fontTools copies each)."""
    count = 5000
    records = b"".join(struct.pack(">6H", 3, 1, 0x409, 1 if i == 0 else 5, 65532, 2) for i in range(count))
    return struct.pack(">3H", 0, count, 6 + 12 * count) + records + b"\0A" * 32767


def cmap_table(subtable: bytes, platform: int = 3, encoding: int = 1) -> bytes:
    return struct.pack(">HHHHI", 0, 1, platform, encoding, 12) + subtable


def cmap_overlapping(segments: int) -> bytes:
    """A format 4 subtable whose ``segments`` ranges each cover the whole BMP."""
    ends, starts = [0xFFFE] * (segments - 1) + [0xFFFF], [0] * (segments - 1) + [0xFFFF]
    body = struct.pack(">4H", 2 * segments, 0, 0, 0) + struct.pack(f">{segments}H", *ends) + b"\0\0"
    body += struct.pack(f">{segments}H", *starts) + struct.pack(f">{segments}H", *[1] * segments)
    body += bytes(2 * segments)
    return cmap_table(struct.pack(">3H", 4, min(6 + len(body), 0xFFFF), 0) + body)


def cmap_groups(groups: list[tuple[int, int]]) -> bytes:
    """A format 12 subtable of these (first, last) ranges, mapped to glyph 1 on."""
    body = b"".join(struct.pack(">III", first, last, 1) for first, last in groups)
    return cmap_table(struct.pack(">HHIII", 12, 0, 16 + len(body), 0, len(groups)) + body, 3, 10)


def sparse(folder: Path, name: str, head: bytes, size: int) -> Path:
    path = folder / name
    with open(path, "wb") as file:
        file.write(head)
        file.truncate(size)
    return path


def big_name_table(folder: Path, font: bytes, length: int) -> Path:
    """The font with its name table moved to the end of a sparse file and claiming ``length``."""
    entry = next(e for e, t, _, _ in directory(font) if t == "name")
    data = bytearray(font)
    struct.pack_into(">II", data, 12 + 16 * entry + 8, len(font), length)
    return sparse(folder, f"name-{length // MB}MB.ttf", bytes(data), len(font) + length)


Bomb = Callable[[Path, bytes], Path]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BOMBS: list[tuple[str, Bomb, list[str], int, list[str]]] = [
    # (name, maker, extra arguments, exit code, words of the error)
    ("name-records-share-a-string", lambda d, f: _write(d / "n.ttf", replace_table(f, "name", name_bomb())),
     [], 0, []),
    ("cmap-ranges-overlap", lambda d, f: _write(d / "c4.ttf", replace_table(f, "cmap", cmap_overlapping(8000))),
     [], 2, ["ranges overlap"]),
    ("cmap-ranges-overlap-few", lambda d, f: _write(d / "c4b.ttf", replace_table(f, "cmap", cmap_overlapping(3))),
     [], 2, ["ranges overlap (131,071 code points in 65,536)"]),
    ("cmap-whole-unicode", lambda d, f: _write(d / "c12.ttf", replace_table(f, "cmap", cmap_groups([(0, 0x10FFFF)]))),
     [], 2, ["maps 1,114,112 code points"]),
    ("cmap-many-ranges", lambda d, f: _write(d / "c12b.ttf", replace_table(
        f, "cmap", cmap_groups([(i * 0x1000, i * 0x1000 + 0xFFF) for i in range(0x110)]))),
     [], 2, ["maps 1,114,112 code points"]),
    ("table-claims-512-MB", lambda d, f: _write(d / "big.ttf", damage(f, next(
        e for e, t, _, _ in directory(f) if t == "name"), "512-MB")), [], 2, ["runs past the end of the file"]),
    ("name-table-of-100-MB", lambda d, f: big_name_table(d, f, 100 * MB), [], 2,
     ["'name' table claims 104,857,600 bytes"]),
    ("file-of-200-MB", lambda d, f: sparse(d, "huge.ttf", f, 200 * MB), [], 2, ["larger than 128 MB"]),
    ("woff", lambda d, f: _write(d / "web.ttf", b"wOFF" + f[4:]), [], 2, ["WOFF web font"]),
    ("png", lambda d, f: _write(d / "picture.ttf", b"\x89PNG\r\n\x1a\n" + bytes(100)), [], 2,
     ["not a TrueType or OpenType font", "b'\\x89PNG'"]),
    ("empty-collection", lambda d, f: _write(d / "none.ttc", b"ttcf" + struct.pack(">HHI", 1, 0, 0)), [], 2,
     ["a collection of 0 fonts"]),
    ("empty-file", lambda d, f: _write(d / "empty.ttf", b""), [], 2, ["not a TrueType or OpenType font"]),
    ("composites-24-levels", lambda d, f: composite_font(d, 24), ["--text-as-paths"], 2,
     ["components nested more than 16 deep"]),
    ("composites-15-levels", lambda d, f: composite_font(d, 15), ["--text-as-paths"], 2,
     ["more than 20,000 points"]),
    ("composites-13-levels", lambda d, f: composite_font(d, 13), ["--text-as-paths"], 2,
     ["more than 20,000 points"]),
    ("composites-in-a-loop", lambda d, f: composite_font(d, 3, loop=True), ["--text-as-paths"], 2,
     ["nested more than 16 deep (or in a loop)"]),
    ("composites-8-levels", lambda d, f: composite_font(d, 8), ["--text-as-paths"], 0, []),
    ("subroutines-24-levels", lambda d, f: cff_font(d, 24), ["--text-as-paths"], 2,
     ["more than 10 subroutines"]),
    ("subroutines-9-levels", lambda d, f: cff_font(d, 9), ["--text-as-paths"], 0, []),
    ("subroutines-of-hints", lambda d, f: cff_font(d, 9, hints=100), ["--text-as-paths"], 2,
     ["runs more than 50,000 bytes of code"]),
]


@pytest.mark.parametrize(("name", "make", "extra", "code", "words"), BOMBS, ids=[b[0] for b in BOMBS])
def test_font_bombs(tmp_path: Path, sources: dict[str, bytes], intact_cost: tuple[float, int], name: str,
                    make: Bomb, extra: list[str], code: int, words: list[str]) -> None:
    font = make(tmp_path, sources["truetype"])
    out = tmp_path / "figure.pdf"
    got, err, cpu, peak = run_measured(["fcnn", "3", "4", "2", "--set", f"text.family={font}, serif", *extra,
                                        "-o", str(out)])
    assert got == code, err
    if code == 2:
        assert err.count("\n") == 1 and err.startswith(f"error: text.family: font file {shown_path(font)} "), err
        assert all(word in err for word in words), err
        assert not out.exists()
    else:
        assert err == "" and out.exists(), err
    base_cpu, base_peak = intact_cost
    assert cpu < base_cpu + CPU_MARGIN
    assert peak < base_peak + MEMORY_MARGIN, f"{(peak - base_peak) / MB:.0f} MB more than a good font"


def test_limits_are_what_the_messages_say() -> None:
    from nnsvg import fontfile, outlines

    assert fontfile.MAX_FONT_BYTES == 128 * MB and fontfile.MAX_MAPPED_CODE_POINTS == 200_000
    assert outlines.MAX_GLYPH_POINTS == 20_000 and outlines.MAX_COMPONENT_DEPTH == 16
    assert outlines.MAX_SUBR_DEPTH == 10 and outlines.MAX_CHARSTRING_BYTES == 50_000


# --- not a file -------------------------------------------------------------------------------

def not_files(folder: Path) -> list[tuple[Path, str]]:
    """Paths named like fonts that are not regular files, with what nnsvg must call them."""
    found: list[tuple[Path, str]] = []
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.ttf")
        found.append((folder / "pipe.ttf", "is a FIFO (a named pipe), not a file"))
    (folder / "folder.ttf").mkdir()
    found.append((folder / "folder.ttf", "is a directory, not a file"))
    for device in ("/dev/null", "/dev/zero"):
        if Path(device).exists():
            (folder / f"{Path(device).name}.otf").symlink_to(device)
            found.append((folder / f"{Path(device).name}.otf", "is a character device, not a file"))
    if hasattr(socket, "AF_UNIX") and len(str(folder)) < 90:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(folder / "socket.ttf"))
        found.append((folder / "socket.ttf", "is a socket, not a file"))
    return found


def test_font_paths_that_are_not_files(tmp_path: Path) -> None:
    """Never "no such file", never a wait on a FIFO: what the path is, as one error line."""
    for path, words in not_files(tmp_path):
        out = tmp_path / "figure.svg"
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "nnsvg", "fcnn", "3", "4", "--set",
                               f"text.family={path}, serif", "-o", str(out)], capture_output=True, text=True,
                              timeout=30)
        assert time.monotonic() - start < 20
        assert done.returncode == 2, (path, done.stderr)
        assert done.stderr == f"error: text.family: font file {shown_path(path)} {words}\n"
        assert not out.exists()
    # a file that is not there is a font of another machine: a note, and the next family
    done = subprocess.run([sys.executable, "-m", "nnsvg", "fcnn", "3", "4", "--set",
                           f"text.family={tmp_path}/gone.ttf, serif", "-o", str(tmp_path / "x.svg")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "(a font file): no such file" in done.stderr


# --- fontTools's log lines ------------------------------------------------------------------

def with_head(data: bytes, **fields: int) -> bytes:
    """The font with ``head`` fields (created, modified: seconds since 1904) set."""
    _, _, offset, _ = next(e for e in directory(data) if e[1] == "head")
    out = bytearray(data)
    for name, value in fields.items():
        struct.pack_into(">Q", out, offset + {"created": 20, "modified": 28}[name], value)
    return bytes(out)


@pytest.mark.parametrize("fields", [{"created": 0}, {"modified": 1}, {"created": 2**63 + 5}])
@pytest.mark.parametrize("source", ["truetype", "cff"])
def test_fonttools_log_lines_never_reach_stderr(tmp_path: Path, sources: dict[str, bytes], source: str,
                                                fields: dict[str, int]) -> None:
    """fontTools logs "'created' timestamp seems very low" (and such) for many real fonts: not
    a word of it on nnsvg's stderr, whatever the output."""
    font = tmp_path / f"old{'.otf' if source == 'cff' else '.ttf'}"
    font.write_bytes(with_head(sources[source], **fields))
    for extra in (["--text-as-paths", "-o", str(tmp_path / "x.svg")], ["-o", str(tmp_path / "x.pdf")]):
        done = subprocess.run([sys.executable, "-m", "nnsvg", "fcnn", "3", "4", "--set", f"text.family={font}, serif",
                               *extra], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and done.stderr == "", done.stderr


# --- signals while cairo writes ---------------------------------------------------------------

BIG = ["fcnn", "500", "500", "500", "--max-nodes", "0"]  # 500,000 edges: seconds of drawing and writing


def start_big(target: Path, temp: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "nnsvg", *BIG, "-o", str(target)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(temp)})


@pytest.fixture(scope="module")
def big_run_time(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """Seconds an unsignalled run of the big figure takes here, as PDF and as EPS."""
    times = {}
    for fmt in ("pdf", "eps"):
        folder = tmp_path_factory.mktemp(fmt)
        start = time.monotonic()
        process = start_big(folder / f"net.{fmt}", folder)
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        times[fmt] = time.monotonic() - start
    return times


@pytest.mark.parametrize(("signum", "fmt", "when"), [
    (signal.SIGTERM, "pdf", 0.15), (signal.SIGTERM, "pdf", 0.35), (signal.SIGTERM, "pdf", 0.55),
    (signal.SIGTERM, "pdf", 0.7), (signal.SIGTERM, "pdf", 0.85), (signal.SIGTERM, "eps", 0.35),
    (signal.SIGTERM, "eps", 0.6), (signal.SIGTERM, "eps", 0.85), (signal.SIGINT, "pdf", 0.6),
    (signal.SIGINT, "eps", 0.7),
])
def test_signal_while_cairo_writes(tmp_path: Path, big_run_time: dict[str, float], signum: int, fmt: str,
                                   when: float) -> None:
    """A signal at ``when`` of the run's time: the signal's exception used to be raised inside
    cffi's callback that cairo calls to write the stream (the later half of the run), so cffi
    printed "Exception ignored from cffi callback" and a traceback, cairo failed, nnsvg exited
    2. Now: one line, 143 or 130, the old file untouched, nothing left over (in the output's
    folder or the temporary folder), or, when it finished first, the whole new figure."""
    target = tmp_path / "out" / f"net.{fmt}"
    target.parent.mkdir()
    target.write_bytes(b"old figure")
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = start_big(target, temp)
    time.sleep(when * big_run_time[fmt])
    process.send_signal(signum)
    _, err = process.communicate(timeout=300)
    stopped = {signal.SIGINT: 130, signal.SIGTERM: 143}[signum]
    if process.returncode == 0:  # it finished first: the new figure is whole
        assert target.read_bytes()[:4] in (b"%PDF", b"%!PS")
    else:
        assert process.returncode == stopped, (process.returncode, err)
        assert err == {signal.SIGINT: "error: interrupted\n", signal.SIGTERM: "error: terminated\n"}[signum]
        assert target.read_bytes() == b"old figure"
    assert [p.name for p in target.parent.iterdir()] == [target.name]
    assert list(temp.iterdir()) == []


def test_cairo_output_is_unchanged_by_the_scratch_file(tmp_path: Path) -> None:
    """PDF, EPS and PNG come out as before cairo wrote them through a temporary file."""
    import nnsvg

    diagram = nnsvg.fcnn([3, 4, 2])
    for fmt, magic in (("pdf", b"%PDF"), ("eps", b"%!PS"), ("ps", b"%!PS"), ("png", b"\x89PNG")):
        data = diagram.to_bytes(fmt)
        assert data.startswith(magic) and data == diagram.to_bytes(fmt)
