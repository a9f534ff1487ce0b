"""The recurrent style's spec: input width, one or more recurrent layers, output width; drawn
folded (a loop on each recurrent layer) or unrolled through time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .base import BaseSpec
from .choices import CELLS, RNN_FORMS, RNN_OUTPUTS
from .fcnn import FcnnLayer, FcnnSpec, parse_layer
from .fields import option
from .tokens import check_layer_list

MAX_UNROLL = 64


def parse_layers(value: object) -> tuple[FcnnLayer, ...]:
    layers = check_layer_list(value, 3, "a recurrent network needs an input, at least one recurrent layer and an "
                                        "output:")
    return tuple(parse_layer(item, i) for i, item in enumerate(layers))


@dataclass(frozen=True, kw_only=True)
class RnnSpec(BaseSpec):
    """Input → recurrent layer(s) → output, folded with feedback loops or unrolled in time."""

    style: ClassVar[str] = "rnn"
    layer_schema: ClassVar[dict[str, Any]] = FcnnSpec.layer_schema  # the same layers as FCNN
    layers: tuple[FcnnLayer, ...] = field(
        metadata={"kind": "layers", "help": "input width, recurrent layer width(s), output width"})
    unroll: int = option(0, "int", "draw the network through this many time steps (0: folded)",
                         low=0, high=MAX_UNROLL)
    cell: str = option("rnn", "choice", "recurrent cell type, drawn as a named block", choices=CELLS)
    form: str = option("auto", "choice", "nodes, blocks, or auto: nodes for small plain RNNs, blocks "
                       "for big layers and LSTM/GRU cells", choices=RNN_FORMS)
    outputs: str = option("all", "choice", "unrolled: an output at every step (all: many-to-many) or "
                          "at the last (last: many-to-one)", choices=RNN_OUTPUTS)
    delay: bool = option(True, "bool", "write the time delay z⁻¹ on the folded loops")
    node_diameter: float = option(20.0, "number", "node diameter", low=1, high=1000)
    node_gap: float = option(14.0, "number", "gap between nodes of a layer", low=0, high=10_000)
    layer_spacing: float = option(70.0, "number", "space between layers", low=0, high=100_000)
    step_spacing: float = option(60.0, "number", "unrolled: space between time steps", low=0, high=100_000)
    max_nodes: int = option(6, "int", "auto form: layers up to this width are drawn as nodes", low=1,
                            high=64)

    parse_layers: ClassVar[Any] = staticmethod(parse_layers)

    def use_blocks(self) -> bool:
        if self.form != "auto":
            return self.form == "blocks"
        return self.cell != "rnn" or any(layer.size > self.max_nodes for layer in self.layers)
