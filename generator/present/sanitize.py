"""Editor Markdown to safe HTML.

python-markdown renders; nh3 (a maintained, Rust-backed sanitizer) removes raw
HTML, event handlers and dangerous URLs. Headings are moved down so the
editor's highest heading becomes an h3, under the section's h2, and the rest
keep their order without skipping a level: `# A` / `## B` and `### A` /
`#### B` both give h3 / h4, never competing with the page's h1 and h2. A post's
body, directly under the page's h1, starts at h2 (`top=2`).

Links to other entries by their file path (`../draws/2025-07-22-healthcare.yaml`) are
given their page's URL before sanitizing (`links`); a link to an entry that is not
published keeps its text and loses its address.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html import unescape

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "h3", "h4", "h5", "h6", "blockquote",
         "code", "pre", "br"}
_ATTRIBUTES = {"a": {"href", "title"}}
_HEADING = re.compile(r"<(/?)h([1-6])>")
_SPACES = re.compile(r"[ \t\n\r\f]+")
# A link whose address the sanitizer removed (javascript:...): its text stays, the element
# goes (an <a> with rel but no href is invalid HTML).
_NO_HREF = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.S)


def _outline(html: str, top: int = 3) -> str:
    """Renumber headings from `top` down, one level per level the editor used."""
    used = sorted({int(m.group(2)) for m in _HEADING.finditer(html)})
    levels = {level: min(top + rank, 6) for rank, level in enumerate(used)}
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{levels[int(m.group(2))]}>", html)


class _EntryLinks(Treeprocessor):
    """Give links to entries by file path their page's URL (None: not published)."""

    def __init__(self, md: markdown.Markdown, links: dict[str, str | None]):
        super().__init__(md)
        self.links = links

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter("a"):
            href = element.get("href")
            if href is None or href not in self.links:
                continue
            url = self.links[href]
            if url is None:  # sanitizing drops the element and keeps its text
                element.tag = "span"
                del element.attrib["href"]
            else:
                element.set("href", url)


class _LinksExtension(Extension):
    def __init__(self, links: dict[str, str | None]):
        super().__init__()
        self.links = links

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - markdown's API
        md.treeprocessors.register(_EntryLinks(md, self.links), "drawdesk_links", 1)


def render_markdown(text: str, links: dict[str, str | None] | None = None,
                    top: int = 3) -> Markup:
    """Render and sanitize editor Markdown; `links` maps link targets as written (entry
    files) to URLs, and headings start at h`top`."""
    extensions = [_LinksExtension(links)] if links else []
    html = markdown.markdown(text, output_format="html", extensions=extensions)
    html = _outline(html, top)
    tags = _TAGS | {f"h{top}"}
    clean = nh3.clean(html, tags=tags, attributes=_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return Markup(_NO_HREF.sub(r"\1", clean).strip())


def plain_text(html: str) -> str:
    """The text of a fragment of HTML, whitespace collapsed."""
    text = unescape(nh3.clean(html, tags=set()))  # every reference (&nbsp;), not just &lt;
    return _SPACES.sub(" ", text).strip()  # HTML's white space: a no-break space stays
