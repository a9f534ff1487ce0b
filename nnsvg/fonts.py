"""Fonts: a theme's ``text.family`` (a CSS family list) resolved to real fonts, per glyph.

A family list resolves the way CSS does: the first name that is installed (found by fontconfig,
``fc-match``) or that is a font file path is the label font; every character that font lacks
(ℝ, ∈, subscripts, arrows) comes from the next font of the list that has it, then from the
fonts fontconfig ranks for the list's class (serif, sans-serif, monospace), so no glyph is ever
missing. Text is measured with the advance widths of the font that draws each character.

The DejaVu families nnsvg ships metrics for (``data/font_metrics.json``, DejaVu's own advance
widths) are measured from that table: the default themes need neither fontconfig nor fontTools,
and measure exactly as before. Anything else is read with fontTools, imported on first use.

A named family that resolves to nothing gives a note naming the font used instead (from the
list's class: a serif request falls back to a serif), and so does a font file path where there is
no file; a font file that is there but cannot be used (damaged, a folder, a FIFO) is an error
naming it (``nnsvg.fontfile`` opens every font file). Without fontconfig (macOS without
Homebrew's fontconfig, say) only the DejaVu families and font file paths resolve; the note says so.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypedDict

from . import fontfile
from .errors import ThemeError

GENERICS = {"serif": "serif", "sans-serif": "sans-serif", "monospace": "monospace", "cursive": "serif",
            "fantasy": "serif", "system-ui": "sans-serif", "ui-serif": "serif", "ui-sans-serif": "sans-serif",
            "ui-monospace": "monospace", "math": "serif", "emoji": "sans-serif", "fangsong": "serif"}
# the measured stand-in of each class when fontconfig cannot be asked (nnsvg's table)
TABLE_GENERIC = {"serif": "DejaVu Serif", "sans-serif": "DejaVu Sans", "monospace": "DejaVu Sans Mono"}
TABLE_FAMILIES = ("DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono")
FONT_FILE = re.compile(r"\.(ttf|otf|ttc|otc)$", re.IGNORECASE)
MISSING_GLYPH_EM = 1.0  # a character no font has: a full em (errs wide)
FC_MATCH = "fc-match"  # the fontconfig tool (a test points it elsewhere to act as a machine without it)

# words in a family's name that tell its class when fontconfig cannot (a font that is not installed)
_MONO = re.compile(r"mono|code|courier|typewriter|consol", re.IGNORECASE)
_SANS = re.compile(r"sans|grotesk|gothic|helvetica|arial|verdana|heros", re.IGNORECASE)
_SERIF = re.compile(r"serif|roman|times|garamond|palatino|pagella|termes|georgia|cambria|stix|libertin|"
                    r"charter|baskerville|bookman|schoolbook|schola|bonum|minion|utopia|caslon|bodoni", re.IGNORECASE)


class _TableEntry(TypedDict):
    units_per_em: int
    ascent: int
    descent: int
    runs: list[tuple[int, list[float]]]


@cache
def _table() -> dict[str, _TableEntry]:
    text = (Path(__file__).parent / "data" / "font_metrics.json").read_text("utf-8")
    table: dict[str, _TableEntry] = json.loads(text)
    return table


@dataclass(frozen=True)
class Metrics:
    ascent: float  # above the baseline, in em
    descent: float  # below the baseline, in em (positive)
    widths: dict[int, float]  # advance per code point, in em


@dataclass(frozen=True)
class Font:
    """One font: its family name, and its file when known (a table font found without
    fontconfig has none: the DejaVu table measures it, cairo finds it by name)."""

    family: str
    path: str | None = None
    index: int = 0
    table: str | None = None  # the name of its entry in nnsvg's metrics table, if it has one

    @property
    def metrics(self) -> Metrics:
        return _metrics(self)

    def covers(self, cp: int) -> bool:
        return cp in self.metrics.widths


@cache
def _metrics(font: Font) -> Metrics:
    if font.table is not None:
        entry = _table()[font.table]
        upm = float(entry["units_per_em"])
        widths: dict[int, float] = {}
        for first, run in entry["runs"]:
            for offset, advance in enumerate(run):
                widths[first + offset] = advance / upm
        return Metrics(float(entry["ascent"]) / upm, -float(entry["descent"]) / upm, widths)
    assert font.path is not None
    return _file_metrics(font.path, font.index)


def _file_metrics(path: str, index: int) -> Metrics:
    """The metrics of a font file, read with fontTools (every failure one error naming the file)."""
    tt = _ttfont(path, index).tt
    with fontfile.reading(path):
        upm = float(tt["head"].unitsPerEm)
        advances = tt["hmtx"].metrics
        widths: dict[int, float] = {}
        for cp, name in (tt.getBestCmap() or {}).items():
            if name not in advances:
                raise fontfile.Damaged(f"its 'cmap' table maps U+{cp:04X} to a glyph it does not have")
            widths[cp] = advances[name][0] / upm
        return Metrics(float(tt["hhea"].ascent) / upm, -float(tt["hhea"].descent) / upm, widths)


@cache
def _ttfont(path: str, index: int) -> fontfile.Opened:
    """The checked font file, read lazily by fontTools (``nnsvg.fontfile``)."""
    return fontfile.open_font(path, index)


def font_file(path: str) -> tuple[Font | None, str]:
    """The font of a file path (its family name read from the file), or None and why not (no
    such file: a font of another machine, as a family that is not installed); a ThemeError
    naming the file when it is there but is not a font nnsvg can read."""
    try:
        file = Path(path).expanduser()
    except RuntimeError:  # ~name of no such user
        return None, "no such user"
    if not os.path.lexists(file):
        return None, "no such file"
    absolute = os.path.abspath(file)  # as written (links kept): an error names the file the user named
    family = _ttfont(absolute, 0).family or file.stem
    table = family if family in TABLE_FAMILIES and _is_table_file(file, family) else None
    font = Font(family, absolute, 0, table)
    font.metrics  # noqa: B018  (measured now: a damaged table fails here, not while drawing)
    return font, ""


def _is_table_file(file: Path, family: str) -> bool:
    return file.name == family.replace(" ", "") + ".ttf"


# --- fontconfig -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Match:
    path: str
    index: int
    families: tuple[str, ...]
    upright: bool
    starts: tuple[int, ...] = ()  # the character set as ranges: firsts, and lasts
    ends: tuple[int, ...] = ()

    def has(self, cp: int) -> bool:
        i = bisect.bisect_right(self.starts, cp) - 1
        return i >= 0 and cp <= self.ends[i]


def _escape(name: str) -> str:
    """A family name as a fontconfig pattern (its syntax characters escaped)."""
    return re.sub(r"([\\\-:,])", r"\\\1", name)


@cache
def _fc(args: tuple[str, ...]) -> str | None:
    """The output of fc-match with ``args``, or None without fontconfig."""
    import subprocess

    try:
        done = subprocess.run([FC_MATCH, *args], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


FORMAT = "%{file}|%{index}|%{family}|%{slant}|%{weight}"


def _parse(line: str) -> _Match | None:
    parts = line.split("|")
    if len(parts) < 5 or not parts[0] or not FONT_FILE.search(parts[0]):
        return None
    try:
        index = int(parts[1] or 0)
        slant = float((parts[3] or "0").split()[0])
        weight = float((parts[4] or "80").split()[0])
    except ValueError:
        return None
    families = tuple(f.strip() for f in parts[2].split(",") if f.strip())
    starts: list[int] = []
    ends: list[int] = []
    for item in "|".join(parts[5:]).split():
        first, _, last = item.partition("-")
        try:
            starts.append(int(first, 16))
            ends.append(int(last or first, 16))
        except ValueError:
            continue
    return _Match(parts[0], index, families, slant == 0 and weight <= 100, tuple(starts), tuple(ends))


def fontconfig_available() -> bool:
    return _fc(("--version",)) is not None


@cache
def _fc_match(pattern: str) -> _Match | None:
    """fontconfig's best match for ``pattern`` among the fonts fontTools reads (OpenType and
    TrueType: a Type 1 copy of the same font, ranked first, is passed over)."""
    out = _fc(("-a", "--format", FORMAT + "\n", "--", pattern))
    for line in (out or "").splitlines():
        match = _parse(line)
        if match is not None:
            return match
    return None


@cache
def _fc_sorted(generic: str) -> tuple[_Match, ...]:
    """Every font fontconfig ranks for ``generic`` (best first), upright regular faces first,
    with their character sets: the per-glyph fallback order."""
    out = _fc(("-a", "--format", FORMAT + "|%{charset}\n", "--", generic))
    found = [m for m in (_parse(line) for line in (out or "").splitlines()) if m is not None]
    return tuple(sorted(found, key=lambda m: not m.upright))  # stable: fontconfig's order within each


def _font_of(match: _Match) -> Font:
    family = match.families[0] if match.families else Path(match.path).stem
    table = family if family in TABLE_FAMILIES and _is_table_file(Path(match.path), family) else None
    return Font(family, match.path, match.index, table)


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


@cache
def find(name: str) -> Font | None:
    """The installed font of one family name, or None: fontconfig's match counts when it is that
    family, or a font fontconfig substitutes for that name alone (Times → Nimbus Roman), not
    the default of a class (an unknown name gets the class's default font)."""
    match = _fc_match(_escape(name))
    if match is None:
        return None
    if any(_same(name, f) for f in match.families):
        return _font_of(match)
    defaults = {m.path for m in (_fc_match(g) for g in ("serif", "sans-serif", "monospace")) if m is not None}
    return None if match.path in defaults else _font_of(match)


@cache
def generic_font(generic: str) -> Font:
    """The font of a generic class: fontconfig's choice, else nnsvg's DejaVu table stand-in."""
    match = _fc_match(generic)
    if match is not None:
        return _font_of(match)
    table = TABLE_GENERIC[generic]
    return Font(table, None, 0, table)


def class_of(name: str) -> str | None:
    """The class (serif, sans-serif, monospace) a family's name says, if any."""
    if _MONO.search(name):
        return "monospace"
    if _SANS.search(name):
        return "sans-serif"
    if _SERIF.search(name):
        return "serif"
    return None


# --- a family list ---------------------------------------------------------------------------

def split_families(families: str) -> list[str]:
    return [n for n in (part.strip().strip("'\"").strip() for part in families.split(",")) if n]


def is_path(name: str) -> bool:
    return "/" in name or "\\" in name or FONT_FILE.search(name) is not None


def resolve_name(name: str) -> tuple[Font | None, str]:
    """The font of one name of a family list, or None and why not."""
    if name.lower() in GENERICS:
        return generic_font(GENERICS[name.lower()]), ""
    if is_path(name):
        font, why = font_file(name)
        return font, f"(a font file): {why}"
    if name in TABLE_FAMILIES:
        return Font(name, None, 0, name), ""
    font = find(name)
    if font is None and not fontconfig_available():
        return None, "cannot be looked up: fontconfig (fc-match) is not installed"
    return font, "is not installed"


@dataclass
class FontList:
    """A resolved CSS family list: ``primary`` is the label font (the first name that
    resolved); the later names are looked up when a glyph needs them; ``generic`` is the
    list's class, whose ranked fonts supply what the whole list lacks."""

    request: str
    names: list[str]
    first: int  # the index in ``names`` of the label font's name (-1: none resolved)
    primary: Font
    generic: str
    notes: list[str] = field(default_factory=list)
    _chosen: dict[int, Font | None] = field(default_factory=dict)
    _later: list[tuple[str, Font]] | None = None
    _broken: set[Font] = field(default_factory=set)  # fallback fonts fontconfig lists that cannot be read

    def later(self) -> list[tuple[str, Font]]:
        """The list's names after the label font's that resolve, with their fonts."""
        if self._later is None:
            self._later = [(n, f) for n, f in ((n, resolve_name(n)[0]) for n in self.names[self.first + 1:])
                           if f is not None]
        return self._later

    def font_for(self, cp: int) -> Font | None:
        """The font that draws code point ``cp`` (None: no font has it)."""
        if cp in self.primary.metrics.widths:
            return self.primary
        if cp in self._chosen:
            return self._chosen[cp]
        chosen: Font | None = None
        candidates = [f for _, f in self.later()]
        candidates += [_font_of(m) for m in _fc_sorted(self.generic) if m.has(cp)]
        candidates += [Font(t, None, 0, t) for t in TABLE_FAMILIES]  # without fontconfig: DejaVu's table
        for font in candidates:
            if font in self._broken:
                continue
            try:
                if font.covers(cp):
                    chosen = font
                    break
            except ThemeError:  # a damaged font file among the machine's fonts: the next one
                self._broken.add(font)
        self._chosen[cp] = chosen
        return chosen

    def advance(self, text: str) -> float:
        """The advance width of ``text`` in em."""
        widths = self.primary.metrics.widths
        total = 0.0
        for ch in text:
            w = widths.get(ord(ch))
            if w is None:
                font = self.font_for(ord(ch))
                w = font.metrics.widths[ord(ch)] if font is not None else MISSING_GLYPH_EM
            total += w
        return total

    def runs(self, text: str) -> list[tuple[Font, str]]:
        """``text`` cut into runs of characters drawn by one font (a character no font has
        stays with the label font)."""
        out: list[tuple[Font, str]] = []
        for ch in text:
            font = self.font_for(ord(ch)) or self.primary
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + ch)
            else:
                out.append((font, ch))
        return out

    def missing(self, text: str) -> list[str]:
        """The characters of ``text`` that no installed font has."""
        return sorted({ch for ch in text if ch.isprintable() and self.font_for(ord(ch)) is None})

    def css(self, text: str) -> str:
        """The font-family of an SVG text: the list as given (a font file path replaced by its
        family's name), with the families that draw those of ``text``'s characters the list's
        named fonts lack added before the first generic name, so a viewer falls back per glyph
        to the fonts nnsvg measured."""
        paths = any(is_path(n) for n in self.names)
        if not paths and all(ord(ch) in self.primary.metrics.widths for ch in text):
            return self.request
        named = [self.primary] if self.first >= 0 and self.names[self.first].lower() not in GENERICS else []
        named += [f for n, f in self.later() if n.lower() not in GENERICS]
        names: list[str] = []
        for index, name in enumerate(self.names):
            if is_path(name):
                font = self.primary if index == self.first else resolve_name(name)[0]
                if font is not None:
                    names.append(font.family)
            else:
                names.append(name)
        extra: list[str] = []
        for ch in text:
            font = self.font_for(ord(ch))
            if font is None or font in named:
                continue
            if not any(_same(font.family, n) for n in names + extra):
                extra.append(font.family)
        at = next((i for i, n in enumerate(names) if n.lower() in GENERICS), len(names))
        names[at:at] = extra
        return ", ".join(_css_name(n) for n in names)


def _css_name(name: str) -> str:
    if name.lower() in GENERICS or re.fullmatch(r"[A-Za-z_-][A-Za-z0-9_-]*( [A-Za-z_-][A-Za-z0-9_-]*)*", name):
        return name
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


@cache
def resolve(families: str) -> FontList:
    """The fonts of a CSS family list (cached: a list is resolved once per process). Only the
    names up to the first that resolves are looked up now."""
    names = split_families(families) or ["sans-serif"]
    generic = next((GENERICS[n.lower()] for n in names if n.lower() in GENERICS), None)
    unresolved: list[tuple[str, str]] = []
    first, primary = -1, None
    for index, name in enumerate(names):
        font, why = resolve_name(name)
        if font is not None:
            first, primary = index, font
            break
        unresolved.append((name, why))
    for name in names[first + 1:] if first >= 0 else []:
        if is_path(name):
            resolve_name(name)  # a damaged font file of the list fails now, whether or not a glyph needs it
    if generic is None:
        head = names[0]
        generic = (class_of(head) or (None if is_path(head) else _class_by_fontconfig(head))
                   or (class_of(primary.family) if primary is not None else None) or "sans-serif")
    notes: list[str] = []
    if primary is None:
        primary = generic_font(generic)
    if unresolved:
        shown = "; ".join(f"'{n}' {why}" for n, why in unresolved)
        how = (f"fontconfig's {generic} font" if first < 0 or names[first].lower() in GENERICS
               else "the next family of the list")
        notes.append(f"text.family: {shown}; labels are set in {primary.family} instead ({how})")
    return FontList(families, names, first, primary, generic, notes)


def _class_by_fontconfig(name: str) -> str | None:
    """The class whose default font fontconfig gives for ``name`` (Garamond → serif)."""
    match = _fc_match(_escape(name))
    if match is None:
        return None
    for generic in ("serif", "sans-serif", "monospace"):
        default = _fc_match(generic)
        if default is not None and default.path == match.path:
            return generic
    return None


def notes_for(families: str, texts: list[str]) -> list[str]:
    """What a user should know about a family list and the texts set in it: a family that
    resolved to nothing, a character no installed font has."""
    fl = resolve(families)
    out = list(fl.notes)
    missing = sorted({ch for t in texts for ch in fl.missing(t)})
    if missing:
        shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:8])
        out.append(f"no installed font has {shown}{' …' if len(missing) > 8 else ''}: measured as 1 em, "
                   "drawn as the label font's missing-glyph box")
    return out


def forget() -> None:
    """Forget every lookup (fonts installed since are found; tests change the machine's fonts)."""
    for function in (resolve, find, generic_font, _fc, _fc_match, _fc_sorted, _metrics, _ttfont):
        function.cache_clear()
