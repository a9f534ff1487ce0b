"""A segment against a box, for tests that check labels clear of lines: an independent oracle
(Liang-Barsky clipping), not the quality check's own geometry."""

from __future__ import annotations

from nnsvg.geometry import BBox


def crosses(box: BBox, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether the segment a-b meets the box."""
    (x0, y0), (x1, y1) = a, b
    lo, hi = 0.0, 1.0
    for p, q in ((x0 - x1, x0 - box.x0), (x1 - x0, box.x1 - x0), (y0 - y1, y0 - box.y0), (y1 - y0, box.y1 - y0)):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            lo = max(lo, q / p)
        else:
            hi = min(hi, q / p)
    return lo <= hi
