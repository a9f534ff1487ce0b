"""LaTeX output: the TikZ backend (``-o fig.tex``), PDF with LaTeX labels (``--latex-labels``:
fig.pdf + fig.pdf_tex), the Unicode → LaTeX mapping of labels, and both compiled with pdflatex
when it is installed."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nnsvg
from nnsvg import spec as specs
from nnsvg.backends import latex, pdf_tex, tikz
from nnsvg.diagram import Diagram
from nnsvg.scene import Circle, Image, Polygon, Rect, Scene, Text
from nnsvg.scene import Path as PathPrim

from .conftest import REPO

Cli = Callable[..., tuple[int, str, str]]
GALLERY = sorted((REPO / "gallery" / "specs").glob("*.yaml"))
LENET = ["1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", "120", "84", "10"]
ALEXNET = ["224x224x3:11x11", "55x55x96:5x5", "27x27x256:3x3", "13x13x384:3x3", "13x13x384:3x3", "13x13x256",
           "4096", "4096", "1000"]


def texts(scene: Scene) -> list[Text]:
    return [p for p in scene.walk() if isinstance(p, Text)]


# --- the mapping -------------------------------------------------------------------------

@pytest.mark.parametrize(("label", "expected"), [
    ("Hidden Layer ∈ ℝ¹²", r"Hidden Layer $\in \mathbb{R}^{12}$"),
    ("Input Layer ∈ ℝ⁸", r"Input Layer $\in \mathbb{R}^{8}$"),
    ("h₁ = relu(W₁x + b₁)", r"$h_{1} = \mathrm{relu}(W_{1}x + b_{1})$"),
    ("ŷ = softmax(W₃h₂ + b₃)", r"$\hat{y} = \mathrm{softmax}(W_{3}h_{2} + b_{3})$"),
    ("h₁ = σ(W₁x + b₁)", r"$h_{1} = \sigma (W_{1}x + b_{1})$"),
    ("x ∈ ℝ³,  h ∈ ℝ⁵,  T = 4", r"$x \in \mathbb{R}^{3}, \quad h \in \mathbb{R}^{5}, \quad T = 4$"),
    ("z⁻¹", r"$z^{-1}$"),
    ("c₀⁽²⁾", r"$c_{0}^{(2)}$"),
    ("h", "$h$"),  # a lone letter is a variable
    ("Block A", "Block A"),  # but not beside words
    ("+1", "+1"),
    ("16@10x10", "16@10x10"),
    ("Conv ×2", r"Conv $\times 2$"),
    ("Input 32×32", r"Input $32\times 32$"),
    ("α → β", r"$\alpha \to \beta$"),
    ("a_b & 50% #1 {x} ~ ^ \\ <>|", r"a\_b \& 50\% \#1 \{x\} \textasciitilde{} \textasciicircum{} "
                                    r"\textbackslash{} \textless{}\textgreater{}\textbar{}"),
    ("Dropout …", r"Dropout \dots{}"),
    ("café", "café"),  # Latin-1 letters stay: LaTeX reads UTF-8
])
def test_labels_become_latex(label: str, expected: str) -> None:
    assert latex.to_latex(label) == expected


@pytest.mark.parametrize("label", [r"$h_t = \tanh(W h_{t-1} + U x_t)$", r"Output $\in \mathbb{R}^{10}$",
                                   r"$\mathbf{x}$ and $5\%$"])
def test_verbatim_latex_labels_are_kept(label: str) -> None:
    assert latex.verbatim(label) and latex.to_latex(label) == label
    scene = nnsvg.fcnn([{"size": 2, "label": label}, 2]).scene
    assert f"{{{label}}};" in tikz.tikz(scene)


@given(st.text(max_size=40))
def test_any_label_gives_balanced_latex(label: str) -> None:
    """Whatever the label (but verbatim LaTeX, the user's own), its LaTeX opens as many groups
    as it closes and as many formulas: one label cannot break the figure's file."""
    assume(not latex.verbatim(label))
    out = latex.to_latex(label)
    unescaped = re.sub(r"\\[{}$]", "", out.replace("\\\\", ""))
    depth = 0
    for c in unescaped:
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0, out
    assert depth == 0 and unescaped.count("$") % 2 == 0, out


def test_a_title_with_line_breaks_stays_one_comment_line() -> None:
    diagram = nnsvg.fcnn([2, 3])
    diagram.scene.title = "fcnn 2 3\n\\documentclass{x}"
    head = f"nnsvg {nnsvg.__version__}: fcnn 2 3 \\documentclass{{x}}"
    assert diagram.tikz().splitlines()[0] == f"% {head}"
    assert pdf_tex.pdf_tex(diagram.scene, "a.pdf").splitlines()[0] == f"%% {head}"


def test_one_dollar_is_a_dollar() -> None:
    assert not latex.verbatim(r"costs $5 \$ 6") and latex.to_latex("costs $5") == r"costs \$5"


# --- TikZ: structure, counted against the scene ------------------------------------------

def draw_commands(scene: Scene) -> int:
    """The \\draw and \\fill commands the scene takes: one per shape, a path of more than
    CHUNK segments one per CHUNK (bulk kinds: one segment a subpath), plus the background."""
    count = int(scene.background != "none")
    for item in scene.walk():
        if isinstance(item, PathPrim) and not isinstance(item.data, tuple):
            count += max(1, math.ceil(tikz.segments(item.data) / tikz.CHUNK))
        elif isinstance(item, Circle | Rect | Polygon | PathPrim):
            count += 1
    return count


def body(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if not line.startswith("%")]


@pytest.mark.parametrize("source", GALLERY, ids=lambda p: p.stem)
def test_tikz_of_every_gallery_figure_matches_its_scene(source: Path) -> None:
    diagram = nnsvg.load(source)
    scene = diagram.scene
    lines = body(diagram.tikz())
    cells = [line for line in lines if line.startswith("\\fill[fill={rgb,255:")]  # an image's pixels
    commands = [line for line in lines if re.match(r"\\(draw|fill)[\[ ]", line) and line not in cells]
    nodes = [line for line in lines if line.startswith("\\node[")]
    images = [p for p in scene.walk() if isinstance(p, Image)]
    assert len(nodes) == len(texts(scene))
    assert len(commands) == draw_commands(scene)
    assert sum(line.endswith("cells") for line in lines) == len(images)
    assert bool(cells) == bool(images)
    groups = [g.id for g in scene.groups if g.id]
    assert [line.split("% ")[1] for line in lines if line.startswith("\\begin{scope} % layer-")] == \
        [g for g in groups if g.startswith("layer-")]
    # every colour used is defined once, at the top, before the picture
    defined = re.findall(r"\\providecolor\{(\w+)\}\{HTML\}\{[0-9A-F]{6}\}%", "\n".join(lines))
    assert len(defined) == len(set(defined))
    start = lines.index(next(line for line in lines if line.startswith("\\begin{tikzpicture}")))
    assert all(not line.startswith("\\providecolor") for line in lines[start:])
    used = set(re.findall(r"\b(nnsvg[A-Za-z]+\d*)\b", "\n".join(lines[start:])))
    assert used == set(defined)


def test_tikz_places_texts_at_their_anchor_in_bp_at_the_printed_size() -> None:
    diagram = nnsvg.fcnn([3, 4, 2], width="3.5in", bias=True)
    scene = diagram.scene
    source = diagram.tikz()
    page, k = scene.page(), scene.unit_scale() * 0.75
    width, height = scene.size()
    assert abs(width * 0.75 - 252) < 0.01  # 3.5 in = 252 bp
    box = re.search(r"\\useasboundingbox \(0,0\) rectangle \(([\d.]+),([\d.]+)\);", source)
    assert box is not None and float(box[1]) == pytest.approx(252, abs=0.01)
    assert float(box[2]) == pytest.approx(height * 0.75, abs=0.01)
    anchors = {"start": "base west", "middle": "base", "end": "base east"}
    nodes = re.findall(r"\\node\[anchor=([a-z ]+), text=\w+, font=\\fontsize\{([\d.]+)bp\}\{[\d.]+bp\}"
                       r"\\selectfont\] at \(([-\d.]+),([-\d.]+)\) \{(.*)\};", source)
    assert len(nodes) == len(texts(scene)) > 0
    for text, (anchor, size, x, y, label) in zip(texts(scene), nodes):
        assert anchor == anchors[text.anchor]
        assert float(size) == pytest.approx(text.size * k, abs=0.01)
        assert float(x) == pytest.approx((text.x - page.x0) * k, abs=0.006)
        assert float(y) == pytest.approx((page.y1 - text.y) * k, abs=0.006)
        assert label == latex.to_latex(text.text)
    circles = [p for p in scene.walk() if isinstance(p, Circle)]
    first = re.search(r"\(([-\d.]+),([-\d.]+)\) circle\[radius=([\d.]+)\]", source)
    assert first is not None
    assert [float(v) for v in first.groups()] == pytest.approx(
        [(circles[0].cx - page.x0) * k, (page.y1 - circles[0].cy) * k, circles[0].r * k], abs=0.006)


def test_tikz_writes_dashes_opacity_arrowheads_and_line_styles() -> None:
    rnn = nnsvg.rnn([3, 5, 2], unroll=3).tikz()
    dash = nnsvg.rnn([3, 5, 2], unroll=3).theme.edge.recurrent_dash
    on, off = (float(v) * 0.75 for v in str(dash).replace(",", " ").split())
    assert f"dash pattern=on {tikz.fmt(on)}bp off {tikz.fmt(off)}bp" in rnn
    lenet = nnsvg.lenet(LENET)
    maps = [p for p in lenet.scene.walk() if isinstance(p, Rect | Polygon) and p.opacity == 0.8 and p.fill != "none"]
    lines = body(lenet.tikz())
    groups = [n for n, line in enumerate(lines) if line == "\\begin{scope}[transparency group, opacity=0.8]"]
    assert maps and len(groups) == len(maps)  # fill and stroke at 0.8 together, as SVG's opacity
    assert all(re.match(r"\\draw\[nnsvg(Map|Dense)Stroke, fill=nnsvg(Map|Dense)Fill", lines[n + 1])
               and "opacity" not in lines[n + 1]
               and lines[n + 2] == "\\end{scope}" for n in groups)
    arrows = nnsvg.fcnn([2, 3], arrowheads="solid")
    heads = [p for p in arrows.scene.walk() if isinstance(p, PathPrim) and p.fill != "none"]
    assert heads and all(h.data.closed for h in heads)  # type: ignore[union-attr]
    filled = [line for line in body(arrows.tikz()) if line.startswith("\\fill[") and "-- cycle" in line]
    assert len(filled) == len(heads) and filled[0].count("-- cycle") == 6  # one closed head per edge


def test_tikz_arcs_become_curves_that_end_where_the_arc_ends() -> None:
    from nnsvg.scene import ArcTo, MoveTo

    scene = nnsvg.fcnn([2, 2]).scene
    w = tikz.Writer(scene)
    half = "".join(w.path((MoveTo(0, 0), ArcTo(10, 10, 0, False, True, 20, 0))))
    assert half.count(".. controls") == 2 and half.endswith(w.xy(20, 0))
    # sweep 1 turns from +x towards +y (clockwise on the page): from the left end over the top,
    # y = -10 in the scene's y-down units, which is above the start in TikZ's y-up bp
    mid = [float(v) for v in re.findall(r"\.\. \(([-\d.]+),([-\d.]+)\)", half)[0]]
    assert mid == pytest.approx([float(v) for v in w.xy(10, -10)[1:-1].split(",")], abs=0.01)
    assert mid[1] > float(w.xy(0, 0)[1:-1].split(",")[1])


def test_big_paths_are_cut_into_commands_of_chunk_segments() -> None:
    diagram = nnsvg.fcnn([101, 101], max_nodes=0, labels=False)
    fan = [p for p in diagram.scene.walk() if isinstance(p, PathPrim) and tikz.segments(p.data) > 10_000]
    assert len(fan) == 1 and tikz.segments(fan[0].data) == 10_201
    lines = body(diagram.tikz())
    edges = [line for line in lines if line.startswith("\\draw[") and "--" in line]
    assert len(edges) == 11  # 10,201 segments in commands of at most 1,000
    assert sum(line.count(" -- ") for line in lines if " -- " in line and "circle" not in line) == 10_201


def test_too_big_for_tex_is_refused_pointing_to_latex_labels(cli: Cli, tmp_path: Path) -> None:
    diagram = nnsvg.fcnn([230, 230], max_nodes=0, labels=False)
    assert tikz.scene_segments(diagram.scene) > tikz.MAX_SEGMENTS
    with pytest.raises(nnsvg.ExportError, match=r"more than TeX's memory holds.*--latex-labels"):
        diagram.save(tmp_path / "big.tex")
    assert not (tmp_path / "big.tex").exists()
    code, _, err = cli("fcnn", "230", "230", "--max-nodes", "0", "-o", tmp_path / "big.tex")
    assert code == 2 and err.count("\n") == 1 and "--latex-labels" in err
    diagram.save(tmp_path / "big.pdf", latex_labels=True)  # the route it points to works
    assert (tmp_path / "big.pdf_tex").exists()


def test_images_are_cells_mapped_by_their_matrix() -> None:
    diagram = nnsvg.load(REPO / "gallery" / "specs" / "alexnet-digit-colorblind.yaml")
    image = next(p for p in diagram.scene.walk() if isinstance(p, Image))
    source = diagram.tikz()
    scope = re.search(r"\\begin\{scope\}\[cm=\{([^}]*)\}(, opacity=[\d.]+)?\] % image, (\d+) x (\d+) cells", source)
    assert scope is not None
    k, page = diagram.scene.unit_scale() * 0.75, diagram.scene.page()
    a, b, c, d, e, f = image.matrix
    numbers = [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", scope[1])]
    assert numbers == pytest.approx([a * k, -b * k, c * k, -d * k, (e - page.x0) * k, (page.y1 - f) * k], abs=0.006)
    assert int(scope[3]) <= tikz.IMAGE_CELLS and int(scope[4]) <= tikz.IMAGE_CELLS


def test_standalone_is_a_whole_document_and_flags_apply_to_their_format_only(cli: Cli, tmp_path: Path) -> None:
    whole = nnsvg.fcnn([2, 3]).tikz(standalone=True)
    assert whole.count("\\documentclass[border=0pt]{standalone}") == 1 and whole.rstrip().endswith("\\end{document}")
    assert nnsvg.fcnn([2, 3]).tikz().count("\\documentclass") == 0
    code, _, err = cli("fcnn", "2", "3", "-o", tmp_path / "x.pdf", "--tex-standalone")
    assert (code, err) == (2, "error: --tex-standalone applies to TEX output only, not PDF\n")
    code, _, err = cli("fcnn", "2", "3", "-o", tmp_path / "x.tex", "--latex-labels")
    assert (code, err) == (2, "error: --latex-labels applies to PDF output only, not TEX\n")
    code, _, err = cli("fcnn", "2", "3", "--latex-labels")  # standard output: SVG
    assert code == 2 and "not SVG" in err
    with pytest.raises(nnsvg.ExportError, match="tex_standalone applies to TEX output only, not SVG"):
        nnsvg.fcnn([2, 3]).save(tmp_path / "x.svg", tex_standalone=True)
    with pytest.raises(nnsvg.ExportError, match=r"is 2 files \(FILE.pdf and FILE.pdf_tex\)"):
        nnsvg.fcnn([2, 3]).to_bytes("pdf", latex_labels=True)
    with pytest.raises(nnsvg.ExportError, match="unknown output option 'tex_standalon'; did you mean"):
        nnsvg.fcnn([2, 3]).save(tmp_path / "x.tex", tex_standalon=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    code, _, err = cli("fcnn", "2", "3", "-o", tmp_path / "x.tex", "--tex-standalone")
    assert code == 0 and (tmp_path / "x.tex").read_text("utf-8") == whole
    _, out, _ = cli("fcnn", "--help")
    assert "--tex-standalone" in out and "--latex-labels" in out and ".tex" in out


def test_tikz_is_deterministic_and_the_cli_writes_what_the_api_gives(cli: Cli, tmp_path: Path) -> None:
    code, _, _ = cli("lenet", *LENET, "-o", tmp_path / "a.tex")
    assert code == 0
    text = (tmp_path / "a.tex").read_text("utf-8")
    assert text == nnsvg.lenet(LENET).tikz() == nnsvg.lenet(LENET).tikz()
    assert text.startswith("% nnsvg ") and "\\usepackage{tikz} and \\usepackage{amssymb}" in text


# --- PDF + LaTeX labels ------------------------------------------------------------------

@pytest.mark.parametrize("source", GALLERY, ids=lambda p: p.stem)
def test_pdf_tex_of_every_gallery_figure_puts_each_label(source: Path, tmp_path: Path) -> None:
    diagram = nnsvg.load(source)
    target = diagram.save(tmp_path / "fig.pdf", latex_labels=True)
    tex = (tmp_path / "fig.pdf_tex").read_text("utf-8")
    puts = re.findall(r"\\put\(([-\d.]+),([-\d.]+)\)\{(.*)\}%", tex)
    labels = texts(diagram.scene)
    assert len(puts) == len(labels) + 1 and puts[0] == ("0", "0", "\\includegraphics[width=\\unitlength]{fig.pdf}")
    page, k = diagram.scene.page(), diagram.scene.unit_scale() * 0.75
    width = page.width * k
    for text, (x, y, put) in zip(labels, puts[1:]):
        assert float(x) * width == pytest.approx((text.x - page.x0) * k, abs=0.01)
        assert float(y) * width == pytest.approx((page.y1 - text.y) * k, abs=0.01)
        assert put.endswith(f"\\smash{{{latex.to_latex(text.text)}}}}}")
        assert f"\\makebox(0,0)[{pdf_tex.ANCHORS[text.anchor]}]" in put
    import pdfplumber

    with pdfplumber.open(target) as pdf:
        assert not pdf.pages[0].chars  # the shapes only
        assert len(pdf.pages) == 1
        shown = (float(pdf.pages[0].width), float(pdf.pages[0].height))
    assert shown == pytest.approx((width, page.height * k), abs=0.01)  # the page of the PDF with its labels


def test_latex_labels_write_both_files_or_neither(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nnsvg.backends import cairo

    (tmp_path / "a.pdf").write_bytes(b"old pdf")
    (tmp_path / "a.pdf_tex").write_bytes(b"old tex")

    def broken(*args: object, **kwargs: object) -> bytes:
        raise nnsvg.ExportError("PDF drawing failed: out of memory")

    monkeypatch.setattr(cairo, "draw", broken)
    with pytest.raises(nnsvg.ExportError, match="out of memory"):
        nnsvg.fcnn([2, 3]).save(tmp_path / "a.pdf", latex_labels=True)
    monkeypatch.undo()
    assert (tmp_path / "a.pdf").read_bytes() == b"old pdf" and (tmp_path / "a.pdf_tex").read_bytes() == b"old tex"
    (tmp_path / "b.pdf_tex").mkdir()  # the second file cannot be written: the first is not either
    with pytest.raises(nnsvg.ExportError, match="is a directory"):
        nnsvg.fcnn([2, 3]).save(tmp_path / "b.pdf", latex_labels=True)
    assert not (tmp_path / "b.pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "a.pdf_tex", "b.pdf_tex"]


# --- compiled with pdflatex ---------------------------------------------------------------

PDFLATEX = shutil.which("pdflatex")
needs_pdflatex = pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed (CI installs it: "
                                    ".ci/apt-packages)")


def has_class(name: str) -> bool:
    kpsewhich = shutil.which("kpsewhich")
    return kpsewhich is not None and bool(subprocess.run([kpsewhich, name], capture_output=True).stdout.strip())


def compile_tex(folder: Path, name: str, source: str) -> Path:
    (folder / name).write_text(source, "utf-8")
    assert PDFLATEX is not None
    run = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", name], cwd=folder,
                         capture_output=True, text=True, timeout=300)
    errors = [line for line in run.stdout.splitlines() if line.startswith("!")]
    assert run.returncode == 0, errors or run.stdout[-2000:]
    return folder / name.replace(".tex", ".pdf")


def words(text: str) -> str:
    """Letters and digits only, accents and scripts plain (ℝ¹² → R12, ŷ → y)."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if c.isalnum())


def shows(page: str, label: str) -> bool:
    """Whether the page's characters hold the label's letters and digits together, in any
    order (TeX sets a superscript before the subscript under it: h₀⁽¹⁾ comes out as h10)."""
    want = words(label)
    if not want:
        return True
    if want in page:
        return True
    target = sorted(want)
    return any(sorted(page[i:i + len(want)]) == target for i in range(len(page) - len(want) + 1))


def page_text(pdf_path: Path) -> tuple[str, tuple[float, float], int]:
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        chars = "".join(c["text"] for c in page.chars)  # in the order TeX set them
        return words(chars), (float(page.width), float(page.height)), len(pdf.pages)


ONE_OF_EACH = [("lenet", ["lenet", *LENET]), ("fcnn", ["fcnn", "4", "6", "2", "--bias", "--formulas",
                                                       "--activations", "relu,softmax"]),
               ("alexnet", "gallery/specs/alexnet-digit-colorblind.yaml"),
               ("rnn", "gallery/specs/rnn-lstm-stack.yaml")]


def diagram_of(how: list[str] | str) -> Diagram:
    if isinstance(how, str):
        return nnsvg.load(REPO / how)
    style, *tokens = how
    layers = [t for t in tokens if not t.startswith("--")]
    options: dict[str, object] = {}
    if "--bias" in tokens:
        options["bias"] = True
    if "--formulas" in tokens:
        options["formulas"] = True
    if "--activations" in tokens:
        layers.remove("relu,softmax")
        options["activations"] = ["relu", "softmax"]
    return Diagram(specs.from_dict({"style": style, "layers": layers, **options}))


@needs_pdflatex
@pytest.mark.parametrize(("style", "how"), ONE_OF_EACH, ids=[s for s, _ in ONE_OF_EACH])
def test_tikz_compiles_with_only_tikz_and_amssymb(style: str, how: list[str] | str, tmp_path: Path) -> None:
    diagram = diagram_of(how)
    assert diagram.spec.style == style
    diagram.save(tmp_path / "fig.tex")
    document = ("\\documentclass{article}\n\\usepackage{tikz}\n\\usepackage{amssymb}\n\\pagestyle{empty}\n"
                "\\begin{document}\n\\input{fig.tex}\n\\end{document}\n")
    text, _, pages = page_text(compile_tex(tmp_path, "doc.tex", document))
    assert pages == 1
    for label in texts(diagram.scene):
        assert shows(text, label.text), label.text
    if has_class("standalone.cls"):  # the whole document: its page is the figure's printed size
        diagram.save(tmp_path / "whole.tex", tex_standalone=True)
        whole = compile_tex(tmp_path, "whole.tex", (tmp_path / "whole.tex").read_text("utf-8"))
        _, size, _ = page_text(whole)
        width, height = diagram.scene.size()
        assert size == pytest.approx((width * 0.75, height * 0.75), abs=0.05)


def test_colours_are_named_by_what_they_colour() -> None:
    volumes = nnsvg.load(REPO / "gallery" / "specs" / "alexnet-vgg-dark.yaml").tikz()
    names = dict(re.findall(r"\\providecolor\{(\w+)\}\{HTML\}\{(\w+)\}", volumes))
    assert {k: names[k] for k in ("nnsvgVolumeFill", "nnsvgVolumeTopFill", "nnsvgVolumeRightFill",
                                  "nnsvgBackground")} == {"nnsvgVolumeFill": "5D7299", "nnsvgVolumeTopFill": "7587A8",
                                                          "nnsvgVolumeRightFill": "4F6182", "nnsvgBackground": "1E1E2E"}
    lenet = dict(re.findall(r"\\providecolor\{(\w+)\}\{HTML\}\{(\w+)\}", nnsvg.lenet(LENET).tikz()))
    # the same black, a name for each thing it colours: captions recolour apart from outlines
    assert lenet["nnsvgCaptionText"] == lenet["nnsvgMapStroke"] == lenet["nnsvgOpText"] == "000000"
    assert (lenet["nnsvgMapFill"], lenet["nnsvgMapFill2"]) == ("A0A0A0", "E0E0E0")


@needs_pdflatex
def test_a_colour_defined_before_input_recolours_the_figure(tmp_path: Path) -> None:
    import pdfplumber

    diagram = nnsvg.fcnn([3, 4, 2])
    source = diagram.tikz()
    assert "\\providecolor{nnsvgLabelText}{HTML}{000000}%" in source
    assert source.count("text=nnsvgLabelText") == len(texts(diagram.scene))
    (tmp_path / "fig.tex").write_text(source, "utf-8")
    document = ("\\documentclass{article}\n\\usepackage{tikz}\n\\usepackage{amssymb}\n\\begin{document}\n"
                "\\definecolor{nnsvgLabelText}{HTML}{FF0000}\n\\input{fig.tex}\n\\end{document}\n")
    with pdfplumber.open(compile_tex(tmp_path, "doc.tex", document)) as pdf:
        letters = [c for c in pdf.pages[0].chars if c["text"].isalpha()]
    assert letters and all(tuple(c["non_stroking_color"]) == (1, 0, 0) for c in letters)


@needs_pdflatex
def test_tikz_at_a_printed_width_compiles_to_that_width(tmp_path: Path) -> None:
    """The issue's example at column width, measured without the standalone class: the picture
    boxed and the page made its size."""
    nnsvg.lenet(LENET, width="3.5in").save(tmp_path / "lenet.tex")
    document = ("\\documentclass{article}\n\\usepackage{tikz}\n\\usepackage{amssymb}\n\\pagestyle{empty}\n"
                "\\begin{document}\n\\setbox0=\\hbox{\\input{lenet.tex}}\n"
                "\\pdfpagewidth=\\wd0 \\pdfpageheight=\\dimexpr\\ht0+\\dp0\\relax\n"
                "\\hoffset=-1in \\voffset=-1in \\topmargin=0pt \\headheight=0pt \\headsep=0pt "
                "\\oddsidemargin=0pt \\parindent=0pt\n\\shipout\\box0\n\\end{document}\n")
    _, (width, _), _ = page_text(compile_tex(tmp_path, "doc.tex", document))
    assert width == pytest.approx(252, abs=0.05)  # 3.5 in in PostScript points


@needs_pdflatex
def test_alexnet_dims_latex_labels_compile_via_input(tmp_path: Path) -> None:
    diagram = nnsvg.alexnet(ALEXNET, dims=True)
    diagram.save(tmp_path / "a.pdf", latex_labels=True)
    document = ("\\documentclass{article}\n\\usepackage{graphicx}\n\\usepackage{xcolor}\n\\pagestyle{empty}\n"
                "\\begin{document}\n\\noindent\\input{a.pdf_tex}\n\\end{document}\n")
    text, _, pages = page_text(compile_tex(tmp_path, "doc.tex", document))
    assert pages == 1
    labels = texts(diagram.scene)
    assert len(labels) > 20
    for label in labels:
        assert shows(text, label.text), label.text
    if has_class("standalone.cls"):
        document = ("\\documentclass[border=0pt]{standalone}\n\\usepackage{graphicx}\n\\usepackage{xcolor}\n"
                    "\\begin{document}\n\\input{a.pdf_tex}\n\\end{document}\n")
        _, size, _ = page_text(compile_tex(tmp_path, "whole.tex", document))
        width, height = diagram.scene.size()
        assert size == pytest.approx((width * 0.75, height * 0.75), abs=0.05)
