"""Derived facts agree with their plain definitions on random draws, and scale linearly.

The hand-checked fixture (test_derive_fixture.py) pins the values; these
tests check the one-pass algorithms against the definitions written the slow,
obvious way, on many random histories with ties and same-day draws.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

from conftest import SAMPLE
from hypothesis import example, given, settings
from hypothesis import strategies as st

from drawdesk.core.models import Content, Draw, RoundId
from drawdesk.derive.facts import LONG_GAP_DAYS, derive
from drawdesk.source.loader import load_content

CATEGORIES = load_content(SAMPLE).content.categories
SITE = load_content(SAMPLE).content.site
KEYS = ["general", "canadian-experience-class", "healthcare"]


def make(rows: list[tuple[int, int, int, int, bool]]) -> Content:
    draws = []
    for i, (day, cat, invitations, crs, numbered) in enumerate(rows):
        key = KEYS[cat]
        draws.append(Draw(
            source=f"{i}.yaml", date=dt.date(2024, 12, 1) + dt.timedelta(days=day),
            type="category-based" if key == "healthcare" else "program", category=key,
            invitations=invitations, min_crs=crs, slug=f"d{i:04d}",
            round=RoundId(i + 1) if numbered else None))
    draws.sort(key=lambda d: d.sort_key)
    return Content(SITE, CATEGORIES, tuple(draws))


ROWS = st.lists(st.tuples(st.integers(0, 120), st.integers(0, 2), st.integers(1, 5),
                          st.integers(400, 406), st.booleans()), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(ROWS)
def test_facts_match_their_definitions(rows):
    content = make(rows)
    data = derive(content, today=dt.date(2030, 1, 1))
    order = list(content.draws)
    assert [d.slug for d in data.chronological] == [d.slug for d in order]
    for i, draw in enumerate(order):
        f = data.facts[draw.slug]
        before = order[:i]
        same = [d for d in before if d.category == draw.category]
        year = [d for d in before if d.date.year == draw.date.year]
        assert f.ordinal_overall == i + 1
        assert f.ordinal_year == len(year) + 1
        assert f.ordinal_category == len(same) + 1
        assert f.year_invitations == sum(d.invitations for d in year) + draw.invitations
        year_same = [d for d in year if d.category == draw.category]
        assert f.year_category_draws == len(year_same) + 1
        assert f.year_category_invitations == sum(d.invitations for d in year_same) + \
            draw.invitations
        assert (f.previous_any.draw if f.previous_any else None) == (before[-1] if before
                                                                    else None)
        assert (f.previous_same.draw if f.previous_same else None) == (same[-1] if same
                                                                      else None)
        assert f.lowest_ever == (bool(same) and all(d.min_crs > draw.min_crs for d in same))
        expected_since = None
        if same and not f.lowest_ever and same[-1].min_crs > draw.min_crs:
            expected_since = [d for d in same if d.min_crs <= draw.min_crs][-1]
        assert f.lowest_since == expected_since
        assert f.largest_of_year == (bool(year) and all(
            d.invitations < draw.invitations for d in year))
        gap = (draw.date - same[-1].date).days if same else None
        assert f.first_in_days == (gap if gap is not None and gap >= LONG_GAP_DAYS else None)
        assert list(f.year_table) == [draw] + list(reversed(year))


def test_ten_thousand_draws_in_linear_time():
    rows = [(i // 3, i % 3, 1000 + (i * 7919) % 3000, 400 + (i * 104729) % 300, True)
            for i in range(10_000)]
    content = make(rows)
    started = time.perf_counter()
    data = derive(content, today=dt.date(2200, 1, 1))
    elapsed = time.perf_counter() - started
    assert len(data.facts) == 10_000
    assert elapsed < 3, elapsed  # about 0.1 s; quadratic work would take minutes
    # Year tables share one tuple per year: no per-draw copies.
    years = {id(f.year_all) for f in data.facts.values()}
    assert len(years) == len(data.by_year)


def _shown(data) -> dict:
    """Everything derive made, as pages read it (a year table as the draws it shows)."""
    facts = {slug: tuple((name, list(value) if name == "year_table" else value)
                         for name, value in vars(f).items())
             for slug, f in data.facts.items()}
    return {"facts": facts, "draws": data.draws, "by_category": data.by_category,
            "by_year": data.by_year, "stats": data.stats, "categories": data.categories,
            "timeline": data.timeline}


EDITS = st.lists(st.tuples(st.sampled_from(["figure", "cutoff", "date", "category", "remove",
                                            "add", "touch"]),
                           st.integers(0, 10_000), st.integers(0, 700)), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 700), st.integers(0, 2), st.integers(1, 5),
                          st.integers(400, 406), st.booleans()), min_size=1, max_size=40),
       EDITS, st.booleans(), st.sampled_from([dt.date(2030, 1, 1), dt.date(2025, 6, 1)]))
# A cut-off edited early in a year: a later draw of another category keeps its facts, and
# its year table must show the new cut-off.
@example([(200, 0, 3, 400, False), (201, 1, 3, 401, False), (203, 2, 3, 402, False)],
         [("cutoff", 0, 0)], False, dt.date(2030, 1, 1))
# The last draw of a year edited: the next year's first draw names it as the previous draw.
@example([(29, 0, 3, 400, False), (32, 1, 3, 401, False)], [("figure", 0, 0)], False,
         dt.date(2030, 1, 1))
# A draw edited that a later one, a year on, is the lowest since.
@example([(10, 0, 3, 400, False), (40, 0, 3, 405, False), (50, 0, 3, 402, False)],
         [("figure", 0, 0)], False, dt.date(2030, 1, 1))
def test_deriving_from_the_last_build_gives_what_a_clean_derive_gives(rows, edits, renamed,
                                                                     today):
    """A warm preview derives each build from the last one's facts (`before`): entries
    edited, moved to another date or category, removed, added or read again unchanged
    (a new object), the categories edited, the day changed: always the same result."""
    base = make(rows)
    first = derive(base, today=dt.date(2030, 1, 1))
    draws = list(base.draws)
    for kind, which, value in edits:
        if kind == "add" or not draws:
            draws.append(Draw(source=f"new{value}.yaml",
                              date=dt.date(2024, 12, 1) + dt.timedelta(days=value),
                              type="program", category="general", invitations=1 + value,
                              min_crs=400 + value % 7, slug=f"n{len(draws)}-{value}"))
            continue
        index = which % len(draws)
        draw = draws[index]
        if kind == "remove":
            del draws[index]
        elif kind == "figure":
            draws[index] = replace(draw, invitations=draw.invitations + 1 + value % 3,
                                   min_crs=400 + value % 7)
        elif kind == "cutoff":  # the year's totals stay: only year tables show it
            draws[index] = replace(draw, min_crs=draw.min_crs + 1 + value % 50)
        elif kind == "date":
            draws[index] = replace(draw, date=dt.date(2024, 12, 1) +
                                   dt.timedelta(days=value))
        elif kind == "category":
            key = KEYS[value % 2]  # both program draws
            draws[index] = replace(draw, category=key, type="program")
        else:  # read again, unchanged: an equal draw, another object
            draws[index] = replace(draw)
    draws.sort(key=lambda d: d.sort_key)
    categories = CATEGORIES
    if renamed:
        general = CATEGORIES["general"]
        categories = {**CATEGORIES, "general": replace(
            general, name={**general.name, "en": general.name["en"] + " draws"})}
    after = Content(SITE, categories, tuple(draws))
    warm = derive(after, today=today, before=first)
    assert _shown(warm) == _shown(derive(after, today=today))
    again = derive(after, today=today, before=warm)  # nothing changed since
    assert _shown(again) == _shown(warm)
    assert all(again.facts[slug] is warm.facts[slug] for slug in warm.facts)
