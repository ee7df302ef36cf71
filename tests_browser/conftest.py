"""Fixtures for testing the built site in a real browser.

The site in ``docs/_build/html`` (or ``$NLPTUT_SITE``) is served by a local
HTTP server on 127.0.0.1 (a free port, in a thread, stopped after the tests)
and opened in headless Chromium from Debian (``/usr/bin/chromium``, or
``$NLPTUT_CHROMIUM``) driven by Playwright. Playwright never downloads a
browser here. Every request to another host is blocked and recorded, so a
test can assert that a page tries to load nothing from outside.

Screenshots go to ``docs/_build/screenshots/`` (or ``$NLPTUT_SCREENSHOTS``).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browsing import CHROMIUM, CHROMIUM_FLAGS, SCREENSHOTS, SITE, TIMEOUT_MS, Visitor, new_visitor


def pytest_configure(config: pytest.Config) -> None:
    if not (SITE / "index.html").is_file():
        raise pytest.UsageError(
            f"no built site at {SITE}; build it first with `nox -s docs` "
            "(or set NLPTUT_SITE to a built site)"
        )
    if not Path(CHROMIUM).is_file():
        raise pytest.UsageError(
            f"Chromium not found at {CHROMIUM}; install Debian's `chromium` package "
            "(apt-get install -y chromium chromium-driver) or set NLPTUT_CHROMIUM"
        )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The site, served on 127.0.0.1 for the length of the test session."""
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS, timeout=TIMEOUT_MS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def visitor(browser: object, base_url: str) -> Iterator[Visitor]:
    """A fresh tab (light colour scheme)."""
    v = new_visitor(browser, base_url, "light")
    try:
        yield v
    finally:
        v.page.context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
