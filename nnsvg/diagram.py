"""``Diagram``: a validated spec with its theme, rendered on demand and saved in any format."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from . import export
from . import spec as specs
from .errors import ExportError
from .renderers import render as render_scene
from .scene import Scene
from .theme import Theme, load_theme


class Diagram:
    """A figure: ``.svg()`` gives the SVG text, ``.save(path)`` writes SVG/PDF/PNG/EPS/PS by
    the path's extension, and in Jupyter it displays itself."""

    def __init__(self, spec: Any, theme: Theme | None = None) -> None:
        self.spec = spec
        self.theme = theme if theme is not None else load_theme(spec.theme, spec.set)
        self._scene: Scene | None = None
        self._svg: str | None = None

    @property
    def scene(self) -> Scene:
        if self._scene is None:
            self._scene = render_scene(self.spec, self.theme)
        return self._scene

    @property
    def notes(self) -> list[str]:
        """What the renderer left out and why (e.g. weight labels on a big network)."""
        return list(self.scene.notes)

    def svg(self) -> str:
        if self._svg is None:
            self._svg = export.to_svg(self.scene)
        return self._svg

    def to_bytes(self, fmt: str = "svg", *, scale: float = 1.0) -> bytes:
        """The figure encoded as ``fmt`` (svg, pdf, png, eps, ps)."""
        if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 < scale <= 100:
            raise ExportError(f"scale: expected a number above 0 and at most 100, got {scale!r}")
        if fmt in ("pdf", "png", "ps", "eps"):  # drawn from the scene: no SVG round trip
            return export.draw(self.scene, fmt, scale=scale)
        return export.convert(self.svg(), fmt, scale=scale)

    def save(self, path: str | os.PathLike[str], *, scale: float = 1.0,
             dpi: float | None = None) -> Path:
        """Write the figure; the format comes from the extension. ``scale`` (or ``dpi``, 96 =
        scale 1) sizes PNG output. The file is replaced only when the new one is complete."""
        if not isinstance(path, str | os.PathLike):
            raise ExportError(f"save: expected a file path, got {path!r}")
        export.check_target(path)
        fmt = export.format_for(path)
        if fmt == "svg":  # streamed: a huge figure is never held twice
            return export.write_atomic(path, export.svg_bytes(self.scene))
        if dpi is not None:
            if isinstance(dpi, bool) or not isinstance(dpi, int | float) or not 0 < dpi < float("inf"):
                raise ExportError(f"dpi: expected a number above 0, got {dpi!r}")
            scale = dpi / 96
        return export.write_atomic(path, self.to_bytes(fmt, scale=scale))

    def spec_text(self, path: str | os.PathLike[str]) -> str:
        """The spec file text that reproduces this figure, for ``path``'s format."""
        return specs.dump(self.spec, path)

    def save_spec(self, path: str | os.PathLike[str]) -> Path:
        """Write the spec that reproduces this figure (YAML, TOML or JSON by extension)."""
        if not isinstance(path, str | os.PathLike):
            raise ExportError(f"save_spec: expected a file path, got {path!r}")
        return export.write_atomic(path, self.spec_text(path).encode("utf-8"))

    def _repr_svg_(self) -> str:
        return self.svg()

    def __repr__(self) -> str:
        return f"<nnsvg.Diagram {self.scene.title!r} theme={self.theme.name!r}>"
