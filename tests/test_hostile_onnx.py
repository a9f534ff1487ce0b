"""Hostile ONNX files (issue 24: classes 3, 10, 14, 15 and 18 as the ONNX reader meets them): every
one gives one error line and exit 2 (or, where the file is a model, a figure), writes nothing,
refuses quickly and in little memory, never reads a file the model names, and never puts a
control character from the file into a note or a label."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import nnsvg

from .conftest import REPO

onnx = pytest.importorskip("onnx", reason="the ONNX reader's tests need the onnx extra: pip install 'nnsvg[onnx]'")
np = pytest.importorskip("numpy")
from onnx import AttributeProto, TensorProto, helper, numpy_helper  # noqa: E402

from nnsvg.importers import onnx as reader  # noqa: E402
from nnsvg.importers import onnx_file  # noqa: E402

Cli = Callable[..., tuple[int, str, str]]
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def make(nodes: list[Any], inputs: list[Any], outputs: list[Any], inits: list[Any] = (),  # type: ignore[assignment]
         opset: int = 17, **kw: Any) -> Any:
    graph = helper.make_graph(nodes, "hostile", inputs, outputs, list(inits))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], **kw)


def save(tmp_path: Path, model: Any, name: str = "m.onnx") -> Path:
    path = tmp_path / name
    path.write_bytes(model.SerializeToString())
    return path


def tensor_in(name: str, shape: list[Any]) -> Any:
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def weights(name: str, *shape: int) -> Any:
    return numpy_helper.from_array(np.ones(shape, np.float32), name)


def refused(cli: Cli, tmp_path: Path, path: Path, *args: str) -> str:
    """The one error line of importing ``path``, checked: exit 2, nothing written, quickly."""
    target = tmp_path / "out.svg"
    start = time.process_time()
    code, out, err = cli("import", path, "-o", target, *args)
    assert time.process_time() - start < 5, err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and len(err) < 400, err
    assert not CONTROLS.search(err), err
    assert not target.exists() and out == ""
    with pytest.raises(nnsvg.SpecError):  # the API meets the same cause the same way
        nnsvg.from_onnx(path)
    return err


MEASURED = """
import resource, sys, time
import numpy, onnx
from nnsvg.cli import main
import nnsvg.importers.figure, nnsvg.importers.onnx
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.process_time()
code = main(sys.argv[1:])
seconds = time.process_time() - start
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(f"{code} {seconds:.3f} {grown:.1f}")
"""


def measured(*args: object, timeout: float = 120) -> tuple[int, str, float, float]:
    """``nnsvg ARGS`` in a fresh process: exit code, stderr, CPU seconds and MB of memory it took
    beyond the libraries' own (the high-water mark of the process's resident memory)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", MEASURED, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env)
    code, seconds, grown = done.stdout.split()
    return int(code), done.stderr, float(seconds), float(grown)


# --- class 10: attributes of the wrong type ------------------------------------------------------

def cnn(opset: int = 17) -> Any:
    """conv → relu → max-pool → dropout → global pool → flatten → gemm → relu → gemm, named nodes."""
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="the_conv", kernel_shape=[3, 3], strides=[1, 1],
                              group=1),
             helper.make_node("Relu", ["c"], ["r"], name="the_relu"),
             helper.make_node("MaxPool", ["r"], ["p"], name="the_pool", kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Dropout", ["p"], ["d"], name="the_dropout", **({"ratio": 0.25} if opset < 12 else {})),
             helper.make_node("GlobalAveragePool", ["d"], ["g"], name="the_gap"),
             helper.make_node("Flatten", ["g"], ["f"], name="the_flatten"),
             helper.make_node("Gemm", ["f", "W"], ["h"], name="the_gemm", transA=0, transB=0),
             helper.make_node("Relu", ["h"], ["hr"], name="the_relu2"),
             helper.make_node("Gemm", ["hr", "V"], ["y"], name="the_head", transB=1)]
    return make(nodes, [tensor_in("x", [1, 3, 16, 16])], [tensor_in("y", [1, 2])],
                [weights("w", 4, 3, 3, 3), weights("W", 4, 3), weights("V", 2, 3)], opset)


def rnn(cell: str) -> Any:
    gates = {"LSTM": 4, "GRU": 3, "RNN": 1}[cell]
    nodes = [helper.make_node(cell, ["x", "Wr", "Rr"], ["all", "last"], name="the_cell", hidden_size=8),
             helper.make_node("Squeeze", ["last"], ["h"], name="the_squeeze"),
             helper.make_node("MatMul", ["h", "D"], ["y"], name="the_dense")]
    return make(nodes, [tensor_in("x", ["seq", 1, 4])], [tensor_in("y", None)],
                [weights("Wr", 1, gates * 8, 4), weights("Rr", 1, gates * 8, 8), weights("D", 8, 3)])


def filler() -> Any:
    """x → MatMul with a ConstantOfShape's output (its value attribute says float) → MatMul."""
    nodes = [helper.make_node("ConstantOfShape", ["s"], ["k"], name="the_fill",
                              value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.5])),
             helper.make_node("MatMul", ["x", "k"], ["h"], name="the_matmul"),
             helper.make_node("MatMul", ["h", "D"], ["y"], name="the_out")]
    return make(nodes, [tensor_in("x", [1, 4])], [tensor_in("y", None)],
                [numpy_helper.from_array(np.array([4, 3], np.int64), "s"), weights("D", 3, 2)])


BASES = {"cnn": cnn, "cnn10": lambda: cnn(10), "lstm": lambda: rnn("LSTM"), "gru": lambda: rnn("GRU"),
         "rnn": lambda: rnn("RNN"), "filler": filler}
# (base model, node, op, attribute, kind): every attribute the reader reads
ATTRIBUTES = [("cnn", "the_conv", "Conv", "kernel_shape", "ints"), ("cnn", "the_conv", "Conv", "strides", "ints"),
              ("cnn", "the_conv", "Conv", "group", "int"), ("cnn", "the_pool", "MaxPool", "kernel_shape", "ints"),
              ("cnn", "the_pool", "MaxPool", "strides", "ints"), ("cnn10", "the_dropout", "Dropout", "ratio", "float"),
              ("cnn", "the_gemm", "Gemm", "transA", "flag"), ("cnn", "the_head", "Gemm", "transB", "flag"),
              ("lstm", "the_cell", "LSTM", "hidden_size", "int"), ("gru", "the_cell", "GRU", "hidden_size", "int"),
              ("rnn", "the_cell", "RNN", "hidden_size", "int"), ("filler", "the_fill", "ConstantOfShape", "value",
                                                                 "tensor")]
INF, NAN = float("inf"), float("nan")


def untyped(name: str) -> Any:
    """An attribute of no type (a text in it): what a damaged or hand-made file can hold."""
    return AttributeProto(name=name, s=b"3")


# (label, value, the kinds it is wrong for, words of the error)
WRONG: list[tuple[str, Any, str, str]] = [
    ("nan", NAN, "int ints flag tensor float", "got a number|finite number, got nan"),
    ("inf", INF, "int ints flag tensor float", "got a number|finite number, got inf"),
    ("-inf", -INF, "int ints flag tensor float", "got a number|finite number, got -inf"),
    ("nan-list", [NAN, 1.0], "int ints flag tensor float", "got a list of numbers"),
    ("text", "3", "int ints flag tensor float", "got text"),
    ("texts", ["3", "3"], "int ints flag tensor float", "got a list of texts"),
    ("tensor", numpy_helper.from_array(np.array([3.0], np.float32)), "int ints flag float", "got a tensor"),
    ("graph", helper.make_graph([], "g", [], []), "int ints flag tensor float", "got a graph"),
    ("int", 3, "ints tensor", "got a whole number"),
    ("ints", [3, 3], "int flag tensor float", "got a list of whole numbers"),
    ("float", 3.0, "int ints flag tensor", "got a number"),
    ("zero", 0, "int", "from 1 to 2,147,483,647, got 0"),
    ("zeros", [0, 0], "ints", "from 1 to 2,147,483,647, got 0"),
    ("negative", -3, "int flag", "got -3"),
    ("negatives", [-3, -3], "ints", "got -3"),
    ("huge", 2**62, "int flag", "got 4611686018427387904"),
    ("huges", [2**62, 2**62], "ints", "got 4611686018427387904"),
    ("two", 2, "flag", "from 0 to 1, got 2"),
    ("ratio-above-1", 1.5, "float", "from 0.0 to 1.0, got 1.5"),
    ("ratio-negative", -0.25, "float", "from 0.0 to 1.0, got -0.25"),
    ("untyped", None, "int ints flag tensor float", "got text"),
]
CASES = [(base, node, op, attribute, label, value, words)
         for base, node, op, attribute, kind in ATTRIBUTES
         for label, value, kinds, words in WRONG if kind in kinds.split()]


def with_attribute(model: Any, node_name: str, name: str, value: Any) -> Any:
    node = next(n for n in model.graph.node if n.name == node_name)
    kept = [a for a in node.attribute if a.name != name]
    del node.attribute[:]
    node.attribute.extend([*kept, untyped(name) if value is None else helper.make_attribute(name, value)])
    return model


def test_the_base_models_import(tmp_path: Path) -> None:
    for name, base in BASES.items():
        assert len(reader.read(save(tmp_path, base(), f"{name}.onnx")).nodes) >= 3


@pytest.mark.parametrize(("base", "node", "op", "attribute", "label", "value", "words"), CASES,
                         ids=[f"{c[2]}.{c[3]}-{c[4]}" for c in CASES])
def test_attributes_of_the_wrong_type_or_range(cli: Cli, tmp_path: Path, base: str, node: str, op: str,
                                               attribute: str, label: str, value: Any, words: str) -> None:
    """Every attribute the reader reads × values of other types, not finite, out of range: one
    error naming the node and the attribute (read in one place, ``onnx.attribute``)."""
    path = save(tmp_path, with_attribute(BASES[base](), node, attribute, value))
    err = refused(cli, tmp_path, path)
    assert f"node '{node}' ({op}), attribute '{attribute}': expected " in err, err
    assert any(word in err for word in words.split("|")), (words, err)


RATIOS = [("nan", np.array(NAN, np.float32), "got nan"), ("inf", np.array(INF, np.float32), "got inf"),
          ("above-1", np.array(1.5, np.float32), "got 1.5"), ("negative", np.array(-0.5, np.float64), "got -0.5"),
          ("text", np.array(["0.5"], object), "got '0.5'"), ("huge", np.array(1e300, np.float64), "got 1e+300")]


@pytest.mark.parametrize(("label", "ratio", "words"), RATIOS, ids=[r[0] for r in RATIOS])
def test_dropout_ratio_inputs_are_checked(cli: Cli, tmp_path: Path, label: str, ratio: Any, words: str) -> None:
    """A Dropout's ratio given as a constant input (opset 12 on) is checked like an attribute."""
    model = cnn()
    drop = next(n for n in model.graph.node if n.op_type == "Dropout")
    drop.input.append("the_ratio")
    model.graph.initializer.append(numpy_helper.from_array(ratio, "the_ratio"))
    err = refused(cli, tmp_path, save(tmp_path, model))
    assert "node 'the_dropout' (Dropout), input 'the_ratio': expected a ratio from 0.0 to 1.0" in err, err
    assert words in err, err


SHAPES = [("floats", np.array([4.0, 3.0], np.float32), "expected a list of whole numbers (a shape)"),
          ("nan", np.array([NAN, 3.0], np.float64), "expected a list of whole numbers (a shape)"),
          ("negative", np.array([-4, 3], np.int64), "expected at most 64 sizes of at least 0, got [-4, 3]"),
          ("all-negative", np.array([-4, -2], np.int32), "got [-4, -2]"),
          ("matrix", np.array([[4, 3]], np.int64), "of dimensions (1, 2)"),
          ("65-values", np.ones(65, np.int64), "which holds 65 values; nnsvg reads tensors of up to 64"),
          ("huge-rank", np.ones(100_000, np.int64), "which holds 100,000 values")]


@pytest.mark.parametrize(("label", "shape", "words"), SHAPES, ids=[s[0] for s in SHAPES])
def test_constant_of_shape_inputs_are_checked(cli: Cli, tmp_path: Path, label: str, shape: Any, words: str) -> None:
    model = filler()
    model.graph.initializer[0].CopyFrom(numpy_helper.from_array(shape, "s"))
    err = refused(cli, tmp_path, save(tmp_path, model))
    assert "node 'the_fill' (ConstantOfShape)" in err and words in err, err


def big_weights(dims: list[int]) -> Any:
    """A weight tensor of these dimensions with no values (they would be in another file)."""
    tensor = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=dims, data_location=TensorProto.EXTERNAL)
    tensor.external_data.add(key="location", value="nowhere.bin")
    return tensor


@pytest.mark.parametrize(("dims", "words"), [
    ([2**62] * 17, "tensor 'W' has more than 1,099,511,627,776 values"),
    ([2**62] * 64, "tensor 'W' has more than 1,099,511,627,776 values"),
    ([4, 2**40], "tensor 'W' has more than 1,099,511,627,776 values"),
    ([2**62] * 65, "initializer 'W' has 65 dimensions; nnsvg reads tensors of up to 64"),
    ([1] * 5000, "initializer 'W' has 5,000 dimensions"),
    ([4, -3], "initializer 'W' has a negative dimension ((4, -3))"),
], ids=["17-huge", "64-huge", "2-huge", "65-dims", "5000-dims", "negative"])
def test_weight_counts_are_capped(cli: Cli, tmp_path: Path, dims: list[int], words: str) -> None:
    """A weight's element count is a product with a cap: it never reaches a float or a text
    conversion (--params writes it as 4.1M and 61,000,000) as a number of thousands of digits."""
    nodes = [helper.make_node("MatMul", ["x", "W"], ["h"], name="the_matmul"),
             helper.make_node("Relu", ["h"], ["y"], name="the_relu")]
    path = save(tmp_path, make(nodes, [tensor_in("x", [1, 4])], [tensor_in("y", None)], [big_weights(dims)]))
    err = refused(cli, tmp_path, path, "--params")
    assert words in err, err


# --- class 10 and 18: dimensions ----------------------------------------------------------------

def conv_net(dims: list[Any]) -> Any:
    """x (dims) → conv 3x3 → relu → conv 3x3 → global pool → flatten → gemm."""
    nodes = [helper.make_node("Conv", ["x", "w"], ["a"], name="conv_a", kernel_shape=[3, 3]),
             helper.make_node("Relu", ["a"], ["b"], name="relu_b"),
             helper.make_node("Conv", ["b", "w2"], ["c"], name="conv_c", kernel_shape=[3, 3]),
             helper.make_node("GlobalAveragePool", ["c"], ["d"], name="gap_d"),
             helper.make_node("Flatten", ["d"], ["e"], name="flat_e"),
             helper.make_node("Gemm", ["e", "W"], ["y"], name="dense_y")]
    return make(nodes, [tensor_in("x", dims)], [tensor_in("y", None)],
                [weights("w", 8, 3, 3, 3), weights("w2", 8, 8, 3, 3), weights("W", 8, 2)])


DIGITS = "9" * 20_000
ODD_DIMS = [
    ("20000-digit-name", ["N", 3, DIGITS, 32]), ("20000-digit-names", ["N", 3, DIGITS, DIGITS]),
    ("long-name", ["N", 3, "h" * 50_000, 32]), ("escape-name", ["N", 3, "H\x1b[31m\r\n", "W\x07"]),
    ("bidi-name", ["N", 3, "\u202eevil", 32]), ("nul-name", ["N", 3, "a\x00b", 32]),
    ("negative", ["N", 3, -5, -7]), ("negative-one", [-1, 3, -1, 32]), ("negative-channels", ["N", -3, 32, 32]),
]


@pytest.mark.parametrize("style", ["lenet", "alexnet", "blocks"])
@pytest.mark.parametrize(("label", "dims"), ODD_DIMS, ids=[d[0] for d in ODD_DIMS])
def test_odd_dimensions_are_drawn_as_unknown_or_by_a_safe_name(cli: Cli, tmp_path: Path, style: str, label: str,
                                                                dims: list[Any]) -> None:
    """A symbolic dimension's name is cut and escaped where it reaches a label (an SVG cannot hold
    a control character, a terminal acts on it); a negative size is unknown ("?"), never drawn
    as -5×-7."""
    path = save(tmp_path, conv_net(dims))
    code, _, err = cli("import", path, "--style", style, "--shapes", "-o", tmp_path / "a.svg",
                       "--save-spec", tmp_path / "a.json")
    assert code == 0, err
    assert not CONTROLS.search(err), err
    svg = (tmp_path / "a.svg").read_text("utf-8")
    assert not CONTROLS.search(svg.replace("\n", "").replace("\t", "").replace("\r", ""))
    spec = json.loads((tmp_path / "a.json").read_text("utf-8"))
    text = json.dumps(spec["layers"], ensure_ascii=False)
    assert not re.search(r"-[1-9]", text), text[:300]  # no negative size in a token, a shape or a label
    assert "9" * 41 not in text and "h" * 41 not in text  # names cut to 40 characters
    assert len(text) < 5000


@pytest.mark.parametrize(("where", "words"), [
    ("input", "tensor 'x' has 65 dimensions; nnsvg reads tensors of up to 64"),
    ("output", "tensor 'y' has 65 dimensions"),
    ("value_info", "tensor 'h' has 65 dimensions"),
    ("constant", "node 'the_constant' (Constant), attribute 'value' has 65 dimensions"),
    ("input-5000", "tensor 'x' has 5,000 dimensions"),
])
def test_tensors_of_too_many_dimensions_are_refused(cli: Cli, tmp_path: Path, where: str, words: str) -> None:
    """Shape inference copies every dimension of every tensor into every node's output: a rank
    of thousands is refused before it runs."""
    rank = 5000 if where.endswith("5000") else 65
    dims = [1] * rank
    nodes = [helper.make_node("Relu", ["x"], ["h"], name="the_relu"), helper.make_node("Relu", ["h"], ["y"])]
    inputs, outputs = [tensor_in("x", dims if where.startswith("input") else [1, 4])], [tensor_in("y", None)]
    model = make(nodes, inputs, outputs)
    if where == "output":
        model.graph.output[0].CopyFrom(tensor_in("y", dims))
    elif where == "value_info":
        model.graph.value_info.append(tensor_in("h", dims))
    elif where == "constant":
        model.graph.node.insert(0, helper.make_node("Constant", [], ["k"], name="the_constant",
                                                    value=helper.make_tensor("v", TensorProto.FLOAT, dims, [1.0])))
        model.graph.node[2].input.append("k")
        model.graph.node[2].op_type = "Add"
    err = refused(cli, tmp_path, save(tmp_path, model))
    assert words in err, err


# --- class 14: big files, external data ------------------------------------------------------------

varint = onnx_file._varint  # the reader's own encoding, to write the protobuf fields by hand


def field(number: int, length: int) -> bytes:
    """A length-delimited field's tag and length (its value follows)."""
    return varint(number << 3 | 2) + varint(length)


def sparse_file(path: Path, head: bytes, size: int) -> Path:
    """``head``, then zeros up to ``size`` bytes, not written (a sparse file: nothing on disk)."""
    with open(path, "wb") as f:
        f.write(head)
        f.truncate(size)
    return path


def model_head(graph: bytes, graph_length: int) -> bytes:
    """A ModelProto's fields up to its graph, and the graph's first ``len(graph)`` bytes."""
    opset = helper.make_opsetid("", 17).SerializeToString()
    return varint(1 << 3) + varint(8) + field(8, len(opset)) + opset + field(7, graph_length) + graph


def padded(path: Path, head: bytes, zeros: int) -> Path:
    return sparse_file(path, head, len(head) + zeros)


def with_doc(path: Path) -> Path:
    """A model, then a doc string of 1.9 GB (of zeros)."""
    model = filler().SerializeToString()
    zeros = 2**31 - 2**24
    return padded(path, model + field(6, zeros), zeros)


def with_graph_doc(path: Path) -> Path:
    """A model whose graph ends with a doc string of 1.9 GB."""
    graph = filler().graph.SerializeToString()
    zeros = 2**31 - 2**24
    graph += field(10, zeros)
    return padded(path, model_head(graph, len(graph) + zeros), zeros)


def with_embedding(path: Path) -> Path:
    """x (token ids) → Gather from an embedding of 100,663,296 × 4 floats (1.5 GB of zeros) → MatMul."""
    rows = 3 * 2**25
    nodes = [helper.make_node("Gather", ["E", "ids"], ["e"], name="the_embedding"),
             helper.make_node("MatMul", ["e", "D"], ["y"], name="the_dense")]
    graph = helper.make_graph(nodes, "big", [helper.make_tensor_value_info("ids", TensorProto.INT64, [1, 3])],
                              [tensor_in("y", None)], [weights("D", 4, 2)]).SerializeToString()
    values = rows * 4 * 4
    embedding = TensorProto(name="E", data_type=TensorProto.FLOAT, dims=[rows, 4]).SerializeToString()
    embedding += field(9, values)
    graph += field(5, len(embedding) + values) + embedding
    return padded(path, model_head(graph, len(graph) + values), values)


BIG_FILES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("zeros-2gb", lambda p: sparse_file(p, b"", 2**31 - 1), "error: model"),
    ("model-then-zeros", lambda p: sparse_file(p, filler().SerializeToString(), 2**31 - 1), "error: model"),
    ("doc-string-1.9gb", with_doc, "note: 18 parameters in total"),
    ("graph-doc-string-1.9gb", with_graph_doc, "note: 18 parameters in total"),
    ("embedding-1.5gb", with_embedding, "note: 402,653,192 parameters in total"),
]


@pytest.mark.parametrize(("name", "build", "words"), BIG_FILES, ids=[b[0] for b in BIG_FILES])
def test_big_files_are_not_read_whole(tmp_path: Path, name: str, build: Callable[[Path], Path], words: str) -> None:
    """The file is walked at the wire level and what a figure does not need (weights' values, doc
    strings) is skipped unread: a 2 GB file costs what its graph costs (it took 13 s and 4 GB)."""
    path = build(tmp_path / "big.onnx")
    assert path.stat().st_size > 2**30
    code, err, seconds, grown = measured("import", path, "--params", "-o", tmp_path / "a.svg")
    assert seconds < 2 and grown < 100, (seconds, grown, err)
    assert words in err, err
    assert code == (2 if words.startswith("error") else 0), err
    assert (tmp_path / "a.svg").exists() == (code == 0)


def test_files_over_the_cap_are_refused_unread(cli: Cli, tmp_path: Path) -> None:
    path = sparse_file(tmp_path / "big.onnx", filler().SerializeToString(), 2**31 + 1)
    err = refused(cli, tmp_path, path)
    assert "is larger than 2048 MB" in err, err


def external_model(tmp_path: Path, location: str, small: bool) -> Path:
    """A model whose weights and a Constant's value name ``location`` as the file holding their
    values; ``small``: the tensors are read whole, else they are big (a 2 MB doc string), so their
    fields are read one by one."""
    model = filler()
    weight = TensorProto(name="D", data_type=TensorProto.FLOAT, dims=[3, 2], data_location=TensorProto.EXTERNAL,
                         doc_string="" if small else "x" * 2**21)
    constant = TensorProto(name="c", data_type=TensorProto.FLOAT, dims=[1], data_location=TensorProto.EXTERNAL)
    for tensor in (weight, constant):
        for key, value in (("location", location), ("offset", "0"), ("length", "24")):
            tensor.external_data.add(key=key, value=value)
    model.graph.initializer[1].CopyFrom(weight)
    model.graph.node.insert(0, helper.make_node("Constant", [], ["unused"], name="the_constant", value=constant))
    return save(tmp_path / "models", model, f"{'small' if small else 'big'}.onnx")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("small", [True, False], ids=["small-tensors", "big-tensors"])
def test_external_data_is_never_read(tmp_path: Path, small: bool) -> None:
    """Tensors stored "elsewhere" name a file by ``location``: nnsvg never opens it. Each
    location here is a FIFO, whose opening would block until a writer comes (the import would
    time out), or a file nnsvg must not read."""
    (tmp_path / "models").mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for location in (str(fifo), "../fifo", "../../" * 20 + str(fifo).lstrip("/"), "../../../../etc/passwd"):
        path = external_model(tmp_path, location, small)
        code, err, _, _ = measured("import", path, "--params", "-o", tmp_path / "a.svg", timeout=60)
        assert code == 0, err
        assert "note: 18 parameters in total" in err, err  # 4 × 3 made by the ConstantOfShape, 3 × 2 in D
    named = tmp_path / "fifo.onnx"  # and the model itself: only a regular file is read
    named.symlink_to(fifo)
    code, err, _, _ = measured("import", named, "-o", tmp_path / "a.svg", timeout=60)
    assert code == 2 and "is a FIFO (a named pipe), not a file" in err, err


# --- class 15: the graph's size ----------------------------------------------------------------------

def chain(n: int, op: str = "Relu") -> Any:
    nodes = [helper.make_node(op, [f"t{i}" if i else "x"], [f"t{i + 1}"]) for i in range(n)]
    nodes.append(helper.make_node("MatMul", [f"t{n}", "D"], ["y"]))
    return make(nodes, [tensor_in("x", [1, 4])], [tensor_in("y", None)], [weights("D", 4, 2)])


def empty_nodes(path: Path) -> Path:
    """10 million empty nodes (20 MB): parsed whole, they took 1.5 GB."""
    graph = field(1, 0) * 10_000_000
    path.write_bytes(model_head(graph, len(graph)))
    return path


def in_branches(path: Path) -> Path:
    """A small main graph whose If nodes hold 100,000 operations in their branches."""
    branch = helper.make_graph([helper.make_node("Relu", ["x"], [f"b{i}"]) for i in range(1000)], "b", [],
                               [tensor_in("b999", [1, 4])])
    nodes = [helper.make_node("If", ["cond"], [f"y{k}"], then_branch=branch, else_branch=branch) for k in range(50)]
    model = make(nodes, [helper.make_tensor_value_info("cond", TensorProto.BOOL, []), tensor_in("x", [1, 4])],
                 [tensor_in("y0", None)])
    path.write_bytes(model.SerializeToString())
    return path


def doubling_functions(depth: int, recursive: bool = False) -> Any:
    """f0 calls f1 twice, f1 calls f2 twice, …: shape inference infers each body at each call
    (2**depth of them: 7 s for 20 levels). ``recursive``: the last one calls f0."""
    functions = []
    for k in range(depth):
        last = k == depth - 1
        callee = "f0" if last and recursive else f"f{k + 1}"
        nodes = ([helper.make_node("Relu", ["a"], ["b"])] if last and not recursive else
                 [helper.make_node(callee, ["a"], ["m"], domain="local"),
                  helper.make_node(callee, ["m"], ["b"], domain="local")])
        functions.append(helper.make_function("local", f"f{k}", ["a"], ["b"], nodes,
                                              [helper.make_opsetid("", 17), helper.make_opsetid("local", 1)]))
    nodes = [helper.make_node("f0", ["x"], ["h"], domain="local"), helper.make_node("MatMul", ["h", "D"], ["y"])]
    graph = helper.make_graph(nodes, "t", [tensor_in("x", [1, 4])], [tensor_in("y", None)], [weights("D", 4, 2)])
    return helper.make_model(graph, functions=functions,
                             opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("local", 1)])


def dense_attributes(path: Path) -> Path:
    """40 nodes of 30,000 empty attributes each (1.2 million messages in 2.4 MB)."""
    node = helper.make_node("Relu", ["x"], ["y"])
    data = node.SerializeToString() + field(5, 0) * 30_000
    graph = (field(1, len(data)) + data) * 40
    path.write_bytes(model_head(graph, len(graph)))
    return path


def wide_nodes(path: Path, outputs: int = 30_000) -> Path:
    """200 nodes of 30,000 outputs each (6 million tensors to type), of empty names (60 KB a node),
    or of longer names (a node over 64 KB is read field by field)."""
    node = helper.make_node("Split", ["x"], ["" if outputs == 30_000 else f"o{i}" for i in range(outputs)])
    data = node.SerializeToString()
    graph = (field(1, len(data)) + data) * 200
    path.write_bytes(model_head(graph, len(graph)))
    return path


def wide_function(path: Path) -> Path:
    """A function of one node of 1,000 outputs, called 2,000 times: 2 million tensors to type."""
    body = [helper.make_node("Split", ["a"], ["b", *(f"o{i}" for i in range(999))])]
    function = helper.make_function("local", "wide", ["a"], ["b"], body, [helper.make_opsetid("", 17)])
    nodes = [helper.make_node("wide", [f"t{i}" if i else "x"], [f"t{i + 1}"], domain="local") for i in range(2000)]
    graph = helper.make_graph(nodes, "t", [tensor_in("x", [1, 4])], [tensor_in("t2000", None)])
    model = helper.make_model(graph, functions=[function],
                              opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("local", 1)])
    path.write_bytes(model.SerializeToString())
    return path


def many_dims(path: Path) -> Path:
    model = chain(2)
    model.graph.input[0].CopyFrom(tensor_in("x", [1] * 5_000_000))
    path.write_bytes(model.SerializeToString())
    return path


def big_fill(path: Path) -> Path:
    model = filler()
    model.graph.initializer[0].CopyFrom(numpy_helper.from_array(np.ones(5_000_000, np.int64), "s"))
    path.write_bytes(model.SerializeToString())
    return path


GRAPHS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("chain-100000", lambda p: save(p.parent, chain(100_000), p.name), "has more than 50,000 operations"),
    ("chain-50001", lambda p: save(p.parent, chain(50_000), p.name), "has more than 50,000 operations"),
    ("empty-nodes-10m", empty_nodes, "has more than 50,000 operations"),
    ("nodes-in-branches", in_branches, "has more than 50,000 operations"),
    ("functions-doubling", lambda p: save(p.parent, doubling_functions(20), p.name),
     "counting each call of a function as its body's"),
    ("function-recursive", lambda p: save(p.parent, doubling_functions(5, recursive=True), p.name),
     "function 'f0' calls itself"),
    ("dense-attributes", dense_attributes, "holds more than 1,000,000 protobuf messages and list items"),
    ("wide-nodes", wide_nodes, "holds more than 1,000,000 protobuf messages and list items"),
    ("wide-big-nodes", lambda p: wide_nodes(p, 25_000), "has more than 300,000 protobuf fields to read one by one"),
    ("wide-function", wide_function, "more than 1,000,000 inputs and outputs"),
    ("input-of-5m-dims", many_dims, "a tensor's type takes more than 64 KB"),
    ("constant-of-shape-5m", big_fill, "which holds 5,000,000 values"),
]


@pytest.mark.parametrize(("name", "build", "words"), GRAPHS, ids=[g[0] for g in GRAPHS])
def test_graphs_too_big_are_refused_early(tmp_path: Path, name: str, build: Callable[[Path], Path],
                                          words: str) -> None:
    """Operations (with subgraphs' and function calls'), protobuf messages, tensor uses and ranks
    are counted before anything costs per operation: 100,000 operations took 9 s and 290 MB, a
    ConstantOfShape of 5 million dimensions 1.2 GB, before they were refused or drawn."""
    path = build(tmp_path / "big.onnx")
    code, err, seconds, grown = measured("import", path, "-o", tmp_path / "a.svg")
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert words in err, err
    assert seconds < 1.5 and grown < 100, (seconds, grown)
    assert not (tmp_path / "a.svg").exists()


def test_functions_under_the_cap_are_read(tmp_path: Path) -> None:
    """A model-local function called a few times: its calls are counted as its body (4 levels of
    doubling: 16 calls of the last), and shape inference gives the calls' outputs."""
    path = save(tmp_path, doubling_functions(4))
    graph = reader.read(path)
    assert [node.op for node in graph.nodes] == ["Input", "f0", "Dense"]
    assert graph.nodes[1].shape == (4,)


def test_a_graph_under_the_cap_is_drawn(tmp_path: Path) -> None:
    path = save(tmp_path, chain(20_000, "Tanh"))
    drawn = nnsvg.from_onnx(path)
    assert len(reader.read(path).nodes) == 20_002
    assert [layer.size for layer in drawn.spec.layers] == [4, 2]


# --- class 18: cycles and order ------------------------------------------------------------------------

def ring(length: int, at: int, n: int) -> tuple[Any, set[str]]:
    """n nodes in a chain x → t1 → … → y, where node ``at`` also takes the output of node
    ``at + length - 1`` (a cycle of ``length`` nodes; 1: a node taking its own output)."""
    nodes = []
    for i in range(n):
        inputs = [f"t{i}" if i else "x"]
        if i == at:
            inputs.append(f"t{at + length}")
        nodes.append(helper.make_node("Add" if i == at else "Relu", inputs, [f"t{i + 1}"], name=f"n{i}"))
    nodes.append(helper.make_node("MatMul", [f"t{n}", "D"], ["y"], name="head"))
    model = make(nodes, [tensor_in("x", [1, 4])], [tensor_in("y", None)], [weights("D", 4, 2)])
    return model, {f"n{i}" for i in range(at, at + length)}


CYCLES = [(1, 0, 3), (1, 2, 3), (2, 0, 4), (3, 1, 6), (5, 4, 12), (2, 10, 12), (1000, 5, 1200)]


@pytest.mark.parametrize(("length", "at", "n"), CYCLES, ids=[f"{c[0]}-at-{c[1]}-of-{c[2]}" for c in CYCLES])
@pytest.mark.parametrize("shuffled", [False, True], ids=["file-order", "shuffled"])
def test_cycles_are_an_error_naming_a_node_on_them(cli: Cli, tmp_path: Path, length: int, at: int, n: int,
                                                    shuffled: bool) -> None:
    """ONNX graphs are acyclic: a cycle (once dropped silently, the nodes on it left out) is
    one error naming a node on it."""
    model, on_cycle = ring(length, at, n)
    if shuffled:
        nodes = list(model.graph.node)
        random.Random(length * 100 + at).shuffle(nodes)
        del model.graph.node[:]
        model.graph.node.extend(nodes)
    err = refused(cli, tmp_path, save(tmp_path, model))
    found = re.search(r"the model's graph has a cycle through node '(n\d+)' \((Add|Relu)\); ONNX graphs are acyclic",
                      err)
    assert found, err
    assert found.group(1) in on_cycle, (found.group(1), sorted(on_cycle))


@pytest.mark.parametrize("seed", range(5))
def test_nodes_out_of_order_are_sorted(tmp_path: Path, seed: int) -> None:
    """A file that lists its nodes out of order (ONNX requires a topological order) is read as
    if it were sorted: before, every input made by a later node was dropped silently."""
    model = cnn()
    expected = reader.read(save(tmp_path, model, "sorted.onnx"))
    nodes = list(model.graph.node)
    random.Random(seed).shuffle(nodes)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    got = reader.read(save(tmp_path, model, "shuffled.onnx"))
    assert [(n.op, n.shape, n.params) for n in got.nodes] == [(n.op, n.shape, n.params) for n in expected.nodes]
    assert got.connections == expected.connections


# --- class 3: names from the file ---------------------------------------------------------------------

EVIL = ["\x1b[31mred\x1b[0m", "a\rb", "line\nbreak", "bell\x07", "nul\x00", "\u202eevil", "del\x7f", "x" * 30_000,
        "c1\x9b2J"]


@pytest.mark.parametrize("evil", EVIL, ids=["ansi", "cr", "lf", "bell", "nul", "bidi", "del", "long", "c1"])
def test_names_from_the_file_are_escaped(cli: Cli, tmp_path: Path, evil: str) -> None:
    """An op type, a node's name, its domain, a symbolic dimension and an input's name are the
    file's text: where the reader puts them in a note or a label they are cut and escaped, so the
    note cannot act on the terminal and the figure is drawn (an SVG cannot hold a C0 control)."""
    nodes = [helper.make_node("Gemm", [evil, "W"], ["h"], name=evil),
             helper.make_node(f"Op{evil}", ["h"], ["f"], name=evil + "2", domain=f"d{evil}"),
             helper.make_node("Gemm", ["f", "V"], ["y"], name="head")]
    graph = helper.make_graph(nodes, "t", [tensor_in(evil, [evil, 4])], [tensor_in("y", [evil, 2])],
                              [weights("W", 4, 3), weights("V", 3, 2)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(f"d{evil}", 1)])
    path = save(tmp_path, model)
    for style in ("auto", "blocks"):
        code, _, err = cli("import", path, "--style", style, "--shapes", "-o", tmp_path / "a.svg")
        assert code == 0, err
        assert not CONTROLS.search(err), err
        note = next(line for line in err.splitlines() if "op(s) nnsvg does not know" in line)
        assert len(note) < 300 and ": Op" in note, note
        svg = (tmp_path / "a.svg").read_text("utf-8")
        assert not CONTROLS.search(svg.replace("\n", "").replace("\t", "").replace("\r", ""))
    graph_read = reader.read(path)
    for node in graph_read.nodes:
        for text in (node.name or "", node.op or "", *(d for d in node.shape or () if isinstance(d, str))):
            assert text.isprintable() and len(text) <= 200, text[:80]
