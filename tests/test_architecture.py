"""The architecture, checked on the source: no import cycle, no import up the layers, no function
over 60 lines, no style renderer module over 500 lines.

The layers are declared once, in the table of docs/contributing.md ("Layers"); this test reads it.
Every module's imports are read from its syntax tree: imports inside functions and under
``TYPE_CHECKING`` count like the others, and ``from . import x`` is an import of the module
``x`` when there is one (of the package otherwise). Imports by name at run time
(``importlib.import_module``: the style registry's renderers, the format table's backends) are
not seen; they name modules of the layer that looks them up or a lower one.

What breaks a rule today is listed below (``*_DEBTS``). The lists only shrink: a new breach
fails, and so does a listed one that is gone, so whoever pays a debt removes its entry.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "nnsvg"
LAYERS_PAGE = REPO / "docs" / "contributing.md"

MAX_FUNCTION_LINES = 60
MAX_STYLE_MODULE_LINES = 500

# import cycles of today, each the set of modules that import one another (a strongly connected
# component of the import graph): remove a set when its cycle is gone, or replace it with what
# is left of it
CYCLE_DEBTS: list[set[str]] = []

# imports up the layers of today: (importer, imported)
LAYER_DEBTS: set[tuple[str, str]] = set()

# functions over MAX_FUNCTION_LINES lines of today ("path:qualified name")
LONG_FUNCTION_DEBTS: set[str] = set()

# parsers allowed over MAX_FUNCTION_LINES ("path:qualified name": why): a grammar read by one
# loop over its tokens reads better whole than split at arbitrary places. None today (DOT's
# tokenizer and parser, dot.Parser, are methods of fewer lines).
PARSERS: dict[str, str] = {}

# style renderer modules over MAX_STYLE_MODULE_LINES lines of today
LONG_STYLE_MODULE_DEBTS: set[str] = set()


# --- reading the source ---------------------------------------------------------------------------

def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(module: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """The package's modules that ``module`` imports, each with the line of the import."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for name in names:
            if name in modules and name != module:
                yield name, node.lineno


def import_graph() -> dict[str, dict[str, int]]:
    """module → {module it imports: line of the first such import}."""
    modules = module_files()
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        graph[module] = {}
        for target, line in imported(module, path, modules):
            graph[module].setdefault(target, line)
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def layer_rows() -> list[tuple[int, str, list[str]]]:
    """The layer table of docs/contributing.md: (number, name, module patterns), lowest first."""
    text = LAYERS_PAGE.read_text("utf-8")
    table = text.split("<!-- layers:start -->", 1)[1].split("<!-- layers:end -->", 1)[0]
    rows = []
    for line in table.splitlines():
        match = re.match(r"\|\s*(\d+)\s+([\w-]+)\s*\|(.*)\|\s*$", line)
        if match:
            rows.append((int(match[1]), match[2], re.findall(r"`([\w.*]+)`", match[3])))
    return rows


def layer_of(module: str, rows: list[tuple[int, str, list[str]]]) -> tuple[int, str] | None:
    """The layer of the row that names ``module`` most specifically (exactly, or by the longest
    ``package.*``), or None."""
    best: tuple[int, int, str] | None = None
    for number, name, patterns in rows:
        for pattern in patterns:
            if pattern == module:
                return number, name
            if pattern.endswith(".*") and module.startswith(pattern[:-1]):
                if best is None or len(pattern) > best[0]:
                    best = (len(pattern), number, name)
    return None if best is None else (best[1], best[2])


def where(module: str) -> str:
    path = module_files()[module]
    return str(path.relative_to(REPO))


# --- the checks -----------------------------------------------------------------------------------

def test_the_layer_table_is_well_formed() -> None:
    rows = layer_rows()
    assert rows, f"no layer table between <!-- layers:start --> and <!-- layers:end --> in {LAYERS_PAGE}"
    assert [n for n, _, _ in rows] == list(range(1, len(rows) + 1)), "layers are numbered 1, 2, 3, … lowest first"
    patterns = [p for _, _, row in rows for p in row]
    twice = sorted({p for p in patterns if patterns.count(p) > 1})
    assert not twice, f"named in two rows of the layer table (keep one): {', '.join(twice)}"


def test_every_module_has_a_layer() -> None:
    rows = layer_rows()
    missing = [m for m in module_files() if layer_of(m, rows) is None]
    assert not missing, ("modules no row of the layer table in docs/contributing.md names (add each to the "
                         "row of its layer): " + ", ".join(missing))


def a_cycle(component: set[str], graph: dict[str, dict[str, int]]) -> str:
    """One shortest round trip through a cycle's modules, each import with its file and line:
    ``a → b (nnsvg/a.py:3) → a (nnsvg/b.py:9)``."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(t for t in graph[node] if t in component):
            if nxt == start:
                trip = [*paths[node], start]
                return start + "".join(f" → {b} ({where(a)}:{graph[a][b]})" for a, b in pairwise(trip))
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    raise AssertionError(f"no cycle through {start}")


def test_no_import_cycle() -> None:
    graph = import_graph()
    found = cycles(graph)
    problems = []
    for component in found:
        if component not in CYCLE_DEBTS:
            problems.append(f"import cycle among {sorted(component)}: {a_cycle(component, graph)}. Break it: move "
                            "what both ends need into the lower module (or a new one below both), or pass it in")
    for debt in CYCLE_DEBTS:
        if debt not in found:
            left = [sorted(c) for c in found if c & debt]
            problems.append(f"the cycle {sorted(debt)} is gone: remove it from CYCLE_DEBTS in "
                            "tests/test_architecture.py" + (f" (what is left of it: {left}; list that instead)"
                                                            if left else ""))
    assert not problems, "\n".join(problems)


def test_no_import_up_the_layers() -> None:
    rows = layer_rows()
    graph = import_graph()
    found: dict[tuple[str, str], str] = {}
    for module, targets in graph.items():
        mine = layer_of(module, rows)
        for target, line in targets.items():
            theirs = layer_of(target, rows)
            if mine is not None and theirs is not None and theirs[0] > mine[0]:
                found[(module, target)] = (f"{module} (layer {mine[0]} {mine[1]}) imports {target} (layer "
                                           f"{theirs[0]} {theirs[1]}) at {where(module)}:{line}")
    problems = [f"{text}: a module never imports a higher layer; move the code it needs down to its layer (or "
                f"lower), or have the higher layer pass it in" for pair, text in sorted(found.items())
                if pair not in LAYER_DEBTS]
    problems += [f"{a} no longer imports {b} up the layers: remove {(a, b)} from LAYER_DEBTS in "
                 "tests/test_architecture.py" for a, b in sorted(LAYER_DEBTS - set(found))]
    assert not problems, "\n".join(problems)


def functions(path: Path) -> Iterator[tuple[str, int, int]]:
    """(qualified name, first line, line count) of every function and method in a file, nested
    ones included (``outer.inner``); the count runs from its ``def`` (or first decorator) to its
    last line, docstring and comments included."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, int, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                assert child.end_lineno is not None
                yield prefix + child.name, first, child.end_lineno - first + 1
                yield from walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(ast.parse(path.read_text("utf-8")), "")


def test_functions_are_short() -> None:
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for name, line, count in functions(path):
            key = f"{path.relative_to(REPO)}:{name}"
            if count > MAX_FUNCTION_LINES:
                found[key] = f"{key} (line {line}) has {count} lines"
    problems = [f"{text}, more than {MAX_FUNCTION_LINES}: split it into functions that each do one named step"
                for key, text in sorted(found.items()) if key not in LONG_FUNCTION_DEBTS and key not in PARSERS]
    problems += [f"{key} is no longer over {MAX_FUNCTION_LINES} lines (or is gone): remove it from "
                 "LONG_FUNCTION_DEBTS in tests/test_architecture.py"
                 for key in sorted(LONG_FUNCTION_DEBTS - set(found))]
    problems += [f"the parser {key} is no longer over {MAX_FUNCTION_LINES} lines (or is gone): remove it from "
                 "PARSERS in tests/test_architecture.py" for key in sorted(set(PARSERS) - set(found))]
    assert not problems, "\n".join(problems)


def test_style_renderer_modules_are_small() -> None:
    found: dict[str, int] = {}
    for path in sorted((PACKAGE / "renderers").glob("*.py")):
        lines = len(path.read_text("utf-8").splitlines())
        if path.name != "__init__.py" and lines > MAX_STYLE_MODULE_LINES:
            found[str(path.relative_to(REPO))] = lines
    problems = [f"{name} has {lines} lines, more than {MAX_STYLE_MODULE_LINES}: a style places and draws; move what "
                "is not that style's own (labels, skips, frames, legend) to the shared layout/ engines"
                for name, lines in sorted(found.items()) if name not in LONG_STYLE_MODULE_DEBTS]
    problems += [f"{name} is no longer over {MAX_STYLE_MODULE_LINES} lines (or is gone): remove it from "
                 "LONG_STYLE_MODULE_DEBTS in tests/test_architecture.py"
                 for name in sorted(LONG_STYLE_MODULE_DEBTS - set(found))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source, expected", [
    ("from . import scene\n", {"nnsvg.scene"}),  # a module
    ("from . import __version__\n", {"nnsvg"}),  # a name of the package
    ("from .scene import Text\n", {"nnsvg.scene"}),
    ("def f():\n    from .backends import svg\n", {"nnsvg.backends.svg"}),  # inside a function
    ("if TYPE_CHECKING:\n    from .theme import Theme\n", {"nnsvg.theme"}),  # for types only
    ("import nnsvg.units\n", {"nnsvg.units"}),
])
def test_the_scan_sees_every_kind_of_import(tmp_path: Path, source: str, expected: set[str]) -> None:
    path = tmp_path / "probe.py"
    path.write_text(source, "utf-8")
    modules = module_files()
    assert {name for name, _ in imported("nnsvg.probe", path, modules)} == expected


def test_the_cycle_finder_finds_a_cycle_through_three_modules() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert cycles(graph) == [{"a", "b", "c"}]


# --- what a small figure loads ---------------------------------------------------------------------

# libraries a small SVG never needs (each takes from tens of milliseconds to seconds to import), and
# nnsvg's modules for other styles, formats, inputs and commands
NOT_FOR_A_SMALL_SVG = ("torch", "onnx", "numpy", "h5py", "matplotlib", "cairo", "cairocffi", "cairosvg", "PIL",
                       "fontTools", "yaml", "nnsvg.importers", "nnsvg.editor", "nnsvg.gallery", "nnsvg.manual",
                       "nnsvg.quality", "nnsvg.outlines", "nnsvg.images", "nnsvg.dot", "nnsvg.layout.layered",
                       "nnsvg.backends.cairo", "nnsvg.backends.tikz", "nnsvg.backends.pdf_tex", "nnsvg.backends.mpl",
                       "nnsvg.renderers.lenet", "nnsvg.renderers.alexnet", "nnsvg.renderers.rnn",
                       "nnsvg.renderers.blocks", "nnsvg.spec.lenet", "nnsvg.spec.alexnet", "nnsvg.spec.blocks")


PROBE = """
import runpy, sys
sys.argv = ["nnsvg", *sys.argv[1:]]
try:
    runpy.run_module("nnsvg", run_name="__main__")  # as `python -m nnsvg`: the entry point, the CLI
except SystemExit as done:
    print(done.code, *sorted(sys.modules))
"""


def test_a_small_figure_imports_only_what_it_draws_with(tmp_path: Path) -> None:
    """``nnsvg fcnn 8 12 8 -o x.svg`` in a process of its own imports none of the heavy libraries
    nor nnsvg's modules for other work: start-up stays a small multiple of importing typer and
    svgwrite (bench/run.py measures it)."""
    import os
    import subprocess
    import sys

    path = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    command = [sys.executable, "-c", PROBE, "fcnn", "8", "12", "8", "-o", str(tmp_path / "x.svg")]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": path})
    code, *loaded = done.stdout.split()
    assert code == "0" and "nnsvg.renderers.fcnn" in loaded, done.stdout[:200]
    unneeded = [m for m in loaded if any(m == n or m.startswith(n + ".") for n in NOT_FOR_A_SMALL_SVG)
                and m.rpartition(".")[0] not in loaded]  # a package, not each of its modules
    assert not unneeded, (f"`nnsvg fcnn 8 12 8 -o x.svg` imports {', '.join(unneeded)}: import them inside the "
                          "function that needs them")
