"""How numbers, dates and times are written in each language.

English follows Canadian English news style: "4,000", "July 22, 2025".
"""

from __future__ import annotations

import datetime as dt

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def number(value: int, lang: str = "en") -> str:
    """4000 -> '4,000'."""
    return f"{value:,}"


def signed(value: int, lang: str = "en") -> str:
    """A change with its sign: '+12', '−8', '0'."""
    if value > 0:
        return f"+{number(value, lang)}"
    if value < 0:
        return f"\u2212{number(-value, lang)}"
    return "0"


def long_date(value: dt.date, lang: str = "en") -> str:
    """2025-06-04 -> 'June 4, 2025'."""
    return f"{_MONTHS['en'][value.month - 1]} {value.day}, {value.year}"


def short_date(value: dt.date, lang: str = "en") -> str:
    """2025-06-04 -> 'Jun 4, 2025': for chart axes, where space is short."""
    return f"{_MONTHS['en'][value.month - 1][:3]} {value.day}, {value.year}"


def month_year(value: dt.date, lang: str = "en") -> str:
    """2025-06-04 -> 'Jun 2025': for chart axes."""
    return f"{_MONTHS['en'][value.month - 1][:3]} {value.year}"


def date_time(value: dt.datetime, lang: str = "en") -> str:
    """A tie-break time as written in its own zone: 'March 13, 2025 at 13:08:29 UTC'."""
    offset = value.utcoffset() or dt.timedelta(0)
    if offset == dt.timedelta(0):
        zone = "UTC"
    else:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "\u2212"
        zone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{long_date(value.date(), lang)} at {value:%H:%M:%S} {zone}"


def ordinal(value: int, lang: str = "en") -> str:
    """1 -> '1st', 22 -> '22nd'."""
    if 10 <= value % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many
