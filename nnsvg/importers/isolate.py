"""Running a reading task in a short-lived child process, so that a crash in a library's C code
costs the task, not nnsvg: HDF5 segfaults on some damaged files, and loops forever on others
(bit-flipped Keras ``.h5`` files do both, in reading a text attribute), which no check made in
Python beforehand can rule out.

``run(task)`` forks. The child lowers its limits (its address space, no core file), sends
nothing to the terminal, runs ``task()`` and writes its result (plain data, as JSON) or the
error it raised through a pipe, then ends. A long task calls ``progress()`` between its steps
(a byte down the pipe): the parent waits at most ``SECONDS`` for the next step or the end, so a
big model may take longer as a whole while a loop inside the library is stopped. A child killed
by a signal, stuck, out of memory or with more to say than ``OUTPUT`` bytes is a ``Crashed``
error saying which; an error of the task's own classes (``errors``) is raised
again here, the same class and message. Forking costs a few milliseconds: the child shares the
parent's memory (h5py already imported) until it writes. Where there is no fork (Windows),
the task runs in this process.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
import warnings
from collections.abc import Callable
from typing import Any, NoReturn

from ..errors import SpecError
from ..text import clip

SECONDS = 5.0  # for one step (a layer's variables) or a task without steps: real ones take milliseconds
MEMORY = 512 * 2**20  # the child's address space beyond the parent's: reading needs tens of MB (a 16 MB config,
# 100,000 weights); a damaged size field in a file must not make it allocate gigabytes
OUTPUT = 64 * 2**20  # the result's JSON: a config (at most 16 MB) and the weights drawn (about 2 MB)
_FAILED = 70  # the child's exit status when it could not even report (its result is not JSON)
_BEAT = b"\0"  # a step done (JSON never holds a raw NUL, so the result is what follows the beats)
_beats: list[Any] = [None, 0.0]  # in a child: the pipe's write end, and when it last beat


class Crashed(SpecError):
    """The child process crashed, ran out of time or memory: the message says which."""


def progress() -> None:
    """The running task is at a new step (a no-op outside a child; at most five beats a second)."""
    fd, last = _beats
    if fd is not None and time.monotonic() - last > 0.2:
        _beats[1] = time.monotonic()
        os.write(fd, _BEAT)


def run(task: Callable[[], Any], errors: tuple[type[SpecError], ...] = ()) -> Any:
    """``task()``'s result (JSON data: tuples come back as lists), computed in a forked child;
    ``Crashed`` when the child does not end well, or the task's error when it is one of
    ``errors`` (most specific first)."""
    if not hasattr(os, "fork"):
        return task()
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns when other threads exist: the child runs only the task and ends with
        # os._exit; a lock another thread held at the fork would make it time out, not hang
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(task, write_end, errors)
    os.close(write_end)
    status = None
    try:
        data = _collect(read_end)
        status = os.waitpid(pid, 0)[1]
    finally:
        os.close(read_end)
        if status is None:  # out of time, too much output, or this process was interrupted
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    return _outcome(status, data, errors)


def _child(task: Callable[[], Any], write_end: int, errors: tuple[type[SpecError], ...]) -> NoReturn:
    code = _FAILED
    try:
        _confine()
        _beats[0] = write_end
        payload: dict[str, Any]
        try:
            payload = {"result": task()}
        except MemoryError:
            payload = {"memory": True}
        except Exception as exc:
            known = next((c.__name__ for c in errors if isinstance(exc, c)), "")
            payload = {"error": known, "type": type(exc).__name__, "message": str(exc)}
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass")
        while data:
            data = data[os.write(write_end, data):]
        code = 0
    finally:
        os._exit(code)


def _confine() -> None:
    """The child's limits: nothing to the terminal, no core file, a bounded address space."""
    import faulthandler
    import resource

    for number in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C ends the child at once (the parent stops it too)
        with contextlib.suppress(ValueError, OSError):
            signal.signal(number, signal.SIG_DFL)
    faulthandler.disable()  # an expected crash prints no traceback on the parent's stderr
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    used = _address_space()
    if used is not None:
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        soft = used + MEMORY if hard == resource.RLIM_INFINITY else min(used + MEMORY, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    """This process's address space in bytes (Linux; None elsewhere, where RLIMIT_AS is not kept)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _collect(fd: int) -> bytes:
    """What the child writes, until it closes the pipe (it ended), within the size limit and
    with at most SECONDS between two steps."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if not select.select([fd], [], [], SECONDS)[0]:
            raise Crashed(f"reading it hung (no progress in {SECONDS:g} s)")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks).lstrip(_BEAT)
        size += len(chunk)
        if size > OUTPUT:
            raise Crashed(f"reading it gave more than {OUTPUT // 2**20} MB")
        chunks.append(chunk)


def _outcome(status: int, data: bytes, errors: tuple[type[SpecError], ...]) -> Any:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        raise Crashed(f"reading it crashed ({name})")
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or not data:
        raise Crashed(f"reading it ended with exit status {code}")
    payload = json.loads(data.decode("utf-8", "surrogatepass"))
    if "result" in payload:
        return payload["result"]
    if payload.get("memory"):
        raise Crashed(f"reading it needed more than {MEMORY // 2**20} MB")
    known = {c.__name__: c for c in errors}.get(payload["error"])
    if known is not None:
        raise known(payload["message"])
    raise Crashed(f"reading it failed ({payload['type']}: {clip(' '.join(payload['message'].split()), 80)})")
