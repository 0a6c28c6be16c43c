"""Editor Markdown to safe HTML.

python-markdown renders; nh3 (a maintained, Rust-backed sanitizer) removes raw
HTML, event handlers and dangerous URLs. Headings are shifted down two levels
so an editor's `# Heading` never competes with the page's h1 and h2.
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


def _shift(match: re.Match[str]) -> str:
    level = min(int(match.group(2)) + 2, 6)
    return f"<{match.group(1)}h{level}>"


def render_markdown(text: str) -> Markup:
    """Render and sanitize editor Markdown."""
    html = markdown.markdown(text, output_format="html")
    html = _HEADING.sub(_shift, html)
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return Markup(clean.strip())


def plain_text(html: str) -> str:
    """The text of a fragment of HTML, whitespace collapsed."""
    text = nh3.clean(html, tags=set())
    text = (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&#39;", "'").replace("&amp;", "&"))
    return " ".join(text.split())
