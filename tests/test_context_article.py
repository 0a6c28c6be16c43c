"""The article's comparisons read well and say only what is true."""

from __future__ import annotations

import datetime as dt

import html5lib
import pytest

CEC = "canadian-experience-class"
HC = "healthcare"


def main_text(html: str) -> str:
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return " ".join("".join(doc.find(".//main").itertext()).split())


def block(html: str, class_name: str):
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return next(el for el in doc.iter("div") if el.get("class") == class_name)


def block_text(html: str, class_name: str) -> str:
    return " ".join("".join(block(html, class_name).itertext()).split())


@pytest.fixture
def cec_site(site):
    """Rounds 335, 346 and 347 of 2025, as in IRCC's table."""
    site.draw("a.yaml", date="2025-02-05", category=CEC, round=335, invitations=4000,
              min_crs=521)
    site.draw("b.yaml", date="2025-05-12", category="provincial-nominee-program", round=346,
              invitations=511, min_crs=706)
    site.draw("c.yaml", date="2025-05-13", category=CEC, round=347, invitations=500, min_crs=547)
    site.draw("d.yaml", date="2024-12-10", category=CEC, round=330, invitations=5000,
              min_crs=500)  # last year: counts for comparisons, not in 2025's totals
    return site


def test_compare_block_and_meaning(cec_site):
    assert cec_site.build().exit_code == 0
    page = cec_site.page(f"draws/2025-05-13-{CEC}/index.html")
    compare = block_text(page, "compare")
    for sentence in [
        "Previous Canadian Experience Class draw: February 5, 2025, 97 days earlier, with a "
        "minimum CRS score of 521 and 4,000 invitations. This draw’s cut-off is up 26 points, "
        "with 3,500 fewer invitations.",
        "Previous draw of any kind: the Provincial Nominee Program draw of May 12, 2025, 1 day "
        "earlier, with a minimum CRS score of 706 and 511 invitations.",
        "Order: the 3rd round of 2025, and the 2nd Canadian Experience Class draw of the year "
        "(3rd in all).",
        "2025 so far: 5,011 invitations in 3 draws, 4,500 of them in 2 Canadian Experience "
        "Class draws.",
    ]:
        assert sentence in compare, sentence
    assert "Record" not in compare
    text = main_text(page)
    meaning = text[text.index("What this update means"):text.index("Possible impact")]
    for sentence in [
        "The cut-off of 547 is 26 points higher than in the previous Canadian Experience Class "
        "draw, on February 5, 2025 (521). IRCC issued 500 invitations, down from 4,000. "
        "It is the first Canadian Experience Class draw in 97 days.",
        "It is the 3rd round of 2025, bringing the year’s total to 5,011 invitations in 3 draws.",
    ]:
        assert sentence in meaning, sentence
    assert "lowest" not in meaning and "largest" not in meaning


def test_first_draws_of_year_and_category(cec_site):
    assert cec_site.build().exit_code == 0
    page = cec_site.page("draws/2025-05-12-provincial-nominee-program/index.html")
    compare = block_text(page, "compare")
    assert ("This is the first Provincial Nominee Program draw published on this site, so there "
            "is no earlier one to compare it with.") in compare
    assert "Order: the 2nd round of 2025, and the first Provincial Nominee Program draw" in compare
    meaning = main_text(page)
    assert ("This is the first Provincial Nominee Program draw published on this site, so its "
            "cut-off of 706 is the reference point for the Provincial Nominee Program draws "
            "that follow.") in meaning
    first = cec_site.page(f"draws/2025-02-05-{CEC}/index.html")
    assert "2025 so far" not in block_text(first, "compare")
    assert "It is the first round of 2025." in main_text(first)
    # 4,000 is fewer than... nothing: the first draw of a year is never "the largest so far".
    assert "largest" not in main_text(first)


def test_year_table_newest_first_up_to_this_draw(cec_site):
    assert cec_site.build().exit_code == 0
    page = cec_site.page("draws/2025-05-12-provincial-nominee-program/index.html")
    table = block(page, "year-table").find(".//table")
    caption = " ".join("".join(table.find("caption").itertext()).split())
    assert caption == "The 2 draws of 2025 up to this one, newest first"
    rows = [[" ".join("".join(td.itertext()).split()) for td in tr]
            for tr in table.find("tbody")]
    assert rows == [["May 12, 2025 (this draw)", "PNP", "511", "706"],
                    ["February 5, 2025", "CEC", "4,000", "521"]]
    assert table.find("tbody")[0].get("aria-current") == "true"


def test_feed_items_leave_out_the_year_table(cec_site):
    assert cec_site.build().exit_code == 0
    feed = cec_site.page("feed.xml")
    assert "How this draw compares" in feed and "so far" in feed
    assert "year-table" not in feed


def test_records_lowest_since_tie_lowest_ever_largest(site):
    site.draw("a.yaml", date="2023-07-06", category=HC, round=258, invitations=1500, min_crs=463)
    site.draw("b.yaml", date="2025-06-04", category=HC, round=349, invitations=500, min_crs=504)
    site.draw("c.yaml", date="2025-07-22", category=HC, round=357, invitations=4000, min_crs=475)
    site.draw("d.yaml", date="2025-08-19", category=HC, round=362, invitations=2500, min_crs=470)
    site.draw("e.yaml", date="2025-11-14", category=HC, round=379, invitations=3500, min_crs=463)
    site.draw("f.yaml", date="2025-12-11", category=HC, round=385, invitations=1000, min_crs=450)
    assert site.build().exit_code == 0

    def says(slug: str) -> tuple[str, str]:
        page = site.page(f"draws/{slug}/index.html")
        return main_text(page), block_text(page, "compare")

    # The 2023 draw is of the category's earlier period ("Healthcare occupations", before
    # 2025-05-02 in categories.yaml): comparisons span both names and say so.
    text, compare = says("2025-07-22-healthcare")
    assert ("It is the lowest cut-off for a Healthcare and social services or Healthcare "
            "occupations draw since July 6, 2023, when it was 463.") in text
    assert "With 4,000 invitations, it is the largest draw of 2025 so far." in text
    assert ("Records: the lowest Healthcare and social services or Healthcare occupations "
            "cut-off since July 6, 2023; the largest draw of 2025 so far.") in compare
    assert ("Counts and comparisons cover the draws published on this site, including the "
            "category’s draws under its earlier name, Healthcare occupations.") in compare
    text, compare = says("2025-11-14-healthcare")  # ties the 2023 record
    assert "since July 6, 2023, when it was also 463." in text
    assert "lowest cut-off of any" not in text
    assert ("Record: the lowest Healthcare and social services or Healthcare occupations "
            "cut-off since July 6, 2023.") in compare
    text, compare = says("2025-12-11-healthcare")
    assert ("It is the lowest cut-off of any Healthcare and social services or Healthcare "
            "occupations draw published on this site.") in text
    assert ("Record: the lowest Healthcare and social services or Healthcare occupations "
            "cut-off on this site.") in compare
    text, compare = says("2025-08-19-healthcare")  # 470 after 475: lower, but 463 is older
    assert "since July 6, 2023, when it was 463." in text
    text, compare = says("2025-06-04-healthcare")  # higher than 2023: no record at all
    assert "lowest" not in text and "Record" not in compare
    # the first draw under the new name: not "the first ... draw in 699 days", nor "another"
    assert "It comes 699 days after the previous Healthcare occupations draw." in text
    assert "Previous Healthcare occupations draw: July 6, 2023" in compare
    assert "another" not in text and "continues to target" not in text


def test_same_day_general_draws(site):
    site.draw("z.yaml", date="2025-03-01", category="general", round=401, invitations=900,
              min_crs=490)
    site.draw("a.yaml", date="2025-03-01", category="general", round=None, invitations=1000,
              min_crs=500, extra="slug: 2025-03-01-general-unnumbered\n")
    assert site.build().exit_code == 0
    page = site.page("draws/2025-03-01-general/index.html")  # round 401: after the unnumbered
    compare = block_text(page, "compare")
    assert ("Previous general draw: March 1, 2025, the same day, with a minimum CRS score of "
            "500 and 1,000 invitations. This draw’s cut-off is down 10 points, with 100 fewer "
            "invitations.") in compare
    assert "Previous draw of any kind" not in compare  # the same draw: said once
    text = main_text(page)
    assert ("The cut-off of 490 is 10 points lower than in the previous general draw, on "
            "March 1, 2025 (500). IRCC issued 900 invitations, down from 1,000. Both draws "
            "took place on the same day. It is the lowest cut-off of any general draw "
            "published on this site.") in text
    assert "All programs draw" not in text


def test_drafts_and_future_draws_never_count(cec_site):
    cec_site.draw("x.yaml", date="2025-04-01", category=CEC, round=340, invitations=9000,
                  min_crs=300, extra="draft: true\n")
    cec_site.draw("y.yaml", date="2025-12-31", category=CEC, round=390, invitations=9000,
                  min_crs=300)
    assert cec_site.build("--now", "2025-06-01").exit_code == 0
    compare = block_text(cec_site.page(f"draws/2025-05-13-{CEC}/index.html"), "compare")
    assert "Previous Canadian Experience Class draw: February 5, 2025" in compare
    assert "the 3rd round of 2025" in compare and "9,000" not in compare
    assert cec_site.build("--now", "2025-06-01", "--drafts").exit_code == 0
    compare = block_text(cec_site.page(f"draws/2025-05-13-{CEC}/index.html"), "compare")
    assert "Previous Canadian Experience Class draw: April 1, 2025, 42 days earlier" in compare


def test_pool_distribution_table(site):
    bands = {"601-1200": 614, "501-600": 1918, "451-500": 65296, "491-500": 3384,
             "481-490": 11848, "471-480": 20106, "461-470": 16854, "451-460": 13104,
             "401-450": 59491, "441-450": 12416, "431-440": 13010, "421-430": 10159,
             "411-420": 11444, "401-410": 12462, "351-400": 70421, "301-350": 36754,
             "0-300": 5519, "total": 240013}
    lines = "".join(f"    {k}: {v}\n" for k, v in reversed(list(bands.items())))
    site.draw("a.yaml", date="2023-01-18", category="general", round=238, invitations=5500,
              min_crs=490, extra=f"pool:\n  as_of: 2023-01-18\n  bands:\n{lines}")
    site.draw("b.yaml", date="2023-01-11", category="general", round=237, invitations=5500,
              min_crs=507)
    assert site.build().exit_code == 0
    page = site.page("draws/2023-01-18-general/index.html")
    pool = block(page, "pool")
    table = pool.find(".//table")
    caption = " ".join("".join(table.find("caption").itertext()).split())
    assert caption == "CRS scores in the Express Entry pool on January 18, 2023"
    rows = [(tr.get("class"), [" ".join("".join(c.itertext()).split()) for c in tr])
            for tr in table.find("tbody")]
    assert rows[:4] == [(None, ["601–1200", "614"]), (None, ["501–600", "1,918"]),
                        (None, ["451–500", "65,296"]), ("sub", ["491–500", "3,384"])]
    assert [r[1][0] for r in rows] == [k.replace("-", "–") for k in bands if k != "total"]
    assert sum(r[0] == "sub" for r in rows) == 10
    total = [" ".join("".join(c.itertext()).split()) for c in table.find("tfoot")[0]]
    assert total == ["Total", "240,013"]
    assert "before the draw" not in main_text(page)  # taken on the day of the draw
    other = site.page("draws/2023-01-11-general/index.html")
    assert 'class="pool"' not in other


def test_year_table_keeps_the_60_most_recent(site):
    start = dt.date(2025, 1, 1)
    for i in range(62):
        day = start + dt.timedelta(days=5 * i)
        site.draw(f"{i:02d}.yaml", date=day.isoformat(), category=CEC, round=100 + i,
                  invitations=1000 + i, min_crs=500)
    assert site.build().exit_code == 0
    last = start + dt.timedelta(days=5 * 61)
    page = site.page(f"draws/{last.isoformat()}-{CEC}/index.html")
    table = block(page, "year-table")
    rows = table.find(".//tbody")
    assert len(rows) == 60
    caption = " ".join("".join(table.find(".//caption").itertext()).split())
    assert caption == "The 60 most recent of the 62 draws of 2025 up to this one, newest first"
    note = " ".join("".join(table.find("p").itertext()).split())
    assert note == "The 2 earlier draws of 2025 are listed on the 2025 page."
    assert table.find("p/a").get("href") == "/news/2025/"
