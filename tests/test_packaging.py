"""Packaging: every package nnsvg imports is declared in pyproject.toml, in its dependencies or
in the extra of the feature that imports it, not only installed because something else needs
it (cairocffi and Pillow once came only through cairosvg)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib

from .conftest import REPO

# the import name of a distribution whose name differs
DISTRIBUTION = {"PIL": "pillow", "yaml": "pyyaml", "fontTools": "fonttools"}
# the extra that declares an optional feature's packages, by the nnsvg modules that import them
EXTRAS = {"nnsvg/backends/mpl.py": "matplotlib", "nnsvg/importers/onnx.py": "onnx",
          "nnsvg/importers/onnx_file.py": "onnx", "nnsvg/importers/torch.py": "torch",
          "nnsvg/importers/keras.py": "keras", "nnsvg/importers/hdf5.py": "keras"}


def _type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(tree: ast.AST) -> set[str]:
    """The top-level names of the packages a module imports (anywhere but under TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            found |= {n for child in node.orelse for n in _imports(child)}
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        found |= _imports(node)
    return found


def _names(requirements: list[str]) -> set[str]:
    return {re.match(r"[A-Za-z0-9_.-]+", r).group(0).lower() for r in requirements}  # type: ignore[union-attr]


def test_every_imported_package_is_declared() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    needed = _names(project["dependencies"])
    extras = {name: _names(reqs) for name, reqs in project["optional-dependencies"].items()}
    missing = []
    for path in sorted((REPO / "nnsvg").rglob("*.py")):
        shown = path.relative_to(REPO).as_posix()
        declared = needed | extras.get(EXTRAS.get(shown, ""), set())
        for name in sorted(_imports(ast.parse(path.read_text("utf-8")))):
            if name in sys.stdlib_module_names or name == "nnsvg":
                continue
            if DISTRIBUTION.get(name, name).lower() not in declared:
                missing.append(f"{shown} imports {name}")
    assert not missing, missing


def test_the_test_route_keeps_its_own_dependency() -> None:
    """cairosvg is imported by the tests' reference route only: declared in the test extra."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    assert "cairosvg" not in _names(project["dependencies"])
    assert "cairosvg" in _names(project["optional-dependencies"]["test"])
    assert not any("import cairosvg" in p.read_text("utf-8") for p in (REPO / "nnsvg").rglob("*.py"))
