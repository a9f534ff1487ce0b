"""nnsvg: publication-quality drawings of neural networks, from layer sizes or spec files.

    >>> import nnsvg
    >>> nnsvg.fcnn([8, 12, 8], theme="paper").save("net.pdf")

The API: ``fcnn``, ``lenet``, ``alexnet`` and ``rnn`` (``(layers, **options)``) build a ``Diagram``;
``render(spec)`` takes a spec mapping (or spec object); ``load(path)`` reads a YAML/TOML/JSON
spec file. Every input problem raises ``NnsvgError`` (a ValueError) with a one-line message.
"""

from __future__ import annotations

import os
from typing import Any

from . import spec as _spec
from .diagram import Diagram
from .errors import ExportError, NnsvgError, SpecError, ThemeError

__version__ = "0.1.0"


def render(spec: Any, **options: Any) -> Diagram:
    """A Diagram from a spec mapping (``{"style": "fcnn", "layers": [...], ...}``) or a spec
    object; ``options`` are added to the mapping."""
    if isinstance(spec, dict):
        return Diagram(_spec.from_dict({**spec, **options}))
    if options or not hasattr(spec, "style"):
        raise SpecError("render() takes a spec mapping, or a spec object without options")
    return Diagram(spec)


def fcnn(layers: list[Any], **options: Any) -> Diagram:
    """A fully-connected network: ``fcnn([8, 12, 8], bias=True, theme="dark")``. The options
    are the spec's (``nnsvg fcnn --help`` lists them; dashes become underscores)."""
    return Diagram(_spec.from_dict({"layers": layers, **options}, style="fcnn"))


def lenet(layers: list[Any], **options: Any) -> Diagram:
    """Feature-map stacks and dense layers: ``lenet(["1@32x32:5x5", "6@28x28", 120, 10])``.
    Options as ``nnsvg lenet --help`` (dashes become underscores); ``ops`` and ``gaps`` take
    lists."""
    return Diagram(_spec.from_dict({"layers": layers, **options}, style="lenet"))


def alexnet(layers: list[Any], **options: Any) -> Diagram:
    """3D volumes and dense boxes: ``alexnet(["224x224x3:11x11", "55x55x96", 1000], dims=True)``.
    Options as ``nnsvg alexnet --help`` (dashes become underscores); ``view`` is
    ``[azimuth, elevation]``."""
    return Diagram(_spec.from_dict({"layers": layers, **options}, style="alexnet"))


def rnn(layers: list[Any], **options: Any) -> Diagram:
    """A recurrent network: ``rnn([3, 5, 2], unroll=4, cell="lstm")``. Options as
    ``nnsvg rnn --help`` (dashes become underscores)."""
    return Diagram(_spec.from_dict({"layers": layers, **options}, style="rnn"))


def load(path: str | os.PathLike[str]) -> Diagram:
    """A Diagram from a spec file (YAML, TOML or JSON)."""
    return Diagram(_spec.load(path))


__all__ = ["Diagram", "ExportError", "NnsvgError", "SpecError", "ThemeError", "__version__",
           "alexnet", "fcnn", "lenet", "load", "render", "rnn"]
