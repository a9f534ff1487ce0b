"""Reading HDF5 (a Keras archive's ``model.weights.h5``, a legacy Keras ``.h5`` file) without
trusting the file.

HDF5 lets a file point outside itself: an external link names another HDF5 file, a soft link
another path (which may loop), a dataset with external storage keeps its bytes in any file it
names (a secret, a FIFO that blocks forever), a virtual dataset maps other files' datasets, and
a dataset's filter may be a plugin HDF5 loads from disk. Keras writes none of these, so
``member`` follows hard links only, looking at a link's class before following it, and
``dataset`` checks a dataset's creation properties (no external storage, not virtual, only
HDF5's own filters) before anything of it is read: ``Refused`` otherwise. Whatever h5py raises
on a damaged file (OSError, RuntimeError, KeyError, ValueError, …) becomes ``Unreadable`` in
``opened``; its crashes and endless loops are ``isolate.run``'s, in which the callers read.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import SpecError
from ..reading import size_text
from ..text import clip, quote

# HDF5's own filters (deflate, shuffle, fletcher32, n-bit, scale-offset) and h5py's lzf: any other
# is a plugin HDF5 would look for on disk and load (szip too, where the library lacks it)
FILTERS = frozenset({1, 2, 3, 5, 6, 32000})
_LINKS = {"SoftLink": "a soft link (to another path, which may loop)",
          "ExternalLink": "an external link (to an object in another file)"}


class Refused(SpecError):
    """The file points outside itself; the message is a whole clause naming the object."""


class Unreadable(SpecError):
    """h5py failed on the file (it is damaged); the message is the reason."""


def reason(exc: BaseException) -> str:
    """What h5py said, on one short line."""
    text = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return f"{type(exc).__name__}: {clip(' '.join(text.split()), 100)}"


@contextmanager
def opened(source: Any) -> Iterator[Any]:
    """The HDF5 file in ``source`` (a file object), open for reading; any failure of h5py's
    inside the block is ``Unreadable``."""
    import h5py

    try:
        with h5py.File(source, "r") as handle:
            yield handle
    except SpecError:
        raise
    except Exception as exc:  # h5py raises many kinds on a damaged file, and nothing else happens here
        raise Unreadable(reason(exc)) from None


def member(group: Any, name: str) -> Any:
    """The object ``group`` links to as ``name`` (one path component), or None: followed only
    when the link is a hard link, the kind Keras writes."""
    import h5py

    if not name or "/" in name or name == ".":  # more than one link, or none
        return None
    link = group.get(name, getlink=True)
    if link is None:
        return None
    if not isinstance(link, h5py.HardLink):
        kind = _LINKS.get(type(link).__name__, "a user-defined link")
        raise Refused(f"HDF5 object {quote(_joined(group, name))} is {kind}; nnsvg follows only the hard links "
                      "Keras writes")
    return group[name]


class Tree:
    """The objects of a file by path, looked up link by link through ``member`` (each link once:
    a path's groups are remembered, so a thousand layers' paths cost a thousand lookups)."""

    def __init__(self, root: Any) -> None:
        self.found: dict[str, Any] = {"": root}

    def at(self, path: str) -> Any:
        """The object at ``path`` (below the root), or None."""
        import h5py

        parts = [p for p in path.split("/") if p]
        known = len(parts)
        while "/".join(parts[:known]) not in self.found:
            known -= 1
        current = self.found["/".join(parts[:known])]
        for k in range(known, len(parts)):
            current = member(current, parts[k]) if isinstance(current, h5py.Group) else None
            self.found["/".join(parts[: k + 1])] = current
        return current


def dataset(obj: Any) -> Any:
    """``obj`` when it is a dataset whose data is in this file; checked before anything of it is read."""
    import h5py

    if not isinstance(obj, h5py.Dataset):
        raise Unreadable(f"HDF5 object {quote(obj.name)} is not a dataset")
    plist = obj.id.get_create_plist()
    where = f"HDF5 dataset {quote(obj.name)}"
    if plist.get_external_count():
        raise Refused(f"{where} keeps its data in another file (external storage); nnsvg reads only the "
                      "file it is given")
    if plist.get_layout() == h5py.h5d.VIRTUAL:
        raise Refused(f"{where} is a virtual dataset (its data is in other files); nnsvg reads only the file it "
                      "is given")
    for index in range(plist.get_nfilters()):
        code = plist.get_filter(index)[0]
        if code not in FILTERS:
            raise Refused(f"{where} is encoded with HDF5 filter {code}, a plugin nnsvg does not load")
    return obj


def text_attribute(obj: Any, name: str, limit: int) -> str | None:
    """The text attribute ``name`` of ``obj`` (None when it has none), of at most ``limit``
    characters; the size of a fixed-length text is checked before it is read."""
    import h5py

    if name not in obj.attrs:
        return None
    attr = h5py.h5a.open(obj.id, name.encode())
    info = h5py.check_string_dtype(attr.dtype)
    if info is None or attr.shape not in ((), (1,)):
        raise Unreadable(f"HDF5 attribute {quote(name)} is not a text")
    if info.length is not None and info.length > limit:
        raise Unreadable(f"HDF5 attribute {quote(name)} is larger than {size_text(limit)}")
    value = obj.attrs[name]
    value = value.reshape(-1)[0] if hasattr(value, "reshape") else value
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    if len(text) > limit:
        raise Unreadable(f"HDF5 attribute {quote(name)} is larger than {size_text(limit)}")
    return text


def names_attribute(obj: Any, name: str, most: int, longest: int = 1000) -> list[str]:
    """The list of texts in attribute ``name`` of ``obj`` (empty when it has none): at most
    ``most`` of them, a fixed-length one at most ``longest`` bytes."""
    import h5py

    if name not in obj.attrs:
        return []
    attr = h5py.h5a.open(obj.id, name.encode())
    info = h5py.check_string_dtype(attr.dtype)
    shape = attr.shape
    if shape is None or shape == (0,):  # no names (an empty list is written as floats)
        return []
    if info is None or len(shape) > 1 or math.prod(shape) > most or (info.length or 0) > longest:
        raise Unreadable(f"HDF5 attribute {quote(name)} is not a list of at most {most:,} names")
    values = obj.attrs[name]
    values = values.reshape(-1).tolist() if hasattr(values, "reshape") else [values]
    return [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in values]


def _joined(group: Any, name: str) -> str:
    return f"{(group.name or '').rstrip('/')}/{name}"
