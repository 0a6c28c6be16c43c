"""Posts among the draws: which are published, where they are listed, which draws they show.

A listing (the home page, a category's page and feed, the site feeds) shows draws and
posts in one timeline, newest first; on one day, posts come after the day's draws
(a post about a draw is written after it), and so before them when newest first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ..core.models import Draw, Post

Item = Draw | Post  # one item of a listing


def published_posts(posts: tuple[Post, ...], *, drafts: bool, future: bool,
                    today: dt.date) -> tuple[Post, ...]:
    """The posts published at `today`, oldest first (drafts and future dates as draws)."""
    return tuple(p for p in posts if (drafts or not p.draft) and (future or p.date <= today))


def _order(item: Item) -> tuple:
    if isinstance(item, Post):
        return (item.date, 1, item.slug)
    return (item.date, 0, *item.sort_key[1:])


def timeline(draws: tuple[Draw, ...], posts: tuple[Post, ...]) -> tuple[Item, ...]:
    """Draws and posts together, newest first."""
    if not posts:
        return draws
    return tuple(sorted((*draws, *posts), key=_order, reverse=True))


@dataclass(frozen=True)
class PostIndex:
    """The published posts and where they are listed."""

    posts: tuple[Post, ...] = ()  # newest first
    by_category: dict[str, tuple[Post, ...]] = field(default_factory=dict)
    by_year: dict[int, tuple[Post, ...]] = field(default_factory=dict)  # years newest first
    # Per post, the latest draw of each of its categories as of the post's date.
    related: dict[str, tuple[Draw, ...]] = field(default_factory=dict)


def index_posts(posts: tuple[Post, ...], chronological: tuple[Draw, ...]) -> PostIndex:
    """Index published posts (oldest first) against the published draws (oldest first)."""
    newest_first = tuple(reversed(posts))
    by_category: dict[str, list[Post]] = defaultdict(list)
    by_year: dict[int, list[Post]] = defaultdict(list)
    for post in newest_first:
        for key in post.categories:
            by_category[key].append(post)
        by_year[post.date.year].append(post)
    related: dict[str, tuple[Draw, ...]] = {}
    latest: dict[str, Draw] = {}
    index = 0
    for post in posts:  # both oldest first: one pass
        while index < len(chronological) and chronological[index].date <= post.date:
            draw = chronological[index]
            latest[draw.category] = draw
            index += 1
        found = [latest[key] for key in post.categories if key in latest]
        related[post.slug] = tuple(sorted(found, key=lambda d: d.sort_key, reverse=True))
    return PostIndex(newest_first, {k: tuple(v) for k, v in by_category.items()},
                     {y: tuple(by_year[y]) for y in sorted(by_year, reverse=True)}, related)
