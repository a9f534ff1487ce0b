"""The manual (README.md and docs/): its option tables are made from the declarations and
checked like the gallery (``python -m nnsvg.manual --check``); every option of every style,
every output option, format and theme key is in it; its links lead somewhere; and every
``nnsvg`` command in its ``sh`` blocks runs."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import io
import json
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nnsvg import formats, manual, styles
from nnsvg.cli import HELP, main
from nnsvg.spec.base import BaseSpec
from nnsvg.spec.fields import options
from nnsvg.theme import theme_keys

from .conftest import REPO

DOCS = REPO / "docs"
PAGES = sorted(DOCS.glob("*.md"))
MANUAL = [REPO / "README.md", *PAGES]


def text(page: str) -> str:
    return (DOCS / page).read_text("utf-8")


# --- the generated tables ---------------------------------------------------------------------

def test_the_tables_of_the_manual_are_current() -> None:
    assert manual.build(DOCS, check=True) == []


def test_a_stale_table_is_reported_and_rebuilt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    page = docs / "fcnn.md"
    page.write_text(page.read_text("utf-8").replace("| `20` | node diameter |", "| `24` | node diameter |"))
    lenet = docs / "lenet.md"
    lenet.write_text(lenet.read_text("utf-8").replace("| `--gaps` |", "| `--gap` |"))
    before = {p.name: p.read_bytes() for p in docs.glob("*.md")}
    assert manual.main(["--check", "--dir", str(docs)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"stale: {docs / 'fcnn.md'}: the options:fcnn table is not current",
                   f"stale: {docs / 'lenet.md'}: the options:lenet table is not current",
                   f"error: 2 table(s) out of date (run `python -m nnsvg.manual`), 0 other problem(s) in {docs}"]
    assert {p.name: p.read_bytes() for p in docs.glob("*.md")} == before  # the check writes nothing
    assert manual.main(["--dir", str(docs)]) == 0
    assert {p.name: p.read_bytes() for p in docs.glob("*.md")} == {p.name: p.read_bytes() for p in PAGES}
    assert manual.main(["--check", "--dir", str(docs)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "the manual's tables are current"


def test_missing_and_broken_markers_are_reported(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    (docs / "rnn.md").unlink()
    page = docs / "formats.md"
    page.write_text(page.read_text("utf-8").replace("<!-- options:output:end -->", ""))
    extra = docs / "extra.md"
    extra.write_text("# x\n\n<!-- options:nothing:start -->\n<!-- options:nothing:end -->\n")
    problems = manual.build(docs, check=True)
    assert f"missing: {docs / 'rnn.md'} (it holds the tables rnn)" in problems
    assert f"markers: {page}: options:output has no end" in problems
    assert f"missing: {page}: no <!-- options:output:start --> … <!-- options:output:end --> markers" in problems
    assert f"unknown: {extra}: options:nothing is not a table nnsvg.manual makes" in problems
    assert not any(p.startswith("stale:") for p in problems)


def test_the_tables_follow_a_new_declaration(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new option is a new row without other work: the table is made from the fields."""
    cls = styles.STYLES["rnn"].spec_class()
    fields = {f.name: f for f in dataclasses.fields(cls)}
    meta = {**fields["delay"].metadata, "help": "a brand-new help text"}
    monkeypatch.setattr(fields["delay"], "metadata", meta)
    assert "a brand-new help text" in manual.TABLES["rnn"][1]()
    assert manual.build(DOCS, check=True) == [f"stale: {DOCS / 'rnn.md'}: the options:rnn table is not current"]


# --- everything declared is in the manual ---------------------------------------------------

def rows(page: str) -> str:
    """The table rows of a page (every line that starts with '|')."""
    return "\n".join(line for line in text(page).splitlines() if line.startswith("|"))


def test_every_option_of_every_style_is_in_the_manual() -> None:
    shared = options(BaseSpec)
    for name, style in styles.STYLES.items():
        for option in options(style.spec_class()):
            page = "specs-and-graphs.md" if option in shared and option not in manual.own_options(
                style.spec_class()) else f"{name}.md"
            flag = "--" + option.replace("_", "-")
            assert re.search(rf"^\| `{flag}`.*\| `{option}` \|", rows(page), re.M), (name, option, page)


def test_every_format_output_option_and_theme_key_is_in_the_manual() -> None:
    table = rows("formats.md")
    for fmt in formats.FORMATS.values():
        assert re.search(rf"^\| {fmt.name.upper()} \| " + " ".join(f"`{e}`" for e in fmt.extensions), table, re.M)
    for option in formats.OPTIONS.values():
        assert re.search(rf"^\| `{option.flag}` \| `{option.name}=` \|", table, re.M), option.name
    keys = rows("themes-and-fonts.md")
    for key in theme_keys():
        assert f"| `{key}` |" in keys, key


def test_every_flag_of_import_render_and_edit_is_in_the_manual() -> None:
    for command, page in (("import", "importers.md"), ("render", "specs-and-graphs.md"), ("edit", "editor.md")):
        for param in manual.command_params(command):
            for name in param.opts:
                if param.name not in formats.OPTIONS:
                    assert f"`{name}`" in rows(page), (command, name)


def test_the_python_api_page_names_every_public_name() -> None:
    import nnsvg
    from nnsvg.diagram import Diagram

    page = text("python-api.md")
    for name in nnsvg.__all__:
        assert f"`nnsvg.{name}" in page or f"`{name}`" in page or f"nnsvg.{name}(" in page, name
    public = [n for n in vars(Diagram) if not n.startswith("_")] + ["spec", "theme"]
    for name in public:
        assert re.search(rf"`{name}[`(]", page), name


def test_contributing_names_every_module() -> None:
    page = text("contributing.md")
    for path in sorted((REPO / "nnsvg").iterdir()):
        if path.name.startswith("_") or path.name == "data" or path.suffix not in (".py", ""):
            continue
        shown = f"nnsvg/{path.name}" + ("/" if path.is_dir() else "")
        assert shown in page or f"{path.stem}.py" in page, shown


def test_help_texts_name_every_format_and_spec_file(cli: Any) -> None:
    shown = {"tex": "TikZ", "dot": "DOT"}
    for fmt in formats.FORMATS:
        assert shown.get(fmt, fmt.upper()) in HELP, fmt
    code, out, _ = cli("render", "--help")
    from nnsvg.spec.files import FORMATS

    assert code == 0 and all(ext in " ".join(out.split()) for ext in FORMATS)


# --- links --------------------------------------------------------------------------------------

LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to
    hyphens, a repeated heading numbered."""
    found: set[str] = set()
    body = re.sub(r"^```.*?^```", "", page.read_text("utf-8"), flags=re.M | re.S)
    for heading in re.findall(r"^#{1,6} (.+)$", body, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        name, n = slug, 1
        while name in found:
            name, n = f"{slug}-{n}", n + 1
        found.add(name)
    return found


@pytest.mark.parametrize("page", MANUAL, ids=[p.name for p in MANUAL])
def test_every_relative_link_reaches_a_file_and_heading(page: Path) -> None:
    body = re.sub(r"^```.*?^```", "", page.read_text("utf-8"), flags=re.M | re.S)
    for target in LINK.findall(body):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        where = (page.parent / path).resolve() if path else page
        assert where.exists(), f"{page.name}: {target}"
        if anchor:
            assert where.suffix == ".md" and anchor in anchors(where), f"{page.name}: {target}"


def test_the_readme_links_every_page_and_the_index_too() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    index = text("index.md")
    for page in PAGES:
        if page.name != "index.md":
            assert f"](docs/{page.name}" in readme, page.name
            assert f"]({page.name}" in index, page.name


# --- every command runs -----------------------------------------------------------------------

FENCE = re.compile(r"^```sh\n(.*?)^```", re.M | re.S)
# lines of sh blocks that are not nnsvg commands, and why the tests do not run them
NOT_NNSVG = {
    "python3 -m venv .venv": "the README's set-up: .ci/run runs exactly these two lines",
    "pip install": "installs an optional extra; CI installs them (.ci/extras) before the tests",
    "python -c \"import torch; from mymodel import model;": "needs the reader's own module; the test makes "
                                                            "model.pt2 from a module of its own (inputs())",
}


def strip_comment(line: str) -> str:
    """A shell line without its comment: a '#' outside quotes that starts a word."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def lines_of(page: Path) -> Iterator[tuple[int, str]]:
    """(line number, logical line) of every command line in the page's sh blocks."""
    content = page.read_text("utf-8")
    for block in FENCE.finditer(content):
        number = content[:block.start(1)].count("\n") + 1
        pending, start = "", number
        for i, raw in enumerate(block.group(1).splitlines()):
            line = strip_comment(raw).rstrip()
            if not pending:
                start = number + i
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            whole = (pending + line).strip()
            pending = ""
            if whole:
                yield start, whole


def simple_commands(line: str) -> list[list[str]]:
    """A line split at ';' and '&&' into argument lists (a '> FILE' stays in its list)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
    lexer.whitespace_split = True
    lexer.commenters = ""
    out: list[list[str]] = [[]]
    for token in lexer:
        if token in (";", "&&"):
            out.append([])
        else:
            assert token not in ("|", "||", "<", "&"), f"no pipes or background jobs in a doc command: {line}"
            out[-1].append(token)
    return [argv for argv in out if argv]


def font_file() -> Path | None:
    """A real font file to stand for the docs' fonts/MyFont-Regular.otf."""
    for candidate in (Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
                      Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")):
        if candidate.is_file():
            return candidate
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.origin is not None:
        found = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        return found if found.is_file() else None
    return None


def needs(module: str) -> str | None:
    return None if importlib.util.find_spec(module) is not None else f"the {module} package is not installed"


def why_not_run(argv: list[str]) -> str | None:
    """Why an nnsvg command of the docs is not run here, or None: it is run."""
    args = argv[3:] if argv[:3] == ["python", "-m", "nnsvg"] else argv[1:]
    if args[:1] == ["edit"]:
        return ("`nnsvg edit` serves a page until Ctrl-C and opens a browser; tests/test_editor.py and "
                "tests/test_editor_browser.py run the editor")
    if args[:1] == ["import"] and len(args) > 1:
        suffix = Path(args[1]).suffix
        extra = {".onnx": needs("onnx"), ".pt2": needs("torch"), ".h5": needs("h5py")}.get(suffix)
        if extra:
            return f"importing {args[1]} needs an extra: {extra}"
    if any("fonts/MyFont-Regular.otf" in a for a in args) and font_file() is None:
        return "no font file on this machine to stand for fonts/MyFont-Regular.otf"
    return None


def classify(argv: list[str]) -> str:
    """'nnsvg', 'manual' or 'other' (a line of NOT_NNSVG)."""
    if argv[0] == "nnsvg" or argv[:3] == ["python", "-m", "nnsvg"]:
        return "nnsvg"
    if argv[:3] == ["python", "-m", "nnsvg.manual"]:
        return "manual"
    return "other"


def commands(page: Path) -> list[tuple[int, str, list[str]]]:
    return [(number, line, argv) for number, line in lines_of(page) for argv in simple_commands(line)]


ALL = [(page, number, line, argv) for page in MANUAL for number, line, argv in commands(page)]
NOT_RUN = [(page, number, argv, why) for page, number, _, argv in ALL
           if classify(argv) == "nnsvg" and (why := why_not_run(argv)) is not None]


def test_every_line_of_a_sh_block_is_a_command_run_or_a_known_exception() -> None:
    assert sum(classify(argv) == "nnsvg" for *_, argv in ALL) >= 100
    for page, number, line, argv in ALL:
        if classify(argv) == "other":
            assert any(line.startswith(prefix) for prefix in NOT_NNSVG), f"{page.name}:{number}: {line}"


@pytest.mark.parametrize("page, number, argv, why", NOT_RUN,
                         ids=[f"{p.name}:{n}" for p, n, _, _ in NOT_RUN])
def test_commands_not_run_say_why(page: Path, number: int, argv: list[str], why: str) -> None:
    pytest.skip(f"{page.name}:{number}: {shlex.join(argv)}: {why}")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files the docs' commands read and no earlier command of their page writes: a spec
    (fig.yaml), models (model.onnx, mlp.onnx, model.keras, mlp.keras, old_model.h5, model.pt2,
    each when its package is here), a font file; the gallery and docs/ are copied per page."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "fig.yaml").write_text("style: fcnn\nlayers: [8, 12, 8]\nbias: true\n", encoding="utf-8")
    font = font_file()
    if font is not None:
        (folder / "fonts").mkdir()
        shutil.copyfile(font, folder / "fonts" / "MyFont-Regular.otf")
    if needs("onnx") is None and needs("numpy") is None:
        onnx_models(folder)
    keras_models(folder)
    if needs("torch") is None:
        torch_model(folder / "model.pt2")
    return folder


def onnx_models(folder: Path) -> None:
    """model.onnx: a small CNN (conv, relu, pool, dense, softmax); mlp.onnx: a 4-3-2 MLP."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    def save(name: str, nodes: list[Any], shape: list[Any], out: int, inits: dict[str, Any]) -> None:
        graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", out])],
                                  [numpy_helper.from_array(np.asarray(v, np.float32), k) for k, v in inits.items()])
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(folder / name))

    rng = np.random.default_rng(0)
    save("model.onnx", [helper.make_node("Conv", ["x", "W", "B"], ["c"], kernel_shape=[5, 5]),
                        helper.make_node("Relu", ["c"], ["r"]),
                        helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
                        helper.make_node("Flatten", ["p"], ["f"]), helper.make_node("Gemm", ["f", "D"], ["z"]),
                        helper.make_node("Softmax", ["z"], ["y"])],
         ["batch", 1, 28, 28], 10, {"W": rng.normal(size=(8, 1, 5, 5)), "B": np.zeros(8),
                                    "D": rng.normal(size=(8 * 12 * 12, 10))})
    save("mlp.onnx", [helper.make_node("Gemm", ["x", "W1"], ["h"]), helper.make_node("Relu", ["h"], ["r"]),
                      helper.make_node("MatMul", ["r", "W2"], ["z"]), helper.make_node("Softmax", ["z"], ["y"])],
         ["batch", 4], 2, {"W1": rng.normal(size=(4, 3)), "W2": rng.normal(size=(3, 2))})


def keras_models(folder: Path) -> None:
    """model.keras (a CNN's config), mlp.keras (with its weights when h5py is here) and
    old_model.h5 (Keras 2's file, when h5py is here)."""
    from .test_import_keras import archive, cnn, mlp_layers, sequential

    shutil.move(cnn(folder), folder / "model.keras")
    if needs("h5py") is not None or needs("numpy") is not None:
        archive(folder / "mlp.keras", sequential("sequential", mlp_layers(), [2]))
        return
    import h5py
    import numpy as np

    archive(folder / "mlp.keras", sequential("sequential", mlp_layers(), [2]), {
        "layers/dense/vars/0": np.ones((2, 3), np.float32), "layers/dense/vars/1": np.zeros(3, np.float32),
        "layers/dense_1/vars/0": -np.ones((3, 2), np.float32), "layers/dense_1/vars/1": np.zeros(2, np.float32)})
    config = {"class_name": "Model", "config": {"name": "model", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "name": "in"}, "name": "in",
         "inbound_nodes": []},
        {"class_name": "Dense", "config": {"name": "hidden", "units": 3, "activation": "tanh"}, "name": "hidden",
         "inbound_nodes": [[["in", 0, 0, {}]]]}],
        "input_layers": [["in", 0, 0]], "output_layers": [["hidden", 0, 0]]}}
    with h5py.File(folder / "old_model.h5", "w") as f:
        f.attrs["model_config"] = json.dumps(config)


def torch_model(path: Path) -> None:
    """model.pt2: a small CNN as torch.export.save writes it (the docs' python -c line)."""
    import torch
    from torch import nn

    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 15 * 15, 10))
    torch.export.save(torch.export.export(model.eval(), (torch.zeros(1, 3, 32, 32),)), str(path))


def run(argv: list[str]) -> tuple[int, bytes, str]:
    """One nnsvg command in this process: (exit code, standard output's bytes, standard error)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.StringIO()
    redirect = None
    if ">" in argv:
        at = argv.index(">")
        argv, redirect = argv[:at], argv[at + 1]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        if classify(argv) == "manual":
            code = manual.main(argv[3:])
        else:
            code = main(argv[3:] if argv[0] == "python" else argv[1:])
        out.flush()
    data = out.buffer.getvalue()  # type: ignore[attr-defined]
    if redirect is not None:
        Path(redirect).write_bytes(data)
    return code, data, err.getvalue()


WITH_COMMANDS = [page for page in MANUAL if any(classify(argv) != "other" for _, _, argv in commands(page))]


@pytest.mark.parametrize("page", WITH_COMMANDS, ids=[p.name for p in WITH_COMMANDS])
def test_every_command_of_the_page_runs(page: Path, inputs: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's commands in order, in a folder of its own holding the inputs() files, the
    gallery (its specs and digit-3.png: "from the checkout") and docs/ (for nnsvg.manual)."""
    found = commands(page)
    shutil.copytree(inputs, tmp_path, dirs_exist_ok=True)
    if any("gallery" in " ".join(argv) for *_, argv in found):
        shutil.copytree(REPO / "gallery", tmp_path / "gallery", ignore=shutil.ignore_patterns("editor"))
    if any(classify(argv) == "manual" for *_, argv in found):
        shutil.copytree(DOCS, tmp_path / "docs")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["nnsvg"])
    failures = []
    for number, _line, argv in found:
        if classify(argv) == "other" or (classify(argv) == "nnsvg" and why_not_run(argv)):
            continue
        code, _, err = run(argv)
        if code != 0:
            failures.append(f"{page.name}:{number}: {shlex.join(argv)}\n  exit {code}: {err.strip()}")
    assert not failures, "\n".join(failures)


def test_a_failing_command_would_be_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The runner sees exit codes and writes redirected output: a bad command is not a pass."""
    monkeypatch.chdir(tmp_path)
    assert run(simple_commands("nnsvg fcnn 8 0 8 -o x.svg")[0])[0] == 2
    code, data, _ = run(simple_commands("nnsvg fcnn 3 4 2 > x.svg  # a comment")[0])
    assert code == 0 and (tmp_path / "x.svg").read_bytes() == data and data.startswith(b"<?xml")
    assert simple_commands(strip_comment("nnsvg fcnn 8 --set node.fill=#ffcc00 # x; y")) == [
        ["nnsvg", "fcnn", "8", "--set", "node.fill=#ffcc00"]]
    assert simple_commands("nnsvg a && nnsvg b; nnsvg c") == [["nnsvg", "a"], ["nnsvg", "b"], ["nnsvg", "c"]]


# --- the Python examples ------------------------------------------------------------------------

def python_blocks(page: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text(page), re.M | re.S)


def test_the_python_api_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fig.yaml").write_text("style: fcnn\nlayers: [3, 4, 2]\n", encoding="utf-8")
    blocks = python_blocks("python-api.md")
    assert len(blocks) == 2
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for code in blocks:
            exec(compile(code, "docs/python-api.md", "exec"), {})
    for name in ("net.pdf", "mnist.png", "fig.pdf", "up.svg", "x.svg", "a.pdf", "lstm.svg", "net.svg", "net.yaml"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert out.getvalue() == "direction: expected one of right, left, up, down, got 'sideways'\n"


def test_the_spec_and_theme_examples_are_valid(tmp_path: Path) -> None:
    """Every YAML block with a style is a spec that draws; every TOML block a theme that loads."""
    import yaml

    import nnsvg
    from nnsvg.theme import load_theme

    specs = [block for page in PAGES for block in re.findall(r"^```yaml\n(.*?)^```", page.read_text("utf-8"),
                                                              re.M | re.S)]
    assert len(specs) >= 4
    for block in specs:
        data = yaml.safe_load(block)
        if "style" in data:
            assert nnsvg.render(data).svg().startswith("<?xml"), block
    themes = re.findall(r"^```toml\n(.*?)^```", text("themes-and-fonts.md"), re.M | re.S)
    assert len(themes) == 1
    (tmp_path / "my.toml").write_text(themes[0], encoding="utf-8")
    assert load_theme(str(tmp_path / "my.toml")).description == "my lab's style"
