"""RSS 2.0 and Atom 1.0 feeds with feedgen, reproducible byte for byte.

feedgen's defaults are set explicitly: entries are appended in our order
(newest first), `updated`/`lastBuildDate` come from the newest draw, never
the clock, and the RSS channel link is added last so it is the home page.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from generator.jsonld import published_at
from generator.models import Draw
from generator.render import Edition, OutputFile

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text with the characters XML 1.0 cannot carry removed."""
    return _XML_INVALID.sub("", value)


def guid(draw: Draw, base_url: str, lang: str = "en") -> str:
    """A permanent id from the draw's identity (round, or date and category).

    The English item keeps the id it had before the site had other editions; a
    translation is another item, with the language after the identity.
    """
    host = urlsplit(base_url).hostname or "localhost"
    suffix = "" if lang == "en" else f"/{lang}"
    return f"tag:{host},{draw.date.year}:drawdesk/draw/{draw.identity}{suffix}"


def _feed(edition: Edition, draws: tuple[Draw, ...], title: str, description: str,
          home_page: str, self_page: str, fallback: dt.datetime,
          self_type: str = "application/rss+xml") -> FeedGenerator:
    site, urls = edition.data.site, edition.urls
    absolute = urls.with_absolute()
    fg = FeedGenerator()
    fg.id(urls.full(home_page))
    fg.title(xml_text(title))
    fg.description(xml_text(description))
    fg.subtitle(xml_text(description))
    fg.language(edition.lang_tag)
    fg.author({"name": xml_text(site.publisher.name), "uri": site.publisher.url})
    fg.link(href=urls.full(self_page), rel="self", type=self_type)
    fg.link(href=urls.full(home_page), rel="alternate")  # last: the RSS channel <link>
    fg.generator("drawdesk", uri="https://example.org/drawdesk")
    newest = published_at(draws[0].date, site) if draws else fallback
    fg.lastBuildDate(newest)
    fg.updated(newest)
    fg.pubDate(newest)
    for draw in draws[: site.feed_items]:
        entry = edition.entries[draw.slug]
        when = published_at(draw.date, site)
        fe = fg.add_entry(order="append")
        fe.id(guid(draw, site.base_url, edition.lang))
        fe.guid(guid(draw, site.base_url, edition.lang), permalink=False)
        fe.title(xml_text(entry.title))
        fe.link(href=urls.full(urls.article(draw.slug)), rel="alternate")
        fe.published(when)
        fe.updated(when)
        fe.pubDate(when)
        fe.category(term=draw.category, label=xml_text(entry.category.name[edition.lang]))
        fe.description(xml_text(entry.summary))
        fe.summary(xml_text(entry.summary))
        fe.content(xml_text(str(edition.article_body(entry, absolute, feed=True))), type="html")
    return fg


def feeds(edition: Edition, fallback: dt.datetime) -> list[OutputFile]:
    """The site's RSS and Atom feeds and one RSS feed per category."""
    data, urls, t = edition.data, edition.urls, edition.t
    site = data.site
    title, description = site.title[edition.lang], site.description[edition.lang]
    main = _feed(edition, data.draws, title, description, urls.home(), urls.feed(), fallback)
    out = [OutputFile(urls.feed(), main.rss_str(pretty=True), "feed")]
    atom = _feed(edition, data.draws, title, description, urls.home(), urls.atom(), fallback,
                 "application/atom+xml")
    out.append(OutputFile(urls.atom(), atom.atom_str(pretty=True), "feed"))
    for key, cat in data.categories.items():
        draws = data.by_category.get(key)
        if not draws:
            continue
        name = cat.name[edition.lang]
        fg = _feed(edition, draws, t.category_feed_title.format(site=title, name=name),
                   cat.description[edition.lang],
                   urls.category(key), urls.category_feed(key), fallback)
        out.append(OutputFile(urls.category_feed(key), fg.rss_str(pretty=True), "feed"))
    return out
