"""The kinds of theme keys (``nnsvg.optionkinds.Kind`` objects, as the spec options' are): a
colour, a number (a length in px or not), a dash pattern, a text. Each checks a value with a
ThemeError that names the key, says what the manual's "allowed" column shows (``accepts``) and
the range ``nnsvg themes --keys`` adds to the key's documentation (``range``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import colors
from .errors import ThemeError
from .optionkinds import Kind
from .text import quote

DASH_ITEMS = 16  # numbers in a dash pattern: more is noise, and it is repeated on every dashed path
PAGE = "page"  # a colour key that allows it follows the page background


@dataclass(frozen=True)
class ThemeKind(Kind):
    """A theme key's kind (its errors are ThemeErrors): ``range`` is what ``nnsvg themes --keys``
    adds to the key's documentation."""

    def range(self) -> str:
        return ""


@dataclass(frozen=True)
class Color(ThemeKind):
    """A colour; ``none`` allows 'none' (nothing drawn), ``page`` 'page' (the page's colour)."""

    name = "color"
    none: bool = False
    page: bool = False

    def coerce(self, name: str, value: object) -> str:
        if not self.page:
            return colors.normalize(value, name, allow_none=self.none)
        if isinstance(value, str) and value.strip().lower() == PAGE:
            return PAGE
        try:
            return colors.normalize(value, name, allow_none=self.none)
        except ThemeError:
            raise ThemeError(f"{name}: {quote(value)} is not a colour (use #rgb, #rrggbb, a CSS colour name, "
                             f"'none' or '{PAGE}')") from None

    def accepts(self) -> str:
        return ", ".join(["`#rgb`, `#rrggbb` or a CSS colour name",
                          *(f"`{word}`" for word, allowed in (("none", self.none), ("page", self.page)) if allowed)])


def theme_number(value: object, low: float, high: float) -> float | None:
    """``value`` as a number from ``low`` to ``high``, or None (also for a number too big for a
    float: an integer of 400 digits, or of more than the 4300 Python converts from text)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and low <= number <= high else None


@dataclass(frozen=True)
class Measure(ThemeKind):
    """A number from ``low`` to ``high`` (every theme number names its upper bound). ``length``:
    a length in px (a stroke width, a text size, the margin), which keeps its printed size
    whatever the scale of the drawing (``nnsvg.physical``)."""

    name = "number"
    low: float = 0.0
    high: float = math.inf
    length: bool | None = None

    def coerce(self, name: str, value: object) -> float:
        number = theme_number(value, self.low, self.high)
        if number is None:
            raise ThemeError(f"{name}: expected a number {self.range()}, got {quote(value)}")
        return number

    def range(self) -> str:
        return f"from {self.low:g} to {self.high:g}"

    def accepts(self) -> str:
        return self.range() + (" px; keeps its printed size at `--width`/`--height`" if self.length else "")


@dataclass(frozen=True)
class Dash(ThemeKind):
    """A stroke dash pattern: dash and gap lengths in px ("5 3", "5,3", a TOML array or one
    number), or "none" for a solid line; canonical form "5 3"."""

    name = "dash"
    low: float = 0.0
    high: float = math.inf

    def coerce(self, name: str, value: object) -> str:
        if isinstance(value, str) and value.strip().lower() == "none":
            return "none"
        items = value.replace(",", " ").split() if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            items = [items]
        lengths = [theme_number(v, self.low, self.high) for v in items] if len(items) <= DASH_ITEMS else []
        if not lengths or any(v is None for v in lengths) or not any(lengths):
            raise ThemeError(f"{name}: expected a dash pattern such as '5 3' (1 to {DASH_ITEMS} dash and gap "
                             f"lengths from {self.low:g} to {self.high:g} px, not all zero) or 'none', "
                             f"got {quote(value)}")
        return " ".join(f"{v:g}" for v in lengths)

    def range(self) -> str:
        return f"1 to {DASH_ITEMS} lengths, each from {self.low:g} to {self.high:g}"

    def accepts(self) -> str:
        return self.range()


@dataclass(frozen=True)
class Words(ThemeKind):
    """A theme text (a name, a description, a font family list): at most ``longest`` characters
    an SVG file can hold. A number is taken as its text."""

    name = "text"
    longest: int = 300

    def coerce(self, name: str, value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ThemeError(f"{name}: expected text, got {quote(value)}")
        # an integer too long for the limit is refused before str(), which raises past 4300 digits
        too_long = isinstance(value, int) and value.bit_length() > 4 * self.longest
        if too_long or len(text := str(value)) > self.longest:
            raise ThemeError(f"{name}: expected at most {self.longest} characters, got {quote(value)}")
        return text

    def range(self) -> str:
        return f"at most {self.longest} characters"

    def accepts(self) -> str:
        return self.range()
