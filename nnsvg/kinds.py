"""The kinds a figure knows, each declared once, as a row of a table that the graph, the specs,
the importers, the renderers and the legend read.

- Connection kinds (``CONNECTIONS``): how an input is merged at its target. A row holds the
  kind's name (as specs, graphs and DOT files write it), its legend name, and for a merge its
  symbol (drawn as a shape where it meets its target), the blocks style's op words that make
  a merge layer of it, and the importers' op for it. The one kind that ``loops`` may point
  backwards or close a cycle; it is drawn dashed, in the theme's recurrent colour and dash
  (``edge.recurrent``, ``edge.recurrent_dash``: the theme holds appearance).
- Op kinds (``OPS``): the colour kinds of the blocks style's boxes, in the order a legend lists
  them. A row holds the kind's name (the theme's ``op.<name>`` fill and the spec's ``kind:``),
  its legend name, and the op words of the spec that are of this kind with the name a box shows
  for each (a merge's words come from the connection kinds).

A new kind is a row here (an op kind also needs its fill in the theme's ``OpStyle``, which a
test ties to this table; a merge its shape in the renderers).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

# (rows are named tuples: the module is read on every start, and a dataclass costs ~10× to define)


class ConnectionKind(NamedTuple):
    name: str
    label: str  # the legend's name of it (with the symbol drawn in the swatch, for a merge)
    symbol: str | None = None  # a merge: ⊕ ‖ ⊗
    words: tuple[str, ...] = ()  # a merge: the blocks style's op words for a merge layer of this kind
    op: str | None = None  # a merge: the op of the importers' shared vocabulary (``importers.simplify``)
    loops: bool = False  # may point backwards or close a cycle (a loop back in time)


CONNECTIONS = (
    ConnectionKind("data", "Data"),
    ConnectionKind("add", "Add", "⊕", ("add",), "Add"),
    ConnectionKind("concat", "Concatenate", "‖", ("concat", "cat"), "Concat"),
    ConnectionKind("multiply", "Multiply", "⊗", ("multiply", "mul"), "Multiply"),
    ConnectionKind("recurrent", "Recurrent", loops=True),
)
CONNECTION_KINDS = tuple(kind.name for kind in CONNECTIONS)
CONNECTION = MappingProxyType({kind.name: kind for kind in CONNECTIONS})
MERGES = tuple(kind for kind in CONNECTIONS if kind.symbol is not None)
# merge kind → its symbol (what the merge shapes stand for)
MERGE_SYMBOLS = MappingProxyType({kind.name: kind.symbol or "" for kind in MERGES})
# blocks op word → the merge kind it makes ("cat" → concat)
MERGE_WORDS = MappingProxyType({word: kind.name for kind in MERGES for word in kind.words})
# importer op → the kind of the extra inputs it merges ("Add" → add)
MERGE_OPS = MappingProxyType({kind.op: kind.name for kind in MERGES if kind.op is not None})


def loops(kind: str) -> bool:
    """Whether a connection of ``kind`` may point backwards (an unknown kind may not)."""
    row = CONNECTION.get(kind)
    return row is not None and row.loops


class OpKind(NamedTuple):
    name: str
    label: str  # the legend's name of it
    words: Mapping[str, str]  # op word (lower case, kernel size taken out) → the name a box shows


def _words(**shown: str) -> Mapping[str, str]:
    return MappingProxyType(shown)


OPS = (
    OpKind("io", "Input / output", _words(input="Input", output="Output", image="Image", tokens="Tokens")),
    OpKind("conv", "Convolution", _words(
        conv="conv", conv1d="conv1d", conv2d="conv", conv3d="conv3d", dwconv="depthwise conv", deconv="up-conv",
        upconv="up-conv", convtranspose="transposed conv")),
    OpKind("pool", "Pooling", _words(
        pool="pool", maxpool="max pool", avgpool="avg pool", gap="global avg pool",
        globalavgpool="global avg pool", upsample="upsample")),
    OpKind("norm", "Normalization", _words(
        bn="BN", batchnorm="BatchNorm", ln="LayerNorm", layernorm="LayerNorm", norm="Norm", gn="GroupNorm",
        groupnorm="GroupNorm", rmsnorm="RMSNorm", addnorm="Add & Norm")),
    OpKind("act", "Activation", _words(
        relu="ReLU", gelu="GELU", silu="SiLU", swish="Swish", sigmoid="sigmoid", tanh="tanh", softmax="Softmax",
        leakyrelu="LeakyReLU", act="activation")),
    OpKind("dense", "Dense / linear", _words(
        linear="Linear", fc="FC", dense="Dense", ffn="Feed Forward", mlp="MLP")),
    OpKind("attention", "Attention", _words(
        attention="Attention", mha="Multi-Head Attention", maskedmha="Masked Multi-Head Attention",
        selfattention="Self-Attention", crossattention="Cross-Attention")),
    OpKind("embed", "Embedding", _words(
        embed="Embedding", embedding="Embedding", posenc="Positional Encoding", patchembed="Patch Embedding")),
    OpKind("merge", "Merge", MappingProxyType(dict(MERGE_WORDS))),  # a merge box shows its kind's name
    OpKind("other", "Other", _words(dropout="Dropout", flatten="Flatten", reshape="Reshape")),
)
OP_KINDS = tuple(kind.name for kind in OPS)
OP_LABELS = MappingProxyType({kind.name: kind.label for kind in OPS})
# op word → (its kind, the name a box shows)
OP_WORDS = MappingProxyType({word: (kind.name, shown) for kind in OPS for word, shown in kind.words.items()})

# the legend's default label of each kind's key: connection.KIND for a connection of it (drawn as
# a line), merge.KIND for a merge node of it, op.KIND for a box of that op kind
LEGEND_NAMES = MappingProxyType({
    **{f"connection.{kind.name}": kind.label for kind in CONNECTIONS},
    **{f"merge.{kind.name}": kind.label for kind in MERGES},
    **{f"op.{kind.name}": kind.label for kind in OPS},
})
