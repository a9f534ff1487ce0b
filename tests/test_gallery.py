from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from nnsvg.gallery import spec_files

from .conftest import REPO

Cli = Callable[..., tuple[int, str, str]]


def test_committed_gallery_is_current(cli: Cli) -> None:
    code, out, err = cli("gallery", "--check", "--dir", REPO / "gallery")
    assert code == 0, err
    assert out == "gallery is current\n"
    assert len(spec_files(REPO / "gallery")) >= 4


def test_gallery_covers_every_theme() -> None:
    text = "".join(p.read_text() for p in spec_files(REPO / "gallery"))
    for theme in ("paper", "dark", "colorblind"):
        assert f"theme: {theme}" in text


def test_stale_gallery_is_detected_and_rebuilt(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "gallery"
    shutil.copytree(REPO / "gallery", folder)
    spec = folder / "specs" / "fcnn-default.yaml"
    spec.write_text(spec.read_text().replace("[16, 12, 10, 1]", "[16, 12, 10, 2]"))
    (folder / "fcnn-mnist-paper.png").unlink()
    code, _, err = cli("gallery", "--check", "--dir", folder)
    assert code == 1
    assert "fcnn-default.svg does not match" in err and "fcnn-mnist-paper.png is missing" in err
    assert cli("gallery", "--dir", folder)[0] == 0
    assert cli("gallery", "--check", "--dir", folder)[0] == 0
    assert "Output Layer ∈ ℝ²" in (folder / "fcnn-default.svg").read_text()


def test_orphan_figure_is_reported(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "gallery"
    shutil.copytree(REPO / "gallery", folder)
    (folder / "specs" / "fcnn-default.yaml").unlink()
    code, _, err = cli("gallery", "--check", "--dir", folder)
    assert code == 1 and "fcnn-default.svg has no spec" in err
