"""`drawdesk build --base-url URL`: the site built for another address than site.yaml's
(CI builds for the address GitHub Pages gives the site)."""

from __future__ import annotations

import feedparser
import pytest


def test_pages_and_feeds_follow_the_given_address(site):
    site.source_draws()
    result = site.build("--base-url", "https://someone.github.io/desk")
    assert result.exit_code == 0, result.output
    article = site.page("draws/2025-07-22-healthcare/index.html")
    assert '<link rel="canonical" href="https://someone.github.io/desk/draws/2025-07-22-' \
           'healthcare/">' in article
    assert 'href="/desk/assets/style.css' in article  # links take the address's path
    assert "example.org" not in article
    feed = feedparser.parse(site.page("feed.xml"))
    assert feed.feed.link == "https://someone.github.io/desk/"
    assert feed.entries[0].link == "https://someone.github.io/desk/draws/2025-07-22-healthcare/"
    assert "<loc>https://someone.github.io/desk/</loc>" in site.page("sitemap.xml")


@pytest.mark.parametrize("url, message", [
    ("ftp://example.org/", "is not a web address"),
    ("https://me:secret@example.org/", "holds a user name or password"),
    ("https://example.org/news/?x=1", "has a query or a fragment"),
    ("https://example.org/#top", "has a query or a fragment"),
])
def test_a_wrong_address_is_refused_before_anything_is_built(site, url, message):
    site.source_draws()
    result = site.build("--base-url", url)
    assert result.exit_code == 2
    assert f"Invalid value for '--base-url': '{url}' {message}" in result.output
    assert not site.output.exists()


def test_a_build_for_another_address_is_not_taken_for_an_unchanged_one(site):
    site.source_draws()
    assert site.build("--base-url", "https://someone.github.io/desk/").exit_code == 0
    again = site.build()  # site.yaml's address: every page is made again
    assert again.exit_code == 0, again.output
    assert "someone.github.io" not in site.page("feed.xml")
    assert "https://example.org/news/draws/2025-07-22-healthcare/" in site.page("feed.xml")
