"""Option kinds as objects: what a value of a spec option or a theme key may be.

Each kind is one small frozen dataclass whose fields are the declaration's constraints (bounds,
choices, axis, …). It knows how to check a value (``coerce``, raising the error of its family
with a message that names the option), what the manual says it accepts (``accepts``) and how
its declaration reads as a mapping (``view``: ``{"kind": "int", "low": 0, …}``). A spec
option's kind (``SpecKind``) also knows its JSON Schema, its command-line parameter (metavar,
switch or repeatable, help with bounds and default, how the flag's text becomes spec data) and
the editor's widget for it; a theme key's kind (``nnsvg.themekinds``) knows the range ``nnsvg
themes --keys`` shows. ``nnsvg.spec.fields.option`` and the theme's field helpers declare with these;
the CLI (``nnsvg.flags``), the schema, the manual and the editor ask the object, never the
kind's name. The kinds of a spec's ``connections:`` and ``blocks:`` are ``nnsvg.spec.wiring``'s.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass
from typing import Any, ClassVar

from .errors import SpecError
from .text import check_text, clip, quote
from .units import COMMON_PRESETS, PRESETS, UNITS, canonical

MAX_MATRIX_VALUES = 100_000  # a spec's matrices (FCNN's real weights) hold at most this many numbers
TOP = 10**12  # a bound above this (a seed's 2**63 - 1) is not shown: no one needs to read it
KIND = "kind_object"  # a declaration's key of its kind object (beside the kind's view: "kind", bounds, …)


@dataclass(frozen=True)
class Kind:
    """What every option kind knows: its name, how to check a value, what the manual says."""

    name: ClassVar[str]
    manual: ClassVar[str] = ""  # what a value looks like, for the manual's "accepts" column

    def coerce(self, name: str, value: object) -> Any:
        """The canonical value, or the kind's error naming ``name`` and the value."""
        raise NotImplementedError

    def accepts(self) -> str:
        return self.manual

    def view(self) -> dict[str, Any]:
        """The declaration as a mapping: the kind's name and every constraint given."""
        constraints = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {"kind": self.name, **{k: v for k, v in constraints.items() if v is not None}}

    def declared(self, **more: Any) -> dict[str, Any]:
        """A field's metadata: the view, ``more`` (help, doc, alias) and the object itself."""
        return {**self.view(), **more, KIND: self}


# --- spec options ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SpecKind(Kind):
    """A spec option's kind: also its JSON Schema, its command-line flag and its editor widget."""

    metavar: ClassVar[str] = "TEXT"
    widget: ClassVar[str] = "text"  # the editor's control (editor.js builds one per widget name)
    switch: ClassVar[bool] = False  # --x/--no-x
    repeatable: ClassVar[bool] = False  # the flag may be given more than once (a list of texts)

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def bounds(self) -> tuple[float | None, float | None]:
        return None, None

    def number(self, value: float) -> str:
        """A bound as help and manual show it."""
        return f"{value:,g}"

    def shown_default(self, default: Any) -> str | bool:
        """A default as ``--help`` and the manual show it, or False for none."""
        if default is None:
            return False
        if isinstance(default, list | tuple):
            return ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in default)
        if isinstance(default, float):
            return f"{default:g}"
        return str(default)

    def cli_metavar(self) -> str:
        return self.metavar

    def cli_help(self, name: str, help: str, default: Any) -> str:
        """The flag's help: the declared help, the bounds and the default."""
        low, high = self.bounds()
        if high is not None and high > TOP:
            high = None
        if low is not None and high is not None:
            help += f" (from {self.number(low)} to {self.number(high)})"
        elif low is not None:
            help += f" (at least {self.number(low)})"
        shown = self.shown_default(default)
        return f"{help}  [default: {shown}]" if shown else help

    def from_cli(self, name: str, value: Any) -> Any:
        """The flag's value (text, or a list of texts when repeatable) as checked spec data."""
        return self.coerce(name, value)


def number_in(name: str, value: object, low: float | None, high: float | None, integer: bool) -> float | int:
    """A number within the bounds from a number or its text (numpy's numbers too), or a
    SpecError that names the option; never an OverflowError, whatever the size."""
    kind = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real | str):
        raise SpecError(f"{name}: expected {kind}, got {quote(value)}")
    if isinstance(value, str) and len(value) > 50:  # no bound needs more digits; int() of 5000 fails
        raise SpecError(f"{name}: expected {kind}, got a text of {len(value):,} characters")
    try:
        if isinstance(value, numbers.Integral):
            number: float | int = int(value) if integer else float(value)
        elif integer and isinstance(value, str):
            number = int(value)
        else:
            number = float(value)
            if integer:
                if not number.is_integer():
                    raise ValueError
                number = int(number)
    except (TypeError, ValueError):
        raise SpecError(f"{name}: expected {kind}, got {quote(value)}") from None
    except OverflowError:  # an infinite float made whole, an int too big for a float
        raise SpecError(f"{name}: expected a finite number, got {quote(value)}") from None
    if isinstance(number, float) and not math.isfinite(number):
        raise SpecError(f"{name}: expected a finite number, got {quote(value)}")
    lowest, highest = -math.inf if low is None else low, math.inf if high is None else high
    if not lowest <= number <= highest:
        if math.isfinite(highest):
            raise SpecError(f"{name}: expected a value from {lowest:g} to {highest:g}, got {quote(value)}")
        raise SpecError(f"{name}: expected a value of at least {lowest:g}, got {quote(value)}")
    return number


class Bool(SpecKind):
    name = "bool"
    manual = "on/off (`true`/`false` in a spec file)"
    widget = "checkbox"
    switch = True

    def coerce(self, name: str, value: object) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "yes", "on", "1", "false", "no", "off", "0"):
            return value.lower() in ("true", "yes", "on", "1")
        raise SpecError(f"{name}: expected true or false, got {quote(value)}")

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def shown_default(self, default: Any) -> str | bool:
        return False if default is None else "on" if default else "off"


@dataclass(frozen=True)
class Number(SpecKind):
    """A number from ``low`` to ``high`` (each optional)."""

    name = "number"
    manual = "number"
    metavar = "NUMBER"
    widget = "number"
    low: float | None = None
    high: float | None = None

    def coerce(self, name: str, value: object) -> Any:
        return number_in(name, value, self.low, self.high, integer=False)

    def bounds(self) -> tuple[float | None, float | None]:
        return self.low, self.high

    def bounded(self) -> dict[str, float]:
        """The finite bounds as JSON Schema keywords."""
        return {key: v for key, v in (("minimum", self.low), ("maximum", self.high))
                if v is not None and math.isfinite(v)}

    def schema(self) -> dict[str, Any]:
        return {"type": "number", **self.bounded()}

    def accepts(self) -> str:
        low, high = self.bounds()
        if low is not None and high is not None and high <= TOP:
            return f"{self.manual}, {self.number(low)} to {self.number(high)}"
        return f"{self.manual}, at least {self.number(low)}" if low is not None else self.manual


class Int(Number):
    name = "int"
    manual = "whole number"
    metavar = "INTEGER"
    widget = "integer"

    def coerce(self, name: str, value: object) -> Any:
        return number_in(name, value, self.low, self.high, integer=True)

    def number(self, value: float) -> str:
        return f"{int(value):,}"

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", **self.bounded()}


class Numbers(Number):
    """One number, or one per item (a list, or comma-separated text)."""

    name = "numbers"
    manual = "number, or one per item (`20,10,20`; a list in a spec file)"
    metavar = "N[,N...]"
    widget = "numbers"

    def coerce(self, name: str, value: object) -> Any:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            items = [items]
        if not items:
            raise SpecError(f"{name}: expected a number or a list of numbers, got {quote(value)}")
        found = [number_in(f"{name}[{i}]" if len(items) > 1 else name, v, self.low, self.high, integer=False)
                 for i, v in enumerate(items)]
        return found[0] if len(found) == 1 and not isinstance(value, list | tuple) else found

    def schema(self) -> dict[str, Any]:
        one = super().schema()
        return {"oneOf": [one, {"type": "array", "items": one, "minItems": 1}]}


@dataclass(frozen=True)
class Choice(SpecKind):
    name = "choice"
    manual = "one of"
    widget = "select"
    choices: tuple[str, ...] = ()

    def coerce(self, name: str, value: object) -> str:
        if not isinstance(value, str) or value not in self.choices:
            raise SpecError(f"{name}: expected one of {', '.join(self.choices)}, got {quote(value)}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}

    def accepts(self) -> str:
        return f"{self.manual} " + ", ".join(f"`{c}`" for c in self.choices)

    def cli_metavar(self) -> str:
        return "[" + "|".join(self.choices) + "]"


class Text(SpecKind):
    name = "text"
    manual = "text"

    def coerce(self, name: str, value: object) -> str:
        if not isinstance(value, str):
            raise SpecError(f"{name}: expected text, got {quote(value)}")
        return check_text(value, name)

    def schema(self) -> dict[str, Any]:
        return {"type": "string"}


class ThemeName(Text):
    """A theme: a built-in theme's name or a theme file's path (the editor offers the names)."""

    widget = "themes"


class Texts(SpecKind):
    name = "texts"
    manual = "texts, comma-separated (a list in a spec file)"
    metavar = "TEXT[,TEXT...]"
    widget = "texts"

    def coerce(self, name: str, value: object) -> list[str]:
        items = [t.strip() for t in value.split(",")] if isinstance(value, str) else value
        if not isinstance(items, list | tuple) or not all(isinstance(t, str) for t in items):
            raise SpecError(f"{name}: expected a list of texts (or one comma-separated text), got {quote(value)}")
        return [check_text(t, f"{name}[{i}]") for i, t in enumerate(items)]

    def schema(self) -> dict[str, Any]:
        return {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}


def anycase(word: str) -> str:
    """A regex matching ``word`` in any case: JSON Schema's regexes have no flags."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


@dataclass(frozen=True)
class Length(SpecKind):
    """A printed size along ``axis``: 3.5in, 8.4cm, or a preset (``nnsvg.units``)."""

    name = "length"
    manual = "a length with a unit (`3.5in`, `8.4cm`, `229.5pt`, `252bp`, `336px`) or"
    metavar = "LENGTH"
    widget = "length"
    axis: str = "width"

    def coerce(self, name: str, value: object) -> str:
        return canonical(name, value, self.axis)

    def schema(self) -> dict[str, Any]:
        # the parser lower-cases the text (3.5IN, Column)
        units = "|".join(anycase(u) for u in UNITS)
        presets = "|".join(anycase(p) for p in PRESETS["height" if self.axis == "height" else "width"])
        number = r"([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?"
        return {"type": "string", "pattern": rf"^\s*(({presets})|{number}\s*({units}))\s*$"}

    def accepts(self) -> str:
        presets = PRESETS[self.axis]
        common = ", ".join(f"`{name}` ({presets[name][0]:g} {presets[name][1]})" for name in COMMON_PRESETS
                           if name in presets)
        return f"{self.manual} {common}, or a document class's (papers-and-latex.md)"


def pairs(items: list[str], name: str = "--set") -> dict[str, str]:
    """``--set key=value`` items (or another repeatable key=value option's) as a mapping."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SpecError(f"{name}: expected key=value, got {item!r}")
        out[key.strip()] = value.strip()
    return out


class Settings(SpecKind):
    """Theme overrides: theme key → value (checked by the theme when it is loaded)."""

    name = "settings"
    manual = "`KEY=VALUE`, repeatable (a mapping in a spec file)"
    metavar = "KEY=VALUE"
    widget = "settings"
    repeatable = True

    def coerce(self, name: str, value: object) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise SpecError(f"{name}: expected a mapping of theme keys to values, got {quote(value)}")
        for key, item in value.items():
            if not isinstance(key, str) or not isinstance(item, str | int | float) or isinstance(item, bool):
                raise SpecError(f"{name}: '{key}' must map to a colour, number or text, got {quote(item)}")
        return dict(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": {"type": ["string", "number"]}}

    def shown_default(self, default: Any) -> str | bool:
        return False

    def cli_help(self, name: str, help: str, default: Any) -> str:
        return f"{help}: --{name} node.fill=#ffcc00 (repeatable; `nnsvg themes --keys` lists the keys)"

    def from_cli(self, name: str, value: Any) -> Any:
        return pairs(value, name)


class Labels(SpecKind):
    """Texts by key (``legend_labels: {bias: "+1 unit"}``)."""

    name = "labels"
    manual = "`KEY=TEXT`, repeatable (a mapping in a spec file)"
    metavar = "KEY=TEXT"
    repeatable = True

    def coerce(self, name: str, value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            raise SpecError(f"{name}: expected a mapping of keys to texts, got {quote(value)}")
        out: dict[str, str] = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key.strip():
                raise SpecError(f"{name}: expected text keys, got {quote(key)}")
            if not isinstance(item, str | int | float) or isinstance(item, bool):
                raise SpecError(f"{name}.{clip(key)}: expected text, got {quote(item)}")
            out[check_text(key.strip(), name)] = check_text(str(item), f"{name}.{clip(key)}")
        return out

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": {"type": "string"}}

    def shown_default(self, default: Any) -> str | bool:
        return False

    def cli_help(self, name: str, help: str, default: Any) -> str:
        return f"{help} (repeatable)"

    def from_cli(self, name: str, value: Any) -> Any:
        return self.coerce(name, pairs(value, name))


class Matrices(SpecKind):
    """A list of matrices of finite numbers (lists of equal-length rows), from data or its JSON
    text (the CLI's form)."""

    name = "matrices"
    manual = "a list of matrices: JSON text on the command line, lists in a spec file"
    metavar = "JSON"

    def coerce(self, name: str, value: object) -> list[list[list[float]]]:
        if isinstance(value, str):
            import json

            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                raise SpecError(f"{name}: expected a list of matrices as JSON ([[[0.5, -1], [2, 0]]]), got "
                                f"{quote(value)}") from None
        if not isinstance(value, list | tuple):
            raise SpecError(f"{name}: expected a list of matrices (lists of rows of numbers), got {quote(value)}")
        out: list[list[list[float]]] = []
        count = 0
        for k, matrix in enumerate(value):
            if not isinstance(matrix, list | tuple) or not matrix:
                raise SpecError(f"{name}[{k}]: expected a matrix (a list of rows of numbers), got {quote(matrix)}")
            rows = []
            for r, row in enumerate(matrix):
                if not isinstance(row, list | tuple) or not row:
                    raise SpecError(f"{name}[{k}][{r}]: expected a row of numbers, got {quote(row)}")
                count += len(row)
                if count > MAX_MATRIX_VALUES:
                    raise SpecError(f"{name}: more than {MAX_MATRIX_VALUES:,} numbers; a figure shows no more")
                rows.append([float(number_in(f"{name}[{k}][{r}]", v, None, None, False)) for v in row])
            out.append(rows)
        return out

    def schema(self) -> dict[str, Any]:
        row = {"type": "array", "minItems": 1, "items": {"type": "number"}}
        return {"type": "array", "items": {"type": "array", "minItems": 1, "items": row}}


# every spec kind a declaration may name by its word (``option(0, "int", ...)``); the kinds of
# connections and blocks are nnsvg.spec.wiring's, declared with their objects
SPEC_KINDS: tuple[type[SpecKind], ...] = (Bool, Int, Number, Numbers, Choice, Text, Texts, Length, Settings,
                                          Labels, Matrices)


def spec_kind(word: str, **constraints: Any) -> SpecKind:
    """The kind object a declaration names by its word, with its constraints."""
    found = next((cls for cls in SPEC_KINDS if cls.name == word), None)
    assert found is not None, word
    return found(**constraints)
