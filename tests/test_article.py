"""The draw page follows the source article, section by section, with its facts."""

from __future__ import annotations

import json
import re

import html5lib
import pytest

SECTIONS = ["Confirmed details from the draw", "What this update means", "Possible impact",
            "What applicants should do next", "FAQ", "Conclusion"]
SOURCE_FAQ = [
    ("Who was invited in this Express Entry draw?",
     "IRCC invited candidates in the healthcare and social services category. "
     "The draw was not open to all Express Entry profiles."),
    ("What was the CRS cut-off?", "The minimum CRS score was 475 for this draw."),
    ("Does this mean healthcare workers will always need a CRS of 475?",
     "No. CRS cut-offs can change from one draw to the next depending on IRCC’s selection "
     "approach and the number of eligible candidates in the pool."),
    ("What should Express Entry candidates in healthcare do now?",
     "They should confirm that their profile is accurate, that their occupation is correctly "
     "classified, and that all supporting documents remain valid if they receive an invitation."),
]


def text_of(html: str) -> str:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    main = doc.find(".//main")
    return " ".join("".join(main.itertext()).split())


def headings(html: str) -> list[str]:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return [" ".join("".join(h.itertext()).split()) for h in doc.iter("h2")]


@pytest.fixture
def source_page(site):
    site.source_draws()
    result = site.build()
    assert result.exit_code == 0, result.output
    return site.page("draws/2025-07-22-healthcare/index.html")


def test_sections_in_source_order(source_page):
    found = [h for h in headings(source_page) if h in SECTIONS]
    assert found == SECTIONS
    text = text_of(source_page)
    positions = [text.index(s) for s in SECTIONS] + [text.index("does not constitute legal advice")]
    assert positions == sorted(positions)
    assert text.index("IRCC has issued another round of invitations") < positions[0]


def test_source_facts_verbatim(source_page):
    text = text_of(source_page)
    for sentence in [
        "IRCC has issued another round of invitations through Express Entry, this time focused on "
        "candidates with experience in healthcare and social services occupations.",
        "In this round, IRCC issued 4,000 invitations to apply to candidates in the healthcare "
        "and social services category.",
        "Draw type: Express Entry category-based selection",
        "Category: Healthcare and social services",
        "Invitations issued: 4,000",
        "Minimum CRS score: 475",
        "The minimum CRS score was 475 for this draw.",
        "This draw shows that IRCC continues to target candidates with experience in healthcare "
        "and social services occupations.",
        "The CRS cut-off of 475 gives applicants a useful reference point, but it does not "
        "guarantee future results.",
        "If you work in an eligible healthcare or social services occupation, this result may be "
        "relevant to your Express Entry strategy.",
        "Check whether your occupation fits IRCC’s healthcare and social services category rules.",
        "If you are unsure whether your job duties, NOC code, or profile details support "
        "category-based selection",
        "This Express Entry draw is another sign that healthcare and social services candidates "
        "remain a priority in Canada’s immigration selection system.",
        "This article is for general information only and does not constitute legal advice.",
        "March 13, 2025 at 13:08:29 UTC",
        "July 22, 2025",
    ]:
        assert sentence in text, sentence


def test_faq_matches_source_and_jsonld(source_page):
    doc = html5lib.parse(source_page, namespaceHTMLElements=False)
    faq = next(s for s in doc.iter("section") if s.get("class") == "faq")
    questions = [" ".join("".join(dt.itertext()).split()) for dt in faq.iter("dt")]
    answers = [" ".join("".join(dd.itertext()).split()) for dd in faq.iter("dd")]
    assert list(zip(questions, answers, strict=True)) == SOURCE_FAQ
    blocks = [json.loads(s.text) for s in doc.iter("script")
              if s.get("type") == "application/ld+json"]
    faq_ld = next(b for b in blocks if b["@type"] == "FAQPage")
    assert [(q["name"], q["acceptedAnswer"]["text"]) for q in faq_ld["mainEntity"]] == SOURCE_FAQ
    news = next(b for b in blocks if b["@type"] == "NewsArticle")
    h1 = " ".join("".join(doc.find(".//h1").itertext()).split())
    assert news["headline"] == h1
    assert news["datePublished"] == "2025-07-22"  # no draw time: the day alone, no midnight


def test_first_draw_of_category_is_not_another(site):
    site.draw("a.yaml", date="2025-07-22", category="education", round=357, min_crs=479)
    assert site.build().exit_code == 0
    text = text_of(site.page("draws/2025-07-22-education/index.html"))
    assert "another" not in text.split("Confirmed details")[0]
    assert "IRCC has issued a round of invitations through Express Entry, focused on" in text
    assert "first Education draw published on this site" in text


@pytest.mark.parametrize("category, present, absent", [
    ("canadian-experience-class",
     ["candidates eligible for the Canadian Experience Class",
      "Draw type: Express Entry program-specific draw", "Program: Canadian Experience Class",
      "Check whether you meet IRCC’s Canadian Experience Class requirements."],
     ["occupation", "category-based selection"]),
    ("general",
     ["candidates from all Express Entry programs",
      "Draw type: Express Entry general draw (all programs)",
      "IRCC invited candidates from all Express Entry programs, ranked by their CRS score."],
     ["occupation", "not open to all", "The draw was open to candidates from every"]),
    ("provincial-nominee-program",
     ["candidates with a provincial or territorial nomination",
      "If you hold a provincial or territorial nomination, this result may be relevant"],
     ["occupation"]),
    ("french-language",
     ["candidates in the French-language proficiency category",
      "Draw type: Express Entry category-based selection"],
     ["occupation"]),
])
def test_prose_fits_draw_type(site, category, present, absent):
    site.draw("a.yaml", date="2025-03-04", category=category, round=340, min_crs=500)
    result = site.build()
    assert result.exit_code == 0, result.output
    text = text_of(site.page(f"draws/2025-03-04-{category}/index.html"))
    for phrase in present:
        assert phrase in text, phrase
    for phrase in absent:
        assert phrase not in text, phrase


def test_editor_overrides_and_faq(site):
    extra = (
        "title: Healthcare draw brings 4,000 invitations\n"
        "disclaimer: Our own disclaimer.\n"
        "sections:\n  meaning: |\n    Editors *know* more. [Rules](https://www.canada.ca/x)\n"
        "faq:\n  - question: When is the next draw?\n    answer: IRCC does not **announce** it.\n"
    )
    site.draw("a.yaml", extra=extra)
    assert site.build().exit_code == 0
    page = site.page("draws/2025-07-22-healthcare/index.html")
    assert "<h1>Healthcare draw brings 4,000 invitations</h1>" in page
    assert "<em>know</em>" in page and 'href="https://www.canada.ca/x"' in page
    assert "Our own disclaimer." in page
    assert "does not constitute legal advice" not in page
    text = text_of(page)
    assert "When is the next draw? IRCC does not announce it." in text
    assert text.count("?") >= 5  # the four default questions stay, one added


def test_faq_replace(site):
    extra = ("faq_mode: replace\nfaq:\n  - question: Only question?\n    answer: Only answer.\n")
    site.draw("a.yaml", extra=extra)
    assert site.build().exit_code == 0
    page = site.page("draws/2025-07-22-healthcare/index.html")
    assert len(re.findall("<dt>", page)) == 1


def test_hostile_strings_are_escaped(site):
    extra = ('title: "<script>alert(1)</script> </script><img src=x onerror=alert(2)>"\n'
             'summary: "\\"><svg onload=alert(3)>"\n'
             "sections:\n  lede: '<script>alert(4)</script> [x](javascript:alert(5)) "
             "<a href=\"#\" onclick=\"alert(6)\">y</a>'\n")
    site.draw("a.yaml", extra=extra)
    assert site.build().exit_code == 0
    page = site.page("draws/2025-07-22-healthcare/index.html")
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    scripts = [s for s in doc.iter("script")]
    assert all(s.get("type") == "application/ld+json" for s in scripts)
    for script in scripts:
        json.loads(script.text)
    assert not any(el.get("onerror") or el.get("onclick") or el.get("onload")
                   for el in doc.iter())
    assert "javascript:" not in page
