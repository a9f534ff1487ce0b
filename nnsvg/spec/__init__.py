"""Specs: what a figure shows, per style, validated; built from CLI tokens, spec files or
Python calls, and written back to files (``--save-spec``)."""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import Any

from .. import styles
from ..errors import SpecError
from ..styles import Spec
from ..text import looks_like_path, quote
from . import fields, files
from .fcnn import FcnnLayer, FcnnSpec
from .mapping import from_dict, to_dict

# layer classes a user may import from here; the spec classes come from the style registry, and
# each is imported when asked for
_LAYERS = {"MapLayer": "lenet", "DenseLayer": "lenet", "Volume": "alexnet", "Dense": "alexnet"}


def __getattr__(name: str) -> Any:
    if name in _LAYERS:
        return getattr(import_module(f"{__name__}.{_LAYERS[name]}"), name)
    for style in styles.STYLES.values():
        if style.spec_path.endswith(f":{name}"):
            return style.spec_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(path: str | os.PathLike[str]) -> Spec:
    """A validated spec from a YAML, TOML, JSON or GraphViz DOT file. A theme given as a relative path is
    found relative to the spec file."""
    if not isinstance(path, str | os.PathLike) or not isinstance(os.fspath(path), str):
        raise SpecError(f"spec file: expected a file path, got {quote(path)}")
    file = Path(path)
    return from_file_data(files.read(file), file)


def loads(text: str, path: str | os.PathLike[str]) -> Spec:
    """A validated spec from the text of the spec file ``path`` (its format, and the folder
    that relative theme and image paths start from; the file itself is not read)."""
    file = Path(path)
    return from_file_data(files.mapping(text, file), file)


def from_file_data(data: dict[str, Any], file: Path) -> Spec:
    """A validated spec from the mapping read from ``file``: relative theme and image paths are
    found relative to the file's folder, and an error names the file."""
    theme = data.get("theme")
    if isinstance(theme, str) and looks_like_path(theme) and not Path(theme).expanduser().is_absolute():
        data = {**data, "theme": str(file.parent / theme)}
    image = data.get("input_image")
    if isinstance(image, str) and not Path(image).expanduser().is_absolute():
        data = {**data, "input_image": str(file.parent / image)}
    try:
        return from_dict(data)
    except SpecError as exc:
        raise SpecError(f"spec file '{file}': {exc}") from None


def dump(spec: Spec, path: str | os.PathLike[str]) -> str:
    """The text of a spec file for ``path`` (format by extension); a theme file is written
    relative to the spec file's folder."""
    file = Path(path)
    fmt = files.format_of(file)
    data = to_dict(spec)
    theme = data["theme"]
    here = file.resolve().parent
    if looks_like_path(theme):
        data["theme"] = os.path.relpath(Path(theme).expanduser().resolve(), here)
    if data.get("input_image"):
        data["input_image"] = os.path.relpath(Path(data["input_image"]).expanduser().resolve(), here)
    if fmt == "dot":  # the graph, with the options as graph attributes (nnsvg.dot)
        from .. import dot

        return dot.write(spec, dot.non_default(spec, data))
    return files.dump_text(data, fmt)


def json_schema() -> dict[str, Any]:
    """A JSON Schema of spec files, generated from the spec dataclasses."""
    variants = []
    for style in styles.STYLES.values():
        cls = style.spec_class()
        props: dict[str, Any] = {"style": {"const": style.name}}
        props["layers"] = {"type": "array", "minItems": 2, "items": cls.layer_schema}
        for name, meta in fields.options(cls).items():
            props[name] = {**fields.json_type(meta), "description": meta["help"]}
        variants.append({"type": "object", "required": ["style", "layers"],
                         "additionalProperties": False, "properties": props})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "nnsvg spec file", "oneOf": variants}


__all__ = [
    "AlexnetSpec", "Dense", "DenseLayer", "FcnnLayer", "FcnnSpec", "LenetSpec", "MapLayer", "Spec",
    "Volume", "dump", "from_dict", "json_schema", "load", "loads", "to_dict",
]
