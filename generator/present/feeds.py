"""RSS 2.0 and Atom 1.0 feeds with feedgen, reproducible byte for byte.

feedgen's defaults are set explicitly: entries are appended in our order
(newest first), `updated`/`lastBuildDate` come from the newest draw, never
the clock, and the RSS channel link is added last so it is the home page.
A feed with no draw yet (a new site) is dated `NO_DRAW_YET`, the Unix epoch:
Atom requires an `updated` date and nothing has been published to date it by,
and a fixed value keeps the build byte-reproducible; the first draw replaces it.

Every text goes in as the type its element declares, in both formats:

| text | RSS 2.0 | Atom 1.0 |
| --- | --- | --- |
| feed title, item title, category, author | plain text | `type="text"` (the default) |
| feed description (site, category) | `<description>`: HTML | `<subtitle>`: text |
| item summary (plain text) | `<description>`: HTML | `<summary type="text">` |
| item body (HTML from the templates) | `<content:encoded>`: HTML | `<content type="html">` |

RSS readers render `<description>` as HTML, so plain text is HTML-escaped before
it goes there (it then shows double-escaped in the XML): an editor's summary such
as `<img src=x onerror=...>` reaches the reader as text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from functools import partial
from urllib.parse import urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator

from ..core.caching import Recipe, Task
from ..core.models import Category, Draw, Post, Site
from ..core.outputs import OutputFile
from .entry import Entry, Told
from .pages import Edition
from .posts import PostEntry
from .urls import Urls

ATOM_NS = "http://www.w3.org/2005/Atom"
WEBSUB_HUB, ARCHIVES = "hub", "archives"  # link relations (RFC 8288 registry, W3C WebSub)


class _ChannelLinks(BaseExtension):
    """`<atom:link>`s in an RSS channel beyond feedgen's one (rel="self"): the WebSub hub
    and the archive, placed right after the self link."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_ns(self) -> dict[str, str]:
        return {"atom": ATOM_NS}

    def extend_rss(self, feed):  # type: ignore[no-untyped-def] - an lxml element
        channel = feed[0]
        anchor = channel.find(f"{{{ATOM_NS}}}link")
        for attributes in reversed(self.links):
            link = channel.makeelement(f"{{{ATOM_NS}}}link", attributes)
            if anchor is not None:
                anchor.addnext(link)
            else:
                channel.append(link)
        return feed

    def extend_atom(self, feed):  # type: ignore[no-untyped-def]
        return feed


class _NoEntryLinks(BaseEntryExtension):
    """Items carry no extension of ours (feedgen asks every extension for one)."""


def related_links(site: Site, urls, archive_page: str) -> list[dict[str, str]]:
    """Every feed's links beyond itself and its home page: the WebSub hub the site names,
    and the archive of every article (as HTML)."""
    links = [] if site.websub_hub is None else [{"rel": WEBSUB_HUB, "href": site.websub_hub}]
    links.append({"rel": ARCHIVES, "href": urls.full(archive_page), "type": "text/html"})
    return links


# The date of a feed with no item: see the module's docstring.
NO_DRAW_YET = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text with the characters XML 1.0 cannot carry removed."""
    return _XML_INVALID.sub("", value)


def feed_time(item: Draw | Post, site: Site) -> dt.datetime:
    """An item's date: the draw's (or post's) time. Feed formats need a time of day, so an
    item without one is dated at the last second of its day in the site's time zone: never
    before the draw took place, as a midnight at the start of the day would be."""
    moment = item.time if isinstance(item, Post) else item.draw_time
    if moment is not None:
        return moment
    return dt.datetime.combine(item.date, dt.time(23, 59, 59), tzinfo=site.tz)


def item_updated(draw: Draw | Post, entry: Entry | PostEntry, site: Site) -> dt.datetime:
    """When an item last changed: its latest correction, else its publication. Only its
    `updated` moves; its id (GUID) never changes, and its publication date changes only
    with a correction of the draw's date or time (it is the draw's time)."""
    updated = entry.updated if isinstance(entry, PostEntry) else entry.facts.updated
    return feed_time(draw, site) if updated is None else max(updated, feed_time(draw, site))


def with_corrections(summary: str, entry: Entry | PostEntry) -> str:
    """An item's summary, then its corrections (what the article's Corrections shows)."""
    return "\n\n".join([summary, *(told.full for told in entry.corrections)])


def item_content(edition: Edition, item: Draw | Post, entry: Entry | PostEntry,
                 categories: dict[str, Category], absolute: Urls
                 ) -> tuple[str, tuple[Category, ...], str]:
    """A feed item's page path, categories and full content (its body, links absolute)."""
    if isinstance(entry, PostEntry):
        return (edition.urls.post(item.slug), entry.categories,
                edition.post_content(entry, absolute, feed=True))
    return (edition.urls.article(item.slug), (categories[entry.draw.category],),
            edition.article_body(entry, absolute, feed=True))


def as_html(value: str) -> str:
    """Plain text for an element that holds HTML (RSS `<description>`)."""
    return html.escape(xml_text(value), quote=False)


def guid(item: Draw | Post, base_url: str, lang: str = "en") -> str:
    """A permanent id from the draw's identity (round, or date and category), or the
    post's (`id:`, else its slug): `drawdesk/draw/...` and `drawdesk/post/...` never meet.

    The English item keeps the id it had before the site had other editions; a
    translation is another item, with the language after the identity.
    """
    host = urlsplit(base_url).hostname or "localhost"
    suffix = "" if lang == "en" else f"/{lang}"
    return f"tag:{host},{item.date.year}:drawdesk/{item.kind}/{item.identity}{suffix}"


def feed_bytes(edition: Edition, site: Site, categories: dict[str, Category],
               items: tuple[Draw | Post, ...], entries: tuple[Entry | PostEntry, ...], title: str,
               description: str, home_page: str, self_page: str, newest: dt.datetime,
               atom: bool) -> bytes:
    """One feed, made from its arguments and the edition's settings only (the build cache
    keys the file by them): `items` are the newest draws and posts (newest first) and
    `entries` theirs; `categories` are what item bodies name (a comparison names the
    previous draw's category)."""
    urls = edition.urls
    absolute = urls.with_absolute()
    fg = FeedGenerator()
    fg.id(urls.full(home_page))
    fg.title(xml_text(title))
    fg.description(xml_text(description) if atom else as_html(description))  # see above
    fg.language(edition.lang_tag)
    fg.author({"name": xml_text(site.publisher.name), "uri": site.publisher.url})
    fg.link(href=urls.full(self_page), rel="self",
            type="application/atom+xml" if atom else "application/rss+xml")
    extra = related_links(site, urls, urls.archive())
    if atom:
        for link in extra:
            fg.link(**link)
    fg.link(href=urls.full(home_page), rel="alternate")  # last: the RSS channel <link>
    fg.generator("drawdesk")  # the mark of an output folder drawdesk built (output.folder)
    # The channel changed when its newest item was published or any item corrected.
    changed = max([newest, *(item_updated(d, e, site) for d, e in zip(items, entries,
                                                                      strict=True))])
    fg.lastBuildDate(changed)
    fg.updated(changed)
    fg.pubDate(newest)
    for item, entry in zip(items, entries, strict=True):
        when = feed_time(item, site)
        summary = with_corrections(entry.summary, entry)
        fe = fg.add_entry(order="append")
        fe.id(guid(item, site.base_url, edition.lang))
        fe.guid(guid(item, site.base_url, edition.lang), permalink=False)
        fe.title(xml_text(entry.title))
        fe.published(when)
        fe.updated(item_updated(item, entry, site))
        fe.pubDate(when)
        page, tags, body = item_content(edition, item, entry, categories, absolute)
        fe.link(href=urls.full(page), rel="alternate")
        for cat in tags:
            fe.category(term=cat.key, label=xml_text(cat.name[edition.lang]))
        if atom:
            fe.summary(xml_text(summary), type="text")
        else:
            fe.description(as_html(summary))
        fe.content(xml_text(str(body)), type="html")
    if atom:
        return fg.atom_str(pretty=True)
    fg.register_extension("drawdesk", _ChannelLinks, _NoEntryLinks, atom=False, rss=True)
    fg.drawdesk.links = extra  # type: ignore[attr-defined] - the extension registered above
    return fg.rss_str(pretty=True)


def correction_id(draw: Draw | Post, told: Told, base_url: str, lang: str) -> str:
    """A correction's permanent id: its article's, and the moment it was made."""
    moment = told.at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{guid(draw, base_url, 'en')}/correction/{moment}" + ("" if lang == "en" else
                                                                    f"/{lang}")


def corrections_bytes(edition: Edition, site: Site,
                      corrected: tuple[tuple[Told, Draw | Post], ...],
                      titles: tuple[tuple[str, str], ...], title: str, description: str,
                      newest: dt.datetime) -> bytes:
    """The RSS feed of every correction, newest first (`corrected` and their articles' or
    posts' page paths and `titles`); valid with none, dated then by the newest item."""
    urls = edition.urls
    fg = FeedGenerator()
    fg.id(urls.full(urls.corrections()))
    fg.title(xml_text(title))
    fg.description(as_html(description))
    fg.language(edition.lang_tag)
    fg.author({"name": xml_text(site.publisher.name), "uri": site.publisher.url})
    fg.link(href=urls.full(urls.corrections_feed()), rel="self", type="application/rss+xml")
    fg.link(href=urls.full(urls.corrections()), rel="alternate")  # last: the channel <link>
    fg.generator("drawdesk")
    changed = corrected[0][0].at if corrected else newest
    fg.lastBuildDate(changed)
    fg.pubDate(changed)
    for (told, draw), (page, article) in zip(corrected, titles, strict=True):
        fe = fg.add_entry(order="append")
        fe.guid(correction_id(draw, told, site.base_url, edition.lang), permalink=False)
        fe.title(xml_text(edition.t.corrections_feed_item.format(title=article)))
        fe.link(href=urls.full(page), rel="alternate")
        fe.pubDate(told.at)
        fe.description(as_html(told.full))
    return fg.rss_str(pretty=True)


def feeds(edition: Edition) -> Iterator[Task]:
    """The site's RSS and Atom feeds and one RSS feed per category, as tasks, each with its
    draws and posts newest first: a feed whose arguments did not change need not be made
    again (an edit to an older draw changes none of them)."""
    data, urls, t = edition.data, edition.urls, edition.t
    site = data.site

    def feed(path: str, timeline: tuple[Draw | Post, ...], title: str, description: str,
             home_page: str, atom: bool = False) -> Task:
        def prepare() -> Recipe:
            items = timeline[: site.feed_items]
            newest = max(feed_time(d, site) for d in items) if items else NO_DRAW_YET
            args = (site, data.categories, items, tuple(edition.entry_of(d) for d in items),
                    title, description, home_page, path, newest, atom)
            return Recipe(OutputFile(path, b"", "feed"), edition.scope, (feed_bytes, *args),
                          partial(feed_bytes, edition, *args))
        return Task("feed", prepare)

    def corrections() -> Recipe:
        corrected = edition.corrected()
        titles = tuple(edition.page_and_title(item) for _told, item in corrected)
        newest = feed_time(data.timeline[0], site) if data.timeline else NO_DRAW_YET
        args = (site, corrected, titles,
                t.corrections_feed_title.format(site=site.title[edition.lang]),
                t.corrections_feed_description, newest)
        return Recipe(OutputFile(urls.corrections_feed(), b"", "feed"), edition.scope,
                      (corrections_bytes, *args), partial(corrections_bytes, edition, *args))

    title, description = site.title[edition.lang], site.description[edition.lang]
    yield feed(urls.feed(), data.timeline, title, description, urls.home())
    yield feed(urls.atom(), data.timeline, title, description, urls.home(), atom=True)
    for key, cat in data.categories.items():
        items = data.category_items(key)
        if items:
            yield feed(urls.category_feed(key), items,
                       t.category_feed_title.format(site=title, name=cat.name[edition.lang]),
                       cat.description[edition.lang], urls.category(key))
    yield Task("feed", corrections)
