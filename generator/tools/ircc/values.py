"""Reading IRCC's hand-written values: numbers with separators, dates and times in many
spellings. What can be read with certainty is read; anything else is `Unreadable`,
with a message saying why (never a guessed zone, day order or digit)."""

from __future__ import annotations

import datetime as dt
import html
import re

from ...core.models import RoundId
from ...core.options import year_problem

# Values that say "there is nothing here" rather than being unreadable.
_ABSENT = {"", "-", "--", "\u2013", "\u2014", "n/a", "na", "none", "null", "not applicable",
           "nil"}

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>[a-z]+)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?=[\s,.])"
_YEAR = r"(?P<year>\d{4})"
_DATE_PATTERNS = (
    # March 1, 2026 / November 09,2022 / March 02. 2024 (a full stop for the comma)
    re.compile(rf"{_MONTH}\s*{_DAY}\s*[,.]?\s*{_YEAR}"),
    re.compile(rf"{_DAY}\s+{_MONTH}\s*,?\s*{_YEAR}"),  # 1 March 2026
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"),  # 2026-03-01
)
_TIME = re.compile(
    r"(?P<hour>\d{1,2})\s*[:.h]\s*(?P<minute>\d{2})(?:\s*[:.]\s*(?P<second>\d{2}))?"
    r"\s*(?P<ampm>a\.?\s*m\.?|p\.?\s*m\.?)?")
_ZONE = re.compile(
    r"\(?\s*(?:(?P<utc>utc|gmt|z)(?:\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?)?"
    r"|(?P<sign2>[+-])(?P<oh2>\d{2}):?(?P<om2>\d{2}))\s*\)?")
_SEPARATOR = re.compile(r"\s*(?:,\s*)?(?:(?:at|@|t)\s*)?(?:,\s*)?")
_NUMBER = re.compile(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+")
_ROUND = re.compile(r"(?:round\s*)?(?:#|no\.?\s*|number\s*)?(?P<id>\d+[a-z]?)")



class Unreadable(ValueError):
    """A value that cannot be read with certainty; the message says why."""


def text_of(value: object) -> str:
    """A field's text, with HTML entities decoded and spaces normalized."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise Unreadable(f"{value!r} is not text")
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        raise Unreadable(f"a {type(value).__name__} found (text expected)")
    text = html.unescape(value)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def is_absent(value: object) -> bool:
    """True for a missing or explicitly empty value ("", "N/A", "-")."""
    try:
        return text_of(value).casefold().rstrip(".") in _ABSENT
    except Unreadable:
        return False


def parse_number(value: object) -> int:
    """A whole number such as 4000, "4000", "4,000" or "4 000"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise Unreadable(f"{value!r} is not a whole number")
    text = text_of(value)
    if not text:
        raise Unreadable("empty (a whole number expected)")
    if not _NUMBER.fullmatch(text):
        raise Unreadable(f"'{value}' is not a whole number")
    return int(re.sub(r"[^\d]", "", text))


def parse_round_number(value: object) -> RoundId | None:
    """IRCC's round identifier (357, or a number and one letter: 91a), or None when the
    text is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return RoundId(value)
    match = _ROUND.fullmatch(text_of(value).casefold())
    return RoundId.parse(match["id"]) if match else None


def _match_date(text: str, pos: int, shown: str) -> tuple[dt.date, int] | None:
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text, pos)
        if match is None:
            continue
        month_text = match["month"]
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text)
        if month is None:
            raise Unreadable(f"'{shown}': '{month_text}' is not a month")
        try:
            date = dt.date(int(match["year"]), month, int(match["day"]))
        except ValueError:
            raise Unreadable(f"'{shown}' is not a real calendar date") from None
        problem = year_problem(date)
        if problem is not None:
            raise Unreadable(f"'{shown}': {problem}")
        return date, match.end()
    return None


def parse_date(value: object) -> dt.date:
    """A date written as 2024-08-13, "August 13, 2024", "Aug. 13th 2024" or "13 August 2024".

    Numeric day/month orders such as 08/13/2024 are refused: they are ambiguous.
    """
    text = text_of(value).casefold().rstrip(".")
    if not text:
        raise Unreadable("empty (a date expected)")
    found = _match_date(text, 0, text_of(value))
    if found is None or found[1] != len(text):
        raise Unreadable(f"'{text_of(value)}' is not a date this importer can read "
                         "(e.g. 2024-08-13 or August 13, 2024)")
    return found[0]


def parse_moment(value: object) -> dt.datetime:
    """A date and time in any of IRCC's spellings, as an aware datetime in the zone it was
    written in (see `parse_datetime`)."""
    shown = text_of(value)
    text = shown.casefold().rstrip(".;, ")
    if not text:
        raise Unreadable("empty (a date and time expected)")
    found = _match_date(text, 0, shown)
    if found is None:
        month = re.match(rf"{_MONTH}\s*{_DAY}", text)
        if month and month["month"] in _MONTHS:  # "October 7 at 16:38:21 UTC"
            raise Unreadable(f"'{shown}' has no year (and drawdesk does not guess one)")
        raise Unreadable(f"'{shown}' does not start with a date this importer can read")
    date, pos = found
    separator = _SEPARATOR.match(text, pos)
    pos = separator.end() if separator else pos
    again = _match_date(text, pos, shown)  # "January 23, 2025 at 2025-01-23 15:30:04 UTC"
    if again is not None:
        if again[0] != date:
            raise Unreadable(f"'{shown}' gives two different dates")
        pos = again[1]
        separator = _SEPARATOR.match(text, pos)
        pos = separator.end() if separator else pos
    time = _TIME.match(text, pos)
    if time is None:
        raise Unreadable(f"'{shown}' has no time of day")
    pos = time.end()
    hour, minute = int(time["hour"]), int(time["minute"])
    second = int(time["second"] or 0)
    ampm = (time["ampm"] or "").replace(".", "").replace(" ", "")
    if ampm and not 13 <= hour <= 23:  # 20:19:59 PM: a 24-hour time, the suffix redundant
        if not 1 <= hour <= 12 and not (hour == 0 and ampm == "am"):
            raise Unreadable(f"'{shown}': hour {hour} does not fit a 12-hour clock")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise Unreadable(f"'{shown}' is not a real time of day")
    rest = text[pos:].strip(" ,")
    if not rest:
        raise Unreadable(f"'{shown}' has no time zone (and drawdesk does not guess one)")
    zone = _ZONE.fullmatch(rest)
    if zone is None:
        raise Unreadable(f"'{shown}': '{rest}' is not a time zone this importer can read "
                         "(UTC, GMT or an offset such as -04:00)")
    sign, oh, om = zone["sign"] or zone["sign2"], zone["oh"] or zone["oh2"], zone["om"] or \
        zone["om2"]
    offset = dt.timedelta(0)
    if sign:
        offset = dt.timedelta(hours=int(oh), minutes=int(om or 0))
        if offset > dt.timedelta(hours=14):
            raise Unreadable(f"'{shown}': offset {sign}{oh} is not a real time zone offset")
        offset = -offset if sign == "-" else offset
    return dt.datetime(date.year, date.month, date.day, hour, minute, second,
                       tzinfo=dt.timezone(offset))


def parse_datetime(value: object) -> dt.datetime:
    """A tie-break or draw time in any of IRCC's spellings, as an aware UTC datetime.

    Raises `Unreadable` when any part is missing or unclear; a time without a zone
    is refused (IRCC writes UTC, but that is not a reason to assume it). What a
    person reads without guessing is read: a full stop for the comma ("March 02.
    2024"), a 24-hour time with a redundant AM or PM ("20:19:59 PM"), the date
    written twice ("January 23, 2025 at 2025-01-23 15:30:04 UTC").
    """
    return parse_moment(value).astimezone(dt.UTC)


