"""Renderers: one module per style, each ``render(spec, theme) -> Scene``.

``RENDERERS`` maps a style name (the spec's ``style``) to its module in this package; a
renderer is imported only when its style is drawn, so start-up stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ..scene import Scene
from ..theme import Theme

RENDERERS: dict[str, str] = {"fcnn": "fcnn", "lenet": "lenet", "alexnet": "alexnet", "rnn": "rnn"}


def render(spec: Any, theme: Theme) -> Scene:
    module = import_module(f"{__name__}.{RENDERERS[spec.style]}")
    return module.render(spec, theme)  # type: ignore[no-any-return]
