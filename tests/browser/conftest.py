"""A real browser for the pages: Playwright driving Debian's Chromium, headless, against the real server.

Playwright's Python package ships its own driver but not a browser; the browser is the
system's Chromium (`apt-get install chromium`, done by .ci/run), launched with the
background networking turned off so it makes no connection beyond the loopback server.
OFSTED_KG_CHROMIUM names another binary. A missing browser is an error, not a skip: these
tests run only when asked for (`make test-browser`), and a skip would hide that nothing ran.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.server.conftest import start_server, stop_server

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-extensions"]


def chromium_path() -> str:
    path = os.environ.get("OFSTED_KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not Path(path).exists():
        pytest.fail("no Chromium found: install Debian's (apt-get install chromium) or set OFSTED_KG_CHROMIUM")
    return path


@pytest.fixture(scope="session")
def site(built):
    """The seed graph served by the real `ofsted-kg serve` on 127.0.0.1, ended by its PID."""
    running = start_server("--graph", str(built[1]), "--timeout", "10", "--workers", "2")
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture()
def page_without_js(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, java_script_enabled=False)
    opened = context.new_page()
    yield opened
    context.close()
