"""Spec options as command-line flags: each option's ``option(...)`` declaration becomes a typer
parameter as its kind object describes it (metavar, switch or repeatable, help with bounds and
default), and the values given on the command line go back into spec data, checked by the same
kind under the flag's name. The CLI builds
every style command from these; a new spec option is a new flag with no other change."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

from .errors import SpecError
from .spec.base import BaseSpec
from .spec.fields import kind_of, options
from .text import nearest


def flag(name: str) -> str:
    """The flag of a spec option: ``node_gap`` → ``--node-gap``."""
    return "--" + name.replace("_", "-")


def spec_parameter(name: str, meta: dict[str, Any], default: Any) -> inspect.Parameter:
    """The typer parameter of one spec option, as its kind describes it (a switch, a repeatable
    list of texts, or one text). Values stay text: the spec validates them, so CLI and spec file
    give the same errors, naming the option and the value."""
    kind = kind_of(meta)
    help = kind.cli_help(name, str(meta["help"]), default)
    annotation: Any
    if kind.switch:
        annotation = Annotated[bool | None, typer.Option(
            f"{flag(name)}/--no-{flag(name)[2:]}", help=help, show_default=False)]
    else:
        names = [flag(name), *([flag(meta["alias"])] if "alias" in meta else [])]
        annotation = Annotated[list[str] | None if kind.repeatable else str | None, typer.Option(
            *names, help=help, metavar=kind.cli_metavar(), show_default=False)]
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
        data[name] = kind_of(meta).from_cli(flag(name), value)
    return data


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
