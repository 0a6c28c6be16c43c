"""Reading IRCC's rounds file: numbers, free-text times, pool distribution, the source."""

from __future__ import annotations

import copy
import datetime as dt
import json
import socket
import threading
from pathlib import Path

import pytest

from drawdesk.core.models import POOL_BANDS, RoundId
from drawdesk.tools.ircc.fetch import SourceError, decode, read_source
from drawdesk.tools.ircc.rounds import parse_round, parse_rounds
from drawdesk.tools.ircc.values import (
    Unreadable,
    parse_date,
    parse_datetime,
    parse_number,
    parse_round_number,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ircc"
OFFICIAL = FIXTURES / "ee_rounds_123_en.json"


def official_rounds() -> list[dict]:
    return json.loads(OFFICIAL.read_text(encoding="utf-8"))["rounds"]


def round_numbered(number: str) -> dict:
    return copy.deepcopy(next(r for r in official_rounds() if r["drawNumber"] == number))


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


# -- tie-break times ------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("March 1, 2026 at 18:34:05 UTC", utc(2026, 3, 1, 18, 34, 5)),
    ("November 09,2022 14:21:26 UTC", utc(2022, 11, 9, 14, 21, 26)),
    ("February 02, 2023, at 15:12:01 UTC", utc(2023, 2, 2, 15, 12, 1)),
    ("June 20th, 2020 at 10:33:05 UTC", utc(2020, 6, 20, 10, 33, 5)),
    ("May 3rd 2019 at 2:05:11 p.m. UTC", utc(2019, 5, 3, 14, 5, 11)),
    ("February 20th, 2026 at 9:05:44 a.m. UTC", utc(2026, 2, 20, 9, 5, 44)),
    ("February 14, 2026 at 11:22:33 PM UTC", utc(2026, 2, 14, 23, 22, 33)),
    ("January 1st, 2020 at 12:00:01 AM UTC", utc(2020, 1, 1, 0, 0, 1)),
    ("January 1, 2020 at 12:30:00 pm UTC", utc(2020, 1, 1, 12, 30)),
    ("June 01, 2025 at 10:00:00 UTC.", utc(2025, 6, 1, 10)),
    ("  July   20 ,  2024,  at 20:33 UTC ", utc(2024, 7, 20, 20, 33)),
    ("Sept. 4, 2024 at 09:00:00 (UTC)", utc(2024, 9, 4, 9)),
    ("20 July 2024 20:33:38 GMT", utc(2024, 7, 20, 20, 33, 38)),
    ("2024-07-20T20:33:38Z", utc(2024, 7, 20, 20, 33, 38)),
    ("2024-07-20 20:33:38 +00:00", utc(2024, 7, 20, 20, 33, 38)),
    ("July 20, 2024 at 16:33:38 UTC-04:00", utc(2024, 7, 20, 20, 33, 38)),
    ("July&nbsp;20, 2024 at 20:33:38&nbsp;UTC", utc(2024, 7, 20, 20, 33, 38)),
    # IRCC's own texts (rounds 322, 277, 210, 270, 333, 297, 252, 437, 76)
    ("March 02. 2024 at 01:58:34 UTC", utc(2024, 3, 2, 1, 58, 34)),
    ("August 30. 2023 at 17:30:21 UTC", utc(2023, 8, 30, 17, 30, 21)),
    ("June 22, 2021 at 20:19:59 PM UTC", utc(2021, 6, 22, 20, 19, 59)),
    ("October 25, 2023 at 15:48:39 AM UTC", utc(2023, 10, 25, 15, 48, 39)),
    ("September 30, 2023 at 04:22:17 AM UTC", utc(2023, 9, 30, 4, 22, 17)),
    ("January 23, 2025 at 2025-01-23 15:30:04 UTC", utc(2025, 1, 23, 15, 30, 4)),
    ("May 31, 2024 at12:48:30 UTC", utc(2024, 5, 31, 12, 48, 30)),
    ("June 28, 2023 14:04:34 UTC", utc(2023, 6, 28, 14, 4, 34)),
    ("August 19th 2026 at 12:35:37 UTC", utc(2026, 8, 19, 12, 35, 37)),
    ("November 1, 2017, at 12:55:44 UTC", utc(2017, 11, 1, 12, 55, 44)),
    ("January 1, 2020 at 00:30:00 AM UTC", utc(2020, 1, 1, 0, 30)),
])
def test_tie_break_spellings(text: str, expected: dt.datetime) -> None:
    value = parse_datetime(text)
    assert value == expected and value.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(("text", "reason"), [
    ("January 15, 2023 at 17:00:11", "has no time zone"),
    ("January 15, 2023 at 5:00:11 p.m.", "has no time zone"),
    ("January 15, 2023 at 17:00:11 EST", "'est' is not a time zone"),
    ("January 15, 2023 at 00:00:11 pm UTC", "does not fit a 12-hour clock"),
    ("January 23, 2025 at 2025-01-24 15:30:04 UTC", "gives two different dates"),
    ("October 7 at 16:38:21 UTC", "has no year"),  # round 208
    ("June 15, 2023 at 23:49:05", "has no time zone"),  # round 258
    ("January 15, 2023 at 25:00:11 UTC", "is not a real time of day"),
    ("February 30, 2024 at 10:00:00 UTC", "is not a real calendar date"),
    ("Janvier 15, 2023 at 17:00:11 UTC", "'janvier' is not a month"),
    ("01/15/2023 17:00:11 UTC", "does not start with a date"),
    ("March 12026 at 10:00:00 UTC", "does not start with a date"),
    ("January 15, 2023 UTC", "has no time of day"),
    ("January 15, 2023 at 17:00:11 UTC+19", "not a real time zone offset"),
])
def test_unreadable_tie_breaks_are_refused(text: str, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        parse_datetime(text)


# -- numbers and dates ------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [
    ("4,000", 4000), ("4000", 4000), (" 4 000 ", 4000), ("1,234,567", 1234567), (4000, 4000),
    ("4\u00a0000", 4000),
])
def test_numbers_with_separators(value: object, expected: int) -> None:
    assert parse_number(value) == expected


@pytest.mark.parametrize("value", ["4,00", "4.000", "2,75O", "", "12a", 4000.0, True, None])
def test_unparsable_numbers(value: object) -> None:
    with pytest.raises(Unreadable):
        parse_number(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("357", RoundId(357)), (" 357 ", RoundId(357)), ("#12", RoundId(12)),
    ("Round 12", RoundId(12)), ("No. 4", RoundId(4)), (88, RoundId(88)),
    ("91a", RoundId(91, "a")), ("91b", RoundId(91, "b")), ("12-B", None), ("91ab", None),
    ("a91", None),
])
def test_round_identifiers(value: object, expected: RoundId | None) -> None:
    assert parse_round_number(value) == expected


def test_round_identifiers_are_ordered_by_number_then_letter() -> None:
    ids = [RoundId.parse(text) for text in ("92", "91b", "91", "91a", "100", "9")]
    assert [str(i) for i in sorted(ids)] == ["9", "91", "91a", "91b", "92", "100"]


@pytest.mark.parametrize("text", ["2024-08-13", "August 13, 2024", "Aug. 13th 2024",
                                  "13 August 2024", "AUGUST 13,2024"])
def test_dates(text: str) -> None:
    assert parse_date(text) == dt.date(2024, 8, 13)


@pytest.mark.parametrize("text", ["08/13/2024", "2024-13-08", "August 2024", ""])
def test_unreadable_dates(text: str) -> None:
    with pytest.raises(Unreadable):
        parse_date(text)


# -- rounds ---------------------------------------------------------------------------------
def test_the_official_fixture() -> None:
    parsed = parse_rounds(official_rounds())
    assert parsed.total == 13
    assert parsed.invalid == ["230", "229"]
    assert [r.number for r in parsed.rounds] == [RoundId(n) for n in (
        150, 240, 250, 254, 300, 320, 350, 351, 399, 400, 401)]
    assert [str(e) for e in parsed.errors] == [
        "round 230: drawCRS: missing (the minimum CRS score expected)",
        "round 229: drawSize: '2,75O' is not a whole number (the invitations expected)",
    ]
    assert [(w.item, w.field) for w in parsed.warnings] == [("round 240", "drawCutOff")]
    by_number = {r.number.number: r for r in parsed.rounds}
    newest = by_number[401]
    assert (newest.date, newest.invitations, newest.min_crs) == (dt.date(2026, 3, 4), 2500, 462)
    assert newest.name == "Healthcare and Social Services Occupations, 2026-Version 3"
    assert newest.tie_break == utc(2026, 3, 1, 18, 34, 5)
    assert by_number[250].tie_break is None and by_number[250].pool is None
    assert by_number[240].tie_break is None


def test_pool_distribution_follows_ircc_band_order() -> None:
    raw = round_numbered("401")
    round_, issues = parse_round(raw, 0)
    assert issues == [] and round_ is not None and round_.pool is not None
    assert round_.pool.as_of == dt.date(2026, 3, 2)
    assert list(round_.pool.bands) == list(POOL_BANDS)
    for n, band in enumerate(POOL_BANDS, start=1):
        assert round_.pool.bands[band] == int(raw[f"dd{n}"].replace(",", ""))
    bands = round_.pool.bands
    assert bands["total"] == sum(bands[b] for b in ("601-1200", "501-600", "451-500",
                                                     "401-450", "351-400", "301-350", "0-300"))


def test_an_unreadable_pool_value_is_left_empty_and_reported() -> None:
    raw = round_numbered("401")
    raw["dd3"] = "31,O56"
    round_, issues = parse_round(raw, 0)
    assert round_ is not None and "451-500" not in round_.pool.bands
    assert len(round_.pool.bands) == 17
    assert [str(i) for i in issues] == [
        "round 401: dd3: warning: '31,O56' is not a whole number; band 451-500 is left empty"]


def test_a_pool_without_a_readable_date_is_left_empty() -> None:
    raw = round_numbered("401")
    raw["drawDistributionAsOn"] = "sometime in March"
    round_, issues = parse_round(raw, 0)
    assert round_ is not None and round_.pool is None
    assert issues[0].field == "drawDistributionAsOn" and issues[0].severity == "warning"


def test_a_tie_break_after_the_draw_is_left_empty() -> None:
    raw = round_numbered("401")
    raw["drawCutOff"] = "March 1, 2062 at 18:34:05 UTC"
    round_, issues = parse_round(raw, 0)
    assert round_ is not None and round_.tie_break is None
    assert "is after the draw" in issues[0].message


@pytest.mark.parametrize("value", ["", "N/A", "-", None])
def test_a_missing_tie_break_is_not_a_problem(value: object) -> None:
    raw = round_numbered("401")
    raw["drawCutOff"] = value
    round_, issues = parse_round(raw, 0)
    assert round_ is not None and round_.tie_break is None and issues == []


def test_a_round_identifier_with_a_letter_is_kept() -> None:
    raw = round_numbered("401")
    raw["drawNumber"] = "401a"
    round_, issues = parse_round(raw, 0)
    assert round_ is not None and round_.number == RoundId(401, "a") and issues == []


def test_a_round_identifier_that_is_not_one_is_kept_out_of_the_entry() -> None:
    raw = round_numbered("401")
    raw["drawNumber"] = "401-B"
    round_, issues = parse_round(raw, 0)
    assert round_ is not None and round_.number is None and round_.identifier == "401-B"
    assert [str(i) for i in issues] == [
        "round 401-B: drawNumber: warning: '401-B' is not a round identifier (a number, "
        "optionally followed by one letter); the entry gets no round"]


def test_dates_that_disagree_are_an_error() -> None:
    raw = round_numbered("401")
    raw["drawDateFull"] = "March 5, 2026"
    round_, issues = parse_round(raw, 0)
    assert round_ is None
    assert "drawDate 2026-03-04 and drawDateFull 'March 5, 2026' disagree" in issues[0].message


def test_a_round_without_number_is_named_by_its_place() -> None:
    raw = round_numbered("401")
    raw["drawNumber"] = ""
    del raw["drawCRS"]
    round_, issues = parse_round(raw, 4)
    assert round_ is None
    assert str(issues[0]) == "round #5 in the list: drawCRS: missing (the minimum CRS score " \
                             "expected)"


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"drawSize": "0"}, "drawSize", "0 is out of range"),
    ({"drawCRS": "1,300"}, "drawCRS", "1300 is out of range"),
    ({"drawName": ""}, "drawName", "missing"),
    ({"drawDate": "", "drawDateFull": ""}, "drawDate", "missing"),
    ({"drawDate": "04/03/2026"}, "drawDate", "is not a date"),
    ({"drawNumber": "0"}, "drawNumber", "out of range"),
])
def test_malformed_rounds(change: dict, field: str, message: str) -> None:
    raw = round_numbered("401")
    raw.update(change)
    round_, issues = parse_round(raw, 0)
    assert round_ is None
    assert issues[0].field == field and message in issues[0].message


def test_a_round_that_is_not_an_object() -> None:
    parsed = parse_rounds(["oops"])
    assert parsed.rounds == [] and parsed.invalid == ["#1 in the list"]


def test_a_round_number_used_twice_is_an_error() -> None:
    first, second = round_numbered("401"), round_numbered("400")
    second["drawNumber"] = "401"
    parsed = parse_rounds([first, second])
    assert parsed.rounds == [] and parsed.invalid == ["401"]
    assert "round 401 appears 2 times" in parsed.errors[0].message


# -- the source -----------------------------------------------------------------------------
def test_decode_accepts_the_official_shape_a_bom_and_a_bare_list() -> None:
    data = OFFICIAL.read_bytes()
    assert len(decode(data, "f")) == 13
    assert len(decode(b"\xef\xbb\xbf" + data, "f")) == 13
    assert decode(b"[]", "f") == []


@pytest.mark.parametrize(("data", "message"), [
    (b"{not json", "f:1:2: not valid JSON"),
    (b'{"draws": []}', "no 'rounds' list found"),
    (b"\xff\xfe", "is not valid UTF-8"),
])
def test_decode_refuses_other_files(data: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        decode(data, "f")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        read_source(str(tmp_path / "nope.json"))


@pytest.mark.parametrize("url", ["http://www.canada.ca/x.json", "ftp://example.org/x.json",
                                 "https:///x.json"])
def test_only_https_urls_are_fetched(url: str) -> None:
    with pytest.raises(ValueError):
        read_source(url)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_refused_connection_is_a_clear_error() -> None:
    with pytest.raises(SourceError, match="are you offline"):
        read_source(f"https://127.0.0.1:{_free_port()}/ee_rounds_123_en.json", timeout=2)


def test_a_silent_server_times_out() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)  # accepts the connection, never answers the TLS handshake
        port = server.getsockname()[1]
        with pytest.raises(SourceError, match=r"no answer within 0\.3 s"):
            read_source(f"https://127.0.0.1:{port}/ee_rounds_123_en.json", timeout=0.3)


def test_a_slow_local_server_is_cut_off_by_the_timeout() -> None:
    """A plain-HTTP server on 127.0.0.1 that answers nothing: https must still time out."""
    ready = threading.Event()
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]

        def hold() -> None:
            ready.set()
            try:
                conn, _ = server.accept()
                conn.recv(1024)
                conn.close()
            except OSError:
                pass
        thread = threading.Thread(target=hold, daemon=True)
        thread.start()
        ready.wait()
        with pytest.raises(SourceError, match="cannot download"):
            read_source(f"https://127.0.0.1:{port}/", timeout=0.5)
        thread.join(timeout=2)
