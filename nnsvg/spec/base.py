"""What every style's spec has: layers, theme, theme overrides, seed and labels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from ..kinds import CONNECTION_KINDS
from ..optionkinds import ThemeName
from .fields import option
from .wiring import Block, Blocks, Connections, Link, build_graph, chain_only

if TYPE_CHECKING:
    from ..graph import Graph


class Compact(NamedTuple):
    """Another form of a figure for a narrow page: what the reader is told (a note, "dimension
    labels once per stage") and the spec options that make it."""

    note: str
    changes: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class BaseSpec:
    """Options shared by every style. Subclasses set ``style``, ``parse_layers`` (tokens or
    mappings to layer objects) and ``layer_schema`` (the JSON Schema of one layer); a subclass's
    ``__post_init__`` calls this one's.

    The network's graph (``graph()``) is the layers' chain, or their ``inputs:``, plus
    ``connections`` and ``blocks``. ``branches``: whether the style draws a layer fed by other
    layers than the one before it (else that is an error); ``draws``: which of "connections"
    and "blocks" the style's renderer draws (the others get a note that they are not drawn)."""

    style: ClassVar[str] = ""
    branches: ClassVar[bool] = False
    draws: ClassVar[frozenset[str]] = frozenset()
    # whether every length of the figure follows its text (boxes sized by their text, gaps in the
    # theme's px): at a printed size it is drawn at its own scale, the text at its point size, and
    # the page is the target around it (``nnsvg.physical``), not solved for a scale
    sizes_follow_text: ClassVar[bool] = False
    parse_layers: ClassVar[Any]
    layer_schema: ClassVar[dict[str, Any]]

    layers: tuple[Any, ...] = field(metadata={"kind": "layers", "help": "the layers, in order"})
    theme: str = option("nnsvg", ThemeName(), "theme name or path to a theme .toml file")
    set: dict[str, Any] = option({}, "settings", "theme overrides, key=value")
    seed: int = option(0, "int", "seed of every random choice (FCNN weights and dropout, filter positions)",
                       low=0, high=2**63 - 1)
    labels: bool = option(True, "bool", "draw the captions")
    text_as_paths: bool = option(False, "bool", "draw every label as its glyph outlines (SVG, PDF, EPS, PS; PNG "
                                 "looks the same either way): no fonts in the file, the same look on every machine")
    width: str | None = option(None, "length", "printed width: 3.5in, 8.4cm, 90mm, 229.5pt (TeX points, as "
                               "\\the\\columnwidth prints them), 252bp, 336px, or a preset: column (IEEEtran's, "
                               "252pt), page (7 in), slide (13.33 in), article-column, acm-column, icml-column, "
                               "neurips-text, ...; the layout is solved for it with text and strokes at their true "
                               "size", axis="width")
    legend: str = option("off", "choice", "a legend of the colours and kinds the figure draws: right of the "
                         "drawing, below it, or auto (the side that keeps the figure closer to a page's aspect)",
                         choices=("off", "right", "below", "auto"))
    legend_labels: dict[str, str] = option(
        {}, "labels", "legend labels by entry key (node, bias, map, dense, recurrent, …; an empty text leaves the "
        "entry out), key=text", alias="legend_label")
    connections: tuple[Link, ...] = option(
        (), Connections(), "extra connections (skips, merges): FROM:TO[:KIND[:LABEL]] by 0-based layer index or "
        f"name, KIND one of {', '.join(CONNECTION_KINDS)} (repeatable)", alias="connect")
    blocks: tuple[Block, ...] = option(
        (), Blocks(), "blocks of consecutive layers, framed and labelled: FROM:TO[:LABEL][:xN] by 0-based layer "
        "index or name, xN: drawn once for N repeats (repeatable)", alias="block")
    # the network's graph, built and checked with the spec (``graph()``)
    _graph: Graph | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_graph", build_graph(self.layers, self.connections, self.blocks))
        if not self.branches:
            chain_only(self.layers, self.style)

    def graph(self) -> Graph:
        """The network as a graph (``nnsvg.graph``): layers, connections, blocks."""
        assert self._graph is not None
        return self._graph

    def compact_forms(self) -> tuple[Compact, ...]:
        """The forms of this figure the printed-size search may draw instead when the figure as
        given does not pass the quality check at the asked width, least change first (each
        applied on top of the ones before it). None here; a style's spec says its own."""
        return ()

    def input_files(self) -> list[tuple[str, str]]:
        """The files this spec's options read while it was validated, each with what it is (an
        input image): ``Diagram`` refuses to write over them. The theme's files are the
        theme's (``Diagram.inputs``)."""
        return []

    height: str | None = option(None, "length", "printed height, as width (presets page: 9 in, slide: 7.5 in); with "
                                "width the figure fits inside both", axis="height")
