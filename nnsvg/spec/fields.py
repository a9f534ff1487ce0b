"""Field-driven validation shared by every style's spec dataclass.

A spec option is declared once, with ``option(...)``: its default, its kind and its help text.
The same declaration validates spec files and CLI values, names the option in error messages,
and documents it (CLI help, JSON Schema).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import BaseSpec

from ..errors import SpecError
from ..text import check_text, clip, nearest, quote

KINDS = ("bool", "int", "number", "choice", "numbers", "text", "texts", "settings", "layers", "length",
         "connections", "blocks", "matrices", "labels")
MAX_MATRIX_VALUES = 100_000  # a spec's matrices (FCNN's real weights) hold at most this many numbers


def option(default: Any, kind: str, help: str, **constraints: Any) -> Any:
    """Declare a spec option. Constraints: ``choices`` (choice), ``low``/``high`` (int, number,
    numbers)."""
    assert kind in KINDS, kind
    meta = {"kind": kind, "help": help, **constraints}
    if isinstance(default, dict | list):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


def _number(name: str, value: object, meta: dict[str, Any], integer: bool) -> float | int:
    """A number within the declared bounds from a number or its text (numpy's numbers too), or
    a SpecError that names the option; never an OverflowError, whatever the size."""
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
    low, high = meta.get("low", -math.inf), meta.get("high", math.inf)
    if not low <= number <= high:
        if math.isfinite(high):
            raise SpecError(f"{name}: expected a value from {low:g} to {high:g}, got {quote(value)}")
        raise SpecError(f"{name}: expected a value of at least {low:g}, got {quote(value)}")
    return number


def _bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "yes", "on", "1", "false", "no", "off", "0"):
        return value.lower() in ("true", "yes", "on", "1")
    raise SpecError(f"{name}: expected true or false, got {quote(value)}")


def coerce(name: str, value: object, meta: dict[str, Any]) -> Any:
    """Validate one option value against its declaration; returns the canonical value."""
    kind = meta["kind"]
    if kind == "bool":
        return _bool(name, value)
    if kind in ("int", "number"):
        return _number(name, value, meta, integer=kind == "int")
    if kind == "choice":
        choices = meta["choices"]
        if not isinstance(value, str) or value not in choices:
            raise SpecError(f"{name}: expected one of {', '.join(choices)}, got {quote(value)}")
        return value
    if kind == "numbers":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            items = [items]
        if not items:
            raise SpecError(f"{name}: expected a number or a list of numbers, got {quote(value)}")
        numbers = [_number(f"{name}[{i}]" if len(items) > 1 else name, v, meta, integer=False)
                   for i, v in enumerate(items)]
        return numbers[0] if len(numbers) == 1 and not isinstance(value, list | tuple) else numbers
    if kind == "text":
        if not isinstance(value, str):
            raise SpecError(f"{name}: expected text, got {quote(value)}")
        return check_text(value, name)
    if kind == "texts":
        items = [t.strip() for t in value.split(",")] if isinstance(value, str) else value
        if not isinstance(items, list | tuple) or not all(isinstance(t, str) for t in items):
            raise SpecError(f"{name}: expected a list of texts (or one comma-separated text), got {quote(value)}")
        return [check_text(t, f"{name}[{i}]") for i, t in enumerate(items)]
    if kind == "length":  # a physical size: 3.5in, 8.4cm, column (nnsvg.physical)
        from ..units import canonical

        return canonical(name, value, meta.get("axis", "width"))
    if kind == "matrices":
        return _matrices(name, value)
    if kind in ("connections", "blocks"):  # a graph's extra connections and blocks (nnsvg.spec.wiring)
        from . import wiring

        return wiring.links(name, value) if kind == "connections" else wiring.blocks(name, value)
    if kind == "labels":  # texts by key (legend_labels: {bias: "+1 unit"})
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
    if kind == "settings":
        if not isinstance(value, dict):
            raise SpecError(f"{name}: expected a mapping of theme keys to values, got {quote(value)}")
        for key, item in value.items():
            if not isinstance(key, str) or not isinstance(item, str | int | float) or isinstance(item, bool):
                raise SpecError(f"{name}: '{key}' must map to a colour, number or text, got {quote(item)}")
        return dict(value)
    raise AssertionError(kind)


def _matrices(name: str, value: object) -> list[list[list[float]]]:
    """A list of matrices of finite numbers (lists of equal-length rows), from data or its JSON
    text (the CLI's form)."""
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
            rows.append([float(_number(f"{name}[{k}][{r}]", v, {}, integer=False)) for v in row])
        out.append(rows)
    return out


def build(cls: type[BaseSpec], data: dict[str, Any]) -> BaseSpec:
    """An instance of the spec dataclass ``cls`` from a mapping, every value validated."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key == "style":
            continue
        if key not in fields:
            raise SpecError(f"unknown option '{key}' for style '{cls.style}'{nearest(key, list(fields))}")
        meta = fields[key].metadata
        kwargs[key] = cls.parse_layers(value) if meta["kind"] == "layers" else coerce(key, value, dict(meta))
    if "layers" not in kwargs:
        raise SpecError(f"style '{cls.style}' needs 'layers' (a list of layer sizes)")
    return cls(**kwargs)


def options(cls: type[BaseSpec]) -> dict[str, dict[str, Any]]:
    """Every option of a spec dataclass but ``layers``: name → declaration metadata."""
    return {f.name: dict(f.metadata) for f in dataclasses.fields(cls) if f.name != "layers" and f.init}


def json_type(meta: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one option declaration."""
    kind = meta["kind"]
    bounds = {k2: meta[k1] for k1, k2 in (("low", "minimum"), ("high", "maximum"))
              if k1 in meta and math.isfinite(meta[k1])}
    if kind == "bool":
        return {"type": "boolean"}
    if kind in ("int", "number"):
        return {"type": "integer" if kind == "int" else "number", **bounds}
    if kind == "choice":
        return {"enum": list(meta["choices"])}
    if kind == "numbers":
        one = {"type": "number", **bounds}
        return {"oneOf": [one, {"type": "array", "items": one, "minItems": 1}]}
    if kind == "text":
        return {"type": "string"}
    if kind == "texts":
        return {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    if kind == "length":
        from ..units import PRESETS, UNITS

        # the parser lower-cases the text (3.5IN, Column); JSON Schema's regexes have no flags
        def anycase(word: str) -> str:
            return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)

        units = "|".join(anycase(u) for u in UNITS)
        presets = "|".join(anycase(p) for p in PRESETS["height" if meta.get("axis") == "height" else "width"])
        number = r"([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?"
        return {"type": "string", "pattern": rf"^\s*(({presets})|{number}\s*({units}))\s*$"}
    if kind in ("connections", "blocks"):
        from . import wiring

        return wiring.json_type(kind)
    if kind == "settings":
        return {"type": "object", "additionalProperties": {"type": ["string", "number"]}}
    if kind == "labels":
        return {"type": "object", "additionalProperties": {"type": "string"}}
    if kind == "matrices":
        row = {"type": "array", "minItems": 1, "items": {"type": "number"}}
        return {"type": "array", "items": {"type": "array", "minItems": 1, "items": row}}
    raise AssertionError(kind)
