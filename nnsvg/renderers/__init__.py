"""Renderers: one module per style, each ``render(spec, theme) -> Scene``.

Which module draws which style is in the style registry (``nnsvg.styles``); a renderer is
imported only when its style is drawn, so start-up stays fast.
"""

from __future__ import annotations

from .. import fonts, styles
from ..scene import Scene, Text
from ..styles import Spec
from ..theme import Theme


def render(spec: Spec, theme: Theme) -> Scene:
    """The scene of a validated spec, drawn by its style's renderer, with a note for each
    font family that resolved to nothing (``nnsvg.fonts``); with ``text_as_paths`` every
    label becomes its glyph outlines (``nnsvg.outlines``)."""
    scene = styles.get(spec.style).renderer()(spec, theme)
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
