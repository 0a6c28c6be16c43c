"""Every generated sentence true for IRCC's real rounds (issue "Every sentence true").

The fixture `ircc/ircc-rounds-sample.json` is 24 records of IRCC's rounds file, byte
for byte, chosen for the cases the importer and the prose must get right: the first
rounds, a draw time without a zone (6), two rounds at the same second (75, 76), the
letter-suffixed rounds 91a and 91b, distributions of zeros meaning "not published"
(140, 226, 227) beside a real one (214), tie-break and draw-time texts written in
unusual ways, the first category-based round (252), the source article's round (357,
whose draw time contradicts its date) and the newest (437). It is imported into a
bilingual site and built once; each test reads what a reader would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import html5lib
import pytest
from click.testing import CliRunner
from conftest import SiteFolder, snapshot

from drawdesk.cli import main
from drawdesk.source.loader import load_content

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ircc"
SAMPLE = FIXTURES / "ircc-rounds-sample.json"
NOW = "2026-08-21"
NBSP = "\u00a0"
BILINGUAL = """\
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
"""

# IRCC's drawDateTime of each round, read by hand: None where it has no zone (6) or
# contradicts the round's date (357 says July 12 for a July 22 draw).
DRAW_TIMES = {
    "437": "2026-08-19T12:35:37Z",  # "August 19th 2026 at 12:35:37 UTC"
    "383": "2025-12-08T15:17:10Z", "357": None,
    "333": "2025-01-23T15:30:04Z",  # "January 23, 2025 at 2025-01-23 15:30:04 UTC"
    "322": "2024-11-12T16:12:30Z",
    "297": "2024-05-31T12:48:30Z",  # "May 31, 2024 at12:48:30 UTC"
    "277": "2023-12-20T15:55:23Z",
    "270": "2023-10-25T15:48:39Z",  # "October 25, 2023 at 15:48:39 AM UTC"
    "258": "2023-07-12T13:36:01Z",
    "252": "2023-06-28T14:04:34Z",  # "June 28, 2023 14:04:34 UTC"
    "227": "2022-07-20T16:32:49Z", "226": "2022-07-06T14:34:34Z",
    "214": "2022-01-19T14:39:22Z", "210": "2021-11-24T14:01:44Z",
    "208": "2021-10-27T13:32:26Z", "140": "2020-03-23T16:12:27Z",
    "91b": "2018-05-30T14:52:06Z", "91a": "2018-05-30T14:52:06Z",
    "76": "2017-11-01T12:55:44Z", "75": "2017-11-01T12:55:44Z",  # "November 1, 2017, at ..."
    "6": None, "3": "2015-02-20T11:59:47Z", "2": "2015-02-07T11:59:59Z",
    "1": "2015-01-31T11:59:48Z",
}
# IRCC's drawCutOff, read by hand: None where it is empty, has no zone (383, 258) or no
# year (208).
TIE_BREAKS = {
    "437": "2026-03-01T18:34:05Z", "383": None, "357": "2025-03-13T13:08:29Z",
    "333": "2024-07-23T07:06:43Z",
    "322": "2024-03-02T01:58:34Z",  # "March 02. 2024 at 01:58:34 UTC"
    "297": "2024-03-19T18:58:58Z",
    "277": "2023-08-30T17:30:21Z",  # "August 30. 2023 at 17:30:21 UTC"
    "270": "2023-09-30T04:22:17Z",  # "September 30, 2023 at 04:22:17 AM UTC"
    "258": None, "252": "2022-11-12T12:47:27Z", "227": "2021-12-30T15:29:35Z",
    "226": "2021-11-13T02:20:46Z", "214": "2021-07-05T13:12:05Z",
    "210": "2021-06-22T20:19:59Z",  # "June 22, 2021 at 20:19:59 PM UTC"
    "208": None, "140": "2019-11-25T14:00:35Z", "91b": "2018-03-23T05:38:02Z",
    "91a": "2017-06-07T20:11:13Z", "76": None, "75": None, "6": None, "3": None, "2": None,
    "1": None,
}
CATEGORY_BASED_SINCE = "2023-06-28"  # round 252, IRCC's first category-based round


def import_sample(site: SiteFolder, source: Path = SAMPLE):
    return CliRunner().invoke(main, ["import", "ircc", str(source), "--content",
                                     str(site.content)])


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The sample imported into a bilingual site and built once."""
    site = SiteFolder(tmp_path_factory.mktemp("record"))
    (site.content / "site.yaml").write_text(BILINGUAL, encoding="utf-8")
    imported = import_sample(site)
    assert imported.exit_code == 0, imported.output
    built = site.build("--now", NOW)
    assert built.exit_code == 0, built.output
    draws = {str(d.round): d for d in load_content(site.content).content.draws}
    assert sorted(draws) == sorted(DRAW_TIMES)
    return {"site": site, "import": imported, "draws": draws}


def doc_of(site: SiteFolder, path: str):
    return html5lib.parse(site.page(path), namespaceHTMLElements=False)


def squash(text: str) -> str:
    return " ".join(text.split())


def article_text(site: SiteFolder, draw, lang: str = "en") -> str:
    """What a reader reads in the article (<main>): no navigation."""
    main_el = doc_of(site, f"{lang}/draws/{draw.slug}/index.html").find(".//main")
    return squash("".join(main_el.itertext()))


def french_text(site: SiteFolder, draw) -> str:
    """The French article without IRCC's own (English) round name, marked lang="en"."""
    main_el = doc_of(site, f"fr/draws/{draw.slug}/index.html").find(".//main")
    for el in main_el.iter():
        if el.get("lang") == "en":
            el.text = ""
    return squash("".join(main_el.itertext()))


def news_article(site: SiteFolder, draw, lang: str = "en") -> dict:
    doc = doc_of(site, f"{lang}/draws/{draw.slug}/index.html")
    blocks = [json.loads(s.text) for s in doc.iter("script")
              if s.get("type") == "application/ld+json"]
    return next(b for b in blocks if b["@type"] == "NewsArticle")


def zulu(value) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


# -- the import --------------------------------------------------------------------------------
def test_the_import_reports_only_what_it_could_not_read(record):
    warnings = [line.split(": ", 1)[1] for line in record["import"].stderr.splitlines()]
    assert warnings == [
        "round 383: drawCutOff: warning: 'March 05, 2025 at 05:10:48' has no time zone (and "
        "drawdesk does not guess one); tie_break is left empty (write it by hand if you know it)",
        "round 357: drawDateTime: warning: 'July 12, 2025 at 16:27:45 UTC' contradicts the "
        "round's date (2025-07-22: a time on that day or the next expected); draw_time is left "
        "empty",
        "round 258: drawCutOff: warning: 'June 15, 2023 at 23:49:05' has no time zone (and "
        "drawdesk does not guess one); tie_break is left empty (write it by hand if you know it)",
        "round 208: drawCutOff: warning: 'October 7 at 16:38:21 UTC' has no year (and drawdesk "
        "does not guess one); tie_break is left empty (write it by hand if you know it)",
        "round 6: drawDateTime: warning: 'March 27, 2015 at 23:59:47' has no time zone (and "
        "drawdesk does not guess one); draw_time is left empty (write it by hand if you know "
        "it)",
    ]
    assert record["import"].stdout.splitlines()[-1] == "Imported: 24 added, 0 updated, 0 unchanged."


def test_draw_times_and_tie_breaks_are_read_as_a_person_reads_them(record):
    draws = record["draws"]
    assert {n: zulu(d.draw_time) for n, d in draws.items()} == DRAW_TIMES
    assert {n: zulu(d.tie_break) for n, d in draws.items()} == TIE_BREAKS


def test_ircc_names_are_kept_as_written(record):
    draws = record["draws"]
    assert draws["252"].ircc_name == "Healthcare occupations (Version 1)"
    assert draws["437"].ircc_name == "French-Language proficiency 2026-Version 2"
    assert draws["1"].ircc_name == "No Program Specified"


def test_reimporting_changes_no_byte(record, tmp_path):
    site = record["site"]
    before = snapshot(site.content)
    again = import_sample(site)
    assert again.stdout.splitlines()[-1] == "Imported: 0 added, 0 updated, 24 unchanged."
    assert snapshot(site.content) == before


# -- zero distributions ------------------------------------------------------------------------
def test_distributions_of_zeros_are_never_written_or_shown(record):
    site, draws = record["site"], record["draws"]
    with_pool = {n for n, d in draws.items() if d.pool is not None}
    # IRCC gives zeros for every round up to 213 and for 226 and 227: "not published"
    assert with_pool == {"214", "252", "258", "270", "277", "297", "322", "333", "357", "383",
                         "437"}
    for draw in draws.values():
        for lang in ("en", "fr"):
            page = site.page(f"{lang}/draws/{draw.slug}/index.html")
            assert ('class="pool"' in page) == (draw.pool is not None), (draw.slug, lang)
            assert not re.search(r"<th scope=\"row\">Total</th><td class=\"num\">0</td>", page)


# -- the tie-breaking sentence -----------------------------------------------------------------
def test_every_tie_break_sentence_names_the_cut_off_and_is_true(record):
    site = record["site"]
    shown = 0
    for number, draw in record["draws"].items():
        text = article_text(site, draw)
        french = french_text(site, draw)
        if draw.tie_break is None:
            assert "tie-breaking" not in text and "départage" not in french, number
            continue
        shown += 1
        moment = draw.tie_break.strftime("%B %-d, %Y at %H:%M:%S UTC")
        assert (f"IRCC’s tie-breaking rule decided between candidates tied at the cut-off "
                f"score of {draw.min_crs}: of those, only candidates who submitted their "
                f"Express Entry profile before {moment} were invited.") in text, number
        assert "created" not in text and "before the tie-breaking rule" not in text
        assert (f"En cas d’égalité au score minimal de {draw.min_crs}, la règle de départage "
                "d’IRCC s’appliquait") in french, number
        assert "avaient soumis leur profil d’Entrée express avant le" in french
    assert shown == sum(1 for t in TIE_BREAKS.values() if t)  # 210, 277 and 322 included


def test_the_readable_tie_breaks_are_on_their_pages(record):
    site, draws = record["site"], record["draws"]
    for number, moment in [("210", "June 22, 2021 at 20:19:59 UTC"),
                           ("277", "August 30, 2023 at 17:30:21 UTC"),
                           ("322", "March 2, 2024 at 01:58:34 UTC")]:
        assert f"before {moment} were invited" in article_text(site, draws[number])
    assert "avant le 2 mars 2024 à 1 h 58 min 34 s UTC" in french_text(site, draws["322"])


# -- round identifiers -------------------------------------------------------------------------
def test_rounds_91a_and_91b_keep_their_identifiers(record):
    site, draws = record["site"], record["draws"]
    text = (site.content / "draws" / "2018-05-30-federal-skilled-trades.yaml").read_text()
    assert "\nround: 91a\n" in text
    for number in ("91a", "91b"):
        draw = draws[number]
        assert f"Round {number}" in article_text(site, draw)
        assert f"Numéro de la ronde : {number}" in french_text(site, draw)
        assert f"Ronde {number}" in french_text(site, draw)
    rows = json.loads((site.output / "data/draws.json").read_text())["draws"]
    assert [(r["round"], r["id"]) for r in rows if r["date"] == "2018-05-30"] == [
        ("91a", "round-91a"), ("91b", "round-91b")]  # ordered 91a, 91b
    assert [r["round"] for r in rows][:3] == ["1", "2", "3"]
    csv = (site.output / "data/draws.csv").read_bytes().decode("utf-8")
    assert "\r\nround-91a,91a,2018-05-30," in csv and "\r\nround-91b,91b,2018-05-30," in csv
    feed = feedparser.parse((site.output / "en/feed.xml").read_bytes())
    assert len({e.id for e in feed.entries}) == len(feed.entries)


# -- publication time --------------------------------------------------------------------------
def test_date_published_is_ircc_draw_time_or_the_day_alone(record):
    site = record["site"]
    for number, draw in record["draws"].items():
        expected = DRAW_TIMES[number]
        for lang in ("en", "fr"):
            published = news_article(site, draw, lang)["datePublished"]
            page = site.page(f"{lang}/draws/{draw.slug}/index.html")
            if expected is None:  # never an invented time of day
                assert published == draw.date.isoformat(), number
            else:
                assert published.replace("+00:00", "Z") == expected, number
            assert f'<meta property="article:published_time" content="{published}">' in page
            assert f'<p class="byline">{"Published" if lang == "en" else "Publié le"} ' \
                   f'<time datetime="{published}">' in page
    assert "Published August 19, 2026 at 12:35 UTC" in article_text(site, record["draws"]["437"])
    assert "Publié le 19 août 2026 à 12 h 35 UTC" in french_text(site, record["draws"]["437"])
    assert "Published July 22, 2025 · Round 357" in article_text(site, record["draws"]["357"])


def test_feed_items_are_dated_by_the_draw_time(record):
    site, draws = record["site"], record["draws"]
    feed = feedparser.parse((site.output / "en/atom.xml").read_bytes())
    by_id = {e.id.rsplit("/", 1)[1]: e for e in feed.entries}
    assert by_id["round-437"].published == "2026-08-19T12:35:37+00:00"
    assert by_id["round-270"].published == "2023-10-25T15:48:39+00:00"
    # without a draw time: the end of the draw's day in the site's zone, never its start
    assert by_id["round-357"].published == "2025-07-22T23:59:59-04:00"
    assert draws["357"].draw_time is None


# -- first of its kind -------------------------------------------------------------------------
def test_no_first_draw_says_continue_or_remain(record):
    site, draws = record["site"], record["draws"]
    firsts = {
        "1": "the first general round",
        "3": "the first program-specific round",
        "252": "the first category-based round, and the first of its category",
        "258": "the first French-language proficiency round",
        "277": "the first transport round",
        "357": "the first round named Healthcare and social services",
        "75": "the first Provincial Nominee Program round",
    }
    for number in firsts:
        text, french = article_text(site, draws[number]), french_text(site, draws[number])
        assert "another round" not in text and "another sign" not in text, number
        assert "continues to target" not in text and "continues to hold" not in text, number
        assert " remain a priority" not in text, number
        assert "une nouvelle ronde" not in french and "un autre signe" not in french, number
        assert "continue de cibler" not in french and "continue de tenir" not in french, number
        assert "demeurent une priorité" not in french, number
    lede = {n: article_text(site, draws[n]).split("Confirmed details")[0] for n in draws}
    assert "continue" not in lede["3"] and "continue" not in lede["252"]
    assert "The draw shows that Express Entry rounds can also be held for a single program." \
        in lede["3"]
    assert "The draw shows that occupation-based selection now plays a role" in lede["252"]
    # 258 is the first French round but category-based selection had begun with 252
    assert "category-based selection continues to play an important role" in lede["258"]
    assert "program-specific rounds continue to play an important role" in lede["75"]
    # later draws of a kind say so
    assert "IRCC has issued another round of invitations" in lede["437"]
    assert "another sign that French-speaking candidates remain a priority" in \
        article_text(site, draws["437"])


def test_no_article_before_category_based_selection_mentions_it(record):
    site, draws = record["site"], record["draws"]
    before = [d for d in draws.values() if d.date.isoformat() < CATEGORY_BASED_SINCE]
    assert len(before) == 14
    for draw in before:
        text, french = article_text(site, draw), french_text(site, draw)
        assert not re.search(r"category-based|categories", text), draw.slug
        assert not re.search(r"fondée?s? sur des catégories|catégories", french), draw.slug
    general = {n: article_text(site, draws[n]) for n in ("1", "2", "6", "226")}
    assert "IRCC may also hold" not in general["1"] + general["2"]  # no program round yet
    assert "IRCC may also hold program-specific rounds, with different" in general["6"]
    assert "IRCC may also hold program-specific rounds, with different" in general["226"]
    after = article_text(site, draws["252"])
    assert "IRCC may issue invitations in other kinds of rounds" in after  # no other category yet
    assert "IRCC may issue invitations under different categories" in \
        article_text(site, draws["258"])


# -- categories in the words of their time -----------------------------------------------------
def test_2023_healthcare_is_healthcare_occupations(record):
    site, draws = record["site"], record["draws"]
    draw = draws["252"]
    text, french = article_text(site, draw), french_text(site, draw)
    assert "healthcare and social services" not in text.casefold()
    assert not re.search(r"soins de santé et (des )?services sociaux", french, re.I)
    assert "Express Entry draw: 500 invitations for Healthcare occupations, minimum CRS 476" in \
        text
    assert "Category: Healthcare occupations IRCC’s name: Healthcare occupations (Version 1)" \
        in text
    page = site.page(f"fr/draws/{draw.slug}/index.html")
    assert f"<strong>Nom donné par IRCC{NBSP}:</strong> <span lang=\"en\">Healthcare " \
           "occupations (Version 1)</span>" in page.replace("&nbsp;", NBSP)
    later = article_text(site, draws["357"])
    assert "Category: Healthcare and social services" in later
    assert "Previous Healthcare occupations draw: June 28, 2023" in later
    assert "It comes 755 days after the previous Healthcare occupations draw." in later
    assert "including the category’s draws under its earlier name, Healthcare occupations." in \
        later


# -- the pool's date ---------------------------------------------------------------------------
def test_pool_dates_before_and_on_the_draw(record):
    site, draws = record["site"], record["draws"]
    assert "taken on January 17, 2022, before the draw." in article_text(site, draws["214"])
    assert "taken on June 28, 2023, the day of the draw." in article_text(site, draws["252"])
    assert "datent du 17 janvier 2022, avant la ronde." in french_text(site, draws["214"])


def test_a_pool_taken_after_the_draw_says_after(site):
    """IRCC once gave round 226 (July 6, 2022) a distribution "as of July 11, 2022"; its
    counts are zeros today, so this entry is constructed: a real distribution's bands with
    that later date."""
    (site.content / "site.yaml").write_text(BILINGUAL, encoding="utf-8")
    site.draw("2022-07-06-general.yaml", (
        "round: 226\ndate: 2022-07-06\ntype: program\ncategory: general\ninvitations: 1500\n"
        "min_crs: 557\npool:\n  as_of: 2022-07-11\n  bands:\n    601-1200: 100\n"
        "    total: 100\n"))
    assert site.build("--now", NOW).exit_code == 0
    en = site.page("en/draws/2022-07-06-general/index.html")
    fr = site.page("fr/draws/2022-07-06-general/index.html")
    assert "July 11, 2022</time>, after the draw." in en and "before the draw" not in en
    assert "11 juillet 2022</time>, après la ronde." in fr and "avant la ronde" not in fr


# -- smaller: parentheses, FAQ ---------------------------------------------------------------
def visible_texts(site: SiteFolder):
    for path in sorted(site.output.rglob("*.html")):
        doc = html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)
        body = doc.find(".//body")
        yield path, squash("".join(body.itertext())), doc


def test_no_nested_parentheses_on_any_page(record):
    for path, text, _ in visible_texts(record["site"]):
        nested = re.search(r"\([^()]*\(", text)
        assert nested is None, (path, text[nested.start() - 40:nested.end() + 40])


def test_no_faq_answer_says_the_same_thing_twice(record):
    site = record["site"]
    for draw in record["draws"].values():
        for lang in ("en", "fr"):
            doc = doc_of(site, f"{lang}/draws/{draw.slug}/index.html")
            for dd in doc.iter("dd"):
                sentences = [s for s in re.split(r"(?<=[.?!])\s+", squash("".join(dd.itertext())))
                             if s]
                grams = [_grams(s) for s in sentences]
                for i, first in enumerate(grams):
                    for second in grams[i + 1:]:
                        assert not first & second, (draw.slug, lang, sentences)


def _grams(sentence: str) -> set[tuple[str, ...]]:
    words = [{"every": "all", "programs": "program", "tous": "tous", "programmes": "programme"}
             .get(w, w) for w in re.findall(r"\w+", sentence.casefold())]
    return {tuple(words[i:i + 4]) for i in range(len(words) - 3)}


# -- the French edition ------------------------------------------------------------------------
FRENCH_MISTAKES = [
    (r"\bCRS\b", "SCG, not CRS"),
    (r"profil Entrée express|stratégie Entrée express", "d’Entrée express"),
    (r"\ben \d[\d\u00a0]* jours", "depuis N jours"),
    (r"\ben 1 ronde", "en une ronde"),
    (r"\b0\d h", "no leading zero on the hour"),
    (r"voudront peut-être|pourrait compter dans|lisez attentivement|la plus grande ronde",
     "calque"),
]


def test_french_pages_follow_the_review(record):
    for path, text, doc in visible_texts(record["site"]):
        if "/fr/" not in path.as_posix():
            continue
        for el in doc.iter():
            if el.get("lang") == "en" or el.tag == "code":
                el.text = ""
        text = squash("".join(doc.find(".//body").itertext()))
        for pattern, rule in FRENCH_MISTAKES:
            found = re.search(pattern, text)
            assert found is None, (path, rule, text[max(0, found.start() - 40):found.end() + 40])


# -- sites that imported IRCC's file before ----------------------------------------------------
ZEROS = "pool:\n  as_of: {as_of}\n  bands:\n" + "".join(
    f"    {band}: 0\n" for band in ("601-1200", "501-600", "451-500", "491-500", "481-490",
                                    "471-480", "461-470", "451-460", "401-450", "441-450",
                                    "431-440", "421-430", "411-420", "401-410", "351-400",
                                    "301-350", "0-300", "total"))
SCHEMA = "# yaml-language-server: $schema=../schema/draw.schema.json\n"
# Round 140 and round 91a as the importer wrote them before zeros meant "not published" and
# before 91a could be a round; an editor added a title and a comment to 91a.
OLD_140 = SCHEMA + ("round: 140\ndate: 2020-03-23\ntype: program\n"
                    "category: canadian-experience-class\ninvitations: 3232\nmin_crs: 467\n"
                    "tie_break: 2019-11-25T14:00:35Z\n") + ZEROS.format(as_of="2020-03-23")
OLD_91A = SCHEMA + ("# Checked by the desk.\ndate: 2018-05-30\ntype: program\n"
                    "category: federal-skilled-trades\ninvitations: 500\nmin_crs: 288\n"
                    "tie_break: 2017-06-07T20:11:13Z\n") + ZEROS.format(as_of="2018-05-30") + \
    "title: Skilled trades draw\n"


def test_entries_imported_before_are_updated_in_place(site):
    site.draw("2020-03-23-canadian-experience-class.yaml", OLD_140)
    site.draw("2018-05-30-federal-skilled-trades.yaml", OLD_91A)
    validate = CliRunner().invoke(main, ["validate", "--content", str(site.content)])
    assert validate.exit_code == 1
    assert "draws/2020-03-23-canadian-experience-class.yaml:29:12: pool.bands.total: the " \
           "distribution's total is 0" in validate.output  # an error, with its position
    result = import_sample(site)
    assert result.exit_code == 0, result.output
    assert "draws/2020-03-23-canadian-experience-class.yaml (round 140): " \
           "draw_time added (2020-03-23T16:12:27Z); ircc_name added (Canadian Experience " \
           "Class); pool removed (all zeros: IRCC published no distribution)" in result.stdout
    assert "Imported: 22 added, 2 updated, 0 unchanged." in result.stdout
    draws = site.content / "draws"
    assert (draws / "2020-03-23-canadian-experience-class.yaml").read_text() == SCHEMA + (
        "round: 140\ndate: 2020-03-23\ndraw_time: 2020-03-23T16:12:27Z\ntype: program\n"
        "category: canadian-experience-class\nircc_name: Canadian Experience Class\n"
        "invitations: 3232\nmin_crs: 467\ntie_break: 2019-11-25T14:00:35Z\n")
    # 91a gets its round, and `id` keeps the identifier its feed items were published with
    assert (draws / "2018-05-30-federal-skilled-trades.yaml").read_text() == SCHEMA + (
        "# Checked by the desk.\nround: 91a\nid: 2018-05-30-federal-skilled-trades\n"
        "date: 2018-05-30\ndraw_time: 2018-05-30T14:52:06Z\ntype: program\n"
        "category: federal-skilled-trades\nircc_name: Federal Skilled Trades\ninvitations: 500\n"
        "min_crs: 288\ntie_break: 2017-06-07T20:11:13Z\ntitle: Skilled trades draw\n")
    before = snapshot(site.content)
    assert import_sample(site).stdout.splitlines()[-1] == \
        "Imported: 0 added, 0 updated, 24 unchanged."
    assert snapshot(site.content) == before
    assert site.build("--now", NOW).exit_code == 0
    feed = feedparser.parse((site.output / "feed.xml").read_bytes())
    ids = {e.link.rsplit("/", 2)[1]: e.id for e in feed.entries}
    assert ids["2018-05-30-federal-skilled-trades"] == \
        "tag:example.org,2018:drawdesk/draw/2018-05-30-federal-skilled-trades"  # unchanged
    assert ids["2018-05-30-provincial-nominee-program"] == \
        "tag:example.org,2018:drawdesk/draw/round-91b"  # new: from its round
    assert "Round 91a" in article_text_at(site, "draws/2018-05-30-federal-skilled-trades/")


def article_text_at(site: SiteFolder, page: str) -> str:
    main_el = doc_of(site, page + "index.html").find(".//main")
    return squash("".join(main_el.itertext()))


def test_a_withdrawn_distribution_is_kept_and_reported(site):
    """IRCC has withdrawn distributions it once published (its file now gives zeros):
    the one an entry has is kept. The counts below are constructed for the test."""
    site.draw("2022-07-06-general.yaml", SCHEMA + (
        "round: 226\ndate: 2022-07-06\ntype: program\ncategory: general\ninvitations: 1500\n"
        "min_crs: 557\npool:\n  as_of: 2022-07-04\n  bands:\n    601-1200: 412\n"
        "    total: 230000\n"))
    result = import_sample(site)
    assert result.exit_code == 0, result.output
    assert "draws/2022-07-06-general.yaml: pool: round 226 has no distribution in the " \
           "file (zeros), but the entry has the one taken on 2022-07-04: kept (IRCC has " \
           "withdrawn distributions it once published)" in result.stderr
    text = (site.content / "draws" / "2022-07-06-general.yaml").read_text()
    assert text.endswith("pool:\n  as_of: 2022-07-04\n  bands:\n    601-1200: 412\n"
                         "    total: 230000\n")


# -- what validate checks ----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "message"), [
    ("round: 91A\n", "round: '91A' is not a round identifier"),
    ("round: 91ab\n", "round: '91ab' is not a round identifier"),
    ("draw_time: 2025-07-12T16:27:45Z\n", "draw_time: 2025-07-12T16:27:45+00:00 is not on the "
     "draw's date (2025-07-22) or the day after"),
    ("pool:\n  as_of: 2025-07-20\n  bands:\n    601-1200: 0\n    total: 0\n",
     "10:12: pool.bands.total: the distribution's total is 0"),
])
def test_validate_refuses(site, text, message):
    site.draw("a.yaml", "date: 2025-07-22\ntype: category-based\ncategory: healthcare\n"
                        "invitations: 4000\nmin_crs: 475\n" + text)
    result = CliRunner().invoke(main, ["validate", "--content", str(site.content)])
    assert result.exit_code == 1
    assert message in result.output


def test_validate_accepts_a_draw_time_the_next_day_and_letter_rounds(site):
    site.draw("a.yaml", "round: 91a\ndate: 2018-05-30\ntype: program\n"
                        "category: federal-skilled-trades\ninvitations: 500\nmin_crs: 288\n"
                        "draw_time: 2018-05-31T00:30:00Z\n")
    site.draw("b.yaml", "round: 91b\ndate: 2018-05-30\ntype: program\n"
                        "category: provincial-nominee-program\ninvitations: 200\nmin_crs: 902\n")
    site.draw("c.yaml", "round: 91\ndate: 2018-05-30\ntype: program\ncategory: general\n"
                        "invitations: 200\nmin_crs: 902\n")
    loaded = load_content(site.content)
    assert loaded.errors == []
    assert [str(d.round) for d in loaded.content.draws] == ["91", "91a", "91b"]


@pytest.mark.parametrize(("second", "message"), [
    ("round: 91a\n", "round 91a is already used by"),
    ("id: round-91a\n", "the identifier 'round-91a' (feed items, open data) is also"),
])
def test_validate_refuses_two_draws_with_one_identifier(site, second, message):
    site.draw("a.yaml", "round: 91a\ndate: 2018-05-30\ntype: program\n"
                        "category: federal-skilled-trades\ninvitations: 500\nmin_crs: 288\n")
    site.draw("b.yaml", second + "date: 2018-05-30\ntype: program\n"
                                 "category: provincial-nominee-program\ninvitations: 200\n"
                                 "min_crs: 902\n")
    errors = [str(p) for p in load_content(site.content).errors]
    assert len(errors) == 1 and message in errors[0]


def test_the_category_page_names_the_earlier_period(record):
    site = record["site"]
    en = squash("".join(doc_of(site, "en/category/healthcare/index.html").find(".//main")
                        .itertext()))
    fr = squash("".join(doc_of(site, "fr/category/healthcare/index.html").find(".//main")
                        .itertext()))
    assert "Before May 2, 2025, this category was named Healthcare occupations." in en
    assert "Avant le 2 mai 2025, cette catégorie s’appelait « Professions de la santé »." in fr
