"""Renderers: one module per style, each ``render(spec, theme) -> Scene``.

Which module draws which style is in the style registry (``nnsvg.styles``); a renderer is
imported only when its style is drawn, so start-up stays fast. A style places and draws its
layers; the chain styles (fcnn, lenet, alexnet) then hand what they placed to the one shared
decoration pass (``layout.decorate``: skips, merge marks, frames ×N), and ``render`` below
places the legend after every style.
"""

from __future__ import annotations

from .. import fonts, styles
from ..layout import legend
from ..scene import Scene, Text
from ..styles import Spec
from ..theme import Theme


def render(spec: Spec, theme: Theme) -> Scene:
    """The scene of a validated spec, drawn by its style's renderer, with a note for each
    font family that resolved to nothing (``nnsvg.fonts``); with ``text_as_paths`` every
    label becomes its glyph outlines (``nnsvg.outlines``)."""
    scene = styles.get(spec.style).renderer()(spec, theme)
    scene.notes.extend(undrawn(spec))
    legend.place(scene, spec, theme)
    texts: dict[str, list[str]] = {}
    for item in scene.walk():
        if isinstance(item, Text):
            texts.setdefault(item.family, []).append(item.text)
    for family, strings in texts.items():
        scene.notes.extend(n for n in fonts.notes_for(family, strings) if n not in scene.notes)
    if spec.text_as_paths:
        from ..outlines import outline_scene

        outline_scene(scene)
    return scene


def undrawn(spec: Spec) -> list[str]:
    """A note for the extra connections and the blocks of a spec whose style does not draw them
    (the rnn style draws its chain and its own recurrent loops, nothing else): which ones, so
    that nothing in the spec is left out silently. fcnn, lenet and alexnet draw both
    (``layout.decorate``)."""
    graph = spec.graph()
    notes = []
    extra = graph.extra_connections()
    if extra and "connections" not in spec.draws:
        shown = ", ".join(f"{c.source}→{c.target} ({c.kind})" for c in extra[:4])
        more = f" and {len(extra) - 4} more" if len(extra) > 4 else ""
        notes.append(f"the {spec.style} style draws only its chain and its own recurrent loops; extra "
                     f"connections are not drawn: {shown}{more}")
    if graph.groups and "blocks" not in spec.draws:
        shown = ", ".join(f"{g.first}..{g.last}" for g in graph.groups[:4])
        more = f" and {len(graph.groups) - 4} more" if len(graph.groups) > 4 else ""
        notes.append(f"the {spec.style} style does not frame blocks; not drawn: {shown}{more}")
    return notes
