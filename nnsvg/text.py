"""Checks on the words a user gives nnsvg, shared by specs and themes.

One responsibility: judging a user's text before anything is drawn with it. ``check_text``
refuses text an SVG file cannot hold, ``nearest`` suggests the valid name a mistyped one was
probably meant to be, and ``looks_like_path`` tells a theme file's path from a built-in theme's
name. Specs (options, layer labels, the theme option) and themes (every value a theme file or
``--set`` gives, and ``base``) use these three and no rules of their own, so the two entry points
cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import NnsvgError, SpecError

# XML 1.0 cannot hold the C0 controls but tab, newline and carriage return, lone surrogates
# (they are not characters), or U+FFFE and U+FFFF (not characters either).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_text(text: str, name: str, error: type[NnsvgError] = SpecError) -> str:
    """``text`` unchanged if an SVG file can hold it; else ``error`` naming ``name``, one line."""
    bad = _NOT_XML.search(text)
    if bad is not None:
        raise error(f"{name}: {quote(text)} contains the character {bad.group()!r}, which an SVG file cannot hold")
    return text


def nearest(word: str, candidates: Iterable[str], otherwise: str | None = None) -> str:
    """The end of an error message about an unknown ``word``: "; did you mean 'x'?" for the
    closest of ``candidates``; when none is close, ``otherwise`` (by default "; valid: " and
    every candidate)."""
    import difflib  # only when reporting a mistake: it costs start-up time

    names = list(candidates)
    near = difflib.get_close_matches(word, names, n=1, cutoff=0.5)
    if near:
        return f"; did you mean '{near[0]}'?"
    return f"; valid: {', '.join(sorted(names))}" if otherwise is None else otherwise


def looks_like_path(theme: str) -> bool:
    """Whether a theme is given as a file (``my.toml``, ``themes/x``) rather than a built-in name."""
    return theme.endswith(".toml") or "/" in theme or "\\" in theme


def quote(value: object, limit: int = 60) -> str:
    """``repr(value)`` for an error message, cut to about ``limit`` characters: a message never
    builds the whole text of a huge value (a 5000-digit number, a list of a million items)."""
    import reprlib  # only when reporting a mistake

    class Short(reprlib.Repr):
        def repr_int(self, x: int, level: int) -> str:
            if x.bit_length() <= 4 * limit:
                return super().repr_int(x, level)
            # repr() of an int over 4300 digits raises ValueError, and a long one is slow: its size will do
            import math

            digits = int(math.log10(abs(x))) + 1  # one too many when the float rounds 99…9 up
            about = x.bit_length() > 50_000  # where 10**digits would cost more than it tells
            if not about and abs(x) < 10 ** (digits - 1):
                digits -= 1
            return f"{'a negative' if x < 0 else 'an'} integer of {'about ' if about else ''}{digits:,} digits"

    short = Short()  # (keyword arguments only from Python 3.12)
    short.maxstring = short.maxother = short.maxlong = limit
    short.maxlist = short.maxdict = short.maxtuple = short.maxset = 6
    short.maxlevel = 3
    text = short.repr(value)
    return text if len(text) <= limit + 10 else text[:limit] + "…"


def clip(text: str, limit: int = 60) -> str:
    """A user's text cut to about ``limit`` characters for an error message, with characters a
    terminal would act on (line breaks, controls) written as escapes."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return text if text.isprintable() else repr(text)[1:-1]


# what a terminal acts on rather than shows: C0 controls (ESC starts an escape sequence, CR
# rewrites the line), DEL, the C1 controls (U+009B is a one-character CSI), and the bidi
# overrides and isolates that reorder what follows them on the line
_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal(text: str) -> str:
    """``text`` as it may be printed to a terminal: every character a terminal would act on
    (escape sequences, CR, LF, C1 controls, bidi overrides) written as its Python escape, so a
    name from a model file shows as ``\\x1b[31m`` instead of turning the terminal red."""
    return _TERMINAL.sub(lambda m: repr(m.group())[1:-1], text)


def shown_path(path: object) -> str:
    """A path for an error message, in quotes: as written when it is printable, else as Python
    writes it (a NUL or a newline in a name must not reach the terminal)."""
    text = str(path)
    if len(text) > 60:  # keep the file name: cut in the middle of the folders
        text = text[:20] + "…" + text[-39:]
    return f"'{text}'" if text.isprintable() else quote(text)
