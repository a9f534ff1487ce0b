"""Themes: the appearance of a figure (colours, stroke widths, opacities, fonts, dash patterns),
never layout.

A theme is a frozen ``Theme`` dataclass. Its built-in defaults are NN-SVG's look; theme files
(``themes/*.toml``, shipped inside the package, or a user's own file) override any field, and
``--set key=value`` overrides after that. Every field is addressed by a dotted key such as
``node.fill`` or ``edge.width``; ``theme_keys()`` lists them all with their documentation.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import colors
from .errors import ThemeError
from .reading import read_bounded, shown
from .text import check_text, looks_like_path, nearest

PAGE = "page"  # a colour key that allows it follows the page background
STROKE_MAX = 10.0  # px: the widest stroke a theme may give the thin lines that have a bound
THEME_FILE_BYTES = 2**20  # a whole theme is a few KB


def _color(default: str, doc: str, none: bool = False, page: bool = False) -> Any:
    return field(default=default, metadata={"kind": "color", "none": none, "page": page, "doc": doc})


def _number(default: float, doc: str, low: float = 0.0, high: float = math.inf) -> Any:
    return field(default=default, metadata={"kind": "number", "low": low, "high": high, "doc": doc})


def _text(default: str, doc: str) -> Any:
    return field(default=default, metadata={"kind": "text", "doc": doc})


def _dash(default: str, doc: str, high: float = 100.0) -> Any:
    """A stroke dash pattern: dash and gap lengths in px ("5 3"), or "none" for a solid line."""
    return field(default=default, metadata={"kind": "dash", "low": 0.0, "high": high, "doc": doc})


@dataclass(frozen=True)
class NodeStyle:
    fill: str = _color("#ffffff", "fill of a node circle", none=True)
    stroke: str = _color("#333333", "outline of a node circle", none=True)
    stroke_width: float = _number(1.0, "outline width of a node circle")


@dataclass(frozen=True)
class BiasStyle:
    fill: str = _color("#e8e8e8", "fill of a bias (+1) unit", none=True)
    stroke: str = _color("#333333", "outline of a bias unit", none=True)
    text: str = _color("#333333", "colour of the '+1' inside a bias unit")


@dataclass(frozen=True)
class EdgeStyle:
    color: str = _color("#505050", "edge colour when it is not proportional to the weight")
    width: float = _number(0.5, "edge width when it is not proportional to the weight")
    max_width: float = _number(2.0, "width of an edge of weight ±1 when width is proportional")
    opacity: float = _number(1.0, "edge opacity (the maximum when proportional)", high=1.0)
    negative: str = _color("#0000ff", "weight ramp colour at weight -1")
    zero: str = _color("#ffffff", "weight ramp colour at weight 0")
    positive: str = _color("#ff0000", "weight ramp colour at weight +1")
    recurrent: str = _color("#c0392b", "recurrent connections (feedback loops, h(t-1) to h(t))")
    recurrent_dash: str = _dash("5 3", "dash pattern of recurrent connections: dash and gap lengths "
                                "in px ('5 3'), or 'none' for solid lines")

    def recurrent_dasharray(self) -> str | None:
        """``recurrent_dash`` for a scene path: None draws a solid line."""
        return None if self.recurrent_dash == "none" else self.recurrent_dash


@dataclass(frozen=True)
class ArrowStyle:
    length: float = _number(7.0, "arrowhead length, tip to base")
    width: float = _number(5.0, "arrowhead width across its base")
    shaft_scale: float = _number(2.0, "width of a block-to-block arrow's shaft (RNN arrows and loops, AlexNet "
                                 "arrows into dense layers) as a multiple of edge.width (RNN, never under 1 px) "
                                 "or link.width (AlexNet)", low=0.25, high=10.0)


@dataclass(frozen=True)
class TextStyle:
    family: str = _text("DejaVu Sans, Helvetica, Arial, sans-serif", "label font families (CSS)")
    size: float = _number(12.0, "label font size", low=1.0)
    color: str = _color("#000000", "label colour")
    ellipsis: str = _color("#333333", "colour of the dots that stand for elided nodes")


@dataclass(frozen=True)
class MapStyle:
    fill: str = _color("#a0a0a0", "fill of the back feature map and every second one after it")
    fill_alt: str = _color("#e0e0e0", "fill of the other feature maps (they alternate)")
    stroke: str = _color("#000000", "outline of a feature map", none=True)
    stroke_width: float = _number(1.0, "outline width of a feature map")
    opacity: float = _number(0.8, "opacity of a feature map", high=1.0)


@dataclass(frozen=True)
class DenseStyle:
    fill: str = _color("#e0e0e0", "fill of a dense layer's parallelogram", none=True)
    stroke: str = _color("#000000", "outline of a dense layer", none=True)
    stroke_width: float = _number(1.0, "outline width of a dense layer")
    opacity: float = _number(0.8, "opacity of a dense layer", high=1.0)


@dataclass(frozen=True)
class WindowStyle:
    stroke: str = _color("#000000", "outline of a filter window on a feature map")
    stroke_width: float = _number(1.0, "outline width of a filter window")
    fill: str = _color("none", "fill of a filter window", none=True)


@dataclass(frozen=True)
class LinkStyle:
    color: str = _color("#000000", "lines from filter windows and between dense layers")
    width: float = _number(0.5, "width of those lines")
    opacity: float = _number(0.8, "opacity of those lines", high=1.0)


@dataclass(frozen=True)
class VolumeStyle:
    fill: str = _color("#eeeeee", "fill of a 3D volume or dense box (AlexNet style)")
    stroke: str = _color("#000000", "edges of a volume or dense box", none=True)
    stroke_width: float = _number(0.6, "edge width of a volume or dense box")
    opacity: float = _number(0.4, "opacity of a volume's faces (its edges stay solid)", high=1.0)
    shade: float = _number(0.08, "how much darker the side face and lighter the top face are", high=1.0)


@dataclass(frozen=True)
class FilterStyle:
    fill: str = _color("#99ddff", "fill of a filter box inside a volume")
    stroke: str = _color("#3a7ca5", "edges of a filter box", none=True)
    opacity: float = _number(0.4, "opacity of a filter box's faces", high=1.0)
    stroke_width: float = _number(0.5, "edge width of a filter box", high=STROKE_MAX)
    window_stroke_width: float = _number(0.8, "outline width of the filter's window drawn over an input image",
                                         high=STROKE_MAX)


@dataclass(frozen=True)
class PyramidStyle:
    fill: str = _color("#ffbbbb", "fill of the pyramid from a filter box to the next volume")
    stroke: str = _color("#c06060", "edges of the pyramid", none=True)
    opacity: float = _number(0.4, "opacity of the pyramid's faces", high=1.0)
    stroke_width: float = _number(0.4, "edge width of the pyramid", high=STROKE_MAX)


@dataclass(frozen=True)
class BlockStyle:
    fill: str = _color("#f4f4f4", "fill of a block (a layer or cell drawn as a box)", none=True)
    stroke: str = _color("#333333", "outline of a block", none=True)
    stroke_width: float = _number(1.0, "outline width of a block")
    radius: float = _number(4.0, "corner radius of a block")
    cell_fill: str = _color("#fde9c9", "fill of a recurrent cell block (rnn, lstm, gru)", none=True)


@dataclass(frozen=True)
class WeightLabelStyle:
    background: str = _color(PAGE, "box behind a weight label (FCNN --show-weights), so the edges under it do "
                             "not cross the text: a colour, 'none', or 'page' for the page background (white "
                             "when the page is transparent)", none=True, page=True)
    opacity: float = _number(0.85, "opacity of the box behind a weight label", high=1.0)

    def fill(self, page: str) -> str:
        """The box's fill on a page whose background is ``page``."""
        if self.background != PAGE:
            return self.background
        return "#ffffff" if page == "none" else page


@dataclass(frozen=True)
class Theme:
    name: str = _text("nnsvg", "the theme's name")
    description: str = _text("", "one line shown by `nnsvg themes`")
    background: str = _color("#ffffff", "page background; 'none' is transparent", none=True)
    margin: float = _number(10.0, "space around the drawing, in px")
    node: NodeStyle = field(default_factory=NodeStyle)
    bias: BiasStyle = field(default_factory=BiasStyle)
    edge: EdgeStyle = field(default_factory=EdgeStyle)
    arrow: ArrowStyle = field(default_factory=ArrowStyle)
    text: TextStyle = field(default_factory=TextStyle)
    map: MapStyle = field(default_factory=MapStyle)
    dense: DenseStyle = field(default_factory=DenseStyle)
    window: WindowStyle = field(default_factory=WindowStyle)
    link: LinkStyle = field(default_factory=LinkStyle)
    volume: VolumeStyle = field(default_factory=VolumeStyle)
    filter: FilterStyle = field(default_factory=FilterStyle)
    pyramid: PyramidStyle = field(default_factory=PyramidStyle)
    block: BlockStyle = field(default_factory=BlockStyle)
    weight_label: WeightLabelStyle = field(default_factory=WeightLabelStyle)


@cache
def theme_keys() -> dict[str, dict[str, Any]]:
    """Every settable key (``node.fill``, ``margin``, …) with its field metadata."""
    keys: dict[str, dict[str, Any]] = {}
    defaults = Theme()
    for f in dataclasses.fields(Theme):
        section = getattr(defaults, f.name)
        if dataclasses.is_dataclass(section):  # a section: its fields are the keys
            for sub in dataclasses.fields(section):
                keys[f"{f.name}.{sub.name}"] = dict(sub.metadata)
        else:
            keys[f.name] = dict(f.metadata)
    return keys


def _unknown_key(key: str, where: str) -> ThemeError:
    hint = nearest(key, theme_keys(), otherwise="; `nnsvg themes --keys` lists them")
    return ThemeError(f"{where}unknown theme key '{key}'{hint}")


def _number_in(value: object, meta: dict[str, Any]) -> float | None:
    """``value`` as a number within the key's bounds, or None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and meta["low"] <= number <= meta["high"] else None


def _dash_pattern(label: str, value: object, meta: dict[str, Any]) -> str:
    """The canonical form of a dash pattern ("5 3", or "none"): a list of dash and gap lengths,
    given as text ("5 3", "5,3"), a TOML array or one number."""
    if isinstance(value, str) and value.strip().lower() == "none":
        return "none"
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        items = [items]
    lengths = [_number_in(v, meta) for v in items]
    if not lengths or any(v is None for v in lengths) or not any(lengths):
        raise ThemeError(f"{label}: expected a dash pattern such as '5 3' (dash and gap lengths from "
                         f"{meta['low']:g} to {meta['high']:g} px, not all zero) or 'none', got {value!r}")
    return " ".join(f"{v:g}" for v in lengths)


def _coerce(key: str, value: object, meta: dict[str, Any], where: str) -> object:
    label = f"{where}{key}"
    if isinstance(value, str):
        check_text(value, label, ThemeError)
    kind = meta["kind"]
    if kind == "color":
        if not meta["page"]:
            return colors.normalize(value, label, allow_none=meta["none"])
        if isinstance(value, str) and value.strip().lower() == PAGE:
            return PAGE
        try:
            return colors.normalize(value, label, allow_none=meta["none"])
        except ThemeError:
            raise ThemeError(f"{label}: {value!r} is not a colour (use #rgb, #rrggbb, a CSS colour name, "
                             f"'none' or '{PAGE}')") from None
    if kind == "text":
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ThemeError(f"{label}: expected text, got {value!r}")
        return str(value)
    if kind == "dash":
        return _dash_pattern(label, value, meta)
    number = _number_in(value, meta)
    if number is None:
        low, high = meta["low"], meta["high"]
        bounds = f"from {low:g} to {high:g}" if math.isfinite(high) else f"of at least {low:g}"
        raise ThemeError(f"{label}: expected a number {bounds}, got {value!r}")
    return number


def apply(theme: Theme, overrides: dict[str, object], where: str = "") -> Theme:
    """A copy of ``theme`` with dotted-key overrides applied and validated."""
    sections: dict[str, dict[str, Any]] = {}
    top: dict[str, Any] = {}  # values checked against the field's declaration, so of its type
    known = theme_keys()
    for key, value in overrides.items():
        if key not in known:
            raise _unknown_key(key, where)
        coerced = _coerce(key, value, known[key], where)
        if "." in key:
            section, name = key.split(".", 1)
            sections.setdefault(section, {})[name] = coerced
        else:
            top[key] = coerced
    for section, values in sections.items():
        top[section] = dataclasses.replace(getattr(theme, section), **values)
    return dataclasses.replace(theme, **top)


def flatten(table: dict[str, object], where: str, prefix: str = "") -> dict[str, object]:
    """A nested TOML table as dotted keys (``{node: {fill: x}}`` → ``{"node.fill": x}``)."""
    flat: dict[str, object] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            if prefix:
                raise _unknown_key(f"{dotted}.{next(iter(value), '')}", where)
            flat.update(flatten(value, where, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def themes_dir() -> Path:
    """The folder of built-in themes: inside the installed package, or the checkout's themes/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "themes", here.parent / "themes"):
        if candidate.is_dir():
            return candidate
    raise ThemeError("the built-in themes folder is missing from this installation")


def builtin_names() -> list[str]:
    return sorted(p.stem for p in themes_dir().glob("*.toml"))


def _read_toml(path: Path) -> dict[str, object]:
    import tomllib

    data = read_bounded(str(path), THEME_FILE_BYTES, "theme file", ThemeError)
    name = shown(str(path))
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ThemeError(f"theme file {name} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"theme file {name} is not valid TOML: {exc}") from None


def _resolve(name_or_path: str) -> Path:
    check_text(name_or_path, "theme", ThemeError)
    if looks_like_path(name_or_path):
        path = Path(name_or_path).expanduser()
        if not os.path.lexists(path):  # anything else (a folder, a FIFO) is refused when read
            raise ThemeError(f"theme file {shown(name_or_path)} does not exist")
        return path
    path = themes_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        names = builtin_names()
        raise ThemeError(f"unknown theme '{name_or_path}'{nearest(name_or_path, names, otherwise='')} "
                         f"(built-in themes: {', '.join(names)}; or give a path to a .toml file)")
    return path


def load_theme(name_or_path: str = "nnsvg", overrides: dict[str, object] | None = None,
               _seen: tuple[Path, ...] = ()) -> Theme:
    """A theme by built-in name or file path, then ``overrides`` (dotted keys) on top.

    A theme file may start from another theme with ``base = "paper"`` (a name, or a path
    relative to the file).
    """
    path = _resolve(name_or_path)
    table = _read_toml(path)
    where = f"theme '{name_or_path}': "
    base = table.pop("base", None)
    seen = (*_seen, path.resolve())
    if base is not None:
        if not isinstance(base, str):
            raise ThemeError(f"{where}base must name another theme, got {base!r}")
        check_text(base, f"{where}base", ThemeError)
        if looks_like_path(base):
            base = str(path.parent / base)
        if _resolve(base).resolve() in seen:
            raise ThemeError(f"{where}base must name another theme, got {base!r} (a cycle)")
        theme = load_theme(base, None, seen)
    else:
        theme = Theme()
    table.setdefault("name", path.stem)
    theme = apply(theme, flatten(table, where), where)
    return apply(theme, overrides or {}, "--set ") if overrides else theme


def describe_keys() -> list[tuple[str, str, str]]:
    """(key, default, documentation) for every theme key, for `nnsvg themes --keys`."""
    default = Theme()
    rows = []
    for key, meta in theme_keys().items():
        value: object = default
        for part in key.split("."):
            value = getattr(value, part)
        rows.append((key, f"{value:g}" if isinstance(value, float) else str(value), meta["doc"]))
    return rows
