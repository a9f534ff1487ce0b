"""Renderers: one module per style, each ``render(spec, theme) -> Scene``.

Which module draws which style is in the style registry (``nnsvg.styles``); a renderer is
imported only when its style is drawn, so start-up stays fast.
"""

from __future__ import annotations

from .. import styles
from ..scene import Scene
from ..styles import Spec
from ..theme import Theme


def render(spec: Spec, theme: Theme) -> Scene:
    """The scene of a validated spec, drawn by its style's renderer."""
    return styles.get(spec.style).renderer()(spec, theme)
