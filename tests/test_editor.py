"""``nnsvg edit``: the server without a browser (its refusals, edits, the file it writes, the
event stream, downloads, Ctrl-C). The page itself is tested in Chromium: test_editor_browser.py."""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nnsvg import export, styles
from nnsvg import spec as specs
from nnsvg.cli import main
from nnsvg.editor import Server, background, controls, locate, new_spec_text
from nnsvg.spec import fields, files

from .conftest import NS, parse


def request(server: Server, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
            host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request to the editor with the Host header a browser on 127.0.0.1 sends (or ``host``)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    sent = {"Host": host if host is not None else f"127.0.0.1:{server.port}", **(headers or {})}
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for key, value in sent.items():
        connection.putheader(key, value)
    if data is not None:
        connection.putheader("Content-Length", str(len(data)))
    connection.endheaders(data)
    response = connection.getresponse()
    out = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    connection.close()
    return out


def update(server: Server, body: dict[str, Any]) -> dict[str, Any]:
    status, _, data = request(server, "POST", f"/{server.token}/update", body)
    assert status == 200, data
    answer: dict[str, Any] = json.loads(data)
    return answer


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "fig.yaml"
    path.write_text("style: fcnn\nlayers: [3, 4, 2]\n", encoding="utf-8")
    return path


@pytest.fixture
def server(spec_file: Path) -> Iterator[Server]:
    with background(spec_file) as running:
        yield running


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# --- the controls come from the declarations --------------------------------------------------

def test_controls_are_every_declared_option_of_every_style() -> None:
    described = controls()
    assert list(described["styles"]) == list(styles.STYLES)
    for name, style in styles.STYLES.items():
        cls = style.spec_class()
        declared = fields.options(cls)
        options = described["styles"][name]["options"]
        assert [o["name"] for o in options] == list(declared)
        for option in options:
            assert option["kind"] == declared[option["name"]]["kind"]
            assert option["schema"] == fields.json_type(declared[option["name"]])
        # the slider bounds are the declared ones
        bounded = {o["name"]: o["schema"] for o in options if o["kind"] in ("int", "number")}
        for key, schema in bounded.items():
            assert schema.get("minimum") == declared[key].get("low")
    fcnn = {o["name"]: o for o in described["styles"]["fcnn"]["options"]}
    assert fcnn["node_diameter"]["schema"] == {"type": "number", "minimum": 1, "maximum": 1000}
    assert fcnn["node_diameter"]["default"] == 20.0
    assert fcnn["direction"]["schema"]["enum"] == ["right", "left", "up", "down"]
    assert fcnn["theme"]["shared"] and not fcnn["bias"]["shared"]
    wiring = {"name", "inputs"}  # every style's layers may be named and say their inputs (the graph)
    assert set(described["styles"]["fcnn"]["layer_keys"]) == {"size", "label", "fill", "stroke", "gap"} | wiring
    assert set(described["styles"]["lenet"]["layer_keys"]) == {"size", "label", "fill"} | wiring
    assert {"op", "shape", "params", "kind"} <= set(described["styles"]["blocks"]["layer_keys"])
    assert [t["name"] for t in described["themes"]] == ["colorblind", "dark", "nnsvg", "paper"]
    assert {"node.fill", "edge.width"} <= {k["key"] for k in described["theme_keys"]}
    assert [f["name"] for f in described["formats"] if f["raster"]] == ["png"]


@pytest.mark.parametrize("style", list(styles.STYLES))
def test_a_new_file_is_the_styles_example(tmp_path: Path, style: str) -> None:
    for suffix in (".yaml", ".toml", ".json"):
        path = tmp_path / f"new{suffix}"
        text = new_spec_text(path, style)
        spec = specs.loads(text, path)
        assert spec.style == style
        assert [str(layer.to_data()) for layer in spec.layers] == styles.STYLES[style].example_layers()


# --- errors are located at their control and line ---------------------------------------------

def test_locate_names_the_control_and_the_line() -> None:
    text = "style: fcnn\nlayers:\n- 3\n- 0\n- 2\nnode_gap: -4\nset: {node.fill: zz}\n"
    assert locate("node_gap: expected a value from 0 to 10000, got -4", text) == ("node_gap", 6)
    assert locate("node_gap[1]: expected a number, got 'x'", text) == ("node_gap", 6)
    assert locate("layer 2: a layer needs at least 1 node, got 0", text) == ("layers.1", 4)
    assert locate("layer 3.size: bad", text) == ("layers.2", 5)
    assert locate("layers: a network needs at least 2 layers, got 1", text) == ("layers", 2)
    assert locate("--set node.fill: 'zz' is not a colour", text) == ("set", 7)
    assert locate("unknown theme 'papr'; did you mean 'paper'?", "theme: papr\n") == ("theme", 1)
    assert locate("unknown option 'node_gapp' for style 'fcnn'", "node_gapp: 3\n") == (None, 1)
    assert locate("not valid YAML at line 3: found character '\\t'", text) == (None, 3)
    assert locate("unknown style 'fcn'; did you mean 'fcnn'?", text) == ("style", 1)
    flow = "style: fcnn\nlayers: [3, 0, 2]\n"
    assert locate("layer 2: a layer needs at least 1 node, got 0", flow) == ("layers.1", 2)


# --- the refusals: token, Host, origin, paths ---------------------------------------------------

def test_the_token_is_required_on_every_request(server: Server) -> None:
    token = server.token
    assert len(token) >= 32
    for path in ("/", "/state", "/update", "/events", "/download?format=svg", "/editor.js",
                 f"/{token[:-1]}/state", f"/{token}x/state", f"/x{token}/state", f"/state?token={token[:-1]}",
                 f"/{token.upper() if token.upper() != token else token.lower()}/state"):
        status, _, body = request(server, "GET", path)
        assert status == 403, path
        assert b"token" in body
    status, _, body = request(server, "POST", "/update", {"client": "a", "id": 1, "text": "style: fcnn\n"})
    assert status == 403
    assert request(server, "GET", f"/{token}/state")[0] == 200
    assert request(server, "GET", f"/state?token={token}")[0] == 200
    status, headers, _ = request(server, "GET", f"/{token}")
    assert status == 308 and headers["location"] == f"/{token}/"


def test_a_foreign_host_is_refused(server: Server) -> None:
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 sends its own
    host name; so does any name but the two the editor prints."""
    path = f"/{server.token}/state"
    for host in ("evil.example", f"evil.example:{server.port}", f"127.0.0.1:{server.port + 1}", "127.0.0.1",
                 f"127.0.0.2:{server.port}", f"localhost.evil.example:{server.port}", ""):
        status, _, body = request(server, "GET", path, host=host)
        assert status == 403, host
        assert b"Host" in body
    assert request(server, "GET", path, host=f"localhost:{server.port}")[0] == 200
    assert request(server, "GET", path, host=f"127.0.0.1:{server.port}")[0] == 200


def test_a_post_from_another_page_is_refused(server: Server, spec_file: Path) -> None:
    before = spec_file.read_bytes()
    body = {"client": "a", "id": 1, "text": "style: fcnn\nlayers: [5, 5]\n"}
    for origin in ("http://evil.example", f"http://127.0.0.1:{server.port + 1}", "null"):
        status, _, answer = request(server, "POST", f"/{server.token}/update", body, {"Origin": origin})
        assert status == 403 and b"another page" in answer
    # a form post (not JSON) is refused too: it would need no CORS preflight
    status, _, _ = request(server, "POST", f"/{server.token}/update", body, {"Content-Type": "text/plain"})
    assert status == 415
    assert spec_file.read_bytes() == before
    status, _, _ = request(server, "POST", f"/{server.token}/update", body, {"Origin": f"http://localhost:{server.port}"})
    assert status == 200
    assert "[5, 5]" in spec_file.read_text("utf-8")


def test_only_the_spec_file_is_read(server: Server, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    token = server.token
    for path in (f"/{token}/../secret.txt", f"/{token}/%2e%2e/secret.txt", f"/{token}/secret.txt",
                 f"/{token}/{secret}", f"/{token}//etc/passwd", f"/{token}/page.html", f"/{token}/__init__.py",
                 f"/{token}/download?format=../../secret.txt", f"/{token}/download?format=txt",
                 f"/{token}/state/../../secret.txt"):
        status, _, body = request(server, "GET", path)
        assert status == 404, path
        assert b"top secret" not in body
    status, _, body = request(server, "POST", f"/{token}/download", {"path": str(secret)})
    assert status == 404 and b"top secret" not in body


def test_an_internal_error_is_an_answer_not_a_dead_server(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> dict[str, Any]:
        raise KeyError("boom")

    monkeypatch.setattr(server.session, "controls", broken)
    status, _, body = request(server, "GET", f"/{server.token}/state")
    assert status == 500 and body.startswith(b"error: internal error (KeyError") and b"Traceback" not in body
    monkeypatch.undo()
    assert request(server, "GET", f"/{server.token}/state")[0] == 200


def test_security_headers(server: Server) -> None:
    status, headers, body = request(server, "GET", f"/{server.token}/")
    assert status == 200 and b"editor.js" in body
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-eval" not in csp
    assert headers["cache-control"] == "no-store" and headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "access-control-allow-origin" not in headers
    assert server.server_address[0] == "127.0.0.1"


# --- edits ---------------------------------------------------------------------------------------

def test_an_edit_renders_and_writes_the_file_atomically(server: Server, spec_file: Path) -> None:
    inode = spec_file.stat().st_ino
    answer = update(server, {"client": "a", "id": 1, "data": {"style": "fcnn", "layers": [3, 5, 2], "bias": True}})
    assert answer["saved"] and answer["error"] is None and answer["version"] == 1
    text = spec_file.read_text("utf-8")
    assert text == files.dump_text({"style": "fcnn", "layers": [3, 5, 2], "bias": True}, "yaml") == answer["text"]
    assert spec_file.stat().st_ino != inode  # a new file renamed into place, not rewritten in place
    assert leftovers(spec_file.parent) == []
    root = parse(answer["svg"])
    assert len(list(root.iter(NS + "circle"))) == 3 + 5 + 2 + 2  # two bias units
    assert answer["svg"] == main_svg(spec_file)


def main_svg(path: Path) -> str:
    out = path.parent / "cli.svg"
    assert main(["render", str(path), "-o", str(out)]) == 0
    return out.read_text("utf-8")


@pytest.mark.parametrize("suffix", [".toml", ".json", ".yml"])
def test_controls_write_the_files_own_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"fig{suffix}"
    path.write_text(new_spec_text(path, "lenet"), encoding="utf-8")
    data = {"style": "lenet", "layers": ["1@28x28", {"size": "6@24x24", "label": "C1"}, 10],
            "set": {"node.fill": "#ffcc00", "edge.width": 1.5}, "gaps": [30, 20], "fit": False}
    with background(path) as server:
        answer = update(server, {"client": "a", "id": 1, "data": data})
    assert answer["saved"] and answer["error"] is None
    assert files.read(path) == data
    assert answer["svg"] == main_svg(path)


def test_the_text_pane_keeps_the_text_as_typed(server: Server, spec_file: Path) -> None:
    text = "# my figure\nstyle: fcnn   # the style\nlayers: [2, 3]\n"
    answer = update(server, {"client": "a", "id": 1, "text": text})
    assert answer["saved"] and spec_file.read_text("utf-8") == text
    assert answer["data"] == {"style": "fcnn", "layers": [2, 3]}


def test_a_bad_value_is_an_error_at_its_control_and_the_file_keeps_the_last_good_spec(
        server: Server, spec_file: Path) -> None:
    before = spec_file.read_bytes()
    bad = {"style": "fcnn", "layers": [3, 4], "node_diameter": "abc"}
    answer = update(server, {"client": "a", "id": 1, "data": bad})
    assert not answer["saved"] and answer["svg"] is None
    assert answer["error"] == "node_diameter: expected a number, got 'abc'"
    assert answer["field"] == "node_diameter" and answer["line"] == 3
    answer = update(server, {"client": "a", "id": 2, "text": "style: fcnn\nlayers: [3, 4\nbias: true\n"})
    assert answer["field"] is None and answer["line"] == 3 and "not valid YAML" in answer["error"]
    answer = update(server, {"client": "a", "id": 3, "text": "style: fcnn\nlayers:\n- 3\n- -1\n"})
    assert answer["field"] == "layers.1" and answer["line"] == 4
    assert spec_file.read_bytes() == before
    # the server goes on
    answer = update(server, {"client": "a", "id": 4, "text": "style: fcnn\nlayers: [4, 4]\n"})
    assert answer["saved"] and answer["error"] is None


def test_a_file_that_cannot_be_written_is_an_error_on_the_page(server: Server, spec_file: Path) -> None:
    if os.geteuid() == 0:  # root writes into a read-only folder: its folder is gone instead
        server.session.path = spec_file.parent / "missing-folder" / "fig.yaml"
    else:
        spec_file.parent.chmod(0o500)
    try:
        answer = update(server, {"client": "a", "id": 1, "text": "style: fcnn\nlayers: [2, 2]\n"})
    finally:
        spec_file.parent.chmod(0o700)
    assert not answer["saved"] and answer["error"].startswith("not saved: ")
    assert answer["svg"] is not None  # it rendered; only the write failed
    assert update(server, {"client": "a", "id": 2, "text": "style: fcnn\nlayers: [3, 3]\n"})["id"] == 2


def test_malformed_updates_are_errors_not_crashes(server: Server) -> None:
    path = f"/{server.token}/update"
    for body in ({}, {"client": "a"}, {"client": "a", "id": "1", "text": ""}, {"client": "a", "id": True, "text": ""},
                 {"client": "a", "id": 1}, {"client": "a", "id": 1, "data": [1, 2]},
                 {"client": 3, "id": 1, "text": ""}):
        status, _, answer = request(server, "POST", path, body)
        assert status == 400 and answer.startswith(b"error: an update needs"), body
    for raw, message in ((b"{bad}", b"not JSON"), (b"[1, 2]", b"a JSON object"), (b"\xff", b"not JSON")):
        status, _, answer = request(server, "POST", path, raw)
        assert status == 400 and message in answer
    assert update(server, {"client": "a", "id": 1, "text": "style: fcnn\nlayers: [2, 2]\n"})["saved"]


def test_an_overtaken_edit_is_dropped_not_written(server: Server, spec_file: Path) -> None:
    assert update(server, {"client": "a", "id": 5, "text": "style: fcnn\nlayers: [5, 5]\n"})["saved"]
    answer = update(server, {"client": "a", "id": 4, "text": "style: fcnn\nlayers: [4, 4]\n"})
    assert answer == {"id": 4, "stale": True}
    assert "[5, 5]" in spec_file.read_text("utf-8")
    # another page's ids are its own
    assert update(server, {"client": "b", "id": 1, "text": "style: fcnn\nlayers: [6, 6]\n"})["saved"]


def test_an_edit_overtaken_while_rendering_is_not_written(server: Server, spec_file: Path) -> None:
    """Page a's edit 1 is rendering (held up here) when its edit 2 arrives: 1 is answered stale
    and never written, whatever order the two finish in."""
    session = server.session
    gate = threading.Event()
    original = session.render

    def slow(text: str, wanted: Any = None) -> Any:
        if "[1, 1]" in text:
            gate.wait(10)
        return original(text, wanted)

    session.render = slow  # type: ignore[method-assign]
    answers: dict[int, dict[str, Any]] = {}
    first = threading.Thread(target=lambda: answers.setdefault(1, update(server, {
        "client": "a", "id": 1, "text": "style: fcnn\nlayers: [1, 1]\n"})))
    first.start()
    deadline = time.monotonic() + 10
    while session.latest.get("a") != 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    answers[2] = update(server, {"client": "a", "id": 2, "text": "style: fcnn\nlayers: [2, 2]\n"})
    gate.set()
    first.join(10)
    assert answers[1] == {"id": 1, "stale": True}
    assert answers[2]["saved"]
    assert spec_file.read_text("utf-8") == "style: fcnn\nlayers: [2, 2]\n"


def test_an_overtaken_edit_waiting_for_its_turn_is_not_drawn(server: Server, spec_file: Path) -> None:
    """While a render holds the turn, page a sends edits 1 and 2: once the turn is free only 2
    is drawn; 1 is answered stale without being drawn first."""
    session = server.session
    answers: dict[int, dict[str, Any]] = {}

    def send(ident: int) -> None:
        answers[ident] = update(server, {"client": "a", "id": ident, "text": f"style: fcnn\nlayers: [{ident}, 2]\n"})

    with session.render_lock:  # another render under way
        before = session.renders
        first = threading.Thread(target=send, args=(1,))
        first.start()
        deadline = time.monotonic() + 10
        while session.latest.get("a") != 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        second = threading.Thread(target=send, args=(2,))
        second.start()
        while session.latest.get("a") != 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    first.join(10)
    second.join(10)
    assert answers[1] == {"id": 1, "stale": True}
    assert answers[2]["saved"]
    assert session.renders - before == 1
    assert spec_file.read_text("utf-8") == "style: fcnn\nlayers: [2, 2]\n"


def read_events(server: Server, count: int, timeout: float = 10) -> Iterator[dict[str, Any]]:
    """The first ``count`` events of a new event stream."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    connection.request("GET", f"/{server.token}/events", headers={"Host": f"127.0.0.1:{server.port}"})
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type", "").startswith("text/event-stream")
    seen = 0
    try:
        while seen < count:
            line = response.fp.readline()
            if not line:
                return
            if line.startswith(b"data: "):
                seen += 1
                yield json.loads(line[6:])
    finally:
        connection.close()


def test_an_edit_on_disk_reaches_the_pages(server: Server, spec_file: Path) -> None:
    stream = read_events(server, 1)
    got: list[dict[str, Any]] = []
    reader = threading.Thread(target=lambda: got.extend(stream))
    reader.start()
    time.sleep(0.3)  # the stream is open
    export.write_atomic(spec_file, b"style: fcnn\nlayers: [7, 2]  # from another editor\n")
    reader.join(10)
    assert len(got) == 1
    event = got[0]
    assert event["origin"] == "disk" and event["text"].endswith("# from another editor\n")
    assert len(list(parse(event["svg"]).iter(NS + "circle"))) == 9
    assert event["version"] == 1


def test_another_pages_edit_reaches_the_pages(server: Server) -> None:
    stream = read_events(server, 1)
    got: list[dict[str, Any]] = []
    reader = threading.Thread(target=lambda: got.extend(stream))
    reader.start()
    time.sleep(0.3)
    update(server, {"client": "b", "id": 1, "text": "style: fcnn\nlayers: [2, 2]\n"})
    reader.join(10)
    assert [(e["origin"], e["data"]["layers"]) for e in got] == [("b", [2, 2])]


@pytest.mark.parametrize("seed", range(20))
def test_events_leave_in_version_order(server: Server, seed: int) -> None:
    """Saves render in parallel and may publish in any order: every page sees versions rising
    and ends on the newest, whatever the order they were published in."""
    order = list(range(1, 13))
    random.Random(seed).shuffle(order)
    channel = server.session.subscribe()
    for version in order:
        server.session.publish({"type": "spec", "version": version})
    seen = []
    while not channel.empty():
        event = channel.get()
        assert event is not None
        seen.append(event["version"])
    server.session.unsubscribe(channel)
    assert seen == sorted(set(seen)) and seen[-1] == 12 and seen[0] == order[0]


def test_load_twenty_pages_two_hundred_edits(server: Server, spec_file: Path) -> None:
    """20 pages at once, each with its event stream open, 10 edits each (200 in all): every
    answer is good, the file ends as the last edit the server saved, every stream saw it, and
    it all takes less than a minute."""
    clients, edits = 20, 10
    started = time.monotonic()
    streams: list[list[dict[str, Any]]] = [[] for _ in range(clients)]
    stop = threading.Event()

    def listen(i: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        opened.wait(10)  # the pages connect all at once
        connection.request("GET", f"/{server.token}/events", headers={"Host": f"127.0.0.1:{server.port}"})
        response = connection.getresponse()
        while not stop.is_set():
            line = response.fp.readline()
            if not line:
                break
            if line.startswith(b"data: "):
                streams[i].append(json.loads(line[6:]))
        connection.close()

    opened = threading.Event()
    listeners = [threading.Thread(target=listen, args=(i,), daemon=True) for i in range(clients)]
    for thread in listeners:
        thread.start()
    opened.set()
    time.sleep(0.5)
    answers: list[dict[str, Any]] = []
    failures: list[str] = []

    together = threading.Barrier(clients)

    def page(i: int) -> None:
        together.wait(10)  # the pages send their edits all at once
        for j in range(edits):
            body = {"client": f"page-{i}", "id": j + 1,
                    "data": {"style": "fcnn", "layers": [3, 2 + j % 4, 2], "node_diameter": 10 + i + j / 10}}
            try:
                answers.append(update(server, body))
            except Exception as exc:  # a refused or reset connection is a failure too
                failures.append(f"{type(exc).__name__}: {exc}")

    pages = [threading.Thread(target=page, args=(i,)) for i in range(clients)]
    for thread in pages:
        thread.start()
    for thread in pages:
        thread.join(60)
    elapsed = time.monotonic() - started
    assert not failures
    assert len(answers) == clients * edits
    assert all(a.get("error") is None for a in answers)
    saved = [a for a in answers if a.get("saved")]
    last = max(saved, key=lambda a: a["version"])
    assert spec_file.read_text("utf-8") == last["text"]
    assert server.session.version == last["version"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(s and s[-1]["version"] == last["version"] for s in streams):
        time.sleep(0.05)
    stop.set()
    assert all(s[-1]["version"] == last["version"] for s in streams)
    assert leftovers(spec_file.parent) == []
    assert elapsed < 60


# --- downloads are the CLI's bytes ----------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "query", "flags"), [("svg", "", []), ("pdf", "", []), ("png", "", []),
                                                      ("png", "&scale=2", ["--scale", "2"]), ("eps", "", [])])
def test_downloads_are_the_bytes_of_nnsvg_render(server: Server, spec_file: Path, fmt: str, query: str,
                                                 flags: list[str]) -> None:
    update(server, {"client": "a", "id": 1, "text": "style: fcnn\nlayers: [3, 4, 2]\nbias: true\ntheme: paper\n"})
    status, headers, body = request(server, "GET", f"/{server.token}/download?format={fmt}{query}")
    assert status == 200
    assert headers["content-disposition"] == f'attachment; filename="fig.{fmt}"'
    out = spec_file.parent / f"cli.{fmt}"
    assert main(["render", str(spec_file), "-o", str(out), *flags]) == 0
    assert body == out.read_bytes()


def test_a_bad_download_is_an_error(server: Server, spec_file: Path) -> None:
    status, _, body = request(server, "GET", f"/{server.token}/download?format=pdf&scale=2")
    assert status == 400 and b"scale applies to PNG" in body
    status, _, body = request(server, "GET", f"/{server.token}/download?format=png&scale=0")
    assert status == 400 and b"scale" in body
    spec_file.write_text("style: fcnn\nlayers: [0]\n", encoding="utf-8")
    status, _, body = request(server, "GET", f"/{server.token}/download?format=svg")
    assert status == 400 and body.startswith(b"error: ")


# --- the command ---------------------------------------------------------------------------------

def start(args: list[str], cwd: Path, head: list[str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """``nnsvg edit ARGS --no-browser`` in a subprocess, once it prints its URL (the lines before
    it go to ``head``)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "nnsvg", "edit", *args, "--no-browser"], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    for line in process.stdout:
        if head is not None:
            head.append(line)
        found = re.search(r"(http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]+/)", line)
        if found:
            return process, found.group(1)
        assert time.monotonic() < deadline
    process.kill()
    raise AssertionError(f"no URL; stderr: {process.stderr.read() if process.stderr else ''}")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    process, url = start(["new.toml", "--style", "rnn"], tmp_path)
    try:
        assert (tmp_path / "new.toml").read_text("utf-8") == 'style = "rnn"\nlayers = [3, 5, 2]\n'
        port = int(url.split(":")[2].split("/")[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", url.split(str(port), 1)[1] + "events")
        assert connection.getresponse().status == 200  # an open event stream does not hold the exit up
        began = time.monotonic()
        process.send_signal(stop)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert time.monotonic() - began < 5
    assert "Traceback" not in err and "Traceback" not in out
    if stop == signal.SIGINT:
        assert process.returncode == 0 and "stopped" in out and err == ""
    else:
        assert process.returncode == 143 and err == "error: terminated\n"
    assert leftovers(tmp_path) == []


def test_edit_refuses_what_it_cannot_edit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args, message in ((["fig.txt"], "unknown extension '.txt'"),
                          (["new.yaml", "--style", "fcn"], "unknown style 'fcn'; did you mean 'fcnn'?"),
                          ([str(tmp_path / "nowhere" / "x.yaml")], "does not exist"),
                          ([str(tmp_path / "dir.yaml")], "is a directory")):
        if "dir.yaml" in args[0]:
            (tmp_path / "dir.yaml").mkdir()
        assert main(["edit", *args, "--no-browser"]) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("error: ") and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "new.yaml").exists()


def test_a_port_in_use_is_an_error_and_leaves_no_file(server: Server, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["edit", str(tmp_path / "new.yaml"), "--port", str(server.port), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --port {server.port}: cannot listen on 127.0.0.1 (") and err.count("\n") == 1
    assert not (tmp_path / "new.yaml").exists()


def test_drawing_commands_do_not_load_the_editor(tmp_path: Path) -> None:
    """`nnsvg fcnn` starts as fast as before: the editor and the HTTP server are imported by
    `nnsvg edit` only."""
    probe = ("import sys; from nnsvg.cli import main; "
             f"code = main(['fcnn', '4', '6', '2', '-o', {str(tmp_path / 'x.svg')!r}]); "
             "print(code, sorted(m for m in sys.modules "
             "if m.startswith(('nnsvg.editor', 'http.server', 'socketserver'))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0 []"


def test_style_for_an_existing_file_is_a_note(spec_file: Path) -> None:
    head: list[str] = []
    process, url = start([spec_file.name, "--style", "lenet"], spec_file.parent, head)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=20)
    assert head[0] == "note: --style applies to a new file; fig.yaml exists and keeps its style\n"
    assert spec_file.read_text("utf-8") == "style: fcnn\nlayers: [3, 4, 2]\n"
    assert process.returncode == 0 and url.startswith("http://127.0.0.1:")
