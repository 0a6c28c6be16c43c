"""The theme's promises, checked on the built sample site without a browser.

Size budget, unique titles and descriptions, canonical and social metadata,
JSON-LD, heading outline, landmarks, tables, breadcrumbs, no scripts or
outside requests, and the colour contrast of both colour schemes.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import SiteFolder
from sitepages import BASE_PATH, BASE_URL, Page, largest, pages, text_of

from drawdesk.core.theme import THEME_DIR

STYLESHEET = THEME_DIR / "assets" / "style.css"
BUDGET = 40 * 1024  # an article page, HTML and CSS, uncompressed
PAGE_KINDS = {"home", "home-paged", "article", "post", "category", "category-paged",
              "categories", "archive", "year", "stats", "data", "corrections", "404", "root",
              "404-root"}
NOT_FOUND = ("404", "404-root")  # served at any missing address


@pytest.fixture(scope="module")
def site_pages(sample_site: Path) -> list[Page]:
    found = pages(sample_site)
    assert {p.kind for p in found} == PAGE_KINDS
    return found


def test_article_page_with_its_stylesheet_is_under_40_kb(sample_site: Path) -> None:
    page = largest(sample_site, "article")
    html = page.file.stat().st_size
    css = (sample_site / "assets" / "style.css").stat().st_size
    print(f"largest article {page.rel}: {html} B HTML + {css} B CSS = {html + css} B")
    assert html + css < BUDGET, f"{page.rel}: {html} + {css} bytes is over the 40 KB budget"


def test_every_page_has_a_unique_title_and_description(site_pages: list[Page]) -> None:
    titles = Counter(p.title for p in site_pages)
    descriptions = Counter(p.meta("description") for p in site_pages)
    assert all(titles), "a page has an empty <title>"
    assert all(descriptions), "a page has no meta description"
    assert [t for t, n in titles.items() if n > 1] == []
    assert [d for d, n in descriptions.items() if n > 1] == []


def test_canonical_open_graph_and_twitter_tags(site_pages: list[Page]) -> None:
    for page in site_pages:
        where = page.rel
        assert page.meta("og:title") == page.title, where
        assert page.meta("twitter:title") == page.title, where
        assert page.meta("og:description") == page.meta("description"), where
        assert page.meta("twitter:description") == page.meta("description"), where
        assert page.meta("twitter:card") == "summary", where
        assert page.meta("og:site_name"), where
        assert page.meta("og:locale") == page.lang_tag.replace("-", "_"), where
        if page.kind in NOT_FOUND:  # served at any missing address: no canonical URL
            assert page.canonical is None and page.meta("robots") == "noindex"
            continue
        assert page.canonical == BASE_URL + page.url_path, where
        assert page.meta("og:url") == page.canonical, where
        if page.kind in ("article", "post"):
            assert page.meta("og:type") == "article"
            # the draw's time with its zone, or its day alone: never an invented midnight
            published = page.meta("article:published_time") or ""
            assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[-+]\d\d:\d\d)?",
                                published), where
            assert "T00:00:00" not in published, where
        else:
            assert page.meta("og:type") == "website", where


def test_articles_carry_newsarticle_faqpage_and_breadcrumbs(site_pages: list[Page]) -> None:
    for page in (p for p in site_pages if p.kind == "article"):
        types = sorted(block["@type"] for block in page.jsonld)
        assert types == ["BreadcrumbList", "FAQPage", "NewsArticle"], page.rel
        news = page.jsonld_of("NewsArticle")[0]
        assert news["headline"] == text_of(page.doc.find(".//h1"))
        assert news["url"] == news["mainEntityOfPage"] == page.canonical
        faq = page.jsonld_of("FAQPage")[0]["mainEntity"]
        visible = page.doc.xpath("//*[contains(@class, 'faq')]//dl")[0]
        questions = [text_of(dt) for dt in visible.findall("dt")]
        answers = [text_of(dd) for dd in visible.findall("dd")]
        assert [q["name"] for q in faq] == questions
        assert [q["acceptedAnswer"]["text"] for q in faq] == answers


def test_posts_carry_newsarticle_breadcrumbs_and_faqpage_when_they_have_questions(
        site_pages: list[Page]) -> None:
    posts = [p for p in site_pages if p.kind == "post"]
    assert posts
    for page in posts:
        news = page.jsonld_of("NewsArticle")[0]
        assert news["headline"] == text_of(page.doc.find(".//h1"))
        assert news["url"] == news["mainEntityOfPage"] == page.canonical
        assert news["description"] == page.meta("description")
        visible = page.doc.xpath("//*[contains(@class, 'faq')]//dl")
        faq = page.jsonld_of("FAQPage")
        assert len(faq) == len(visible) <= 1, page.rel
        if faq:
            assert [q["name"] for q in faq[0]["mainEntity"]] == [
                text_of(dt) for dt in visible[0].findall("dt")]
            assert [q["acceptedAnswer"]["text"] for q in faq[0]["mainEntity"]] == [
                text_of(dd) for dd in visible[0].findall("dd")]


def test_home_pages_describe_the_website(site_pages: list[Page]) -> None:
    homes = [p for p in site_pages if p.kind == "home"]
    assert [p.prefix for p in homes] == ["en/", "fr/"]
    for home in homes:
        (website,) = home.jsonld_of("WebSite")
        assert website["url"] == BASE_URL + home.prefix and website["name"] in home.title
        assert website["inLanguage"] == home.lang_tag


@pytest.mark.parametrize("kind", ["article", "post", "category", "category-paged", "categories",
                                  "archive", "year", "stats", "data"])
def test_breadcrumbs_are_shown_and_given_as_json_ld(site_pages: list[Page], kind: str) -> None:
    for page in (p for p in site_pages if p.kind == kind):
        nav = page.doc.xpath("//nav[contains(@class, 'breadcrumbs')]")
        assert len(nav) == 1, page.rel
        assert nav[0].get("aria-label")
        items = nav[0].findall(".//li")
        assert items[-1].get("aria-current") == "page" and items[-1].find("a") is None
        visible = [(text_of(li), li.find("a").get("href") if li.find("a") is not None
                    else BASE_PATH + page.url_path) for li in items]
        (crumbs,) = page.jsonld_of("BreadcrumbList")
        given = [(item["name"], item["item"].replace(BASE_URL, BASE_PATH))
                 for item in crumbs["itemListElement"]]
        assert [i["position"] for i in crumbs["itemListElement"]] == list(
            range(1, len(items) + 1))
        assert visible == given, page.rel
        assert given[0][1] == BASE_PATH + page.prefix  # the edition's home page


def test_one_h1_and_an_ordered_heading_outline(site_pages: list[Page]) -> None:
    for page in site_pages:
        levels = [int(h.tag[1]) for h in page.doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels.count(1) == 1 and levels[0] == 1, (page.rel, levels)
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert skips == [], (page.rel, levels)
        h1 = page.doc.find(".//h1")
        assert h1.xpath("ancestor::main"), page.rel


def test_language_landmarks_and_skip_link(site_pages: list[Page]) -> None:
    for page in site_pages:
        doc = page.doc
        assert doc.get("lang") == page.lang_tag, page.rel
        assert len(doc.findall(".//main")) == 1 and doc.find(".//main").get("id") == "main"
        assert doc.xpath("/html/body/footer"), page.rel
        if page.kind in ("root", "404-root"):  # nothing before <main> to skip
            assert doc.xpath("/html/body/*")[0].tag == "main"
            continue
        assert doc.xpath("/html/body/header"), page.rel
        for nav in doc.iter("nav"):
            assert nav.get("aria-label"), (page.rel, "a <nav> without a name")
        first_link = doc.find(".//body//a")
        assert first_link.get("href") == "#main" and "skip-link" in first_link.get("class")


def test_tables_have_captions_and_column_headers(site_pages: list[Page]) -> None:
    for page in site_pages:
        if page.kind in ("category", "year"):
            assert page.doc.find(".//table") is not None, page.rel
        for table in page.doc.iter("table"):
            assert table[0].tag == "caption" and text_of(table[0]), page.rel
            headers = table.findall("thead/tr/th")
            assert headers and all(th.get("scope") == "col" for th in headers), page.rel
            assert len(table.find("tbody/tr")) == len(headers)
            wrap = table.getparent()  # scrolls sideways on a phone: named and focusable
            assert wrap.get("tabindex") == "0" and wrap.get("role") == "region"
            assert wrap.get("aria-labelledby") == table[0].get("id")


VAGUE = {"click here", "here", "read more", "more", "link", "this", "this page",
         "cliquez ici", "ici", "lire la suite", "en savoir plus", "plus", "lien"}


def test_every_link_says_where_it_goes(site_pages: list[Page]) -> None:
    for page in site_pages:
        for a in page.doc.iter("a"):
            text = text_of(a).lower()
            assert text and text not in VAGUE, (page.rel, a.get("href"), text)
            assert a.get("href"), (page.rel, text)


def test_no_scripts_fonts_or_outside_requests(site_pages: list[Page], sample_site: Path) -> None:
    for page in site_pages:
        doc = page.doc
        assert all(s.get("type") == "application/ld+json" for s in doc.iter("script")), page.rel
        assert not doc.xpath("//@*[starts-with(name(), 'on')]"), page.rel
        assert not doc.xpath("//img|//iframe|//object|//embed|//video|//audio"), page.rel
        fetched = doc.xpath("//link[@rel='stylesheet' or @rel='preload']/@href")
        assert fetched == [BASE_PATH + "assets/style.css"], page.rel
        icons = doc.xpath("//link[contains(@rel, 'icon')]/@href")  # else: /favicon.ico
        assert len(icons) == 1 and icons[0].startswith("data:image/svg+xml,"), page.rel
        assert not doc.xpath("//*[@style]"), page.rel
    css = (sample_site / "assets" / "style.css").read_text(encoding="utf-8")
    assert "@font-face" not in css and "@import" not in css
    assert "url(" not in css


def test_stylesheet_has_dark_print_focus_and_responsive_rules() -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    for feature in ("@media (prefers-color-scheme: dark)", "@media print", ":focus-visible",
                    "@media (min-width:", "color-scheme: light dark", "--measure"):
        assert feature in css, feature
    assert "system-ui" in css


# -- colour contrast --------------------------------------------------------------------
def _colours(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", block))


def _scheme(css: str, media: str | None) -> dict[str, str]:
    light = _colours(css.split("@media", 1)[0])
    if media is None:
        return light
    start = css.index(media)
    block = css[start: css.index("}\n}", start)]
    return {**light, **_colours(block)}


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = []
    for i in (0, 2, 4):
        c = int(h[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


TEXT_PAIRS = [  # (text, background) pairs the stylesheet uses
    ("fg", "bg"), ("muted", "bg"), ("link", "bg"), ("link-visited", "bg"), ("accent", "bg"),
    ("fg", "card"), ("muted", "card"), ("link", "card"), ("link-visited", "card"),
    ("fg", "note-bg"), ("link", "note-bg"), ("fg", "header-bg"), ("link", "header-bg"),
    ("accent", "header-bg"), ("link", "bg"),
]


@pytest.mark.parametrize("scheme", [None, "(prefers-color-scheme: dark)", "print"])
def test_colour_pairs_meet_wcag_aa(scheme: str | None) -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    colours = _scheme(css, {"print": "@media print"}.get(scheme or "", scheme))
    low = [(fg, bg, round(contrast(colours[fg], colours[bg]), 2)) for fg, bg in TEXT_PAIRS
           if contrast(colours[fg], colours[bg]) < 4.5]
    assert low == [], f"text below 4.5:1 in {scheme or 'light'} scheme"
    # the focus ring must stand out from the page (non-text contrast, 3:1)
    assert contrast(colours["focus"], colours["bg"]) >= 3


def test_contrast_formula() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


def test_editor_headings_fit_the_outline(site: SiteFolder) -> None:
    site.draw("2025-07-22-healthcare.yaml", extra=(
        "sections:\n  meaning: |\n    ### Background\n\n    Text.\n\n"
        "    ##### Detail\n\n    More.\n"
        "faq:\n- question: Is there more?\n  answer: |\n    ## Yes\n\n    See above.\n"))
    assert site.build().exit_code == 0
    page = Page(site.output, site.output / "draws" / "2025-07-22-healthcare" / "index.html")
    levels = [int(h.tag[1]) for h in page.doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1] == []
    assert "<h3>Background</h3>" in page.html and "<h4>Detail</h4>" in page.html
    assert "<h3>Yes</h3>" in page.html
