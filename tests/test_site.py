"""Index, category and archive pages, sitemap, robots.txt, 404, base URL with a path."""

from __future__ import annotations

import datetime as dt

import html5lib
import pytest
from lxml import etree

from tests.conftest import draw_yaml
from tests.sitecheck import broken_links


def add_draws(site, count: int, start=dt.date(2024, 11, 1)) -> list[str]:
    cats = ["canadian-experience-class", "healthcare", "provincial-nominee-program"]
    slugs = []
    for i in range(count):
        day = start + dt.timedelta(days=7 * i)
        cat = cats[i % 3]
        site.draw(f"{day}-{cat}.yaml", draw_yaml(date=str(day), category=cat, round=100 + i,
                                                 invitations=1000 + i, min_crs=400 + i))
        slugs.append(f"{day}-{cat}")
    return slugs


def links_in(html: str, rel: str | None = None) -> list[str]:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return [el.get("href") for el in doc.iter() if el.get("href")
            and (rel is None or el.get("rel") == rel)]


def listed(html: str) -> list[str]:
    """The article links of a page's list of draws (not its charts' tables)."""
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return [a.get("href") for ol in doc.iter("ol") if ol.get("class") == "draw-list"
            for a in ol.iter("a") if "/draws/" in a.get("href")]


def test_home_is_paginated_newest_first(site):
    slugs = add_draws(site, 7)  # 3 per page in the test site
    assert site.build().exit_code == 0
    home, page2, page3 = (site.page(p) for p in
                          ("index.html", "page/2/index.html", "page/3/index.html"))
    articles = listed(home)
    assert articles == [f"/news/draws/{s}/" for s in reversed(slugs[-3:])]
    assert '<link rel="next" href="/news/page/2/">' in home
    assert 'rel="prev"' not in home
    assert '<link rel="prev" href="/news/">' in page2
    assert '<link rel="next" href="/news/page/3/">' in page2
    assert listed(page3) == [f"/news/draws/{slugs[0]}/"]
    assert "Page 3 of 3" in page3
    assert not (site.output / "page/4").exists()
    text = " ".join(html5lib.parse(home, namespaceHTMLElements=False).find(".//main")
                    .itertext())
    assert "1,006 invitations" in text and "minimum CRS 406" in text


def test_category_page_has_table_feed_and_eligibility(site):
    add_draws(site, 7)
    assert site.build().exit_code == 0
    page = site.page("category/canadian-experience-class/index.html")
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    rows = [[" ".join("".join(td.itertext()).split()) for td in tr.iter("td")]
            for tr in doc.find(".//table").iter("tr")][1:]
    assert rows == [["December 13, 2024", "106", "1,006", "406"],
                    ["November 22, 2024", "103", "1,003", "403"],
                    ["November 1, 2024", "100", "1,000", "400"]]
    assert ('<link rel="alternate" type="application/rss+xml" title="Canadian Experience Class '
            '(RSS)" href="/news/category/canadian-experience-class/feed.xml">') in page
    assert "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/" \
           "express-entry/who-can-apply/canadian-experience-class.html" in page
    assert "Subscribe to Canadian Experience Class draws (RSS)" in page
    assert (site.output / "category/canadian-experience-class/page/1").exists() is False


def test_year_archives(site):
    add_draws(site, 12)  # Nov 2024 .. Jan 2025
    assert site.build().exit_code == 0
    archive = site.page("archive/index.html")
    assert '<a href="/news/2025/">2025</a> <span class="count">(3 draws)</span>' in archive
    assert '<a href="/news/2024/">2024</a> <span class="count">(9 draws)</span>' in archive
    assert archive.index("/news/2025/") < archive.index("/news/2024/")
    year = site.page("2025/index.html")
    assert year.count("<tr>") == 4  # header and three draws


def test_sitemap_robots_404(site):
    slugs = add_draws(site, 4)
    assert site.build().exit_code == 0
    tree = etree.parse(str(site.output / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
            for u in tree.findall("s:url", ns)}
    assert locs[f"https://example.org/news/draws/{slugs[0]}/"] == slugs[0][:10]
    assert locs["https://example.org/news/"] == slugs[-1][:10]
    html_pages = [p for p in site.output.rglob("*.html") if p.name != "404.html"]
    assert len(locs) == len(html_pages)
    assert site.page("robots.txt").endswith("Sitemap: https://example.org/news/sitemap.xml\n"
                                            "Sitemap: https://example.org/news/news-sitemap.xml\n")
    assert "Page not found" in site.page("404.html")


@pytest.mark.parametrize("base_url", ["https://example.org/news/", "https://example.org/",
                                      "https://example.org/a/b"])
def test_no_broken_links_under_any_base_path(site, base_url):
    text = (site.content / "site.yaml").read_text().replace(
        "https://example.org/news/", base_url)
    (site.content / "site.yaml").write_text(text)
    add_draws(site, 8)
    assert site.build().exit_code == 0
    base = base_url if base_url.endswith("/") else base_url + "/"
    assert broken_links(site.output, base) == []
    home = site.page("index.html")
    assert f'href="{base[len("https://example.org"):]}assets/style.css"' in home
    assert f'<link rel="canonical" href="{base}">' in home


def test_every_page_links_the_site_feed(site):
    add_draws(site, 4)
    assert site.build().exit_code == 0
    for page in site.output.rglob("*.html"):
        html = page.read_text()
        assert 'type="application/rss+xml"' in html and "/news/feed.xml" in html, page


def test_synthetic_site_of_500_draws(tmp_path):
    import sys

    import feedparser
    from click.testing import CliRunner

    from drawdesk.cli import main
    from tests.conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    from synth import write_site

    write_site(tmp_path, 500, seed=3)
    out = tmp_path / "output"
    result = CliRunner().invoke(main, ["build", "--content", str(tmp_path / "content"),
                                       "--output", str(out), "--now", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert len(list((out / "draws").iterdir())) == 500
    assert broken_links(out, "https://example.org/news/") == []
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 50
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
