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
    assert "stale: " + str(folder / "fcnn-default.svg") + " does not match" in err
    assert "stale: " + str(folder / "fcnn-mnist-paper.png") + " is missing" in err
    assert cli("gallery", "--dir", folder)[0] == 0
    assert "stale:" not in cli("gallery", "--check", "--dir", folder)[2]  # (quality is the next test's)
    assert "Output Layer ∈ ℝ²" in (folder / "fcnn-default.svg").read_text()


def test_orphan_figure_is_reported(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "gallery"
    shutil.copytree(REPO / "gallery", folder)
    (folder / "specs" / "fcnn-default.yaml").unlink()
    code, _, err = cli("gallery", "--check", "--dir", folder)
    assert code == 1 and "fcnn-default.svg has no spec" in err


def test_a_figure_with_a_quality_problem_fails_the_check_like_a_stale_file(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "gallery"
    (folder / "specs").mkdir(parents=True)
    spec = folder / "specs" / "specks.yaml"
    # nodes 1 px across: specks, not circles, in any paper
    spec.write_text("style: fcnn\nlayers: [3, 4, 2]\nnode_diameter: 1\nlabels: false\n")
    assert cli("gallery", "--dir", folder)[0] == 0  # building writes the figure all the same
    code, _, err = cli("gallery", "--check", "--dir", folder)
    lines = err.splitlines()
    assert code == 1
    assert [line.split(": ")[:3] for line in lines[:-1]] == [
        ["quality", str(folder / "specks.svg"), "tiny"]] * 3  # one per layer of nodes
    assert "3 × circle (layer-0, node)" in lines[0]
    assert lines[-1] == ("error: 0 gallery file(s) out of date (run `nnsvg gallery`), "
                         "3 quality problem(s) in the figures")
    spec.write_text("style: fcnn\nlayers: [3, 4, 2]\nlabels: false\n")
    assert cli("gallery", "--dir", folder)[0] == 0
    assert cli("gallery", "--check", "--dir", folder)[:2] == (0, "gallery is current\n")
