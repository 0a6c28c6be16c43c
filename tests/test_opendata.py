"""Open data: data/draws.json and data/draws.csv round-trip to the draws that were built."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import html5lib
import pytest
from conftest import NOW, english_sample

from drawdesk.build import build, prepare
from drawdesk.core.options import BuildConfig
from drawdesk.present.opendata import COLUMNS
from drawdesk.source.loader import load_content

EXTRA = {  # a draft and a future draw: neither may appear in the files
    "2025-12-18-healthcare.yaml": "date: 2025-12-18\ntype: category-based\ncategory: healthcare\n"
                                  "invitations: 900\nmin_crs: 400\ndraft: true\n",
    "2026-03-02-trades.yaml": "round: 400\ndate: 2026-03-02\ntype: category-based\n"
                              "category: trades\ninvitations: 700\nmin_crs: 430\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("opendata")
    content = english_sample(root)
    for name, text in EXTRA.items():
        (content / "draws" / name).write_text(text, encoding="utf-8")
    config = BuildConfig(content=content, output=root / "output", now=NOW)
    build(config)
    data, _ = prepare(config)
    return config, data


def _typed(column: str, kind: str, value: str):
    """A CSV field as the JSON file writes it."""
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        assert value in ("true", "false"), (column, value)
        return value == "true"
    return value


def read(output: Path):
    document = json.loads((output / "data" / "draws.json").read_text(encoding="utf-8"))
    with open(output / "data" / "draws.csv", encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    return document, table


def test_json_and_csv_hold_the_same_rows(built):
    config, _ = built
    document, table = read(config.output)
    names = [c.name for c in COLUMNS]
    assert [c["name"] for c in document["columns"]] == names == table[0]
    kinds = {c["name"]: c["type"] for c in document["columns"]}
    from_csv = [{n: _typed(n, kinds[n], v) for n, v in zip(names, row, strict=True)}
                for row in table[1:]]
    assert from_csv == document["draws"]
    assert all(list(row) == names for row in document["draws"])
    assert document["documentation"] == "https://example.org/news/data/"


def test_rows_round_trip_to_the_built_draws(built):
    config, data = built
    document, _ = read(config.output)
    rows = document["draws"]
    loaded = load_content(config.content).content
    published = [d for d in loaded.draws if not d.draft and d.date <= NOW.date()]
    assert len(loaded.draws) == len(published) + 2
    assert len(rows) == len(published) == 62
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)  # oldest first
    for row, draw in zip(rows, published, strict=True):
        assert (row["round"], dt.date.fromisoformat(row["date"]), row["type"], row["category"],
                row["invitations"], row["min_crs"]) == (
            str(draw.round), draw.date, draw.type, draw.category, draw.invitations, draw.min_crs)
        tie, time = row["tie_break"], row["draw_time"]
        assert (dt.datetime.fromisoformat(tie) if tie else None) == draw.tie_break
        assert (dt.datetime.fromisoformat(time) if time else None) == draw.draw_time
        assert row["ircc_name"] == draw.ircc_name
        assert row["id"] == draw.identity
        page = row["url"].removeprefix("https://example.org/news/")
        assert (config.output / page / "index.html").is_file()
        f = data.facts[draw.slug]
        assert (row["ordinal_overall"], row["ordinal_year"], row["ordinal_category"],
                row["year_draws"], row["year_invitations"], row["year_category_draws"],
                row["year_category_invitations"], row["lowest_ever"], row["largest_of_year"]) == (
            f.ordinal_overall, f.ordinal_year, f.ordinal_category, f.year_draws,
            f.year_invitations, f.year_category_draws, f.year_category_invitations,
            f.lowest_ever, f.largest_of_year)
    articles = {p.parent.name for p in (config.output / "draws").glob("*/index.html")}
    assert {r["url"].rstrip("/").rsplit("/", 1)[1] for r in rows} == articles


def test_comparisons_in_the_files(built):
    """A few rows of the sample site, checked by hand against the 2025 table."""
    config, _ = built
    rows = {r["id"]: r for r in read(config.output)[0]["draws"]}
    cec = rows["round-347"]  # May 13, 2025: after February 5 (521, 4,000 invitations)
    assert (cec["previous_same_id"], cec["previous_same_date"], cec["days_since_same"],
            cec["min_crs_change_same"], cec["invitations_change_same"]) == (
        "round-335", "2025-02-05", 97, 26, -3500)
    assert (cec["previous_any_id"], cec["days_since_any"], cec["min_crs_change_any"],
            cec["invitations_change_any"]) == ("round-346", 1, -159, -11)
    assert (cec["ordinal_year"], cec["year_draws"], cec["year_invitations"]) == (17, 17, 34440)
    french = rows["round-365"]  # 446 after 481: lowest since March 21 (379)
    assert (french["lowest_since_date"], french["lowest_ever"]) == ("2025-03-21", False)
    first = rows["round-237"]
    assert first["previous_same_id"] is None and first["previous_any_id"] is None
    assert rows["round-383"]["tie_break"] is None
    assert rows["round-357"]["tie_break"] == "2025-03-13T13:08:29Z"


def test_files_are_linked_and_documented(built):
    config, _ = built
    home = (config.output / "index.html").read_text(encoding="utf-8")
    for href in ('href="/news/data/draws.json"', 'href="/news/data/draws.csv"',
                 'href="/news/data/"'):
        assert href in home
    doc = html5lib.parse((config.output / "data" / "index.html").read_text(encoding="utf-8"),
                         namespaceHTMLElements=False)
    table = doc.find(".//table")
    documented = {}
    for tr in table.find("tbody"):
        cells = [" ".join("".join(c.itertext()).split()) for c in tr]
        documented[cells[0]] = cells[2]
    assert list(documented) == [c.name for c in COLUMNS]
    assert all(len(text) > 20 for text in documented.values())


def test_files_are_reproducible(built, tmp_path):
    config, _ = built
    again = BuildConfig(content=config.content, output=tmp_path / "again", now=NOW)
    build(again)
    for name in ("draws.json", "draws.csv"):
        assert (again.output / "data" / name).read_bytes() == (
            config.output / "data" / name).read_bytes()
    assert io.StringIO((again.output / "data" / "draws.csv").read_text()).readline().startswith(
        "id,round,date,")
