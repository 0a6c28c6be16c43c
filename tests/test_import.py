"""`drawdesk import ircc`: entries written, idempotence, editor fields, reports, errors."""

from __future__ import annotations

import copy
import json
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SiteFolder, snapshot

from drawdesk.cli import main
from drawdesk.core.models import POOL_BANDS, RoundId
from drawdesk.source.loader import load_content
from drawdesk.tools.ircc.categories import base_name, generated_key
from drawdesk.tools.ircc.plan import render_entry
from drawdesk.tools.ircc.values import parse_date

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ircc"
OFFICIAL = FIXTURES / "ee_rounds_123_en.json"
IMPORTED = {  # file name -> round, for the valid rounds of the official fixture
    "2020-06-25-general.yaml": 150,
    "2023-02-01-general.yaml": 240,
    "2023-05-24-federal-skilled-trades.yaml": 250,
    "2023-06-28-healthcare.yaml": 254,
    "2024-06-05-healthcare.yaml": 300,
    "2024-10-01-healthcare.yaml": 320,
    "2025-06-12-trades-350.yaml": 350,
    "2025-06-12-trades-351.yaml": 351,
    "2026-03-03-provincial-nominee-program.yaml": 399,
    "2026-03-03-canadian-experience-class.yaml": 400,
    "2026-03-04-healthcare.yaml": 401,
}
ROUND_401 = """\
# yaml-language-server: $schema=../schema/draw.schema.json
round: 401
date: 2026-03-04
draw_time: 2026-03-04T14:22:10Z
type: category-based
category: healthcare
ircc_name: Healthcare and Social Services Occupations, 2026-Version 3
invitations: 2500
min_crs: 462
tie_break: 2026-03-01T18:34:05Z
pool:
  as_of: 2026-03-02
  bands:
    601-1200: 964
    501-600: 14232
    451-500: 31056
    491-500: 10901
    481-490: 2820
    471-480: 9446
    461-470: 5786
    451-460: 2103
    401-450: 55280
    441-450: 8003
    431-440: 9192
    421-430: 13429
    411-420: 12804
    401-410: 11852
    351-400: 40717
    301-350: 24467
    0-300: 7002
    total: 173718
"""


def run(site: SiteFolder, source: Path | str, *args: str):
    return CliRunner().invoke(main, ["import", "ircc", str(source), "--content",
                                     str(site.content), *args])


def rounds_of(path: Path = OFFICIAL) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["rounds"]


def write_source(folder: Path, rounds: list[dict], name: str = "rounds.json") -> Path:
    path = folder / name
    path.write_text(json.dumps({"classes": "", "rounds": rounds}), encoding="utf-8")
    return path


def valid_rounds() -> list[dict]:
    return [r for r in rounds_of() if r["drawNumber"] not in ("229", "230")]


def round_numbered(number: str) -> dict:
    return copy.deepcopy(next(r for r in rounds_of() if r["drawNumber"] == number))


def pool_block(number: str) -> str:
    """The pool an entry gets from a round of the official fixture."""
    raw = round_numbered(number)
    lines = ["pool:", f"  as_of: {parse_date(raw['drawDistributionAsOn'])}", "  bands:"]
    lines += [f"    {band}: {int(raw[f'dd{n}'].replace(',', ''))}"
              for n, band in enumerate(POOL_BANDS, start=1)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """The official fixture without its two malformed rounds."""
    return write_source(tmp_path, valid_rounds(), "clean.json")


@pytest.fixture(autouse=True)
def in_site(site: SiteFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the site's folder, as editors do: paths show as content/draws/..."""
    monkeypatch.chdir(site.root)


def draws(site: SiteFolder) -> Path:
    return site.content / "draws"


# -- entries written --------------------------------------------------------------------------
def test_import_writes_one_entry_per_round_as_editors_write_them(site: SiteFolder) -> None:
    result = run(site, OFFICIAL, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in draws(site).iterdir()) == sorted(IMPORTED)
    assert (draws(site) / "2026-03-04-healthcare.yaml").read_text() == ROUND_401
    loaded = load_content(site.content)
    assert loaded.errors == [] and loaded.warnings == []
    rounds = {d.round.number: d for d in loaded.content.draws}
    assert sorted(rounds) == sorted(IMPORTED.values())
    for name, number in IMPORTED.items():
        draw = rounds[number]
        assert draw.source.endswith(name)
    # renamed programs share one category; names are matched whatever their case
    assert {n: rounds[n].category for n in (254, 300, 320, 401)} == dict.fromkeys(
        (254, 300, 320, 401), "healthcare")
    assert rounds[254].type == "category-based"
    assert (rounds[150].category, rounds[240].category) == ("general", "general")
    assert (rounds[399].category, rounds[399].type) == ("provincial-nominee-program", "program")
    assert rounds[350].invitations == 1200 and rounds[401].invitations == 2500


def test_tie_breaks_in_many_spellings_are_written_in_utc(site: SiteFolder) -> None:
    run(site, OFFICIAL, "--skip-invalid")
    rounds = {d.round.number: d.tie_break for d in load_content(site.content).content.draws}
    assert {n: t.strftime("%Y-%m-%dT%H:%M:%SZ") for n, t in rounds.items() if t} == {
        150: "2020-06-20T10:33:05Z",  # June 20th, 2020 at 10:33:05 UTC
        254: "2023-02-02T15:12:01Z",  # February 02, 2023, at 15:12:01 UTC
        300: "2023-11-09T14:21:26Z",  # November 09,2023 14:21:26 UTC
        320: "2024-09-17T12:30:00Z",
        350: "2025-06-01T10:00:00Z",  # a stray full stop
        351: "2025-06-10T08:15:00Z",
        399: "2026-02-14T23:22:33Z",  # 11:22:33 PM UTC
        400: "2026-02-20T09:05:44Z",  # 9:05:44 a.m. UTC
        401: "2026-03-01T18:34:05Z",
    }
    assert rounds[240] is None  # no zone: reported, left empty
    assert rounds[250] is None  # no tie-break in the file


def test_a_round_without_tie_break_or_pool(site: SiteFolder) -> None:
    run(site, OFFICIAL, "--skip-invalid")
    assert (draws(site) / "2023-05-24-federal-skilled-trades.yaml").read_text() == (
        "# yaml-language-server: $schema=../schema/draw.schema.json\n"
        "round: 250\ndate: 2023-05-24\ndraw_time: 2023-05-24T14:00:00Z\ntype: program\n"
        "category: federal-skilled-trades\nircc_name: Federal Skilled Trades\n"
        "invitations: 500\nmin_crs: 364\n")


def test_same_day_rounds_of_one_category_get_their_round_in_name_and_slug(
        site: SiteFolder) -> None:
    run(site, OFFICIAL, "--skip-invalid")
    for number in (350, 351):
        text = (draws(site) / f"2025-06-12-trades-{number}.yaml").read_text()
        assert text.endswith(f"slug: 2025-06-12-trades-{number}\n")
    # two rounds of different categories on one day keep the plain names
    assert not (draws(site) / "2026-03-03-canadian-experience-class.yaml").read_text().count(
        "slug:")


def test_a_new_round_on_the_day_of_an_existing_entry(site: SiteFolder, tmp_path: Path) -> None:
    site.draw("2025-06-12-trades.yaml", round=349, date="2025-06-12", category="trades")
    source = write_source(tmp_path, [round_numbered("350")])
    result = run(site, source)
    assert result.exit_code == 0, result.output
    assert "added     content/draws/2025-06-12-trades-350.yaml (round 350)" in result.output
    assert load_content(site.content).errors == []


def test_a_round_identifier_that_is_not_one(site: SiteFolder, tmp_path: Path) -> None:
    raw = round_numbered("401")
    raw["drawNumber"] = "401-B"
    result = run(site, write_source(tmp_path, [raw]))
    assert result.exit_code == 0, result.output
    assert "round 401-B: drawNumber: warning: '401-B' is not a round identifier" in \
        result.output
    text = (draws(site) / "2026-03-04-healthcare.yaml").read_text()
    assert "round:" not in text
    again = run(site, write_source(tmp_path, [raw]))
    assert "0 added, 0 updated, 1 unchanged" in again.output


def test_same_day_rounds_without_identifiers_cannot_be_named(site: SiteFolder,
                                                              tmp_path: Path) -> None:
    first, second = round_numbered("350"), round_numbered("351")
    first["drawNumber"], second["drawNumber"] = "", "N/A"
    result = run(site, write_source(tmp_path, [first, second]))
    assert result.exit_code == 1
    assert "round #1 in the list: cannot choose a file name for it (2025-06-12-trades is " \
           "also another round's or entry's, and this round has no usable number); write its " \
           "entry by hand" in result.stderr
    assert list(draws(site).iterdir()) == []


# -- idempotence and updates --------------------------------------------------------------------
def test_reimporting_the_same_file_changes_no_byte(site: SiteFolder) -> None:
    assert run(site, OFFICIAL, "--skip-invalid").exit_code == 0
    before = snapshot(site.content)
    stamps = {p: p.stat().st_mtime_ns for p in draws(site).iterdir()}
    result = run(site, OFFICIAL, "--skip-invalid")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "Imported: 0 added, 0 updated, 11 unchanged, 2 skipped (invalid).")
    assert snapshot(site.content) == before
    assert {p: p.stat().st_mtime_ns for p in draws(site).iterdir()} == stamps


def test_an_updated_file_changes_only_the_rounds_it_changed(site: SiteFolder,
                                                            tmp_path: Path) -> None:
    rounds = valid_rounds()
    run(site, write_source(tmp_path, rounds))
    before = snapshot(draws(site))
    for raw in rounds:
        if raw["drawNumber"] == "320":
            raw["drawCRS"] = "465"
            raw["drawCutOff"] = "September 18, 2024 at 12:30:00 UTC"
    new = copy.deepcopy(rounds[0])
    new.update(drawNumber="402", drawDate="2026-03-18", drawDateFull="March 18, 2026",
               drawName="STEM occupations (Version 1)")
    result = run(site, write_source(tmp_path, [new, *rounds]))
    assert result.exit_code == 0, result.output
    after = snapshot(draws(site))
    assert sorted(set(after) - set(before)) == ["2026-03-18-stem.yaml"]
    assert [n for n in before if before[n] != after[n]] == ["2024-10-01-healthcare.yaml"]
    assert "updated   content/draws/2024-10-01-healthcare.yaml (round 320): min_crs 463 -> 465; " \
           "tie_break 2024-09-17T12:30:00Z -> 2024-09-18T12:30:00Z" in result.output
    assert result.stdout.splitlines()[-1] == "Imported: 1 added, 1 updated, 10 unchanged."


EDITED = """\
# yaml-language-server: $schema=../schema/draw.schema.json
# Checked against IRCC's notice by hand.
round: 320
date: 2024-10-01
type: category-based
category: healthcare
invitations: 3100   # from the news release
min_crs: 470
tie_break: 2024-09-17T08:30:00-04:00
title: Healthcare draw invites 3,000
slug: healthcare-october
summary: |
  IRCC invited healthcare workers.

  A second paragraph.
sections:
  lede: Our own lede.
faq:
- question: Why now?
  answer: Because.
faq_mode: replace
disclaimer: Our disclaimer.
draft: true
"""


def test_editor_fields_and_comments_are_never_overwritten(site: SiteFolder,
                                                          clean: Path) -> None:
    site.draw("2024-10-01-healthcare.yaml", EDITED)
    result = run(site, clean)
    assert result.exit_code == 0, result.output
    text = (draws(site) / "2024-10-01-healthcare.yaml").read_text()
    # only the values IRCC gives changed, in place; the same tie-break instant, spelled
    # with an offset, is left as the editor wrote it; the pool goes after the tie-break
    tie_break = "tie_break: 2024-09-17T08:30:00-04:00\n"
    assert text == EDITED.replace("3100   #", "3000   #").replace(
        "min_crs: 470", "min_crs: 463").replace(tie_break, tie_break + pool_block("320")).replace(
        "date: 2024-10-01\n", "date: 2024-10-01\ndraw_time: 2024-10-01T15:03:11Z\n").replace(
        "category: healthcare\n", "category: healthcare\n"
        "ircc_name: Healthcare and social services occupations (Version 2)\n")
    assert "draw_time added (2024-10-01T15:03:11Z); ircc_name added (Healthcare and social " \
        "services occupations (Version 2)); invitations 3100 -> 3000; min_crs 470 -> 463; pool " \
        "added (as of 2024-09-29)" in result.output
    draw = next(d for d in load_content(site.content).content.draws if d.round == RoundId(320))
    assert (draw.title, draw.slug, draw.draft, draw.faq_mode) == (
        {"en": "Healthcare draw invites 3,000"}, "healthcare-october", True, "replace")
    again = snapshot(site.content)
    run(site, clean)
    assert snapshot(site.content) == again


def test_a_value_written_by_hand_is_kept_when_ircc_gives_none(site: SiteFolder,
                                                                clean: Path) -> None:
    hand = ("# yaml-language-server: $schema=../schema/draw.schema.json\n"
            "round: 240\ndate: 2023-02-01\ndraw_time: 2023-02-01T13:15:52Z\ntype: program\n"
            "category: general\nircc_name: General\ninvitations: 5500\nmin_crs: 489\n"
            "tie_break: 2023-01-15T17:00:11Z  # the zone is missing in IRCC's file\n")
    site.draw("2023-02-01-general.yaml", hand)
    run(site, clean)
    text = (draws(site) / "2023-02-01-general.yaml").read_text()
    assert text.startswith(hand) and text[len(hand):].startswith("pool:\n  as_of: 2023-01-30\n")


def test_a_pool_is_updated_band_by_band(site: SiteFolder, tmp_path: Path) -> None:
    hand = ROUND_401.replace("    total: 173718\n", "    total: 1  # old figure\n").replace(
        "    481-490: 2820\n", "").replace("tie_break: 2026-03-01T18:34:05Z\n", "")
    site.draw("2026-03-04-healthcare.yaml", hand + "title: Kept\n")
    result = run(site, write_source(tmp_path, [round_numbered("401")]))
    assert result.exit_code == 0, result.output
    assert "tie_break added (2026-03-01T18:34:05Z); pool as of 2026-03-02, 2 band(s) changed" \
        in result.output
    text = (draws(site) / "2026-03-04-healthcare.yaml").read_text()
    assert text == ROUND_401.replace("total: 173718", "total: 173718  # old figure") + \
        "title: Kept\n"


def test_a_newer_pool_drops_counts_it_does_not_give(site: SiteFolder, tmp_path: Path) -> None:
    site.draw("2026-03-04-healthcare.yaml", ROUND_401.replace("as_of: 2026-03-02",
                                                            "as_of: 2026-02-01"))
    raw = round_numbered("401")
    raw["dd5"] = "unknown"  # 481-490: reported, left empty
    result = run(site, write_source(tmp_path, [raw]))
    assert result.exit_code == 0, result.output
    assert "round 401: dd5: warning: 'unknown' is not a whole number; band 481-490 is left " \
           "empty" in result.stderr
    assert "pool as of 2026-02-01 -> 2026-03-02, 0 band(s) changed" in result.stdout
    assert (draws(site) / "2026-03-04-healthcare.yaml").read_text() == \
        ROUND_401.replace("    481-490: 2820\n", "")


def test_a_pool_in_flow_style_is_rewritten_as_a_block(site: SiteFolder, tmp_path: Path) -> None:
    hand = ROUND_401.split("pool:")[0] + "pool: {as_of: 2026-03-02, bands: {total: 5}}\n" + \
        "title: Kept\n"
    site.draw("2026-03-04-healthcare.yaml", hand)
    assert run(site, write_source(tmp_path, [round_numbered("401")])).exit_code == 0
    assert (draws(site) / "2026-03-04-healthcare.yaml").read_text() == ROUND_401 + \
        "title: Kept\n"


def test_crlf_line_endings_and_a_bom_are_kept(site: SiteFolder, tmp_path: Path) -> None:
    hand = ROUND_401.split("tie_break:")[0].replace("min_crs: 462", "min_crs: 400") + \
        "title: Kept\n"
    path = draws(site) / "2026-03-04-healthcare.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + hand.replace("\n", "\r\n").encode())
    assert run(site, write_source(tmp_path, [round_numbered("401")]),
               "--now", "2026-03-10T12:00:00").exit_code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n")
    # the published cut-off changed: a correction, appended with the file's line endings
    assert data.decode("utf-8-sig").replace("\r\n", "\n") == ROUND_401 + "title: Kept\n" + \
        "corrections:\n- at: 2026-03-10T16:00:00Z\n  by: ircc\n  field: min_crs\n" \
        "  from: 400\n  to: 462\n"


def test_an_entry_without_round_number_is_matched_by_date_and_category(
        site: SiteFolder, tmp_path: Path) -> None:
    site.draw("2026-03-04-healthcare.yaml", date="2026-03-04", round=None,
              invitations=2500, min_crs=462, extra="title: Written on the day\n")
    result = run(site, write_source(tmp_path, [round_numbered("401")]))
    assert result.exit_code == 0, result.output
    assert "round added (401); id 2026-03-04-healthcare kept (the identifier it was " \
        "published with)" in result.output
    text = (draws(site) / "2026-03-04-healthcare.yaml").read_text()
    # its feed items were published without a round: `id` keeps their GUIDs
    assert text.startswith("round: 401\nid: 2026-03-04-healthcare\ndate: 2026-03-04\n")
    assert text.endswith("title: Written on the day\n")
    draw = load_content(site.content).content.draws[0]
    assert (draw.round, draw.identity) == (RoundId(401), "2026-03-04-healthcare")


def test_an_entry_that_could_be_two_rounds_is_an_error(site: SiteFolder, clean: Path) -> None:
    site.draw("2025-06-12-trades.yaml", date="2025-06-12", category="trades", round=None)
    before = snapshot(site.content)
    result = run(site, clean)
    assert result.exit_code == 1
    assert result.stderr.count("cannot tell which round") == 1
    assert "content/draws/2025-06-12-trades.yaml: cannot tell which round this entry is " \
           "(rounds 350, 351 share date 2025-06-12 and category 'trades'); add the right " \
           "'round:'" in result.output
    assert snapshot(site.content) == before


# -- dry run ----------------------------------------------------------------------------------
def test_dry_run_reports_and_writes_nothing(site: SiteFolder, tmp_path: Path) -> None:
    rounds = valid_rounds()
    run(site, write_source(tmp_path, rounds[3:]))  # rounds 150 .. 351
    rounds[5]["drawSize"] = "3,001"  # round 320
    source = write_source(tmp_path, rounds)
    before = snapshot(site.content)
    result = run(site, source, "--dry-run", "--now", "2026-04-01T09:00:00")
    assert result.exit_code == 0, result.output
    assert snapshot(site.content) == before
    lines = result.stdout.splitlines()
    assert lines == [
        "unchanged content/draws/2020-06-25-general.yaml (round 150)",
        "unchanged content/draws/2023-02-01-general.yaml (round 240)",
        "unchanged content/draws/2023-05-24-federal-skilled-trades.yaml (round 250)",
        "unchanged content/draws/2023-06-28-healthcare.yaml (round 254)",
        "unchanged content/draws/2024-06-05-healthcare.yaml (round 300)",
        "updated   content/draws/2024-10-01-healthcare.yaml (round 320): invitations 3000 -> 3001; "
        "correction recorded (invitations; by ircc at 2026-04-01T13:00:00Z)",
        "unchanged content/draws/2025-06-12-trades-350.yaml (round 350)",
        "unchanged content/draws/2025-06-12-trades-351.yaml (round 351)",
        "added     content/draws/2026-03-03-provincial-nominee-program.yaml (round 399)",
        "added     content/draws/2026-03-03-canadian-experience-class.yaml (round 400)",
        "added     content/draws/2026-03-04-healthcare.yaml (round 401)",
        "Dry run, nothing written: 3 added, 1 updated, 7 unchanged.",
    ]
    real = run(site, source)
    assert real.stdout.splitlines()[-1] == "Imported: 3 added, 1 updated, 7 unchanged."
    assert "unchanged" not in "".join(real.stdout.splitlines()[:-1])


# -- errors -----------------------------------------------------------------------------------
def test_malformed_rounds_stop_the_import(site: SiteFolder) -> None:
    result = run(site, OFFICIAL)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{OFFICIAL}: round 230: drawCRS: missing (the minimum CRS score expected)",
        f"{OFFICIAL}: round 229: drawSize: '2,75O' is not a whole number (the invitations "
        "expected)",
        f"{OFFICIAL}: 2 invalid round(s) (230, 229); correct the file, or run with "
        "--skip-invalid to import the other rounds",
        f"{OFFICIAL}: round 240: drawCutOff: warning: 'January 15, 2023 at 17:00:11' has no "
        "time zone (and drawdesk does not guess one); tie_break is left empty (write it by "
        "hand if you know it)",
        "Import failed: 3 problem(s); nothing was written.",
    ]
    assert list(draws(site).iterdir()) == []


@pytest.mark.parametrize("field, value, year", [
    ("drawDate", "0001-01-01", 1), ("drawDateFull", "December 31, 9999", 9999),
    ("drawCutOff", "December 31, 9999 at 23:59:59 UTC-12:00", 9999)])
def test_a_year_out_of_range_is_reported_not_a_crash(site: SiteFolder, tmp_path: Path,
                                                      field: str, value: str,
                                                      year: int) -> None:
    raw = round_numbered("401")
    raw[field] = value
    if field != "drawCutOff":
        raw["drawDate" if field == "drawDateFull" else "drawDateFull"] = value
    result = run(site, write_source(tmp_path, [raw]))
    assert "Traceback" not in result.output
    assert f"year {year} is out of range (a year from 1970 to 2999 expected)" in result.stderr
    assert result.exit_code == (0 if field == "drawCutOff" else 1)


def test_skip_invalid_reports_the_skipped_rounds(site: SiteFolder) -> None:
    result = run(site, OFFICIAL, "--skip-invalid")
    assert result.exit_code == 0
    assert f"{OFFICIAL}: round 230: drawCRS: skipped: missing (the minimum CRS score " \
           "expected)" in result.stderr
    assert f"{OFFICIAL}: round 229: drawSize: skipped: '2,75O' is not a whole number" in \
        result.stderr
    assert result.stdout.splitlines()[-1] == (
        "Imported: 11 added, 0 updated, 0 unchanged, 2 skipped (invalid).")


def test_unknown_program_names_are_listed_with_their_rounds(site: SiteFolder,
                                                            tmp_path: Path) -> None:
    rounds = valid_rounds()
    for raw in rounds:
        if raw["drawNumber"] in ("350", "351"):
            raw["drawName"] = "Trade occupations (Version 9)"
        if raw["drawNumber"] == "250":
            raw["drawName"] = "Federal Skilled Tradespeople"
    result = run(site, write_source(tmp_path, rounds))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "drawName" in line]
    assert errors == [
        f"{tmp_path / 'rounds.json'}: drawName: unknown program name 'Federal Skilled "
        "Tradespeople', used by round 250: add it to the 'aliases' of its category in "
        "content/categories.yaml (it looks like category 'federal-skilled-trades'), or run "
        "with --create-categories to add a new category for an editor to complete",
        f"{tmp_path / 'rounds.json'}: drawName: unknown program name 'Trade occupations "
        "(Version 9)', used by rounds 350, 351: add it to the 'aliases' of its category in "
        "content/categories.yaml (it looks like category 'trades'), or run with "
        "--create-categories to add a new category for an editor to complete",
    ]
    assert list(draws(site).iterdir()) == []


def test_create_categories_appends_categories_for_an_editor(site: SiteFolder,
                                                            tmp_path: Path) -> None:
    original = (site.content / "categories.yaml").read_bytes()
    new = [round_numbered("401"), round_numbered("400")]
    new[0].update(drawNumber="402", drawName="Aviation occupations (Version 1)")
    new[1].update(drawNumber="403", drawName="Aviation Occupations, 2026-Version 2",
                  drawDate="2026-03-05", drawDateFull="March 5, 2026")
    source = write_source(tmp_path, new)
    dry = run(site, source, "--create-categories", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert (site.content / "categories.yaml").read_bytes() == original
    result = run(site, source, "--create-categories")
    assert result.exit_code == 0, result.output
    assert "added category 'aviation' to content/categories.yaml for 'Aviation occupations " \
           "(Version 1)', 'Aviation Occupations, 2026-Version 2' (an editor must complete " \
           "it)" in result.output
    assert result.stdout.splitlines()[-1] == "Imported: 2 added, 0 updated, 0 unchanged, " \
                                             "1 new category."
    text = (site.content / "categories.yaml").read_bytes()
    assert text.startswith(original)
    added = text[len(original):].decode()
    assert "- key: aviation\n  name: \"Aviation occupations\"\n" in added
    assert '  aliases:\n  - "Aviation occupations (Version 1)"\n' \
           '  - "Aviation Occupations, 2026-Version 2"\n' in added
    loaded = load_content(site.content)
    assert loaded.errors == []
    assert {d.category for d in loaded.content.draws} == {"aviation"}
    assert loaded.content.categories["aviation"].draw_type == "category-based"
    before = snapshot(site.content)
    assert run(site, source, "--create-categories").exit_code == 0
    assert snapshot(site.content) == before
    assert site.build().exit_code == 0


def test_a_generated_key_never_takes_an_existing_one(site: SiteFolder, tmp_path: Path) -> None:
    raw = round_numbered("401")
    raw["drawName"] = "Healthcare occupations (Version 9)"
    result = run(site, write_source(tmp_path, [raw]), "--create-categories")
    assert result.exit_code == 0, result.output
    assert "added category 'healthcare-2'" in result.output
    assert "if it is category 'healthcare', move its aliases there" in result.output
    assert (draws(site) / "2026-03-04-healthcare-2.yaml").exists()
    assert load_content(site.content).errors == []


@pytest.mark.parametrize(("name", "base", "key"), [
    ("Trades Occupations, 2026-Version 3", "Trades Occupations", "trades"),
    ("Healthcare occupations (2023-1)", "Healthcare occupations", "healthcare"),
    ("Skilled Military Recruits, 2026-Version 1", "Skilled Military Recruits",
     "skilled-military-recruits"),
    ("Physicians with Canadian Work Experience, 2026-Version 1",
     "Physicians with Canadian Work Experience", "physicians-with-canadian-work-experience"),
    ("Métiers spécialisés (Version 1)", "Métiers spécialisés", "metiers-specialises"),
    ("A very long program name that goes on and on for ever and ever (Version 1)",
     "A very long program name that goes on and on for ever and ever",
     "a-very-long-program-name-that-goes-on"),
])
def test_generated_keys(name: str, base: str, key: str) -> None:
    assert base_name(name) == base
    assert generated_key(name) == key


def test_the_shipped_categories_map_every_name_ircc_has_used() -> None:
    from drawdesk.tools.ircc.categories import alias_index
    loaded = load_content(Path(__file__).resolve().parent.parent / "content")
    index = alias_index(loaded.content.categories)
    names = {
        "No Program Specified": "general", "General": "general",
        "Canadian Experience Class": "canadian-experience-class",
        "Provincial Nominee Program": "provincial-nominee-program",
        "Federal Skilled Worker": "federal-skilled-worker",
        "Federal Skilled Trades": "federal-skilled-trades",
        "French language proficiency (Version 1)": "french-language",
        "French-Language proficiency 2026-Version 2": "french-language",
        "Healthcare occupations (Version 1)": "healthcare",
        "Healthcare and social services occupations (Version 2)": "healthcare",
        "Healthcare and Social Services Occupations, 2026-Version 3": "healthcare",
        "STEM occupations (Version 1)": "stem",
        "Trade occupations (Version 1)": "trades", "Trade occupations (Version 2)": "trades",
        "Trades Occupations, 2026-Version 3": "trades",
        "Transport occupations (Version 1)": "transport",
        "Transport Occupations, 2026-Version 2": "transport",
        "Agriculture and agri-food occupations (Version 1)": "agriculture",
        "Education occupations (Version 1)": "education",
        "Physicians with Canadian Work Experience, 2026-Version 1": "physicians",
        "Senior managers with Canadian Work Experience, 2026-Version 1": "senior-managers",
        "Skilled Military Recruits, 2026-Version 1": "military",
        "Healthcare occupations (2023-1)": "healthcare", "STEM occupations (2023-1)": "stem",
        "Trade occupations (2023-1)": "trades", "Transport occupations (2023-1)": "transport",
        "Agriculture and agri-food occupations (2023-1)": "agriculture",
        "French language proficiency (2023-1)": "french-language",
    }
    assert {name: index.get(" ".join(name.split()).casefold()) for name in names} == names


def test_a_failed_write_says_what_was_written(site: SiteFolder, clean: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from drawdesk.tools.ircc import importer
    real = importer.write_atomically
    calls = []

    def write(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(path, data)
    monkeypatch.setattr(importer, "write_atomically", write)
    result = run(site, clean)
    assert result.exit_code == 1
    assert "content/draws/2023-05-24-federal-skilled-trades.yaml: cannot write (No space left " \
           "on device); 2 of 11 files were written, each one whole: fix the problem and " \
           "import again" in result.stderr
    assert "nothing was written" not in result.stderr
    assert len(list(draws(site).iterdir())) == 2
    monkeypatch.setattr(importer, "write_atomically", real)
    assert run(site, clean).stdout.splitlines()[-1] == \
        "Imported: 9 added, 0 updated, 2 unchanged."


def test_invalid_content_is_not_imported_into(site: SiteFolder) -> None:
    site.draw("broken.yaml", "round: [\n")
    result = run(site, OFFICIAL, "--skip-invalid")
    assert result.exit_code == 1
    assert "fix them first (drawdesk validate), then import again" in result.stderr


@pytest.mark.parametrize(("source", "message"), [
    ("http://www.canada.ca/ee_rounds_123_en.json", "remote sources must use https://"),
    ("ftp://example.org/ee_rounds_123_en.json", "remote sources must use https://"),
    ("missing.json", "'missing.json' is not a file"),
])
def test_usage_errors(site: SiteFolder, source: str, message: str) -> None:
    result = run(site, source)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_file_that_is_not_iccs_json(site: SiteFolder, tmp_path: Path) -> None:
    bad = tmp_path / "page.html"
    bad.write_text("<html></html>")
    result = run(site, bad)
    assert result.exit_code == 1
    assert "not valid JSON" in result.stderr
    empty = tmp_path / "empty.json"
    empty.write_text('{"rounds": []}')
    assert "has no rounds" in run(site, empty).stderr


def test_an_unreachable_https_source(site: SiteFolder) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run(site, f"https://127.0.0.1:{port}/ee_rounds_123_en.json", "--timeout", "2")
    assert result.exit_code == 1
    assert "are you offline? download the file with a browser and import it from disk" in \
        result.stderr
    assert list(draws(site).iterdir()) == []


# -- build ------------------------------------------------------------------------------------
def test_import_then_build_gives_one_article_per_round(site: SiteFolder) -> None:
    run(site, OFFICIAL, "--skip-invalid")
    result = site.build("--now", "2026-04-01")
    assert result.exit_code == 0, result.output
    articles = sorted(p.parent.name for p in (site.output / "draws").glob("*/index.html"))
    assert articles == sorted(name.removesuffix(".yaml") for name in IMPORTED)
    page = site.page("draws/2026-03-04-healthcare/index.html")
    # October 1, 2024 is before the category's rename (categories.yaml, `periods`)
    assert "previous Healthcare occupations draw, on October 1, 2024" in " ".join(page.split())


def _history(count: int) -> list[dict]:
    """`count` rounds in the official shape, one every ten days, newest first."""
    import datetime as dt
    names = ["No Program Specified", "Canadian Experience Class", "Provincial Nominee Program",
             "Federal Skilled Worker", "Federal Skilled Trades",
             "Healthcare occupations (2023-1)", "Healthcare occupations (Version 1)",
             "Healthcare and social services occupations (Version 2)",
             "French language proficiency (Version 1)", "STEM occupations (Version 1)",
             "Trade occupations (Version 1)", "Transport occupations (Version 1)",
             "Agriculture and agri-food occupations (Version 1)", "General",
             "Education occupations (Version 1)", "Skilled Military Recruits, 2026-Version 1"]
    template = round_numbered("401")
    rounds = []
    for number in range(1, count + 1):
        day = dt.date(2015, 1, 31) + dt.timedelta(days=10 * number)
        raw = copy.deepcopy(template)
        cut = day - dt.timedelta(days=3)
        raw.update(drawNumber=str(number), drawDate=day.isoformat(),
                   drawDateFull=f"{day:%B} {day.day}, {day.year}",
                   drawName=names[number % len(names)], drawSize=f"{1000 + number:,}",
                   drawCRS=str(400 + number % 90),
                   drawCutOff=f"{cut:%B %d, %Y} at 1{number % 10}:0{number % 6}:33 UTC",
                   drawDistributionAsOn=f"{day:%B %d, %Y}")
        rounds.append(raw)
    return list(reversed(rounds))


def test_a_whole_history_imports_and_builds(site: SiteFolder, tmp_path: Path) -> None:
    source = write_source(tmp_path, _history(420))
    started = time.perf_counter()
    result = run(site, source)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Imported: 420 added, 0 updated, 0 unchanged."
    again = run(site, source)
    assert again.stdout.splitlines()[-1] == "Imported: 0 added, 0 updated, 420 unchanged."
    built = site.build("--now", "2027-01-01")
    assert built.exit_code == 0, built.output
    assert len(list((site.output / "draws").glob("*/index.html"))) == 420
    assert "(420 articles" in built.output
    assert time.perf_counter() - started < 20


def test_render_entry_leaves_out_what_ircc_does_not_give() -> None:
    import datetime as dt
    text = render_entry({"round": None, "date": dt.date(2025, 1, 2), "type": "program",
                         "category": "general", "invitations": 5, "min_crs": 500,
                         "tie_break": None, "pool": None})
    assert text == ("# yaml-language-server: $schema=../schema/draw.schema.json\n"
                    "date: 2025-01-02\ntype: program\ncategory: general\ninvitations: 5\n"
                    "min_crs: 500\n")
