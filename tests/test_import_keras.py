"""The Keras importer: archives written here in the format Keras 3 saves (``saving_lib``: a zip
of config.json, metadata.json and model.weights.h5; each layer serialized as ``module``,
``class_name``, ``config``, ``registered_name``, ``build_config``, and in a Functional model
``name`` and ``inbound_nodes`` of ``__keras_tensor__`` references), so no Keras is installed."""

from __future__ import annotations

import builtins
import io
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg.importers import keras as reader
from nnsvg.importers import simplify

Cli = Callable[..., tuple[int, str, str]]
DTYPE = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def layer(cls: str, name: str, input_shape: list[Any] | None = None, **config: Any) -> dict[str, Any]:
    """One layer as Keras 3's ``serialize_keras_object`` writes it."""
    entry: dict[str, Any] = {"module": "keras.layers", "class_name": cls,
                             "config": {"name": name, "trainable": True, "dtype": DTYPE, **config},
                             "registered_name": None}
    if input_shape is not None:
        entry["build_config"] = {"input_shape": [None, *input_shape]}
    return entry


def input_layer(name: str, shape: list[int]) -> dict[str, Any]:
    return {"module": "keras.layers", "class_name": "InputLayer",
            "config": {"batch_shape": [None, *shape], "dtype": "float32", "sparse": False, "ragged": False,
                       "name": name}, "registered_name": None}


def tensor(source: str, shape: list[Any], node: int = 0) -> dict[str, Any]:
    return {"class_name": "__keras_tensor__",
            "config": {"shape": [None, *shape], "dtype": "float32", "keras_history": [source, node, 0]}}


def called(entry: dict[str, Any], *inputs: dict[str, Any]) -> dict[str, Any]:
    """A Functional model's layer: its name and the call on ``inputs`` (a merge takes a list)."""
    args = [list(inputs)] if len(inputs) > 1 else list(inputs)
    return {**entry, "name": entry["config"]["name"], "inbound_nodes": [{"args": args, "kwargs": {}}]}


def sequential(name: str, layers: list[dict[str, Any]], input_shape: list[int]) -> dict[str, Any]:
    return {"module": "keras", "class_name": "Sequential",
            "config": {"name": name, "trainable": True, "dtype": DTYPE, "layers": layers,
                       "build_input_shape": [None, *input_shape]},
            "registered_name": None, "build_config": {"input_shape": [None, *input_shape]}}


def functional(name: str, layers: list[dict[str, Any]], inputs: list[str], outputs: list[str]) -> dict[str, Any]:
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "config": {"name": name, "trainable": True, "layers": layers,
                       "input_layers": [[n, 0, 0] for n in inputs], "output_layers": [[n, 0, 0] for n in outputs]},
            "registered_name": "Functional", "build_config": {"input_shape": None}}


def archive(path: Path, config: dict[str, Any], weights: dict[str, Any] | None = None) -> Path:
    """A .keras file as ``saving_lib._save_model_to_fileobj`` writes it (weights: h5 path → array)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.10.0", "date_saved": "2026-01-01@00:00:00"}))
        zf.writestr("config.json", json.dumps(config))
        if weights is not None:
            h5py = pytest.importorskip("h5py", reason="writing model.weights.h5 needs h5py")
            buffer = io.BytesIO()
            with h5py.File(buffer, "w") as f:
                for key, value in weights.items():
                    f.create_dataset(key, data=value)
            zf.writestr("model.weights.h5", buffer.getvalue())
    return path


def cnn(tmp_path: Path) -> Path:
    """A Sequential CNN on 28x28x1 (build_config input shapes as Keras writes them)."""
    layers = [
        input_layer("input_layer", [28, 28, 1]),
        layer("Conv2D", "conv2d", [28, 28, 1], filters=32, kernel_size=[3, 3], strides=[1, 1], padding="valid",
              data_format="channels_last", dilation_rate=[1, 1], groups=1, activation="relu", use_bias=True),
        layer("MaxPooling2D", "max_pooling2d", None, pool_size=[2, 2], padding="valid", strides=[2, 2],
              data_format="channels_last"),
        layer("Conv2D", "conv2d_1", [13, 13, 32], filters=64, kernel_size=[3, 3], strides=[2, 2], padding="same",
              data_format="channels_last", dilation_rate=[1, 1], groups=1, activation="relu", use_bias=True),
        layer("BatchNormalization", "batch_normalization", [7, 7, 64], axis=-1, momentum=0.99, epsilon=0.001,
              center=True, scale=True),
        layer("Flatten", "flatten", [7, 7, 64], data_format="channels_last"),
        layer("Dropout", "dropout", None, rate=0.5, seed=None, noise_shape=None),
        layer("Dense", "dense", [3136], units=128, activation="relu", use_bias=True),
        layer("Dense", "dense_1", [128], units=10, activation="softmax", use_bias=True),
    ]
    return archive(tmp_path / "cnn.keras", sequential("sequential", layers, [28, 28, 1]))


def test_sequential_cnn_shapes_and_keras_parameter_total(tmp_path: Path) -> None:
    graph = reader.read(cnn(tmp_path))
    shapes = [(n.op, n.shape, n.params) for n in graph.nodes]
    # conv 3x3 valid: 26; pool 2: 13; conv 3x3 stride 2 same: ceil(13 / 2) = 7; channels first
    assert shapes == [("Input", (1, 28, 28), None), ("Conv", (32, 26, 26), 320), ("MaxPool", (32, 13, 13), None),
                      ("Conv", (64, 7, 7), 18_496), ("Norm", (64, 7, 7), 256), ("Reshape", (3136,), None),
                      ("Dropout", (3136,), None), ("Dense", (128,), 401_536), ("Dense", (10,), 1290)]
    # Keras's model.summary() total: conv 3*3*1*32 + 32 = 320; conv 3*3*32*64 + 64 = 18,496; batch norm
    # 4 * 64 = 256 (gamma, beta and the two moving statistics); dense 3136*128 + 128 = 401,536;
    # dense 128*10 + 10 = 1,290: 421,898 in all
    assert simplify.total_params(graph) == 421_898
    assert graph.is_chain()
    diagram = nnsvg.from_keras(tmp_path / "cnn.keras", params=True)
    assert diagram.spec.style == "lenet"
    assert [layer.token for layer in diagram.spec.layers] == ["1@28x28:3x3", "32@26x26:2x2", "32@13x13:3x3",
                                                              "64@7x7", "128", "10"]
    assert diagram.spec.ops == ["Conv 3x3", "Max-pool 2x2", "Conv 3x3/2", "Dense", "Dense"]
    assert "421,898 parameters in total" in diagram.notes
    folded = simplify.fold(graph)
    assert folded.nodes[1].attrs["activation"] == "relu" and folded.nodes[-1].attrs["activation"] == "softmax"


@pytest.mark.parametrize(("cls", "config", "shape", "out", "params"), [
    ("Conv1D", {"filters": 16, "kernel_size": [5], "dilation_rate": [2]}, (100, 8), (92, 16), 5 * 8 * 16 + 16),
    ("Conv1D", {"filters": 4, "kernel_size": 3, "padding": "causal", "strides": 2}, (9, 2), (5, 4), 28),
    ("Conv3D", {"filters": 8, "kernel_size": [3, 3, 3], "use_bias": False}, (10, 10, 10, 2), (8, 8, 8, 8), 432),
    ("Conv2D", {"filters": 6, "kernel_size": 3, "data_format": "channels_first"}, (3, 10, 12), (6, 8, 10), 168),
    ("Conv2D", {"filters": 8, "kernel_size": 3, "groups": 2}, (10, 10, 4), (8, 8, 8), 3 * 3 * 2 * 8 + 8),
    ("Conv2DTranspose", {"filters": 8, "kernel_size": 3, "strides": 2, "padding": "same"}, (7, 7, 16),
     (14, 14, 8), 3 * 3 * 8 * 16 + 8),
    ("Conv2DTranspose", {"filters": 1, "kernel_size": 3, "strides": 2}, (7, 7, 1), (15, 15, 1), 10),
    ("SeparableConv2D", {"filters": 32, "kernel_size": 3}, (28, 28, 16), (26, 26, 32), 9 * 16 + 16 * 32 + 32),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}, (28, 28, 16), (26, 26, 32), 9 * 32 + 32),
    ("MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, (9, 4), (5, 4), 0),
    ("AveragePooling2D", {"pool_size": [3, 3], "strides": [2, 2]}, (55, 55, 96), (27, 27, 96), 0),
    ("GlobalAveragePooling2D", {}, (7, 7, 512), (512,), 0),
    ("GlobalMaxPooling1D", {"keepdims": True}, (9, 4), (1, 4), 0),
    ("Reshape", {"target_shape": [-1, 4]}, (6, 6), (9, 4), 0),
    ("ZeroPadding2D", {"padding": [[1, 2], [3, 4]]}, (5, 5, 2), (8, 12, 2), 0),
    ("UpSampling2D", {"size": [2, 2]}, (5, 5, 2), (10, 10, 2), 0),
    ("Embedding", {"input_dim": 1000, "output_dim": 64}, (10,), (10, 64), 64_000),
    ("LSTM", {"units": 32}, (10, 64), (32,), 4 * (32 * (64 + 32) + 32)),
    ("GRU", {"units": 32, "return_sequences": True}, (10, 64), (10, 32), 3 * 32 * 96 + 2 * 3 * 32),
    ("GRU", {"units": 32, "reset_after": False}, (10, 64), (32,), 3 * 32 * 96 + 3 * 32),
    ("SimpleRNN", {"units": 16}, (10, 64), (16,), 16 * 64 + 16 * 16 + 16),
    ("Bidirectional", {"layer": {"class_name": "LSTM", "config": {"units": 32, "return_sequences": True}}},
     (10, 64), (10, 64), 2 * 12_416),
    ("LayerNormalization", {"axis": [-1]}, (10, 64), (10, 64), 128),
    ("BatchNormalization", {"axis": 1, "center": False}, (8, 5, 5), (8, 5, 5), 24),
    ("PReLU", {"shared_axes": [1, 2]}, (5, 5, 3), (5, 5, 3), 3),
    ("TimeDistributed", {"layer": {"class_name": "Dense", "config": {"units": 8}}}, (10, 4), (10, 8), 40),
])
def test_layer_rules_match_keras(cls: str, config: dict[str, Any], shape: tuple[int, ...], out: tuple[int, ...],
                                 params: int) -> None:
    """Output shapes and parameter counts of Keras's own docs and model.summary()."""
    rule = reader.layer_rule(cls, {"name": "x", **config}, [shape], config.get("data_format") == "channels_first")
    assert rule is not None
    assert (rule.shape, rule.params) == (out, params)


def residual(tmp_path: Path) -> Path:
    """A Functional model with a residual add: x → conv → conv → add(conv, x) → relu → pool → dense."""
    side = [32, 32, 16]
    conv = {"filters": 16, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "use_bias": True}
    layers = [
        {**input_layer("image", side), "name": "image", "inbound_nodes": []},
        called(layer("Conv2D", "c1", side, activation="relu", **conv), tensor("image", side)),
        called(layer("Conv2D", "c2", side, activation="linear", **conv), tensor("c1", side)),
        called(layer("Add", "add", None), tensor("c2", side), tensor("image", side)),
        called(layer("Activation", "relu", side, activation="relu"), tensor("add", side)),
        called(layer("GlobalAveragePooling2D", "pool", side, data_format="channels_last", keepdims=False),
               tensor("relu", side)),
        called(layer("Dense", "logits", [16], units=10, activation="softmax"), tensor("pool", [16])),
    ]
    return archive(tmp_path / "res.keras", functional("resnet", layers, ["image"], ["logits"]))


def test_functional_residual_add_is_a_skip_connection(tmp_path: Path) -> None:
    graph = reader.read(residual(tmp_path))
    assert [n.name for n in graph.nodes] == ["image", "c1", "c2", "add", "relu", "pool", "logits"]
    assert graph.nodes[3].op == "Add" and graph.nodes[3].shape == (16, 32, 32)
    merged = {(c.source, c.target, c.kind) for c in graph.connections if c.target == 3}
    assert merged == {(2, 3, "data"), (0, 3, "add")}  # the conv path is the trunk, the input the skip
    assert graph.extra_connections() == (next(c for c in graph.connections if c.kind == "add"),)
    # 2 × (3*3*16*16 + 16) + 16*10 + 10
    assert simplify.total_params(graph) == 2 * 2320 + 170
    assert simplify.regions(simplify.fold(graph)) == [(1, 3)]
    # a chain style draws the residual block as one layer (the input, the block, the dense layer)
    diagram = nnsvg.from_keras(tmp_path / "res.keras", "lenet")
    assert [layer.token for layer in diagram.spec.layers] == ["16@32x32", "16@32x32", "10"]
    assert diagram.spec.layers[1].label == "16@32x32 · Residual"


def nested(tmp_path: Path) -> Path:
    """A Functional model calling a nested Sequential feature extractor (node 1 of a nested
    model: its node 0 is the one it was built with)."""
    inner = sequential("features", [
        input_layer("input_layer", [16, 16, 3]),
        layer("Conv2D", "conv2d", [16, 16, 3], filters=8, kernel_size=[3, 3], padding="same", activation="relu"),
        layer("MaxPooling2D", "max_pooling2d", None, pool_size=[2, 2]),
        layer("Conv2D", "conv2d_1", [8, 8, 8], filters=8, kernel_size=[3, 3], padding="valid"),
    ], [16, 16, 3])
    head = functional("head", [
        {**input_layer("v", [6, 6, 8]), "name": "v", "inbound_nodes": []},
        called(layer("Flatten", "flat", [6, 6, 8]), tensor("v", [6, 6, 8])),
    ], ["v"], ["flat"])
    layers = [
        {**input_layer("x", [16, 16, 3]), "name": "x", "inbound_nodes": []},
        called(inner, tensor("x", [16, 16, 3])),
        called(head, tensor("features", [6, 6, 8], node=1)),
        called(layer("Dense", "out", [288], units=4), tensor("head", [288], node=1)),
    ]
    return archive(tmp_path / "nested.keras", functional("outer", layers, ["x"], ["out"]))


def test_nested_models_are_groups(tmp_path: Path) -> None:
    graph = reader.read(nested(tmp_path)).validate()
    assert [(n.name, n.op, n.shape) for n in graph.nodes] == [
        ("x", "Input", (3, 16, 16)), ("conv2d", "Conv", (8, 16, 16)), ("max_pooling2d", "MaxPool", (8, 8, 8)),
        ("conv2d_1", "Conv", (8, 6, 6)), ("flat", "Reshape", (288,)), ("out", "Dense", (4,))]
    assert [(g.first, g.last, g.label) for g in graph.groups] == [(1, 3, "features"), (4, 4, "head")]
    assert graph.is_chain()
    # 3*3*3*8 + 8 + 3*3*8*8 + 8 + 288*4 + 4
    assert simplify.total_params(graph) == 224 + 584 + 1156
    assert nnsvg.from_keras(tmp_path / "nested.keras").spec.style == "lenet"


def mlp_layers() -> list[dict[str, Any]]:
    return [input_layer("input_layer", [2]), layer("Dense", "dense", [2], units=3, activation="relu"),
            layer("Dense", "dense_1", [3], units=2, activation="sigmoid")]


def test_mlp_real_weights_from_the_archive(tmp_path: Path) -> None:
    np = pytest.importorskip("numpy")
    w1, b1 = [[1.0, -0.5, 0.25], [0.0, -1.0, 0.5]], [0.5, 0.0, -0.25]
    w2, b2 = [[4.0, -4.0], [2.0, 1.0], [-1.0, 0.0]], [0.0, 1.0]
    path = archive(tmp_path / "mlp.keras", sequential("sequential", mlp_layers(), [2]), {
        "layers/dense/vars/0": np.array(w1, np.float32), "layers/dense/vars/1": np.array(b1, np.float32),
        "layers/dense_1/vars/0": np.array(w2, np.float32), "layers/dense_1/vars/1": np.array(b2, np.float32)})
    diagram = nnsvg.from_keras(path, edge_color="weight", bias=True)
    spec = diagram.spec
    assert spec.style == "fcnn" and [layer.size for layer in spec.layers] == [2, 3, 2]
    assert spec.activations == ["relu", "sigmoid"]
    assert spec.weights == [[b1, *w1], [b2, *w2]]
    assert not any("h5py" in note for note in diagram.notes)


def test_weights_without_h5py_are_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    np = pytest.importorskip("numpy")
    path = archive(tmp_path / "mlp.keras", sequential("sequential", mlp_layers(), [2]), {
        "layers/dense/vars/0": np.ones((2, 3), np.float32), "layers/dense_1/vars/0": np.ones((3, 2), np.float32)})
    real_import = builtins.__import__

    def blocked(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "h5py" or name.startswith("h5py."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", blocked)
    for key in [k for k in sys.modules if k == "h5py" or k.startswith("h5py.")]:
        monkeypatch.delitem(sys.modules, key)
    diagram = nnsvg.from_keras(path, edge_color="weight")
    assert diagram.spec.weights is None
    assert ("the model's weights are not read without h5py (pip install 'nnsvg[keras]'): --edge-color weight "
            "draws seeded weights") in diagram.notes
    # a legacy .h5 file needs h5py: one line that says which extra
    (tmp_path / "old.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(64))
    with pytest.raises(nnsvg.SpecError, match=r"^reading this model needs the 'h5py' package: pip install "
                                              r"'nnsvg\[keras\]'$"):
        nnsvg.from_keras(tmp_path / "old.h5")


def test_legacy_h5_model(tmp_path: Path) -> None:
    """Keras 2's model.save('m.h5'): the config in the file's model_config attribute (inbound
    nodes as [layer, node, tensor, kwargs] lists), weights under model_weights/<layer>."""
    h5py = pytest.importorskip("h5py", reason="legacy .h5 files need h5py")
    np = pytest.importorskip("numpy")
    config = {"class_name": "Model", "config": {"name": "model", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "name": "in"}, "name": "in",
         "inbound_nodes": []},
        {"class_name": "Dense", "config": {"name": "hidden", "units": 3, "activation": "tanh"}, "name": "hidden",
         "inbound_nodes": [[["in", 0, 0, {}]]]},
        {"class_name": "Dense", "config": {"name": "out", "units": 1}, "name": "out",
         "inbound_nodes": [[["hidden", 0, 0, {}]]]}],
        "input_layers": [["in", 0, 0]], "output_layers": [["out", 0, 0]]}}
    with h5py.File(tmp_path / "m.h5", "w") as f:
        f.attrs["model_config"] = json.dumps(config)
        for name, shape in (("hidden", (4, 3)), ("out", (3, 1))):
            group = f.create_group(f"model_weights/{name}")
            group.attrs["weight_names"] = [f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()]
            group.create_dataset(f"{name}/kernel:0", data=np.full(shape, 0.5, np.float32))
            group.create_dataset(f"{name}/bias:0", data=np.zeros(shape[1], np.float32))
    diagram = nnsvg.from_keras(tmp_path / "m.h5", params=True)
    assert [layer.size for layer in diagram.spec.layers] == [4, 3, 1]
    assert diagram.spec.weights == [[[0.0] * 3, *[[0.5] * 3] * 4], [[0.0], *[[0.5]] * 3]]  # bias row first
    assert "19 parameters in total" in diagram.notes


def test_unknown_layer_is_generic_with_the_recorded_shape(tmp_path: Path) -> None:
    layers = [
        {**input_layer("x", [8]), "name": "x", "inbound_nodes": []},
        called(layer("Dense", "d", [8], units=6), tensor("x", [8])),
        called({**layer("MyFancyLayer", "fancy", [6]), "module": "my.layers", "registered_name": "Custom>Fancy"},
               tensor("d", [6])),
        called(layer("Dense", "e", [5], units=2), tensor("fancy", [5])),
    ]
    path = archive(tmp_path / "f.keras", functional("f", layers, ["x"], ["e"]))
    graph = reader.read(path)
    assert [(n.op, n.shape) for n in graph.nodes] == [("Input", (8,)), ("Dense", (6,)), ("MyFancyLayer", (5,)),
                                                      ("Dense", (2,))]
    assert graph.nodes[2].attrs["generic"] is True
    assert graph.nodes[3].params == 5 * 2 + 2  # its input width is what Keras recorded
    diagram = nnsvg.from_keras(path)
    assert [layer.size for layer in diagram.spec.layers] == [8, 6, 5, 2]
    assert any("MyFancyLayer" in note for note in diagram.notes)


def test_bad_archives_are_one_error_line(cli: Cli, tmp_path: Path) -> None:
    good = cnn(tmp_path).read_bytes()
    no_config = io.BytesIO()
    with zipfile.ZipFile(no_config, "w") as zf:
        zf.writestr("metadata.json", "{}")
    not_json = io.BytesIO()
    with zipfile.ZipFile(not_json, "w") as zf:
        zf.writestr("config.json", "{not json")
    no_layers = io.BytesIO()
    with zipfile.ZipFile(no_layers, "w") as zf:
        zf.writestr("config.json", json.dumps({"class_name": "MyModel", "config": {"name": "m"}}))
    cases = {"truncated.keras": (good[: len(good) // 2], "not a Keras archive"),
             "garbage.keras": (bytes(range(256)) * 4, "not a Keras archive"),
             "empty.keras": (b"", "not a Keras archive"),
             "noconfig.keras": (no_config.getvalue(), "without config.json"),
             "notjson.keras": (not_json.getvalue(), "config.json is not valid JSON"),
             "subclassed.keras": (no_layers.getvalue(), "subclassed models keep no layer graph")}
    for name, (data, message) in cases.items():
        (tmp_path / name).write_bytes(data)
        code, _, err = cli("import", tmp_path / name, "-o", tmp_path / "x.svg")
        assert code == 2, (name, err)
        assert err.startswith("error: model") and err.count("\n") == 1 and message in err, (name, err)
        assert not (tmp_path / "x.svg").exists()


def test_cli_imports_a_keras_archive(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("import", cnn(tmp_path), "--params", "--save-spec", tmp_path / "s.yaml",
                       "-o", tmp_path / "a.svg")
    assert code == 0, err
    code, _, err = cli("render", tmp_path / "s.yaml", "-o", tmp_path / "b.svg")
    assert code == 0, err
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert "422K params in total" in (tmp_path / "s.yaml").read_text()


def test_start_up_imports_no_importer_and_no_model_library() -> None:
    """``nnsvg fcnn`` and ``import nnsvg`` stay as fast as before the importers: none of them,
    nor onnx, numpy, h5py or torch (whose import alone takes seconds), is imported."""
    import os
    import subprocess

    heavy = ("onnx", "numpy", "torch", "h5py", "nnsvg.importers")
    for code in ("import sys; from nnsvg.cli import build_app; build_app('fcnn')",
                 "import sys, nnsvg; nnsvg.fcnn([2, 3]).svg()"):
        probe = f"{code}; print(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}).stdout
        assert out.strip() == "[]", (code, out)


def test_keras_import_needs_neither_h5py_nor_torch_for_the_config(tmp_path: Path) -> None:
    import os
    import subprocess

    path = cnn(tmp_path)
    probe = (f"import sys, nnsvg; nnsvg.from_keras({str(path)!r}).svg(); "
             "print(sorted(m for m in sys.modules if m.startswith(('torch', 'h5py', 'onnx'))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}).stdout
    assert out.strip() == "[]"


def test_any_damaged_config_is_a_graph_or_one_spec_error(tmp_path: Path) -> None:
    """Hypothesis: any subtree of a real config replaced by other JSON reads as a valid graph or
    fails with the project's own error, never a traceback."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    config = json.loads(zipfile.ZipFile(residual(tmp_path)).read("config.json"))
    scalars = st.none() | st.booleans() | st.integers(-3, 40) | st.text(max_size=4) | st.floats(allow_nan=False)
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.sampled_from(["config", "layers", "class_name", "name", "units",
                                                             "inbound_nodes", "keras_history", "args"]), inner,
                                            max_size=3), max_leaves=8)

    def paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        out = [at]
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
        for key, child in items:
            out += paths(child, (*at, key))
        return out

    every = paths(config)[1:]

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.sampled_from(every), values)
    def check(path: tuple[Any, ...], value: Any) -> None:
        damaged = json.loads(json.dumps(config))
        target = damaged
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        archive(tmp_path / "d.keras", damaged)
        try:
            reader.read(tmp_path / "d.keras").validate()
        except nnsvg.SpecError as exc:
            assert "\n" not in str(exc)

    check()


@pytest.mark.parametrize("named", [False, True])
def test_weights_of_nested_and_repeated_layers_are_found(tmp_path: Path, named: bool) -> None:
    """model.weights.h5 stores a layer's variables under its class in snake case, numbered per
    class in the model's layer order, a nested model's under its own slot
    (``layers/sequential/layers/dense/vars``); a recent Keras also writes the layer's name on its
    vars group, which wins (here the slots are shuffled to show it)."""
    np = pytest.importorskip("numpy")
    h5py = pytest.importorskip("h5py")
    inner = sequential("inner", [input_layer("input_layer", [3]), layer("Dense", "b", [3], units=2)], [3])
    layers = [
        {**input_layer("x", [2]), "name": "x", "inbound_nodes": []},
        called(layer("Dense", "a", [2], units=3), tensor("x", [2])),
        called(inner, tensor("a", [3])),
        called(layer("Dense", "c", [2], units=1), tensor("inner", [2], node=1)),
    ]
    kernels = {"a": np.full((2, 3), 1.0, np.float32), "b": np.full((3, 2), 2.0, np.float32),
               "c": np.full((2, 1), 3.0, np.float32)}
    slots = {"a": "layers/dense", "b": "layers/sequential/layers/dense", "c": "layers/dense_1"}
    if named:
        slots = {"a": "layers/dense_1", "b": "layers/dense", "c": "layers/sequential/layers/dense"}
    path = archive(tmp_path / "n.keras", functional("outer", layers, ["x"], ["c"]))
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        for name, slot in slots.items():
            group = f.create_group(f"{slot}/vars")
            if named:
                group.attrs["name"] = name
            group.create_dataset("0", data=kernels[name])
            group.create_dataset("1", data=np.zeros(kernels[name].shape[1], np.float32))
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("model.weights.h5", buffer.getvalue())
    graph = reader.read(path)
    assert [(g.first, g.last, g.label) for g in graph.groups] == [(2, 2, "inner")]
    assert [n.attrs["weight"][0][0] for n in graph.nodes[1:]] == [1.0, 2.0, 3.0]
    assert nnsvg.from_keras(path).spec.style == "fcnn"
