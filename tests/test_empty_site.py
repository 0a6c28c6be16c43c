"""A site with no draws yet (a site just started) builds: its pages say so in each
edition, its feeds are valid and empty, and the build is byte-reproducible."""

from __future__ import annotations

import json
import shutil

import feedparser
import html5lib
import pytest
from click.testing import CliRunner

from drawdesk.cli import main
from tests.conftest import SAMPLE, snapshot
from tests.sitecheck import broken_links

NO_DRAWS = {"en": "No draws have been published on this site yet.",
            "fr": "Aucune ronde n’a encore été publiée sur ce site."}


def build(site, output, *args):
    result = CliRunner().invoke(main, ["build", "--content", str(site.content), "--output",
                                       str(output), *args])
    assert result.exit_code == 0, result.output
    assert "0 articles" in result.output
    return output


@pytest.fixture(params=["en", "en-fr"])
def empty(site, request):
    if request.param == "en-fr":
        shutil.copy(SAMPLE / "site.yaml", site.content / "site.yaml")
    site.editions = {"en": ""} if request.param == "en" else {"en": "en/", "fr": "fr/"}
    return site


def test_pages_say_there_is_no_draw_yet_and_parse(empty):
    output = build(empty, empty.output, "--now", "2026-01-01")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in sorted(output.rglob("*.html")):
        parser.parse(page.read_bytes())  # strict: any parse error raises
    for lang, prefix in empty.editions.items():
        for path in ("", "archive/", "category/", "stats/"):
            html = (output / prefix / path / "index.html").read_text(encoding="utf-8")
            assert NO_DRAWS[lang] in html, (lang, path)
            assert "<li>" not in html.split("<main", 1)[1].split("</main>")[0], path
        data = (output / prefix / "data/index.html").read_text(encoding="utf-8")
        assert "same 0" not in data and "mêmes 0" not in data
    assert broken_links(output, "https://example.org/news/") == []
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/news/" in sitemap
    opendata = json.loads((output / "data/draws.json").read_bytes())
    assert opendata["draws"] == []
    assert (output / "data/draws.csv").read_text(encoding="utf-8").count("\n") == 1


def test_empty_feeds_are_valid_and_dated_by_a_fixed_value(empty):
    output = build(empty, empty.output, "--now", "2026-01-01")
    for prefix in empty.editions.values():
        rss = feedparser.parse((output / prefix / "feed.xml").read_bytes())
        atom = feedparser.parse((output / prefix / "atom.xml").read_bytes())
        for feed, version in ((rss, "rss20"), (atom, "atom10")):
            assert not feed.bozo, feed.bozo_exception
            assert feed.version == version
            assert feed.entries == []
            assert feed.feed.title
        assert rss.feed.updated == "Thu, 01 Jan 1970 00:00:00 +0000"
        assert atom.feed.updated == "1970-01-01T00:00:00+00:00"
        assert not list((output / prefix).glob("category/*/feed.xml"))


def test_build_of_an_empty_site_is_the_same_whatever_the_clock(empty, tmp_path,
                                                                 monkeypatch):
    first = snapshot(build(empty, tmp_path / "a", "--now", "2026-01-01"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01
    second = snapshot(build(empty, tmp_path / "b"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    third = snapshot(build(empty, tmp_path / "c"))  # the clock
    assert first == second == third


@pytest.mark.parametrize("draws, sentence", [
    (0, "No draw has been published yet, so both files list none."),
    (1, "Both files list the same draw."),
    (2, "Both files list the same 2 draws."),
])
def test_the_open_data_page_counts_its_draws_in_words(site, draws, sentence):
    if draws:
        site.draw("2025-07-22-healthcare.yaml")
    if draws > 1:
        site.draw("2025-06-02-healthcare.yaml", date="2025-06-02", round=350)
    result = site.build()
    assert result.exit_code == 0, result.output
    page = site.page("data/index.html")
    assert f"<p>{sentence} Draws are listed in the same order in both" in page
