"""Reading and writing spec files: YAML, TOML and JSON, chosen by the file's extension."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..errors import SpecError
from ..text import quote

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}


def format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SpecError(f"spec file '{path}': unknown extension '{path.suffix}' "
                        "(use .yaml, .yml, .toml or .json)")
    return fmt


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise SpecError(f"duplicate key '{key}'")
        out[key] = value
    return out


def _yaml_load(text: str) -> Any:
    import yaml  # imported only for YAML specs

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        pairs = [(loader.construct_object(k, deep=True), loader.construct_object(v, deep=True))
                 for k, v in node.value]
        return _no_duplicates(pairs)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SpecError(f"not valid YAML{where}: {problem}") from None


def parse_text(text: str, fmt: str) -> Any:
    if fmt == "yaml":
        return _yaml_load(text)
    if fmt == "toml":
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(f"not valid TOML: {exc}") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates,
                          parse_constant=lambda c: (_ for _ in ()).throw(SpecError(f"{c} is not allowed")))
    except json.JSONDecodeError as exc:
        raise SpecError(f"not valid JSON: {exc}") from None


def read(path: Path) -> dict[str, Any]:
    """The mapping in a spec file, or a SpecError naming the file."""
    fmt = format_of(path)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise SpecError(f"spec file '{path}' is a directory") from None
    except OSError as exc:
        raise SpecError(f"cannot read spec file '{path}': {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError(f"spec file '{path}' is not UTF-8 text") from None
    try:
        data = parse_text(text, fmt)
    except SpecError as exc:
        raise SpecError(f"spec file '{path}': {exc}") from None
    if not isinstance(data, dict):
        raise SpecError(f"spec file '{path}': expected a mapping with 'style' and 'layers', "
                        f"got {type(data).__name__} {quote(data, 40)}")
    return data


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SpecError(f"cannot write {quote(value)} to TOML")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON strings are TOML basic strings
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {_toml_value(v)}"
                          for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    raise SpecError(f"cannot write {quote(value)} to TOML")


def dump_text(data: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "toml":
        return "".join(f"{key} = {_toml_value(value)}\n" for key, value in data.items())
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=100)
