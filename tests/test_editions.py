"""English and French editions from the same entries (languages: [en, fr])."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import html5lib
import pytest
import yaml
from lxml import etree

from drawdesk.present import formatting as text
from tests.conftest import ROOT, draw_yaml
from tests.sitecheck import broken_links

BILINGUAL_SITE = """\
title:
  en: Test Desk
  fr: Bureau d’essai
base_url: https://example.org/news/
languages: [en, fr]
description:
  en: Draw news for tests.
  fr: Nouvelles des rondes pour les tests.
publisher:
  name: Test Newsroom
  url: https://newsroom.example.com/
disclaimer:
  en: This article is for general information only and does not constitute legal advice.
  fr: Cet article est fourni à titre informatif seulement et ne constitue pas un avis juridique.
items_per_page: 3
"""
FR_SECTIONS = ["Détails confirmés de la ronde", "Ce que signifie cette mise à jour",
               "Répercussions possibles", "Ce que les candidats devraient faire maintenant",
               "Foire aux questions", "Conclusion"]
SOURCE = "fr/draws/2025-07-22-healthcare/index.html"
NBSP = "\u00a0"
TEMPLATES = ROOT / "templates"


def bilingual(site):
    (site.content / "site.yaml").write_text(BILINGUAL_SITE, encoding="utf-8")
    return site


@pytest.fixture
def source_site(site):
    """The source article's draw (round 357) after an earlier healthcare draw, in both languages."""
    bilingual(site)
    site.source_draws()
    result = site.build()
    assert result.exit_code == 0, result.output
    return site


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def squash(value: str) -> str:
    return " ".join(value.split())


def without_quoted_english(doc):
    """`doc` with the text of elements marked lang="en" emptied: quotations in English,
    such as IRCC's own name for a round, which French pages show as IRCC wrote it."""
    for el in doc.iter():
        if el.get("lang") == "en":
            for child in list(el):
                el.remove(child)
            el.text = ""
    return doc


def main_text(html: str) -> str:
    return squash("".join(without_quoted_english(parse(html)).find(".//main").itertext()))


def hreflangs(html: str) -> dict[str, str]:
    return {el.get("hreflang"): el.get("href") for el in parse(html).iter("link")
            if el.get("rel") == "alternate" and el.get("hreflang") and not el.get("type")}


# -- the English strings that must never reach a French page ---------------------------------
def _fragments(source: str) -> list[str]:
    """The literal English text of a template: between tags and Jinja, and in Jinja strings."""
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    literals = re.findall(r"'([^'{}]+)'", " ".join(re.findall(r"\{[{%].*?[%}]\}", source, re.S)))
    prose = re.sub(r"\{[{%].*?[%}]\}|<[^>]+>", "\x00", source, flags=re.S)
    return [squash(part) for part in prose.split("\x00") + literals]


def english_strings() -> list[str]:
    """Every English sentence part of the theme: article templates and the catalogue."""
    found: list[str] = []
    for name in ("article_body.en.html", "compare.en.html", "meaning_facts.en.html",
                 "pool.html", "year_table.html", "year_row.html", "data_columns.html"):
        found += _fragments((TEMPLATES / name).read_text(encoding="utf-8"))
    catalogue = yaml.safe_load((TEMPLATES / "i18n/en.yaml").read_text(encoding="utf-8"))
    for value in catalogue.values():  # split at markup as templates are (data_column_*)
        found += [squash(part) for part in re.split(r"\{\w+\}|<[^>]+>", str(value))]
    sentences = {part.strip(" .,:;()") for f in found for part in re.split(r"(?<=[.?!])\s+", f)}
    # Parts of two words or more; single words are checked by ENGLISH_WORDS below.
    return sorted(part for part in sentences if len(part.split()) >= 2)


ENGLISH_WORDS = ["the", "and", "of", "with", "this", "that", "your", "you", "draw", "draws",
                 "should", "may", "previous", "earlier", "invited", "issued", "round"]


def english_left(french: str) -> list[str]:
    text_ = squash(french)
    found = [s for s in english_strings() if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text_)]
    found += [w for w in ENGLISH_WORDS if re.search(rf"\b{w}\b", text_, re.I)]
    return found


def test_english_string_list_is_real():
    strings = english_strings()
    assert "Confirmed details from the draw" in strings
    assert "The draw is a reminder that occupation-based selection continues to play an " \
           "important role in Canada’s permanent residence system" in strings
    assert "It may have moved" in strings and "invitations" not in strings
    assert "Who was invited in this Express Entry draw?" in strings
    assert len(strings) > 80


# -- the source article in French -----------------------------------------------------------
def test_french_source_page_has_every_section_in_order(source_site):
    page = source_site.page(SOURCE)
    doc = parse(page)
    assert doc.get("lang") == "fr-CA"
    h2 = [squash("".join(h.itertext())) for h in doc.iter("h2")]
    assert [h for h in h2 if h in FR_SECTIONS] == FR_SECTIONS
    body = main_text(page)
    positions = [body.index(s) for s in FR_SECTIONS]
    assert positions == sorted(positions)
    assert body.index("IRCC a tenu une nouvelle ronde d’invitations") < positions[0]
    assert positions[-1] < body.index("ne constitue pas un avis juridique")
    faq = next(s for s in doc.iter("section") if s.get("class") == "faq")
    assert len(list(faq.iter("dt"))) == 4


def test_french_facts_numbers_and_dates(source_site):
    page = source_site.page(SOURCE)
    body = "".join(parse(page).find(".//main").itertext())
    for phrase in [
        f"IRCC a envoyé 4{NBSP}000 invitations à présenter une demande à des candidats de la "
        "catégorie des soins de santé et des services sociaux.",
        f"Invitations envoyées{NBSP}: 4{NBSP}000",
        f"Score SCG minimal{NBSP}: 475",
        f"Date{NBSP}: 22 juillet 2025",
        "Catégorie",
        # the tie-break: the cut-off score, "soumis", no leading zero on the hour
        "En cas d’égalité au score minimal de 475, la règle de départage d’IRCC s’appliquait"
        f"{NBSP}: parmi les candidats ayant ce score, seuls ceux qui avaient soumis leur profil "
        "d’Entrée express avant le 13 mars 2025 à 13 h 8 min 29 s UTC ont été invités.",
        "Le score SCG minimal de 475 donne aux candidats un point de repère utile",
        "Le score SCG minimal de cette ronde était de 475.",
        "Cela signifie-t-il que les travailleurs de la santé devront toujours obtenir un score "
        "SCG de 475?",
        f"Ronde précédente de la catégorie des soins de santé et des services sociaux{NBSP}: "
        "2 juin 2025, 50 jours plus tôt, avec un score SCG minimal de 504 et 500 invitations. "
        f"Le seuil de cette ronde est en baisse de 29 points, avec 3{NBSP}500 invitations de plus.",
        "Le seuil de 475 est inférieur de 29 points à celui de la ronde précédente de la "
        "catégorie des soins de santé et des services sociaux, tenue le 2 juin 2025 (504). "
        f"IRCC a envoyé 4{NBSP}000 invitations, contre 500 la fois précédente.",
        "la 2e ronde de 2025, et la 2e ronde de l’année pour la catégorie des soins de santé",
        "22 juillet 2025 (cette ronde)",
        "ne constitue pas un avis juridique",
    ]:
        assert phrase in body, phrase
    assert "4,000" not in page and "4 000" not in page  # no English or breakable separator
    title = squash("".join(parse(page).find(".//h1").itertext()))
    assert title == ("Entrée express – Soins de santé et services sociaux : 4 000 invitations, "
                     "score SCG minimal de 475")


def test_no_english_template_string_in_french_page_or_feed(source_site):
    page = source_site.page(SOURCE)
    doc = parse(page)
    head = " ".join([doc.find(".//title").text] + [m.get("content") for m in doc.iter("meta")
                                                   if m.get("name") == "description"])
    assert english_left(main_text(page)) == []
    assert english_left(head) == []
    feed = feedparser.parse((source_site.output / "fr/feed.xml").read_bytes())
    for entry in feed.entries:
        quoted = re.sub(r'<span lang="en">.*?</span>', " ", entry.content[0].value)  # IRCC's
        content = squash(re.sub(r"<[^>]+>", " ", quoted))
        assert english_left(" ".join([entry.title, entry.summary, content])) == [], entry.link


def test_no_english_on_any_french_page(source_site):
    """Home, categories, archive, statistics (charts included), open data and articles."""
    pages = sorted((source_site.output / "fr").rglob("*.html"))
    assert {"stats", "data", "category", "archive", "draws"} <= {
        p.relative_to(source_site.output / "fr").parts[0] for p in pages}
    for page in pages:
        doc = without_quoted_english(parse(page.read_text(encoding="utf-8")))
        for code in doc.iter("code"):  # column names and values of the data files
            code.text = ""
        parts = [doc.find(".//title").text] + [
            "".join(doc.find(f".//{tag}").itertext()) for tag in ("header", "main")]
        parts += [el.get("content") for el in doc.iter("meta") if el.get("name") == "description"]
        parts += [el.get("title") or "" for el in doc.iter("link")]
        words = re.sub(r"draws\.(json|csv)( \((JSON|CSV)\))?", "", " ".join(parts))  # file names
        assert english_left(words) == [], page


def test_english_edition_is_the_english_article(source_site):
    page = source_site.page("en/draws/2025-07-22-healthcare/index.html")
    assert parse(page).get("lang") == "en-CA"
    body = main_text(page)
    assert "In this round, IRCC issued 4,000 invitations to apply to candidates in the " \
           "healthcare and social services category." in body
    assert "March 13, 2025 at 13:08:29 UTC" in body
    assert "juillet" not in body


# -- links between the editions --------------------------------------------------------------
def _pages(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html")
                  if p.name != "404.html")


def _url(path: str) -> str:
    return "https://example.org/news/" + (path[: -len("index.html")]
                                          if path.endswith("index.html") else path)


def test_hreflang_pairs_in_both_directions(source_site):
    out = source_site.output
    pages = _pages(out)
    assert len([p for p in pages if p.startswith("en/")]) == len(
        [p for p in pages if p.startswith("fr/")]) > 5
    for path in pages:
        links = hreflangs((out / path).read_text(encoding="utf-8"))
        assert set(links) == {"en-CA", "fr-CA", "x-default"}, path
        own = "fr-CA" if path.startswith("fr/") else "en-CA"
        if path != "index.html":
            assert links[own] == _url(path), path  # each page lists itself
        for lang in ("en-CA", "fr-CA"):
            target = links[lang][len("https://example.org/news/"):]
            target_file = out / (target + "index.html" if target.endswith("/") else target)
            assert target_file.is_file(), (path, links[lang])
            back = hreflangs(target_file.read_text(encoding="utf-8"))
            assert back == links, (path, lang)  # the same cluster, seen from the other side
    home = hreflangs((out / "en/index.html").read_text(encoding="utf-8"))
    assert home["x-default"] == "https://example.org/news/"
    article = hreflangs((out / SOURCE).read_text(encoding="utf-8"))
    assert article["x-default"] == _url("en/draws/2025-07-22-healthcare/")


def test_language_switch_is_visible_both_ways(source_site):
    fr = parse(source_site.page(SOURCE))
    en = parse(source_site.page("en/draws/2025-07-22-healthcare/index.html"))
    for doc, href, name, lang in [(en, "/news/fr/draws/2025-07-22-healthcare/", "Français",
                                   "fr-CA"),
                                  (fr, "/news/en/draws/2025-07-22-healthcare/", "English",
                                   "en-CA")]:
        switch = doc.find(".//header").find(".//p[@class='language-switch']/a")
        assert (switch.get("href"), switch.text, switch.get("lang")) == (href, name, lang)


def test_root_offers_both_editions_and_their_feeds(source_site):
    root = source_site.page("index.html")
    doc = parse(root)
    links = [el.get("href") for el in doc.iter("a")]
    assert "/news/en/" in links and "/news/fr/" in links
    feeds = [el.get("href") for el in doc.iter("link")
             if el.get("type") == "application/rss+xml"]
    assert feeds == ["/news/en/feed.xml", "/news/fr/feed.xml"]
    assert '<link rel="canonical" href="https://example.org/news/">' in root
    assert {s.get("lang") for s in doc.iter("section")} == {"en-CA", "fr-CA"}
    not_found = main_text(source_site.page("404.html"))
    assert "Page not found" in not_found and "Page introuvable" in not_found
    assert broken_links(source_site.output, "https://example.org/news/") == []


def test_every_page_links_its_own_feed(source_site):
    for page in source_site.output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        rel = page.relative_to(source_site.output).as_posix()
        folder = rel.split("/")[0] if "/" in rel else "en"
        assert 'type="application/rss+xml"' in html and f"/news/{folder}/feed.xml" in html, rel


# -- feeds, sitemap, JSON-LD -----------------------------------------------------------------
def test_french_feeds_validate(source_site):
    out = source_site.output
    rss = feedparser.parse((out / "fr/feed.xml").read_bytes())
    assert not rss.bozo, rss.bozo_exception
    assert rss.feed.language == "fr-CA" and rss.feed.link == "https://example.org/news/fr/"
    assert rss.feed.title == "Bureau d’essai"
    first = rss.entries[0]
    assert first.link == "https://example.org/news/fr/draws/2025-07-22-healthcare/"
    assert first.id == "tag:example.org,2025:drawdesk/draw/round-357/fr"
    assert first.summary.startswith(f"Le 22 juillet 2025, IRCC a envoyé 4{NBSP}000 invitations")
    assert first.tags[0].term == "Soins de santé et services sociaux"
    assert "Détails confirmés de la ronde" in first.content[0].value
    english = feedparser.parse((out / "en/feed.xml").read_bytes())
    assert english.entries[0].id == "tag:example.org,2025:drawdesk/draw/round-357"
    atom = feedparser.parse((out / "fr/atom.xml").read_bytes())
    assert not atom.bozo and atom.version == "atom10"
    root = etree.parse(str(out / "fr/atom.xml")).getroot()
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr-CA"
    category = feedparser.parse((out / "fr/category/healthcare/feed.xml").read_bytes())
    assert not category.bozo and len(category.entries) == 2
    assert category.feed.title == f"Bureau d’essai{NBSP}: Soins de santé et services sociaux"


def test_sitemap_lists_alternates(source_site):
    tree = etree.parse(str(source_site.output / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.findtext("s:loc", namespaces=ns): {
        link.get("hreflang"): link.get("href") for link in u.findall("x:link", ns)}
        for u in tree.findall("s:url", ns)}
    french = urls["https://example.org/news/fr/draws/2025-07-22-healthcare/"]
    assert french == {"en-CA": "https://example.org/news/en/draws/2025-07-22-healthcare/",
                      "fr-CA": "https://example.org/news/fr/draws/2025-07-22-healthcare/",
                      "x-default": "https://example.org/news/en/draws/2025-07-22-healthcare/"}
    assert urls["https://example.org/news/"]["x-default"] == "https://example.org/news/"
    assert len(urls) == len(_pages(source_site.output))


def test_jsonld_in_language(source_site):
    doc = parse(source_site.page(SOURCE))
    blocks = [json.loads(s.text) for s in doc.iter("script")
              if s.get("type") == "application/ld+json"]
    news = next(b for b in blocks if b["@type"] == "NewsArticle")
    assert news["inLanguage"] == "fr-CA"
    assert news["articleSection"] == "Soins de santé et services sociaux"
    faq = next(b for b in blocks if b["@type"] == "FAQPage")
    assert faq["mainEntity"][1]["name"] == "Quel était le score SCG minimal?"


# -- every category and draw type reads as French ---------------------------------------------
CATEGORIES = [c["key"] for c in yaml.safe_load(
    (ROOT / "content/categories.yaml").read_text(encoding="utf-8"))["categories"]]


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_reads_as_french(site, category):
    bilingual(site)
    site.draw("a.yaml", draw_yaml(date="2025-01-01", category=category, round=300, min_crs=520,
                                  invitations=1500))
    site.draw("b.yaml", draw_yaml(date="2025-05-01", category=category, round=330, min_crs=480,
                                  invitations=2500, extra="tie_break: 2025-04-30T09:15:00-04:00\n"))
    result = site.build()
    assert result.exit_code == 0, result.output
    for slug in (f"2025-01-01-{category}", f"2025-05-01-{category}"):
        page = site.page(f"fr/draws/{slug}/index.html")
        assert english_left(main_text(page)) == [], slug
    body = main_text(site.page(f"fr/draws/2025-05-01-{category}/index.html"))
    assert "le 30 avril 2025 à 9 h 15 min 0 s UTC\u221204:00" in body  # no leading zeros
    assert "Date : 1er mai 2025" in body  # the first of the month is "1er"


# -- editor overrides per language ---------------------------------------------------------
def test_overrides_per_language(site):
    bilingual(site)
    site.draw("a.yaml", extra=(
        "title:\n  en: Healthcare draw brings 4,000 invitations\n"
        "  fr: La santé obtient 4 000 invitations\n"
        "sections:\n  meaning: Editors *know* more.\n"
        "  fr:\n    meaning: La rédaction en *sait* davantage.\n"
        "faq:\n  en:\n    - question: When is the next draw?\n      answer: IRCC does not say.\n"
        "  fr:\n    - question: Quand aura lieu la prochaine ronde?\n"
        "      answer: IRCC ne l’annonce pas.\n"))
    result = site.build()
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    en, fr = (site.page(f"{lang}/draws/2025-07-22-healthcare/index.html") for lang in ("en", "fr"))
    assert "<h1>Healthcare draw brings 4,000 invitations</h1>" in en
    assert "<h1>La santé obtient 4 000 invitations</h1>" in fr
    assert "La rédaction en <em>sait</em> davantage." in fr and "Editors" not in fr
    assert "Quand aura lieu la prochaine ronde? IRCC ne l’annonce pas." in main_text(fr)
    assert "When is the next draw?" in main_text(en) and "When is the next draw?" not in fr


def test_english_only_overrides_never_reach_the_french_page(site, monkeypatch):
    monkeypatch.chdir(site.root)
    bilingual(site)
    site.draw("a.yaml", extra=(
        "title: Healthcare draw brings 4,000 invitations\n"
        "disclaimer: Our own disclaimer.\n"
        "sections:\n  meaning: Editors know more.\n"
        "faq:\n  - question: When is the next draw?\n    answer: IRCC does not say.\n"))
    result = site.build()
    assert result.exit_code == 0, result.output
    fr = site.page("fr/draws/2025-07-22-healthcare/index.html")
    for english in ("Healthcare draw brings", "Our own disclaimer", "Editors know more",
                    "When is the next draw?"):
        assert english not in fr, english
    body = main_text(fr)
    assert "Entrée express – Soins de santé et services sociaux" in body  # generated title
    assert "Cette ronde montre qu’IRCC cible" in body  # generated section
    assert "ne constitue pas un avis juridique" in body  # the site's French disclaimer
    warnings = [line for line in result.output.splitlines() if "warning:" in line]
    assert warnings == [
        "content/draws/a.yaml:7:8: title: warning: no text for language fr: that edition uses "
        "its generated text (one per published language expected)",
        "content/draws/a.yaml:8:13: disclaimer: warning: no text for language fr: that edition "
        "uses its generated text (one per published language expected)",
        "content/draws/a.yaml:10:3: sections.meaning: warning: no text for language fr: that "
        "edition uses its generated text (one per published language expected)",
        "content/draws/a.yaml:12:3: faq: warning: no text for language fr: that edition uses "
        "its generated text (one per published language expected)",
    ]


def test_english_given_twice_in_sections_is_an_error(site, monkeypatch):
    monkeypatch.chdir(site.root)
    bilingual(site)
    site.draw("a.yaml", extra="sections:\n  meaning: A.\n  en:\n    meaning: B.\n")
    result = site.build()
    assert result.exit_code == 1
    assert ("content/draws/a.yaml:8:3: sections.meaning: English given both here and under "
            "'en:' (one of the two expected)") in result.output


# -- validation: French is required for every category text --------------------------------
def test_categories_need_french_when_french_is_published(site, monkeypatch):
    monkeypatch.chdir(site.root)
    bilingual(site)
    path = site.content / "categories.yaml"
    source = path.read_text(encoding="utf-8")
    source = source.replace("  label:\n    en: All programs\n    fr: Tous les programmes\n",
                            "  label: All programs\n", 1)
    source = source.replace("      fr: les candidats des provinces inscrits à Entrée express\n",
                            "", 1)
    path.write_text(source, encoding="utf-8")
    site.draw("a.yaml")
    result = site.build()
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("content/")]
    lines = source.splitlines()
    label_line = lines.index("  label: All programs") + 1
    people_line = next(i for i, line in enumerate(lines, start=1)
                       if "en: provincial nominees in Express Entry" in line)
    assert problems == [
        f"content/categories.yaml:{label_line}:10: categories[1].label: no text for language fr "
        "(one text per published language expected, as {en: ..., fr: ...})",
        f"content/categories.yaml:{people_line}:7: categories[3].prose.people_in: no text for "
        "language fr (one text per published language expected, as {en: ..., fr: ...})",
    ]


def test_monolingual_site_needs_no_french(site):
    path = site.content / "categories.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  label:\n    en: All programs\n    fr: Tous les programmes\n", "  label: All programs\n"),
        encoding="utf-8")
    site.draw("a.yaml")
    result = site.build()
    assert result.exit_code == 0, result.output
    assert not (site.output / "fr").exists() and not (site.output / "en").exists()
    page = site.page("draws/2025-07-22-healthcare/index.html")
    assert "hreflang" not in page and "language-switch" not in page
    assert "xhtml" not in site.page("sitemap.xml")


# -- the schema editors' tools see ---------------------------------------------------------
def test_json_schema_takes_old_and_new_forms():
    import jsonschema

    from drawdesk.source.fields import DRAW_FIELDS
    from drawdesk.tools.jsonschema import json_schema_for

    schema = json_schema_for(DRAW_FIELDS, "draw")
    base = {"date": "2025-07-22", "type": "category-based", "category": "healthcare",
            "invitations": 4000, "min_crs": 475}
    faq = [{"question": "Q?", "answer": "A."}]
    for extra in [{"title": "T"}, {"title": {"en": "T", "fr": "T"}}, {"faq": faq},
                  {"faq": {"fr": faq}}, {"sections": {"meaning": "M"}},
                  {"sections": {"meaning": "M", "fr": {"meaning": "S"}}},
                  {"disclaimer": {"fr": "D"}}]:
        jsonschema.validate({**base, **extra}, schema)
    for bad in [{"title": {"de": "T"}}, {"faq": {"de": faq}},
                {"sections": {"fr": {"meanin": "S"}}}]:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**base, **bad}, schema)


# -- formatting ------------------------------------------------------------------------------
@pytest.mark.parametrize("call, expected", [
    (lambda: text.number(4000, "fr"), f"4{NBSP}000"),
    (lambda: text.number(1234567, "fr"), f"1{NBSP}234{NBSP}567"),
    (lambda: text.number(4000, "en"), "4,000"),
    (lambda: text.signed(-3500, "fr"), f"\u22123{NBSP}500"),
    (lambda: text.long_date(__import__("datetime").date(2025, 6, 4), "fr"), "4 juin 2025"),
    (lambda: text.long_date(__import__("datetime").date(2025, 7, 1), "fr"), "1er juillet 2025"),
    (lambda: text.long_date(__import__("datetime").date(2025, 7, 1), "en"), "July 1, 2025"),
    (lambda: text.ordinal(1, "fr"), "1re"),
    (lambda: text.ordinal(1, "fr", gender="m"), "1er"),
    (lambda: text.ordinal(22, "fr"), "22e"),
    (lambda: text.ordinal(22, "en"), "22nd"),
])
def test_formatting(call, expected):
    assert call() == expected


def test_catalogues_have_the_same_keys():
    en = yaml.safe_load((TEMPLATES / "i18n/en.yaml").read_text(encoding="utf-8"))
    fr = yaml.safe_load((TEMPLATES / "i18n/fr.yaml").read_text(encoding="utf-8"))
    assert sorted(en) == sorted(fr)
    for name in ("article_body", "compare", "meaning_facts"):  # prose: one per language
        assert (TEMPLATES / f"{name}.fr.html").is_file(), name
    for name in ("pool", "year_table", "year_row", "data_columns"):  # catalogue strings
        assert (TEMPLATES / f"{name}.html").is_file(), name
