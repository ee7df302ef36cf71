"""Helpers shared by the browser tests: where things are, and a recording tab."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("NLPTUT_SITE", ROOT / "docs" / "_build" / "html")).resolve()
SCREENSHOTS = Path(os.environ.get("NLPTUT_SCREENSHOTS", ROOT / "docs" / "_build" / "screenshots"))
CHROMIUM = os.environ.get("NLPTUT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GALLERY = "auto_examples"
TIMEOUT_MS = 30_000


def tutorial_pages() -> list[str]:
    """Paths (relative to the site) of every rendered gallery tutorial."""
    pages = []
    for html in sorted((SITE / GALLERY).glob("*/*.html")):
        if html.name in {"index.html", "sg_execution_times.html"}:
            continue
        pages.append(html.relative_to(SITE).as_posix())
    return pages


@dataclass
class PageLog:
    """What went wrong while a page loaded."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # local requests that failed
    external: list[str] = field(default_factory=list)  # requests to other hosts (blocked)
    loaded: dict[str, int] = field(default_factory=dict)  # local URL -> bytes (Content-Length)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed]
            + [f"request to another host: {m}" for m in self.external]
        )


@dataclass
class Visitor:
    """A browser tab on the local site that records what goes wrong."""

    page: object
    base_url: str
    log: PageLog

    def open(self, path: str) -> object:
        self.page.goto(self.base_url + path, wait_until="load", timeout=TIMEOUT_MS)
        return self.page


def new_visitor(browser: object, base_url: str, color_scheme: str) -> Visitor:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme=color_scheme, locale="en-US"
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    log = PageLog()
    local = urlsplit(base_url).netloc

    def route(route: object) -> None:
        url = route.request.url
        if urlsplit(url).netloc == local:
            route.continue_()
        else:
            log.external.append(url)
            route.abort()

    page.route("**/*", route)
    page.on(
        "console",
        lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda err: log.page_errors.append(str(err)))

    def on_response(response: object) -> None:
        if response.status >= 400:
            log.failed.append(f"{response.status} {response.url}")
        elif urlsplit(response.url).netloc == local:
            log.loaded[response.url] = int(response.headers.get("content-length") or 0)

    page.on("response", on_response)
    page.on(
        "requestfailed",
        lambda req: (
            None
            if urlsplit(req.url).netloc != local
            else log.failed.append(f"{req.failure} {req.url}")
        ),
    )
    return Visitor(page, base_url, log)
