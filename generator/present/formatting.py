"""How numbers, dates and times are written in each language.

Numbers and dates come from Babel's CLDR data for Canadian English and
Canadian French, so each edition follows its own conventions ("4,000" and
"July 22, 2025"; "4 000" with a no-break space and "22 juillet 2025") rather
than rules written by hand. The few conventions CLDR does not cover (the
French "1er" of a month's first day, ordinal abbreviations) are below.
"""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

# The CLDR locale of each edition: the site reports on Canada's Express Entry.
LOCALES = {"en": "en_CA", "fr": "fr_CA"}
_SHORT = {"en": "MMM d, y", "fr": "d MMM y"}  # abbreviated months, in each locale's order
# Babel takes microseconds per call and a site writes the same figures and dates on
# many pages (every year table): the formatters below remember their results, and
# pass Babel parsed locales (parsing one takes as long as formatting).
_remember = lru_cache(maxsize=1 << 16, typed=True)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


@_remember
def number(value: int, lang: str = "en") -> str:
    """4000 -> '4,000' (en), '4 000' with a no-break space (fr)."""
    return format_decimal(value, locale=_locale(lang))


def signed(value: int, lang: str = "en") -> str:
    """A change with its sign: '+12', '−8', '0'."""
    if value > 0:
        return f"+{number(value, lang)}"
    if value < 0:
        return f"\u2212{number(-value, lang)}"
    return "0"


@_remember
def long_date(value: dt.date, lang: str = "en") -> str:
    """2025-06-04 -> 'June 4, 2025' (en), '4 juin 2025' (fr); the 1st is '1er' in French."""
    if lang == "fr" and value.day == 1:
        return format_date(value, "d'er' MMMM y", locale=_locale(lang))
    return format_date(value, "long", locale=_locale(lang))


@_remember
def short_date(value: dt.date, lang: str = "en") -> str:
    """2025-06-04 -> 'Jun 4, 2025' (en), '4 juin 2025' (fr): for chart axes."""
    pattern = "d'er' MMM y" if lang == "fr" and value.day == 1 else _SHORT[lang]
    return format_date(value, pattern, locale=_locale(lang))


@_remember
def month_year(value: dt.date, lang: str = "en") -> str:
    """2025-06-04 -> 'Jun 2025' (en), 'juin 2025' (fr): for chart axes."""
    return format_date(value, "LLL y", locale=_locale(lang))


def clock(value: dt.datetime, lang: str = "en", seconds: bool = True) -> str:
    """A time of day in its own zone: '13:08:29 UTC' (en), '13 h 8 min 29 s UTC' (fr);
    without `seconds`: '13:08 UTC', '13 h 08 UTC'. French prose writes no leading zero
    on the hour (nor on minutes and seconds counted in units: '5 h 38 min 2 s')."""
    offset = value.utcoffset() or dt.timedelta(0)
    if offset == dt.timedelta(0):
        zone = "UTC"
    else:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "\u2212"
        zone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    if lang == "en":  # news style keeps the 24-hour clock CLDR's en_CA does not use
        return f"{value:%H:%M:%S} {zone}" if seconds else f"{value:%H:%M} {zone}"
    if seconds:
        return f"{value.hour} h {value.minute} min {value.second} s {zone}"
    return f"{value.hour} h {value.minute:02d} {zone}"


def date_time(value: dt.datetime, lang: str = "en", seconds: bool = True) -> str:
    """'March 13, 2025 at 13:08:29 UTC' (en), '13 mars 2025 à 13 h 8 min 29 s UTC' (fr):
    the date and time in the moment's own zone."""
    joined = " at " if lang == "en" else " à "
    return long_date(value.date(), lang) + joined + clock(value, lang, seconds)


def french_de(phrase: str) -> str:
    """'de' before a French noun phrase with its article: 'le Programme ...' -> 'du Programme
    ...', 'les ...' -> 'des ...', 'la catégorie ...' -> 'de la catégorie ...', "l’..." ->
    "de l’..."."""
    for article, joined in (("le ", "du "), ("les ", "des ")):
        if phrase.startswith(article):
            return joined + phrase[len(article):]
    return "de " + phrase


def ordinal(value: int, lang: str = "en", gender: str = "f") -> str:
    """1 -> '1st', 22 -> '22nd' (en); '1re' or '1er' by gender, '22e' (fr)."""
    if lang == "fr":
        if value == 1:
            return "1re" if gender == "f" else "1er"
        return f"{value}e"
    if 10 <= value % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def w3c_moment(value: dt.datetime) -> str:
    """A moment as a sitemap `lastmod`: W3C date-time, UTC."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
