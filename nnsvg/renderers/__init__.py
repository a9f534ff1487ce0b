"""Renderers: one module per style, each ``render(spec, theme) -> Scene``.

``RENDERERS`` maps a style name (the spec's ``style``) to its renderer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..scene import Scene
from ..theme import Theme
from . import alexnet, fcnn, lenet

RENDERERS: dict[str, Callable[[Any, Theme], Scene]] = {"fcnn": fcnn.render, "lenet": lenet.render,
                                                         "alexnet": alexnet.render}


def render(spec: Any, theme: Theme) -> Scene:
    return RENDERERS[spec.style](spec, theme)
