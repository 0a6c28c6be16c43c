"""Every derived fact of 46 draws, checked against values worked out by hand.

The draws are IRCC's rounds 331 to 368 from the 2025 table
(shared/reference/express-entry-rounds-2025.csv), copied as IRCC wrote them,
plus draws the table does not have, added to cover what it lacks:

- r258: an earlier healthcare round under the category's 2023 name, so the
  healthcare series crosses a rename (2023-1 -> Version 2 -> 2026-Version 3);
- six constructed draws in January 2026: three on January 7 (one without a
  round number, which comes first on its day, then rounds 389 and 390 whose
  files are named in the opposite order), two French-language rounds on
  January 8 whose slugs sort against their round numbers, and two draws
  without round numbers on January 9, ordered by slug;
- a draft and a future-dated draw, which must change nothing.

Each IRCC name is mapped to its key through categories.yaml's aliases, as
an editor would. The expected values in EXPECTED were computed by hand from
the table (day counts by calendar, totals by running sums); none comes from
the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from conftest import SiteFolder

from drawdesk.derive.facts import derive
from drawdesk.source.loader import load_content

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 1, 31)

# name, round, date, program or category as IRCC wrote it, invitations, min CRS, slug
DRAWS = [
    ("r258", 258, "2023-07-06", "Healthcare occupations (2023-1)", 1500, 463, None),
    ("r331", 331, "2025-01-07", "Provincial Nominee Program", 471, 793, None),
    ("r332", 332, "2025-01-08", "Canadian Experience Class", 1350, 542, None),
    ("r333", 333, "2025-01-23", "Canadian Experience Class", 4000, 527, None),
    ("r334", 334, "2025-02-04", "Provincial Nominee Program", 455, 802, None),
    ("r335", 335, "2025-02-05", "Canadian Experience Class", 4000, 521, None),
    ("r336", 336, "2025-02-17", "Provincial Nominee Program", 646, 750, None),
    ("r337", 337, "2025-02-19", "French language proficiency (Version 1)", 6500, 428, None),
    ("r338", 338, "2025-03-03", "Provincial Nominee Program", 725, 667, None),
    ("r339", 339, "2025-03-06", "French language proficiency (Version 1)", 4500, 410, None),
    ("r340", 340, "2025-03-17", "Provincial Nominee Program", 536, 736, None),
    ("r341", 341, "2025-03-21", "French language proficiency (Version 1)", 7500, 379, None),
    ("r342", 342, "2025-04-14", "Provincial Nominee Program", 825, 764, None),
    ("r343", 343, "2025-04-28", "Provincial Nominee Program", 421, 727, None),
    ("r344", 344, "2025-05-01", "Education occupations (Version 1)", 1000, 479, None),
    ("r345", 345, "2025-05-02", "Healthcare and social services occupations (Version 2)",
     500, 510, None),
    ("r346", 346, "2025-05-12", "Provincial Nominee Program", 511, 706, None),
    ("r347", 347, "2025-05-13", "Canadian Experience Class", 500, 547, None),
    ("r348", 348, "2025-06-02", "Provincial Nominee Program", 277, 726, None),
    ("r349", 349, "2025-06-04", "Healthcare and social services occupations (Version 2)",
     500, 504, None),
    ("r350", 350, "2025-06-10", "Provincial Nominee Program", 125, 784, None),
    ("r351", 351, "2025-06-12", "Canadian Experience Class", 3000, 529, None),
    ("r352", 352, "2025-06-23", "Provincial Nominee Program", 503, 742, None),
    ("r353", 353, "2025-06-26", "Canadian Experience Class", 3000, 521, None),
    ("r354", 354, "2025-07-07", "Provincial Nominee Program", 356, 750, None),
    ("r355", 355, "2025-07-08", "Canadian Experience Class", 3000, 518, None),
    ("r356", 356, "2025-07-21", "Provincial Nominee Program", 202, 788, None),
    ("r357", 357, "2025-07-22", "Healthcare and social services occupations (Version 2)",
     4000, 475, None),
    ("r358", 358, "2025-08-06", "Provincial Nominee Program", 225, 739, None),
    ("r359", 359, "2025-08-07", "Canadian Experience Class", 1000, 534, None),
    ("r360", 360, "2025-08-08", "French language proficiency (Version 1)", 2500, 481, None),
    ("r361", 361, "2025-08-18", "Provincial Nominee Program", 192, 800, None),
    ("r362", 362, "2025-08-19", "Healthcare and social services occupations (Version 2)",
     2500, 470, None),
    ("r363", 363, "2025-09-02", "Provincial Nominee Program", 249, 772, None),
    ("r364", 364, "2025-09-03", "Canadian Experience Class", 1000, 534, None),
    ("r365", 365, "2025-09-04", "French language proficiency (Version 1)", 4500, 446, None),
    ("r366", 366, "2025-09-15", "Provincial Nominee Program", 228, 746, None),
    ("r367", 367, "2025-09-17", "Education occupations (Version 1)", 2500, 462, None),
    ("r368", 368, "2025-09-18", "Trade occupations (Version 2)", 1250, 505, None),
    # Constructed: not in IRCC's table.
    ("r390", 390, "2026-01-07", "Canadian Experience Class", 2000, 510, None),
    ("r389", 389, "2026-01-07", "Provincial Nominee Program", 600, 720, None),
    ("hc26", None, "2026-01-07", "Healthcare and Social Services Occupations, 2026-Version 3",
     1000, 470, None),
    ("r393", 393, "2026-01-08", "French-Language proficiency 2026-Version 2", 2500, 395,
     "2026-01-08-french-language-a"),
    ("r392", 392, "2026-01-08", "French-Language proficiency 2026-Version 2", 3000, 400,
     "2026-01-08-french-language-b"),
    ("tr26", None, "2026-01-09", "Trades Occupations, 2026-Version 3", 800, 480, None),
    ("edu26", None, "2026-01-09", "Education occupations (Version 1)", 900, 470, None),
]
NOT_PUBLISHED = [  # name, date, category, invitations, min CRS, extra YAML
    ("draft", "2025-03-10", "Canadian Experience Class", 9999, 300, "draft: true\n"),
    ("future", "2026-02-10", "Provincial Nominee Program", 50000, 100, ""),
]

# The expected chronological order: same day by round (none first), then slug.
ORDER = ["r258"] + [f"r{n}" for n in range(331, 369)] + [
    "hc26", "r389", "r390", "r392", "r393", "edu26", "tr26"]

# Worked out by hand. Columns:
#   name | overall year category | year: draws invitations | category this year: draws invitations
#   | previous same category: name crs-change invitations-change days
#   | previous any: name crs-change invitations-change days
#   | lowest since (name of the draw) | lowest ever | largest of year | first in N days
EXPECTED = """
r258 |  1  1  1 |  1  1500 | 1  1500 | -    .    .    .   | -     .     .     .   | -    0 0 .
r331 |  2  1  1 |  1   471 | 1   471 | -    .    .    .   | r258  330 -1029 551  | -    0 0 .
r332 |  3  2  1 |  2  1821 | 1  1350 | -    .    .    .   | r331 -251   879   1  | -    0 1 .
r333 |  4  3  2 |  3  5821 | 2  5350 | r332 -15  2650 15  | r332  -15  2650  15  | -    1 1 .
r334 |  5  4  2 |  4  6276 | 2   926 | r331   9   -16 28  | r333  275 -3545  12  | -    0 0 .
r335 |  6  5  3 |  5 10276 | 3  9350 | r333  -6     0 13  | r334 -281  3545   1  | -    1 0 .
r336 |  7  6  3 |  6 10922 | 3  1572 | r334 -52   191 13  | r335  229 -3354  12  | -    1 0 .
r337 |  8  7  1 |  7 17422 | 1  6500 | -    .    .    .   | r336 -322  5854   2  | -    0 1 .
r338 |  9  8  4 |  8 18147 | 4  2297 | r336 -83    79 14  | r337  239 -5775  12  | -    1 0 .
r339 | 10  9  2 |  9 22647 | 2 11000 | r337 -18 -2000 15  | r338 -257  3775   3  | -    1 0 .
r340 | 11 10  5 | 10 23183 | 5  2833 | r338  69  -189 14  | r339  326 -3964  11  | -    0 0 .
r341 | 12 11  3 | 11 30683 | 3 18500 | r339 -31  3000 15  | r340 -357  6964   4  | -    1 1 .
r342 | 13 12  6 | 12 31508 | 6  3658 | r340  28   289 28  | r341  385 -6675  24  | -    0 0 .
r343 | 14 13  7 | 13 31929 | 7  4079 | r342 -37  -404 14  | r342  -37  -404  14  | r338 0 0 .
r344 | 15 14  1 | 14 32929 | 1  1000 | -    .    .    .   | r343 -248   579   3  | -    0 0 .
r345 | 16 15  2 | 15 33429 | 1   500 | r258  47 -1000 666 | r344   31  -500   1  | -    0 0 666
r346 | 17 16  8 | 16 33940 | 8  4590 | r343 -21    90 14  | r345  196    11  10  | r338 0 0 .
r347 | 18 17  4 | 17 34440 | 4  9850 | r335  26 -3500 97  | r346 -159   -11   1  | -    0 0 97
r348 | 19 18  9 | 18 34717 | 9  4867 | r346  20  -234 21  | r347  179  -223  20  | -    0 0 .
r349 | 20 19  3 | 19 35217 | 2  1000 | r345  -6     0 33  | r348 -222   223   2  | r258 0 0 .
r350 | 21 20 10 | 20 35342 | 10 4992 | r348  58  -152  8  | r349  280  -375   6  | -    0 0 .
r351 | 22 21  5 | 21 38342 | 5 12850 | r347 -18  2500 30  | r350 -255  2875   2  | r335 0 0 .
r352 | 23 22 11 | 22 38845 | 11 5495 | r350 -42   378 13  | r351  213 -2497  11  | r348 0 0 .
r353 | 24 23  6 | 23 41845 | 6 15850 | r351  -8     0 14  | r352 -221  2497   3  | r335 0 0 .
r354 | 25 24 12 | 24 42201 | 12 5851 | r352   8  -147 14  | r353  229 -2644  11  | -    0 0 .
r355 | 26 25  7 | 25 45201 | 7 18850 | r353  -3     0 12  | r354 -232  2644   1  | -    1 0 .
r356 | 27 26 13 | 26 45403 | 13 6053 | r354  38  -154 14  | r355  270 -2798  13  | -    0 0 .
r357 | 28 27  4 | 27 49403 | 3  5000 | r349 -29  3500 48  | r356 -313  3798   1  | r258 0 0 .
r358 | 29 28 14 | 28 49628 | 14 6278 | r356 -49    23 16  | r357  264 -3775  15  | r348 0 0 .
r359 | 30 29  8 | 29 50628 | 8 19850 | r355  16 -2000 30  | r358 -205   775   1  | -    0 0 .
r360 | 31 30  4 | 30 53128 | 4 21000 | r341 102 -5000 140 | r359  -53  1500   1  | -    0 0 140
r361 | 32 31 15 | 31 53320 | 15 6470 | r358  61   -33 12  | r360  319 -2308  10  | -    0 0 .
r362 | 33 32  5 | 32 55820 | 4  7500 | r357  -5 -1500 28  | r361 -330  2308   1  | r258 0 0 .
r363 | 34 33 16 | 33 56069 | 16 6719 | r361 -28    57 15  | r362  302 -2251  14  | r358 0 0 .
r364 | 35 34  9 | 34 57069 | 9 20850 | r359   0     0 27  | r363 -238   751   1  | -    0 0 .
r365 | 36 35  5 | 35 61569 | 5 25500 | r360 -35  2000 27  | r364  -88  3500   1  | r341 0 0 .
r366 | 37 36 17 | 36 61797 | 17 6947 | r363 -26   -21 13  | r365  300 -4272  11  | r358 0 0 .
r367 | 38 37  2 | 37 64297 | 2  3500 | r344 -17  1500 139 | r366 -284  2272   2  | -    1 0 139
r368 | 39 38  1 | 38 65547 | 1  1250 | -    .    .    .   | r367   43 -1250   1  | -    0 0 .
hc26 | 40  1  6 |  1  1000 | 1  1000 | r362   0 -1500 141 | r368  -35  -250 111  | -    0 0 141
r389 | 41  2 18 |  2  1600 | 1   600 | r366 -26   372 114 | hc26  250  -400   0  | r346 0 0 114
r390 | 42  3 10 |  3  3600 | 1  2000 | r364 -24  1000 126 | r389 -210  1400   0  | -    1 1 126
r392 | 43  4  6 |  4  6600 | 1  3000 | r365 -46 -1500 126 | r390 -110  1000   1  | r341 0 1 126
r393 | 44  5  7 |  5  9100 | 2  5500 | r392  -5  -500  0  | r392   -5  -500   0  | r341 0 0 .
edu26 | 45  6  3 |  6 10000 | 1   900 | r367   8 -1600 114 | r393   75 -1600   1  | -    0 0 114
tr26 | 46  7  2 |  7 10800 | 1   800 | r368 -25  -450 113 | edu26  10  -100   0  | -    1 0 113
"""


def _aliases() -> dict[str, tuple[str, str]]:
    data = yaml.safe_load((ROOT / "content" / "categories.yaml").read_text(encoding="utf-8"))
    found = {}
    for cat in data["categories"]:
        kind = "category-based" if cat["selection"] == "category" else "program"
        for alias in cat.get("aliases", []):
            found[alias.casefold()] = (cat["key"], kind)
    return found


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    root = SiteFolder(tmp_path_factory.mktemp("fixture")).content
    aliases = _aliases()
    slugs = {}
    for name, rnd, date, ircc, invitations, crs, slug in DRAWS:
        key, kind = aliases[ircc.casefold()]
        text = (f"round: {rnd}\n" if rnd else "") + (
            f"date: {date}\ntype: {kind}\ncategory: {key}\ninvitations: {invitations}\n"
            f"min_crs: {crs}\n") + (f"slug: {slug}\n" if slug else "")
        # File names in reverse of the expected order, so the loader must sort.
        (root / "draws" / f"{99 - len(slugs):02d}-{name}.yaml").write_text(text, "utf-8")
        slugs[name] = slug or f"{date}-{key}"
    for name, date, ircc, invitations, crs, extra in NOT_PUBLISHED:
        key, kind = aliases[ircc.casefold()]
        (root / "draws" / f"{name}.yaml").write_text(
            f"date: {date}\ntype: {kind}\ncategory: {key}\ninvitations: {invitations}\n"
            f"min_crs: {crs}\nslug: {name}\n{extra}", "utf-8")
    loaded = load_content(root)
    assert loaded.content is not None, loaded.errors
    data = derive(loaded.content, today=TODAY)
    return data, slugs


def _rows():
    for line in EXPECTED.strip().splitlines():
        parts = [p.split() for p in line.split("|")]
        yield parts


def _int(value: str) -> int | None:
    return None if value in (".", "-") else int(value)


def test_the_fixture_is_big_enough():
    assert len(DRAWS) >= 30 and len(list(_rows())) == len(DRAWS) == len(ORDER)


def test_published_draws_in_chronological_order(derived):
    data, slugs = derived
    assert [d.slug for d in data.chronological] == [slugs[name] for name in ORDER]
    assert "draft" not in data.facts and "future" not in data.facts


def test_renamed_category_is_one_series(derived):
    data, slugs = derived
    healthcare = [d.slug for d in data.by_category["healthcare"]]
    assert healthcare == [slugs[n] for n in ("hc26", "r362", "r357", "r349", "r345", "r258")]
    assert [d.slug for d in data.by_category["french-language"]][:2] == [
        slugs["r393"], slugs["r392"]]


@pytest.mark.parametrize("row", list(_rows()), ids=lambda row: row[0][0])
def test_every_derived_fact(derived, row):
    data, slugs = derived
    (name,), ordinals, year, year_cat, same, previous, records = row
    f = data.facts[slugs[name]]
    assert [f.ordinal_overall, f.ordinal_year, f.ordinal_category] == [int(v) for v in ordinals]
    assert [f.year_draws, f.year_invitations] == [int(v) for v in year]
    assert [f.year_category_draws, f.year_category_invitations] == [int(v) for v in year_cat]
    for change, (other, crs, invitations, days) in ((f.previous_same, same),
                                                    (f.previous_any, previous)):
        if other == "-":
            assert change is None
        else:
            assert change is not None
            assert (change.draw.slug, change.crs, change.invitations, change.days) == (
                slugs[other], int(crs), int(invitations), int(days))
    since, ever, largest, gap = records
    assert (f.lowest_since.slug if f.lowest_since else "-") == (
        "-" if since == "-" else slugs[since])
    assert (f.lowest_ever, f.largest_of_year) == (ever == "1", largest == "1")
    assert f.first_in_days == _int(gap)
    assert f.first_of_category == (same[0] == "-")


def test_year_tables_newest_first(derived):
    data, slugs = derived
    f = data.facts[slugs["r335"]]
    assert [d.slug for d in f.year_table] == [
        slugs[n] for n in ("r335", "r334", "r333", "r332", "r331")]
    f = data.facts[slugs["r390"]]
    assert [d.slug for d in f.year_table] == [slugs[n] for n in ("r390", "r389", "hc26")]
    assert [d.slug for d in data.facts[slugs["r258"]].year_table] == [slugs["r258"]]
    # One shared tuple per year: the tables are slices of it, not copies per draw.
    assert data.facts[slugs["r331"]].year_all is data.facts[slugs["r368"]].year_all


def test_site_statistics(derived):
    data, _ = derived
    stats = data.stats
    assert [(t.key, t.draws, t.invitations, t.lowest, t.highest) for t in stats.years] == [
        ("2023", 1, 1500, 463, 463), ("2025", 38, 65547, 379, 802),
        ("2026", 7, 10800, 395, 720)]
    assert [(t.key, t.draws, t.invitations, t.lowest, t.highest)
            for t in stats.categories] == [
        ("french-language", 7, 31000, 379, 481), ("canadian-experience-class", 10, 22850, 510, 547),
        ("healthcare", 6, 10000, 463, 510), ("provincial-nominee-program", 18, 7547, 667, 802),
        ("education", 3, 4400, 462, 479), ("trades", 2, 2050, 480, 505)]
    recent = stats.recent
    # Twelve months up to January 9, 2026: every draw after January 9, 2025.
    assert (recent.start, recent.end) == (dt.date(2025, 1, 9), dt.date(2026, 1, 9))
    assert len(recent.draws) == 36 + 7  # rounds 333 to 368, and January 2026
    assert [s.category for s in recent.series] == [
        "canadian-experience-class", "provincial-nominee-program", "french-language",
        "healthcare", "trades", "education"]
