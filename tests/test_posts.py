"""News posts: Markdown with front matter in content/posts/, published beside the draws in
both editions, validated with file positions."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner
from lxml import etree

from drawdesk.cli import main
from tests.conftest import SAMPLE, SiteFolder

POST = """\
---
title:
  en: Healthcare news
  fr: Nouvelles de la santé
date: 2025-11-20
summary:
  en: What the healthcare draws did.
  fr: Ce qu’ont fait les rondes de la santé.
categories: [healthcare]
tags: [healthcare, review]
faq:
  en:
  - question: When was the July draw?
    answer: On **July 22**.
  fr:
  - question: Quand a eu lieu la ronde de juillet?
    answer: Le **22 juillet**.
---
# A heading

See [the July draw](../draws/2025-07-22-healthcare.yaml#faq) and
[the review](2025-12-31-express-entry-2025-in-review.md).

<!-- fr -->
Voir [la ronde de juillet](../draws/2025-07-22-healthcare.yaml).
"""
NAME = "2025-11-20-healthcare-news.md"


@pytest.fixture
def sample(tmp_path) -> SiteFolder:
    """A copy of the bundled bilingual site."""
    site = SiteFolder.__new__(SiteFolder)
    site.root = tmp_path
    site.content = tmp_path / "content"
    site.output = tmp_path / "output"
    shutil.copytree(SAMPLE, site.content, ignore=shutil.ignore_patterns("schema"))
    return site


def write_post(site: SiteFolder, name: str, text: str) -> Path:
    folder = site.content / "posts"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def validate(site: SiteFolder) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", "--content", str(site.content),
                                       "--now", "2026-01-01"])
    return result.exit_code, result.output


def main_text(html: str) -> str:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return " ".join("".join(doc.find(".//main").itertext()).split())


def jsonld(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_a_post_appears_everywhere_draws_are_in_both_editions(sample):
    write_post(sample, NAME, POST)
    result = sample.build()
    assert result.exit_code == 0, result.output
    out = sample.output
    for lang, title, link in (
            ("en", "Healthcare news", "/news/en/draws/2025-07-22-healthcare/#faq"),
            ("fr", "Nouvelles de la santé", "/news/fr/draws/2025-07-22-healthcare/")):
        page = sample.page(f"{lang}/posts/2025-11-20-healthcare-news/index.html")
        doc = html5lib.parse(page, namespaceHTMLElements=False)
        assert "".join(doc.find(".//h1").itertext()) == title
        assert f'href="{link}"' in page  # a link by file path, in the same edition
        assert f'<link rel="canonical" href="https://example.org/news/{lang}/posts/' \
               '2025-11-20-healthcare-news/">' in page
        assert 'hreflang="fr-CA" href="https://example.org/news/fr/posts/2025-11-20-' in page
        assert '<meta property="og:type" content="article">' in page
        # related draws: the latest healthcare draw as of November 20, 2025 (November 14)
        assert "/draws/2025-11-14-healthcare/" in page
        assert "/draws/2025-12-11-healthcare/" not in page.split('id="related"')[1]
        url = "posts/2025-11-20-healthcare-news/"
        for listing in ("", "category/healthcare/"):  # the home page and its pagination
            pages = [out / lang / listing / "index.html",
                     *sorted((out / lang / listing / "page").glob("*/index.html"))]
            assert sum(url in p.read_text() for p in pages) == 1, (lang, listing)
        assert url in sample.page(f"{lang}/2025/index.html")
        for feed in ("feed.xml", "atom.xml", "category/healthcare/feed.xml"):
            text = sample.page(f"{lang}/{feed}")
            etree.fromstring(text.encode())
            assert f"https://example.org/news/{lang}/{url}" in text, (lang, feed)
            assert "drawdesk/post/2025-11-20-healthcare-news" in text
        assert f"https://example.org/news/{lang}/{url}" in sample.page("sitemap.xml")
        assert url not in sample.page(f"{lang}/category/trades/index.html")
    posts = json.loads(sample.page("data/posts.json"))["posts"]
    mine = next(p for p in posts if p["id"] == "2025-11-20-healthcare-news")
    assert mine["title"] == "Healthcare news" and mine["categories"] == ["healthcare"]
    assert mine["url"] == "https://example.org/news/en/posts/2025-11-20-healthcare-news/"
    assert mine["translations"][0]["title"] == "Nouvelles de la santé"


def test_post_json_ld_equals_what_the_page_shows(sample):
    write_post(sample, NAME, POST)
    assert sample.build().exit_code == 0
    page = sample.page("fr/posts/2025-11-20-healthcare-news/index.html")
    blocks = {b["@type"]: b for b in jsonld(page)}
    news, faq = blocks["NewsArticle"], blocks["FAQPage"]
    assert news["headline"] == "Nouvelles de la santé"
    assert news["datePublished"] == "2025-11-20" and news["inLanguage"] == "fr-CA"
    assert news["articleSection"] == ["Soins de santé et services sociaux"]
    assert news["keywords"] == ["healthcare", "review"]
    question = faq["mainEntity"][0]
    assert question["name"] == "Quand a eu lieu la ronde de juillet?"
    assert question["acceptedAnswer"]["text"] == "Le 22 juillet."
    text = main_text(page)
    assert "Quand a eu lieu la ronde de juillet? Le 22 juillet." in text
    assert [c["name"] for c in blocks["BreadcrumbList"]["itemListElement"]] == [
        "Dernières rondes", "Archives", "2025", "Nouvelles de la santé"]
    # a post without questions has no FAQPage
    review = sample.page("en/posts/2025-12-31-healthcare-draws-in-2025/index.html")
    assert "FAQPage" not in review and "NewsArticle" in review


def test_post_guids_are_stable_and_never_a_draws(sample):
    write_post(sample, NAME, POST)
    assert sample.build().exit_code == 0
    feed = etree.fromstring((sample.output / "en/feed.xml").read_bytes())
    guids = [g.text for g in feed.iter("guid")]
    assert len(guids) == len(set(guids))
    assert "tag:example.org,2025:drawdesk/post/2025-11-20-healthcare-news" in guids
    assert all("/draw/" in g or "/post/" in g for g in guids)
    # renaming the file keeps the GUID when `id:` keeps the identity
    (sample.content / "posts" / NAME).unlink()
    write_post(sample, "2025-11-20-renamed.md",
               POST.replace("tags:", "id: 2025-11-20-healthcare-news\ntags:"))
    assert sample.build().exit_code == 0
    feed = (sample.output / "en/feed.xml").read_text()
    assert "drawdesk/post/2025-11-20-healthcare-news<" in feed
    assert "/posts/2025-11-20-renamed/" in feed


HOSTILE = """\
---
title: "<img src=x onerror=alert(1)>"
date: 2025-11-20
summary: "</script><script>alert(1)</script>"
---
<script>alert(1)</script>
<iframe src="https://evil.example/"></iframe>
[click](javascript:alert(1)) <a href="javascript:alert(2)" onclick="x()">raw</a>
<img src=x onerror=alert(3)>
"""


def test_raw_html_and_script_links_in_a_post_are_sanitized(tmp_path):
    site = SiteFolder(tmp_path)
    site.source_draws()
    write_post(site, "2025-11-20-hostile.md", HOSTILE)
    result = site.build()
    assert result.exit_code == 0, result.output
    for path in ("posts/2025-11-20-hostile/index.html", "index.html", "feed.xml", "atom.xml"):
        text = site.page(path)
        assert "javascript:" not in text.lower(), path
        assert not re.search(r"<(script|iframe|img)\b(?![^>]*application/ld\+json)", text), path
    page = site.page("posts/2025-11-20-hostile/index.html")
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    assert "".join(doc.find(".//h1").itertext()) == "<img src=x onerror=alert(1)>"
    for el in doc.iter():
        assert not any(a.lower().startswith("on") for a in el.keys())
        assert el.tag != "a" or el.get("href")  # valid HTML: no <a rel=...> without href
    assert "click" in main_text(page) and "raw" in main_text(page)


@pytest.mark.parametrize("text, expected", [
    (POST.replace("categories: [healthcare]", "categories: [helthcare]"),
     "posts/2025-11-20-healthcare-news.md:9:14: categories[1]: unknown category "
     "'helthcare'; did you mean 'healthcare'?"),
    (POST.replace("2025-07-22-healthcare.yaml#faq", "2025-07-23-healthcare.yaml"),
     "posts/2025-11-20-healthcare-news.md:21:21: body: link to "
     "'../draws/2025-07-23-healthcare.yaml': no entry draws/2025-07-23-healthcare.yaml"),
    (POST.replace("Voir [la ronde", "Voir [la ronde](x.md) [ronde"),
     "posts/2025-11-20-healthcare-news.md:25:17: body: link to 'x.md': no entry posts/x.md"),
    (POST.replace("Voir [la ronde de juillet](../draws/2025-07-22-healthcare.yaml).", ""),
     "posts/2025-11-20-healthcare-news.md:24:1: body: empty body for language fr"),
    (POST.split("<!-- fr -->")[0],
     "posts/2025-11-20-healthcare-news.md:19:1: body: no body for language fr"),
    (POST.replace("  fr: Nouvelles de la santé\n", ""),
     "posts/2025-11-20-healthcare-news.md:3:3: title: no text for language fr"),
    (POST.replace("date: 2025-11-20", "date: 2025-11-21"),
     "posts/2025-11-20-healthcare-news.md:5:7: date: 2025-11-21 is not the date in the file "
     "name (2025-11-20 expected)"),
    (POST.replace("<!-- fr -->", "<!-- de -->"),
     "posts/2025-11-20-healthcare-news.md:24:1: body: unknown language marker 'de'"),
    (POST.replace("tags:", "tag:"),
     "posts/2025-11-20-healthcare-news.md:10:1: tag: unknown field; did you mean 'tags'?"),
    (POST[4:], "posts/2025-11-20-healthcare-news.md:1:1: file: no front matter"),
])
def test_a_bad_post_fails_validate_with_its_position(sample, text, expected):
    write_post(sample, NAME, text)
    code, output = validate(sample)
    assert code == 1
    assert expected in output, output
    result = sample.build()
    assert result.exit_code == 1 and expected in result.output


def test_the_bundled_posts_validate_and_link_their_draws(sample):
    code, output = validate(sample)
    assert code == 0, output
    assert "3 posts valid" in output
    assert sample.build().exit_code == 0
    page = sample.page("fr/posts/2025-12-31-express-entry-2025-in-review/index.html")
    assert 'href="/news/fr/draws/2025-03-21-french-language/"' in page
    assert 'href="/news/fr/posts/2025-12-31-healthcare-draws-in-2025/"' in page


def test_drafts_and_future_posts_are_left_out_as_draws_are(sample):
    write_post(sample, NAME, POST.replace("tags:", "draft: true\ntags:"))
    write_post(sample, "2026-03-01-later.md", POST.replace("2025-11-20", "2026-03-01"))
    assert sample.build().exit_code == 0
    assert not (sample.output / "en/posts/2025-11-20-healthcare-news").exists()
    assert not (sample.output / "en/posts/2026-03-01-later").exists()
    assert "healthcare-news" not in sample.page("en/feed.xml")
    assert sample.build("--drafts", "--future").exit_code == 0
    assert (sample.output / "en/posts/2025-11-20-healthcare-news/index.html").exists()
    assert (sample.output / "fr/posts/2026-03-01-later/index.html").exists()
    code, output = validate(sample)
    assert code == 0 and "1 draft(s)" in output and "1 dated after 2026-01-01" in output


def test_a_link_to_an_unpublished_draw_keeps_its_text_without_a_link(sample):
    draw = sample.content / "draws" / "2025-07-22-healthcare.yaml"
    draw.write_text(draw.read_text() + "draft: true\n")
    write_post(sample, NAME, POST)
    assert sample.build().exit_code == 0
    page = sample.page("en/posts/2025-11-20-healthcare-news/index.html")
    assert "2025-07-22-healthcare" not in page
    assert "See the July draw and" in main_text(page)


def test_new_post_writes_a_commented_file_and_lists_what_is_left(sample):
    runner = CliRunner()
    args = ["new", "post", "Levels plan: what changes", "--content", str(sample.content),
            "--date", "2026-01-05", "--category", "healthcare"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    path = sample.content / "posts" / "2026-01-05-levels-plan-what-changes.md"
    text = path.read_text()
    assert 'en: "Levels plan: what changes"' in text and "categories: [healthcare]" in text
    assert "# fr: the headline in French" in text
    assert "fr: the summary in French" in text and "<!-- fr -->" in text
    shown = "posts/2026-01-05-levels-plan-what-changes.md"
    assert f"{shown}:4:3: title: no text for language fr" in result.output
    assert f"{shown}:8:9: summary: empty value" in result.output
    assert "body: empty body for language en" in result.output
    again = runner.invoke(main, args)
    assert again.exit_code == 1 and "already exists" in again.output
    assert path.read_text() == text
    wrong = runner.invoke(main, ["new", "post", "X", "--content", str(sample.content),
                                 "--category", "helthcare"])
    assert wrong.exit_code == 2 and "did you mean 'healthcare'" in wrong.output


def test_a_new_post_once_written_builds(tmp_path):
    site = SiteFolder(tmp_path)
    site.source_draws()
    result = CliRunner().invoke(main, ["new", "post", "Une année", "--content",
                                       str(site.content), "--date", "2025-12-01"])
    assert result.exit_code == 0, result.output
    path = site.content / "posts" / "2025-12-01-une-annee.md"
    text = path.read_text().replace("  # en: the summary in English", "  en: Short.")
    text = text.replace("<!-- en -->\n", "<!-- en -->\nThe text.\n")
    path.write_text(text)
    assert site.build().exit_code == 0
    assert "The text." in site.page("posts/2025-12-01-une-annee/index.html")


def test_post_schema_lists_the_categories_and_accepts_the_bundled_posts(sample):
    import jsonschema
    import yaml

    from drawdesk.source.categories import load_categories
    from drawdesk.source.posts import split_front_matter
    from drawdesk.tools.schemafiles import schema_for
    categories, _ = load_categories(sample.content)
    schema = schema_for("post", categories)
    assert "healthcare" in schema["properties"]["categories"]["items"]["enum"]
    assert schema["required"] == ["title", "date", "summary"]
    for path in sorted((sample.content / "posts").glob("*.md")):
        front, _ = split_front_matter(path.read_text())
        jsonschema.validate(yaml.load(front, Loader=yaml.BaseLoader), schema)
    bad = {"title": "x", "date": "2025-01-01", "summary": "y", "categories": ["nope"]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_serve_previews_a_post_and_reloads_it_when_edited(tmp_path):
    from tests.test_serve import Server, eventually, save
    site = SiteFolder(tmp_path)
    site.source_draws()
    path = write_post(site, "2025-07-23-preview.md",
                      "---\ntitle: First words\ndate: 2025-07-23\nsummary: S.\n---\nBody one.\n")
    server = Server("--content", str(site.content), "--now", "2026-01-01")
    try:
        code, page = server.get("posts/2025-07-23-preview/")
        assert code == 200 and "Body one." in page
        save(path, path.read_text().replace("Body one.", "Body two, [bad](../draws/x.yaml)."))
        eventually(lambda: not server.status()["ok"])
        assert "body: link to '../draws/x.yaml'" in server.status()["problems"][0]
        save(path, path.read_text().replace("[bad](../draws/x.yaml)", "fixed"))
        eventually(lambda: "Body two, fixed." in server.get("posts/2025-07-23-preview/")[1])
        assert "First words" in server.get("")[1]
    finally:
        assert server.stop() == 0


def test_a_category_with_posts_and_no_draws_gets_its_page_and_feed(tmp_path):
    site = SiteFolder(tmp_path)
    site.source_draws()
    write_post(site, "2025-07-23-stem.md", "---\ntitle: STEM news\ndate: 2025-07-23\n"
                                           "summary: S.\ncategories: [stem]\n---\nText.\n")
    result = site.build()
    assert result.exit_code == 0, result.output
    page = site.page("category/stem/index.html")
    assert "posts/2025-07-23-stem/" in page and "<svg" not in page  # no draws, no charts
    assert "posts/2025-07-23-stem/" in site.page("category/stem/feed.xml")
    assert "1 post" in main_text(site.page("category/index.html"))
    assert "2025 (2 draws, 1 post)" in main_text(site.page("archive/index.html"))
    report = CliRunner().invoke(main, ["validate", "--content", str(site.content),
                                       "--format", "json"])
    assert json.loads(report.output)["posts"] == 1 and json.loads(report.output)["ok"]


def test_an_edited_post_rebuilds_what_shows_it_and_equals_a_clean_build(tmp_path):
    from tests.conftest import snapshot
    site = SiteFolder(tmp_path)
    site.source_draws()
    path = write_post(site, "2025-07-23-p.md", "---\ntitle: Alphanews\ndate: 2025-07-23\n"
                      "summary: S.\ncategories: [healthcare]\n---\n"
                      "See [it](../draws/2025-07-22-healthcare.yaml).\n")
    assert site.build().exit_code == 0
    article = site.output / "draws/2025-06-02-healthcare/index.html"
    kept = article.stat().st_mtime_ns
    path.write_text(path.read_text().replace("Alphanews", "Omeganews"))
    result = site.build()
    assert result.exit_code == 0, result.output
    rendered = int(re.search(r": (\d+) rendered", result.output)[1])
    assert 0 < rendered < 10, result.output  # the post, home, category, year: not the draws
    assert article.stat().st_mtime_ns == kept
    for page in ("posts/2025-07-23-p/index.html", "index.html", "2025/index.html",
                 "category/healthcare/index.html", "feed.xml", "category/healthcare/feed.xml",
                 "data/posts.json"):
        assert "Omeganews" in site.page(page) and "Alphanews" not in site.page(page), page
    incremental = snapshot(site.output)
    shutil.rmtree(site.output)
    shutil.rmtree(site.content.parent / ".drawdesk", ignore_errors=True)
    assert site.build().exit_code == 0
    assert snapshot(site.output) == incremental
    # a draw the post links to leaves the site: the post's link goes, as in a clean build
    draw = site.content / "draws" / "2025-07-22-healthcare.yaml"
    draw.write_text(draw.read_text() + "draft: true\n")
    assert site.build().exit_code == 0
    assert "draws/2025-07-22-healthcare" not in site.page("posts/2025-07-23-p/index.html")


def test_a_corrected_post_says_so_on_its_page_the_corrections_page_and_feeds(sample):
    write_post(sample, NAME, POST.replace("tags:", "corrections:\n- at: 2025-12-02T15:00:00Z\n"
                                          "  by: editor\n  note:\n    en: The link was fixed.\n"
                                          "    fr: Le lien a été corrigé.\ntags:"))
    result = sample.build()
    assert result.exit_code == 0, result.output
    page = sample.page("fr/posts/2025-11-20-healthcare-news/index.html")
    assert "Le lien a été corrigé." in main_text(page)
    assert '<meta property="article:modified_time" content="2025-12-02T15:00:00+00:00">' in page
    news = next(b for b in jsonld(page) if b["@type"] == "NewsArticle")
    assert news["dateModified"] == "2025-12-02T15:00:00+00:00"
    assert news["correction"][0]["text"].endswith("Le lien a été corrigé.")
    listing = sample.page("en/corrections/index.html")
    assert 'href="/news/en/posts/2025-11-20-healthcare-news/"' in listing
    assert "The link was fixed." in main_text(listing)
    feed = sample.page("en/corrections/feed.xml")
    assert "drawdesk/post/2025-11-20-healthcare-news/correction/20251202T150000Z" in feed
    assert "https://example.org/news/en/posts/2025-11-20-healthcare-news/" in feed
    site_feed = sample.page("en/atom.xml")
    assert "The link was fixed." in site_feed and "2025-12-02T15:00:00" in site_feed


def test_a_post_correction_needs_a_note_in_every_language_after_the_post(sample):
    write_post(sample, NAME, POST.replace("tags:", "corrections:\n- at: 2025-11-19T15:00:00Z\n"
                                          "  by: editor\n  note: Fixed.\ntags:"))
    code, output = validate(sample)
    assert code == 1
    assert "news.md:11:3: corrections[1].note: no note in fr" in output
    assert "news.md:11:3: corrections[1].at: 2025-11-19T15:00:00+00:00 is before the post" \
        in output
