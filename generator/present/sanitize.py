"""Editor Markdown to safe HTML.

python-markdown renders; nh3 (a maintained, Rust-backed sanitizer) removes raw
HTML, event handlers and dangerous URLs. Headings are moved down so the
editor's highest heading becomes an h3, under the section's h2, and the rest
keep their order without skipping a level: `# A` / `## B` and `### A` /
`#### B` both give h3 / h4, never competing with the page's h1 and h2.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markupsafe import Markup

_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "h3", "h4", "h5", "h6", "blockquote",
         "code", "pre", "br"}
_ATTRIBUTES = {"a": {"href", "title"}}
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _outline(html: str) -> str:
    """Renumber headings from h3 down, one level per level the editor used."""
    used = sorted({int(m.group(2)) for m in _HEADING.finditer(html)})
    levels = {level: min(3 + rank, 6) for rank, level in enumerate(used)}
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{levels[int(m.group(2))]}>", html)


def render_markdown(text: str) -> Markup:
    """Render and sanitize editor Markdown."""
    html = markdown.markdown(text, output_format="html")
    html = _outline(html)
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return Markup(clean.strip())


def plain_text(html: str) -> str:
    """The text of a fragment of HTML, whitespace collapsed."""
    text = nh3.clean(html, tags=set())
    text = (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&#39;", "'").replace("&amp;", "&"))
    return " ".join(text.split())
