"""``Diagram``: a validated spec with its theme, rendered on demand and saved in any format."""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

from . import export, formats, physical, reading
from . import spec as specs
from .errors import ExportError, SpecError
from .scene import Scene
from .styles import Spec
from .text import shown_path
from .theme import Theme, load_theme

# what the file a figure was read from is, for the error that refuses to write over it
SPEC_FILE = "the spec file being rendered"
MODEL_FILE = "the model file being drawn"


class Diagram:
    """A figure: ``.svg()`` gives the SVG text, ``.save(path)`` writes SVG/PDF/PNG/EPS/PS/TikZ
    (or the network's graph as DOT) by the path's extension, and in Jupyter it displays itself."""

    def __init__(self, spec: Spec, theme: Theme | None = None, *, sources: Iterable[tuple[str, str]] = ()) -> None:
        self.spec = spec
        self.theme_files: list[Path] = []  # the theme files read for it (none for a theme given here)
        self.theme = theme if theme is not None else load_theme(spec.theme, spec.set, files=self.theme_files)
        self._scene: Scene | None = None
        self._svg: str | None = None
        self.import_notes: list[str] = []  # what a model import approximated (nnsvg.importers)
        # the files the spec was made from, each with what it is (SPEC_FILE, MODEL_FILE): given by
        # whoever read them (nnsvg.load, the model importers' functions, the command line)
        self.sources: list[tuple[str, str]] = list(sources)

    @property
    def scene(self) -> Scene:
        if self._scene is None:
            self._scene = physical.render(self.spec, self.theme)
        return self._scene

    @property
    def notes(self) -> list[str]:
        """What the renderer left out and why (e.g. weight labels on a big network), and what a
        model import approximated."""
        return [*self.import_notes, *self.scene.notes, *self.scene.page_notes]

    def inputs(self) -> list[tuple[str, str]]:
        """Every file this figure was made from, each with what it is: the spec or model file
        (``sources``), the theme file and the themes it starts from, a font file named in
        ``text.family``, the input image. ``save`` and ``save_spec`` write over none of them."""
        from .fonts import is_path, split_families

        themes = [("the theme file" if i == 0 else "a theme file it starts from (base)", os.fspath(p))
                  for i, p in enumerate(self.theme_files)]
        fonts = [("a font file named in text.family", name) for name in split_families(self.theme.text.family)
                 if is_path(name)]
        return [*self.sources, *themes, *fonts, *self.spec.input_files()]

    def _check_outputs(self, outputs: Iterable[tuple[str, str | os.PathLike[str]]]) -> None:
        """An ExportError when an output (``(what, path)``: "output", "save_spec") is one of the
        figure's ``inputs``, by any path: a link, ``..``, ``~``, a hard link."""
        inputs = self.inputs()
        for name, path in outputs:
            for what, source in inputs:
                if reading.same_file(os.fspath(path), source):
                    via = "" if os.fspath(path) == source else f" ({shown_path(source)})"
                    raise ExportError(f"{name} {shown_path(path)} is {what}{via}: writing it would replace that "
                                      "file; give another name")

    def svg(self) -> str:
        if self._svg is None:
            from .backends import svg

            self._svg = svg.to_svg(self.scene)
        return self._svg

    def _encode(self, fmt: formats.Format, scale: object, dpi: object, flags: dict[str, object], *,
                path: str | os.PathLike[str] | None = None, spec: str | os.PathLike[str] | None = None,
                output: Path | None = None) -> formats.Written:
        """The one encoder behind ``to_bytes``, ``save`` and ``encoded``: every check made first
        (the pixel size, the flag options, the ``output`` file and the ``spec`` file against the
        figure's inputs, the spec file's text), then the files of the output from the backend of
        ``fmt``, given the scene, or the spec for a format that reads the graph."""
        pixels = export.raster_scale(fmt, scale, dpi)
        given = export.check_flags(fmt, flags)
        outputs: list[tuple[str, str | os.PathLike[str]]] = [("output", output)] if output is not None else []
        if spec is not None:
            export.check_target(spec, "save_spec")
            outputs.append(("save_spec", spec))
        self._check_outputs(outputs)
        if spec is not None:
            self.spec_text(spec)
        source = self.spec if fmt.reads == "graph" else self.scene
        return export.encode(source, fmt, path=path, scale=pixels, flags=given)

    def to_bytes(self, fmt: str = "svg", *, scale: float | None = None,
                 dpi: float | None = None, **flags: Any) -> bytes:
        """The figure encoded as ``fmt`` (a name in ``nnsvg.formats.FORMATS``: svg, pdf, png,
        eps, ps, tex, dot); ``scale`` or ``dpi`` (96 = scale 1) size a PNG; ``flags`` are the flag
        options of ``nnsvg.formats.OPTIONS`` (``tex_standalone=True``)."""
        f = formats.get(fmt)
        return b"".join(export.one_file(self._encode(f, scale, dpi, flags), f))

    def tikz(self, standalone: bool = False) -> str:
        """The figure as a TikZ picture for LaTeX (a whole ``standalone`` document if asked):
        ``to_bytes("tex")`` as text."""
        return self.to_bytes("tex", tex_standalone=standalone).decode("utf-8")

    def save(self, path: str | os.PathLike[str], *, scale: float | None = None,
             dpi: float | None = None, spec: str | os.PathLike[str] | None = None, **flags: Any) -> Path:
        """Write the figure; the format comes from the extension (``nnsvg.formats``). ``scale``
        (or ``dpi``, 96 = scale 1) sizes PNG output; ``flags`` are the flag options of
        ``nnsvg.formats.OPTIONS`` (``tex_standalone=True`` for a .tex, ``latex_labels=True`` for
        a .pdf, which also writes FILE.pdf_tex); ``spec`` also writes the spec file that
        reproduces the figure. Everything is rendered before anything is written, and a file is
        replaced only when its new content is complete."""
        target = export.check_target(path)
        written = [(target.with_name(name), chunks) for name, chunks in
                   self._encode(formats.for_path(path), scale, dpi, flags, path=target, spec=spec, output=target)]
        for name, _ in written[1:]:  # the files beside it (FILE.pdf_tex)
            export.check_target(name)
        self._check_outputs(("output", name) for name, _ in written[1:])
        for name, chunks in written:
            export.write_atomic(name, chunks)
        if spec is not None:
            self.save_spec(spec)
        return target

    def encoded(self, fmt: str | formats.Format, *, scale: float | None = None, dpi: float | None = None,
                spec: str | os.PathLike[str] | None = None,
                path: str | os.PathLike[str] | None = None, **flags: Any) -> Iterator[bytes]:
        """The figure as chunks of ``fmt`` bytes, with every check done and everything that can
        fail on the input failed (the spec file for ``spec`` included) before the first chunk:
        SVG is streamed, the other formats are drawn whole. ``path``: the file they go to (a
        graph format names a theme file relative to it)."""
        f = formats.get(fmt)
        return iter(export.one_file(self._encode(f, scale, dpi, flags, path=path, spec=spec), f))

    def graph_bytes(self, fmt: str | formats.Format, path: str | os.PathLike[str] | None = None) -> bytes:
        """The network's graph in a format that writes the graph, not the drawing (DOT): its
        backend gets the spec; nothing is drawn."""
        f = formats.get(fmt)
        if f.reads != "graph":
            raise ExportError(f"{f.name.upper()} is a drawing, not the network's graph: use to_bytes")
        return b"".join(export.one_file(export.encode(self.spec, f, path=path), f))

    def spec_text(self, path: str | os.PathLike[str]) -> str:
        """The spec file text that reproduces this figure, for ``path``'s format."""
        return specs.dump(self.spec, path)

    def save_spec(self, path: str | os.PathLike[str]) -> Path:
        """Write the spec that reproduces this figure (YAML, TOML, JSON or GraphViz DOT by extension)."""
        export.check_target(path, "save_spec")
        self._check_outputs([("save_spec", path)])
        return export.write_atomic(path, self.spec_text(path).encode("utf-8"))

    def draw(self, ax: Any, *, background: bool = True, zorder: float = 1.0, fit: bool = True) -> list[Any]:
        """Draw the figure into a Matplotlib ``Axes`` as real artists (patches, one collection per
        bulk path such as a fan of edges, images, texts) and return them in painting order: the
        page's background rectangle first (when the theme has a background and ``background``),
        then one artist per primitive of the scene drawn. The Axes' limits become the page, its
        aspect equal, the y axis points down and its axis lines are off; line widths and font
        sizes follow the Axes' size whenever the figure is drawn (``nnsvg.backends.mpl``).

        ``fit`` (the default): a spec without ``width`` or ``height`` is laid out for the Axes'
        printed size (``at_size``, after the figure's layout engine has placed it), so its text
        prints at its point size (or the fit search's smaller one, at least 7 pt) in the saved
        PDF or PNG; an Axes too small for it is the ``SpecError`` of ``--width``. A spec with a
        ``width`` or ``height``, or ``fit=False``, is drawn as laid out (``scene``) and scaled
        into the Axes. ``zorder`` places the diagram among other artists of the Axes. Needs the
        ``nnsvg[matplotlib]`` extra."""
        from .backends import mpl

        scene = self.scene
        if fit and physical.Target.of(self.spec) is None:
            axis = getattr(ax, "axison", False)
            try:
                scene = self._fitted(mpl.axes_inches(ax))
            except SpecError:
                if axis:  # (turned off to measure the Axes: an Axes left as it was)
                    ax.set_axis_on()
                raise
        return mpl.draw(scene, ax, background=background, zorder=zorder)

    def _fitted(self, inches: tuple[float, float]) -> Scene:
        """The scene laid out for an Axes of ``inches`` (width, height): the ``--width`` and
        ``--height`` search, its error said for the Axes."""
        width, height = (math.floor(side * 10_000) / 10_000 for side in inches)  # what an SVG writes of inches
        try:
            return self.at_size(f"{width:g}in", f"{height:g}in").scene
        except SpecError as exc:
            raise SpecError(f"draw(ax): the Axes is {width:g} in × {height:g} in; {exc}; or draw(ax, fit=False) "
                            "scales the figure into the Axes, its text smaller than its size") from None

    def at_size(self, width: str | None, height: str | None = None) -> Diagram:
        """This figure laid out for a printed size (``width``, ``height`` as the spec keys take
        them: ``3.5in``, ``229.5pt``, a preset), with the same theme."""
        sized = dataclasses.replace(cast("Any", self.spec), width=width, height=height)
        return Diagram(sized, self.theme, sources=self.sources)

    def _repr_svg_(self) -> str:
        return self.svg()

    def __repr__(self) -> str:
        return f"<nnsvg.Diagram {self.scene.title!r} theme={self.theme.name!r}>"
