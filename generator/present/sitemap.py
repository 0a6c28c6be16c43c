"""sitemap.xml and robots.txt."""

from __future__ import annotations

from xml.sax.saxutils import escape

from ..core.outputs import OutputFile
from .urls import Urls


def sitemap(pages: list[OutputFile], urls: Urls) -> list[OutputFile]:
    """A sitemap of every HTML page with a URL, and a robots.txt pointing to it.

    Pages with translations list them all (themselves included) as xhtml:link
    alternates, as search engines expect.
    """
    listed = sorted((p for p in pages if p.page is not None), key=lambda p: p.path)
    xhtml = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if any(
        p.alternates for p in listed) else ""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{xhtml}>']
    for page in listed:
        assert page.page is not None
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{alt.hreflang}" '
            f'href="{escape(urls.full(alt.page))}"/>' for alt in page.alternates)
        lines.append(f"  <url><loc>{escape(urls.full(page.page))}</loc>"
                     + (f"<lastmod>{page.lastmod}</lastmod>" if page.lastmod else "")
                     + alternates + "</url>")
    lines.append("</urlset>")
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {urls.full('sitemap.xml')}\n"
    return [OutputFile("sitemap.xml", ("\n".join(lines) + "\n").encode("utf-8"), "other"),
            OutputFile("robots.txt", robots.encode("utf-8"), "other")]
