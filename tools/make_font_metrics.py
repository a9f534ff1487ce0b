"""Regenerate nnsvg/data/font_metrics.json from the DejaVu font files.

nnsvg measures label text with real advance widths so that the viewBox is exact. The table
is generated once from the fonts (fontTools is a development tool only; nnsvg does not need
it or the fonts at run time):

    python tools/make_font_metrics.py /usr/share/fonts/truetype/dejavu
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = {
    "DejaVu Sans": "DejaVuSans.ttf",
    "DejaVu Sans Bold": "DejaVuSans-Bold.ttf",
    "DejaVu Serif": "DejaVuSerif.ttf",
    "DejaVu Sans Mono": "DejaVuSansMono.ttf",
}
LAST_CODEPOINT = 0xFFFF  # the Basic Multilingual Plane covers every label we expect


def runs(widths: dict[int, int]) -> list[list[object]]:
    """Consecutive code points as [first, [advance, ...]] runs: compact and exact."""
    out: list[list[object]] = []
    for cp in sorted(widths):
        if out and cp == out[-1][0] + len(out[-1][1]):  # type: ignore[operator, arg-type]
            out[-1][1].append(widths[cp])  # type: ignore[union-attr]
        else:
            out.append([cp, [widths[cp]]])
    return out


def metrics(path: Path) -> dict[str, object]:
    font = TTFont(path)
    upm = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    widths = {cp: hmtx[name][0] for cp, name in cmap.items() if cp <= LAST_CODEPOINT}
    return {
        "units_per_em": upm,
        "ascent": font["hhea"].ascent,
        "descent": font["hhea"].descent,
        "runs": runs(widths),
    }


def main(folder: str) -> None:
    table = {family: metrics(Path(folder) / file) for family, file in FONTS.items()}
    target = Path(__file__).resolve().parent.parent / "nnsvg" / "data" / "font_metrics.json"
    target.write_text(json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu")
