"""Derived facts agree with their plain definitions on random draws, and scale linearly.

The hand-checked fixture (test_derive_fixture.py) pins the values; these
tests check the one-pass algorithms against the definitions written the slow,
obvious way, on many random histories with ties and same-day draws.
"""

from __future__ import annotations

import datetime as dt
import time

from conftest import SAMPLE
from hypothesis import given, settings
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
