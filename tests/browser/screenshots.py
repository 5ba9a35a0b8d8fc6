"""Screenshots of every page type at desktop and phone width: `make screenshots`.

Serves the graph with the real `ofsted-kg serve` on 127.0.0.1 (ended by its PID), opens each
page in headless Chromium (Debian's, as tests/browser) at 1280 and 390 px, and writes
`<out>/<page>-desktop.png` and `<out>/<page>-phone.png`. A page taller than MAX_HEIGHT is cut
there: the top of a 100-page document says what the page looks like. A path with a fragment
(`#statistics-over-time`) is shot from that element down.

    python -m tests.browser.screenshots --graph build/ofsted-kg.ttl --out docs/screenshots
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path
from tests.browser.journeys import PAGES, first_judgement_quote
from tests.server.conftest import start_server, stop_server

WIDTHS = {"desktop": 1280, "phone": 390}
MAX_HEIGHT = 2000


def shoot(url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        for device, width in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
            page = context.new_page()
            for name, path in PAGES.items():
                if path is None:  # the document view, at the quote of a judgement
                    path = first_judgement_quote(page, url)
                page.goto(url + path)
                page.wait_for_load_state("networkidle")
                if name == "sparql":
                    page.locator(".yasr table, .yasr .dataTable").first.wait_for(timeout=20_000) \
                        if _run_yasgui(page) else None
                top = 0
                if "#" in path:
                    top = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top + window.scrollY",
                                        path.split("#", 1)[1])
                height = min(page.evaluate("document.documentElement.scrollHeight") - top, MAX_HEIGHT)
                target = out / f"{name}-{device}.png"
                page.screenshot(path=str(target), clip={"x": 0, "y": top, "width": width, "height": height},
                                full_page=True)
                written.append(target)
            context.close()
        browser.close()
    return written


def _run_yasgui(page) -> bool:
    button = page.locator(".yasqe_queryButton").first
    if not button.count():
        return False
    button.click()
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=Path("build/ofsted-kg.ttl"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    if not args.graph.is_file():
        print(f"{args.graph}: no such graph (build it first: ofsted-kg build)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    server = start_server("--graph", str(args.graph), "--timeout", "20", "--workers", "2")
    try:
        for path in shoot(server.url, args.out):
            print(path)
    finally:
        stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
