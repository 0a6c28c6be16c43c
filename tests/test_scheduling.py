"""Drafts and scheduling: what a build publishes, and the 'now' that decides it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from drawdesk.cli import main
from drawdesk.core.options import build_now, site_now
from tests.conftest import SiteFolder, draw_yaml

TORONTO = ZoneInfo("America/Toronto")


def build(site: SiteFolder, *args: str, env: dict | None = None):
    env = {"SOURCE_DATE_EPOCH": None, **(env or {})}
    return CliRunner().invoke(main, ["build", "--content", str(site.content), "--output",
                                     str(site.output), *args], env=env)


def published(site: SiteFolder) -> set[str]:
    return {p.name for p in (site.output / "draws").iterdir()} if (
        site.output / "draws").is_dir() else set()


@pytest.fixture
def scheduled(site: SiteFolder) -> SiteFolder:
    site.draw("past.yaml", draw_yaml(date="2025-07-22", round=1))
    site.draw("draft.yaml", draw_yaml(date="2025-07-23", round=2, extra="draft: true\n"))
    site.draw("today.yaml", draw_yaml(date="2026-01-02", round=3))
    site.draw("later.yaml", draw_yaml(date="2026-03-02", round=4))
    return site


def test_drafts_and_future_entries_are_left_out(scheduled: SiteFolder):
    result = build(scheduled, "--now", "2026-01-02")
    assert result.exit_code == 0, result.output
    assert published(scheduled) == {"2025-07-22-healthcare", "2026-01-02-healthcare"}
    for page in ("index.html", "feed.xml", "sitemap.xml", "category/healthcare/index.html"):
        text = scheduled.page(page)
        assert "2025-07-23-healthcare" not in text and "2026-03-02-healthcare" not in text


def test_drafts_flag(scheduled: SiteFolder):
    build(scheduled, "--now", "2026-01-02", "--drafts")
    assert "2025-07-23-healthcare" in published(scheduled)
    assert "2026-03-02-healthcare" not in published(scheduled)


def test_future_flag(scheduled: SiteFolder):
    build(scheduled, "--now", "2026-01-02", "--future")
    assert "2026-03-02-healthcare" in published(scheduled)
    assert "2025-07-23-healthcare" not in published(scheduled)


def test_now_without_a_zone_is_the_sites_own_date(scheduled: SiteFolder):
    build(scheduled, "--now", "2026-01-01T23:59:59")
    assert "2026-01-02-healthcare" not in published(scheduled)
    build(scheduled, "--now", "2026-01-02")
    assert "2026-01-02-healthcare" in published(scheduled)


def test_source_date_epoch_sets_now(scheduled: SiteFolder):
    # 2026-01-02 04:00 UTC is still 2026-01-01 in Toronto, the site's zone
    build(scheduled, env={"SOURCE_DATE_EPOCH": "1767326400"})
    assert "2026-01-02-healthcare" not in published(scheduled)
    # 2026-01-02 06:00 UTC is 01:00 in Toronto
    build(scheduled, env={"SOURCE_DATE_EPOCH": "1767333600"})
    assert "2026-01-02-healthcare" in published(scheduled)


def test_now_option_wins_over_source_date_epoch(scheduled: SiteFolder):
    build(scheduled, "--now", "2026-06-01", env={"SOURCE_DATE_EPOCH": "1767326400"})
    assert "2026-03-02-healthcare" in published(scheduled)


def test_the_wall_clock_by_default(site: SiteFolder):
    site.draw("past.yaml", draw_yaml(date="2025-07-22", round=1))
    site.draw("far.yaml", draw_yaml(date="2099-07-22", round=2))
    result = build(site)
    assert result.exit_code == 0, result.output
    assert published(site) == {"2025-07-22-healthcare"}


def test_a_bad_source_date_epoch_is_a_usage_error(site: SiteFolder):
    result = build(site, env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.output


def test_build_now_and_site_now():
    assert build_now(dt.datetime(2026, 1, 2)) == dt.datetime(2026, 1, 2)
    assert site_now(dt.datetime(2026, 1, 2), TORONTO).date() == dt.date(2026, 1, 2)
    utc = dt.datetime(2026, 1, 2, 3, tzinfo=dt.UTC)
    assert site_now(utc, TORONTO).date() == dt.date(2026, 1, 1)
