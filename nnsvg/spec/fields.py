"""Field-driven validation shared by every style's spec dataclass.

A spec option is declared once, with ``option(...)``: its default, its kind and its help text.
The kind is an object (``nnsvg.optionkinds``) that validates spec files and CLI values, names
the option in error messages, and documents it (CLI help, JSON Schema, the manual, the editor's
control).
"""

from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import Any, ClassVar, Protocol

from ..errors import SpecError
from ..optionkinds import KIND, SpecKind, spec_kind
from ..text import nearest


class SpecClass(Protocol):
    """What ``build`` needs of a spec dataclass (``nnsvg.spec.base.BaseSpec``)."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]
    style: ClassVar[str]
    parse_layers: ClassVar[Any]


def option(default: Any, kind: str | SpecKind, help: str, *, alias: str | None = None, **constraints: Any) -> Any:
    """Declare a spec option: its kind by word (with its constraints: ``choices`` for choice,
    ``low``/``high`` for int, number, numbers, ``axis`` for length) or as a kind object;
    ``alias``: a second, short flag name (``--connect``)."""
    kind_object = kind if isinstance(kind, SpecKind) else spec_kind(kind, **constraints)
    meta = kind_object.declared(help=help, **({"alias": alias} if alias else {}))
    if isinstance(default, dict | list):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


def kind_of(meta: dict[str, Any]) -> SpecKind:
    """The kind object of a declaration (or of a mapping such as ``{"kind": "int", "low": 0}``)."""
    found = meta.get(KIND)
    if isinstance(found, SpecKind):
        return found
    return spec_kind(meta["kind"], **{k: v for k, v in meta.items() if k not in ("kind", "help", "alias")})


def coerce(name: str, value: object, meta: dict[str, Any]) -> Any:
    """Validate one option value against its declaration; returns the canonical value."""
    return kind_of(meta).coerce(name, value)


def json_type(meta: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one option declaration."""
    return kind_of(meta).schema()


def build(cls: type[SpecClass], data: dict[str, Any]) -> SpecClass:
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


def options(cls: type[SpecClass]) -> dict[str, dict[str, Any]]:
    """Every option of a spec dataclass but ``layers``: name → declaration metadata."""
    return {f.name: dict(f.metadata) for f in dataclasses.fields(cls) if f.name != "layers" and f.init}
