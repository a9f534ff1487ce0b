"""Hostile outputs (issue 24): what an output's name or a label can make of the LaTeX files nnsvg
writes (TeX run by a file name or a label, TeX's length limit, the packages a header names), and
outputs that are the run's own inputs. Each refusal is one error line, exit 2, nothing written,
every input unchanged byte for byte."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg import formats, units
from nnsvg import spec as specs
from nnsvg.backends import latex, pdf_tex, tikz
from nnsvg.diagram import Diagram
from nnsvg.scene import Text

from .test_tikz import PDFLATEX, has_class, needs_pdflatex, page_text

Cli = Callable[..., tuple[int, str, str]]


def listing(folder: Path) -> list[tuple[str, str]]:
    """Every entry under ``folder`` with what it is (a link with its target): a refusal changes none."""
    out = []
    for path in sorted(folder.rglob("*")):
        kind = f"link to {os.readlink(path)}" if path.is_symlink() else "dir" if path.is_dir() else "file"
        out.append((str(path.relative_to(folder)), kind))
    return out


def refused(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2 and out == "" and err.startswith("error: ") and err.count("\n") == 1, (code, out, err)
    for word in words:
        assert word in err, (word, err)


def pdflatex(folder: Path, name: str, source: str) -> tuple[int, list[str]]:
    """``pdflatex -shell-escape`` on ``source`` in ``folder`` (so that a label or a name that
    could run a command would): the exit code and TeX's error lines."""
    (folder / name).write_text(source, "utf-8")
    assert PDFLATEX is not None
    run = subprocess.run([PDFLATEX, "-shell-escape", "-interaction=nonstopmode", "-halt-on-error", name],
                         cwd=folder, capture_output=True, text=True, timeout=300)
    return run.returncode, [line for line in run.stdout.splitlines() if line.startswith("!")]


PREAMBLE = {"tex": "\\usepackage{tikz}\\usepackage{amssymb}",
            "pdf_tex": "\\usepackage{graphicx}\\usepackage{xcolor}\\usepackage{amssymb}"}


def document(preamble: str, body: str) -> str:
    return (f"\\documentclass{{article}}\n{preamble}\n\\pagestyle{{empty}}\n\\begin{{document}}\n{body}\n"
            "\\end{document}\n")


# --- 4: the PDF's name in the .pdf_tex --------------------------------------------------------

# every character TeX cannot take in \includegraphics{…}, and control, format and space characters
# (a line break ends the header's comment line and runs the next), at the start, middle and end
BAD_CHARACTERS = [*sorted(pdf_tex.NAME_REFUSED), "\n", "\r", "\t", "\x0b", "\x1b", "\x7f", "\x85", "\u00a0",
                  "\u200b", "\u202e", "\u2028", "\u3000", "\ufeff"]
BAD_NAMES = [stem.format(c) + ".pdf" for c in BAD_CHARACTERS for stem in ("{}fig", "f{}ig", "fig{}")]
BAD_NAMES += [" fig.pdf", "  fig.pdf", "a  b.pdf", "a   b.pdf", "x\n\\immediate\\write18{touch pwned}.pdf",
              "x^^5cinput.pdf", "x\n\\input{secret}.pdf"]


@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_pdf_names_tex_cannot_take_are_refused_before_anything_is_written(cli: Cli, tmp_path: Path,
                                                                          name: str) -> None:
    code, out, err = cli("fcnn", "2", "3", "-o", tmp_path / name, "--latex-labels")
    refused(code, out, err, "with LaTeX labels the PDF is named in", "TeX cannot take", "rename the file")
    assert listing(tmp_path) == []
    with pytest.raises(nnsvg.ExportError, match="TeX cannot take"):
        nnsvg.fcnn([2, 3]).save(tmp_path / name, latex_labels=True)
    assert listing(tmp_path) == []
    nnsvg.fcnn([2, 3]).save(tmp_path / name)  # a PDF alone takes any name the file system does
    assert listing(tmp_path) == [(name, "file")]


# names TeX takes: letters of any script, digits, single spaces, _ and the other punctuation
GOOD_NAMES = ["a b.pdf", "fig_1.pdf", "_x_y_.pdf", "fig .pdf", "café au lait.pdf", "Ωmega_2.pdf", "日本 語.pdf",
              "fig.v2.final.pdf", "a-b+c,d=e@f.pdf", "(a)[b]!c?d'e;f.pdf", "a b c d e.pdf"]


@needs_pdflatex
def test_pdf_names_tex_takes_compile_through_the_documented_input(cli: Cli, tmp_path: Path) -> None:
    for name in GOOD_NAMES:
        assert pdf_tex.check_name(name) == name  # the rule takes them as they are
        code, _, err = cli("fcnn", "2", "3", "-o", tmp_path / name, "--latex-labels")
        assert code == 0, err
        header = (tmp_path / f"{name}_tex").read_text("utf-8").splitlines()[2]
        assert f"\\input{{{name}_tex}}" in header  # what the header tells the user to write
    body = "\n".join(f"\\noindent\\input{{{name}_tex}}\\par" for name in GOOD_NAMES)
    code, errors = pdflatex(tmp_path, "doc.tex", document(PREAMBLE["pdf_tex"], body))
    assert code == 0, errors
    assert "not found" not in (tmp_path / "doc.log").read_text("utf-8", "replace")
    _, _, pages = page_text(tmp_path / "doc.pdf")
    assert pages >= 1


# --- 4: labels -----------------------------------------------------------------------------

PAYLOADS = [r"\immediate\write18{touch MARK}", r"\input{/etc/hostname}", r"^^5cimmediate^^5cwrite18^^7btouch MARK^^7d",
            "%\n\\immediate\\write18{touch MARK}", "}\\immediate\\write18{touch MARK}{",
            "$\\immediate\\write18{touch MARK}", r"\csname immediate\endcsname\csname write18\endcsname{touch MARK}",
            "#1 & ~ _ ^ $ { } % \\ < > | …", "a\r\\immediate\\write18{touch MARK}",
            "a\n\nb\n\n\\par\\immediate\\write18{touch MARK}", "\t\\x\x85\u2028y"]
CONTEXTS = ["{}", "Layer {} ∈ ℝ⁸", "ℝ{}", "x {} = y"]  # alone, beside math words, inside one
# verbatim LaTeX of the allowed commands: written unchanged, and it compiles
ALLOWED_VERBATIM = [r"$h_t = \tanh(W h_{t-1} + U x_t)$", r"$\mathbf{x} \in \mathbb{R}^{n}$ and $\hat{y}$",
                    r"Loss $\mathcal{L} = -\sum_i y_i \log \hat{y}_i$", r"$\frac{1}{2}\|x\|^2$, $5\%$ \& more",
                    r"$\left(\sqrt{d_k}\right)\,\textbf{A}$ $\alpha \to \beta$"]


def hostile_labels(mark: Path) -> list[str]:
    labels = [context.format(payload.replace("MARK", str(mark))) for payload in PAYLOADS for context in CONTEXTS]
    assert not any(latex.verbatim(label) for label in labels)
    return labels + ALLOWED_VERBATIM


@needs_pdflatex
@pytest.mark.parametrize("route", ["tex", "pdf_tex"])
def test_hostile_labels_compile_under_shell_escape_and_run_nothing(tmp_path: Path, route: str) -> None:
    mark = tmp_path / "pwned"
    labels = hostile_labels(mark)
    diagram = nnsvg.draw("fcnn", [{"size": 1, "label": label} for label in labels], max_nodes=1)
    if route == "tex":
        diagram.save(tmp_path / "fig.tex")
        body = "\\noindent\\input{fig.tex}"
    else:
        diagram.save(tmp_path / "fig.pdf", latex_labels=True)
        body = "\\noindent\\def\\svgwidth{\\textwidth}\\input{fig.pdf_tex}"
    code, errors = pdflatex(tmp_path, "doc.tex", document(PREAMBLE[route], body))
    assert code == 0, errors
    assert not mark.exists() and not (tmp_path / "MARK").exists()
    text, _, _ = page_text(tmp_path / "doc.pdf")
    assert text.count("immediatewrite18touch") >= len(CONTEXTS) * 5  # typeset as text, not run
    assert "hostname" in text


VERBATIM_REFUSED = [(r"\immediate\write18{touch MARK}", "uses \\immediate"), (r"\write18{touch MARK}", "uses \\write"),
                    (r"\input{/etc/hostname}", "uses \\input"), (r"\openout1=x", "uses \\openout"),
                    (r"\csname write\endcsname", "uses \\csname"), (r"\def\x{y}", "uses \\def"),
                    (r"\special{x}", "uses \\special"), (r"\directlua{os.execute('touch MARK')}", "uses \\directlua"),
                    (r"\usepackage{shellesc}", "uses \\usepackage"), (r"\begin{filecontents}{x}", "uses \\begin"),
                    (r"\makeatletter", "uses \\makeatletter"), (r"\ShellEscape{touch MARK}", "uses \\ShellEscape"),
                    (r"\inputminted{python}{/etc/passwd}", "uses \\inputminted"), (r"\catcode`\~=0", "uses \\catcode"),
                    ("^^5cinput{x}", "holds ^^"), (r"\^^5cinput", "holds ^^"), ("x}", "closes a brace"),
                    ("{x", "opens a brace"), ("50% off", "unescaped %")]


@pytest.mark.parametrize("where", ["{} $x$ $y$", "$x {}$ $y$", "$x$ $y$ {}"])
@pytest.mark.parametrize(("payload", "why"), VERBATIM_REFUSED, ids=[p for p, _ in VERBATIM_REFUSED])
def test_verbatim_labels_that_could_run_or_read_are_refused(cli: Cli, tmp_path: Path, where: str, payload: str,
                                                            why: str) -> None:
    label = where.format(payload.replace("MARK", str(tmp_path / "pwned")))
    assert latex.verbatim(label)
    for output in (["-o", tmp_path / "fig.tex"], ["-o", tmp_path / "fig.pdf", "--latex-labels"]):
        code, out, err = cli("fcnn", "2", "3", "--label", label, "--label", "b", *output)
        refused(code, out, err, "the verbatim LaTeX label", why)
        assert listing(tmp_path) == []
    code, _, err = cli("fcnn", "2", "3", "--label", label, "--label", "b", "-o", tmp_path / "fig.svg")
    assert code == 0, err  # SVG shows the label as typed: nothing runs it


def test_a_trailing_backslash_in_a_verbatim_label_is_refused(cli: Cli, tmp_path: Path) -> None:
    for label in ("$x$ $y$\\", "$x$ $y$ \\\\\\", "$x$\\ $y$ \\"):
        code, out, err = cli("fcnn", "2", "3", "--label", label, "--label", "b", "-o", tmp_path / "fig.tex")
        refused(code, out, err, "ends with a backslash")
    assert latex.to_latex("$x$ $y$\\\\") == "$x$ $y$\\\\"  # an escaped backslash (a line break) is no lone one
    assert listing(tmp_path) == []


# --- 19: the packages the header names, and TeX's lengths -------------------------------------

@needs_pdflatex
@pytest.mark.parametrize("figure", [["fcnn", "8", "12", "8"], ["fcnn", "4", "6", "2", "--bias", "--formulas"],
                                    ["rnn", "4", "8", "2"]], ids="-".join)
def test_the_documented_preamble_compiles_the_default_output(cli: Cli, tmp_path: Path, figure: list[str]) -> None:
    """The packages each file's header names are the preamble it needs: the default labels use
    \\mathbb (ℝ⁸), which is amssymb's."""
    assert "amssymb" in formats.OPTIONS["latex_labels"].help
    for name, flags in (("fig.tex", []), ("fig.pdf", ["--latex-labels"])):
        code, _, err = cli(*figure, "-o", tmp_path / name, *flags)
        assert code == 0, err
        written = tmp_path / (name if name.endswith(".tex") else f"{name}_tex")
        header = "\n".join(line for line in written.read_text("utf-8").splitlines() if line.startswith("%"))
        packages = re.findall(r"\\usepackage\{(\w+)\}", header)
        assert "amssymb" in packages, header
        assert "\\mathbb" in written.read_text("utf-8")
        preamble = "".join(f"\\usepackage{{{p}}}" for p in packages)
        code, errors = pdflatex(tmp_path, "doc.tex", document(preamble, f"\\noindent\\input{{{written.name}}}"))
        assert code == 0, (written.name, packages, errors)


def label_width_bp(label: str) -> float:
    diagram = nnsvg.draw("fcnn", [{"size": 1, "label": label}, 1], max_nodes=1)
    text = next(t for t in diagram.scene.walk() if isinstance(t, Text) and t.text == label)
    return text.box.width * units.PT_PER_PX


@cache
def longest_label(char: str) -> int:
    """The most ``char``s a label may hold in a LaTeX output (bisected on the measured width)."""
    low, high = 1, 20_000
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if label_width_bp(char * mid) <= tikz.MAX_TEX_LABEL_BP else (low, mid)
    return low


@pytest.mark.parametrize("char", ["x", "W", "ℝ", "i"])
def test_labels_around_what_tex_can_set(cli: Cli, tmp_path: Path, char: str) -> None:
    """Beyond the bound a label is refused in both LaTeX routes (one line, exit 2, nothing
    written, quickly); labels of several lengths up to it compile in both (LaTeX's own font sets
    them wider or narrower than measured)."""
    bound = longest_label(char)
    for n in (bound + 1, bound + 50, 2 * bound, 10_000):
        for output in (["-o", tmp_path / "fig.tex"], ["-o", tmp_path / "fig.pdf", "--latex-labels"],
                       ["-o", tmp_path / "fig.tex", "--tex-standalone"]):
            start = time.process_time()
            code, out, err = cli("fcnn", "2", "3", "--label", char * n, "--label", "b", *output)
            refused(code, out, err, "bp wide, more than LaTeX can safely set", "shorten it")
            assert time.process_time() - start < 5
            assert listing(tmp_path) == []
    labels = [char * n for n in (bound // 4, bound // 2, bound - 1, bound)]
    diagram = nnsvg.draw("fcnn", [{"size": 1, "label": label} for label in labels], max_nodes=1)
    diagram.save(tmp_path / "fig.tex")
    diagram.save(tmp_path / "fig.pdf", latex_labels=True)
    if PDFLATEX is not None:
        for route, name in (("tex", "fig.tex"), ("pdf_tex", "fig.pdf_tex")):
            code, errors = pdflatex(tmp_path, "doc.tex", document(PREAMBLE[route], f"\\input{{{name}}}"))
            assert code == 0, (name, errors)


def page_bp(layers: int) -> float:
    return nnsvg.fcnn([1] * layers, labels=False).scene.size()[0] * units.PT_PER_PX


def test_pages_beyond_tex_lengths_are_refused_in_both_latex_routes(cli: Cli, tmp_path: Path) -> None:
    low, layers = 2, 1000  # the fewest layers whose page is too wide, bisected
    while layers - low > 1:
        mid = (low + layers) // 2
        low, layers = (low, mid) if page_bp(mid) > tikz.MAX_TEX_BP else (mid, layers)
    assert page_bp(layers - 1) <= tikz.MAX_TEX_BP < page_bp(layers)
    for n in (layers, layers + 1, 3 * layers):
        for output in (["-o", tmp_path / "fig.tex"], ["-o", tmp_path / "fig.pdf", "--latex-labels"]):
            code, out, err = cli("fcnn", *["1"] * n, "--no-labels", *output)
            refused(code, out, err, "larger than TeX's lengths reach", "Dimension too large", "--width")
            assert listing(tmp_path) == []
    code, _, err = cli("fcnn", *["1"] * (3 * layers), "--no-labels", "--width", "7in", "-o", tmp_path / "fig.tex")
    assert code == 0, err  # the way out the error names
    if PDFLATEX is not None:  # the widest page allowed compiles in both routes
        nnsvg.fcnn([1] * (layers - 1), labels=False).save(tmp_path / "wide.tex")
        nnsvg.fcnn([1] * (layers - 1), labels=False).save(tmp_path / "wide.pdf", latex_labels=True)
        for route, name in (("tex", "wide.tex"), ("pdf_tex", "wide.pdf_tex")):
            code, errors = pdflatex(tmp_path, "doc.tex", document(PREAMBLE[route], f"\\input{{{name}}}"))
            assert code == 0, (name, errors)
        if has_class("standalone.cls"):
            nnsvg.fcnn([1] * (layers - 1), labels=False).save(tmp_path / "whole.tex", tex_standalone=True)
            code, errors = pdflatex(tmp_path, "whole.tex", (tmp_path / "whole.tex").read_text("utf-8"))
            assert code == 0, errors


# --- 6: an output that is an input of the run -------------------------------------------------

SPEC_TEXT = {".yaml": "style: fcnn  # mine\nlayers: [2, 3]\n", ".yml": "style: fcnn  # mine\nlayers: [2, 3]\n",
             ".toml": 'style = "fcnn"  # mine\nlayers = [2, 3]\n', ".json": '{"style": "fcnn", "layers": [2, 3]}\n'}
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@cache
def model_bytes() -> bytes:
    onnx = pytest.importorskip("onnx")
    np = pytest.importorskip("numpy")
    from onnx import TensorProto, helper, numpy_helper

    inits = [numpy_helper.from_array(np.ones((3, 4), np.float32), "W")]
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "W"], ["y"])], "m",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])], inits)
    return bytes(onnx.helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString())


@cache
def png_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def write_input(kind: str, path: Path) -> list[object]:
    """Write an input of ``kind`` at ``path``; the command that reads it (its path as given)."""
    if kind == "spec":
        path.write_text(SPEC_TEXT.get(path.suffix, SPEC_TEXT[".yaml"]), "utf-8")
        return ["render", path]
    if kind == "dot":
        path.write_text(specs.dump(nnsvg.fcnn([2, 3]).spec, "x.dot"), "utf-8")
        return ["render", path]
    if kind == "model":
        path.write_bytes(model_bytes())
        return ["import", path]
    if kind == "theme":
        path.write_text('name = "mine"\nbase = "paper"\n', "utf-8")
        return ["fcnn", "2", "3", "--theme", path]
    if kind == "base":
        path.write_text('node.fill = "#ff0000"\n', "utf-8")
        top = path.parent / "top.toml"
        top.write_text(f"base = {json.dumps(str(path))}\n", "utf-8")
        return ["fcnn", "2", "3", "--theme", top]
    if kind == "image":
        path.write_bytes(png_bytes())
        return ["alexnet", "32x32x3", "10", "--input-image", path]
    assert kind == "font"
    path.write_bytes(FONT.read_bytes() if FONT.is_file() else b"not a font")
    return ["fcnn", "2", "3", "--set", f"text.family={path}, sans-serif"]


# the extensions an input's name may have (None: any name)
INPUT_NAMES: dict[str, tuple[str, ...] | None] = {
    "spec": (".yaml", ".yml", ".toml", ".json"), "dot": (".dot", ".gv"), "model": (".onnx",), "theme": None,
    "base": None, "image": None, "font": None}
# an output: its file's extension, and the options that write it given that file's path
OUTPUTS: dict[str, tuple[str, Callable[[str, Path], list[object]]]] = {
    **{ext: (f".{ext}", lambda p, _: ["-o", p]) for ext in ("svg", "pdf", "png", "eps", "ps", "tex", "dot", "gv")},
    "pdf_tex": (".pdf_tex", lambda p, _: ["-o", p.removesuffix("_tex"), "--latex-labels"]),
    **{f"save-spec{ext}": (ext, lambda p, d: ["--save-spec", p, "-o", d / "other.svg"])
       for ext in (".yaml", ".toml", ".json", ".dot")},
    "save-spec-stdout": (".yaml", lambda p, _: ["--save-spec", p]),
}
# how the output names the input: the same path; through .., ~, a relative path; or another
# name for the same file (the input read through a link, the output a link or a hard link)
SAME_NAME = ("same", "dotdot", "home", "relative", "input-via-link")
LINKS = ("symlink", "hardlink")


def matrix() -> list[tuple[str, str, str]]:
    cases = []
    for kind, names in INPUT_NAMES.items():
        for output, (ext, _) in OUTPUTS.items():
            same = names is None or ext in names
            cases += [(output, kind, via) for via in (*SAME_NAME, *LINKS) if same or via in LINKS]
    return cases


@pytest.mark.parametrize(("output", "kind", "via"), matrix(), ids="-".join)
def test_no_output_overwrites_an_input_of_the_run(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  output: str, kind: str, via: str) -> None:
    ext, options = OUTPUTS[output]
    names = INPUT_NAMES[kind]
    source = tmp_path / ("in" + (ext if names is None or ext in names else names[0]))
    command = write_input(kind, source)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    # ~ is tmp_path; caches (fontconfig's) stay where they were
    monkeypatch.setenv("XDG_CACHE_HOME", os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")))
    monkeypatch.setenv("HOME", str(tmp_path))
    target = {"same": str(source), "dotdot": str(tmp_path / "sub" / ".." / source.name), "home": f"~/{source.name}",
              "relative": source.name, "input-via-link": str(source)}.get(via, str(tmp_path / f"out{ext}"))
    if via == "input-via-link":
        link = tmp_path / "sub" / f"via{source.suffix}"
        link.symlink_to(source)
        command = [link if part == source else part for part in command]
        if kind == "base":  # the base theme named through the link
            (tmp_path / "top.toml").write_text(f"base = {json.dumps(str(link))}\n", "utf-8")
        if kind == "font":
            command[-1] = f"text.family={link}, sans-serif"
    elif via == "symlink":
        Path(target).symlink_to(source)
    elif via == "hardlink":
        os.link(source, target)
    before, content = listing(tmp_path), source.read_bytes()
    code, out, err = cli(*command, *options(target, tmp_path))
    refused(code, out, err, "writing it would replace that file; give another name")
    assert source.read_bytes() == content and listing(tmp_path) == before


def test_the_api_refuses_too_and_other_names_still_work(tmp_path: Path) -> None:
    dot = tmp_path / "net.dot"
    dot.write_text(specs.dump(nnsvg.fcnn([2, 3]).spec, dot), "utf-8")
    text = dot.read_text("utf-8")
    diagram = nnsvg.load(dot)
    for call in (lambda: diagram.save(dot), lambda: diagram.save(tmp_path / "x.svg", spec=dot),
                 lambda: diagram.save_spec(tmp_path / "." / "net.dot"), lambda: diagram.encoded("svg", spec=dot)):
        with pytest.raises(nnsvg.ExportError, match="is the spec file being rendered"):
            call()
    assert dot.read_text("utf-8") == text and sorted(p.name for p in tmp_path.iterdir()) == ["net.dot"]
    image = tmp_path / "face.png"
    image.write_bytes(png_bytes())
    drawn = nnsvg.alexnet(["32x32x3", "10"], input_image=str(image))
    assert ("the input image", str(image)) in drawn.inputs()
    with pytest.raises(nnsvg.ExportError, match="is the input image"):
        drawn.save(image)
    assert image.read_bytes() == png_bytes()
    theme = tmp_path / "t.toml"
    theme.write_text('base = "paper"\n', "utf-8")
    themed = Diagram(nnsvg.fcnn([2, 3], theme=str(theme)).spec)
    assert [what for what, _ in themed.inputs()] == ["the theme file", "a theme file it starts from (base)"]
    with pytest.raises(nnsvg.ExportError, match="is the theme file"):
        themed.save_spec(theme)
    diagram.save(tmp_path / "net.svg", spec=tmp_path / "copy.dot")  # any other name is written
    assert (tmp_path / "net.svg").exists() and (tmp_path / "copy.dot").exists()


def test_a_model_file_is_an_input_of_the_api_too(tmp_path: Path) -> None:
    model = tmp_path / "m.onnx"
    model.write_bytes(model_bytes())
    link = tmp_path / "m.svg"
    link.symlink_to(model)
    drawn = nnsvg.from_onnx(model)
    with pytest.raises(nnsvg.ExportError, match="is the model file being drawn"):
        drawn.save(link)
    assert model.read_bytes() == model_bytes() and link.is_symlink()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@pytest.mark.parametrize("data", [b"new", [b"n", b"e", b"w"]], ids=["bytes", "chunks"])
def test_a_signal_held_while_the_temporary_file_is_made_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int, data: bytes | list[bytes]) -> None:
    """The signal arrives while write_atomic holds signals back to make its temporary file: it is
    delivered when the hold ends, and the file it made is removed, the target untouched."""
    import tempfile

    from nnsvg import entry, export
    from nnsvg.errors import Interrupted

    made = tempfile.mkstemp

    def mkstemp_then_signal(*args: Any, **kwargs: Any) -> tuple[int, str]:
        result = made(*args, **kwargs)
        os.kill(os.getpid(), signum)  # pending: SIGINT and SIGTERM are blocked here
        return result

    target = tmp_path / "fig.svg"
    target.write_bytes(b"old")
    previous = {s: signal.signal(s, entry._raise) for s in (signal.SIGINT, signal.SIGTERM)}
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_signal)
    try:
        with pytest.raises(Interrupted):
            export.write_atomic(target, data)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.svg"]
