"""The built wheel, installed into a fresh virtual environment outside the checkout, carries
its themes and renders with them."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(root / "dist"), str(REPO)], check=True)
    wheel = next((root / "dist").glob("nnsvg-*.whl"))
    env_dir = root / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True)
    # the runtime dependencies come from this environment, after the venv's own packages
    paths = [p for p in (*site.getsitepackages(), site.getusersitepackages()) if os.path.isdir(p)]
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "zz_outer_deps.pth").write_text("\n".join(paths) + "\n")
    return env_dir


def test_wheel_ships_themes_and_renders_paper(installed: Path, tmp_path: Path) -> None:
    python, script = installed / "bin" / "python", installed / "bin" / "nnsvg"
    where = subprocess.run([str(python), "-c", "import nnsvg.theme as t; print(t.themes_dir())"],
                           capture_output=True, text=True, check=True, cwd=tmp_path).stdout.strip()
    assert where.startswith(str(installed)), where
    assert {p.name for p in Path(where).glob("*.toml")} >= {"nnsvg.toml", "paper.toml", "dark.toml",
                                                            "colorblind.toml"}
    done = subprocess.run([str(script), "fcnn", "8", "12", "8", "--theme", "paper", "-o", "fig.pdf"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fig.pdf").read_bytes().startswith(b"%PDF")
    svg = subprocess.run([str(script), "fcnn", "3", "2", "--theme", "paper"], capture_output=True,
                         text=True, cwd=tmp_path, check=True).stdout
    assert "DejaVu Serif" in svg


def test_wheel_ships_the_editor_page(installed: Path, tmp_path: Path) -> None:
    python = installed / "bin" / "python"
    probe = ("import nnsvg.editor as e, importlib.resources as r; print(e.__file__); "
             "print(*[len(r.files('nnsvg.editor').joinpath(f).read_bytes()) for f, _ in e.ASSETS.values()])")
    where, sizes = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True,
                                  cwd=tmp_path).stdout.split("\n")[:2]
    assert where.startswith(str(installed)), where
    assert all(int(size) > 1000 for size in sizes.split()), sizes
