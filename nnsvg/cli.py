"""The command line: ``nnsvg STYLE TOKENS... -o FILE``, ``nnsvg render SPEC``, ``nnsvg themes``,
``nnsvg gallery``. Every command builds a spec mapping and goes through the public API; input
errors print one ``error: ...`` line and exit 2, and nothing is written."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.exceptions import TyperException

from . import __version__, export, formats
from . import spec as specs
from .diagram import Diagram
from .errors import NnsvgError, SpecError
from .spec import choices

app = typer.Typer(
    name="nnsvg",
    help="Publication-quality drawings of neural networks: SVG, PDF, PNG, EPS.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _choices(name: str, values: tuple[str, ...]) -> type[Enum]:
    """A str Enum of a spec option's choices, so --help lists them."""
    return Enum(name, {c: c for c in values}, type=str)  # type: ignore[return-value]


Direction = _choices("Direction", choices.DIRECTIONS)
Arrowheads = _choices("Arrowheads", choices.ARROWHEADS)
Mode = _choices("Mode", choices.EDGE_MODES)
MapSize = _choices("MapSize", choices.MAP_SIZES)
DenseSize = _choices("DenseSize", choices.DENSE_SIZES)
Filters = _choices("Filters", choices.FILTERS)
FilterPosition = _choices("FilterPosition", choices.PLACEMENTS)
SizeMode = _choices("SizeMode", choices.SCALINGS)
ActivationStyle = _choices("ActivationStyle", choices.ACTIVATION_STYLES)
Cell = _choices("Cell", choices.CELLS)
RnnForm = _choices("RnnForm", choices.RNN_FORMS)
RnnOutputs = _choices("RnnOutputs", choices.RNN_OUTPUTS)

Output = Annotated[Path | None, typer.Option("--output", "-o", help="output file: .svg .pdf .png .eps .ps (default: SVG to standard output)")]
ThemeOpt = Annotated[str | None, typer.Option("--theme", help="theme name (see `nnsvg themes`) or path to a .toml theme file")]
SetOpt = Annotated[list[str] | None, typer.Option("--set", help="override a theme key: --set node.fill=#ffcc00 (repeatable)")]
Seed = Annotated[str | None, typer.Option("--seed", help="seed of the random weights (default 0)")]
SaveSpec = Annotated[Path | None, typer.Option("--save-spec", help="also write the spec (.yaml .toml .json) that reproduces the figure")]
Scale = Annotated[str | None, typer.Option("--scale", help="PNG pixels per px (default 1)")]
Dpi = Annotated[str | None, typer.Option("--dpi", help="PNG resolution; 96 dpi = scale 1")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nnsvg {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="show the version and exit")] = False,
) -> None:
    """Publication-quality drawings of neural networks: SVG, PDF, PNG, EPS."""


def _settings(items: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SpecError(f"--set: expected key=value, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def _common(data: dict[str, Any], theme: str | None, settings: list[str] | None,
            seed: str | None) -> dict[str, Any]:
    if theme is not None:
        data["theme"] = theme
    if settings:
        data["set"] = {**data.get("set", {}), **_settings(settings)}
    if seed is not None:
        data["seed"] = seed
    return data


def _emit(diagram: Diagram, output: Path | None, save_spec: Path | None, scale: str | None,
          dpi: str | None) -> None:
    """Render everything first, then write: a failure leaves every file untouched."""
    if output is not None:
        export.check_target(output)
    fmt = formats.for_path(output) if output is not None else formats.get("svg")
    pixels = export.raster_scale(fmt, scale, dpi, names=("--scale", "--dpi"))
    spec_text = None
    if save_spec is not None:
        export.check_target(save_spec)
        specs.files.format_of(save_spec)
        spec_text = diagram.spec_text(save_spec)
    scene = diagram.scene  # everything that can fail on the input fails here, before any write
    chunks = export.encode(scene, fmt, scale=pixels)
    if fmt.backend != "svg":
        chunks = iter([b"".join(chunks)])
    if spec_text is not None and save_spec is not None:
        export.write_atomic(save_spec, spec_text.encode("utf-8"))
    if output is None:
        sys.stdout.flush()
        binary = getattr(sys.stdout, "buffer", None)
        for chunk in chunks:
            if binary is not None:
                binary.write(chunk)
            else:
                sys.stdout.write(chunk.decode("utf-8"))
        (binary or sys.stdout).flush()
    else:
        export.write_atomic(output, chunks)
    for note in scene.notes:
        print(f"note: {note}", file=sys.stderr)


def _stray_options(ctx: typer.Context, tokens: list[str]) -> None:
    """Layer tokens may be negative numbers (reported as bad widths), so the style commands
    accept unknown options as tokens; a token that is really a mistyped option is named here."""
    names = [name for param in ctx.command.params for name in getattr(param, "opts", [])]
    for token in tokens:
        if token.startswith("-") and not token.lstrip("-").replace(".", "", 1).isdigit():
            raise SpecError(f"No such option: {token}{specs.fields.nearest(token, names)}")


@app.command("fcnn", context_settings={"ignore_unknown_options": True})
def fcnn(
    ctx: typer.Context,
    layers: Annotated[list[str], typer.Argument(help="layer widths, e.g. 8 12 8", show_default=False)],
    output: Output = None,
    theme: ThemeOpt = None,
    settings: SetOpt = None,
    seed: Seed = None,
    save_spec: SaveSpec = None,
    scale: Scale = None,
    dpi: Dpi = None,
    node_diameter: Annotated[str | None, typer.Option(help="node diameter (default 20)")] = None,
    layer_spacing: Annotated[str | None, typer.Option(help="space between layers (default 160)")] = None,
    node_gap: Annotated[str | None, typer.Option(help="gap between nodes: one value or one per layer, e.g. 20 or 20,10,20 (default 20)")] = None,
    direction: Annotated[Direction | None, typer.Option(help="direction of the layers (default right)")] = None,  # type: ignore[valid-type]
    bias: Annotated[bool | None, typer.Option("--bias/--no-bias", help="add a +1 bias unit to every layer but the output")] = None,
    arrowheads: Annotated[Arrowheads | None, typer.Option(help="arrowheads at edge targets (default none)")] = None,  # type: ignore[valid-type]
    bezier: Annotated[bool | None, typer.Option("--bezier/--straight", help="Bézier or straight edges")] = None,
    edge_color: Annotated[Mode | None, typer.Option(help="edge colour: theme's (fixed) or by weight")] = None,  # type: ignore[valid-type]
    edge_width: Annotated[Mode | None, typer.Option(help="edge width: theme's (fixed) or by |weight|")] = None,  # type: ignore[valid-type]
    edge_opacity: Annotated[Mode | None, typer.Option(help="edge opacity: theme's (fixed) or by |weight|")] = None,  # type: ignore[valid-type]
    max_nodes: Annotated[str | None, typer.Option(help="elide layers wider than this around an ellipsis; 0 draws all (default 16)")] = None,
    max_edges: Annotated[str | None, typer.Option(help="refuse drawings with more edges (default 5000000)")] = None,
    labels: Annotated[bool | None, typer.Option("--labels/--no-labels", help="draw the layer labels (default on)")] = None,
    label: Annotated[list[str] | None, typer.Option("--label", help="caption of each layer in order (repeat once per layer)")] = None,
    activations: Annotated[str | None, typer.Option(help=f"activation of each layer after the input, e.g. relu,relu,softmax ({', '.join(choices.ACTIVATIONS)})")] = None,
    activation_style: Annotated[ActivationStyle | None, typer.Option(help="a curve in each node (glyph), one beside the layer, or the name (default glyph)")] = None,  # type: ignore[valid-type]
    show_weights: Annotated[bool | None, typer.Option("--show-weights/--no-weights", help="label the edges w and b with indices (small networks)")] = None,
    formulas: Annotated[bool | None, typer.Option("--formulas/--no-formulas", help="a formula caption per layer, h = σ(Wx + b)")] = None,
    dropout: Annotated[str | None, typer.Option(help="dropout of each layer (or one for all), e.g. 0,0.5,0.5,0: those nodes crossed out")] = None,
) -> None:
    """A fully-connected network: columns of nodes joined by edges (NN-SVG's FCNN style)."""
    _stray_options(ctx, layers)
    data: dict[str, Any] = {"style": "fcnn", "layers": _with_labels(layers, label)}
    values = {"node_diameter": node_diameter, "layer_spacing": layer_spacing, "node_gap": node_gap,
              "direction": direction, "bias": bias, "arrowheads": arrowheads, "bezier": bezier,
              "edge_color": edge_color, "edge_width": edge_width, "edge_opacity": edge_opacity,
              "max_nodes": max_nodes, "max_edges": max_edges, "labels": labels,
              "activations": activations, "activation_style": activation_style, "show_weights": show_weights,
              "formulas": formulas, "dropout": dropout}
    _run_style(data, values, theme, settings, seed, output, save_spec, scale, dpi)


def _run_style(data: dict[str, Any], values: dict[str, Any], theme: str | None,
               settings: list[str] | None, seed: str | None, output: Path | None,
               save_spec: Path | None, scale: str | None, dpi: str | None) -> None:
    """The common tail of every style command: given options into the spec, render, write."""
    for key, value in values.items():
        if value is not None:
            data[key] = value.value if isinstance(value, Enum) else value
    data = _common(data, theme, settings, seed)
    _emit(Diagram(specs.from_dict(data)), output, save_spec, scale, dpi)


def _with_labels(tokens: list[str], labels: list[str] | None) -> list[Any]:
    """Layer tokens, as mappings with a caption when --label is given once per layer."""
    if not labels:
        return list(tokens)
    if len(labels) != len(tokens):
        raise SpecError(f"--label: give one per layer ({len(tokens)}), got {len(labels)}")
    return [{"size": token, "label": text} for token, text in zip(tokens, labels)]


@app.command("lenet", context_settings={"ignore_unknown_options": True})
def lenet(
    ctx: typer.Context,
    layers: Annotated[list[str], typer.Argument(help="feature maps N@HxW (optionally :FHxFW, a filter window), then dense widths, e.g. 1@32x32:5x5 6@28x28 120 10", show_default=False)],
    output: Output = None,
    theme: ThemeOpt = None,
    settings: SetOpt = None,
    seed: Seed = None,
    save_spec: SaveSpec = None,
    scale: Scale = None,
    dpi: Dpi = None,
    ops: Annotated[str | None, typer.Option(help="op label of each gap, comma-separated, e.g. 'Conv 5x5,Max-pool 2x2,Dense' (missing ones are inferred)")] = None,
    gaps: Annotated[str | None, typer.Option(help="space between layers: one value or one per gap, e.g. 40,10,-20 (negative overlaps; default 40)")] = None,
    map_offset: Annotated[str | None, typer.Option(help="diagonal step between stacked maps (default 8)")] = None,
    max_maps: Annotated[str | None, typer.Option(help="draw deeper stacks as back and front maps around an ellipsis; 0 draws all (default 24)")] = None,
    map_size: Annotated[MapSize | None, typer.Option(help="map sides to scale (linear) or log-scaled (default linear)")] = None,  # type: ignore[valid-type]
    map_scale: Annotated[str | None, typer.Option(help="scale of map sides (default 1)")] = None,
    dense_size: Annotated[DenseSize | None, typer.Option(help="dense length linear in n or in sqrt(n) (default linear)")] = None,  # type: ignore[valid-type]
    dense_scale: Annotated[str | None, typer.Option(help="dense length scale in percent (default 100)")] = None,
    filters: Annotated[Filters | None, typer.Option(help="filter windows: given and inferred (infer), only given, or none (default infer)")] = None,  # type: ignore[valid-type]
    filter_position: Annotated[FilterPosition | None, typer.Option(help="window placement: seeded random spot or centre (default seeded)")] = None,  # type: ignore[valid-type]
    labels: Annotated[bool | None, typer.Option("--labels/--no-labels", help="draw captions and op labels (default on)")] = None,
    label: Annotated[list[str] | None, typer.Option("--label", help="caption of each layer in order (repeat once per layer)")] = None,
) -> None:
    """Feature-map stacks and dense layers, left to right (NN-SVG's LeNet style)."""
    _stray_options(ctx, layers)
    data: dict[str, Any] = {"style": "lenet", "layers": _with_labels(layers, label)}
    values = {"ops": ops, "gaps": gaps, "map_offset": map_offset, "max_maps": max_maps,
              "map_size": map_size, "map_scale": map_scale, "dense_size": dense_size,
              "dense_scale": dense_scale, "filters": filters, "filter_position": filter_position,
              "labels": labels}
    _run_style(data, values, theme, settings, seed, output, save_spec, scale, dpi)


@app.command("alexnet", context_settings={"ignore_unknown_options": True})
def alexnet(
    ctx: typer.Context,
    layers: Annotated[list[str], typer.Argument(help="volumes HxWxD (optionally :FHxFW, a filter box), then dense widths, e.g. 224x224x3:11x11 55x55x96 1000", show_default=False)],
    output: Output = None,
    theme: ThemeOpt = None,
    settings: SetOpt = None,
    seed: Seed = None,
    save_spec: SaveSpec = None,
    scale: Scale = None,
    dpi: Dpi = None,
    view: Annotated[str | None, typer.Option(help="camera azimuth,elevation in degrees: azimuth in (0, 90), elevation in [0, 60] (default 21,21.4: NN-SVG's camera)")] = None,
    spacing: Annotated[str | None, typer.Option(help="space between layers (default 40)")] = None,
    dims: Annotated[bool | None, typer.Option("--dims/--no-dims", help="dimension labels on volumes, sizes under dense layers")] = None,
    filter_dims: Annotated[bool | None, typer.Option("--filter-dims/--no-filter-dims", help="size labels on filter boxes")] = None,
    font_scale: Annotated[str | None, typer.Option(help="scale of the dimension labels (default 1)")] = None,
    depth_size: Annotated[SizeMode | None, typer.Option(help="depth drawn log-scaled or linear (default log)")] = None,  # type: ignore[valid-type]
    depth_scale: Annotated[str | None, typer.Option(help="scale of depth (default 10)")] = None,
    side_size: Annotated[SizeMode | None, typer.Option(help="height and width log-scaled or linear (default log)")] = None,  # type: ignore[valid-type]
    side_scale: Annotated[str | None, typer.Option(help="scale of height and width (default 10)")] = None,
    filter_size: Annotated[SizeMode | None, typer.Option(help="filter box side linear or log (default linear)")] = None,  # type: ignore[valid-type]
    filter_scale: Annotated[str | None, typer.Option(help="scale of filter boxes (default 1)")] = None,
    filter_position: Annotated[FilterPosition | None, typer.Option(help="filter box placement: seeded random or centre (default seeded)")] = None,  # type: ignore[valid-type]
    input_image: Annotated[str | None, typer.Option(help="a PNG or JPEG put on the first volume's front face")] = None,
    image_opacity: Annotated[str | None, typer.Option(help="opacity of the input image (default 0.5)")] = None,
    image_flip: Annotated[bool | None, typer.Option("--image-flip/--no-image-flip", help="mirror the input image")] = None,
    label: Annotated[list[str] | None, typer.Option("--label", help="caption of each layer in order (repeat once per layer)")] = None,
) -> None:
    """3D volumes and dense boxes under an orthographic camera (NN-SVG's AlexNet style)."""
    _stray_options(ctx, layers)
    data: dict[str, Any] = {"style": "alexnet", "layers": _with_labels(layers, label)}
    values = {"view": view, "spacing": spacing, "dims": dims, "filter_dims": filter_dims,
              "font_scale": font_scale, "depth_size": depth_size, "depth_scale": depth_scale,
              "side_size": side_size, "side_scale": side_scale, "filter_size": filter_size,
              "filter_scale": filter_scale, "filter_position": filter_position,
              "input_image": input_image, "image_opacity": image_opacity, "image_flip": image_flip}
    _run_style(data, values, theme, settings, seed, output, save_spec, scale, dpi)


@app.command("rnn", context_settings={"ignore_unknown_options": True})
def rnn(
    ctx: typer.Context,
    layers: Annotated[list[str], typer.Argument(help="input width, recurrent layer width(s), output width, e.g. 3 5 2", show_default=False)],
    output: Output = None,
    theme: ThemeOpt = None,
    settings: SetOpt = None,
    seed: Seed = None,
    save_spec: SaveSpec = None,
    scale: Scale = None,
    dpi: Dpi = None,
    unroll: Annotated[str | None, typer.Option(help="draw the network through this many time steps (default 0: folded)")] = None,
    cell: Annotated[Cell | None, typer.Option(help="recurrent cell type, drawn as a named block (default rnn)")] = None,  # type: ignore[valid-type]
    form: Annotated[RnnForm | None, typer.Option(help="nodes, blocks, or auto (default)")] = None,  # type: ignore[valid-type]
    outputs: Annotated[RnnOutputs | None, typer.Option(help="unrolled: an output at every step (all) or at the last (last)")] = None,  # type: ignore[valid-type]
    delay: Annotated[bool | None, typer.Option("--delay/--no-delay", help="write z⁻¹ on the folded loops (default on)")] = None,
    node_diameter: Annotated[str | None, typer.Option(help="node diameter (default 20)")] = None,
    layer_spacing: Annotated[str | None, typer.Option(help="space between layers (default 70)")] = None,
    step_spacing: Annotated[str | None, typer.Option(help="space between time steps (default 60)")] = None,
    labels: Annotated[bool | None, typer.Option("--labels/--no-labels", help="names and the size legend (default on)")] = None,
    label: Annotated[list[str] | None, typer.Option("--label", help="caption of each layer in order (repeat once per layer)")] = None,
) -> None:
    """Recurrent networks: folded with feedback loops, or unrolled through time (--unroll T)."""
    _stray_options(ctx, layers)
    data: dict[str, Any] = {"style": "rnn", "layers": _with_labels(layers, label)}
    values = {"unroll": unroll, "cell": cell, "form": form, "outputs": outputs, "delay": delay,
              "node_diameter": node_diameter, "layer_spacing": layer_spacing, "step_spacing": step_spacing,
              "labels": labels}
    _run_style(data, values, theme, settings, seed, output, save_spec, scale, dpi)


@app.command("render")
def render(
    spec_file: Annotated[Path, typer.Argument(help="a spec file: .yaml .yml .toml .json", show_default=False)],
    output: Output = None,
    theme: ThemeOpt = None,
    settings: SetOpt = None,
    seed: Seed = None,
    save_spec: SaveSpec = None,
    scale: Scale = None,
    dpi: Dpi = None,
) -> None:
    """Render a spec file (as written by --save-spec); --theme, --set and --seed override it."""
    spec = specs.load(spec_file)
    data = _common(specs.to_dict(spec), theme, settings, seed)
    _emit(Diagram(specs.from_dict(data)), output, save_spec, scale, dpi)


@app.command("themes")
def themes(
    keys: Annotated[bool, typer.Option("--keys", help="list every theme key with its default")] = False,
) -> None:
    """List the built-in themes with a one-line description (or, with --keys, the theme keys)."""
    from .theme import builtin_names, describe_keys, load_theme

    if keys:
        rows = describe_keys()
        width = max(len(k) for k, _, _ in rows)
        for key, default, doc in rows:
            typer.echo(f"{key:<{width}}  {default:<42}  {doc}")
        return
    names = builtin_names()
    width = max(len(n) for n in names)
    for name in names:
        typer.echo(f"{name:<{width}}  {load_theme(name).description}")


@app.command("gallery")
def gallery(
    check: Annotated[bool, typer.Option("--check", help="fail if a gallery file is stale; write nothing")] = False,
    folder: Annotated[Path, typer.Option("--dir", help="the gallery folder, with its specs/")] = Path("gallery"),
) -> None:
    """Rebuild gallery/*.svg and *.png from gallery/specs/ (or check that they are current)."""
    from .gallery import build

    problems = build(folder, check=check)
    if problems:
        for problem in problems:
            typer.echo(f"stale: {problem}", err=True)
        typer.echo(f"error: {len(problems)} gallery file(s) out of date; run `nnsvg gallery`", err=True)
        raise typer.Exit(1)
    typer.echo("gallery is current" if check else f"gallery rebuilt in {folder}")


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of spec files (for editor completion and checking)."""
    typer.echo(json.dumps(specs.json_schema(), indent=2, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code: 0 ok, 2 bad input (nothing written), 1 anything else
    (a stale gallery, or an internal error)."""
    try:
        result = app(args=argv, prog_name="nnsvg", standalone_mode=False)
    except NnsvgError as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            ctx = getattr(exc, "ctx", None)
            print(ctx.get_help() if ctx is not None else "usage: nnsvg COMMAND ...")
            return 0
        print(f"error: {' '.join(exc.format_message().split())}", file=sys.stderr)
        return 2
    except typer.Abort:
        print("error: aborted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: one line, and the traceback on request
        if os.environ.get("NNSVG_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}: {exc}); please report it with the "
              "command that caused it (NNSVG_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1
    return result if isinstance(result, int) else 0
