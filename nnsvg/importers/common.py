"""What the importers share (``onnx``, ``keras``, ``torch`` with ``pt2``): the limits they have
in common, how a name from a file is shown, how many values a shape holds, and how an op's
inputs become the graph's connections (the contract in ``nnsvg.importers``)."""

from __future__ import annotations

from collections.abc import Iterable

from ..graph import Connection
from ..kinds import MERGE_OPS
from ..text import clip

# a dense layer's real weights are kept (for the FCNN style) up to this many (a Keras model's: in all)
MAX_DRAWN_WEIGHTS = 100_000
MAX_NAME = 100  # characters of a name from the file kept in a figure or a note
MERGE_KINDS = MERGE_OPS  # a merge op of the vocabulary → the kind of the inputs it merges ("Add" → add)


def clean(text: str) -> str:
    """A name from the file as a figure or a note shows it: control characters (an ANSI escape,
    a line break) and lone surrogates written as escapes, cut to MAX_NAME characters."""
    return clip(text, MAX_NAME)


def elements(dims: Iterable[object], most: int | None = None) -> int | None:
    """How many values a shape holds: the product of its dimensions, None when one is not a
    whole number (unknown, symbolic). With ``most``, counting stops once the product is over it
    (the result is then some number over ``most``: the caller refuses it)."""
    total = 1
    for d in dims:
        if not isinstance(d, int):
            return None
        total *= d
        if most is not None and total > most:
            return total
    return total


def unique_name(name: str, index: int, taken: set[str]) -> str:
    """``name``, or ``name_INDEX`` when a node before it has it; added to ``taken``."""
    name = name if name not in taken else f"{name}_{index}"
    taken.add(name)
    return name


def connections_into(index: int, op: str, sources: Iterable[int]) -> list[Connection]:
    """The connections into node ``index`` from ``sources``: the nearest is its data input (the
    trunk); the others merge into it, as the op's merge kind (``MERGE_KINDS``; data for an op
    that is not a merge)."""
    ordered = sorted(set(sources))
    kind = MERGE_KINDS.get(op, "data")
    return [Connection(source, index, "data" if k == len(ordered) - 1 else kind) for k, source in enumerate(ordered)]
