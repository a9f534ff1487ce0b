"""The ONNX importer and the shared import pipeline: the onnx package's own light test models,
models made here with onnx.helper (an MLP with known weights, a small CNN, an LSTM, an unknown
op, 10,000 nodes), and bad input."""

from __future__ import annotations

import builtins
import math
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg import colors
from nnsvg.importers import figure, simplify

from .conftest import edge_count, find, parse

onnx = pytest.importorskip("onnx", reason="the ONNX importer's tests need the onnx extra: pip install 'nnsvg[onnx]'")
np = pytest.importorskip("numpy")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from nnsvg.importers import onnx as reader  # noqa: E402

Cli = Callable[..., tuple[int, str, str]]
LIGHT = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
MODELS = sorted(LIGHT.glob("*.onnx"))


def weight_elements(path: Path) -> int:
    """The model's weight elements, counted independently of the importer: the float
    initializers that an operation uses (ZFNet's file also holds an unused 1×1 label blob) and
    the float outputs of ConstantOfShape nodes (whose shape input is an initializer)."""
    model = onnx.load(str(path), load_external_data=False)
    inits = {t.name: t for t in model.graph.initializer}
    used = {name for node in model.graph.node for name in node.input}
    total = sum(math.prod(t.dims) for t in inits.values() if t.data_type in (1, 10, 11, 16) and t.name in used)
    for node in model.graph.node:
        if node.op_type == "ConstantOfShape":
            value = next((a.t for a in node.attribute if a.name == "value"), None)
            if value is None or value.data_type in (1, 10, 11, 16):
                total += math.prod(int(v) for v in numpy_helper.to_array(inits[node.input[0]]))
    return total


def test_the_light_models_are_there() -> None:
    names = {p.stem for p in MODELS}
    assert {"light_bvlc_alexnet", "light_resnet50", "light_squeezenet", "light_inception_v1"} <= names


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_every_light_model_imports_and_renders_fast_with_its_weight_total(path: Path) -> None:
    start = time.perf_counter()
    diagram = nnsvg.from_onnx(path, params=True)
    svg = diagram.svg()
    seconds = time.perf_counter() - start
    assert seconds < 2.0, f"{path.stem}: {seconds:.2f} s"
    total = weight_elements(path)
    assert f"{total:,} parameters in total" in diagram.notes
    graph = reader.read(path)
    assert simplify.total_params(simplify.fold(graph)) == total
    # what every importer returns is a valid graph, in topological order, and so is what the
    # shared part makes of it
    assert graph.validate().topological_order() == tuple(range(len(graph.nodes)))
    for depth in (0, 1):
        simplify.collapse(simplify.fold(graph), depth).validate()
    assert len(find(parse(svg), "g")) > 3


def test_alexnet_weights_and_true_dimensions() -> None:
    path = LIGHT / "light_bvlc_alexnet.onnx"
    assert simplify.total_params(reader.read(path)) == 60_965_224
    diagram = nnsvg.from_onnx(path)
    assert diagram.spec.style == "alexnet"
    assert [layer.token for layer in diagram.spec.layers] == [
        "224x224x3:11x11", "54x54x96:5x5", "26x26x256:3x3", "12x12x384:3x3", "12x12x384:3x3", "12x12x256",
        "4096", "4096", "1000"]


def test_resnet50_stages_are_3_4_6_3_blocks() -> None:
    graph = simplify.collapse(simplify.fold(reader.read(LIGHT / "light_resnet50.onnx")), 0)
    assert [(g.label, g.repeat) for g in graph.groups] == [("Residual block", 3), ("Residual block", 4),
                                                           ("Residual block", 6), ("Residual block", 3)]
    diagram = nnsvg.from_onnx(LIGHT / "light_resnet50.onnx", style="alexnet")
    # AlexNet style: the max-pool after conv1 shrinks between the layers, as in AlexNet's figure
    labels = [layer.label for layer in diagram.spec.layers]
    assert labels == [None, None, "Residual ×3", "Residual ×4", "Residual ×6", "Residual ×3", None]
    assert [layer.token for layer in diagram.spec.layers] == ["224x224x3:7x7", "112x112x64", "56x56x256",
                                                              "28x28x512", "14x14x1024", "7x7x2048", "1000"]
    assert any("branches" in note for note in diagram.notes)


def test_regions_of_the_branchy_models() -> None:
    """Inception's modules have four branches, SqueezeNet's fire modules a squeeze and two, DenseNet's
    dense layers concatenate their input: 6, 12, 24 and 16 of them."""
    inception = simplify.fold(reader.read(LIGHT / "light_inception_v1.onnx"))
    labels = [simplify.label_of(inception, a, b) for a, b in simplify.regions(inception)]
    assert labels == ["Inception block"] * 9
    squeeze = simplify.collapse(simplify.fold(reader.read(LIGHT / "light_squeezenet.onnx")), 0)
    fires = [(n.label, n.shape) for n in squeeze.nodes if n.op == "Block"]
    # each fire module with its squeeze conv (1x1, 16 to 64 channels), in runs of two
    assert fires == [("Fire module", (128, 55, 55)), ("Fire module", (256, 27, 27)),
                     ("Fire module", (384, 13, 13)), ("Fire module", (512, 13, 13))]
    assert [g.repeat for g in squeeze.groups] == [2, 2, 2, 2]
    assert [n.op for n in squeeze.nodes] == ["Input", "Conv", "MaxPool", "Block", "MaxPool", "Block", "MaxPool",
                                             "Block", "Block", "Conv", "GlobalAvgPool"]
    folded = simplify.fold(reader.read(LIGHT / "light_densenet121.onnx"))
    dense = simplify.collapse(folded, 0)
    assert [(g.label, g.repeat) for g in dense.groups] == [("Dense layer", n) for n in (6, 12, 24, 16)]
    # the layer drawn for a run has the run's output (DenseNet's first block ends at 256
    # channels) and the run's weights
    block = dense.nodes[dense.groups[0].first]
    assert block.shape == (256, 56, 56)
    first_six = simplify.regions(folded)[:6]
    assert block.params == sum(folded.nodes[i].params or 0 for a, b in first_six for i in range(a, b + 1))


@pytest.mark.parametrize("name", ["light_bvlc_alexnet", "light_resnet50"])
def test_save_spec_renders_the_same_svg(cli: Cli, tmp_path: Path, name: str) -> None:
    code, _, err = cli("import", LIGHT / f"{name}.onnx", "--params", "--shapes", "-o", tmp_path / "a.svg",
                       "--save-spec", tmp_path / "a.yaml")
    assert code == 0, err
    code, _, err = cli("render", tmp_path / "a.yaml", "-o", tmp_path / "b.svg")
    assert code == 0, err
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_params_and_shapes_captions(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("import", LIGHT / "light_bvlc_alexnet.onnx", "--params", "--shapes", "--save-spec",
                       tmp_path / "a.json", "-o", tmp_path / "a.svg")
    assert code == 0, err
    assert "note: 60,965,224 parameters in total" in err
    import json

    data = json.loads((tmp_path / "a.json").read_text())
    assert data["dims"] is True
    assert data["layers"][1] == {"size": "54x54x96:5x5", "label": "35K params"}  # 96·3·11·11 + 96
    assert data["layers"][0] == {"size": "224x224x3:11x11", "label": "61.0M params in total"}
    assert data["layers"][-1] == {"size": 1000, "label": "4.1M params"}


# --- models made here ---------------------------------------------------------------------------

def save(tmp_path: Path, nodes: list[Any], inputs: list[Any], outputs: list[Any], inits: list[Any],
         name: str = "m.onnx", opset: int = 17) -> Path:
    graph = helper.make_graph(nodes, "test", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path = tmp_path / name
    onnx.save(model, str(path))
    return path


def mlp(tmp_path: Path, w1: Any, w2: Any, b1: Any = None, dropout: bool = False) -> Path:
    inits = [numpy_helper.from_array(np.asarray(w1, np.float32), "W1"),
             numpy_helper.from_array(np.asarray(w2, np.float32), "W2")]
    first = ["x", "W1"]
    if b1 is not None:
        inits.append(numpy_helper.from_array(np.asarray(b1, np.float32), "b1"))
        first.append("b1")
    nodes = [helper.make_node("Gemm", first, ["h"]), helper.make_node("Relu", ["h"], ["hr"]),
             helper.make_node("Dropout", ["hr"], ["hd"]) if dropout else helper.make_node("Identity", ["hr"], ["hd"]),
             helper.make_node("MatMul", ["hd", "W2"], ["z"]), helper.make_node("Softmax", ["z"], ["y"])]
    n_in, n_out = np.asarray(w1).shape[0], np.asarray(w2).shape[1]
    return save(tmp_path, nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", n_in])],
                [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", n_out])], inits)


def edge_paths(svg: str, pair: str) -> dict[str, tuple[str, float, int]]:
    """The edge paths of a layer pair: id suffix → (stroke colour, stroke width, edges)."""
    out = {}
    for path in find(parse(svg), "path"):
        pid = path.get("id") or ""
        if pid.startswith(f"edges-{pair}-w"):
            out[pid.rsplit("-", 1)[1]] = (path.get("stroke") or "", float(path.get("stroke-width") or 0),
                                          (path.get("d") or "").count("M"))
    return out


def test_mlp_is_fcnn_with_activations_dropout_and_real_weights(tmp_path: Path) -> None:
    w1 = [[1.0, -0.5, 0.25], [0.0, -1.0, 0.5]]  # 2 inputs × 3 hidden
    w2 = [[4.0, -4.0], [2.0, 1.0], [-1.0, 0.0]]  # 3 hidden × 2 outputs
    diagram = nnsvg.from_onnx(mlp(tmp_path, w1, w2), edge_color="weight", edge_width="weight")
    spec = diagram.spec
    assert spec.style == "fcnn" and [layer.size for layer in spec.layers] == [2, 3, 2]
    assert spec.activations == ["relu", "softmax"]
    assert spec.weights == [w1, w2]
    theme = diagram.theme
    # each edge's level is its weight over the pair's largest |weight| (1, then 4), in 16 steps
    for pair, matrix, peak in (("0-1", w1, 1.0), ("1-2", w2, 4.0)):
        paths = edge_paths(diagram.svg(), pair)
        levels = [round(w / peak * 16) for row in matrix for w in row]
        assert {f"w{'m' if q < 0 else 'p'}{abs(q)}" for q in levels} == set(paths)
        for suffix, (color, width, count) in paths.items():
            level = int(suffix[2:]) * (-1 if suffix[1] == "m" else 1)
            assert count == levels.count(level)
            assert math.isclose(width, theme.edge.max_width * abs(level) / 16, rel_tol=1e-3)
            assert color == colors.ramp(theme.edge.negative, theme.edge.zero, theme.edge.positive, level / 16)
    assert edge_count(parse(diagram.svg())) == 2 * 3 + 3 * 2
    # a dropout layer: its rate on the layer it follows (crossed-out nodes)
    assert nnsvg.from_onnx(mlp(tmp_path, w1, w2, dropout=True)).spec.layer_dropout() == [0.0, 0.5, 0.0]


def test_mlp_bias_row_and_seeded_weights_without_a_model(tmp_path: Path) -> None:
    """The model's bias becomes the weights' first row, drawn on the +1 unit's edges; a spec with
    no weights keeps its seeded random ones."""
    path = mlp(tmp_path, [[1.0, -1.0]], [[1.0], [1.0]], b1=[0.5, -0.25])
    spec = nnsvg.from_onnx(path, bias=True, edge_color="weight").spec
    assert spec.weights == [[[0.5, -0.25], [1.0, -1.0]], [[1.0], [1.0]]]
    bias_edges = edge_paths(nnsvg.from_onnx(path, bias=True, edge_width="weight").svg(), "0-1")
    assert {k: v[2] for k, v in bias_edges.items()} == {"wp8": 1, "wm4": 1, "wp16": 1, "wm16": 1}
    seeded = nnsvg.fcnn([1, 2, 2], edge_color="weight").svg()
    assert seeded == nnsvg.fcnn([1, 2, 2], edge_color="weight", seed=0).svg()


def test_weights_option_is_checked() -> None:
    with pytest.raises(nnsvg.SpecError, match=r"weights\[0\]: expected 2 rows .* or 3 \(a bias row first\), got 1"):
        nnsvg.fcnn([2, 2], weights=[[[1.0, 2.0]]])
    with pytest.raises(nnsvg.SpecError, match=r"weights\[0\]\[1\]: expected 2 values"):
        nnsvg.fcnn([2, 2], weights=[[[1.0, 2.0], [1.0]]])
    with pytest.raises(nnsvg.SpecError, match=r"weights: expected 1 matrices"):
        nnsvg.fcnn([2, 2], weights=[])
    with pytest.raises(nnsvg.SpecError, match=r"weights\[0\]\[0\]: expected a number"):
        nnsvg.fcnn([2, 2], weights=[[["a", 1], [1, 1]]])


def conv_model(tmp_path: Path, side: int = 28) -> Path:
    """A LeNet-like CNN: conv 5x5 → relu → max-pool 2 → conv 5x5 → flatten → dense → dense."""
    rng = np.random.default_rng(0)
    inits = [numpy_helper.from_array(rng.standard_normal(s).astype(np.float32), n) for n, s in (
        ("c1", (6, 1, 5, 5)), ("c2", (16, 6, 5, 5)), ("d1", (16 * 8 * 8, 120)), ("d2", (120, 10)))]
    nodes = [helper.make_node("Conv", ["x", "c1"], ["a"], kernel_shape=[5, 5]),
             helper.make_node("Relu", ["a"], ["b"]),
             helper.make_node("MaxPool", ["b"], ["c"], kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Conv", ["c", "c2"], ["d"], kernel_shape=[5, 5]),
             helper.make_node("Flatten", ["d"], ["e"]),
             helper.make_node("MatMul", ["e", "d1"], ["f"]), helper.make_node("Tanh", ["f"], ["g"]),
             helper.make_node("MatMul", ["g", "d2"], ["y"])]
    return save(tmp_path, nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, side, side])],
                [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])], inits)


def test_small_cnn_is_lenet_with_ops_and_windows(tmp_path: Path) -> None:
    diagram = nnsvg.from_onnx(conv_model(tmp_path))
    spec = diagram.spec
    assert spec.style == "lenet"
    assert [layer.token for layer in spec.layers] == ["1@28x28:5x5", "6@24x24:2x2", "6@12x12:5x5", "16@8x8", "120",
                                                      "10"]
    assert spec.ops == ["Conv 5x5", "Max-pool 2x2", "Conv 5x5", "Dense", "Dense"]
    assert nnsvg.from_onnx(conv_model(tmp_path), "alexnet").spec.style == "alexnet"


def lstm_model(tmp_path: Path) -> Path:
    hidden, features = 8, 4
    inits = [numpy_helper.from_array(np.zeros((1, 4 * hidden, features), np.float32), "W"),
             numpy_helper.from_array(np.zeros((1, 4 * hidden, hidden), np.float32), "R"),
             numpy_helper.from_array(np.zeros((hidden, 3), np.float32), "D")]
    nodes = [helper.make_node("LSTM", ["x", "W", "R"], ["all", "last"], hidden_size=hidden),
             helper.make_node("Squeeze", ["last"], ["h"]),
             helper.make_node("MatMul", ["h", "D"], ["y"])]
    return save(tmp_path, nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["seq", "batch", features])],
                [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)


def test_recurrent_model_is_rnn(tmp_path: Path) -> None:
    spec = nnsvg.from_onnx(lstm_model(tmp_path)).spec
    assert spec.style == "rnn"
    assert [layer.size for layer in spec.layers] == [4, 8, 3]
    assert spec.cell == "lstm"


def test_symbolic_dims_are_named_in_the_captions(tmp_path: Path) -> None:
    path = save(tmp_path, [helper.make_node("Conv", ["x", "w"], ["a"], kernel_shape=[3, 3]),
                           helper.make_node("Relu", ["a"], ["y"])],
                [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, "H", "W"])],
                [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                [numpy_helper.from_array(np.zeros((8, 3, 3, 3), np.float32), "w")])
    spec = nnsvg.from_onnx(path, "alexnet").spec
    assert spec.layers[0].label == "3×H×W"
    assert spec.layers[0].token.startswith(f"{figure.SYMBOLIC_SIDE}x{figure.SYMBOLIC_SIDE}x3")


def test_unknown_op_is_a_generic_layer_named_in_a_note(cli: Cli, tmp_path: Path) -> None:
    nodes = [helper.make_node("Gemm", ["x", "W"], ["h"]),
             helper.make_node("FancyOp", ["h"], ["f"], domain="example.custom"),
             helper.make_node("FancyOp", ["f"], ["g"], domain="example.custom"),
             helper.make_node("Gemm", ["g", "V"], ["y"])]
    graph = helper.make_graph(nodes, "t", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
                              [numpy_helper.from_array(np.ones((4, 3), np.float32), "W"),
                               numpy_helper.from_array(np.ones((3, 2), np.float32), "V")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid("example.custom", 1)])
    onnx.save(model, str(tmp_path / "c.onnx"))
    code, _, err = cli("import", tmp_path / "c.onnx", "-o", tmp_path / "c.svg")
    assert code == 0, err
    assert "note: op(s) nnsvg does not know, drawn as plain layers where their output shape is known: FancyOp ×2" \
        in err
    assert [layer.size for layer in nnsvg.from_onnx(tmp_path / "c.onnx").spec.layers] == [4, 3, 2]
    ops = [n.op for n in reader.read(tmp_path / "c.onnx").nodes]
    assert ops == ["Input", "Dense", "FancyOp", "FancyOp", "Dense"]
    # in a CNN: shape inference stops at the unknown op, so the layers after it whose shapes are
    # unknown are left out (and counted in a note); the dense layers know their widths
    conv = onnx.load(str(conv_model(tmp_path)))
    conv.graph.node.insert(2, helper.make_node("FancyOp", ["b"], ["b2"], domain="example.custom"))
    conv.graph.node[3].input[0] = "b2"
    conv.opset_import.append(helper.make_opsetid("example.custom", 1))
    onnx.save(conv, str(tmp_path / "c2.onnx"))
    drawn = nnsvg.from_onnx(tmp_path / "c2.onnx", "lenet")
    assert [layer.token for layer in drawn.spec.layers] == ["1@28x28:5x5", "6@24x24", "120", "10"]
    assert "3 layer(s) of unknown output shape not drawn" in drawn.notes


def test_ten_thousand_nodes_collapse_and_stay_fast(tmp_path: Path) -> None:
    """2,500 residual blocks (MatMul → Relu → MatMul → Add) of 10,000 nodes: folded, each block
    found, the run drawn once as ×2500."""
    inits = [numpy_helper.from_array(np.ones((8, 8), np.float32), "W")]
    nodes: list[Any] = []
    x = "x"
    for k in range(2500):
        nodes += [helper.make_node("MatMul", [x, "W"], [f"a{k}"]), helper.make_node("Relu", [f"a{k}"], [f"b{k}"]),
                  helper.make_node("MatMul", [f"b{k}", "W"], [f"c{k}"]),
                  helper.make_node("Add", [f"c{k}", x], [f"x{k}"])]
        x = f"x{k}"
    path = save(tmp_path, nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
                [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, 8])], inits)
    start = time.perf_counter()
    diagram = nnsvg.from_onnx(path, "lenet", params=True)
    diagram.svg()
    seconds = time.perf_counter() - start
    assert seconds < 5.0, f"{seconds:.2f} s"  # 1.6 s measured (import, fold, collapse, render)
    start = time.perf_counter()
    branched = nnsvg.from_onnx(path, params=True)  # auto: blocks, the block drawn once ×2500
    branched.svg()
    assert time.perf_counter() - start < 5.0
    assert branched.spec.style == "blocks"  # MatMul (its ReLU folded in), MatMul, ⊕ after the input
    assert [(layer.op, layer.inputs) for layer in branched.spec.layers] == [
        ("input", None), ("linear", None), ("linear", None), ("add", (0, 2))]
    assert [(g.first, g.last, g.repeat) for g in branched.spec.graph().groups] == [(1, 3, 2500)]
    assert "64 parameters in total" in branched.notes
    assert len(reader.read(path).nodes) == 10_001
    assert len(diagram.spec.layers) == 2
    assert diagram.spec.style == "lenet"
    # one weight matrix, shared by every MatMul, counts once
    assert diagram.spec.layers[1].label == "8 · Residual ×2500 · 64 params"


def test_bad_files_are_one_error_line(cli: Cli, tmp_path: Path) -> None:
    good = (LIGHT / "light_bvlc_alexnet.onnx").read_bytes()
    cases = {"truncated.onnx": good[: len(good) // 3], "garbage.onnx": bytes(range(256)) * 4,
             "empty.onnx": b"", "text.onnx": b"style: fcnn\nlayers: [1, 2]\n"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        code, _, err = cli("import", tmp_path / name, "-o", tmp_path / "x.svg")
        assert code == 2, (name, err)
        assert err.startswith("error: model") and err.count("\n") == 1, (name, err)
        assert "ONNX model" in err
        assert not (tmp_path / "x.svg").exists()
    for args, message in [
        (["missing.onnx"], "cannot read model"),
        (["model.pb"], "unknown model format '.pb'"),
        ([str(LIGHT / "light_bvlc_alexnet.onnx"), "--style", "rnnn"], "--style: expected one of auto"),
        ([str(LIGHT / "light_bvlc_alexnet.onnx"), "--node-gap", "3"], "No such option: --node-gap"),
        ([str(LIGHT / "light_bvlc_alexnet.onnx"), "--depth", "-1"], "--depth: expected a value"),
        ([str(LIGHT / "light_bvlc_alexnet.onnx"), "--style", "rnn"], "the model has none (LSTM, GRU, RNN)"),
    ]:
        code, _, err = cli("import", *args, "-o", tmp_path / "x.svg")
        assert code == 2 and message in err and err.count("\n") == 1, (args, err)


def test_style_options_follow_the_chosen_style(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("import", LIGHT / "light_bvlc_alexnet.onnx", "--view", "30,20", "--theme", "paper",
                       "--save-spec", tmp_path / "s.yaml", "-o", tmp_path / "a.svg")
    assert code == 0, err
    text = (tmp_path / "s.yaml").read_text()
    assert "view: [30.0, 20.0]" in text and "theme: paper" in text


def test_missing_extra_is_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real_import = builtins.__import__

    def blocked(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "onnx" or name.startswith("onnx."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", blocked)
    for key in [k for k in sys.modules if k == "onnx" or k.startswith("onnx.")]:
        monkeypatch.delitem(sys.modules, key)
    code, _, err = cli("import", LIGHT / "light_bvlc_alexnet.onnx", "-o", tmp_path / "a.svg")
    assert code == 2
    assert err == "error: reading this model needs the 'onnx' package: pip install 'nnsvg[onnx]'\n"


def test_cli_start_up_does_not_import_the_importers() -> None:
    import subprocess

    code = ("import sys; from nnsvg.cli import build_app; build_app('fcnn'); "
            "print(sorted(m for m in sys.modules if m.startswith(('onnx', 'numpy', 'nnsvg.importers'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}).stdout
    assert out.strip() == "[]"


def test_auto_style_rules() -> None:
    """fcnn for dense chains, lenet for small shallow CNNs, alexnet for big ones."""
    from nnsvg.graph import Connection, Graph, Node

    def chain(*nodes: Node) -> Graph:
        return Graph(tuple(nodes), tuple(Connection(i, i + 1) for i in range(len(nodes) - 1)))

    dense = chain(Node(0, op="Input", shape=(784,)), Node(1, op="Dense", shape=(10,)))
    assert figure.choose_style(dense) == "fcnn"
    small = chain(Node(0, op="Input", shape=(1, 28, 28)), Node(1, op="Conv", shape=(6, 24, 24)),
                  Node(2, op="Dense", shape=(10,)))
    assert figure.choose_style(small) == "lenet"
    big = chain(Node(0, op="Input", shape=(3, 224, 224)), Node(1, op="Conv", shape=(6, 24, 24)),
                Node(2, op="Dense", shape=(10,)))
    assert figure.choose_style(big) == "alexnet"
    assert re.fullmatch(r"[0-9.]+[KM]?", figure.human(60_965_224)) and figure.human(60_965_224) == "61.0M"


def test_depth_one_keeps_the_blocks_layers_as_groups(cli: Cli, tmp_path: Path) -> None:
    """Depth 1 (for styles that draw branches): each bottleneck's layers stay, framed by a group;
    a stage is its first block, ×N. A chain style still draws each block as one layer, and says so."""
    folded = simplify.fold(reader.read(LIGHT / "light_resnet50.onnx"))
    expanded = simplify.collapse(folded, 1)
    groups = [(g.label, g.repeat, g.last - g.first + 1) for g in expanded.groups]
    # a stage's first block has the projection shortcut: 4 convs and the add
    assert groups == [("Residual block", n, 5) for n in (3, 4, 6, 3)]
    assert len(expanded.nodes) == len(folded.nodes) - sum(4 * (n - 1) for n in (3, 4, 6, 3))
    assert all(expanded.nodes[g.last].op == "Add" for g in expanded.groups)
    code, _, err = cli("import", LIGHT / "light_resnet50.onnx", "--style", "alexnet", "--depth", "1", "-o",
                       tmp_path / "r.svg")
    assert code == 0 and "note: --depth 1: the alexnet style draws no branches" in err


def test_external_data_is_not_loaded(tmp_path: Path) -> None:
    """Weights stored beside the model are never read: shapes and counts come from the tensors'
    dimensions, so the figure is drawn even when the data file is missing."""
    model = onnx.load(str(mlp(tmp_path, np.ones((6, 5)), np.ones((5, 2)))))
    onnx.save_model(model, str(tmp_path / "ext.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="weights.bin", size_threshold=0)
    (tmp_path / "weights.bin").unlink()
    diagram = nnsvg.from_onnx(tmp_path / "ext.onnx", params=True)
    assert [layer.size for layer in diagram.spec.layers] == [6, 5, 2]
    assert "40 parameters in total" in diagram.notes
    assert diagram.spec.weights is None  # the values are not in the file


@pytest.mark.parametrize("suffix", [".yaml", ".toml", ".json"])
def test_real_weights_round_trip_through_every_spec_format(cli: Cli, tmp_path: Path, suffix: str) -> None:
    path = mlp(tmp_path, [[0.123456789, -2.5], [1e-7, 3.0]], [[1.0], [-1.0]], b1=[0.5, 0.25])
    code, _, err = cli("import", path, "--edge-color", "weight", "--edge-width", "weight", "--bias",
                       "-o", tmp_path / "a.svg", "--save-spec", tmp_path / f"a{suffix}")
    assert code == 0, err
    code, _, err = cli("render", tmp_path / f"a{suffix}", "-o", tmp_path / "b.svg")
    assert code == 0, err
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    # 4 significant digits are kept: what a figure can show, and a short file
    assert nnsvg.load(tmp_path / f"a{suffix}").spec.weights == [[[0.5, 0.25], [0.1235, -2.5], [1e-7, 3.0]],
                                                                [[1.0], [-1.0]]]


@pytest.mark.parametrize("name", ["light_resnet50", "light_inception_v1", "light_densenet121", "light_squeezenet"])
def test_branchy_models_are_drawn_as_blocks(name: str) -> None:
    """--style auto draws a model that branches in the blocks style: every layer, merges as
    nodes, runs of identical blocks framed once ×N; the figure passes the quality check."""
    from nnsvg import quality

    diagram = nnsvg.from_onnx(LIGHT / f"{name}.onnx")
    spec = diagram.spec
    assert spec.style == "blocks"
    graph = spec.graph()
    merges = [layer.merge for layer in spec.layers if layer.merge]
    assert merges and not graph.is_chain()
    assert quality.check(diagram.scene) == []
    if name == "light_resnet50":
        assert [(g.label, g.repeat) for g in graph.groups] == [("Residual block", n) for n in (3, 4, 6, 3)]
        assert set(merges) == {"add"} and len(merges) == 4  # one bottleneck per stage
        assert [layer.title for layer in spec.layers[:3]] == ["Input", "7×7 conv", "3×3 max pool"]
    if name == "light_inception_v1":
        assert merges.count("concat") == 9  # nine modules, none repeated
        assert all(len(layer.inputs or ()) == 4 for layer in spec.layers if layer.merge == "concat")


def test_blocks_depth_zero_draws_each_block_as_one_box() -> None:
    diagram = nnsvg.from_onnx(LIGHT / "light_resnet50.onnx", "blocks", depth=0)
    titles = [layer.title for layer in diagram.spec.layers]
    assert titles == ["Input", "7×7 conv", "3×3 max pool", *["Residual block"] * 4, "7×7 avg pool", "Linear"]
    frames = [(g.first, g.last, g.label, g.repeat) for g in diagram.spec.graph().groups]
    assert frames == [(k, k, None, n) for k, n in zip(range(3, 7), (3, 4, 6, 3), strict=True)]  # ×N, no name twice
