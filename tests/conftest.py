"""Shared helpers: parse SVG output, run the CLI in-process, look at element counts."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import settings

from nnsvg.cli import main

# CI runs the property tests on a fixed set of examples, so a submission's result does not
# depend on the draw; developers' runs keep exploring new inputs.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

NS = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parent.parent


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def find(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(NS + tag))


def edge_count(root: ET.Element) -> int:
    """Edges = 'M' commands in the paths inside <g class="edges">."""
    total = 0
    for group in find(root, "g"):
        if group.get("class") == "edges":
            total += sum(p.get("d", "").count("M") for p in group.iter(NS + "path"))
    return total


def layer_group(root: ET.Element, index: int) -> ET.Element:
    for group in find(root, "g"):
        if group.get("id") == f"layer-{index}":
            return group
    raise AssertionError(f"no layer-{index}")


def viewbox(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in root.get("viewBox", "").split())
    return x, y, w, h


def numbers(d: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]


def assert_clear(diagram: object) -> list[object]:
    """No two texts overlap, every drawn thing is inside the page, and the SVG's viewBox is the
    page; returns the texts."""
    from nnsvg.scene import Text

    scene = diagram.scene  # type: ignore[attr-defined]
    texts = [p for p in scene.walk() if isinstance(p, Text)]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert not a.box.overlaps(b.box), (a.text, b.text)
    page = scene.page()
    for prim in scene.walk():
        assert page.contains(prim.bbox())
    # whole px, or (laid out for a physical size) hundredths of a unit, written with two decimals
    shown = viewbox(parse(diagram.svg()))  # type: ignore[attr-defined]
    page_box = (page.x0, page.y0, page.width, page.height)
    assert all(abs(a - b) <= 1e-9 * max(1.0, abs(b)) for a, b in zip(shown, page_box))
    return texts


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run ``nnsvg ARGS`` in-process: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
