"""The PyTorch importer: modules written here (no torchvision): a ResNet-like network (residual
adds → skip connections, stages → ×N), an MLP (→ fcnn with its real weights), a module
torch.export cannot trace (→ forward hooks and a note), a saved ExportedProgram on the CLI."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg.importers import simplify

torch = pytest.importorskip("torch", reason="the PyTorch importer's tests need the torch extra: "
                                           "pip install 'nnsvg[torch]'")
from torch import nn  # noqa: E402

from nnsvg.importers import torch as reader  # noqa: E402

Cli = Callable[..., tuple[int, str, str]]


class Basic(nn.Module):
    """ResNet's basic block: two 3x3 convs with batch norm, a projection when it downsamples."""

    def __init__(self, channels: int, stride: int = 1) -> None:
        super().__init__()
        given = channels if stride == 1 else channels // 2
        self.conv1 = nn.Conv2d(given, channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.down = nn.Conv2d(given, channels, 1, stride) if stride != 1 else None

    def forward(self, x: Any) -> Any:
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + (self.down(x) if self.down is not None else x))


class ResNetLike(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, 1, 1)
        self.layer1 = nn.Sequential(Basic(16), Basic(16))
        self.layer2 = nn.Sequential(Basic(32, 2), Basic(32), Basic(32))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x: Any) -> Any:
        x = self.layer2(self.layer1(torch.relu(self.stem(x))))
        return self.fc(torch.flatten(self.pool(x), 1))


@pytest.fixture(scope="module")
def resnet() -> tuple[Any, Any]:
    torch.manual_seed(0)
    model = ResNetLike()
    return model, reader.read(model, torch.zeros(1, 3, 32, 32))


def test_resnet_like_residual_adds_are_skips_and_stages_repeat(resnet: tuple[Any, Any]) -> None:
    model, graph = resnet
    graph.validate()
    assert graph.nodes[0].op == "Input" and graph.nodes[0].shape == (3, 32, 32)
    adds = [n for n in graph.nodes if n.op == "Add"]
    assert len(adds) == 5  # one per block
    assert [a.shape for a in adds] == [(16, 32, 32)] * 2 + [(32, 16, 16)] * 3
    skips = [c for c in graph.connections if c.kind == "add"]
    assert len(skips) == 5 and all(graph.nodes[c.target].op == "Add" for c in skips)
    # the parameters are the module's (batch norm's running statistics are buffers, not counted)
    assert simplify.total_params(graph) == sum(p.numel() for p in model.parameters())
    # the module hierarchy: every block a group, inside its stage
    labels = {g.label: (g.first, g.last) for g in graph.groups}
    assert {"layer1 (Sequential)", "layer1.0 (Basic)", "layer2.2 (Basic)"} <= set(labels)
    assert labels["layer1 (Sequential)"][0] == labels["layer1.0 (Basic)"][0]
    # folded and collapsed: the stages are 2 and 3 residual blocks, each drawn once ×N
    collapsed = simplify.collapse(simplify.fold(graph), 1)
    assert [(g.label, g.repeat) for g in collapsed.groups] == [("Residual block", 2), ("Residual block", 3)]
    auto = nnsvg.from_torch(model, torch.zeros(1, 3, 32, 32), params=True)
    assert auto.spec.style == "blocks"  # a model that branches: its residual adds as lanes and ⊕
    assert sum(1 for layer in auto.spec.layers if layer.merge == "add") >= 2
    diagram = nnsvg.from_torch(model, torch.zeros(1, 3, 32, 32), style="lenet", params=True)
    assert diagram.spec.style == "lenet"
    assert [layer.token for layer in diagram.spec.layers] == ["3@32x32:3x3", "16@32x32", "16@32x32", "32@16x16",
                                                              "10"]
    # layer1: 2 × (2 × 3*3*16*16 + 2 × 2*16) = 9,344; layer2: its first block 3*3*16*32 + 3*3*32*32 +
    # 2 × 2*32 + (16*32 + 32) = 14,496, then 2 × 18,560: 51,616
    assert [layer.label for layer in diagram.spec.layers][2:4] == ["16@32x32 · Residual ×2 · 9.3K params",
                                                                  "32@16x16 · Residual ×3 · 52K params"]
    assert f"{sum(p.numel() for p in model.parameters()):,} parameters in total" in diagram.notes


def test_mlp_is_fcnn_with_the_modules_weights() -> None:
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Dropout(0.25), nn.Linear(3, 2), nn.Softmax(dim=1))
    w1, b1 = [[1.0, -0.5], [0.0, 2.0], [0.25, 0.5]], [0.5, 0.0, -0.25]  # out × in, as nn.Linear keeps them
    w2, b2 = [[4.0, -4.0, 1.0], [2.0, 1.0, 0.0]], [0.0, 1.0]
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(w1))
        model[0].bias.copy_(torch.tensor(b1))
        model[3].weight.copy_(torch.tensor(w2))
        model[3].bias.copy_(torch.tensor(b2))
    diagram = nnsvg.from_torch(model, torch.zeros(1, 2), edge_color="weight", bias=True)
    spec = diagram.spec
    assert spec.style == "fcnn" and [layer.size for layer in spec.layers] == [2, 3, 2]
    assert spec.activations == ["relu", "softmax"]
    transposed = [[list(col) for col in zip(*w, strict=True)] for w in (w1, w2)]  # in × out
    assert spec.weights == [[b1, *transposed[0]], [b2, *transposed[1]]]
    assert model.training  # the import switched it to eval and back


class Branchy(nn.Module):
    """Data-dependent control flow: torch.export cannot trace it."""

    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Linear(4, 8)
        self.b = nn.Linear(8, 3)
        self.scale = nn.Parameter(torch.ones(3))

    def forward(self, x: Any) -> Any:
        h = self.a(x)
        if h.sum() > 0:
            h = torch.relu(h)
        return self.b(h) * self.scale


def test_module_export_cannot_trace_is_drawn_from_hooks_with_a_note() -> None:
    model = Branchy()
    notes: list[str] = []
    graph = reader.read(model, torch.ones(1, 4), notes)
    assert [(n.name, n.op, n.shape, n.params) for n in graph.nodes] == [
        ("input", "Input", (4,), 3), ("a", "Dense", (8,), 40), ("b", "Dense", (3,), 27)]
    assert len(notes) == 1 and notes[0].startswith("torch.export could not trace the model (")
    assert notes[0].endswith("drawn from forward hooks on its 2 leaf module call(s): operations outside modules "
                             "(functional calls, additions) are not drawn")
    diagram = nnsvg.from_torch(model, torch.ones(1, 4), params=True)
    assert "70 parameters in total" in diagram.notes  # 4*8 + 8, 8*3 + 3 and the bare 3-element scale
    assert any(note.startswith("torch.export could not trace") for note in diagram.notes)


def test_exported_program_file_on_the_cli(cli: Cli, tmp_path: Path, resnet: tuple[Any, Any]) -> None:
    model, graph = resnet
    program = torch.export.export(model.eval(), (torch.zeros(1, 3, 32, 32),))
    torch.export.save(program, str(tmp_path / "r.pt2"))
    code, _, err = cli("import", tmp_path / "r.pt2", "--style", "lenet", "--params", "-o", tmp_path / "r.svg",
                       "--save-spec", tmp_path / "r.yaml")
    assert code == 0, err
    assert nnsvg.load(tmp_path / "r.yaml").spec.layers[2].label == "16@32x32 · Residual ×2 · 9.3K params"
    assert [n.op for n in reader.read_file(tmp_path / "r.pt2").nodes] == [n.op for n in graph.nodes]
    (tmp_path / "m.pt").write_bytes(b"\x80\x02}q\x00.")
    code, _, err = cli("import", tmp_path / "m.pt", "-o", tmp_path / "m.svg")
    assert code == 2 and err.count("\n") == 1 and "a .pt file is a pickle or TorchScript" in err
    (tmp_path / "bad.pt2").write_bytes(b"PK\x03\x04 truncated")
    code, _, err = cli("import", tmp_path / "bad.pt2", "-o", tmp_path / "m.svg")
    assert code == 2 and err.count("\n") == 1 and "is not an ExportedProgram" in err, err


def test_bad_arguments_are_spec_errors() -> None:
    with pytest.raises(nnsvg.SpecError, match=r"expected a torch\.nn\.Module"):
        nnsvg.from_torch("model.pt", torch.zeros(1))
    with pytest.raises(nnsvg.SpecError, match="give an example input"):
        nnsvg.from_torch(nn.Linear(2, 2))
    with pytest.raises(nnsvg.SpecError, match=r"the model fails on the example input \(RuntimeError"):
        nnsvg.from_torch(Branchy(), torch.ones(1, 5))


def test_missing_torch_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cli: Cli,
                                   resnet: tuple[Any, Any]) -> None:
    """A live module needs torch; a saved program does not (its archive's JSON is read)."""
    program = torch.export.export(resnet[0].eval(), (torch.zeros(1, 3, 32, 32),))
    torch.export.save(program, str(tmp_path / "r.pt2"))
    real_import = builtins.__import__

    def blocked(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "torch" or name.startswith("torch."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", blocked)
    code, _, err = cli("import", tmp_path / "r.pt2", "--style", "lenet", "-o", tmp_path / "r.svg")
    assert code == 0, err
    with pytest.raises(nnsvg.SpecError, match=r"^reading this model needs the 'torch' package"):
        nnsvg.from_torch(object(), None)
