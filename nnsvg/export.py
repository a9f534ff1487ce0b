"""Export: the output options checked, a figure encoded in any format of the format table
(``nnsvg.formats``) by its backend (``nnsvg.backends``, each the one protocol
``formats.Backend``), imported only when used; and atomic file writes."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, cast

from . import formats
from .errors import ExportError
from .formats import Format, Written
from .scene import Scene
from .signals import held
from .text import clip, nearest, quote
from .units import PX_PER_IN

if TYPE_CHECKING:
    from .styles import Spec

MAX_SCALE = 100.0  # a PNG of 100× its px size is already 9600 dpi


def _positive(name: str, value: object, high: float) -> float:
    """A number above 0 and at most ``high`` (given as a number or its text), or an error
    naming the option and the value."""
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError
        number = float(value)
    except (ValueError, OverflowError):
        raise ExportError(f"{name}: expected a number above 0, got {value!r}") from None
    if not 0 < number <= high:
        raise ExportError(f"{name}: expected a number above 0 and at most {high:g}, got {value!r}")
    return number


def raster_scale(fmt: str | Format, scale: object = None, dpi: object = None,
                 names: tuple[str, str] = ("scale", "dpi")) -> float:
    """The pixels per px of ``fmt`` from ``scale`` or ``dpi`` (96 dpi = scale 1), each checked,
    and refused for a format that does not take it. ``names`` are the options' names as the
    user wrote them (``--scale`` on the command line)."""
    f = formats.get(fmt)
    if scale is not None and dpi is not None:
        raise ExportError(f"give {names[0]} or {names[1]}, not both")
    value = 1.0
    if scale is not None:
        value = _positive(names[0], scale, MAX_SCALE)
    if dpi is not None:
        value = _positive(names[1], dpi, MAX_SCALE * PX_PER_IN) / PX_PER_IN
    for option, given in zip(("scale", "dpi"), (scale, dpi)):
        if given is not None and option not in f.options:
            takers = [g.name.upper() for g in formats.FORMATS.values() if option in g.options]
            raise ExportError(f"{names[option == 'dpi']} applies to {' and '.join(takers)} output only, "
                              f"not {f.name.upper()} ({f.name.upper()} is {f.no_pixels})")
    return value


def check_flags(fmt: str | Format, flags: dict[str, object] | None, cli: bool = False) -> dict[str, bool]:
    """The flag options of the format table (``tex_standalone``, ``latex_labels``) as booleans,
    each known, true or false, and, when on, one that ``fmt`` takes; an ExportError naming the
    option (as its flag when ``cli``) otherwise."""
    f = formats.get(fmt)
    out: dict[str, bool] = {}
    for name, value in (flags or {}).items():
        option = formats.OPTIONS.get(name)
        if option is None or option.kind != "flag":
            known = [o.name for o in formats.OPTIONS.values() if o.kind == "flag"]
            raise ExportError(f"unknown output option {name!r}{nearest(str(name), known)}")
        shown = option.flag if cli else name
        if not isinstance(value, bool):
            raise ExportError(f"{shown}: expected true or false, got {quote(value)}")
        if value and name not in f.options:
            takers = [g.name.upper() for g in formats.FORMATS.values() if name in g.options]
            raise ExportError(f"{shown} applies to {' and '.join(takers)} output only, not {f.name.upper()}")
        out[name] = value
    return out


MAX_SIDE_PX = 32_767  # cairo's largest image surface side
MAX_PIXELS = 200_000_000  # 800 MB of pixels while drawing; a 600 dpi A0 poster is 140 megapixels


def check_raster(scene: Scene, fmt: str | Format, scale: float) -> tuple[int, int]:
    """The pixel size of ``scene`` as a raster at ``scale``, refused (before anything is drawn)
    when it is under 1 px or over the pixel budget, with the largest scale that would fit."""
    f = formats.get(fmt)
    page_width, page_height = scene.size()
    width, height = round(page_width * scale), round(page_height * scale)
    if width < 1 or height < 1:
        raise ExportError(f"a {f.name.upper()} at scale {scale:g} would be {width} × {height} px; "
                          f"raise --scale/--dpi (scale 1 = {page_width:g} × {page_height:g} px)")
    if width > MAX_SIDE_PX or height > MAX_SIDE_PX or width * height > MAX_PIXELS:
        fit = min(MAX_SIDE_PX / page_width, MAX_SIDE_PX / page_height,
                  (MAX_PIXELS / (page_width * page_height)) ** 0.5)
        raise ExportError(f"a {f.name.upper()} of {width:,} × {height:,} px is more than nnsvg draws (at most "
                          f"{MAX_SIDE_PX:,} px a side and {MAX_PIXELS // 10**6} megapixels); use --scale "
                          f"{fit:.3g} or less (--dpi {fit * PX_PER_IN:.0f}), or write SVG or PDF")
    return width, height


def encode(source: Scene | Spec, fmt: str | Format, *, path: str | os.PathLike[str] | None = None,
           scale: float = 1.0, flags: Mapping[str, bool] | None = None) -> Written:
    """The files of one output of ``source`` in ``fmt`` (a drawing's Scene, or the Spec for a
    format that reads the graph), by the backend the format table names (imported only when
    used): the output itself first, then any written beside it. SVG comes as a stream; the
    other formats are encoded already. ``path``: where the output goes, if to a file."""
    f = formats.get(fmt)
    if "scale" in f.options and isinstance(source, Scene):
        check_raster(source, f, scale)
    request = formats.Request(f, path, scale, flags or {})
    backend = cast(formats.Backend, import_module(f"{__package__}.backends.{formats.backend(f, request.flags)}"))
    return backend.encode(source, request)


def one_file(written: Written, fmt: str | Format) -> Iterable[bytes]:
    """The content of an output that is one file; an ExportError naming the files of one that
    is more (PDF with ``latex_labels``: its files need a name)."""
    if len(written) != 1:
        names = " and ".join(f"FILE{name.removeprefix('figure')}" for name, _ in written)
        raise ExportError(f"this {formats.get(fmt).name.upper()} output is {len(written)} files ({names}): give a "
                          "file name (-o FILE, or Diagram.save)")
    return written[0][1]


def draw(scene: Scene, fmt: str | Format, *, scale: float = 1.0) -> bytes:
    """The scene in a format written as one file, as bytes."""
    return b"".join(one_file(encode(scene, fmt, scale=scale), fmt))


# --- files --------------------------------------------------------------------------------

MAX_NAME_BYTES = 255  # a file name (not its folder) on every common file system


def check_target(path: object, what: str = "output") -> Path:
    """The output path, if a file can be written there; an ExportError naming ``what`` and the
    path otherwise (an empty name, a NUL, an unknown ``~user``, a name too long, a directory, a
    missing or read-only folder)."""
    if not isinstance(path, str | os.PathLike):
        raise ExportError(f"{what}: expected a file path, got {quote(path)}")
    text = os.fspath(path)
    if not isinstance(text, str):
        raise ExportError(f"{what}: expected a file path as text, got {quote(text)}")
    shown = clip(text)
    if not text.strip():
        raise ExportError(f"{what}: the file name is empty")
    if "\0" in text:
        raise ExportError(f"{what} {quote(text)}: a file name cannot hold a NUL character")
    try:
        target = Path(text).expanduser()
    except RuntimeError:  # ~user that does not exist
        raise ExportError(f"{what} '{shown}': no such user's home folder") from None
    if len(target.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise ExportError(f"{what} '{shown}': the file name is longer than {MAX_NAME_BYTES} bytes")
    try:
        if target.is_dir():
            raise ExportError(f"{what} '{shown}' is a directory")
        folder = target.parent
        if not folder.is_dir():
            raise ExportError(f"{what} '{shown}': folder '{clip(str(folder))}' does not exist")
    except OSError as exc:  # e.g. a folder name too long
        raise ExportError(f"{what} '{shown}': {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK):
        raise ExportError(f"{what} '{shown}': folder '{clip(str(folder))}' is not writable")
    return target


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _discard(fd: int, temp: str) -> None:
    """Close (when still open) and remove a temporary file that was not renamed into place."""
    with contextlib.suppress(OSError):
        if fd >= 0:
            os.close(fd)
    with contextlib.suppress(OSError):
        if temp:
            os.unlink(temp)


def write_atomic(path: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place: the
    old file stays whole until the new one is complete, and no partial file is left."""
    target = check_target(path)
    fd, temp = -1, ""
    try:
        # a signal held while the temporary file is made is delivered when the hold ends: inside
        # this try, so the file it made is removed
        with held():
            try:
                mode = target.stat().st_mode & 0o777 if target.exists() else _new_file_mode()
                fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
            except OSError as exc:
                raise ExportError(f"cannot write '{path}': {exc.strerror or exc}") from None
        with os.fdopen(fd, "wb") as handle:
            fd = -1  # the handle owns it now
            if isinstance(data, bytes):
                handle.write(data)
            else:  # chunks, produced while writing: a failure midway still leaves no trace
                for chunk in data:
                    handle.write(chunk)
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as exc:
        _discard(fd, temp)
        if isinstance(exc, OSError):
            raise ExportError(f"cannot write '{path}': {exc.strerror or exc}") from None
        raise
    return target


def to_stdout(chunks: Iterable[bytes]) -> None:
    """Write the figure to standard output; a closed, full or broken output is an ExportError."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        raise ExportError("standard output is closed; give -o FILE")
    try:
        sys.stdout.flush()
        for chunk in chunks:
            out.write(chunk)
        out.flush()
    except BrokenPipeError:
        _quiet_stdout()
        raise ExportError("standard output was closed before the whole figure was written (broken pipe)") from None
    except (OSError, ValueError) as exc:  # ValueError: the stream was closed
        _quiet_stdout()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is closed"
        raise ExportError(f"cannot write the figure to standard output: {reason}") from None


def _quiet_stdout() -> None:
    """Point standard output at the null device, so flushing it at exit cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
