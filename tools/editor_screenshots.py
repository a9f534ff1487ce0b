"""Screenshots of the `nnsvg edit` page, one per style, for the manual (docs/editor.md): gallery/editor/<style>.png.

Each is the editor of a gallery spec (a copy, so nothing in gallery/specs is written), opened
in Debian's Chromium through Playwright, as the browser tests do:

    .venv/bin/pip install -e '.[edit-test]'     # and: apt-get install chromium
    .venv/bin/python tools/editor_screenshots.py

Options: --chromium PATH (default /usr/bin/chromium), --out FOLDER (default gallery/editor).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from nnsvg import styles
from nnsvg.editor import background

REPO = Path(__file__).resolve().parent.parent
SPECS = {"fcnn": "fcnn-colorblind-up.yaml", "lenet": "lenet-colorblind.yaml", "alexnet": "alexnet-paper-dims.yaml",
         "rnn": "rnn-lstm-stack.yaml"}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
VIEWPORT = {"width": 1200, "height": 720}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=REPO / "gallery" / "editor")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    missing = set(styles.STYLES) - set(SPECS)
    if missing:
        print(f"error: no spec chosen for style(s) {', '.join(sorted(missing))}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
        for style, name in SPECS.items():
            copy = Path(folder) / name
            shutil.copyfile(REPO / "gallery" / "specs" / name, copy)
            with background(copy) as server:
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(server.url)
                page.wait_for_selector("body[data-ready='1']", state="attached")
                page.wait_for_selector("#figure svg")
                target = args.out / f"{style}.png"
                page.screenshot(path=str(target))
                page.close()
                print(f"wrote {target.relative_to(REPO) if target.is_relative_to(REPO) else target}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
