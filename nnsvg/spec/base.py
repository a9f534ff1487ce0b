"""What every style's spec has: layers, theme, theme overrides, seed and labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .fields import option


@dataclass(frozen=True, kw_only=True)
class BaseSpec:
    """Options shared by every style. Subclasses set ``style``, ``parse_layers`` (tokens or
    mappings to layer objects) and ``layer_schema`` (the JSON Schema of one layer)."""

    style: ClassVar[str] = ""
    parse_layers: ClassVar[Any]
    layer_schema: ClassVar[dict[str, Any]]

    layers: tuple[Any, ...] = field(metadata={"kind": "layers", "help": "the layers, in order"})
    theme: str = option("nnsvg", "text", "theme name or path to a theme .toml file")
    set: dict[str, Any] = option({}, "settings", "theme overrides, key=value")
    seed: int = option(0, "int", "seed of every random choice (FCNN weights and dropout, filter positions)",
                       low=0, high=2**63 - 1)
    labels: bool = option(True, "bool", "draw the captions")
    text_as_paths: bool = option(False, "bool", "draw every label as its glyph outlines (SVG, PDF, EPS, PS; PNG "
                                 "looks the same either way): no fonts in the file, the same look on every machine")
    width: str | None = option(None, "length", "printed width: 3.5in, 8.4cm, 90mm, 252pt, 336px, or column (3.5 in), "
                               "page (7 in), slide (13.33 in); the layout is solved for it with text and strokes at "
                               "their true size", axis="width")
    height: str | None = option(None, "length", "printed height, as width (presets page: 9 in, slide: 7.5 in); with "
                                "width the figure fits inside both", axis="height")
