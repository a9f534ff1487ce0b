"""Specs as plain data: a validated spec from a mapping, and a spec back to the mapping a spec
file holds. Below the file formats (``files``, ``nnsvg.dot``), which read and write these
mappings, so that a format imports this module and never the ``spec`` package."""

from __future__ import annotations

import dataclasses
from typing import Any, cast

from .. import styles
from ..errors import SpecError
from ..styles import Spec
from ..text import quote
from . import fields


def from_dict(data: dict[str, Any], style: str | None = None) -> Spec:
    """A validated spec from a mapping (``style`` from the mapping unless given)."""
    if not isinstance(data, dict):
        raise SpecError(f"a spec is a mapping with 'style' and 'layers', got {quote(data)}")
    name = style or data.get("style")
    if name is None:
        raise SpecError(f"the spec needs 'style' (one of {', '.join(styles.STYLES)})")
    cls = styles.get(name).spec_class()
    return cast(Spec, fields.build(cls, data))


def to_dict(spec: Spec) -> dict[str, Any]:
    """The spec as plain data, in declaration order: what ``--save-spec`` writes."""
    data: dict[str, Any] = {"style": spec.style, "layers": None}
    for f in dataclasses.fields(spec):
        if not f.init:  # derived while validating (e.g. the loaded input image), not an option
            continue
        value = getattr(spec, f.name)
        if f.name == "layers":
            value = [layer.to_data() for layer in value]
        elif f.metadata.get("kind") in ("connections", "blocks"):
            if not value:  # a chain without blocks: nothing to write
                continue
            value = [entry.to_data() for entry in value]
        elif isinstance(value, dict):
            value = dict(value)
        elif value is None:  # an unset optional option: leave it out
            continue
        data[f.name] = value
    return data
