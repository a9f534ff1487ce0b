"""nnsvg's one error family.

Every problem with the user's input or output is an ``NnsvgError`` (a ``ValueError``): the CLI
prints its message as one ``error: ...`` line and exits 2; the Python API lets it propagate.
"""

from __future__ import annotations


class NnsvgError(ValueError):
    """Base class of every error nnsvg raises on purpose; the message is one line: a line break
    inside a value it quotes is shown escaped (``\\n``), whichever code wrote the message."""

    def __init__(self, message: str = "") -> None:
        super().__init__(str(message).replace("\r", "\\r").replace("\n", "\\n"))


class SpecError(NnsvgError):
    """A layer token, spec file or style option is invalid."""


class ThemeError(NnsvgError):
    """A theme name, theme file, theme key or theme value is invalid."""


class ExportError(NnsvgError):
    """The output path, format or conversion failed."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived (raised by the command line's signal handlers): not an error in
    the input, so not an NnsvgError, and a BaseException so that nothing swallows it; every
    file being written is removed on the way out."""

    def __init__(self, name: str, code: int) -> None:
        super().__init__(name)
        self.name, self.code = name, code


def interruption(error: BaseException) -> Interrupted | None:
    """The ``Interrupted`` behind ``error``, when Python wrapped the signal's exception in
    another (class creation turns one raised in ``__set_name__`` into a RuntimeError)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, Interrupted):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
