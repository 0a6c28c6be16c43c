"""Corrections (issue 16): recorded by the import, written by editors, checked, and shown to
readers, search engines and feed readers without a published item reappearing."""

from __future__ import annotations

import copy
import difflib
import json
import re
from pathlib import Path

import feedparser
import lxml.html
import pytest
from click.testing import CliRunner
from conftest import SiteFolder, snapshot
from test_import import rounds_of, valid_rounds, write_source

from drawdesk.cli import main

BILINGUAL = """\
title: {en: Test Desk, fr: Bureau d’essai}
base_url: https://example.org/news/
languages: [en, fr]
description: {en: Draw news for tests., fr: Nouvelles des rondes pour les tests.}
publisher:
  name: Test Newsroom
  url: https://newsroom.example.com/
disclaimer: {en: General information only., fr: Information générale seulement.}
"""
ENTRY = "2024-10-01-healthcare.yaml"  # round 320
ARTICLE = "draws/2024-10-01-healthcare/index.html"
FEEDS = ("en/feed.xml", "en/atom.xml", "fr/feed.xml", "fr/atom.xml",
         "en/category/healthcare/feed.xml", "fr/category/healthcare/feed.xml")
NBSP = "\u00a0"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def import_file(site: SiteFolder, source: Path, now: str, *args: str):
    result = run("import", "ircc", str(source), "--content", str(site.content), "--now", now,
                 *args)
    assert result.exit_code == 0, result.output
    return result


def build(site: SiteFolder, now: str = "2026-04-05") -> None:
    result = run("build", "--content", str(site.content), "--output", str(site.output),
                 "--now", now, "--quiet")
    assert result.exit_code == 0, result.output


def bilingual(site: SiteFolder) -> SiteFolder:
    (site.content / "site.yaml").write_text(BILINGUAL, encoding="utf-8")
    return site


def with_cut_off(rounds: list[dict], number: str, crs: str) -> list[dict]:
    rounds = copy.deepcopy(rounds)
    for raw in rounds:
        if raw["drawNumber"] == number:
            raw["drawCRS"] = crs
    return rounds


def feed_items(output: Path) -> dict[str, dict[str, tuple]]:
    """Every feed's items by id: (published, updated), as feedparser reads them."""
    found = {}
    for path in FEEDS:
        parsed = feedparser.parse((output / path).read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        atom = path.endswith("atom.xml")  # RSS items have no updated date
        found[path] = {e.id: (e.published, e.updated if atom else None)
                       for e in parsed.entries}
    return found


def jsonld(page: str, kind: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return next(b for b in map(json.loads, blocks) if b["@type"] == kind)


def corrections_text(page: str) -> list[str]:
    section = lxml.html.fromstring(page).get_element_by_id("corrections").getparent()
    return [re.sub(r"[ \t\n]+", " ", p.text_content()).strip() for p in section.findall("p")]


def lastmod(output: Path, page: str) -> str:
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    found = re.search(rf"<loc>https://example.org/news/{re.escape(page)}</loc>"
                      r"<lastmod>([^<]*)</lastmod>", sitemap)
    assert found, page
    return found[1]


# -- the import records, readers and feeds see --------------------------------------------
def test_a_changed_cut_off_is_a_correction_that_pages_and_feeds_carry(
        site: SiteFolder, tmp_path: Path) -> None:
    bilingual(site)
    rounds = valid_rounds()
    import_file(site, write_source(tmp_path, rounds), "2026-04-01T10:00:00")
    build(site)
    entry = site.content / "draws" / ENTRY
    before_text = entry.read_text(encoding="utf-8")
    before_feeds = feed_items(site.output)
    before_page = site.page("en/" + ARTICLE)
    before_lastmod = lastmod(site.output, "en/" + ARTICLE.removesuffix("index.html"))
    assert "Updated" not in before_page and 'id="corrections"' not in before_page

    changed = write_source(tmp_path, with_cut_off(rounds, "320", "465"), "changed.json")
    result = import_file(site, changed, "2026-04-02T10:00:00")
    assert "min_crs 463 -> 465; correction recorded (min_crs; by ircc at " \
           "2026-04-02T14:00:00Z)" in result.stdout
    # the entry's diff: the changed value, and the correction appended
    diff = [line for line in difflib.ndiff(before_text.splitlines(),
                                           entry.read_text(encoding="utf-8").splitlines())
            if line[:1] in "+-"]
    assert diff == ["- min_crs: 463", "+ min_crs: 465", "+ corrections:",
                    "+ - at: 2026-04-02T14:00:00Z", "+   by: ircc", "+   field: min_crs",
                    "+   from: 463", "+   to: 465"]
    # importing the same file again changes nothing
    kept = snapshot(site.content)
    again = import_file(site, changed, "2026-04-03T10:00:00")
    assert snapshot(site.content) == kept
    assert again.stdout.splitlines()[-1].endswith("0 added, 0 updated, 11 unchanged.")

    build(site)
    en, fr = site.page("en/" + ARTICLE), site.page("fr/" + ARTICLE)
    assert 'Updated <time datetime="2026-04-02T14:00:00+00:00">April 2, 2026 at 14:00 UTC' \
           "</time>" in en
    assert "Mis à jour le <time" in fr
    assert corrections_text(en) == ["Correction, April 2, 2026: IRCC corrected the minimum "
                                    "CRS score from 463 to 465."]
    assert corrections_text(fr) == [f"Correction du 2 avril 2026{NBSP}: IRCC a corrigé le "
                                    "score SCG minimal, qui passe de 463 à 465."]
    assert en.index('id="corrections"') < en.index('class="disclaimer"')
    # JSON-LD says what the page shows
    for page in (en, fr):
        news, old = jsonld(page, "NewsArticle"), jsonld(before_page, "NewsArticle")
        assert news["datePublished"] == old["datePublished"]
        assert old["dateModified"] == old["datePublished"]
        assert news["dateModified"] == "2026-04-02T14:00:00+00:00"
        assert [c["text"] for c in news["correction"]] == corrections_text(page)
        assert [c["@type"] for c in news["correction"]] == ["CorrectionComment"]
        assert news["publisher"]["correctionsPolicy"].endswith("/corrections/")
    # feeds: every id and publication date kept, the corrected item's updated moved
    after_feeds = feed_items(site.output)
    for path in FEEDS:
        assert after_feeds[path].keys() == before_feeds[path].keys()
        moved = [i for i in after_feeds[path] if after_feeds[path][i] != before_feeds[path][i]]
        for item in after_feeds[path]:
            assert after_feeds[path][item][0] == before_feeds[path][item][0]
        if path.endswith("atom.xml"):
            assert [i.endswith("round-320" if path.startswith("en") else "round-320/fr")
                    for i in moved] == [True]
            assert after_feeds[path][moved[0]][1] == "2026-04-02T14:00:00+00:00"
    rss = feedparser.parse((site.output / "en/feed.xml").read_bytes())
    item = next(e for e in rss.entries if e.id.endswith("round-320"))
    assert "IRCC corrected the minimum CRS score from 463 to 465." in item.summary
    assert "IRCC corrected the minimum CRS score from 463 to 465." in item.content[0].value
    # the sitemap, the corrections page and feed, open data
    assert before_lastmod == "2024-10-01"
    assert lastmod(site.output, "en/" + ARTICLE.removesuffix("index.html")) == \
        "2026-04-02T14:00:00Z"
    assert lastmod(site.output, "fr/corrections/") == "2026-04-02T14:00:00Z"
    listing = site.page("fr/corrections/index.html")
    assert "IRCC a corrigé le score SCG minimal, qui passe de 463 à 465." in listing
    assert 'href="/news/fr/draws/2024-10-01-healthcare/"' in listing
    assert 'href="/news/en/corrections/"' in en  # the footer
    watched = feedparser.parse((site.output / "en/corrections/feed.xml").read_bytes())
    assert not watched.bozo
    assert [e.link for e in watched.entries] == \
        ["https://example.org/news/en/draws/2024-10-01-healthcare/"]
    data = json.loads((site.output / "data/draws.json").read_text(encoding="utf-8"))
    assert data["format"] == 3
    row = next(r for r in data["draws"] if r["id"] == "round-320")
    assert (row["min_crs"], row["updated"], row["corrections"]) == (465, "2026-04-02T14:00:00Z", 1)
    assert all(r["corrections"] == 0 and r["updated"] is None
               for r in data["draws"] if r["id"] != "round-320")


def test_filling_names_pools_drafts_and_future_entries_are_not_corrections(
        site: SiteFolder, tmp_path: Path) -> None:
    rounds = valid_rounds()
    import_file(site, write_source(tmp_path, rounds), "2026-04-01T10:00:00")
    draws = site.content / "draws"
    # a tie-break drawdesk can now read, on an entry that had none
    path = draws / "2024-06-05-healthcare.yaml"
    path.write_text(re.sub(r"tie_break: .*\n", "", path.read_text()), encoding="utf-8")
    # a draft whose cut-off IRCC changes
    draft = draws / "2025-06-12-trades-350.yaml"
    draft.write_text(draft.read_text() + "draft: true\n", encoding="utf-8")
    changed = with_cut_off(rounds, "350", "434")
    # IRCC's new name for a round
    for raw in changed:
        if raw["drawNumber"] == "254":
            raw["drawName"] = "Healthcare occupations (Version 1)"
    result = import_file(site, write_source(tmp_path, changed, "b.json"), "2026-04-02T10:00:00")
    assert "tie_break added (2023-11-09T14:21:26Z)" in result.stdout
    assert "ircc_name Healthcare occupations (2023-1) -> Healthcare occupations (Version 1)" \
        in result.stdout
    assert "correction" not in result.stdout
    assert not any("corrections:" in p.read_text() for p in draws.iterdir())
    # an entry dated after the import's now: nothing was published yet
    future = with_cut_off(changed, "401", "470")
    result = import_file(site, write_source(tmp_path, future, "c.json"), "2026-03-01T10:00:00")
    assert "min_crs 462 -> 470" in result.stdout and "correction" not in result.stdout


def test_a_site_that_imported_older_round_names_imports_the_current_ones(
        site: SiteFolder, tmp_path: Path) -> None:
    """IRCC's 2024 file named the first category rounds "(2023-1)" and "(2024-1)"; its 2026
    file calls them "(Version 1)"."""
    healthcare = next(r for r in rounds_of() if r["drawNumber"] == "254")
    french = copy.deepcopy(healthcare)
    french.update(drawNumber="253", drawDate="2023-06-27", drawDateFull="June 27, 2023",
                  drawName="French language proficiency (2024-1)", drawCRS="439")
    old = [french, healthcare]
    import_file(site, write_source(tmp_path, old, "2024.json"), "2024-05-01T10:00:00")
    entries = sorted(p.name for p in (site.content / "draws").iterdir())
    assert entries == ["2023-06-27-french-language.yaml", "2023-06-28-healthcare.yaml"]
    current = copy.deepcopy(old)
    current[0]["drawName"] = "French language proficiency (Version 1)"
    current[1]["drawName"] = "Healthcare occupations (Version 1)"
    result = import_file(site, write_source(tmp_path, current, "2026.json"),
                         "2026-08-01T10:00:00")
    assert result.stdout.splitlines()[-1] == "Imported: 0 added, 2 updated, 0 unchanged."
    assert sorted(p.name for p in (site.content / "draws").iterdir()) == entries
    assert "correction" not in result.stdout
    text = (site.content / "draws" / entries[0]).read_text()
    assert "ircc_name: French language proficiency (Version 1)\n" in text


# -- editors' corrections -------------------------------------------------------------------
EDITOR = """\
corrections:
- at: 2025-08-01T15:30:00Z
  by: editor
  field: invitations
  from: 4000
  to: 4500
  note:
    en: We had the figure of the previous draw.
    fr: Nous avions repris le chiffre de la ronde précédente.
- at: 2025-08-02T09:00:00-04:00
  by: editor
  note: {en: The summary now links IRCC's notice., fr: Le résumé renvoie à l’avis d’IRCC.}
"""


def test_an_editors_correction_in_both_languages(site: SiteFolder) -> None:
    bilingual(site)
    site.draw("2025-07-22-healthcare.yaml", invitations=4500, extra=EDITOR)
    build(site, "2026-01-01")
    en = site.page("en/draws/2025-07-22-healthcare/index.html")
    fr = site.page("fr/draws/2025-07-22-healthcare/index.html")
    assert corrections_text(en) == [
        "Correction, August 1, 2025: This article corrected the number of invitations from "
        "4,000 to 4,500. We had the figure of the previous draw.",
        "Correction, August 2, 2025: The summary now links IRCC's notice."]
    assert corrections_text(fr) == [
        f"Correction du 1er août 2025{NBSP}: Cet article a été corrigé{NBSP}: le nombre "
        f"d’invitations passe de 4{NBSP}000 à 4{NBSP}500. Nous avions repris le chiffre de la "
        "ronde précédente.",
        f"Correction du 2 août 2025{NBSP}: Le résumé renvoie à l’avis d’IRCC."]
    news = jsonld(fr, "NewsArticle")
    assert news["dateModified"] == "2025-08-02T09:00:00-04:00"
    assert [c["datePublished"] for c in news["correction"]] == \
        ["2025-08-01T15:30:00+00:00", "2025-08-02T09:00:00-04:00"]
    assert [c["text"] for c in news["correction"]] == corrections_text(fr)
    listing = site.page("en/corrections/index.html")  # newest first
    assert listing.index("August 2, 2025") < listing.index("August 1, 2025")


def test_a_corrected_draw_time_moves_the_publication_date_but_never_the_guid(
        site: SiteFolder) -> None:
    site.draw("2025-07-22-healthcare.yaml", extra="draw_time: 2025-07-22T14:27:45Z\n")
    build(site, "2026-01-01")
    before = feedparser.parse((site.output / "atom.xml").read_bytes()).entries[0]
    site.draw("2025-07-22-healthcare.yaml", extra="draw_time: 2025-07-22T16:02:10Z\n"
              "corrections:\n- at: 2025-07-23T10:00:00Z\n  by: ircc\n  field: draw_time\n"
              "  from: 2025-07-22T14:27:45Z\n  to: 2025-07-22T16:02:10Z\n")
    build(site, "2026-01-01")
    after = feedparser.parse((site.output / "atom.xml").read_bytes()).entries[0]
    assert after.id == before.id
    assert (before.published, after.published) == ("2025-07-22T14:27:45+00:00",
                                                   "2025-07-22T16:02:10+00:00")
    assert after.updated == "2025-07-23T10:00:00+00:00"
    page = site.page("draws/2025-07-22-healthcare/index.html")
    assert jsonld(page, "NewsArticle")["datePublished"] == "2025-07-22T16:02:10+00:00"
    assert "IRCC corrected the time of the draw from July 22, 2025 at 14:27:45 UTC to July " \
           "22, 2025 at 16:02:10 UTC." in page


@pytest.mark.parametrize(("correction", "expected"), [
    ("- at: 2025-08-01T00:00:00Z\n  by: editor\n  field: min_crs\n  to: 475\n",
     "8:3: corrections[1].from: missing: the min_crs value before the correction"),
    ("- at: 2025-08-01T00:00:00Z\n  by: ircc\n  from: 470\n  note: x\n",
     "10:9: corrections[1].from: a value without 'field:'"),
    ("- at: 2025-08-01T00:00:00Z\n  by: ircc\n  field: min_crs\n  from: 470\n  to: 480\n",
     "12:7: corrections[1].to: 480, but the entry's min_crs is 475"),
    ("- at: 2025-08-01T00:00:00Z\n  by: ircc\n  field: min_crs\n  from: 475\n  to: 475\n",
     "12:7: corrections[1].to: the same value as 'from'"),
    ("- at: 2025-07-01T00:00:00Z\n  by: ircc\n  field: min_crs\n  from: 470\n  to: 475\n",
     "8:7: corrections[1].at: 2025-07-01T00:00:00+00:00 is before the draw (2025-07-22)"),
    ("- at: 2025-08-01T00:00:00Z\n  by: ircc\n  field: tie_break\n  from: 470\n"
     "  to: 2025-07-01T00:00:00Z\n", "11:9: corrections[1].from: '470' is not a date-time"),
    ("- at: 2025-08-01T00:00:00Z\n  by: someone\n  note: x\n",
     "9:7: corrections[1].by: 'someone' is not allowed"),
    ("- at: 2025-08-01T00:00:00Z\n  by: editor\n", "8:3: corrections[1].note: no note in en"),
])
def test_a_correction_that_does_not_tell_the_truth_is_an_error(
        site: SiteFolder, correction: str, expected: str) -> None:
    site.draw("d.yaml", extra="corrections:\n" + correction)
    result = run("validate", "--content", str(site.content), "--output",
                 str(site.output))
    assert result.exit_code == 1
    assert f"draws/d.yaml:{expected}" in result.output, result.output


def test_validate_warns_of_a_published_figure_changed_without_a_correction(
        site: SiteFolder) -> None:
    path = site.draw("d.yaml", round=357)
    validate = ("validate", "--content", str(site.content), "--output", str(site.output),
                "--now", "2026-01-01")
    assert "warning" not in run(*validate).output  # no earlier build: nothing to compare
    build(site, "2026-01-01")
    path.write_text(path.read_text().replace("min_crs: 475", "min_crs: 477"))
    result = run(*validate)
    assert result.exit_code == 0
    assert "draws/d.yaml:6:10: min_crs: warning: 477, but the last build published 475" \
        in result.output
    path.write_text(path.read_text() + "corrections:\n- at: 2026-01-01T12:00:00Z\n  by: editor\n"
                    "  field: min_crs\n  from: 475\n  to: 477\n")
    assert "warning" not in run(*validate).output
    # a draft is not published: nothing to warn about
    path.write_text(path.read_text().replace("min_crs: 477", "min_crs: 479").replace(
        "to: 477", "to: 479") + "draft: true\n")
    assert "warning" not in run(*validate).output


def test_the_corrections_page_and_feed_without_corrections(site: SiteFolder) -> None:
    site.source_draws()
    build(site, "2026-01-01")
    page = site.page("corrections/index.html")
    assert "No article has been corrected." in page
    parsed = feedparser.parse((site.output / "corrections/feed.xml").read_bytes())
    assert not parsed.bozo and parsed.entries == []
    assert parsed.feed.link == "https://example.org/news/corrections/"


def test_the_import_appends_to_an_editors_corrections(site: SiteFolder, tmp_path: Path) -> None:
    rounds = valid_rounds()
    import_file(site, write_source(tmp_path, rounds), "2026-04-01T10:00:00")
    entry = site.content / "draws" / ENTRY
    text = entry.read_text().replace("invitations: 3000", "invitations: 3000  # checked") + \
        "corrections:\n  - at: 2026-04-01T12:00:00Z\n    by: editor\n    note: Link fixed.\n" \
        "# the end\n"
    entry.write_text(text)
    import_file(site, write_source(tmp_path, with_cut_off(rounds, "320", "465"), "b.json"),
                "2026-04-02T10:00:00")
    assert entry.read_text() == text.replace("min_crs: 463", "min_crs: 465").replace(
        "    note: Link fixed.\n", "    note: Link fixed.\n  - at: 2026-04-02T14:00:00Z\n"
        "    by: ircc\n    field: min_crs\n    from: 463\n    to: 465\n")
