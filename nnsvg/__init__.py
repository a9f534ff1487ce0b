"""nnsvg: publication-quality drawings of neural networks, from layer sizes or spec files.

    >>> import nnsvg
    >>> nnsvg.fcnn([8, 12, 8], theme="paper").save("net.pdf")

The API: one function per style of the style registry (``nnsvg.fcnn``, ``lenet``,
``alexnet``, ``rnn``, …: ``(layers, **options)``) builds a ``Diagram``, as does
``draw(style, layers, **options)``; ``render(spec)`` takes a spec mapping (or spec object);
``load(path)`` reads a YAML/TOML/JSON/DOT spec file. Every input problem raises ``NnsvgError`` (a
ValueError) with a one-line message.

Importing the package costs almost nothing (the ``nnsvg`` command starts here and installs its
signal handlers right after): the style functions, ``Diagram`` and the spec machinery are
imported when first used.
"""

from __future__ import annotations

from .errors import ExportError, NnsvgError, SpecError, ThemeError
from .version import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; mypy knows the name
if TYPE_CHECKING:
    import os
    from collections.abc import Callable
    from typing import Any

    from .diagram import Diagram



def __getattr__(name: str) -> Any:
    """``Diagram``, the ``spec`` module and one function per registered style, on first use."""
    from importlib import import_module

    if name == "Diagram":
        return import_module(f"{__name__}.diagram").Diagram
    if name == "spec":
        return import_module(f"{__name__}.spec")
    from .styles import STYLES

    if name in STYLES:
        function = _style_function(name)
        globals()[name] = function
        return function
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def render(spec: Any, **options: Any) -> Diagram:
    """A Diagram from a spec mapping (``{"style": "fcnn", "layers": [...], ...}``) or a spec
    object; ``options`` are added to the mapping."""
    from . import spec as specs
    from .diagram import Diagram
    from .spec.base import BaseSpec

    if isinstance(spec, dict):
        return Diagram(specs.from_dict({**spec, **options}))
    if options or not isinstance(spec, BaseSpec):
        raise SpecError("render() takes a spec mapping, or a spec object (as nnsvg.load(...).spec) "
                        "without options")
    return Diagram(spec)  # type: ignore[arg-type]  # every BaseSpec subclass is a registered style


def draw(style: str, layers: list[Any], **options: Any) -> Diagram:
    """A Diagram of any registered style: ``draw("fcnn", [8, 12, 8], bias=True)``. The options
    are the style's spec options (``nnsvg STYLE --help`` lists them; dashes become underscores)."""
    from . import spec as specs
    from .diagram import Diagram

    return Diagram(specs.from_dict({"layers": layers, **options}, style=style))


def _style_function(name: str) -> Callable[..., Diagram]:
    """``nnsvg.<style>(layers, **options)``, documented from the registry."""
    from .styles import STYLES

    style = STYLES[name]

    def function(layers: list[Any], **options: Any) -> Diagram:
        return draw(name, layers, **options)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (f"{style.summary}\n\nLayers: {style.tokens}. Options as "
                        f"``nnsvg {name} --help`` (dashes become underscores), e.g. "
                        f"``{style.example}``.")
    return function


def from_onnx(path: str | os.PathLike[str], style: str = "auto", *, params: bool = False, shapes: bool = False,
              depth: int | None = None, **options: Any) -> Diagram:
    """A Diagram of an ONNX model file (needs ``pip install 'nnsvg[onnx]'``): ``style`` auto picks
    fcnn for MLPs, lenet or alexnet for chain CNNs, rnn for recurrent models, blocks for models
    that branch; ``params`` and ``shapes`` put parameter counts (and their total) or shapes in the
    captions; ``depth`` 0 draws each block (residual, inception, …) as one layer; ``options`` are
    the style's spec options. ``Diagram.notes`` says what the import approximated."""
    from . import importers
    from .importers import onnx

    return _from_file(importers.diagram(onnx.read(path), style, params=params, shapes=shapes, depth=depth,
                                        **options), path)


def from_keras(path: str | os.PathLike[str], style: str = "auto", *, params: bool = False, shapes: bool = False,
               depth: int | None = None, **options: Any) -> Diagram:
    """A Diagram of a Keras model file: a ``.keras`` archive (read with the standard library; its
    real weights, for ``edge_color="weight"``, need ``pip install 'nnsvg[keras]'``) or a legacy
    ``.h5`` file (needs that extra). Arguments as ``from_onnx``."""
    from . import importers
    from .importers import keras

    notes: list[str] = []
    graph = keras.read(path, notes)
    return _from_file(importers.diagram(graph, style, params=params, shapes=shapes, depth=depth, notes=notes,
                                        **options), path)


def from_torch(module: Any, example_input: Any = None, style: str = "auto", *, params: bool = False,
               shapes: bool = False, depth: int | None = None, **options: Any) -> Diagram:
    """A Diagram of a PyTorch ``nn.Module`` run on ``example_input`` (a tensor, or a tuple of
    them), or of an ``ExportedProgram`` (needs ``pip install 'nnsvg[torch]'``): traced with
    ``torch.export`` (forward hooks where export fails, said in a note); parameter counts are the
    module's, a small MLP's edges can show its real weights. Arguments as ``from_onnx``."""
    from . import importers
    from .importers import torch

    notes: list[str] = []
    graph = torch.read(module, example_input, notes)
    return importers.diagram(graph, style, params=params, shapes=shapes, depth=depth, notes=notes, **options)


def _from_file(drawn: Diagram, path: str | os.PathLike[str]) -> Diagram:
    """``drawn``, knowing it was drawn from the model file ``path`` (which it will not write over)."""
    from os import fspath

    from .diagram import MODEL_FILE

    drawn.sources.append((MODEL_FILE, fspath(path)))
    return drawn


def load(path: str | os.PathLike[str]) -> Diagram:
    """A Diagram from a spec file (YAML, TOML or JSON, or GraphViz DOT)."""
    from os import fspath

    from . import spec as specs
    from .diagram import SPEC_FILE, Diagram

    return Diagram(specs.load(path), sources=[(SPEC_FILE, fspath(path))])


# the registered styles' functions are listed too (a test checks this against the registry)
__all__ = ["Diagram", "ExportError", "NnsvgError", "SpecError", "ThemeError", "__version__",
           "alexnet", "blocks", "draw", "fcnn", "from_keras", "from_onnx", "from_torch", "lenet", "load", "render",
           "rnn"]
