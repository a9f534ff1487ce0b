"""Backends: one module per way of writing a figure, each the one protocol of
``nnsvg.formats`` (``encode(source, request) -> files``), registered in its format table, which
says which backend writes which file extension and what each reads:

- ``svg``: a Scene as SVG text (svgwrite), streamed;
- ``cairo``: a Scene drawn straight onto cairo surfaces as PDF, PNG, PS and EPS;
- ``tikz``: a Scene as a TikZ picture for LaTeX;
- ``pdf_tex``: a Scene as a PDF of its shapes (through ``cairo``) and a ``.pdf_tex`` of its labels;
- ``dot``: the network's graph (the spec, not a Scene) as GraphViz DOT.

Their helpers: ``opaque`` composes translucent paint into opaque colours for PostScript
(``cairo``); ``latex`` turns labels into LaTeX (``tikz``, ``pdf_tex``). ``mpl`` draws a Scene
into a Matplotlib Axes as artists (``Diagram.draw``): not a file format, so not in the table."""
