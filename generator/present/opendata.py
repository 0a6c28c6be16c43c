"""Open data: every published draw and its derived facts as JSON and CSV.

`data/draws.json` and `data/draws.csv` hold the same rows in the same
order (oldest first: date, then round, then slug), with the columns below.
Each column is described for readers on the data page (templates
`data_columns.<lang>.html`); a test checks every column is described there.
The files carry no build time, so the same content gives the same bytes.
`data/posts.json` lists the published news posts (`posts_json`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.models import Post
from ..derive.facts import Facts, SiteData
from .urls import Urls

FORMAT_VERSION = 3  # 2: `round` is text (91a), draw_time and ircc_name added;
# 3: `updated` and `corrections` (the article's corrections) added


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # integer, string, date, datetime, boolean, url
    value: Callable[[Facts, Urls], Any]


def _datetime(value: dt.datetime | None) -> str | None:
    """ISO 8601 with its zone, UTC written Z as editors write it."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _same(attr: str) -> Callable[[Facts, Urls], Any]:
    def get(f: Facts, urls: Urls) -> Any:
        change = f.previous_same
        return None if change is None else getattr(change, attr)
    return get


def _any(attr: str) -> Callable[[Facts, Urls], Any]:
    def get(f: Facts, urls: Urls) -> Any:
        change = f.previous_any
        return None if change is None else getattr(change, attr)
    return get


COLUMNS: tuple[Column, ...] = (
    Column("id", "string", lambda f, u: f.draw.identity),
    Column("round", "string", lambda f, u: None if f.draw.round is None else str(f.draw.round)),
    Column("date", "date", lambda f, u: f.draw.date.isoformat()),
    Column("draw_time", "datetime", lambda f, u: _datetime(f.draw.draw_time)),
    Column("type", "string", lambda f, u: f.draw.type),
    Column("category", "string", lambda f, u: f.draw.category),
    Column("ircc_name", "string", lambda f, u: f.draw.ircc_name),
    Column("invitations", "integer", lambda f, u: f.draw.invitations),
    Column("min_crs", "integer", lambda f, u: f.draw.min_crs),
    Column("tie_break", "datetime", lambda f, u: _datetime(f.draw.tie_break)),
    Column("url", "url", lambda f, u: u.full(u.article(f.draw.slug))),
    Column("updated", "datetime", lambda f, u: _datetime(f.updated)),
    Column("corrections", "integer", lambda f, u: len(f.corrections)),
    Column("ordinal_overall", "integer", lambda f, u: f.ordinal_overall),
    Column("ordinal_year", "integer", lambda f, u: f.ordinal_year),
    Column("ordinal_category", "integer", lambda f, u: f.ordinal_category),
    Column("previous_same_id", "string",
           lambda f, u: f.previous_same.draw.identity if f.previous_same else None),
    Column("previous_same_date", "date",
           lambda f, u: f.previous_same.draw.date.isoformat() if f.previous_same else None),
    Column("days_since_same", "integer", _same("days")),
    Column("min_crs_change_same", "integer", _same("crs")),
    Column("invitations_change_same", "integer", _same("invitations")),
    Column("previous_any_id", "string",
           lambda f, u: f.previous_any.draw.identity if f.previous_any else None),
    Column("previous_any_date", "date",
           lambda f, u: f.previous_any.draw.date.isoformat() if f.previous_any else None),
    Column("days_since_any", "integer", _any("days")),
    Column("min_crs_change_any", "integer", _any("crs")),
    Column("invitations_change_any", "integer", _any("invitations")),
    Column("year_draws", "integer", lambda f, u: f.year_draws),
    Column("year_invitations", "integer", lambda f, u: f.year_invitations),
    Column("year_category_draws", "integer", lambda f, u: f.year_category_draws),
    Column("year_category_invitations", "integer", lambda f, u: f.year_category_invitations),
    Column("lowest_since_date", "date",
           lambda f, u: f.lowest_since.date.isoformat() if f.lowest_since else None),
    Column("lowest_ever", "boolean", lambda f, u: f.lowest_ever),
    Column("largest_of_year", "boolean", lambda f, u: f.largest_of_year),
)


def rows(data: SiteData, urls: Urls) -> list[dict[str, Any]]:
    """One dict per published draw, oldest first, values as JSON writes them."""
    return [{c.name: c.value(data.facts[draw.slug], urls) for c in COLUMNS}
            for draw in data.chronological]


class OpenData:
    """Both files of one site, their rows made once, when the first file is written."""

    def __init__(self, data: SiteData, urls: Urls):
        self.data = data
        self.urls = urls
        self._rows: list[dict[str, Any]] | None = None

    def rows(self) -> list[dict[str, Any]]:
        if self._rows is None:
            self._rows = rows(self.data, self.urls)
        return self._rows

    def json(self) -> bytes:
        return draws_json(self.urls, self.rows())

    def csv(self) -> bytes:
        return draws_csv(self.rows())


# What json.dumps(value, ensure_ascii=False, separators=(",", ":")) writes, without a
# new encoder for each of the 10,000 rows.
_dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def draws_json(urls: Urls, table: list[dict[str, Any]]) -> bytes:
    """The JSON file, one column or draw per line so that diffs stay readable."""
    head = {"format": FORMAT_VERSION, "site": urls.full(""),
            "documentation": urls.full(urls.data_page())}
    lines = ["{" + ",".join(f"{_dump(k)}:{_dump(v)}" for k, v in head.items()) + ","]
    lines.append('"columns":[')
    lines.append(",\n".join(_dump({"name": c.name, "type": c.type}) for c in COLUMNS))
    lines.append('],\n"draws":[')
    lines.append(",\n".join(_dump(row) for row in table))
    lines.append("]}")
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def draws_csv(table: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in COLUMNS])
    for row in table:
        writer.writerow([_csv_value(v) for v in row.values()])
    return out.getvalue().encode("utf-8")


POSTS_FORMAT_VERSION = 1


def posts_json(data: SiteData, urls: dict[str, Urls], main: str) -> bytes:
    """`data/posts.json`: every published post, oldest first (date, then address), with
    its title, summary and address in the main language, and its translations."""
    def one(post: Post) -> dict[str, Any]:
        here = urls[main]
        return {
            "id": post.identity, "date": post.date.isoformat(), "time": _datetime(post.time),
            "title": post.title[main], "summary": post.summary[main],
            "url": here.full(here.post(post.slug)), "categories": list(post.categories),
            "tags": list(post.tags),
            "translations": [{"language": lang, "title": post.title[lang],
                              "summary": post.summary[lang],
                              "url": edition.full(edition.post(post.slug))}
                             for lang, edition in urls.items() if lang != main]}

    head = {"format": POSTS_FORMAT_VERSION, "site": urls[main].full("")}
    lines = ["{" + ",".join(f"{_dump(k)}:{_dump(v)}" for k, v in head.items()) + ",",
             '"posts":[',
             ",\n".join(_dump(one(post)) for post in reversed(data.posts.posts)),
             "]}"]
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")
