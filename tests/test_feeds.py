"""Feeds parsed with a real feed parser: order, count, dates, links, stable GUIDs."""

from __future__ import annotations

import re

import feedparser
import pytest
from lxml import etree

from tests.conftest import draw_yaml

DRAWS = [  # (file, date, category, round, invitations, crs, IRCC's draw time)
    ("a.yaml", "2025-01-07", "provincial-nominee-program", 331, 471, 793, "2025-01-07T16:06:45Z"),
    ("b.yaml", "2025-01-08", "canadian-experience-class", 332, 1350, 542, "2025-01-08T16:02:18Z"),
    ("c.yaml", "2025-01-23", "canadian-experience-class", 333, 4000, 527, "2025-01-23T15:30:04Z"),
    ("d.yaml", "2025-02-19", "french-language", 337, 6500, 428, "2025-02-19T16:18:12Z"),
    ("e.yaml", "2025-07-22", "healthcare", 357, 4000, 475, None),  # IRCC's time contradicts
]


@pytest.fixture
def built(site):
    for name, date, cat, rnd, inv, crs, time in DRAWS:
        site.draw(name, draw_yaml(date=date, category=cat, round=rnd, invitations=inv,
                                  min_crs=crs, extra=f"draw_time: {time}\n" if time else ""))
    result = site.build()
    assert result.exit_code == 0, result.output
    return site


def parse(site, path):
    feed = feedparser.parse((site.output / path).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_rss_items_newest_first_with_dates_and_links(built):
    feed = parse(built, "feed.xml")
    assert feed.version == "rss20"
    assert [e.link for e in feed.entries] == [
        "https://example.org/news/draws/2025-07-22-healthcare/",
        "https://example.org/news/draws/2025-02-19-french-language/",
        "https://example.org/news/draws/2025-01-23-canadian-experience-class/",
        "https://example.org/news/draws/2025-01-08-canadian-experience-class/",
        "https://example.org/news/draws/2025-01-07-provincial-nominee-program/",
    ]
    first = feed.entries[0]
    # no draw time: feeds need a time of day, and the end of the draw's day is never
    # before the draw (midnight at its start would be)
    assert first.published == "Tue, 22 Jul 2025 23:59:59 -0400"
    assert first.title == "Express Entry draw: 4,000 invitations for Healthcare and social " \
                          "services, minimum CRS 475"
    assert first.id == "tag:example.org,2025:drawdesk/draw/round-357"
    assert first.tags[0].term == "Healthcare and social services"
    assert first.summary.startswith("IRCC issued 4,000 invitations to apply to candidates in "
                                    "the healthcare and social services category")
    assert "Confirmed details from the draw" in first.content[0].value
    assert 'href="https://example.org/news/draws/' in first.content[0].value
    winter = feed.entries[-1]
    assert winter.published == "Tue, 07 Jan 2025 16:06:45 +0000"  # IRCC's draw time
    assert feed.feed.link == "https://example.org/news/"
    assert feed.feed.language == "en-CA"


def test_channel_dates_come_from_newest_draw(built):
    tree = etree.parse(str(built.output / "feed.xml"))
    assert tree.findtext("channel/lastBuildDate") == "Tue, 22 Jul 2025 23:59:59 -0400"
    self_link = tree.find("channel/{http://www.w3.org/2005/Atom}link")
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == "https://example.org/news/feed.xml"


def test_atom_feed(built):
    feed = parse(built, "atom.xml")
    assert feed.version == "atom10"
    assert feed.feed.updated == "2025-07-22T23:59:59-04:00"
    assert len(feed.entries) == 5
    assert feed.entries[0].updated == "2025-07-22T23:59:59-04:00"
    assert [e.published for e in feed.entries[1:]] == [
        "2025-02-19T16:18:12+00:00", "2025-01-23T15:30:04+00:00", "2025-01-08T16:02:18+00:00",
        "2025-01-07T16:06:45+00:00"]
    assert feed.entries[0].content[0].type == "text/html"


def test_feeds_name_drawdesk_as_their_generator_and_no_invented_address(built):
    """The generator element is the mark of an output folder drawdesk built; it names no
    address (the project has none yet: earlier versions gave a placeholder)."""
    for path in ("feed.xml", "atom.xml", "category/healthcare/feed.xml"):
        data = (built.output / path).read_bytes()
        assert b"<generator>drawdesk</generator>" in data, path
        assert b"example.org/drawdesk" not in data and b"uri=" not in data, path


def test_category_feed_holds_only_its_draws(built):
    feed = parse(built, "category/canadian-experience-class/feed.xml")
    assert [e.id for e in feed.entries] == [
        "tag:example.org,2025:drawdesk/draw/round-333",
        "tag:example.org,2025:drawdesk/draw/round-332"]
    assert not (built.output / "category/stem/feed.xml").exists()


def test_feed_length_limit(site):
    (site.content / "site.yaml").write_text(
        (site.content / "site.yaml").read_text() + "feed_items: 2\n")
    for name, date, cat, rnd, inv, crs, _ in DRAWS:
        site.draw(name, draw_yaml(date=date, category=cat, round=rnd, invitations=inv,
                                  min_crs=crs))
    assert site.build().exit_code == 0
    feed = parse(site, "feed.xml")
    assert [e.id.rsplit("-", 1)[1] for e in feed.entries] == ["357", "337"]


def test_guid_survives_title_and_slug_edit(built):
    before = {e.id for e in parse(built, "feed.xml").entries}
    built.draw("e.yaml", draw_yaml(date="2025-07-22", category="healthcare", round=357,
                                   extra="title: A new headline\nslug: healthcare-357\n"))
    assert built.build().exit_code == 0
    feed = parse(built, "feed.xml")
    assert {e.id for e in feed.entries} == before
    assert feed.entries[0].title == "A new headline"
    assert feed.entries[0].link == "https://example.org/news/draws/healthcare-357/"


def test_future_and_draft_entries_stay_out_of_feeds(site):
    site.draw("a.yaml", draw_yaml(date="2025-07-22", round=357))
    site.draw("b.yaml", draw_yaml(date="2026-03-01", round=400))
    site.draw("c.yaml", draw_yaml(date="2025-08-01", round=360, extra="draft: true\n"))
    assert site.build().exit_code == 0
    assert [e.id for e in parse(site, "feed.xml").entries] == [
        "tag:example.org,2025:drawdesk/draw/round-357"]
    assert site.build("--drafts", "--future").exit_code == 0
    assert len(parse(site, "feed.xml").entries) == 3


def test_hostile_text_keeps_feeds_well_formed(site):
    site.draw("a.yaml", draw_yaml(extra='title: "]]> <b>bold</b> & done"\n'
                                        'summary: "<script>x</script> ]]>"\n'))
    result = site.build()
    assert result.exit_code == 0, result.output
    for name in ("feed.xml", "atom.xml", "category/healthcare/feed.xml"):
        etree.parse(str(site.output / name))  # raises if not well-formed
        feed = parse(site, name)
        assert feed.entries[0].title.startswith("]]> <b>bold</b>")


def test_control_characters_are_rejected_before_feeds(site):
    site.draw("a.yaml", draw_yaml(extra='title: "bell \\u0007 \\uFFFE"\n'))
    result = site.build()
    assert result.exit_code == 1
    assert "title: contains control characters" in result.output


# Text that is markup if a reader takes it for HTML: every element must carry it as the
# type it declares (RSS <description> is HTML, so plain text must be escaped there).
LIVE = {"en": "<img src=x onerror=alert(1)> & <b>bold</b> </description>",
        "fr": "<img src=y onerror=alert(2)> « & » <script>alert(3)</script>"}


def test_every_feed_text_is_the_type_its_element_declares(site):
    """Both languages, every feed format: an editor's plain text never becomes markup.
    Before the fix the RSS <description> held the summary as markup: feedparser (not
    sanitizing, as some readers do not) gave a live <img onerror>."""
    import html5lib

    from tests.test_editions import BILINGUAL_SITE

    site_yaml = BILINGUAL_SITE.replace("en: Test Desk", f"en: 'Desk {LIVE['en']}'").replace(
        "en: Draw news for tests.", f"en: 'News {LIVE['en']}'").replace(
        "fr: Nouvelles des rondes pour les tests.", f"fr: 'Nouvelles {LIVE['fr']}'")
    (site.content / "site.yaml").write_text(site_yaml, encoding="utf-8")
    categories = (site.content / "categories.yaml").read_text(encoding="utf-8")
    start = categories.index("key: healthcare")
    at = categories.index("  description:\n", start)
    end = re.compile(r"\n  [a-z]").search(categories, at).start()  # the next field
    categories = categories[:at] + (f"  description:\n    en: 'Care {LIVE['en']}'\n"
                                     f"    fr: 'Soins {LIVE['fr']}'") + categories[end:]
    (site.content / "categories.yaml").write_text(categories, encoding="utf-8")
    site.draw("a.yaml", draw_yaml(extra=f"title:\n  en: 'T {LIVE['en']}'\n  fr: 'T {LIVE['fr']}'\n"
                                        f"summary:\n  en: 'S {LIVE['en']}'\n"
                                        f"  fr: 'S {LIVE['fr']}'\n"))
    result = site.build()
    assert result.exit_code == 0, result.output

    def squash(text: str) -> str:
        return " ".join(text.split())

    def as_declared(detail, expected: str) -> None:
        if detail.type == "text/html":
            doc = html5lib.parseFragment(detail.value, namespaceHTMLElements=False)
            for element in doc.iter():
                assert element.tag not in ("img", "script", "b"), (element.tag, detail.value)
                assert not any(name.lower().startswith("on") for name in element.keys())
            assert squash("".join(doc.itertext())) == squash(expected)
        else:
            assert detail.type == "text/plain", detail.type
            assert detail.value == expected

    for lang in ("en", "fr"):
        feeds = {f"{lang}/feed.xml": f"News {LIVE['en']}" if lang == "en" else
                 f"Nouvelles {LIVE['fr']}",
                 f"{lang}/atom.xml": None,
                 f"{lang}/category/healthcare/feed.xml": f"{'Care' if lang == 'en' else 'Soins'}"
                                                         f" {LIVE[lang]}"}
        feeds[f"{lang}/atom.xml"] = feeds[f"{lang}/feed.xml"]
        for path, description in feeds.items():
            raw = (site.output / path).read_bytes()
            feed = feedparser.parse(raw, sanitize_html=False)
            assert not feed.bozo, (path, feed.bozo_exception)
            as_declared(feed.feed.subtitle_detail, description)
            entry = feed.entries[0]
            as_declared(entry.summary_detail, f"S {LIVE[lang]}")
            body = entry.content[0]
            assert body.type == "text/html"
            doc = html5lib.parseFragment(body.value, namespaceHTMLElements=False)
            assert not any(name.lower().startswith("on") for el in doc.iter() for name in el.keys())
            assert not any(el.tag in ("img", "script") for el in doc.iter())
            # titles and category names are plain text in both formats: as written
            tree = etree.fromstring(raw)
            titles = [el.text for el in tree.iter("title", "{http://www.w3.org/2005/Atom}title")]
            assert f"T {LIVE[lang]}" in titles, (path, titles)
            atom_titles = tree.findall("{http://www.w3.org/2005/Atom}entry/"
                                       "{http://www.w3.org/2005/Atom}title")
            assert all(el.get("type", "text") == "text" for el in atom_titles)
