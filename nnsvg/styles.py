"""The style registry: every drawing style nnsvg knows, in one table.

A style is a spec module (``nnsvg/spec/<name>.py``: the spec dataclass, its options and layer
tokens) and a renderer module (``nnsvg/renderers/<name>.py``: ``render(spec, theme) -> Scene``),
registered here once. Spec parsing, rendering, the CLI commands, the API functions, the JSON
Schema and the gallery all read this table, so adding a style is a spec module, a renderer
module, one entry below and its tests. Modules are named, not imported: a style's code is
loaded only when that style is used, which keeps start-up fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, TypeAlias, cast

if TYPE_CHECKING:
    from .scene import Scene
    from .spec.alexnet import AlexnetSpec
    from .spec.base import BaseSpec
    from .spec.blocks import BlocksSpec
    from .spec.fcnn import FcnnSpec
    from .spec.lenet import LenetSpec
    from .spec.rnn import RnnSpec
    from .theme import Theme

# Every spec class (the union grows with the registry)
Spec: TypeAlias = "FcnnSpec | LenetSpec | AlexnetSpec | RnnSpec | BlocksSpec"


@dataclass(frozen=True)
class Style:
    name: str  # the CLI command and the spec's ``style:``
    spec_path: str  # "module:Class" of the spec dataclass
    renderer_path: str  # module with ``render(spec, theme) -> Scene``
    summary: str  # one line: the command's help and the API function's docstring
    tokens: str  # what the layer tokens are, with an example
    example: str  # a command line that draws a typical figure

    def spec_class(self) -> type[BaseSpec]:
        module, _, name = self.spec_path.partition(":")
        return cast("type[BaseSpec]", getattr(import_module(module), name))

    def example_layers(self) -> list[str]:
        """The layer tokens of the example command: a new spec file of this style starts with them."""
        words = self.example.split()[2:]  # after "nnsvg STYLE"
        return words[:next((i for i, w in enumerate(words) if w.startswith("-")), len(words))]

    def renderer(self) -> Callable[[Spec, Theme], Scene]:
        return cast("Callable[[Spec, Theme], Scene]", import_module(self.renderer_path).render)


STYLES: dict[str, Style] = {s.name: s for s in (
    Style("fcnn", "nnsvg.spec.fcnn:FcnnSpec", "nnsvg.renderers.fcnn",
          "A fully-connected network: columns of nodes joined by edges (NN-SVG's FCNN style).",
          "layer widths, e.g. 8 12 8",
          "nnsvg fcnn 784 512 256 10 -o mnist.pdf"),
    Style("lenet", "nnsvg.spec.lenet:LenetSpec", "nnsvg.renderers.lenet",
          "Feature-map stacks and dense layers, left to right (NN-SVG's LeNet style).",
          "feature maps N@HxW (optionally :FHxFW, a filter window), then dense widths, "
          "e.g. 1@32x32:5x5 6@28x28 120 10",
          "nnsvg lenet 1@32x32 6@28x28 6@14x14 16@10x10 16@5x5 120 84 10 -o lenet5.pdf"),
    Style("alexnet", "nnsvg.spec.alexnet:AlexnetSpec", "nnsvg.renderers.alexnet",
          "3D volumes and dense boxes under an orthographic camera (NN-SVG's AlexNet style).",
          "volumes HxWxD (optionally :FHxFW, a filter box), then dense widths, "
          "e.g. 224x224x3:11x11 55x55x96 1000",
          "nnsvg alexnet 224x224x3:11x11 55x55x96:5x5 27x27x256 4096 1000 --dims -o alexnet.pdf"),
    Style("rnn", "nnsvg.spec.rnn:RnnSpec", "nnsvg.renderers.rnn",
          "Recurrent networks: folded with feedback loops, or unrolled through time (--unroll T).",
          "input width, recurrent layer width(s), output width, e.g. 3 5 2",
          "nnsvg rnn 3 5 2 --unroll 4 -o rnn.pdf"),
    Style("blocks", "nnsvg.spec.blocks:BlocksSpec", "nnsvg.renderers.blocks",
          "Block diagrams of papers: a box per op, branches, skips, merges (⊕ ‖ ⊗), blocks ×N.",
          "ops OP[:SHAPE[:PARAMS]] or \"free text\", e.g. conv3x3:64 bn relu conv3x3:64 bn",
          "nnsvg blocks input conv3x3:64 bn relu conv3x3:64 bn add relu --connect 0:6:add -o block.pdf"),
)}


def get(name: object) -> Style:
    """A registered style by name, or a SpecError naming the nearest one."""
    from .errors import SpecError
    from .text import nearest, quote

    if not isinstance(name, str) or name not in STYLES:
        raise SpecError(f"unknown style {quote(name)}{nearest(str(name)[:100], list(STYLES))}")
    return STYLES[name]
