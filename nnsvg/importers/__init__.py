"""Model importers: a model file (or object) → an op ``Graph`` → the figure's spec.

Each format is one module here with ``read(source) -> Graph``; its heavy library (``onnx``, …)
is imported inside ``read`` and shipped as an optional extra, so ``import nnsvg`` and the CLI
never pay for it. What ``read`` returns (the contract every importer keeps, so that the shared
part, ``nnsvg.importers.simplify`` and ``nnsvg.importers.figure``, knows nothing of formats):

- ``Graph.nodes`` in a topological order (every node after its inputs), indices = positions;
  one node per operation of the model that computes on the data (constant subgraphs, weights
  and shape arithmetic are not nodes; their weights count in the consuming node's ``params``),
  plus an ``Input`` node per model input.
- ``Node.op``: a name of the shared vocabulary (``simplify.OPS``: ``Input``, ``Conv``,
  ``Dense``, ``MaxPool``, ``Add``, ``Concat``, ``Activation``, ``Norm``, ``Dropout``,
  ``Reshape``, ``Scale``, ``LSTM``, …); an operation outside it keeps its own name and has
  ``attrs["generic"] = True`` (drawn as a generic layer and named in a note).
- ``Node.shape``: the output shape of one example (the batch dimension dropped), channels
  first for images (C, H, W), as ONNX and PyTorch; a symbolic dimension is its name (``"seq"``).
  None when unknown.
- ``Node.params``: the weight elements the node owns (float tensors that are constants:
  initializers and tensors computed from constants only), or None for none.
- ``Node.attrs``: what the figure may show: ``kernel`` (kh, kw), ``stride`` (sh, sw), ``units``
  (a dense or recurrent layer's width), ``function`` (of an ``Activation``: relu, sigmoid, …),
  ``rate`` (of a ``Dropout``), ``norm`` (of a ``Norm``: batch, layer, lrn, instance), ``cell``
  (lstm, gru, rnn), ``weight`` / ``bias`` (a ``Dense`` layer's real weights as nested tuples,
  in × out, when the model is small enough to draw them).
- ``Graph.connections``: a ``data`` connection per tensor from producer to consumer; the extra
  inputs of a merge are ``add`` / ``concat`` / ``multiply``.
- ``Graph.groups``: the model's own hierarchy where the format has one (a Keras model nested in
  another, labelled with its name; a torch module of two or more consecutive operations,
  ``layer1.0 (BasicBlock)``), nested, never partly overlapping. (``simplify.fold`` does not
  carry them over yet: the figure's blocks are the regions ``simplify.collapse`` finds.)

Importers so far: ``onnx`` (``.onnx``), ``keras`` (``.keras``, legacy ``.h5``), ``torch`` (an
``nn.Module`` and an example input, or a ``.pt2`` ExportedProgram: ``read_file``). ``read``
takes an optional ``notes`` list to which it adds what it could not do (weights unread, a
fallback taken).

``load(path)`` picks the importer by the file's extension; ``diagram(graph, style, ...)`` turns
an imported graph into a ``Diagram`` (what ``nnsvg.from_onnx`` and ``nnsvg import`` do).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..errors import SpecError
from ..reading import open_regular
from ..text import quote

if TYPE_CHECKING:
    from ..diagram import Diagram
    from ..graph import Graph

# extension → (module, the extra that installs its library)
FORMATS = {".onnx": ("onnx", "onnx"), ".keras": ("keras", "keras"), ".h5": ("keras", "keras"),
           ".pt2": ("torch", "torch")}
# PyTorch's other files: a pickle (loading one runs the code in it) or TorchScript, neither of
# which says what the model's layers are without running it on an input
PICKLES = (".pt", ".pth", ".bin", ".ckpt")


class MissingExtra(SpecError):
    """An importer's optional library is not installed; the message says what to install."""


def missing(extra: str, library: str) -> MissingExtra:
    return MissingExtra(f"reading this model needs the '{library}' package: pip install 'nnsvg[{extra}]'")


def load(path: str | os.PathLike[str], notes: list[str] | None = None) -> Graph:
    """The op graph of a model file, by its extension; ``notes`` (optional) collects what the
    reader could not do (a Keras archive's weights without h5py)."""
    from importlib import import_module

    if not isinstance(path, str | os.PathLike):
        raise SpecError(f"model: expected a file path, got {quote(path)}")
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext in PICKLES:
        raise SpecError(f"model {quote(os.fspath(path))}: a {ext} file is a pickle or TorchScript, which nnsvg does "
                        "not load (unpickling runs code); save an ExportedProgram instead: torch.export.save("
                        "torch.export.export(model, (example,)), 'model.pt2'), or call nnsvg.from_torch(model, "
                        "example) in Python")
    if ext not in FORMATS:
        known = ", ".join(FORMATS)
        raise SpecError(f"model {quote(os.fspath(path))}: unknown model format '{ext}' (known: {known})")
    module, _ = FORMATS[ext]
    reader = import_module(f"{__name__}.{module}")  # cheap: the format's library is imported when reading
    # a FIFO, a device, a directory or a missing file is told before the library's import (seconds
    # for torch), as is a file over the reader's size limit
    with open_regular(path, getattr(reader, "MAX_MODEL_BYTES", None), "model"):
        pass
    graph: Graph = getattr(reader, "read_file", reader.read)(path, notes)
    return graph


def diagram(graph: Graph, style: str = "auto", *, params: bool = False, shapes: bool = False,
            depth: int | None = None, notes: list[str] | None = None, **options: Any) -> Diagram:
    """The Diagram of an imported graph: drawn in ``style`` (``auto`` chooses), with the style's
    ``options`` (``nnsvg STYLE --help``; dashes become underscores) over what the import chose.
    Its ``notes`` say what the import approximated or left out (after the reader's ``notes``)."""
    from .. import spec as specs
    from ..diagram import Diagram
    from .figure import Options, figure

    if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int) or depth < 0):
        raise SpecError(f"depth: expected a whole number of at least 0, got {quote(depth)}")
    data, drawn_notes = figure(graph, style, Options(params=params, shapes=shapes, depth=depth))
    if "style" in options:
        raise SpecError("give the style as style=..., not among the style's options")
    data.update(options)
    drawn = Diagram(specs.from_dict(data))
    drawn.import_notes = [*(notes or []), *drawn_notes]
    return drawn
