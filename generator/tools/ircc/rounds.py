"""Read IRCC's official rounds data (`ee_rounds_123_en.json`) into typed rounds.

IRCC publishes every Express Entry round as a JSON object with a `rounds`
list, newest first. Every field is a string written by hand over ten years:
numbers carry thousands separators ("4,000"), tie-break times are free text
in many spellings ("March 1, 2026 at 18:34:05 UTC", "November 09,2022
14:21:26 UTC", "February 02, 2023, at 15:12:01 UTC", "May 3rd, 2019 at
2:05:11 p.m. UTC"). This module reads what can be read with certainty and
reports the rest; it never guesses a zone, a day order or a missing digit.

Nothing here knows about categories or files: see `tools.ircc.importer`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from ...core.models import POOL_BANDS, Pool, RoundId, draw_time_fits, empty_pool
from ...core.options import year_problem
from ...source.sitefiles import read_regular
from . import DEFAULT_TIMEOUT, MAX_TIMEOUT, OFFICIAL_URL  # noqa: F401 - also this module's

if TYPE_CHECKING:
    import ssl

MAX_SOURCE_BYTES = 32 * 1024 * 1024

# dd1 .. dd18, in IRCC's order, are the bands of generator.models.POOL_BANDS.
POOL_FIELDS = tuple(f"dd{n}" for n in range(1, len(POOL_BANDS) + 1))

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


_POSITIONAL = " in the list"  # the end of a label made from a round's place in the file


class SourceError(Exception):
    """The source cannot be read at all (missing, offline, not IRCC's JSON)."""


class Unreadable(ValueError):
    """A value that cannot be read with certainty; the message says why."""


@dataclass(frozen=True)
class Issue:
    """Something wrong with one round. Errors make the round invalid; warnings
    mean a value was left empty."""

    round: str  # how the round is shown in messages: "357" or "#12 in the list"
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"round {self.round}: {self.field}: {prefix}{self.message}"


@dataclass(frozen=True)
class Round:
    """One round of invitations, as read from IRCC's file."""

    label: str  # how the round is shown in messages: drawNumber, or its place in the list
    number: RoundId | None  # IRCC's round identifier (357, 91a), when it is one
    date: dt.date
    name: str  # IRCC's program or category name (drawName)
    invitations: int
    min_crs: int
    tie_break: dt.datetime | None = None  # always in UTC
    pool: Pool | None = None
    draw_time: dt.datetime | None = None  # when IRCC held the draw, always in UTC
    # IRCC gave a distribution of zeros: it published none for this round (or withdrew
    # the one it had published).
    pool_withheld: bool = False

    @property
    def identifier(self) -> str:
        """IRCC's identifier for the round ("" when the file gives none)."""
        return "" if self.label.endswith(_POSITIONAL) else self.label

    @property
    def sort_key(self) -> tuple[dt.date, RoundId, str]:
        return (self.date, self.number if self.number is not None else RoundId(0), self.label)


@dataclass
class Parsed:
    """Every round that could be read, and what was wrong with the others."""

    rounds: list[Round] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # labels of rounds that were not read
    total: int = 0  # rounds in the source

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


# -- the source ------------------------------------------------------------------------
def is_url(source: str) -> bool:
    """True when SOURCE names a remote resource rather than a local file."""
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source) is not None


def check_url(source: str) -> None:
    """Refuse anything but an https URL with a host (raises ValueError)."""
    parts = urlsplit(source)
    if parts.scheme.lower() != "https":
        raise ValueError(f"'{source}': remote sources must use https:// "
                         f"(download the file and import it from disk otherwise)")
    if not parts.hostname:
        raise ValueError(f"'{source}' has no host name")


MAX_REDIRECTS = 5
MAX_JSON_DEPTH = 16  # IRCC's file nests three levels (object, rounds list, round)


def tls_context() -> ssl.SSLContext:
    """The TLS settings of downloads: the system's certificate authorities."""
    import ssl
    return ssl.create_default_context()


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Download an https URL within `timeout` seconds in all (connecting, every redirect
    and the whole body, however slowly it comes), following https redirects only, with
    a size limit."""
    import http.client  # only a download needs them
    import ssl

    check_url(url)
    deadline = time.monotonic() + timeout
    try:
        for _ in range(MAX_REDIRECTS + 1):
            status, location, data = _get(url, deadline, timeout)
            if location is None:
                return data
            target = urljoin(url, location)
            if urlsplit(target).scheme.lower() != "https":
                raise SourceError(f"cannot download {url}: it redirects to {target}, which is "
                                  "not https (refused: the file could be read or changed on "
                                  "the way)")
            url = target
        raise SourceError(f"cannot download {url}: more than {MAX_REDIRECTS} redirects")
    except TimeoutError:
        raise SourceError(_offline(url, f"no answer within {timeout:g} s")) from None
    except ssl.SSLError as exc:
        raise SourceError(f"cannot download {url}: secure connection failed ({exc})") from None
    except http.client.HTTPException as exc:
        raise SourceError(f"cannot download {url}: the server's answer is not valid HTTP "
                          f"({type(exc).__name__})") from None
    except (OSError, ValueError) as exc:
        raise SourceError(_offline(url, _reason_text(exc))) from None


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _get(url: str, deadline: float, timeout: float) -> tuple[int, str | None, bytes]:
    """One GET: (status, redirect location or None, body)."""
    import http.client

    from ... import __version__
    parts = urlsplit(url)
    connection = http.client.HTTPSConnection(parts.hostname or "", parts.port or 443,
                                             timeout=_left(deadline), context=tls_context())
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers={
            "User-Agent": f"drawdesk/{__version__}", "Accept": "application/json",
            "Accept-Encoding": "identity"})
        sock = connection.sock  # kept: the connection lets go of it once the answer starts
        sock.settimeout(_left(deadline))
        response = connection.getresponse()
        if response.status in (301, 302, 303, 307, 308):
            location = response.getheader("Location")
            if not location:
                raise SourceError(f"cannot download {url}: the server answered "
                                  f"{response.status} without saying where to")
            return response.status, location, b""
        if response.status != 200:
            raise SourceError(f"cannot download {url}: the server answered {response.status} "
                              f"{response.reason}")
        chunks: list[bytes] = []
        size = 0
        while True:  # a deadline for the whole body, not only for each read
            sock.settimeout(_left(deadline))
            chunk = response.read1(1 << 16)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_SOURCE_BYTES:
                raise SourceError(f"{url} is larger than {MAX_SOURCE_BYTES} bytes; is it "
                                  "IRCC's file?")
            chunks.append(chunk)
        return response.status, None, b"".join(chunks)
    finally:
        connection.close()


def _reason_text(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _offline(url: str, why: str) -> str:
    return (f"cannot download {url}: {why} (are you offline? download the file with a "
            f"browser and import it from disk: drawdesk import ircc FILE)")


def read_source(source: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The bytes of a local file or an https URL."""
    if is_url(source):
        return fetch(source, timeout)
    path = Path(source)
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise SourceError(f"{source} is larger than {MAX_SOURCE_BYTES} bytes; "
                              "is it IRCC's file?")
        return read_regular(path)  # never waits on a named pipe
    except OSError as exc:
        raise SourceError(f"cannot read {source}: {exc.strerror or exc}") from None


def decode(data: bytes, shown: str) -> list[Any]:
    """The `rounds` list of IRCC's JSON document."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{shown}: byte {exc.start} is not valid UTF-8 "
                          "(IRCC's JSON file expected)") from None
    too_deep = False
    try:
        document = json.loads(text)
        too_deep = _too_deep(document)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{shown}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg} "
                          "(IRCC's rounds file expected)") from None
    except RecursionError:  # nested deeper than the decoder can go
        too_deep = True
    if too_deep:
        raise SourceError(f"{shown}: JSON nested more than {MAX_JSON_DEPTH} levels deep "
                          "(IRCC's rounds file, three levels deep, expected)")
    if isinstance(document, list):
        rounds = document
    elif isinstance(document, dict) and isinstance(document.get("rounds"), list):
        rounds = document["rounds"]
    else:
        raise SourceError(f"{shown}: no 'rounds' list found (IRCC's rounds file, an object "
                          "with a 'rounds' list, expected)")
    return rounds


def _too_deep(document: object) -> bool:
    """Whether `document` nests lists and objects deeper than MAX_JSON_DEPTH."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            if depth > MAX_JSON_DEPTH:
                return True
            stack.extend((item, depth + 1) for item in value if isinstance(item, dict | list))
    return False


# -- values ----------------------------------------------------------------------------
def _text(value: object) -> str:
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
        return _text(value).casefold().rstrip(".") in _ABSENT
    except Unreadable:
        return False


def parse_number(value: object) -> int:
    """A whole number such as 4000, "4000", "4,000" or "4 000"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise Unreadable(f"{value!r} is not a whole number")
    text = _text(value)
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
    match = _ROUND.fullmatch(_text(value).casefold())
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
    text = _text(value).casefold().rstrip(".")
    if not text:
        raise Unreadable("empty (a date expected)")
    found = _match_date(text, 0, _text(value))
    if found is None or found[1] != len(text):
        raise Unreadable(f"'{_text(value)}' is not a date this importer can read "
                         "(e.g. 2024-08-13 or August 13, 2024)")
    return found[0]


def parse_moment(value: object) -> dt.datetime:
    """A date and time in any of IRCC's spellings, as an aware datetime in the zone it was
    written in (see `parse_datetime`)."""
    shown = _text(value)
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


# -- rounds ----------------------------------------------------------------------------
def _label(raw: dict[str, Any], index: int) -> str:
    value = raw.get("drawNumber")
    try:
        text = "" if is_absent(value) else _text(value)
    except Unreadable:
        text = ""
    return text if text else f"#{index + 1}{_POSITIONAL}"


def _pool(raw: dict[str, Any], label: str, issues: list[Issue]) -> tuple[Pool | None, bool]:
    """The distribution, and whether IRCC gave zeros for it ("not published")."""
    present = [name for name in POOL_FIELDS if not is_absent(raw.get(name))]
    if not present:
        return None, False
    as_of_raw = raw.get("drawDistributionAsOn")
    try:
        as_of = parse_date(as_of_raw)
    except Unreadable as exc:
        issues.append(Issue(label, "drawDistributionAsOn",
                            f"{exc}; the pool distribution is left empty", "warning"))
        return None, False
    bands: dict[str, int] = {}
    for name, band in zip(POOL_FIELDS, POOL_BANDS, strict=True):
        if name not in present:
            continue
        try:
            bands[band] = parse_number(raw.get(name))
        except Unreadable as exc:
            issues.append(Issue(label, name, f"{exc}; band {band} is left empty", "warning"))
    if not bands:
        return None, False
    pool = Pool(as_of, bands)
    if empty_pool(pool):
        if any(bands.values()):
            issues.append(Issue(label, "dd18", "the distribution's total is 0 but some of "
                                "its bands are not; the pool distribution is left empty",
                                "warning"))
        return None, True
    return pool, False


def _tie_break(raw: dict[str, Any], date: dt.date, label: str,
               issues: list[Issue]) -> dt.datetime | None:
    value = raw.get("drawCutOff")
    if is_absent(value):
        return None
    try:
        moment = parse_datetime(value)
    except Unreadable as exc:
        issues.append(Issue(label, "drawCutOff", f"{exc}; tie_break is left empty (write it "
                                                 "by hand if you know it)", "warning"))
        return None
    if moment.date() > date + dt.timedelta(days=1):
        issues.append(Issue(label, "drawCutOff",
                            f"'{_text(value)}' is after the draw ({date}); tie_break is left "
                            "empty", "warning"))
        return None
    return moment


def _draw_time(raw: dict[str, Any], date: dt.date, label: str,
               issues: list[Issue]) -> dt.datetime | None:
    value = raw.get("drawDateTime")
    if is_absent(value):
        return None
    try:
        moment = parse_moment(value)
    except Unreadable as exc:
        issues.append(Issue(label, "drawDateTime", f"{exc}; draw_time is left empty (write "
                                                   "it by hand if you know it)", "warning"))
        return None
    if not draw_time_fits(moment, date):
        issues.append(Issue(label, "drawDateTime",
                            f"'{_text(value)}' contradicts the round's date ({date}: a time "
                            "on that day or the next expected); draw_time is left empty",
                            "warning"))
        return None
    return moment.astimezone(dt.UTC)


def parse_round(raw: object, index: int) -> tuple[Round | None, list[Issue]]:
    """Read one element of the `rounds` list."""
    if not isinstance(raw, dict):
        label = f"#{index + 1} in the list"
        return None, [Issue(label, "round", f"a {type(raw).__name__} found (an object "
                                            "with drawNumber, drawDate, ... expected)")]
    label = _label(raw, index)
    issues: list[Issue] = []

    number = None
    if not is_absent(raw.get("drawNumber")):
        number = parse_round_number(raw.get("drawNumber"))
        if number is None:
            issues.append(Issue(label, "drawNumber", f"'{label}' is not a round identifier (a "
                                "number, optionally followed by one letter); the entry gets "
                                "no round", "warning"))
        elif not 1 <= number.number <= 100000:
            issues.append(Issue(label, "drawNumber", f"{number} is out of range (a round "
                                "number from 1 to 100000 expected)"))

    date = None
    if is_absent(raw.get("drawDate")) and is_absent(raw.get("drawDateFull")):
        issues.append(Issue(label, "drawDate", "missing (the date of the round expected)"))
    else:
        key = "drawDate" if not is_absent(raw.get("drawDate")) else "drawDateFull"
        try:
            date = parse_date(raw.get(key))
        except Unreadable as exc:
            issues.append(Issue(label, key, str(exc)))
        if date is not None and key == "drawDate" and not is_absent(raw.get("drawDateFull")):
            try:
                full = parse_date(raw.get("drawDateFull"))
            except Unreadable:
                full = None  # only a cross-check: the ISO date is the authority
            if full is not None and full != date:
                issues.append(Issue(label, "drawDate",
                                    f"drawDate {date} and drawDateFull "
                                    f"'{_text(raw.get('drawDateFull'))}' disagree "
                                    "(one date expected)"))
                date = None

    name = ""
    try:
        name = _text(raw.get("drawName"))
    except Unreadable as exc:
        issues.append(Issue(label, "drawName", str(exc)))
    if not name and not any(i.field == "drawName" for i in issues):
        issues.append(Issue(label, "drawName", "missing (the program or category expected)"))

    values: dict[str, int] = {}
    for key, what, low, high in (("drawSize", "invitations", 1, 100000),
                                 ("drawCRS", "minimum CRS score", 0, 1200)):
        if is_absent(raw.get(key)):
            issues.append(Issue(label, key, f"missing (the {what} expected)"))
            continue
        try:
            number_value = parse_number(raw.get(key))
        except Unreadable as exc:
            issues.append(Issue(label, key, f"{exc} (the {what} expected)"))
            continue
        if not low <= number_value <= high:
            issues.append(Issue(label, key, f"{number_value} is out of range "
                                            f"({what} from {low} to {high} expected)"))
            continue
        values[key] = number_value

    if any(i.severity == "error" for i in issues) or date is None:
        return None, issues
    draw_time = _draw_time(raw, date, label, issues)
    tie_break = _tie_break(raw, date, label, issues)
    pool, withheld = _pool(raw, label, issues)
    return Round(label=label, number=number, date=date, name=name,
                 invitations=values["drawSize"], min_crs=values["drawCRS"],
                 tie_break=tie_break, pool=pool, draw_time=draw_time,
                 pool_withheld=withheld), issues


def parse_rounds(items: list[Any]) -> Parsed:
    """Read every round; rounds with errors are left out and listed in `invalid`."""
    parsed = Parsed(total=len(items))
    by_number: dict[RoundId, list[int]] = {}
    for index, raw in enumerate(items):
        round_, issues = parse_round(raw, index)
        parsed.issues.extend(issues)
        if round_ is None:
            parsed.invalid.append(issues[0].round if issues else f"#{index + 1} in the list")
            continue
        parsed.rounds.append(round_)
        if round_.number is not None:
            by_number.setdefault(round_.number, []).append(len(parsed.rounds) - 1)
    duplicated = {n: places for n, places in by_number.items() if len(places) > 1}
    if duplicated:
        dropped: set[int] = set()
        for number, places in sorted(duplicated.items()):
            dates = ", ".join(str(parsed.rounds[p].date) for p in places)
            parsed.issues.append(Issue(str(number), "drawNumber",
                                       f"round {number} appears {len(places)} times in the "
                                       f"file (dated {dates}; one round per number expected)"))
            parsed.invalid.append(str(number))
            dropped.update(places)
        parsed.rounds = [r for i, r in enumerate(parsed.rounds) if i not in dropped]
    parsed.rounds.sort(key=lambda r: r.sort_key)
    return parsed
