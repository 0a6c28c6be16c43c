"""Read IRCC's official rounds data (`ee_rounds_123_en.json`) into typed rounds.

IRCC publishes every Express Entry round as a JSON object with a `rounds`
list, newest first. Every field is a string written by hand over ten years:
numbers carry thousands separators ("4,000"), tie-break times are free text
in many spellings ("March 1, 2026 at 18:34:05 UTC", "November 09,2022
14:21:26 UTC", "February 02, 2023, at 15:12:01 UTC", "May 3rd, 2019 at
2:05:11 p.m. UTC"). This module reads what can be read with certainty and
reports the rest (`Problem`s naming the round); it never guesses a zone, a day
order or a missing digit (see `tools.ircc.values`).

Nothing here knows about categories or files: see `tools.ircc.importer`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...core.models import POOL_BANDS, Pool, RoundId, draw_time_fits, empty_pool
from ...core.problems import Problem
from .values import (
    Unreadable,
    is_absent,
    parse_date,
    parse_datetime,
    parse_moment,
    parse_number,
    parse_round_number,
    text_of,
)

# dd1 .. dd18, in IRCC's order, are the bands of generator.models.POOL_BANDS.
POOL_FIELDS = tuple(f"dd{n}" for n in range(1, len(POOL_BANDS) + 1))

_POSITIONAL = " in the list"  # the end of a label made from a round's place in the file


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
    issues: list[Problem] = field(default_factory=list)  # each names its round (`item`)
    invalid: list[str] = field(default_factory=list)  # labels of rounds that were not read
    total: int = 0  # rounds in the source

    @property
    def errors(self) -> list[Problem]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [i for i in self.issues if i.severity == "warning"]


# -- rounds ----------------------------------------------------------------------------
def _problem(label: str, field: str, message: str, severity: str = "error") -> Problem:
    """What is wrong with the round shown as `label` (errors make it invalid; a warning
    means a value was left empty)."""
    return Problem("", 0, 0, field, message, severity, item=f"round {label}")


def _label(raw: dict[str, Any], index: int) -> str:
    value = raw.get("drawNumber")
    try:
        text = "" if is_absent(value) else text_of(value)
    except Unreadable:
        text = ""
    return text if text else f"#{index + 1}{_POSITIONAL}"


def _pool(raw: dict[str, Any], label: str, issues: list[Problem]) -> tuple[Pool | None, bool]:
    """The distribution, and whether IRCC gave zeros for it ("not published")."""
    present = [name for name in POOL_FIELDS if not is_absent(raw.get(name))]
    if not present:
        return None, False
    as_of_raw = raw.get("drawDistributionAsOn")
    try:
        as_of = parse_date(as_of_raw)
    except Unreadable as exc:
        issues.append(_problem(label, "drawDistributionAsOn",
                            f"{exc}; the pool distribution is left empty", "warning"))
        return None, False
    bands: dict[str, int] = {}
    for name, band in zip(POOL_FIELDS, POOL_BANDS, strict=True):
        if name not in present:
            continue
        try:
            bands[band] = parse_number(raw.get(name))
        except Unreadable as exc:
            issues.append(_problem(label, name, f"{exc}; band {band} is left empty", "warning"))
    if not bands:
        return None, False
    pool = Pool(as_of, bands)
    if empty_pool(pool):
        if any(bands.values()):
            issues.append(_problem(label, "dd18", "the distribution's total is 0 but some of "
                                "its bands are not; the pool distribution is left empty",
                                "warning"))
        return None, True
    return pool, False


def _tie_break(raw: dict[str, Any], date: dt.date, label: str,
               issues: list[Problem]) -> dt.datetime | None:
    value = raw.get("drawCutOff")
    if is_absent(value):
        return None
    try:
        moment = parse_datetime(value)
    except Unreadable as exc:
        issues.append(_problem(label, "drawCutOff", f"{exc}; tie_break is left empty (write it "
                                                 "by hand if you know it)", "warning"))
        return None
    if moment.date() > date + dt.timedelta(days=1):
        issues.append(_problem(label, "drawCutOff",
                            f"'{text_of(value)}' is after the draw ({date}); tie_break is left "
                            "empty", "warning"))
        return None
    return moment


def _draw_time(raw: dict[str, Any], date: dt.date, label: str,
               issues: list[Problem]) -> dt.datetime | None:
    value = raw.get("drawDateTime")
    if is_absent(value):
        return None
    try:
        moment = parse_moment(value)
    except Unreadable as exc:
        issues.append(_problem(label, "drawDateTime", f"{exc}; draw_time is left empty (write "
                                                   "it by hand if you know it)", "warning"))
        return None
    if not draw_time_fits(moment, date):
        issues.append(_problem(label, "drawDateTime",
                            f"'{text_of(value)}' contradicts the round's date ({date}: a time "
                            "on that day or the next expected); draw_time is left empty",
                            "warning"))
        return None
    return moment.astimezone(dt.UTC)


def parse_round(raw: object, index: int) -> tuple[Round | None, list[Problem]]:
    """Read one element of the `rounds` list."""
    if not isinstance(raw, dict):
        label = f"#{index + 1} in the list"
        return None, [_problem(label, "round", f"a {type(raw).__name__} found (an object "
                                            "with drawNumber, drawDate, ... expected)")]
    label = _label(raw, index)
    issues: list[Problem] = []

    number = None
    if not is_absent(raw.get("drawNumber")):
        number = parse_round_number(raw.get("drawNumber"))
        if number is None:
            issues.append(_problem(label, "drawNumber", f"'{label}' is not a round identifier (a "
                                "number, optionally followed by one letter); the entry gets "
                                "no round", "warning"))
        elif not 1 <= number.number <= 100000:
            issues.append(_problem(label, "drawNumber", f"{number} is out of range (a round "
                                "number from 1 to 100000 expected)"))

    date = None
    if is_absent(raw.get("drawDate")) and is_absent(raw.get("drawDateFull")):
        issues.append(_problem(label, "drawDate", "missing (the date of the round expected)"))
    else:
        key = "drawDate" if not is_absent(raw.get("drawDate")) else "drawDateFull"
        try:
            date = parse_date(raw.get(key))
        except Unreadable as exc:
            issues.append(_problem(label, key, str(exc)))
        if date is not None and key == "drawDate" and not is_absent(raw.get("drawDateFull")):
            try:
                full = parse_date(raw.get("drawDateFull"))
            except Unreadable:
                full = None  # only a cross-check: the ISO date is the authority
            if full is not None and full != date:
                issues.append(_problem(label, "drawDate",
                                    f"drawDate {date} and drawDateFull "
                                    f"'{text_of(raw.get('drawDateFull'))}' disagree "
                                    "(one date expected)"))
                date = None

    name = ""
    try:
        name = text_of(raw.get("drawName"))
    except Unreadable as exc:
        issues.append(_problem(label, "drawName", str(exc)))
    if not name and not any(i.field == "drawName" for i in issues):
        issues.append(_problem(label, "drawName", "missing (the program or category expected)"))

    values: dict[str, int] = {}
    for key, what, low, high in (("drawSize", "invitations", 1, 100000),
                                 ("drawCRS", "minimum CRS score", 0, 1200)):
        if is_absent(raw.get(key)):
            issues.append(_problem(label, key, f"missing (the {what} expected)"))
            continue
        try:
            number_value = parse_number(raw.get(key))
        except Unreadable as exc:
            issues.append(_problem(label, key, f"{exc} (the {what} expected)"))
            continue
        if not low <= number_value <= high:
            issues.append(_problem(label, key, f"{number_value} is out of range "
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
            parsed.invalid.append(_label(raw, index) if isinstance(raw, dict)
                                  else f"#{index + 1}{_POSITIONAL}")
            continue
        parsed.rounds.append(round_)
        if round_.number is not None:
            by_number.setdefault(round_.number, []).append(len(parsed.rounds) - 1)
    duplicated = {n: places for n, places in by_number.items() if len(places) > 1}
    if duplicated:
        dropped: set[int] = set()
        for number, places in sorted(duplicated.items()):
            dates = ", ".join(str(parsed.rounds[p].date) for p in places)
            parsed.issues.append(_problem(str(number), "drawNumber",
                                          f"round {number} appears {len(places)} times in the "
                                          f"file (dated {dates}; one round per number "
                                          "expected)"))
            parsed.invalid.append(str(number))
            dropped.update(places)
        parsed.rounds = [r for i, r in enumerate(parsed.rounds) if i not in dropped]
    parsed.rounds.sort(key=lambda r: r.sort_key)
    return parsed
