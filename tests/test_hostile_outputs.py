"""Hostile outputs (issue 24): what an output's name or a label can make of the LaTeX files nnsvg
writes (TeX run by a file name or a label, TeX's length limit, the packages a header names).
Each refusal is one error line, exit 2, nothing written."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

import nnsvg
from nnsvg import formats
from nnsvg.backends import latex, pdf_tex, tikz
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
    return text.box.width * tikz.BP_PER_PX


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
    return nnsvg.fcnn([1] * layers, labels=False).scene.size()[0] * tikz.BP_PER_PX


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
