"""The paper theme printed in greyscale: the shapes a reader must tell apart differ enough in
grey. Each shape's grey is its fill composited over the white paper (the theme's page is
transparent) at its opacity, as cairo paints it, and then reduced to grey as Pillow's
``convert("L")`` does (ITU-R 601: 0.299 R + 0.587 G + 0.114 B); two greys are compared by
their WCAG contrast ratio, (Y₁ + 0.05) / (Y₂ + 0.05) of their relative luminances."""

from __future__ import annotations

import io

import pytest
from PIL import Image

import nnsvg
from nnsvg import colors
from nnsvg.theme import Theme, load_theme

PAPER = 255.0  # white


def grey(color: str) -> float:
    r, g, b = colors.to_rgb(color)
    return 0.299 * r + 0.587 * g + 0.114 * b


def over(color: str, opacity: float, under: float) -> float:
    """The grey of ``color`` painted at ``opacity`` over a grey ``under``."""
    return opacity * grey(color) + (1 - opacity) * under


def luminance(level: float) -> float:
    return colors.luminance(colors.to_hex((level, level, level)))


def contrast(a: float, b: float) -> float:
    low, high = sorted((luminance(a), luminance(b)))
    return (high + 0.05) / (low + 0.05)


def printed(theme: Theme) -> dict[str, float]:
    """The grey of each shape on paper, as the renderers stack them: a filter box is drawn
    inside its volume, so it is seen through the volume's front face; a pyramid between two
    volumes lies on the paper; a filter window sits on the front feature map of a stack, whose
    fill alternates (``fill``, ``fill_alt``), and a window without fill shows the map."""
    volume = over(theme.volume.fill, theme.volume.opacity, PAPER)
    filter_alone = over(theme.filter.fill, theme.filter.opacity, PAPER)
    maps = [over(fill, theme.map.opacity, PAPER) for fill in (theme.map.fill, theme.map.fill_alt)]
    window = [m if theme.window.fill == "none" else grey(theme.window.fill) for m in maps]
    return {
        "volume": volume,
        "filter": over(theme.volume.fill, theme.volume.opacity, filter_alone),
        "pyramid": over(theme.pyramid.fill, theme.pyramid.opacity, PAPER),
        "map": maps[0], "map_alt": maps[1], "window_on_map": window[0], "window_on_map_alt": window[1],
    }


# (shape, shape or "paper", the least contrast ratio): the pairs a reader must tell apart
PAIRS = [
    ("volume", "paper", 1.15),  # outlined in black as well: a light grey body is enough
    ("filter", "volume", 2.0),  # the filter box inside its volume
    ("pyramid", "paper", 1.6),  # the pyramid from the filter to the next volume
    ("pyramid", "volume", 1.4),  # ... where it meets the next volume
    ("filter", "pyramid", 1.3),  # ... and where it leaves its filter box
    ("map", "map_alt", 1.5),  # the alternating maps of a LeNet stack
    ("window_on_map", "map", 3.0),  # LeNet's filter window on either kind of front map
    ("window_on_map_alt", "map_alt", 3.0),
]


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{a}/{b}" for a, b, _ in PAIRS])
def test_paper_theme_shapes_differ_in_greyscale(pair: tuple[str, str, float]) -> None:
    greys = printed(load_theme("paper"))
    a, b, least = pair
    ratio = contrast(greys[a], PAPER if b == "paper" else greys[b])
    assert ratio >= least, f"{a} {greys[a]:.0f} vs {b}: contrast {ratio:.2f} < {least}"


def test_paper_theme_greys_as_stated_in_the_theme_file() -> None:
    """The numbers the theme file's comment states (greys 0-255 and relative luminance)."""
    greys = printed(load_theme("paper"))
    assert {k: round(v) for k, v in greys.items()} == {
        "volume": 236, "filter": 160, "pyramid": 192, "map": 175, "map_alt": 242,
        "window_on_map": 64, "window_on_map_alt": 64}
    assert round(contrast(greys["filter"], greys["volume"]), 1) == 2.2
    assert round(contrast(greys["pyramid"], PAPER), 1) == 1.8


def test_printed_lenet_window_is_darker_than_its_map() -> None:
    """The rendered page agrees with the model: the window's middle pixel, in greyscale, is the
    window's grey, and the map beside it the map's grey."""
    diagram = nnsvg.lenet(["3@64x64:5x5", "32@60x60", 10], theme="paper")
    window = next(p for p in diagram.scene.walk() if getattr(p, "cls", None) == "window")
    page = diagram.scene.page()
    scale = 2.0
    image = Image.open(io.BytesIO(diagram.to_bytes("png", scale=scale))).convert("RGBA")
    paper = Image.new("RGBA", image.size, "white")
    paper.alpha_composite(image)
    grey_image = paper.convert("L")

    def at(x: float, y: float) -> int:
        value = grey_image.getpixel((round((x - page.x0) * scale), round((y - page.y0) * scale)))
        assert isinstance(value, int)
        return value

    box = window.bbox()
    inside = at(box.center_x, box.center_y)
    beside = at(box.x1 + 6, box.center_y)
    greys = printed(load_theme("paper"))
    assert abs(inside - greys["window_on_map"]) <= 3
    assert abs(beside - greys["map"]) <= 3 or abs(beside - greys["map_alt"]) <= 3
    assert contrast(inside, beside) >= 3.0

