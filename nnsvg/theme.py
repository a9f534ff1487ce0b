"""Themes: the appearance of a figure (colours, stroke widths, opacities, fonts, dash patterns),
never layout.

A theme is a frozen ``Theme`` dataclass. Its built-in defaults are NN-SVG's look; theme files
(``themes/*.toml``, shipped inside the package, or a user's own file) override any field, and
``--set key=value`` overrides after that. Every field is addressed by a dotted key such as
``node.fill`` or ``edge.width``; ``theme_keys()`` lists them all with their documentation.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ThemeError
from .optionkinds import KIND
from .reading import read_regular
from .text import check_text, clip, looks_like_path, nearest, quote, shown_path
from .themekinds import PAGE, Color, Dash, Measure, ThemeKind, Words

# Every number has an upper bound as well as a lower one: a theme is appearance, and no look
# needs more, while an unbounded value (margin=1e300) makes a page hundreds of digits wide or
# overflows the layout. The bounds, in px unless said otherwise:
STROKE = 100.0  # outline and line widths: at 100 px a line hides the shapes it outlines at any usual size
STROKE_THIN = 10.0  # the thin lines inside a volume (filter box, pyramid, window over the image)
OPACITY = 1.0  # opacities and the volume shade are fractions
MARGIN = 10_000.0  # around the drawing: the page may grow by at most 20,000 px
ARROW = 1000.0  # arrowhead length and width: a few times the largest node (node_diameter <= 1000)
RADIUS = 1000.0  # a block's corner radius (SVG clamps it to half the block anyway)
TEXT_SIZE = (1.0, 500.0)  # label font size: under 1 px nothing is legible, 500 px fills a page
DASH = 100.0  # each dash or gap of a dash pattern
FAMILY_LENGTH = 200  # characters of the font family list: it is repeated on every label
TEXT_LENGTH = 300  # characters of a theme's name and description (a name defaults to its file name)
THEME_FILE_BYTES = 2**20  # a whole theme is a few KB
BASE_DEPTH = 16  # themes built on themes: deeper is a mistake, and would end in a RecursionError


def _color(default: str, doc: str, none: bool = False, page: bool = False) -> Any:
    return field(default=default, metadata=Color(none, page).declared(doc=doc))


def _number(default: float, doc: str, *, high: float, low: float = 0.0) -> Any:
    """A number from ``low`` to ``high``: every theme number names its upper bound."""
    return field(default=default, metadata=Measure(low, high).declared(doc=doc))


def _length(default: float, doc: str, *, high: float, low: float = 0.0) -> Any:
    """A length in px (a stroke width, a text size, the margin, an arrowhead): with a physical
    size (``--width 3.5in``) it keeps its printed size (1 px = 0.75 pt) whatever the scale of
    the drawing (``nnsvg.physical``)."""
    return field(default=default, metadata=Measure(low, high, length=True).declared(doc=doc))


def _text(default: str, doc: str, longest: int = TEXT_LENGTH) -> Any:
    return field(default=default, metadata=Words(longest).declared(doc=doc))


def _dash(default: str, doc: str, high: float = DASH) -> Any:
    """A stroke dash pattern: dash and gap lengths in px ("5 3"), or "none" for a solid line."""
    return field(default=default, metadata=Dash(0.0, high).declared(doc=doc))


@dataclass(frozen=True)
class NodeStyle:
    """The FCNN's and RNN's nodes (theme keys node.*)."""

    fill: str = _color("#ffffff", "fill of a node circle", none=True)
    stroke: str = _color("#333333", "outline of a node circle", none=True)
    stroke_width: float = _length(1.0, "outline width of a node circle", high=STROKE)


@dataclass(frozen=True)
class BiasStyle:
    """Bias units, +1 (bias.*)."""

    fill: str = _color("#e8e8e8", "fill of a bias (+1) unit", none=True)
    stroke: str = _color("#333333", "outline of a bias unit", none=True)
    text: str = _color("#333333", "colour of the '+1' inside a bias unit")


@dataclass(frozen=True)
class EdgeStyle:
    """Connections between layers (edge.*)."""

    color: str = _color("#505050", "edge colour when it is not proportional to the weight")
    width: float = _length(0.5, "edge width when it is not proportional to the weight", high=STROKE)
    max_width: float = _length(2.0, "width of an edge of weight ±1 when width is proportional", high=STROKE)
    opacity: float = _number(1.0, "edge opacity (the maximum when proportional)", high=OPACITY)
    negative: str = _color("#0000ff", "weight ramp colour at weight -1")
    zero: str = _color("#ffffff", "weight ramp colour at weight 0")
    positive: str = _color("#ff0000", "weight ramp colour at weight +1")
    recurrent: str = _color("#c0392b", "recurrent connections (feedback loops, h(t-1) to h(t))")
    recurrent_dash: str = _dash("5 3", "dash pattern of recurrent connections: dash and gap lengths "
                                "in px ('5 3'), or 'none' for solid lines")

    def recurrent_dasharray(self) -> tuple[float, ...] | None:
        """``recurrent_dash`` for a scene path, as lengths in px: None draws a solid line."""
        if self.recurrent_dash == "none":
            return None
        return tuple(float(v) for v in self.recurrent_dash.replace(",", " ").split())


@dataclass(frozen=True)
class ArrowStyle:
    """Arrowheads (arrow.*)."""

    length: float = _length(7.0, "arrowhead length, tip to base", high=ARROW)
    width: float = _length(5.0, "arrowhead width across its base", high=ARROW)
    shaft_scale: float = _number(2.0, "width of a block-to-block arrow's shaft (RNN arrows and loops, AlexNet "
                                 "arrows into dense layers) as a multiple of edge.width (RNN, never under 1 px) "
                                 "or link.width (AlexNet)", low=0.25, high=10.0)


@dataclass(frozen=True)
class TextStyle:
    """Every label (text.*)."""

    family: str = _text("DejaVu Sans, Helvetica, Arial, sans-serif", "label font families (CSS)",
                        longest=FAMILY_LENGTH)
    size: float = _length(12.0, "label font size", low=TEXT_SIZE[0], high=TEXT_SIZE[1])
    color: str = _color("#000000", "label colour")
    ellipsis: str = _color("#333333", "colour of the dots that stand for elided nodes")


@dataclass(frozen=True)
class MapStyle:
    """LeNet's feature maps (map.*)."""

    fill: str = _color("#a0a0a0", "fill of the back feature map and every second one after it")
    fill_alt: str = _color("#e0e0e0", "fill of the other feature maps (they alternate)")
    stroke: str = _color("#000000", "outline of a feature map", none=True)
    stroke_width: float = _length(1.0, "outline width of a feature map", high=STROKE)
    opacity: float = _number(0.8, "opacity of a feature map", high=OPACITY)


@dataclass(frozen=True)
class DenseStyle:
    """Dense layers in the LeNet and AlexNet styles (dense.*)."""

    fill: str = _color("#e0e0e0", "fill of a dense layer's parallelogram", none=True)
    stroke: str = _color("#000000", "outline of a dense layer", none=True)
    stroke_width: float = _length(1.0, "outline width of a dense layer", high=STROKE)
    opacity: float = _number(0.8, "opacity of a dense layer", high=OPACITY)


@dataclass(frozen=True)
class WindowStyle:
    """LeNet's filter windows (window.*)."""

    stroke: str = _color("#000000", "outline of a filter window on a feature map")
    stroke_width: float = _length(1.0, "outline width of a filter window", high=STROKE)
    fill: str = _color("none", "fill of a filter window", none=True)


@dataclass(frozen=True)
class LinkStyle:
    """LeNet's links from a window to the next maps (link.*)."""

    color: str = _color("#000000", "lines from filter windows and between dense layers")
    width: float = _length(0.5, "width of those lines", high=STROKE)
    opacity: float = _number(0.8, "opacity of those lines", high=OPACITY)


@dataclass(frozen=True)
class VolumeStyle:
    """AlexNet's volumes (volume.*)."""

    fill: str = _color("#eeeeee", "fill of a 3D volume or dense box (AlexNet style)")
    stroke: str = _color("#000000", "edges of a volume or dense box", none=True)
    stroke_width: float = _length(0.6, "edge width of a volume or dense box", high=STROKE)
    opacity: float = _number(0.4, "opacity of a volume's faces (its edges stay solid)", high=OPACITY)
    shade: float = _number(0.08, "how much darker the side face and lighter the top face are", high=OPACITY)


@dataclass(frozen=True)
class FilterStyle:
    """AlexNet's filter boxes (filter.*)."""

    fill: str = _color("#99ddff", "fill of a filter box inside a volume")
    stroke: str = _color("#3a7ca5", "edges of a filter box", none=True)
    opacity: float = _number(0.4, "opacity of a filter box's faces", high=OPACITY)
    stroke_width: float = _length(0.5, "edge width of a filter box", high=STROKE_THIN)
    window_stroke_width: float = _length(0.8, "outline width of the filter's window drawn over an input image",
                                         high=STROKE_THIN)


@dataclass(frozen=True)
class PyramidStyle:
    """AlexNet's pyramids from a filter to the next volume (pyramid.*)."""

    fill: str = _color("#ffbbbb", "fill of the pyramid from a filter box to the next volume")
    stroke: str = _color("#c06060", "edges of the pyramid", none=True)
    opacity: float = _number(0.4, "opacity of the pyramid's faces", high=OPACITY)
    stroke_width: float = _length(0.4, "edge width of the pyramid", high=STROKE_THIN)


@dataclass(frozen=True)
class BlockStyle:
    """The blocks style's boxes (block.*)."""

    fill: str = _color("#f4f4f4", "fill of a block (a layer or cell drawn as a box)", none=True)
    stroke: str = _color("#333333", "outline of a block", none=True)
    stroke_width: float = _length(1.0, "outline width of a block", high=STROKE)
    radius: float = _length(4.0, "corner radius of a block", high=RADIUS)
    cell_fill: str = _color("#fde9c9", "fill of a recurrent cell block (rnn, lstm, gru)", none=True)


@dataclass(frozen=True)
class OpStyle:
    """Fills of the blocks style's boxes by op kind (``nnsvg.spec.blocks.OP_KINDS``). Their greys
    (Pillow's "L") are apart by 10 or more, so kinds that meet in a figure (conv, norm, act;
    attention, norm, dense) stay apart in greyscale print."""

    io: str = _color("#ffffff", "fill of an input or output box (blocks style)", none=True)
    conv: str = _color("#85abe1", "fill of a convolution box (blocks style)", none=True)
    pool: str = _color("#dfcaed", "fill of a pooling or upsampling box (blocks style)", none=True)
    norm: str = _color("#faf6c7", "fill of a normalization box (BN, LayerNorm, Add & Norm; blocks style)",
                       none=True)
    act: str = _color("#9cd796", "fill of an activation box (ReLU, GELU, Softmax; blocks style)", none=True)
    dense: str = _color("#a1d5ee", "fill of a dense box (Linear, FC, Feed Forward; blocks style)", none=True)
    attention: str = _color("#f6a24f", "fill of an attention box (blocks style)", none=True)
    embed: str = _color("#f9d2d8", "fill of an embedding box (Embedding, Positional Encoding; blocks style)",
                        none=True)
    merge: str = _color("#ffffff", "fill of a merge node (⊕ ‖ ⊗) or merge box (blocks style)", none=True)
    other: str = _color("#e8e8e8", "fill of a box of any other op, or free text (blocks style)", none=True)


@dataclass(frozen=True)
class FrameStyle:
    """Frames around blocks ×N (frame.*)."""

    stroke: str = _color("#555555", "outline of a block's frame (a dashed rounded box around a run of layers)")
    stroke_width: float = _length(0.8, "outline width of a block's frame", high=STROKE)
    dash: str = _dash("4 3", "dash pattern of a block's frame: dash and gap lengths in px, or 'none'")
    fill: str = _color("none", "fill of a block's frame", none=True)

    def dasharray(self) -> tuple[float, ...] | None:
        if self.dash == "none":
            return None
        return tuple(float(v) for v in self.dash.replace(",", " ").split())


@dataclass(frozen=True)
class WeightLabelStyle:
    """Weight values written on FCNN edges (weight_label.*)."""

    background: str = _color(PAGE, "box behind a weight label (FCNN --show-weights), so the edges under it do "
                             "not cross the text: a colour, 'none', or 'page' for the page background (white "
                             "when the page is transparent)", none=True, page=True)
    opacity: float = _number(0.85, "opacity of the box behind a weight label", high=OPACITY)

    def fill(self, page: str) -> str:
        """The box's fill on a page whose background is ``page``."""
        if self.background != PAGE:
            return self.background
        return "#ffffff" if page == "none" else page


@dataclass(frozen=True)
class Theme:
    """Appearance only: colours, opacities, stroke widths, fonts, arrowheads. The default
    theme is ``Theme()``; a theme file or ``--set`` overrides keys."""

    name: str = _text("nnsvg", "the theme's name")
    description: str = _text("", "one line shown by `nnsvg themes`")
    background: str = _color("#ffffff", "page background; 'none' is transparent", none=True)
    margin: float = _length(10.0, "space around the drawing, in px", high=MARGIN)
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
    op: OpStyle = field(default_factory=OpStyle)
    frame: FrameStyle = field(default_factory=FrameStyle)
    weight_label: WeightLabelStyle = field(default_factory=WeightLabelStyle)


def theme_keys() -> dict[str, dict[str, Any]]:
    """Every settable key (``node.fill``, ``margin``, …) with its field metadata: the view of
    its kind (``{"kind": "number", "low": 0, …}``), its ``doc`` and its kind object
    (``key_kind``)."""
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
    hint = "; `nnsvg themes --keys` lists them"
    if len(key) <= 100:  # no key is longer: do not compare a huge one with every key
        hint = nearest(key, theme_keys(), otherwise=hint)
    return ThemeError(f"{where}unknown theme key {quote(key)}{hint}")


def key_kind(meta: dict[str, Any]) -> ThemeKind:
    """The kind object of a theme key's metadata (from ``theme_keys``)."""
    kind = meta[KIND]
    assert isinstance(kind, ThemeKind)
    return kind


def _coerce(key: str, value: object, meta: dict[str, Any], where: str) -> object:
    label = f"{where}{key}"
    if isinstance(value, str):
        check_text(value, label, ThemeError)
    return key_kind(meta).coerce(label, value)


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

    data = read_regular(path, THEME_FILE_BYTES, "theme file", ThemeError)
    name = shown_path(path)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ThemeError(f"theme file {name} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"theme file {name} is not valid TOML: {exc}") from None
    except ValueError:  # int() of a number of more than 4300 digits, inside tomllib
        raise ThemeError(f"theme file {name} holds a number of more than 4300 digits") from None


def _resolve(name_or_path: str) -> Path:
    check_text(name_or_path, "theme", ThemeError)
    if looks_like_path(name_or_path):
        path = Path(name_or_path).expanduser()
        if not os.path.lexists(path):  # anything else (a folder, a FIFO) is refused when read
            raise ThemeError(f"theme file {shown_path(name_or_path)} does not exist")
        return path
    path = themes_dir() / f"{name_or_path}.toml"
    if len(name_or_path) > 100 or not path.is_file():  # (a longer name is none, and may be too long to look up)
        names = builtin_names()
        hint = nearest(name_or_path, names, otherwise="") if len(name_or_path) <= 100 else ""
        raise ThemeError(f"unknown theme {shown_path(name_or_path)}{hint} "
                         f"(built-in themes: {', '.join(names)}; or give a path to a .toml file)")
    return path


def load_theme(name_or_path: str = "nnsvg", overrides: dict[str, object] | None = None,
               _seen: tuple[Path, ...] = (), files: list[Path] | None = None) -> Theme:
    """A theme by built-in name or file path, then ``overrides`` (dotted keys) on top.

    A theme file may start from another theme with ``base = "paper"`` (a name, or a path
    relative to the file). ``files``, when given, gets the path of every theme file read (the
    theme's, then its bases'), so that no output is written over them (``Diagram.inputs``).
    """
    path = _resolve(name_or_path)
    if files is not None:
        files.append(path)
    table = _read_toml(path)
    where = f"theme '{clip(name_or_path, 256)}': "  # checked by _resolve: it holds no control character
    base = table.pop("base", None)
    seen = (*_seen, path.resolve())
    if base is not None:
        if not isinstance(base, str):
            raise ThemeError(f"{where}base must name another theme, got {quote(base)}")
        check_text(base, f"{where}base", ThemeError)
        if looks_like_path(base):
            base = str(path.parent / base)
        if _resolve(base).resolve() in seen:
            raise ThemeError(f"{where}base must name another theme, got {quote(base)} (a cycle)")
        if len(seen) >= BASE_DEPTH:
            raise ThemeError(f"{where}base {quote(base)}: themes may start from one another at most "
                             f"{BASE_DEPTH} deep")
        theme = load_theme(base, None, seen, files)
    else:
        theme = Theme()
    table.setdefault("name", path.stem)
    theme = apply(theme, flatten(table, where), where)
    return apply(theme, overrides or {}, "--set ") if overrides else theme


def describe_keys() -> list[tuple[str, str, str]]:
    """(key, default, documentation with the value's range) for every theme key, for `nnsvg themes --keys`."""
    default = Theme()
    rows = []
    for key, meta in theme_keys().items():
        value: object = default
        for part in key.split("."):
            value = getattr(value, part)
        shown_range = key_kind(meta).range()
        doc = meta["doc"] + (f" [{shown_range}]" if shown_range else "")
        rows.append((key, f"{value:g}" if isinstance(value, float) else str(value), doc))
    return rows
