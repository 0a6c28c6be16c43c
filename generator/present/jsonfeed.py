"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): the RSS feed's items as JSON.

Each JSON feed has the same items as the RSS feed beside it (draws and posts, newest
first), with the same ids (the RSS GUIDs), titles, summaries, dates and content
(`content_html`, the RSS `<content:encoded>`); `language` and `authors` at the top,
and `hubs` when the site names a WebSub hub. The output is sorted and compact JSON, reproducible
byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from typing import Any

from ..core.caching import Recipe, Task
from ..core.models import Category, Draw, Post, Site
from ..core.outputs import OutputFile
from .entry import Entry
from .feeds import feed_time, guid, item_content, item_updated, xml_text
from .pages import Edition
from .posts import PostEntry

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"


def json_feed_bytes(edition: Edition, site: Site, categories: dict[str, Category],
                    items: tuple[Draw | Post, ...], entries: tuple[Entry | PostEntry, ...],
                    title: str, description: str, home_page: str, self_page: str,
                    images: tuple[str | None, ...]) -> bytes:
    """One JSON feed, made from its arguments and the edition's settings only (as
    `feeds.feed_bytes`): `items` are the newest draws and posts (newest first), `entries`
    theirs, `images` their own share cards (page paths), or None."""
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
    for item, entry, image in zip(items, entries, images, strict=True):
        page, cats, body = item_content(edition, item, entry, categories, absolute)
        tags = [cat.name[edition.lang] for cat in cats]
        made: dict[str, Any] = {
            "id": guid(item, site.base_url, edition.lang), "url": urls.full(page),
            "title": entry.title, "summary": entry.summary,
            "content_html": xml_text(str(body)),
            "date_published": feed_time(item, site).isoformat(),
            "date_modified": item_updated(item, entry, site).isoformat(),
            "tags": tags, "language": edition.lang_tag, "authors": [author],
        }
        if image is not None:
            made["image"] = urls.full(image)
        feed["items"].append(made)
    text = json.dumps(feed, ensure_ascii=False, sort_keys=True, indent=1)
    return (text + "\n").encode("utf-8")


def json_feeds(edition: Edition) -> Iterator[Task]:
    """The edition's JSON feed and one per category, beside their RSS feeds (the same
    draws and posts, newest first), as tasks."""
    data, urls, t = edition.data, edition.urls, edition.t
    site = data.site
    share = edition.share

    def feed(path: str, timeline: tuple[Draw | Post, ...], title: str, description: str,
             home_page: str) -> Task:
        def prepare() -> Recipe:
            items = timeline[: site.feed_items]
            images = tuple(share.own_card(item) if share else None for item in items)
            args = (site, data.categories, items, tuple(edition.entry_of(item) for item in items),
                    title, description, home_page, path, images)
            return Recipe(OutputFile(path, b"", "feed"), edition.scope,
                          (json_feed_bytes, *args), partial(json_feed_bytes, edition, *args))
        return Task("feed", prepare)

    title, description = site.title[edition.lang], site.description[edition.lang]
    yield feed(urls.json_feed(), data.timeline, title, description, urls.home())
    for key, cat in data.categories.items():
        items = data.category_items(key)
        if items:
            yield feed(urls.category_json_feed(key), items,
                       t.category_feed_title.format(site=title, name=cat.name[edition.lang]),
                       cat.description[edition.lang], urls.category(key))
