"""The blocks style at a printed size: every length follows the text (boxes sized by it), so the
figure is drawn at its own scale with the text at its point size, on a page exactly the asked
width; a figure bigger than the target is refused with what fits, each suggestion checked."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg import quality, units
from nnsvg.diagram import Diagram
from nnsvg.errors import SpecError
from nnsvg.scene import Text
from nnsvg.theme import load_theme

from .test_physical import pdf_page

GALLERY = Path(__file__).resolve().parent.parent / "gallery" / "specs"
SPECS = sorted(p.stem for p in GALLERY.glob("blocks-*.yaml"))
# too wide at 9 pt however the page is given: their own width at 9 pt is over the target
REFUSED = {("blocks-inception", "column"), ("blocks-transformer", "column"), ("blocks-resnet18", "column"),
           ("blocks-resnet18", "page")}


def sized(name: str, **size: str) -> Diagram:
    spec = nnsvg.load(GALLERY / f"{name}.yaml").spec
    return Diagram(dataclasses.replace(spec, **size))  # type: ignore[arg-type]


def test_the_style_declares_that_its_sizes_follow_its_text() -> None:
    from nnsvg.styles import STYLES

    follow = {name for name, style in STYLES.items() if style.spec_class().sizes_follow_text}
    assert follow == {"blocks"}


@pytest.mark.parametrize("width", ["column", "page"])
@pytest.mark.parametrize("name", SPECS)
def test_gallery_blocks_at_column_and_page(name: str, width: str) -> None:
    """The page is the asked width; the drawing is its own size (height: the figure's own, in pt;
    not the text-sized boxes blown up to fill the width), every glyph at the theme's size, no
    quality problem; or the figure is refused with suggestions, each of which fits."""
    own = nnsvg.load(GALLERY / f"{name}.yaml")
    diagram = sized(name, width=width)
    length = units.parse(width)
    target = units.exact(length.px, length.unit) * units.PT_PER_PX
    if (name, width) in REFUSED:
        with pytest.raises(SpecError) as caught:
            diagram.to_bytes("svg")
        message = str(caught.value)
        assert "\n" not in message and "with its text at 9 pt" in message
        fixes = re.findall(r"--width ([0-9.]+(?:in|pt))|--direction (\w+)|--set text\.size=([0-9.]+)", message)
        assert fixes
        for wide, direction, size in fixes:
            options: dict[str, Any] = {"width": wide or width}
            if direction:
                options["direction"] = direction
            if size:
                options["set"] = {"text.size": float(size)}
            page_width, *_ = pdf_page(sized(name, **options).to_bytes("pdf"))
            wanted = units.parse(options["width"])
            assert page_width == pytest.approx(units.exact(wanted.px, wanted.unit) * units.PT_PER_PX, abs=1e-3)
        return
    page_width, page_height, sizes, _ = pdf_page(diagram.to_bytes("pdf"))
    assert page_width == pytest.approx(target, abs=1e-3)
    natural = own.scene.bbox().grow(load_theme(own.spec.theme).margin)
    assert natural.width * 0.75 <= target
    assert page_height == pytest.approx(natural.height * 0.75, abs=0.05)
    nominal = load_theme(own.spec.theme).text.size * 0.75
    assert sizes and max(sizes) == pytest.approx(nominal, abs=0.005)
    texts = [t for t in diagram.scene.walk() if isinstance(t, Text)]
    big = sum(len(t.text.replace(" ", "")) for t in texts if t.size == load_theme(own.spec.theme).text.size)
    assert sum(abs(s - nominal) < 0.005 for s in sizes) >= big > 0
    assert quality.check(diagram.scene) == []


def test_drawn_centred_on_the_page() -> None:
    diagram = sized("blocks-resnet-basic", width="page")
    printed = diagram.scene.printed
    assert printed is not None and printed.width == pytest.approx(7 * 96)
    drawn = diagram.scene.bbox()
    frame = printed.frame
    assert drawn.x0 - frame.x0 == pytest.approx(frame.x1 - drawn.x1, abs=0.02)
    assert printed.scale == pytest.approx(1.0, abs=1e-4)  # its own scale: 1 drawing px = 1 printed px


def test_a_height_it_cannot_fit_names_the_other_direction_that_does() -> None:
    """The basic block is 4.3 in high bottom to top: in 3 in it is refused with --direction lr
    (checked: left to right it fits inside both)."""
    diagram = sized("blocks-resnet-basic", width="page", height="3in")
    with pytest.raises(SpecError, match=r"--height 3in: the figure is 4\.\d+ in high .*--direction lr"):
        diagram.to_bytes("svg")
    fitted = sized("blocks-resnet-basic", width="page", height="3in", direction="lr")
    width, height, sizes, _ = pdf_page(fitted.to_bytes("pdf"))
    assert width <= 504 + 1e-3 and height <= 216 + 1e-3
    assert max(width - 504, height - 216) == pytest.approx(0, abs=1e-3)  # one side is the target's
    assert max(sizes) == pytest.approx(9, abs=0.005)


def test_width_and_height_fit_inside_both() -> None:
    diagram = sized("blocks-resnet-bottleneck", width="column", height="page")
    width, height, _, _ = pdf_page(diagram.to_bytes("pdf"))
    assert width == pytest.approx(251.05, abs=1e-3) and height <= 648  # IEEEtran's column, 252 TeX pt


def test_too_wide_on_the_command_line_is_one_error_line_and_no_file(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from nnsvg.cli import main

    ops = ["input", "conv7x7:64", "maxpool3x3", *["conv3x3:64", "bn", "relu"] * 5, "gap", "fc:1000"]
    out = tmp_path / "x.pdf"
    assert main(["blocks", *ops, "--width", "column", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: --width column: the figure is ")
    assert "--direction bt" in err and not out.exists()
    assert main(["blocks", *ops, "--direction", "bt", "--width", "column", "-o", str(out)]) == 0
    width, _, sizes, _ = pdf_page(out.read_bytes())
    assert width == pytest.approx(251.05, abs=1e-3) and max(sizes) == pytest.approx(9, abs=0.005)
