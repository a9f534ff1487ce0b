"""Spec options as command-line flags: each option's ``option(...)`` declaration (kind, help,
bounds, choices, default) becomes a typer parameter, and the values given on the command line
go back into spec data, checked by the same declaration under the flag's name. The CLI builds
every style command from these; a new spec option is a new flag with no other change."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

from .errors import SpecError
from .spec.base import BaseSpec
from .spec.fields import coerce, options
from .text import nearest

METAVARS = {"int": "INTEGER", "number": "NUMBER", "numbers": "N[,N...]", "text": "TEXT", "length": "LENGTH",
            "texts": "TEXT[,TEXT...]", "matrices": "JSON"}


def flag(name: str) -> str:
    """The flag of a spec option: ``node_gap`` → ``--node-gap``."""
    return "--" + name.replace("_", "-")


def shown_default(default: Any, kind: str) -> str | bool:
    """A spec default as ``--help`` shows it, or False for none."""
    if default is None or (kind == "settings"):
        return False
    if kind == "bool":
        return "on" if default else "off"
    if isinstance(default, list | tuple):
        return ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in default)
    if isinstance(default, float):
        return f"{default:g}"
    return str(default)


def bound(value: float, kind: str) -> str:
    return f"{int(value):,}" if kind == "int" else f"{value:,g}"


def option_help(meta: dict[str, Any], default: Any) -> str:
    """The help of a spec option: its declared help, its bounds and its default."""
    kind = meta["kind"]
    text = str(meta["help"])
    low, high = meta.get("low"), meta.get("high")
    if high is not None and high > 10**12:  # no one needs to read the top of a seed's range
        high = None
    if low is not None and high is not None:
        text += f" (from {bound(low, kind)} to {bound(high, kind)})"
    elif low is not None:
        text += f" (at least {bound(low, kind)})"
    shown = shown_default(default, kind)
    return f"{text}  [default: {shown}]" if shown else text


def spec_parameter(name: str, meta: dict[str, Any], default: Any) -> inspect.Parameter:
    """The typer parameter of one spec option. Values stay text: the spec validates them, so
    CLI and spec file give the same errors, naming the option and the value."""
    kind = meta["kind"]
    annotation: Any
    if kind == "bool":
        annotation = Annotated[bool | None, typer.Option(
            f"{flag(name)}/--no-{flag(name)[2:]}", help=option_help(meta, default), show_default=False)]
    elif kind == "settings":
        annotation = Annotated[list[str] | None, typer.Option(
            flag(name), help=f"{meta['help']}: --{name} node.fill=#ffcc00 (repeatable; `nnsvg themes "
            "--keys` lists the keys)", metavar="KEY=VALUE", show_default=False)]
    elif kind in ("connections", "blocks"):  # repeatable; also under a short singular name
        names = [flag(name), *([flag(meta["alias"])] if "alias" in meta else [])]
        annotation = Annotated[list[str] | None, typer.Option(
            *names, help=meta["help"], metavar="FROM:TO[:...]", show_default=False)]
    else:
        metavar = "[" + "|".join(meta["choices"]) + "]" if kind == "choice" else METAVARS[kind]
        annotation = Annotated[str | None, typer.Option(
            flag(name), help=option_help(meta, default), metavar=metavar, show_default=False)]
    return keyword(name, annotation)


def spec_parameters(cls: type[BaseSpec], only: tuple[str, ...] | None = None) -> list[inspect.Parameter]:
    """A parameter per option of a spec class (or of the ``only`` ones, overriding a spec file:
    their defaults are not shown, since what is not given keeps the file's value), in
    declaration order."""
    defaults = {f.name: f for f in cls.__dataclass_fields__.values()}
    out = []
    for name, meta in options(cls).items():
        if only is not None and name not in only:
            continue
        f = defaults[name]
        default = f.default_factory() if callable(f.default_factory) else f.default
        out.append(spec_parameter(name, meta, default if only is None else None))
    return out


def spec_values(cls: type[BaseSpec], values: dict[str, Any]) -> dict[str, Any]:
    """The given (not None) spec options among a command's values, as spec data, each checked
    by its declaration under its flag's name (``--direction: expected one of ...``)."""
    data: dict[str, Any] = {}
    for name, meta in options(cls).items():
        value = values.get(name)
        if value is None:
            continue
        data[name] = settings(value) if meta["kind"] == "settings" else coerce(flag(name), value, meta)
    return data


def settings(items: list[str]) -> dict[str, str]:
    """``--set key=value`` items as a mapping."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SpecError(f"--set: expected key=value, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def keyword(name: str, annotation: Any) -> inspect.Parameter:
    """A ``--option`` parameter of a generated command (None when not given)."""
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=None)


def positional(name: str, annotation: Any) -> inspect.Parameter:
    """A positional parameter (an argument, or typer's context) of a generated command."""
    return inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation)


def generated(function: Callable[..., None], parameters: list[inspect.Parameter], doc: str) -> Callable[..., None]:
    """``function(**values)`` presented to typer with the given parameters and help."""
    function.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    function.__annotations__ = {}
    function.__doc__ = doc
    return function


def stray_options(ctx: typer.Context, tokens: list[str]) -> None:
    """Layer tokens may be negative numbers (reported as bad widths), so the style commands
    accept unknown options as tokens; a token that is really a mistyped option is named here."""
    names = [name for param in ctx.command.params for name in getattr(param, "opts", [])]
    for token in tokens:
        if token.startswith("-") and not token.lstrip("-").replace(".", "", 1).isdigit():
            if token in names:  # only after "--", where every word is a layer token
                raise SpecError(f"{token} comes after '--', where every word is a layer token; "
                                "put options before '--'")
            raise SpecError(f"No such option: {token}{nearest(token, names)}")


def with_labels(tokens: list[str], labels: list[str] | None) -> list[Any]:
    """Layer tokens, as mappings with a caption when --label is given once per layer."""
    if not labels:
        return list(tokens)
    if len(labels) != len(tokens):
        raise SpecError(f"--label: give one per layer ({len(tokens)}), got {len(labels)}")
    return [{"size": token, "label": text} for token, text in zip(tokens, labels)]
