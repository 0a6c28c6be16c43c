"""A small, independent link checker for built sites (used by several tests)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import html5lib


def page_links(html: str) -> list[str]:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    links = []
    for el in doc.iter():
        for attr in ("href", "src"):
            if el.get(attr):
                links.append(el.get(attr))
    return links


def broken_links(output: Path, base_url: str) -> list[str]:
    """Every internal link (by base URL) that does not lead to a file, as 'page -> link'."""
    base = urlsplit(base_url)
    broken = []
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        page_url = urljoin(base_url, rel[: -len("index.html")] if rel.endswith("index.html")
                           else rel)
        for link in page_links(page.read_text(encoding="utf-8")):
            target = urlsplit(urljoin(page_url, link))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue
            if not target.path.startswith(base.path):
                broken.append(f"{rel} -> {link} (outside {base.path})")
                continue
            local = target.path[len(base.path):]
            file = output / (local + "index.html" if local == "" or local.endswith("/")
                             else local)
            if not file.is_file():
                broken.append(f"{rel} -> {link}")
    return broken
