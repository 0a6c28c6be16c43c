"""Reading a built site back: its pages, their URLs, metadata and JSON-LD."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import lxml.html

BASE_URL = "https://example.org/news/"  # the sample site's base_url
BASE_PATH = "/news/"
EDITIONS = {"en": "en-CA", "fr": "fr-CA"}  # the sample's language folders


@dataclass
class Page:
    """One HTML file of a built site."""

    root: Path
    file: Path

    @property
    def rel(self) -> str:
        """The file's path under the output folder: 'draws/x/index.html'."""
        return self.file.relative_to(self.root).as_posix()

    @property
    def url_path(self) -> str:
        """The page's path under the base URL: 'draws/x/' ('' for the home page)."""
        rel = self.rel
        return rel[: -len("index.html")] if rel.endswith("index.html") else rel

    @property
    def prefix(self) -> str:
        """The language edition's folder ('en/', 'fr/'), '' for the root of the site."""
        first = self.rel.split("/", 1)[0]
        return first + "/" if first in EDITIONS else ""

    @property
    def lang_tag(self) -> str:
        return EDITIONS.get(self.prefix.rstrip("/"), "en-CA")

    @property
    def kind(self) -> str:
        """The page type, from its folder pattern inside its edition."""
        inner = self.url_path[len(self.prefix):]
        parts = inner.strip("/").split("/")
        if not self.prefix and inner in ("", "404.html"):  # the root of a bilingual site
            return "root" if inner == "" else "404-root"
        if inner == "404.html":
            return "404"
        if parts == [""]:
            return "home"
        if parts[0] == "page":
            return "home-paged"
        if parts[0] == "draws":
            return "article"
        if parts[0] == "posts":
            return "post"
        if parts[0] in ("archive", "stats", "data", "corrections"):
            return parts[0]
        if parts[0] == "category":
            if len(parts) == 1:
                return "categories"
            return "category-paged" if "page" in parts else "category"
        if parts[0].isdigit():
            return "year"
        return "other"

    @cached_property
    def html(self) -> str:
        return self.file.read_text(encoding="utf-8")

    @cached_property
    def doc(self) -> lxml.html.HtmlElement:
        return lxml.html.document_fromstring(self.html)

    def meta(self, name: str) -> str | None:
        """The content of <meta name=...> or <meta property=...>."""
        found = self.doc.xpath("//meta[@name=$n or @property=$n]/@content", n=name)
        return found[0] if found else None

    @property
    def title(self) -> str:
        return self.doc.findtext(".//title") or ""

    @property
    def canonical(self) -> str | None:
        found = self.doc.xpath("//link[@rel='canonical']/@href")
        return found[0] if found else None

    @cached_property
    def jsonld(self) -> list[dict]:
        return [json.loads(s.text) for s in
                self.doc.xpath("//script[@type='application/ld+json']")]

    def jsonld_of(self, kind: str) -> list[dict]:
        return [block for block in self.jsonld if block.get("@type") == kind]


def pages(root: Path) -> list[Page]:
    """Every HTML page of a built site, in a stable order."""
    return [Page(root, f) for f in sorted(root.rglob("*.html"))]


def text_of(element: lxml.html.HtmlElement) -> str:
    """An element's text with HTML whitespace collapsed (no-break spaces are kept)."""
    return re.sub(r"[ \t\n\r\f]+", " ", element.text_content()).strip()


def largest(root: Path, kind: str) -> Page:
    """The biggest page of a type (by bytes)."""
    return max((p for p in pages(root) if p.kind == kind), key=lambda p: p.file.stat().st_size)
