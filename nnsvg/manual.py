"""The manual's option tables, generated from the declarations: ``docs/*.md`` hold hand-written
prose around tables marked ``<!-- options:NAME:start -->`` … ``<!-- options:NAME:end -->``, and
this module writes each table from what declares it (a style's ``option(...)`` fields, the
format table, the theme's keys, the commands' flags), or, with ``--check``, writes nothing and
reports every table that is not current (the tests run the check, as they run the gallery's).

    python -m nnsvg.manual            # rewrite the tables in docs/
    python -m nnsvg.manual --check    # exit 1 and name each stale table

A developer's tool of the checkout (an installed nnsvg has no docs/), so it is no command of
the CLI and nothing on the CLI's start-up path imports it.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import formats, styles
from .flags import flag
from .spec.base import BaseSpec
from .spec.fields import kind_of, options

MARKER = re.compile(r"<!-- options:([a-z0-9-]+):(start|end) -->")

def cell(text: object) -> str:
    """Text for a Markdown table cell: one line, its pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def flags_of(name: str, meta: dict[str, Any]) -> str:
    """The command-line flags of a spec option: ``--bias`` / ``--no-bias``, an alias beside."""
    shown = [flag(name)]
    if kind_of(meta).switch:
        shown.append(f"--no-{name.replace('_', '-')}")
    if "alias" in meta:
        shown.append(flag(meta["alias"]))
    return ", ".join(f"`{f}`" for f in shown)


def default_of(f: dataclasses.Field[Any]) -> str:
    default = f.default_factory() if callable(f.default_factory) else f.default
    shown = kind_of(dict(f.metadata)).shown_default(default)
    return f"`{shown}`" if shown else "none"


def spec_table(cls: type[BaseSpec], names: list[str]) -> str:
    """The table of some options of a spec class, in declaration order."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    metas = options(cls)
    rows = [(flags_of(name, metas[name]), f"`{name}`", kind_of(metas[name]).accepts(), default_of(fields[name]),
             metas[name]["help"]) for name in names]
    return table(("flag", "spec key", "accepts", "default", "meaning"), rows)


def own_options(cls: type[BaseSpec]) -> list[str]:
    """A style's options that every style does not share (or that it declares its own way)."""
    shared = {f.name: f for f in dataclasses.fields(BaseSpec)}
    fields = {f.name: f for f in dataclasses.fields(cls)}
    return [name for name in options(cls)
            if name not in shared or fields[name].metadata != shared[name].metadata
            or fields[name].default != shared[name].default]


def style_table(name: str) -> Callable[[], str]:
    return lambda: spec_table(styles.STYLES[name].spec_class(), own_options(styles.STYLES[name].spec_class()))


def shared_table() -> str:
    return spec_table(BaseSpec, list(options(BaseSpec)))


def output_table() -> str:
    """The output options of the format table: flag, API keyword, which formats take it."""
    rows = []
    for option in formats.OPTIONS.values():
        takers = [f.name.upper() for f in formats.FORMATS.values() if option.name in f.options]
        value = f"`{option.metavar}`" if option.kind == "number" else "on/off"
        rows.append((f"`{option.flag}`", f"`{option.name}=`", value, ", ".join(takers), option.help))
    return table(("flag", "Python (`save`)", "value", "formats", "meaning"), rows)


def formats_table() -> str:
    """Every output format: its extensions, the backend that writes it, what it needs."""
    rows = []
    for f in formats.FORMATS.values():
        backend = f"`nnsvg/backends/{f.backend}.py`"
        routed = [f"`{o.flag}`: `nnsvg/backends/{o.backend}.py`" for o in formats.OPTIONS.values()
                  if o.backend is not None and o.name in f.options]
        needs = f.needs
        takes = ", ".join(f"`{formats.OPTIONS[o].flag}`" for o in formats.OPTIONS if o in f.options) or "none"
        rows.append((f.name.upper(), " ".join(f"`{e}`" for e in f.extensions), "; ".join([backend, *routed]),
                     needs, takes, f.description))
    return table(("format", "extensions", "written by", "needs", "output options", "what it is"), rows)


def theme_table() -> str:
    """Every theme key as ``nnsvg themes --keys`` lists it: default, meaning, allowed values."""
    from .theme import describe_keys, key_kind, theme_keys

    keys = theme_keys()
    rows = []
    for key, default, _ in describe_keys():
        kind = key_kind(keys[key])
        shown = f"`{default}`" if default else "(empty)"
        rows.append((f"`{key}`", kind.name, shown, kind.accepts(), keys[key]["doc"]))
    return table(("key", "kind", "default (`nnsvg`)", "allowed", "meaning"), rows)


def command_params(command: str, skip: Iterable[str] = ()) -> list[Any]:
    """The click options of one CLI command, as the CLI builds it, but those named in ``skip``."""
    import typer

    from .cli import build_app

    group: Any = typer.main.get_command(build_app())
    skipped = set(skip)
    return [p for p in group.commands[command].params
            if getattr(p, "param_type_name", "") == "option" and p.name not in skipped]


def command_table(command: str, skip: Iterable[str] = ()) -> str:
    """A command's own flags (not its spec or output options) with their help texts."""
    rows = []
    for param in command_params(command, skip):
        names = [*param.opts, *param.secondary_opts]
        value = "" if param.is_flag else f"`{param.metavar or param.type.name.upper()}`"
        rows.append((", ".join(f"`{n}`" for n in names), value, param.help or ""))
    return table(("flag", "value", "meaning"), rows)


def drawing_table() -> str:
    """What every style command has beside its spec options and the output options."""
    cls = styles.STYLES["fcnn"].spec_class()
    return command_table("fcnn", [*options(cls), *formats.OPTIONS])


def presets_table() -> str:
    """Every named width and height, its value as LaTeX gives it and where that comes from."""
    from .units import PRESET_TABLES, PX_PER

    rows = []
    for axis, presets in PRESET_TABLES.items():
        for name, p in presets.items():
            inches = p.value * PX_PER[p.unit] / PX_PER["in"]
            rows.append([f"`--{axis} {name}`", f"{p.value:.10g} {p.unit} = {inches:.3f} in", p.what])
    return table(["preset", "size", "what it is"], rows)


def units_table() -> str:
    """The units a length may be given in."""
    from .units import PX_PER, UNITS

    return table(["unit", "what it is", "in inches"],
                 [[f"`{name}`", unit.name, f"{unit.px / PX_PER['in']:.6g}"] for name, unit in UNITS.items()])


TABLES: Mapping[str, tuple[str, Callable[[], str]]] = MappingProxyType({
    **{name: (f"{name}.md", style_table(name)) for name in styles.STYLES},
    "shared": ("specs-and-graphs.md", shared_table),
    "command": ("specs-and-graphs.md", drawing_table),
    "render": ("specs-and-graphs.md", lambda: command_table("render", formats.OPTIONS)),
    "formats": ("formats.md", formats_table),
    "output": ("formats.md", output_table),
    "theme": ("themes-and-fonts.md", theme_table),
    "import": ("importers.md", lambda: command_table("import", formats.OPTIONS)),
    "edit": ("editor.md", lambda: command_table("edit")),
    "presets": ("papers-and-latex.md", presets_table),
    "units": ("papers-and-latex.md", units_table),
})


def tables_of(text: str, where: str) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """The marked tables of a page: name → (start, end) of the text between its markers, and
    the problems (a marker without its pair, a name twice, markers out of order)."""
    found: dict[str, tuple[int, int]] = {}
    problems: list[str] = []
    opened: tuple[str, int] | None = None
    for match in MARKER.finditer(text):
        name, which = match.groups()
        if which == "start":
            if opened is not None:
                problems.append(f"markers: {where}: options:{opened[0]} has no end before options:{name} starts")
            opened = (name, match.end())
        elif opened is None or opened[0] != name:
            problems.append(f"markers: {where}: options:{name}:end without its start")
        else:
            if name in found:
                problems.append(f"markers: {where}: options:{name} is marked twice")
            found[name] = (opened[1], match.start())
            opened = None
    if opened is not None:
        problems.append(f"markers: {where}: options:{opened[0]} has no end")
    return found, problems


def build(folder: Path, check: bool = False) -> list[str]:
    """Write every table into its page; with ``check`` write nothing and return the problems
    instead, one line each ("stale: …" for a table that is not what the declarations make)."""
    problems: list[str] = []
    pages = sorted({page for page, _ in TABLES.values()} | {p.name for p in folder.glob("*.md")})
    for page in pages:
        path = folder / page
        wanted = {name: make for name, (where, make) in TABLES.items() if where == page}
        if not path.is_file():
            problems.append(f"missing: {path} (it holds the tables {', '.join(wanted)})")
            continue
        text = path.read_text("utf-8")
        found, marker_problems = tables_of(text, str(path))
        problems += marker_problems
        problems += [f"unknown: {path}: options:{name} is not a table nnsvg.manual makes"
                     for name in found if name not in wanted]
        problems += [f"missing: {path}: no <!-- options:{name}:start --> … <!-- options:{name}:end --> markers"
                     for name in wanted if name not in found]
        new = text
        for name, (start, end) in sorted(found.items(), key=lambda item: -item[1][0]):
            if name in wanted:
                new = new[:start] + "\n" + wanted[name]() + new[end:]
        if new != text:
            if check:
                stale = [n for n, (s, e) in found.items() if n in wanted and text[s:e] != "\n" + wanted[n]()]
                problems += [f"stale: {path}: the options:{name} table is not current" for name in sorted(stale)]
            elif not marker_problems:
                path.write_text(new, encoding="utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnsvg.manual", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a table is stale; write nothing")
    parser.add_argument("--dir", type=Path, default=Path("docs"), help="the manual's folder  [default: docs]")
    args = parser.parse_args(argv)
    problems = build(args.dir, check=args.check)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        stale = sum(p.startswith("stale:") for p in problems)
        print(f"error: {stale} table(s) out of date (run `python -m nnsvg.manual`), "
              f"{len(problems) - stale} other problem(s) in {args.dir}", file=sys.stderr)
        return 1
    print("the manual's tables are current" if args.check else f"the manual's tables rewritten in {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
