"""nnsvg's one error family.

Every problem with the user's input or output is an ``NnsvgError`` (a ``ValueError``): the CLI
prints its message as one ``error: ...`` line and exits 2; the Python API lets it propagate.
"""

from __future__ import annotations


class NnsvgError(ValueError):
    """Base class of every error nnsvg raises on purpose; the message is one line."""


class SpecError(NnsvgError):
    """A layer token, spec file or style option is invalid."""


class ThemeError(NnsvgError):
    """A theme name, theme file, theme key or theme value is invalid."""


class ExportError(NnsvgError):
    """The output path, format or conversion failed."""
