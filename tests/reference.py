"""The reference route the tests compare the cairo backend with: SVG text converted by cairosvg
(the test extra's dependency; nnsvg itself draws PDF, PNG, EPS and PS straight from the scene
with cairo, ``nnsvg.backends.cairo``)."""

from __future__ import annotations

from typing import Any

from nnsvg import formats
from nnsvg.errors import ExportError


def convert(svg: str, fmt: str | formats.Format, *, scale: float = 1.0) -> bytes:
    """SVG text as bytes of ``fmt`` (pdf, png, eps, ps) through cairosvg; ``scale`` sizes a PNG:
    width × scale pixels. cairosvg's failures become an ExportError, as the backends' do."""
    import cairosvg

    f = formats.get(fmt)
    function = {"pdf": cairosvg.svg2pdf, "png": cairosvg.svg2png, "eps": cairosvg.svg2eps,
                "ps": cairosvg.svg2ps}[f.name]
    options: dict[str, Any] = {"scale": scale} if "scale" in f.options else {}
    try:
        data: bytes = function(bytestring=svg.encode("utf-8"), **options)
    except Exception as exc:  # cairo reports its failures as assorted exception types
        raise ExportError(f"{f.name.upper()} conversion failed: {exc}") from None
    return data
