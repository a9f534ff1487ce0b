"""Reading and writing spec files: YAML, TOML and JSON (and GraphViz DOT, read by ``nnsvg.dot``),
chosen by the file's extension. The extensions and the style of a new file are declared here."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..errors import SpecError
from ..reading import read_regular
from ..text import quote

# extension → format: every spec file nnsvg reads; ``dump_text`` writes the data formats (a DOT
# file is written from a spec, by ``nnsvg.dot``)
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json", ".dot": "dot", ".gv": "dot"}
DATA_FORMATS = ("yaml", "toml", "json")
NEW_FILE_STYLE = "fcnn"  # the style of a new spec file (``nnsvg edit`` without --style)


def extensions(formats: tuple[str, ...] | None = None) -> str:
    """The extensions of ``formats`` (all by default), as help texts list them: ``.yaml .yml …``."""
    return " ".join(ext for ext, fmt in FORMATS.items() if formats is None or fmt in formats)


def format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SpecError(f"spec file '{path}': unknown extension '{path.suffix}' "
                        f"(use {', '.join(FORMATS)}; .dot and .gv are GraphViz)")
    return fmt


MAX_SPEC_BYTES = 1 << 20  # 1,000 layers in the mapping form with long labels is ~200 KB
MAX_ALIASES = 100  # YAML anchors are for reusing a colour or a layer, not for building data
MAX_NODES = 100_000  # values in a spec once its aliases are expanded (1,000 layers is ~5,000)


def _no_duplicates(pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if not isinstance(key, str):
            raise SpecError(f"keys are text (option names, theme keys), got the key {quote(key)}")
        if key in out:
            raise SpecError(f"duplicate key '{key}'")
        out[key] = value
    return out


def _children(node: Any) -> list[Any]:
    """The child nodes of a composed YAML node: a sequence's items, a mapping's keys and values."""
    if not isinstance(node.value, list):  # a scalar
        return []
    return [n for item in node.value for n in (item if isinstance(item, tuple) else (item,))]


def _expanded_size(root: Any) -> int:
    """How many values a composed YAML document holds once every alias is expanded (a shared
    node counts once per use), capped just above MAX_NODES; walked without recursion."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if children_done:
            sizes[id(node)] = min(MAX_NODES + 1, 1 + sum(sizes[id(c)] for c in _children(node)))
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes[id(root)]


def _yaml_load(text: str) -> Any:
    import yaml  # imported only for YAML specs

    class Loader(yaml.SafeLoader):
        aliases = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > MAX_ALIASES:
                    raise SpecError(f"more than {MAX_ALIASES} YAML aliases (*name); a spec needs a few at most")
            return super().compose_node(parent, index)

        def construct_document(self, node: Any) -> Any:
            if _expanded_size(node) > MAX_NODES:
                raise SpecError(f"its YAML aliases expand to more than {MAX_NODES:,} values")
            return super().construct_document(node)

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


def _json_constant(name: str) -> Any:
    raise SpecError(f"{name} is not allowed")


def _parse(text: str, fmt: str) -> Any:
    if fmt == "dot":  # GraphViz: the graph of a network (nnsvg.dot)
        from ..dot import read

        return read(text)
    if fmt == "yaml":
        return _yaml_load(text)
    if fmt == "toml":
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(f"not valid TOML: {exc}") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise SpecError(f"not valid JSON: {exc}") from None


def parse_text(text: str, fmt: str) -> Any:
    """The data in a spec file's text. Whatever the parser cannot take (nesting deeper than
    Python's stack, a number of thousands of digits) is a SpecError, never a crash."""
    try:
        return _parse(text, fmt)
    except SpecError:
        raise
    except RecursionError:
        raise SpecError("nested deeper than any spec is (lists within lists, thousands deep)") from None
    except (ValueError, OverflowError) as exc:  # e.g. int() of more than 4300 digits
        if "digits" in str(exc):
            raise SpecError("a number has thousands of digits; no option takes such a value") from None
        raise SpecError(f"cannot be read: {quote(str(exc), 100)}") from None


def read(path: Path) -> dict[str, Any]:
    """The mapping in a spec file, or a SpecError naming the file."""
    format_of(path)
    raw = read_regular(path, MAX_SPEC_BYTES, "spec file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError(f"spec file '{path}' is not UTF-8 text") from None
    return mapping(text, path)


def mapping(text: str, path: Path) -> dict[str, Any]:
    """The mapping in the text of the spec file ``path`` (format by its extension; the file
    itself is not read), or a SpecError naming the file."""
    fmt = format_of(path)
    if len(text.encode("utf-8", "replace")) > MAX_SPEC_BYTES:
        raise SpecError(f"spec file '{path}' is larger than {MAX_SPEC_BYTES // 2**20} MB, more than any figure needs")
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
