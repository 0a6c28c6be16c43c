"""Headless Chromium for the end-to-end tests: a loopback server and page visits.

The browser is Debian's `chromium` (or $DRAWDESK_CHROMIUM), driven through the
`playwright` package from PyPI with `executable_path`: nothing is downloaded.
axe-core comes pinned from PyPI too (the `axe-playwright-python` package ships
`axe.min.js`), so `pip install -e '.[test]'` brings everything but the browser.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [  # the flags this machine needs; Playwright adds --headless, --no-sandbox
    "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]  # and a fresh --user-data-dir of its own for every launch


def unavailable(reason: str) -> None:
    """Skip on a developer machine without the tool; fail in CI, where it must be."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI installs it: see .ci/run)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    for candidate in (os.environ.get("DRAWDESK_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def axe_script() -> Path:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).resolve().parent / "axe.min.js"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder under the base URL's path, as a static host would."""

    prefix = "/news/"

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(self.prefix):
            return "/nonexistent/" + clean  # a 404
        return super().translate_path("/" + clean[len(self.prefix):])

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


@contextlib.contextmanager
def serve(root: Path, prefix: str) -> Iterator[str]:
    """Serve `root` at http://127.0.0.1:PORT{prefix}; yields that address."""
    handler = functools.partial(type("Handler", (_Handler,), {"prefix": prefix}),
                                directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@dataclass
class Visit:
    """An open page and everything that went wrong while it loaded."""

    page: Any  # playwright.sync_api.Page
    status: int | None
    problems: list[str] = field(default_factory=list)


@contextlib.contextmanager
def visit(browser: Any, origin: str, url: str, *, width: int = 1280, height: int = 800,
          scheme: str = "light", javascript: bool = True) -> Iterator[Visit]:
    """Open `url` in a fresh context; requests outside `origin` are blocked and reported."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  color_scheme=scheme, java_script_enabled=javascript,
                                  reduced_motion="reduce", service_workers="block")
    problems: list[str] = []

    def route(route: Any) -> None:
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            problems.append(f"request outside the site: {route.request.url}")
            route.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 else None)
    try:
        response = page.goto(url, wait_until="load")
        yield Visit(page, response.status if response else None, problems)
    finally:
        context.close()


AXE_OPTIONS = {
    "resultTypes": ["violations"],
    # axe's defaults plus the WCAG 2.2 AA target-size rule, which axe leaves off
    "rules": {"target-size": {"enabled": True}},
}


def axe_violations(page: Any) -> list[str]:
    """Every axe-core violation on the page, whatever its impact, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    result = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    return [f"{v['id']} ({v['impact']}): {v['help']}: "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            for v in result["violations"]]


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no sideways scroll)."""
    return page.evaluate("""() => Math.max(document.documentElement.scrollWidth,
                                           document.body.scrollWidth) - window.innerWidth""")
