"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): the RSS feed's items as JSON.

Each JSON feed has the same items as the RSS feed beside it, with the same ids
(the RSS GUIDs), titles, summaries, dates and content (`content_html`, the RSS
`<content:encoded>`); `language` and `authors` at the top, and `hubs` when the
site names a WebSub hub. The output is sorted and compact JSON, reproducible
byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from typing import Any

from ..core.caching import Recipe, Task
from ..core.models import Category, Draw, Site
from ..core.outputs import OutputFile
from .entry import Entry
from .feeds import feed_time, guid, xml_text
from .pages import Edition

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"


def json_feed_bytes(edition: Edition, site: Site, categories: dict[str, Category],
                    items: tuple[Draw, ...], entries: tuple[Entry, ...], title: str,
                    description: str, home_page: str, self_page: str,
                    images: tuple[str | None, ...]) -> bytes:
    """One JSON feed, made from its arguments and the edition's settings only (as
    `feeds.feed_bytes`); `images` are the items' own share cards (page paths), or None."""
    urls = edition.urls
    absolute = urls.with_absolute()
    author = {"name": site.publisher.name, "url": site.publisher.url}
    feed: dict[str, Any] = {
        "version": VERSION, "title": title, "description": description,
        "home_page_url": urls.full(home_page), "feed_url": urls.full(self_page),
        "language": edition.lang_tag, "authors": [author], "items": [],
    }
    if site.websub_hub is not None:
        feed["hubs"] = [{"type": "WebSub", "url": site.websub_hub}]
    for draw, entry, image in zip(items, entries, images, strict=True):
        when = feed_time(draw, site).isoformat()
        item: dict[str, Any] = {
            "id": guid(draw, site.base_url, edition.lang),
            "url": urls.full(urls.article(draw.slug)),
            "title": entry.title, "summary": entry.summary,
            "content_html": xml_text(str(edition.article_body(entry, absolute, feed=True))),
            "date_published": when, "date_modified": when,
            "tags": [categories[draw.category].name[edition.lang]],
            "language": edition.lang_tag, "authors": [author],
        }
        if image is not None:
            item["image"] = urls.full(image)
        feed["items"].append(item)
    text = json.dumps(feed, ensure_ascii=False, sort_keys=True, indent=1)
    return (text + "\n").encode("utf-8")


def json_feeds(edition: Edition) -> Iterator[Task]:
    """The edition's JSON feed and one per category, beside their RSS feeds, as tasks."""
    data, urls, t = edition.data, edition.urls, edition.t
    site = data.site
    share = edition.share

    def feed(path: str, draws: tuple[Draw, ...], title: str, description: str,
             home_page: str) -> Task:
        def prepare() -> Recipe:
            items = draws[: site.feed_items]
            images = tuple(share.own_card(d) if share else None for d in items)
            args = (site, data.categories, items,
                    tuple(edition.entries[d.slug] for d in items), title, description,
                    home_page, path, images)
            return Recipe(OutputFile(path, b"", "feed"), edition.scope,
                          (json_feed_bytes, *args), partial(json_feed_bytes, edition, *args))
        return Task("feed", prepare)

    title, description = site.title[edition.lang], site.description[edition.lang]
    yield feed(urls.json_feed(), data.draws, title, description, urls.home())
    for key, cat in data.categories.items():
        draws = data.by_category.get(key)
        if draws:
            yield feed(urls.category_json_feed(key), draws,
                       t.category_feed_title.format(site=title, name=cat.name[edition.lang]),
                       cat.description[edition.lang], urls.category(key))
