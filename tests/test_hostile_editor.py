"""Hostile requests to ``nnsvg edit`` (issue 24, classes 5, 7 and 13): two of a header the checks
read are refused, an update nested deeper than any spec is a 400 (not a crash's 500), and one
page's heavy render holds up no other page for longer than ``RENDER_WAIT_SECONDS``."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nnsvg import editor
from nnsvg.editor import MAX_JSON_DEPTH, Server, background

SPEC = "style: fcnn\nlayers: [3, 4, 2]\n"


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "fig.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.fixture
def server(spec_file: Path) -> Iterator[Server]:
    with background(spec_file) as running:
        yield running


def raw(server: Server, method: str, path: str, headers: list[tuple[str, str]], body: bytes = b"",
        length: bool = True) -> tuple[int, str]:
    """One request written byte by byte (headers in order, repeated as given): status, body."""
    lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers)]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        sock.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    size = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    assert len(rest) == size, "one answer, and nothing after it"
    return int(head.split()[1]), rest.decode("utf-8", "replace")


def update_body(text: str = "style: fcnn\nlayers: [5, 5]\n", ident: int = 1) -> bytes:
    return json.dumps({"client": "a", "id": ident, "text": text}).encode()


def good_headers(server: Server) -> dict[str, str]:
    return {"Host": f"127.0.0.1:{server.port}", "Origin": f"http://127.0.0.1:{server.port}",
            "Content-Type": "application/json", "Referer": f"http://127.0.0.1:{server.port}/{server.token}/"}


# --- class 5: one of each header the checks read -------------------------------------------------

def header_variants(server: Server) -> list[tuple[str, list[tuple[str, str]]]]:
    """For each header: (its name, the request's headers) with it twice or three times, the good
    value first or last, the same value twice, the name in another case."""
    good = good_headers(server)
    bad = {"Host": "evil.example:80", "Origin": "http://evil.example", "Content-Type": "text/plain",
           "Referer": "http://evil.example/", "Transfer-Encoding": "chunked"}
    out = []
    for name in ("Host", "Origin", "Content-Type", "Referer", "Transfer-Encoding"):
        rest = [(k, v) for k, v in good.items() if k != name]
        value = good.get(name, "identity")
        for twice in ([(name, value), (name, bad[name])], [(name, bad[name]), (name, value)],
                      [(name, value), (name, value)], [(name, value), (name.upper(), value)],
                      [(name, value), (name.lower(), bad[name]), (name, value)]):
            out.append((name, [*rest, *twice]))
    return out


def test_a_repeated_header_is_refused_on_every_request(server: Server, spec_file: Path) -> None:
    """Two Host headers (the first decided), two Origins, Content-Types...: each 400, nothing
    written; the same request with one of each is served."""
    for name, headers in header_variants(server):
        count = sum(1 for k, _ in headers if k.lower() == name.lower())
        for method, path, body in (("POST", f"/{server.token}/update", update_body()),
                                   ("GET", f"/{server.token}/state", b""), ("GET", f"/{server.token}/", b"")):
            status, answer = raw(server, method, path, headers, body, length=method == "POST")
            assert status == 400, (name, headers, method, status, answer[:200])
            assert answer == f"refused: {count} {name} headers; a request has one at most\n", answer
    assert spec_file.read_text("utf-8") == SPEC  # nothing written
    status, answer = raw(server, "POST", f"/{server.token}/update", list(good_headers(server).items()), update_body())
    assert status == 200 and json.loads(answer)["saved"], answer


@pytest.mark.parametrize("values", [("12", "12"), ("12", "999"), ("999", "12"), ("0", "12")])
def test_a_repeated_content_length_is_refused(server: Server, spec_file: Path, values: tuple[str, str]) -> None:
    body = update_body()
    headers = [(k, v) for k, v in good_headers(server).items()]
    headers += [("Content-Length", str(len(body))), *(("Content-Length", v) for v in values)]
    status, answer = raw(server, "POST", f"/{server.token}/update", headers, body, length=False)
    assert status == 400 and answer == "refused: 3 Content-Length headers; a request has one at most\n", answer
    assert spec_file.read_text("utf-8") == SPEC


@pytest.mark.parametrize("value", ["+60", " 6_0", "0x3c", "-1", "6e1", "١٢"])
def test_a_content_length_that_is_not_digits_is_refused(server: Server, value: str) -> None:
    headers = [*good_headers(server).items(), ("Content-Length", value)]
    status, answer = raw(server, "POST", f"/{server.token}/update", headers, update_body()[:60], length=False)
    assert status == 411 and "Content-Length (a whole number of bytes)" in answer, answer


# --- class 13: nesting ---------------------------------------------------------------------------------

def nested(shape: str, depth: int) -> str:
    """A JSON value ``depth`` deep: arrays, objects, or both by turns."""
    if shape == "arrays":
        return "[" * depth + "1" + "]" * depth
    if shape == "objects":
        return '{"a": ' * depth + "1" + "}" * depth
    opening = "".join("[" if k % 2 else '{"k": ' for k in range(depth))
    return opening + "1" + "".join("]" if k % 2 else "}" for k in reversed(range(depth)))


def post(server: Server, body: bytes) -> tuple[int, str]:
    return raw(server, "POST", f"/{server.token}/update", list(good_headers(server).items()), body)


@pytest.mark.parametrize("shape", ["arrays", "objects", "mixed"])
@pytest.mark.parametrize("where", ["body", "data", "text"])
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000, 300_000])
def test_an_update_nested_too_deep_is_a_400(server: Server, spec_file: Path, shape: str, where: str,
                                            depth: int) -> None:
    """Deeper than the bound: the whole body, inside ``data``, beside ``text``: one 400 naming the
    depth, fast, nothing written (a thousand deep was a 500 from the parser's RecursionError)."""
    inner = nested(shape, depth - 1)  # one level is the update object itself
    body = {"body": nested(shape, depth), "data": f'{{"client": "a", "id": 1, "data": {inner}}}',
            "text": f'{{"client": "a", "id": 1, "text": "x", "more": {inner}}}'}[where]
    assert len(body) <= editor.MAX_BODY
    start = time.process_time()
    status, answer = post(server, body.encode())
    assert time.process_time() - start < 2
    assert status == 400, (status, answer[:200])
    assert answer == f"refused: the update nests {depth:,} deep (at most {MAX_JSON_DEPTH}: a spec nests a few levels)\n"
    assert spec_file.read_text("utf-8") == SPEC


@pytest.mark.parametrize("shape", ["arrays", "objects", "mixed", "in-a-string"])
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1, MAX_JSON_DEPTH + 2])
def test_nesting_around_the_bound(server: Server, shape: str, depth: int) -> None:
    """Up to the bound the update is read and answered as usual (here: the spec's own error for
    its extra option); past it, refused. Brackets inside a string (escaped quotes among them)
    are no nesting at all."""
    value = json.dumps('[{\\"' * depth) if shape == "in-a-string" else nested(shape, depth - 2)
    body = f'{{"client": "a", "id": 1, "data": {{"style": "fcnn", "layers": [3, 3], "x": {value}}}}}'
    status, answer = post(server, body.encode())
    if depth <= MAX_JSON_DEPTH or shape == "in-a-string":
        assert status == 200, answer[:200]
        assert "unknown option 'x'" in json.loads(answer)["error"]
    else:
        assert status == 400 and answer.startswith(f"refused: the update nests {depth} deep"), answer[:200]


# --- class 7: a heavy render holds up no other page for long -----------------------------------------

@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(editor, "RENDER_WAIT_SECONDS", 0.5)
    return 0.5


@pytest.mark.parametrize("request_of", ["update", "state"])
def test_a_request_waiting_for_a_held_render_is_a_503(server: Server, spec_file: Path, short_wait: float,
                                                      request_of: str) -> None:
    """While another render holds the turn (the lock held here), an update and a page's load are
    answered 503 busy after the wait, not when the render ends; nothing is written; once the
    turn is free they are served. The file watcher is no page: an edit on disk meanwhile waits
    for its turn and is shown."""
    path, body = (f"/{server.token}/update", update_body()) if request_of == "update" else \
        (f"/{server.token}/state", b"")
    method = "POST" if body else "GET"
    headers = list(good_headers(server).items())
    with server.session.render_lock:
        spec_file.write_text("style: fcnn\nlayers: [7, 7]\n", "utf-8")
        start = time.monotonic()
        status, answer = raw(server, method, path, headers, body, length=bool(body))
        waited = time.monotonic() - start
        time.sleep(short_wait)
    assert status == 503, answer
    assert answer == f"busy: another figure has been drawing for over {short_wait:g} s; this one was not drawn " \
                     "(nor saved): try again\n"
    assert short_wait * 0.9 < waited < short_wait + 10
    deadline = time.monotonic() + 10
    while server.session.text != "style: fcnn\nlayers: [7, 7]\n" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.session.text == "style: fcnn\nlayers: [7, 7]\n"
    status, answer = raw(server, method, path, headers, body, length=bool(body))
    assert status == 200, answer


def test_a_heavy_spec_does_not_hold_up_another_page(server: Server, short_wait: float) -> None:
    """Page a sends a blocks figure that takes seconds to draw; page b's load meanwhile is a 503
    within the wait (it waited for the whole render before), and a's figure still arrives."""
    heavy = json.dumps({"style": "blocks", "layers": ["input"] + ["relu"] * 299,
                        "connections": [f"0:{i}" for i in range(2, 300)]})
    answers: dict[str, tuple[int, str]] = {}
    sender = threading.Thread(target=lambda: answers.setdefault("a", post(server, update_body(heavy))))
    sender.start()
    deadline = time.monotonic() + 30
    while not server.session.render_lock.locked() and time.monotonic() < deadline:
        time.sleep(0.005)
    start = time.monotonic()
    status, answer = raw(server, "GET", f"/{server.token}/state", list(good_headers(server).items()))
    waited = time.monotonic() - start
    rendering = server.session.render_lock.locked()
    sender.join(60)
    assert status == 503 and answer.startswith("busy: "), (status, answer[:200])
    assert rendering or waited < short_wait + 1  # answered while a's render went on
    assert answers["a"][0] == 200 and json.loads(answers["a"][1])["saved"]
