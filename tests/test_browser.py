"""End to end in headless Chromium: the sample site served on loopback.

Every page type, at 320, 375 and 1280 px, in the light and dark colour
schemes: no console error, no failed or outside request, no axe-core
violation of any impact, no sideways scrolling. Then every link from the
home page is followed, the keyboard focus is checked, and the pages are read
without JavaScript and printed.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from browser import (
    CHROMIUM_ARGS,
    axe_violations,
    find_chromium,
    horizontal_overflow,
    serve,
    unavailable,
    visit,
)
from sitepages import BASE_PATH, pages

pytestmark = pytest.mark.browser

SOURCE_ARTICLE = "en/draws/2025-07-22-healthcare/"  # the draw of the source article
WIDTHS = (320, 375, 1280)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    path = find_chromium()
    if path is None:
        unavailable("Chromium is not installed: `apt-get install chromium`, "
                    "or set DRAWDESK_CHROMIUM to a Chromium or Chrome binary")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site_url(sample_site: Path) -> Iterator[str]:
    with serve(sample_site, BASE_PATH) as url:
        yield url


@pytest.fixture(scope="module")
def origin(site_url: str) -> str:
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("DRAWDESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


def _page_types(root: Path) -> dict[str, str]:
    """One page of each type in English, and the French home page and article: their paths
    under the base URL."""
    chosen: dict[str, str] = {"article": SOURCE_ARTICLE,
                              "fr-article": "fr/" + SOURCE_ARTICLE.removeprefix("en/")}
    for page in pages(root):
        if page.prefix != "fr/":
            chosen.setdefault(page.kind, page.url_path)
        elif page.kind == "home":
            chosen["fr-home"] = page.url_path
    return chosen


PAGE_TYPES = ["root", "404-root", "home", "home-paged", "article", "post", "category",
              "category-paged", "categories", "archive", "year", "stats", "data", "corrections",
              "404",
              "fr-home", "fr-article"]


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_page_type_loads_cleanly_is_accessible_and_fits(
        chromium: Any, sample_site: Path, site_url: str, origin: str, screenshots: Path,
        kind: str) -> None:
    path = _page_types(sample_site)[kind]
    for scheme in ("light", "dark"):
        for width in WIDTHS:
            with visit(chromium, origin, site_url + path, width=width, scheme=scheme) as v:
                where = f"{kind} /{path} at {width} px, {scheme}"
                assert v.status == 200, where
                assert v.problems == [], where
                assert v.page.locator("h1").count() == 1, where
                resources = v.page.evaluate(
                    "performance.getEntriesByType('resource').map(e => e.name)")
                assert [r for r in resources if not r.startswith(site_url)] == [], where
                overflow = horizontal_overflow(v.page)
                assert overflow <= 0, f"{where}: {overflow} px of sideways scrolling"
                v.page.screenshot(path=screenshots / f"{kind}-{width}-{scheme}.png",
                                  full_page=True)
                if width != 320:  # axe at a phone's and a desktop's width
                    assert axe_violations(v.page) == [], where
                background = v.page.evaluate("getComputedStyle(document.body).backgroundColor")
                red, green, blue = (int(c) for c in background[4:-1].split(","))
                assert (red + green + blue < 150) == (scheme == "dark"), (where, background)
                assert v.problems == [], where


def test_following_every_link_from_the_home_page_reaches_a_page(
        chromium: Any, sample_site: Path, site_url: str, origin: str) -> None:
    """Breadth-first from the home page over every internal link, in the browser."""
    queue: deque[str] = deque([site_url])
    seen = {site_url}
    ids: dict[str, set[str]] = {}  # the element ids of each page reached
    fragments: set[tuple[str, str]] = set()  # (page, #fragment) links point to
    outside: set[str] = set()
    with visit(chromium, origin, site_url) as v:
        page = v.page
        while queue:
            url = queue.popleft()
            ids[url] = set()
            if not url.endswith(("/", ".html")):  # a feed or a data file: fetched, not shown
                fetched = page.request.get(url)
                assert fetched.status == 200 and fetched.body(), url
                continue
            response = page.goto(url, wait_until="load")
            assert response is not None and response.status == 200, url
            assert "text/html" in (response.headers.get("content-type") or ""), url
            assert page.locator("h1").count() == 1, url
            ids[url] = set(page.eval_on_selector_all("[id]", "es => es.map(e => e.id)"))
            for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
                target, fragment = urldefrag(href)
                if not target.startswith(origin + "/"):
                    outside.add(href)
                    continue
                if fragment:
                    fragments.add((target, fragment))
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        assert v.problems == []
    assert [f"{t}#{f}" for t, f in sorted(fragments) if f not in ids[t]] == []
    # every page of the site can be reached from the home page (404.html is never linked)
    built = {site_url + p.url_path for p in pages(sample_site)
             if p.kind not in ("404", "404-root")}
    assert built - set(ids) == set()
    for href in outside:  # cannot be fetched here: at least well-formed, secure addresses
        parts = urlsplit(href)
        assert parts.scheme == "https" and parts.netloc, href
    print(f"followed {len(ids)} internal URLs; {len(outside)} external links not fetched")


def test_keyboard_focus_is_always_visible_and_the_skip_link_works(
        chromium: Any, site_url: str, origin: str) -> None:
    with visit(chromium, origin, site_url + SOURCE_ARTICLE, width=375) as v:
        page = v.page
        page.keyboard.press("Tab")
        skip = page.evaluate("""() => { const e = document.activeElement,
            r = e.getBoundingClientRect();
            return {cls: e.className, top: r.top, bottom: r.bottom, left: r.left,
                    outline: getComputedStyle(e).outlineStyle}; }""")
        assert "skip-link" in skip["cls"]
        assert skip["top"] >= 0 and skip["left"] >= 0 and skip["bottom"] <= 800, skip
        assert skip["outline"] != "none"
        page.keyboard.press("Enter")
        # the fragment navigation completes after the key event: wait for it (5 s at most)
        page.wait_for_function("() => location.hash === '#main'", timeout=5000)
        assert page.url.endswith("#main")
        for step in range(40):
            page.keyboard.press("Tab")
            state = page.evaluate("""() => { const e = document.activeElement,
                s = getComputedStyle(e), r = e.getBoundingClientRect();
                return {tag: e.tagName, text: e.textContent.trim().slice(0, 40),
                        inMain: !!e.closest('main'), style: s.outlineStyle,
                        width: parseFloat(s.outlineWidth), visible: r.width > 0 &&
                        r.bottom > 0 && r.top < window.innerHeight}; }""")
            if step == 0:
                assert state["inMain"], f"the skip link did not skip to the content: {state}"
            if state["tag"] == "BODY":
                break
            assert state["style"] != "none" and state["width"] >= 2, state
            assert state["visible"], state
        assert v.problems == []


def test_pages_read_the_same_without_javascript(
        chromium: Any, site_url: str, origin: str) -> None:
    texts = []
    for javascript in (True, False):
        with visit(chromium, origin, site_url + SOURCE_ARTICLE, javascript=javascript) as v:
            texts.append(v.page.locator("main").inner_text())
            assert v.problems == []
    assert texts[0] == texts[1]
    assert "Confirmed details from the draw" in texts[1] and "FAQ" in texts[1]


def test_one_local_stylesheet_and_no_web_fonts(
        chromium: Any, site_url: str, origin: str) -> None:
    with visit(chromium, origin, site_url + SOURCE_ARTICLE) as v:
        loaded = v.page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name)")
        assert loaded == [site_url + "assets/style.css"]
        assert v.page.evaluate("document.fonts.size") == 0
        assert v.page.evaluate("document.scripts.length") == len(
            v.page.locator("script[type='application/ld+json']").all())


def test_print_stylesheet(chromium: Any, site_url: str, origin: str, screenshots: Path) -> None:
    with visit(chromium, origin, site_url + SOURCE_ARTICLE) as v:
        page = v.page
        page.emulate_media(media="print", color_scheme="dark")
        style = page.evaluate("""() => ({
            nav: getComputedStyle(document.querySelector('.site-nav')).display,
            crumbs: getComputedStyle(document.querySelector('.breadcrumbs')).display,
            skip: getComputedStyle(document.querySelector('.skip-link')).display,
            color: getComputedStyle(document.body).color,
            background: getComputedStyle(document.body).backgroundColor,
            facts: getComputedStyle(document.querySelector('.key-facts')).breakInside})""")
        assert style == {"nav": "none", "crumbs": "none", "skip": "none",
                         "color": "rgb(0, 0, 0)", "background": "rgb(255, 255, 255)",
                         "facts": "avoid"}
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
        (screenshots / "article-print.pdf").write_bytes(pdf)


def test_a_missing_browser_skips_here_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        unavailable("Chromium is not installed")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI installs it"):
        unavailable("Chromium is not installed")
