"""``nnsvg edit`` in a real browser: Debian's Chromium driven by Playwright (``pip install
'.[edit-test]'``; Playwright's own browser download is not used). Skipped, with the reason,
when either is missing; CI installs both (.ci/apt-packages, .ci/extras)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nnsvg import export, styles
from nnsvg import spec as specs
from nnsvg.cli import main
from nnsvg.editor import Server, background
from nnsvg.spec import fields

CHROMIUM = os.environ.get("NNSVG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set NNSVG_CHROMIUM)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[edit-test]')")

TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "fig.yaml"
    path.write_text("style: fcnn\nlayers: [3, 4, 2]\n", encoding="utf-8")
    return path


@pytest.fixture
def server(spec_file: Path) -> Iterator[Server]:
    with background(spec_file) as running:
        yield running


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(server.url)
    opened.wait_for_selector("body[data-ready='1']", state="attached")
    yield opened
    context.close()
    assert errors == []


def settled(page: Any) -> None:
    """Wait until no edit is waiting or under way."""
    page.wait_for_function("() => document.body.dataset.busy !== '1' && !document.querySelector('#status')"
                           ".textContent.startsWith('editing')")


def circles(page: Any) -> int:
    return int(page.locator("#figure svg circle").count())


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_the_page_shows_the_figure_and_a_control_per_option(page: Any) -> None:
    assert circles(page) == 3 + 4 + 2
    declared = fields.options(styles.STYLES["fcnn"].spec_class())
    shown = page.eval_on_selector_all("#controls [data-option]", "els => els.map(e => e.dataset.option)")
    assert shown == ["layers", *[n for n in declared if n not in fields.options(specs.base.BaseSpec)],
                     *fields.options(specs.base.BaseSpec)]
    assert page.locator("#layer-rows > .layer-row").count() == 3
    assert page.locator("#range-node_diameter").get_attribute("max") == "1000"
    # log-spaced over the declared 1 to 1000: the default 20 sits at ln 20 / ln 1000 of the way
    assert page.locator("#range-node_diameter").input_value() == "434"
    assert page.locator("#range-unroll").count() == 0  # fcnn has no unroll; rnn's 0..64 is linear
    assert page.locator("#input-direction option").all_inner_texts() == ["right", "left", "up", "down"]
    assert page.locator("#spec").input_value() == "style: fcnn\nlayers: [3, 4, 2]\n"


def test_moving_a_slider_redraws_and_saves(page: Any, spec_file: Path) -> None:
    inode = spec_file.stat().st_ino
    before = page.locator("#figure svg circle").first.get_attribute("r")
    assert before == "10"
    box = page.locator("#range-node_diameter").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)  # a real move of the slider
    page.wait_for_function("() => document.querySelector('#figure svg circle').getAttribute('r') !== '10'")
    settled(page)
    value = float(page.locator("#input-node_diameter").input_value())
    assert value > 20
    r = float(page.locator("#figure svg circle").first.get_attribute("r"))
    assert r == pytest.approx(value / 2, abs=0.01)
    spec = specs.load(spec_file)
    assert spec.node_diameter == value  # type: ignore[union-attr]
    assert spec_file.stat().st_ino != inode and leftovers(spec_file.parent) == []
    assert "saved" in page.locator("#status").inner_text()


def test_a_bad_value_shows_its_error_at_the_control_and_keeps_the_figure(page: Any, spec_file: Path) -> None:
    before_file = spec_file.read_bytes()
    before_svg = page.locator("#figure").inner_html()
    page.locator("#input-node_diameter").fill("abc")
    error = page.locator("#control-node_diameter .err")
    error.wait_for(state="visible")
    assert error.inner_text() == "node_diameter: expected a number, got 'abc'"
    assert "error" in (page.locator("#control-node_diameter").get_attribute("class") or "")
    assert "not saved" in page.locator("#status").inner_text()
    assert page.locator("#figure").inner_html() == before_svg  # the last good figure stays
    assert spec_file.read_bytes() == before_file
    assert page.locator("#bad-line").inner_text() == "3"  # the text pane shows the data's line
    page.locator("#input-node_diameter").fill("30")
    page.wait_for_function("() => document.querySelector('#control-node_diameter .err').textContent === ''")
    settled(page)
    assert "node_diameter: 30" in spec_file.read_text("utf-8")


def test_a_bad_line_in_the_text_pane_is_marked(page: Any, spec_file: Path) -> None:
    page.locator("#spec").fill("style: fcnn\nlayers: [3, 4, 2]\nbias: maybe\n")
    page.locator("#text-error").wait_for(state="visible")
    assert page.locator("#text-error").inner_text() == "line 3: bias: expected true or false, got 'maybe'"
    assert page.locator("#bad-line").inner_text() == "3"
    assert "bias: expected true or false" in page.locator("#control-bias .err").inner_text()
    page.locator("#spec").fill("style: fcnn\nlayers: [3, 4, 2\n")
    page.wait_for_function("() => document.querySelector('#text-error').textContent.includes('not valid YAML')")
    page.locator("#spec").fill("# mine\nstyle: fcnn\nlayers: [2, 2]\nbias: true\n")
    page.wait_for_function("() => document.querySelector('#text-error').textContent === ''")
    settled(page)
    assert spec_file.read_text("utf-8") == "# mine\nstyle: fcnn\nlayers: [2, 2]\nbias: true\n"
    assert page.locator("#input-bias").is_checked()  # the controls follow the text
    assert circles(page) == 2 + 2 + 1


def test_layers_are_added_moved_and_removed(page: Any, spec_file: Path) -> None:
    page.click("#add-layer")
    page.wait_for_function("() => document.querySelectorAll('#figure svg circle').length === 11")
    settled(page)
    assert specs.load(spec_file).layers[-1].size == 2  # type: ignore[union-attr]
    assert len(specs.load(spec_file).layers) == 4
    page.locator("#layer-rows > .layer-row[data-index='0'] button[title='move down']").click()
    page.wait_for_function("() => document.querySelector('#spec').value.includes('[4, 3, 2, 2]')")
    settled(page)
    assert [layer.size for layer in specs.load(spec_file).layers] == [4, 3, 2, 2]  # type: ignore[union-attr]
    page.locator("#layer-rows > .layer-row[data-index='3'] button[title='remove this layer']").click()
    page.wait_for_function("() => document.querySelectorAll('#figure svg circle').length === 9")
    page.locator("#layer-rows > .layer-row[data-index='2'] input[aria-label='layer 3 label']").fill("ŷ")
    page.wait_for_function("() => document.querySelector('#spec').value.includes('ŷ')")
    settled(page)
    assert specs.load(spec_file).layers[2].label == "ŷ"  # type: ignore[union-attr]


def test_an_edit_on_disk_updates_the_page(page: Any, spec_file: Path) -> None:
    export.write_atomic(spec_file, b"style: fcnn\nlayers: [5, 5]  # another editor\nbias: true\n")
    page.wait_for_function("() => document.querySelector('#spec').value.includes('another editor')")
    page.wait_for_function("() => document.querySelectorAll('#figure svg circle').length === 11")
    assert page.locator("#input-bias").is_checked()
    assert page.locator("#status").inner_text() == "the file changed on disk: shown"


def test_download_pdf_is_the_clis(page: Any, spec_file: Path, tmp_path: Path) -> None:
    with page.expect_download() as download:
        page.click("#download-pdf")
    got = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == "fig.pdf"
    assert main(["render", str(spec_file), "-o", str(tmp_path / "cli.pdf")]) == 0
    assert got == (tmp_path / "cli.pdf").read_bytes() and got.startswith(b"%PDF")


def test_switching_style_starts_from_its_example(page: Any, spec_file: Path) -> None:
    page.locator("#theme").select_option("dark")
    page.locator("#style").select_option("lenet")
    page.wait_for_function("() => document.querySelector('#spec').value.includes('lenet')")
    settled(page)
    spec = specs.load(spec_file)
    assert spec.style == "lenet" and spec.theme == "dark"
    assert [layer.token for layer in spec.layers] == styles.STYLES["lenet"].example_layers()
    assert page.locator("#control-map_size").count() == 1 and page.locator("#control-bias").count() == 0


def test_two_hundred_rapid_edits(page: Any, server: Server, spec_file: Path) -> None:
    """200 slider moves 2 ms apart: debounced and overtaken renders are dropped, so far fewer
    than 200 are drawn; the file ends as the last edit; a reader of the file during the run
    never sees a partial file; it all takes a few seconds."""
    seen: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(spec_file.read_text("utf-8"))
            time.sleep(0.002)

    reader = threading.Thread(target=read)
    reader.start()
    renders = server.session.renders
    started = time.monotonic()
    last = page.evaluate("""async () => {
        const range = document.querySelector('#range-node_diameter');
        let value = '';
        for (let i = 0; i < 200; i++) {
            range.value = String(100 + (i * 37) % 800);
            range.dispatchEvent(new Event('input', {bubbles: true}));
            value = document.querySelector('#input-node_diameter').value;
            await new Promise(r => setTimeout(r, 2));
        }
        return value;
    }""")
    settled(page)
    page.wait_for_function(f"() => document.querySelector('#spec').value.includes('node_diameter: {last}')")
    elapsed = time.monotonic() - started
    stop.set()
    reader.join()
    drawn = server.session.renders - renders
    assert specs.load(spec_file).node_diameter == float(last)  # type: ignore[union-attr]
    assert 1 <= drawn < 100, drawn
    assert elapsed < 30
    assert all(text.startswith("style: fcnn\nlayers: [3, 4, 2]\n") for text in seen)
    assert leftovers(spec_file.parent) == []
    # an ordinary edit is drawn and back within the ~100 ms the issue asks (generous for CI)
    page.locator("#input-node_diameter").fill("24")
    page.wait_for_function("() => /rendered in \\d+ ms/.test(document.querySelector('#status').textContent)")
    ms = int(page.locator("#status").inner_text().split("rendered in ")[1].split(" ms")[0])
    assert ms < 500


def test_an_edit_in_one_page_reaches_another(page: Any, browser: Any, server: Server, spec_file: Path) -> None:
    other = browser.new_page()
    other.set_default_timeout(TIMEOUT_MS)
    try:
        other.goto(server.url)
        other.wait_for_selector("body[data-ready='1']", state="attached")
        other.wait_for_timeout(300)  # its event stream is open
        page.locator("#input-bias").check()
        other.wait_for_function("() => document.querySelector('#input-bias').checked")
        other.wait_for_function("() => document.querySelectorAll('#figure svg circle').length === 11")
        assert "bias: true" in other.locator("#spec").input_value()
    finally:
        other.close()
