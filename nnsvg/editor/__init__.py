"""``nnsvg edit FILE``: a local web page that edits a spec file live.

The page (``page.html``, ``editor.js``, ``editor.css`` beside this module) shows the figure, a
panel of controls generated from the style's option declarations (``nnsvg.spec.fields``) and
the spec text. Every change goes to this server, which renders it through the same code as
``nnsvg render`` and, when the spec is valid, writes the file atomically; the file on disk is
always the last spec that rendered. Edits made to the file by another program reach every open
page by server-sent events, and so do the edits of another page.

The server is the standard library's (``http.server``): one thread per request, so a page's
event stream does not hold up its renders. Renders run one at a time; a render request that a
newer one from the same page has overtaken is answered ``stale`` without rendering, and a write
that a newer write has overtaken is skipped, so the file ends as the last edit. A request that
has waited ``RENDER_WAIT_SECONDS`` for another page's render is answered 503 (busy), so one
heavy spec holds up no other page for longer.

Safety: it listens on 127.0.0.1 only; every request needs the random token of the URL it prints
(compared in constant time); the Host header must be ``127.0.0.1:PORT`` or ``localhost:PORT``
(a DNS-rebinding page has its own host name there); a request with two of a header that these
checks read (Host, Origin, Content-Length...) is refused; so is an update whose JSON nests
deeper than ``MAX_JSON_DEPTH``; a POST from another origin is refused; the
only file it reads or writes is the spec file (and the theme file and image that spec names,
read by the spec's own validation); nothing is evaluated and nothing is run.
"""

from __future__ import annotations

import hmac
import itertools
import json
import os
import queue
import re
import secrets
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .. import export, formats, styles
from .. import spec as specs
from ..diagram import Diagram
from ..errors import NnsvgError, SpecError
from ..reading import read_regular
from ..spec import fields, files
from ..spec.base import BaseSpec
from ..text import clip, terminal

# the page's files: request name → (file beside this module, content type)
ASSETS = MappingProxyType({
    "": ("page.html", "text/html; charset=utf-8"),
    "editor.js": ("editor.js", "text/javascript; charset=utf-8"),
    "editor.css": ("editor.css", "text/css; charset=utf-8"),
})
# inline SVG needs style attributes; no script runs but editor.js (inline handlers are blocked)
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
MAX_BODY = files.MAX_SPEC_BYTES * 2 + 4096  # a spec's text (JSON-escaped) and its request fields
POLL_SECONDS = 0.2  # how often the spec file is looked at for edits made by other programs
# a request waits this long for another page's render before it is answered 503: the slowest
# valid spec (a blocks figure at its lane limit) draws in a few seconds
RENDER_WAIT_SECONDS = 10.0
# an update's JSON nests a few levels (FCNN's weights: numbers in rows in matrices in the spec
# in the update: 6); Python's parser runs out of stack near 1,000
MAX_JSON_DEPTH = 32
# one of each: a second Host, Origin, Content-Length... could say something else to a proxy or
# to a check than to the code that acts on the first
SINGLE_HEADERS = ("Host", "Origin", "Content-Length", "Content-Type", "Transfer-Encoding", "Referer")
KEEPALIVE_SECONDS = 15.0  # an event stream's comment line, so that a dead page is noticed


# --- what the controls are made from ------------------------------------------------------------

def _default(f: Any) -> Any:
    if f.default_factory is not MISSING:
        return f.default_factory()
    return None if f.default is MISSING else f.default


def controls() -> dict[str, Any]:
    """Everything the page builds its controls from, generated from the style registry, each
    spec class's option declarations (kind, the widget its kind object names, help, bounds,
    choices, default) and their JSON Schema, the built-in themes, the theme keys and the output formats."""
    from ..theme import builtin_names, describe_keys, load_theme

    shared = set(fields.options(BaseSpec))
    out: dict[str, Any] = {}
    for style in styles.STYLES.values():
        cls = style.spec_class()
        defaults = {f.name: _default(f) for f in cls.__dataclass_fields__.values()}
        options = [{"name": name, "kind": meta["kind"], "widget": fields.kind_of(meta).widget, "help": meta["help"],
                    "default": defaults[name], "schema": fields.json_type(meta), "shared": name in shared}
                   for name, meta in fields.options(cls).items()]
        layer = next(v for v in cls.layer_schema["oneOf"] if v.get("type") == "object")
        out[style.name] = {
            "summary": style.summary, "tokens": style.tokens, "options": options,
            "layer_keys": {key: value.get("type") for key, value in layer["properties"].items()},
            "example": [int(t) if t.isdigit() else t for t in style.example_layers()],
        }
    return {
        "styles": out,
        "themes": [{"name": n, "description": load_theme(n).description} for n in builtin_names()],
        "theme_keys": [{"key": k, "default": d, "doc": doc} for k, d, doc in describe_keys()],
        "formats": [{"name": f.name, "raster": "scale" in f.options} for f in formats.FORMATS.values()],
    }


# --- errors, at the control or line that caused them --------------------------------------------

_FIELD = re.compile(r"(?:--)?(?:set )?([a-z][a-z0-9_]*)(?:\[\d+\])?[:. ]")
_LAYER = re.compile(r"layers?\s+(\d+)\b")


def locate(message: str, text: str) -> tuple[str | None, int | None]:
    """The control (an option name, ``layers.N`` for layer N from 0, ``style``) and the line of
    the spec text (from 1) that an error message names, each None when it names none."""
    lines = text.splitlines()

    def line_of(key: str) -> int | None:
        pattern = re.compile(rf'^\s*["\']?{re.escape(key)}["\']?\s*[:=]')
        return next((i + 1 for i, line in enumerate(lines) if pattern.match(line)), None)

    at = re.search(r"\bline (\d+)", message)
    if at is not None:  # a YAML, TOML or JSON syntax error
        return None, int(at.group(1))
    quoted = re.match(r"unknown (option|style) '([^']*)'", message)
    if quoted is not None:
        key = quoted.group(2) if quoted.group(1) == "option" else "style"
        return (None if quoted.group(1) == "option" else "style"), line_of(key)
    if message.startswith("unknown theme") or message.startswith("theme "):
        return "theme", line_of("theme")
    if message.startswith("--set ") or message.startswith("set:"):
        return "set", line_of("set")
    if "needs 'style'" in message:
        return "style", None
    if "needs 'layers'" in message:
        return "layers", None
    layer = _LAYER.match(message)
    if layer is not None:
        index = int(layer.group(1)) - 1
        start = line_of("layers")
        if start is not None:  # the item's own line when the list is written one item a line
            items = [i + 1 for i, line in enumerate(lines[start:], start) if re.match(r"^\s*-\s", line)]
            if index < len(items) and (index == 0 or items[index - 1] < items[index]):
                return f"layers.{index}", items[index]
        return f"layers.{index}", start
    found = _FIELD.match(message)
    if found is not None:
        name = found.group(1)
        return name, line_of(name)
    return None, None


# a JSON string, its escapes included (possessive: a repeated group that may backtrack keeps a
# frame per repetition, 100 MB for a string of a million escapes)
_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = MappingProxyType({"[": 1, "{": 1, "]": -1, "}": -1})


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (brackets within strings aside), found
    without parsing it: Python's parser recurses, and a body nested thousands deep overflows it."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


class Busy(Exception):
    """Another render has held the figure for longer than a request waits (a 503)."""


def _strip_file(message: str, path: Path) -> str:
    """An error message without the ``spec file '…': `` prefix (the page knows the file)."""
    prefix = f"spec file '{path}': "
    return message[len(prefix):] if message.startswith(prefix) else message


# --- the editing session -------------------------------------------------------------------------

@dataclass
class Rendered:
    """A spec text and what it gives: the figure or the error, and the data the controls show."""

    text: str
    data: dict[str, Any] | None = None
    svg: str | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    field: str | None = None
    line: int | None = None

    def json(self) -> dict[str, Any]:
        return {"text": self.text, "data": self.data, "svg": self.svg, "notes": self.notes,
                "error": self.error, "field": self.field, "line": self.line}


class Session:
    """The spec file being edited, the pages watching it, and the order of their edits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fmt = files.format_of(path)
        self.render_lock = threading.Lock()  # one render at a time (they share the GIL anyway)
        self.state_lock = threading.Lock()  # the counters, the subscribers, the file's text
        self.arrivals = 0  # every update gets the next number as it arrives
        self.written = 0  # the arrival number of the last update written
        self.latest: dict[str, int] = {}  # page → the id of its newest update
        self.version = 0  # bumps whenever the file's text changes
        self.subscribers: list[queue.Queue[dict[str, Any] | None]] = []
        self.publish_lock = threading.Lock()  # events leave in version order
        self.published = 0  # the version of the last spec event sent to the pages
        self.text = self.read()
        self.signature = self.stat()
        self.stopping = threading.Event()
        self._controls: dict[str, Any] | None = None
        self.renders = 0  # how many spec texts were drawn (the tests count what debouncing saves)

    # the file --------------------------------------------------------------------------------

    def read(self) -> str:
        raw = read_regular(self.path, files.MAX_SPEC_BYTES, "spec file")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpecError(f"spec file '{self.path}' is not UTF-8 text") from None

    def stat(self) -> tuple[int, int, int] | None:
        try:
            info = os.stat(self.path)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size, info.st_ino

    def controls(self) -> dict[str, Any]:
        if self._controls is None:
            self._controls = controls()
        return self._controls

    # rendering ---------------------------------------------------------------------------------

    def render(self, text: str, wanted: Callable[[], bool] | None = None, patient: bool = False) -> Rendered | None:
        """The figure of a spec text, as ``nnsvg render`` draws that file, or the spec's own error
        message with the control and line it names; raises nothing but ``Busy``, when another
        render has held its turn for ``RENDER_WAIT_SECONDS`` (``patient``: waits as long as it
        takes). None when
        ``wanted()`` says, once this render's turn comes, that a newer edit has made it
        pointless: an overtaken render waiting for its turn is dropped, not drawn ahead of the
        newer one."""
        out = Rendered(text)
        try:
            data = files.mapping(text, self.path)
            out.data = data
            wait = -1 if patient else RENDER_WAIT_SECONDS
            if not self.render_lock.acquire(timeout=wait):
                raise Busy(f"busy: another figure has been drawing for over {wait:g} s; this one was not drawn "
                           "(nor saved): try again")
            try:
                if wanted is not None and not wanted():
                    return None
                self.renders += 1
                diagram = Diagram(specs.loads(text, self.path))
                out.svg = diagram.svg()
                out.notes = diagram.notes
            finally:
                self.render_lock.release()
        except Busy:
            raise
        except NnsvgError as exc:
            out.error = _strip_file(" ".join(str(exc).split()), self.path)
            out.field, out.line = locate(out.error, text)
        except RecursionError:
            out.error = "the spec is nested too deeply to draw"
        except Exception as exc:  # a bug: reported on the page, and the server goes on
            out.error = f"internal error ({type(exc).__name__}: {clip(str(exc), 200)}); please report it"
        return out

    def drawn(self, text: str, patient: bool = False) -> Rendered:
        rendered = self.render(text, patient=patient)
        assert rendered is not None  # always wanted
        return rendered

    def current(self) -> dict[str, Any]:
        with self.state_lock:
            text, version = self.text, self.version
        return {**self.drawn(text).json(), "version": version, "file": self.path.name, "format": self.fmt}

    # edits from the pages ---------------------------------------------------------------------

    def update(self, body: dict[str, Any]) -> dict[str, Any]:
        """One edit from a page: ``{"client", "id", "text"}`` (the text pane) or ``{"client",
        "id", "data"}`` (the controls). Answered ``stale`` without rendering when the page has
        sent a newer edit since; written when it renders and no later edit was written first."""
        client, ident = body.get("client"), body.get("id")
        if not isinstance(client, str) or not 0 < len(client) <= 64 or isinstance(ident, bool) \
                or not isinstance(ident, int):
            raise SpecError("an update needs 'client' (text) and 'id' (a whole number)")
        if isinstance(body.get("text"), str):
            text = body["text"]
        elif isinstance(body.get("data"), dict):
            try:
                text = files.dump_text(body["data"], self.fmt)
            except (SpecError, ValueError, TypeError) as exc:
                return {"id": ident, "stale": False, "saved": False, "text": None, "data": body["data"],
                        "svg": None, "notes": [], "error": str(exc), "field": None, "line": None}
        else:
            raise SpecError("an update needs 'text' (the spec text) or 'data' (the spec mapping)")
        with self.state_lock:
            if ident < self.latest.get(client, -1):
                return {"id": ident, "stale": True}
            self.latest[client] = ident
            self.arrivals += 1
            arrival = self.arrivals
        rendered = self.render(text, lambda: self.latest.get(client) == ident)
        with self.state_lock:
            if rendered is None or self.latest.get(client) != ident:  # overtaken: the page wants the newer one
                return {"id": ident, "stale": True}
            saved = False
            if rendered.error is None and arrival > self.written:
                if text != self.text:
                    try:
                        export.write_atomic(self.path, text.encode("utf-8"))
                    except NnsvgError as exc:  # e.g. a read-only folder: shown on the page, the server goes on
                        rendered.error = f"not saved: {' '.join(str(exc).split())}"
                    else:
                        self.text, self.signature = text, self.stat()
                        self.version += 1
                        saved = True
                self.written = arrival
            version = self.version
        if saved:
            self.publish({"type": "spec", "origin": client, "version": version, **rendered.json()})
        return {"id": ident, "stale": False, "saved": saved, "version": version, **rendered.json()}

    # edits from other programs ------------------------------------------------------------------

    def poll(self) -> bool:
        """Whether the file changed on disk since it was last read or written here; if it did, its
        new text is rendered and sent to every page."""
        signature = self.stat()
        with self.state_lock:
            if signature is None or signature == self.signature:
                return False
            self.signature = signature
            try:
                text = self.read()
            except NnsvgError:
                return False
            if text == self.text:
                return False
            self.text = text
            self.version += 1
            version = self.version
        # (the watcher is no page: it waits its turn however long another render takes)
        self.publish({"type": "spec", "origin": "disk", "version": version, **self.drawn(text, patient=True).json()})
        return True

    def watch(self) -> None:
        while not self.stopping.wait(POLL_SECONDS):
            self.poll()

    # event streams ------------------------------------------------------------------------------

    def subscribe(self) -> queue.Queue[dict[str, Any] | None]:
        channel: queue.Queue[dict[str, Any] | None] = queue.Queue()
        with self.state_lock:
            self.subscribers.append(channel)
        return channel

    def unsubscribe(self, channel: queue.Queue[dict[str, Any] | None]) -> None:
        with self.state_lock:
            if channel in self.subscribers:
                self.subscribers.remove(channel)

    def publish(self, event: dict[str, Any] | None) -> None:
        """Send an event to every page. Two saves render in parallel and may finish in either
        order: a spec event older than one already sent is dropped, so a page never ends on an
        older text than the file's."""
        with self.publish_lock:
            if event is not None:
                if event["version"] <= self.published:
                    return
                self.published = event["version"]
            with self.state_lock:
                channels = list(self.subscribers)
            for channel in channels:
                channel.put(event)

    def stop(self) -> None:
        """Stop the watcher, end every event stream, and wait for a write under way."""
        self.stopping.set()
        self.publish(None)
        with self.state_lock:
            pass


# --- HTTP ------------------------------------------------------------------------------------------

class Server(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream does not keep the process alive
    allow_reuse_address = False
    # socketserver's backlog of 5 resets connections when 20 pages (each with its event stream)
    # connect at once (the load test found it); the kernel caps this at net.core.somaxconn
    request_queue_size = 128

    def __init__(self, session: Session, port: int = 0, token: str | None = None) -> None:
        self.session = session
        self.token = token or secrets.token_urlsafe(24)
        super().__init__(("127.0.0.1", port), Handler)
        self.port = int(self.server_address[1])
        self.hosts = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line on the terminal instead of socketserver's traceback; the server goes on."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        print(f"nnsvg edit: internal error while answering a request ({type(error).__name__}: "
              f"{clip(str(error), 200)}); please report it", file=sys.stderr, flush=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.token}/"


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = "nnsvg-edit"
    timeout = 30  # a client that stops sending in the middle of a request is dropped
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows the URL only
        pass

    # checks ----------------------------------------------------------------------------------

    def route(self) -> tuple[str, dict[str, list[str]]]:
        """The request's name below the token, after the Host and token checks (and that no
        header it acts on comes twice)."""
        for name in SINGLE_HEADERS:
            count = len(self.headers.get_all(name, []))
            if count > 1:
                raise Refused(400, f"refused: {count} {name} headers; a request has one at most")
        host = self.headers.get("Host", "")
        if host not in self.server.hosts:
            raise Refused(403, f"refused: Host '{clip(host, 80)}' is not this editor's (127.0.0.1 or localhost "
                               f"on port {self.server.port})")
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        path = parts.path
        given, _, rest = path.lstrip("/").partition("/")
        token = self.server.token.encode()
        if hmac.compare_digest(given.encode("utf-8", "replace"), token):
            if path.rstrip("/") == f"/{given}" and not path.endswith("/"):
                raise Refused(308, f"/{self.server.token}/")
            return rest, query
        if hmac.compare_digest(query.get("token", [""])[0].encode("utf-8", "replace"), token):
            return path.lstrip("/"), query
        raise Refused(403, "refused: this page needs the token of the URL that `nnsvg edit` printed")

    # answers ---------------------------------------------------------------------------------

    def send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, value: Any, status: int = 200) -> None:
        self.send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def refuse(self, refused: Refused) -> None:
        self.close_connection = True  # (a refused request's body, unread, is no next request)
        if refused.status == 308:
            self.send(308, b"", "text/plain", {"Location": str(refused)})
            return
        self.send(refused.status, (str(refused) + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def handle_one(self, method: str) -> None:
        try:
            name, query = self.route()
            if method == "POST":
                origin = self.headers.get("Origin")
                if origin is not None and origin not in self.server.origins:
                    raise Refused(403, f"refused: a request from another page ({clip(origin, 80)})")
                if name != "update":
                    raise Refused(404, "not found")
                self.send_json(self.server.session.update(self.body()))
            elif name in ASSETS:
                file, content_type = ASSETS[name]
                body = resources.files(__package__).joinpath(file).read_bytes()
                self.send(200, body, content_type, {"Content-Security-Policy": CSP} if name == "" else None)
            elif name == "state":
                self.send_json({**self.server.session.current(), "controls": self.server.session.controls()})
            elif name == "events":
                self.events()
            elif name == "download":
                self.download(query)
            else:
                raise Refused(404, "not found")
        except Refused as refused:
            self.refuse(refused)
        except Busy as busy:
            self.send(503, f"{busy}\n".encode(), "text/plain; charset=utf-8", {"Retry-After": "2"})
        except NnsvgError as exc:
            self.send(400, f"error: {' '.join(str(exc).split())}\n".encode(), "text/plain; charset=utf-8")
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # a bug: the page hears of it and the server goes on
            self.send(500, f"error: internal error ({type(exc).__name__}: {clip(str(exc), 200)}); please report "
                           "it\n".encode(), "text/plain; charset=utf-8")

    def do_GET(self) -> None:
        self.handle_one("GET")

    def do_HEAD(self) -> None:
        self.handle_one("GET")

    def do_POST(self) -> None:
        self.handle_one("POST")

    def body(self) -> dict[str, Any]:
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            raise Refused(415, "refused: an update is JSON (Content-Type: application/json)")
        given = self.headers.get("Content-Length", "").strip()
        if not re.fullmatch(r"[0-9]{1,15}", given):  # (int() would take "+1", "1_0", "١")
            raise Refused(411, "refused: an update needs its Content-Length (a whole number of bytes)")
        length = int(given)
        if length > MAX_BODY:
            raise Refused(413, f"refused: an update of {length:,} bytes is larger than any spec")
        try:
            text = self.rfile.read(length).decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, "refused: the update is not JSON") from None
        depth = json_depth(text)
        if depth > MAX_JSON_DEPTH:
            raise Refused(400, f"refused: the update nests {depth:,} deep (at most {MAX_JSON_DEPTH}: "
                               "a spec nests a few levels)")
        try:
            value = json.loads(text)
        except ValueError:
            raise Refused(400, "refused: the update is not JSON") from None
        if not isinstance(value, dict):
            raise Refused(400, "refused: an update is a JSON object")
        return value

    def download(self, query: dict[str, list[str]]) -> None:
        """The figure of the spec file on disk in a format of the format table: the bytes
        ``nnsvg render FILE -o NAME.EXT`` writes (``scale`` for PNG, as ``--scale``)."""
        name = query.get("format", ["svg"])[0]
        fmt = formats.FORMATS.get(name)
        if fmt is None:
            raise Refused(404, f"not found: no format '{clip(name, 20)}'")
        scale = query.get("scale", [None])[0]
        pixels = export.raster_scale(fmt, scale)  # checked as --scale is
        diagram = Diagram(specs.load(self.server.session.path))
        data = diagram.to_bytes(fmt.name, scale=None if scale is None else pixels)
        mime = {"svg": "image/svg+xml", "pdf": "application/pdf", "png": "image/png"}.get(
            fmt.name, "application/postscript")
        filename = f"{self.server.session.path.stem}{fmt.extensions[0]}"
        self.send(200, data, mime, {"Content-Disposition": f'attachment; filename="{filename}"'})

    def events(self) -> None:
        """Server-sent events: every new text of the spec file (written by a page or another
        program) with its figure or error, until the page goes away or the server stops."""
        session = self.server.session
        channel = session.subscribe()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(b": hello\n\n")
            self.wfile.flush()
            while True:
                try:
                    event = channel.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                if event is None or session.stopping.is_set():
                    break
                self.wfile.write(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            session.unsubscribe(channel)
            self.close_connection = True


# --- the command ---------------------------------------------------------------------------------

def new_spec_text(path: Path, style: str) -> str:
    """A new spec file of ``style``: its example layers, every option at its default."""
    layers = [int(t) if t.isdigit() else t for t in styles.get(style).example_layers()]
    return files.dump_text({"style": style, "layers": layers}, files.format_of(path))


def prepare(path: Path, style: str | None) -> list[str]:
    """Make the spec file from a style's defaults if it does not exist; the notes to print."""
    files.format_of(path)
    if style is not None:
        styles.get(style)
    if path.exists():
        return [f"--style applies to a new file; {path.name} exists and keeps its style"] if style else []
    style = style or files.NEW_FILE_STYLE
    export.write_atomic(path, new_spec_text(path, style).encode("utf-8"))
    return [f"created {path} ({style} with its example layers)"]


@contextmanager
def background(path: str | os.PathLike[str], port: int = 0) -> Iterator[Server]:
    """The editor of an existing spec file served from threads of this process while the
    ``with`` block runs (the tests and ``tools/editor_screenshots.py`` use it)."""
    session = Session(Path(path).resolve())
    server = Server(session, port)
    threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True),
               threading.Thread(target=session.watch, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        yield server
    finally:
        session.stop()
        server.shutdown()
        server.server_close()
        for thread in threads:
            thread.join(timeout=2)


def run(spec_file: str, style: str | None = None, port: int = 0, browser: bool = True) -> int:
    """Serve the editor of ``spec_file`` until Ctrl-C, then 0 (SIGTERM goes on to the command
    line's exit 143). Ctrl-C at any moment once the server listens is a clean stop."""
    from ..errors import Interrupted

    path = Path(spec_file).expanduser()
    notes = prepare(path, style)
    session = Session(path.resolve())
    try:
        server = Server(session, port)
    except OSError as exc:
        if notes and notes[0].startswith("created "):  # nothing is left behind by a failed start
            path.unlink(missing_ok=True)
        raise NnsvgError(f"--port {port}: cannot listen on 127.0.0.1 ({exc.strerror or exc})") from None
    watcher = threading.Thread(target=session.watch, name="nnsvg-edit-watch", daemon=True)
    try:
        watcher.start()
        for note in notes:
            print(f"note: {terminal(note)}", flush=True)
        print(f"nnsvg edit: {server.url}  (editing {terminal(str(path))}; Ctrl-C stops)", flush=True)
        if browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
        server.serve_forever(poll_interval=0.2)
    except Interrupted as stop:
        if stop.code != 130:
            raise
        print("\nnnsvg edit: stopped", flush=True)
    finally:
        session.stop()
        server.server_close()
        if watcher.is_alive():
            watcher.join(timeout=2)
    return 0
