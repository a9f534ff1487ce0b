"""The command line: ``nnsvg STYLE TOKENS... -o FILE``, ``nnsvg render SPEC``, ``nnsvg themes``,
``nnsvg gallery``, ``nnsvg schema``.

A style command is generated from the style registry (``nnsvg.styles``) and its spec's option
declarations (``option(...)`` in ``nnsvg/spec/<style>.py``): each option's flag, type, choices,
bounds, default and help come from there, and every command shares one body. Every command
builds a spec mapping and goes through the same code as the API; input errors print one
``error: ...`` line and exit 2, and nothing is written.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.exceptions import TyperException

from . import export, formats, styles
from . import spec as specs
from .diagram import MODEL_FILE, SPEC_FILE, Diagram
from .errors import NnsvgError, SpecError, interruption
from .flags import generated, keyword, positional, spec_parameters, spec_values, stray_options, with_labels
from .spec.base import BaseSpec
from .spec.fields import coerce
from .text import clip, terminal
from .version import __version__


def format_names(reads: str) -> str:
    """The formats of the format table that write ``reads`` ("scene": a drawing, "graph": the
    network's graph), as the help names them: "SVG, PDF, …, EPS (Encapsulated PostScript)"."""
    names = []
    for f in formats.FORMATS.values():
        head = re.split(r"[,:(]", f.description, maxsplit=1)[0].strip()  # "SVG", "TikZ picture for LaTeX"
        if f.reads == reads:
            names.append(head if f.name.upper() in head.split() else f"{f.name.upper()} ({head})")
    return ", ".join(names)


HELP = (f"Publication-quality drawings of neural networks: {format_names('scene')}; and the network's graph as "
        f"{format_names('graph')}.")
SPEC_FILES = specs.files.extensions()  # the spec files nnsvg reads and writes

# --- the options of every drawing command that are not spec options (declared once, here) ---

Output = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FILE",
    help=f"output file: {formats.extensions_text()}  [default: SVG to standard output]")]
SaveSpec = Annotated[str | None, typer.Option(
    "--save-spec", metavar="FILE", help=f"also write the spec ({SPEC_FILES}) that reproduces the figure")]
Label = Annotated[list[str] | None, typer.Option(
    "--label", metavar="TEXT", help="caption of each layer in order (repeat once per layer)")]




def output_option(option: formats.Option) -> Any:
    """The flag of an output option of the format table (``--dpi NUMBER``, ``--tex-standalone``)."""
    if option.kind == "flag":
        return Annotated[bool | None, typer.Option(option.flag, help=option.help, show_default=False)]
    return Annotated[str | None, typer.Option(option.flag, metavar=option.metavar, help=option.help)]


OUTPUT_OPTIONS = list(formats.OPTIONS.values())
EMIT = [keyword("output", Output), keyword("save_spec", SaveSpec),
        *(keyword(o.name, output_option(o)) for o in OUTPUT_OPTIONS)]


# --- running a command ----------------------------------------------------------------------

def emit(diagram: Diagram, values: dict[str, Any]) -> None:
    """Write the figure (and its spec) as the EMIT options say: everything is rendered first, so
    a failure leaves every file as it was."""
    output, save_spec = values["output"], values["save_spec"]
    if output is not None:
        export.check_target(output)
    fmt = formats.for_path(output) if output is not None else formats.get("svg")
    export.raster_scale(fmt, values["scale"], values["dpi"], names=("--scale", "--dpi"))  # names the flags
    asked: dict[str, object] = {o.name: bool(values[o.name]) for o in OUTPUT_OPTIONS if o.kind == "flag"}
    flags: dict[str, Any] = export.check_flags(fmt, asked, cli=True)
    scale, dpi = (None if values[k] is None else float(values[k]) for k in ("scale", "dpi"))
    if output is not None:
        diagram.save(output, scale=scale, dpi=dpi, spec=save_spec, **flags)
    else:
        chunks = diagram.encoded(fmt, spec=save_spec, **flags)
        if save_spec is not None:
            diagram.save_spec(save_spec)
        export.to_stdout(chunks)
    if fmt.reads == "scene":  # a graph format draws nothing: the drawing's notes are not about it
        for note in diagram.notes:
            print(f"note: {terminal(note)}", file=sys.stderr)


def style_command(style: styles.Style) -> Callable[..., None]:
    """The command of a registered style: TOKENS, the output options, and a flag per spec option."""
    cls = style.spec_class()

    def command(ctx: typer.Context, layers: list[str], label: list[str] | None, **values: Any) -> None:
        stray_options(ctx, layers)
        data = {"style": style.name, "layers": with_labels(layers, label), **spec_values(cls, values)}
        emit(Diagram(specs.from_dict(data)), values)

    tokens = Annotated[list[str], typer.Argument(help=style.tokens, show_default=False, metavar="TOKENS...")]
    parameters = [positional("ctx", typer.Context), positional("layers", tokens), *EMIT, keyword("label", Label),
                  *spec_parameters(cls)]
    return generated(command, parameters, f"{style.summary}\n\nExample: {style.example}")


def render_command() -> Callable[..., None]:
    """``nnsvg render SPEC``: a spec file, with the shared spec options as overrides."""
    overrides = ("theme", "set", "seed", "labels", "text_as_paths", "width", "height", "legend", "legend_labels")

    def command(spec_file: str, **values: Any) -> None:
        spec = specs.load(spec_file)
        data = {**specs.to_dict(spec)}
        given = spec_values(BaseSpec, {k: values[k] for k in overrides})
        for merged in ("set", "legend_labels"):  # the file's entries, with the given ones on top
            if merged in given:
                given[merged] = {**data.get(merged, {}), **given[merged]}
        data.update(given)
        emit(Diagram(specs.from_dict(data), sources=[(SPEC_FILE, spec_file)]), values)

    source = Annotated[str, typer.Argument(help=f"a spec file: {SPEC_FILES}", show_default=False)]
    parameters = [positional("spec_file", source), *EMIT, *spec_parameters(BaseSpec, only=overrides)]
    return generated(command, parameters,
                     "Render a spec file (as written by --save-spec); --theme, --set, --seed, --labels, "
                     "--text-as-paths, --width, --height, --legend and --legend-label override it.")


IMPORT_STYLES = ("auto", *styles.STYLES)


def import_style_options(ctx: typer.Context, data: dict[str, Any]) -> None:
    """The chosen style's options given after ``nnsvg import MODEL`` (``ctx.args``), parsed by
    that style's own flags, merged into the imported spec ``data``."""
    chosen = styles.get(data["style"])
    cls = chosen.spec_class()
    given: dict[str, Any] = {}

    def style_options(**options: Any) -> None:
        given.update(spec_values(cls, options))

    sub = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    sub.command(chosen.name)(generated(style_options, spec_parameters(cls), chosen.summary))
    stray = [a for a in ctx.args if a.startswith("-") or a in ("",)]
    if ctx.args and not stray:
        raise SpecError(f"unexpected argument '{clip(ctx.args[0])}': nnsvg import takes one model file")
    sub(args=list(ctx.args), prog_name=f"nnsvg import ({chosen.name} options)", standalone_mode=False)
    if "set" in given:
        given["set"] = {**data.get("set", {}), **given["set"]}
    data.update(given)


IMPORT_OPTIONS = [
    keyword("style", Annotated[str | None, typer.Option(
        "--style", metavar="[" + "|".join(IMPORT_STYLES) + "]",
        help="the drawing style: auto picks fcnn for MLPs, lenet or alexnet for chain CNNs (by input size "
             "and depth), rnn for recurrent models, blocks for models that branch  [default: auto]")]),
    keyword("params", Annotated[bool | None, typer.Option(
        "--params", help="each layer's parameter count in its caption, the total on the input's")]),
    keyword("shapes", Annotated[bool | None, typer.Option(
        "--shapes", help="AlexNet: dimension labels on every layer (LeNet's and FCNN's captions show the "
                         "shapes anyway; a symbolic dimension is named in every style)")]),
    keyword("depth", Annotated[str | None, typer.Option(
        "--depth", metavar="INTEGER", help="0: each block (residual, inception, fire) as one layer; 1: "
                                           "its layers (styles that draw branches)")]),
]


def import_command() -> Callable[..., None]:
    """``nnsvg import MODEL``: a model file drawn in a style; the chosen style's options follow
    (they are parsed once the style is known, by that style's own flags)."""

    def command(ctx: typer.Context, model: str, **values: Any) -> None:
        from . import importers
        from .importers.figure import Options, figure

        style = values["style"] or "auto"
        if style not in IMPORT_STYLES:
            raise SpecError(f"--style: expected one of {', '.join(IMPORT_STYLES)}, got '{clip(style)}'")
        depth = None if values["depth"] is None else coerce("--depth", values["depth"], {"kind": "int", "low": 0,
                                                                                         "high": 100})
        read_notes: list[str] = []
        graph = importers.load(model, read_notes)
        data, notes = figure(graph, style, Options(params=bool(values["params"]), shapes=bool(values["shapes"]),
                                                   depth=depth))
        import_style_options(ctx, data)
        drawn = Diagram(specs.from_dict(data), sources=[(MODEL_FILE, model)])
        drawn.import_notes = [*read_notes, *notes]
        emit(drawn, values)

    source = Annotated[str, typer.Argument(help="a model file: .onnx, .keras (or a legacy Keras .h5), .pt2 (a "
                                                "PyTorch ExportedProgram: torch.export.save)",
                                           show_default=False, metavar="MODEL")]
    parameters = [positional("ctx", typer.Context), positional("model", source), *EMIT, *IMPORT_OPTIONS]
    return generated(command, parameters,
                     "Draw a model file (ONNX: pip install 'nnsvg[onnx]'; Keras .keras: no extra, its weights "
                     "and .h5 files with 'nnsvg[keras]'; PyTorch .pt2: 'nnsvg[torch]'). The chosen style's options "
                     "follow (`nnsvg STYLE --help` lists them); --save-spec writes the editable spec.\n\n"
                     "Example: nnsvg import model.onnx --params -o model.pdf")


# --- the other commands -----------------------------------------------------------------------

def themes(
    keys: Annotated[bool, typer.Option("--keys", help="list every theme key with its default and allowed "
                                                      "values")] = False,
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


def gallery(
    check: Annotated[bool, typer.Option("--check", help="fail if a gallery file is stale or a figure has a "
                                                        "quality problem; write nothing")] = False,
    folder: Annotated[Path, typer.Option("--dir", help="the gallery folder, with its specs/")] = Path("gallery"),
) -> None:
    """Rebuild gallery/*.svg and *.png from gallery/specs/ (or check that they are current)."""
    from .gallery import build

    problems = build(folder, check=check)
    if problems:
        for problem in problems:
            typer.echo(problem, err=True)
        stale = sum(p.startswith("stale:") for p in problems)
        typer.echo(f"error: {stale} gallery file(s) out of date (run `nnsvg gallery`), "
                   f"{len(problems) - stale} quality problem(s) in the figures", err=True)
        raise typer.Exit(1)
    typer.echo("gallery is current" if check else f"gallery rebuilt in {folder}")


def edit(
    spec_file: Annotated[str, typer.Argument(
        help=f"the spec file ({specs.files.extensions(specs.files.DATA_FORMATS)}); made from --style's example "
             "layers if it does not exist",
        show_default=False)],
    style: Annotated[str | None, typer.Option(
        "--style", metavar="STYLE", help=f"style of a new file: {', '.join(styles.STYLES)}  "
                                                f"[default: {specs.files.NEW_FILE_STYLE}]",
        show_default=False)] = None,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, metavar="PORT",
                                      help="port on 127.0.0.1; 0 takes a free one")] = 0,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="print the URL, do not open a browser")] = False,
) -> None:
    """Edit a spec file live in a local web page: the figure, a control for every option, the
    spec text; every change re-renders and is saved to the file. Ctrl-C stops."""
    from .editor import run

    raise typer.Exit(run(spec_file, style=style, port=port, browser=not no_browser))


def schema() -> None:
    """Print the JSON Schema of spec files (for editor completion and checking)."""
    typer.echo(json.dumps(specs.json_schema(), indent=2, ensure_ascii=False))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nnsvg {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="show the version and exit")] = False,
) -> None:
    """Publication-quality drawings of neural networks (the app's help is HELP)."""


# the commands besides the styles', in the order of the help: each made when the app is built
COMMANDS: dict[str, tuple[Callable[[], Callable[..., None]], dict[str, bool] | None]] = {
    "render": (render_command, None),
    "import": (import_command, {"ignore_unknown_options": True, "allow_extra_args": True}),
    "themes": (lambda: themes, None),
    "gallery": (lambda: gallery, None),
    "edit": (lambda: edit, None),
    "schema": (lambda: schema, None),
}


def build_app(wanted: str | None = None) -> typer.Typer:
    """The typer app. A run that names a command (``nnsvg fcnn ...``) builds only that command, so
    only what it needs is imported and generated (a style command needs its spec module); any
    other run (help, a mistyped command) builds them all."""
    app = typer.Typer(name="nnsvg", help=HELP, add_completion=False, no_args_is_help=True,
                      pretty_exceptions_enable=False, rich_markup_mode=None)
    app.callback()(_root)
    names = [*styles.STYLES, *COMMANDS]
    for name in [wanted] if wanted in names else names:
        if name in styles.STYLES:
            app.command(name, context_settings={"ignore_unknown_options": True})(style_command(styles.STYLES[name]))
        else:
            make, settings = COMMANDS[name]
            app.command(name, context_settings=settings)(make())
    return app


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code: 0 ok, 2 bad input (nothing written), 1 anything else
    (a stale gallery, or an internal error)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        app = build_app(args[0] if args else None)
        result = app(args=args, prog_name="nnsvg", standalone_mode=False)
    except NnsvgError as exc:
        print(f"error: {terminal(' '.join(str(exc).split()))}", file=sys.stderr)
        return 2
    except TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            ctx = getattr(exc, "ctx", None)
            print(ctx.get_help() if ctx is not None else "usage: nnsvg COMMAND ...")
            return 0
        print(f"error: {terminal(' '.join(exc.format_message().split()))}", file=sys.stderr)
        return 2
    except typer.Abort:
        print("error: aborted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: one line, and the traceback on request
        stop = interruption(exc)
        if stop is not None:  # a signal Python wrapped in another error: still a signal
            raise stop from None
        if os.environ.get("NNSVG_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}: {terminal(str(exc))}); please report it with the "
              "command that caused it (NNSVG_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1
    return result if isinstance(result, int) else 0
