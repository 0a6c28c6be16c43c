"""sitemap.xml, news-sitemap.xml (Google News) and robots.txt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from ..core.outputs import OutputFile
from .feeds import xml_text
from .urls import Urls

if TYPE_CHECKING:
    from .pages import Edition

NEWS_SITEMAP = "news-sitemap.xml"
NEWS_DAYS = 2  # Google News sitemaps list the articles of the last two days


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
    robots = (f"User-agent: *\nAllow: /\n\nSitemap: {urls.full('sitemap.xml')}\n"
              f"Sitemap: {urls.full(NEWS_SITEMAP)}\n")
    return [OutputFile("sitemap.xml", ("\n".join(lines) + "\n").encode("utf-8"), "other"),
            OutputFile("robots.txt", robots.encode("utf-8"), "other")]


def is_news(date: dt.date, today: dt.date) -> bool:
    """Whether an article dated `date` is news for a Google News sitemap: dated today or
    yesterday (the build's "today", in the site's time zone)."""
    return 0 <= (today - date).days < NEWS_DAYS


def news_sitemap(editions: Sequence[Edition], urls: Urls, today: dt.date) -> list[OutputFile]:
    """news-sitemap.xml: every edition's articles (draws and posts) of the last two days,
    newest first, in the structure Google documents (publication name and language,
    publication date, title); with none, an empty list, so the address in robots.txt
    stays valid."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">']
    for edition in editions:
        name = edition.data.site.title[edition.lang]
        for item in edition.data.timeline:
            if not is_news(item.date, today):
                continue
            page, title = edition.page_and_title(item)
            lines.append(
                f"  <url><loc>{escape(urls.full(page))}</loc>"
                "<news:news><news:publication>"
                f"<news:name>{escape(xml_text(name))}</news:name>"
                f"<news:language>{edition.lang}</news:language></news:publication>"
                f"<news:publication_date>{item.published.isoformat()}</news:publication_date>"
                f"<news:title>{escape(xml_text(title))}</news:title></news:news></url>")
    lines.append("</urlset>")
    return [OutputFile(NEWS_SITEMAP, ("\n".join(lines) + "\n").encode("utf-8"), "other")]
