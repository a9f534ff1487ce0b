"""The gallery: every spec in ``gallery/specs/`` rendered to ``gallery/<name>.svg`` and
``gallery/<name>.png``, by the project's own code, and checked in CI: for staleness, and each
figure against the figure-quality check (``nnsvg.quality``)."""

from __future__ import annotations

from pathlib import Path

from . import export, quality
from . import spec as specs
from .diagram import Diagram
from .errors import NnsvgError

PNG_SCALE = 2.0  # gallery PNGs are for screens: twice the drawing's px size


def png_size(path: Path) -> tuple[int, int] | None:
    """A PNG's pixel size from its header, or None if the file is missing or not a PNG."""
    try:
        head = path.read_bytes()[:24]
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def spec_files(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "specs").glob("*")
                  if p.suffix.lower() in specs.files.FORMATS)


def build(folder: Path, check: bool = False) -> list[str]:
    """Render the gallery; with ``check`` write nothing and return its problems instead, one line
    each: "stale: …" for a file that does not match its spec, "quality: …" for a figure with a
    problem the quality check finds."""
    sources = spec_files(folder)
    if not sources:
        raise NnsvgError(f"gallery: no spec files in '{folder / 'specs'}'")
    problems = []
    for source in sources:
        diagram = Diagram(specs.load(source))
        svg = diagram.svg()
        svg_path, png_path = folder / f"{source.stem}.svg", folder / f"{source.stem}.png"
        if check:
            if not svg_path.is_file() or svg_path.read_text("utf-8") != svg:
                problems.append(f"stale: {svg_path} does not match {source}")
            width, height = diagram.scene.size()  # px of the output: the page, or its physical size
            wanted = (round(width * PNG_SCALE), round(height * PNG_SCALE))
            if png_size(png_path) != wanted:
                problems.append(f"stale: {png_path} is missing or not {wanted[0]}x{wanted[1]} px")
            problems.extend(f"quality: {svg_path}: {problem}" for problem in quality.check(diagram.scene))
            continue
        export.write_atomic(svg_path, svg.encode("utf-8"))
        export.write_atomic(png_path, diagram.to_bytes("png", scale=PNG_SCALE))
    known = {s.stem for s in sources}
    for orphan in sorted(folder.glob("*.svg")):
        if orphan.stem not in known:
            problems.append(f"stale: {orphan} has no spec in {folder / 'specs'}")
    return problems
