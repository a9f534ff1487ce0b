"""PDF with LaTeX labels (``-o fig.pdf --latex-labels``): ``fig.pdf`` holds the shapes only (the
scene without its texts, drawn by the cairo backend on the same page), and ``fig.pdf_tex`` puts
every label over it, typeset by LaTeX with the document's font and math.

``fig.pdf_tex`` follows Inkscape's PDF+LaTeX convention, so what works for Inkscape's files
works here: ``\\input{fig.pdf_tex}`` (needs ``\\usepackage{graphicx}``, ``\\usepackage{xcolor}``
and, for ``\\mathbb`` in the labels, ``\\usepackage{amssymb}``) draws a ``picture`` whose unit is
the figure's width (``\\unitlength``, the printed width unless ``\\svgwidth`` is defined: ``\\def\\svgwidth
{\\columnwidth}`` before ``\\input`` scales the drawing, not the labels); the PDF is placed
with ``\\includegraphics`` under its file name alone (so LaTeX looks for it where it looks for
graphics: ``\\graphicspath`` when the figure is in a folder), and each label is a ``\\put`` of a
``\\makebox(0,0)[lb]`` (``[b]``, ``[rb]`` for SVG's middle and end anchors) around the
``\\smash``-ed label at its baseline point, at the theme's size (``\\fontsize``), in its colour.
Labels become LaTeX as in the TikZ backend (``backends.latex``), and the figure is refused
where TeX's lengths end (``tikz.check_tex_size``).

The PDF's name is written into ``fig.pdf_tex``, so it must be one TeX reads as a file name:
``check_name`` refuses TeX's special characters, ``"``, control and invisible characters and
spaces TeX would merge or drop (a name with a line break would end the comment it is in and run
the next line; ``^^5c`` spells a backslash); letters of any script, digits, single spaces and
``. _ - + , = @ ( ) [ ] ! ? ' ;`` are written as they are (pdflatex of TeX Live 2022 reads them
in ``\\includegraphics`` and ``\\input``: ``tests/test_hostile_outputs.py`` compiles them).

Figures of any size stay cheap: the edges are in the PDF, TeX sees only the labels.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from ..errors import ExportError
from ..scene import Group, Primitive, Printed, Scene, Text
from ..text import shown_path
from ..units import PT_PER_PX
from ..version import __version__
from . import cairo
from .latex import one_line, to_latex
from .tikz import check_tex_size, fmt, font_size

if TYPE_CHECKING:
    from ..formats import Request, Written

ANCHORS = {"start": "lb", "middle": "b", "end": "rb"}
# what the PDF's name cannot hold: TeX's special characters (\ { } % # start a command, a group,
# a comment, a parameter; $ & ^ ~ are math, alignment, ^^ character codes and an active space)
# and " (LaTeX puts a name with spaces in "…")
NAME_REFUSED = frozenset('\\{}%#$&^~"')


def check_name(name: str) -> str:
    """The PDF's file name (without its folder) unchanged if TeX reads it as that file's name in
    ``\\includegraphics{…}``; an ExportError saying what it cannot hold otherwise."""
    what = next((f"the character '{c}' in a file name" for c in name if c in NAME_REFUSED), "")
    if not what:
        what = next((f"the character U+{ord(c):04X} in a file name ({unicodedata.category(c)}: a control, format or "
                     "space character)" for c in name if unicodedata.category(c)[0] in "CZ" and c != " "), "")
    if not what and (name != name.strip(" ") or "  " in name):
        what = "a space at the start or end of a file name, or two in a row (it reads them as one, or none)"
    if what:
        raise ExportError(f"output {shown_path(name)}: with LaTeX labels the PDF is named in "
                          f"{shown_path(name + '_tex')} (\\includegraphics), and TeX cannot take {what}; "
                          "rename the file (letters, digits, single spaces and . _ - + , = @ ( ) [ ] ! ? ' ; "
                          "work)")
    return name


def _without_text(group: Group) -> Group:
    children: list[Primitive | Group] = [_without_text(c) if isinstance(c, Group) else c
                                         for c in group.children if not isinstance(c, Text)]
    return Group(group.id, group.cls, children)


def shapes(scene: Scene) -> Scene:
    """The scene without its texts, on the same page (the page of a scene that is not laid out
    for a printed size is measured around its labels, so it is fixed here)."""
    page = scene.page()
    width, height = scene.size()
    printed = scene.printed or Printed(page, 1.0, "px", width, height)
    return Scene(scene.style, scene.background, scene.margin, [_without_text(g) for g in scene.groups],
                 scene.title, [], [], scene.flow, printed)


def _ratio(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pdf_tex(scene: Scene, pdf_name: str) -> str:
    """The LaTeX file that places every label of ``scene`` over ``pdf_name``; an ExportError
    when the name or the figure is one LaTeX cannot take."""
    check_name(pdf_name)
    check_tex_size(scene)
    page = scene.page()
    k = scene.unit_scale() * PT_PER_PX  # bp per drawing unit
    width, height = page.width * k, page.height * k
    title = f": {one_line(scene.title)}" if scene.title else ""  # one comment line
    lines = [
        f"%% nnsvg {__version__}{title}",
        f"%% The labels of {pdf_name}, typeset by LaTeX over it (Inkscape's PDF+LaTeX convention).",
        f"%% \\input{{{pdf_name}_tex}} where the figure goes; needs \\usepackage{{graphicx}}, "
        "\\usepackage{xcolor} and \\usepackage{amssymb}.",
        f"%% Printed size {fmt(width)} x {fmt(height)} bp; \\def\\svgwidth{{...}} before \\input scales the "
        "drawing (the labels keep their size).",
        "\\begingroup%",
        "  \\makeatletter%",
        "  \\providecommand\\color[2][]{%",
        "    \\errmessage{(nnsvg) the labels are coloured: \\string\\usepackage{xcolor} in the preamble}%",
        "    \\renewcommand\\color[2][]{}%",
        "  }%",
        "  \\ifx\\svgwidth\\undefined%",
        f"    \\setlength{{\\unitlength}}{{{fmt(width)}bp}}%",
        "    \\ifx\\svgscale\\undefined%",
        "      \\relax%",
        "    \\else%",
        "      \\setlength{\\unitlength}{\\unitlength * \\real{\\svgscale}}%",
        "    \\fi%",
        "  \\else%",
        "    \\setlength{\\unitlength}{\\svgwidth}%",
        "  \\fi%",
        "  \\global\\let\\svgwidth\\undefined%",
        "  \\global\\let\\svgscale\\undefined%",
        "  \\makeatother%",
        f"  \\begin{{picture}}(1,{_ratio(height / width)})%",
        f"    \\put(0,0){{\\includegraphics[width=\\unitlength]{{{pdf_name}}}}}%",
    ]
    for item in scene.walk():
        if not isinstance(item, Text):
            continue
        x = (item.x - page.x0) * k / width
        y = (page.y1 - item.y) * k / width
        r, g, b = (int(item.fill[i:i + 2], 16) / 255 for i in (1, 3, 5))
        color = f"\\color[rgb]{{{_ratio(r)},{_ratio(g)},{_ratio(b)}}}"
        box = f"\\makebox(0,0)[{ANCHORS.get(item.anchor, 'lb')}]"
        lines.append(f"    \\put({_ratio(x)},{_ratio(y)}){{{color}{box}{{{font_size(item.size * k)}"
                     f"\\smash{{{to_latex(item.text)}}}}}}}%")
    lines += ["  \\end{picture}%", "\\endgroup%"]
    return "\n".join(lines) + "\n"


def encode(scene: Scene, request: Request) -> Written:
    """The backend's entry point (``nnsvg.formats.Backend``): two files, ``request.name`` (the
    PDF of the shapes, drawn by the cairo backend) and ``request.name``_tex (the labels)."""
    name = request.name
    tex = pdf_tex(scene, name).encode("utf-8")  # first: what LaTeX cannot take is refused before drawing
    return [(name, [cairo.draw(shapes(scene), "pdf")]), (f"{name}_tex", [tex])]
