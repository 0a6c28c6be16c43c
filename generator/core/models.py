"""Typed models of the content: the site, its categories, its draws.

Plain frozen dataclasses, read from the content folder by the source stage
(whose field table, `source.fields`, says how each is written) and never
changed after.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar
from zoneinfo import ZoneInfo

# The editions a site can publish. A value given without a language is English.
LANGUAGES = ("en", "fr")
PLAIN_LANGUAGE = "en"
SECTION_KEYS = ("lede", "details", "meaning", "impact", "next_steps", "conclusion")
DRAW_TYPES = ("category-based", "program")
SELECTIONS = ("category", "program", "general")
NEW_ROUNDS = ("publish", "draft")  # what the importer does with a round new to the site
# The bands of the pool's CRS score distribution, as IRCC publishes them.
POOL_BANDS = (
    "601-1200", "501-600", "451-500", "491-500", "481-490", "471-480", "461-470", "451-460",
    "401-450", "441-450", "431-440", "421-430", "411-420", "401-410", "351-400", "301-350",
    "0-300", "total",
)

_ROUND_ID = re.compile(r"([0-9]+)([a-z]?)")


@dataclass(frozen=True, order=True)
class RoundId:
    """IRCC's identifier of a round: a number, optionally followed by one lowercase letter
    (IRCC numbered two rounds of 2018-05-30 "91a" and "91b"). Ordered by number, then
    letter: 91, 91a, 91b, 92."""

    number: int
    letter: str = ""

    def __str__(self) -> str:
        return f"{self.number}{self.letter}"

    @classmethod
    def parse(cls, text: str) -> RoundId | None:
        """'91a' -> RoundId(91, 'a'); None for anything else than digits and one letter."""
        match = _ROUND_ID.fullmatch(text)
        return cls(int(match[1]), match[2]) if match else None


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str


@dataclass(frozen=True)
class Site:
    title: dict[str, str]
    base_url: str  # always ends with "/"
    language: str
    languages: tuple[str, ...]
    description: dict[str, str]
    publisher: Publisher
    timezone: str
    disclaimer: dict[str, str]
    items_per_page: int = 10
    feed_items: int = 50
    cards: str = "recent"  # share cards: recent (the last 90 days), all, or false (none)
    websub_hub: str | None = None  # the WebSub hub that feeds name, and `ping` notifies
    new_rounds: str = "publish"  # `import: {new_rounds: ...}`, one of NEW_ROUNDS

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def main_language(self) -> str:
        """The edition `language` names (en for en-CA), else the first one published."""
        lang = self.language.split("-")[0].lower()
        return lang if lang in self.languages else self.languages[0]

    @property
    def multilingual(self) -> bool:
        """True when more than one edition is published, each in its own folder."""
        return len(self.languages) > 1

    def tag(self, lang: str) -> str:
        """The language tag of an edition: `language` itself, or lang-REGION (fr-CA)."""
        main, _, region = self.language.partition("-")
        if lang == main.lower():
            return self.language
        return f"{lang}-{region or 'CA'}"


@dataclass(frozen=True)
class Prose:
    focus: dict[str, str]
    invitees: dict[str, str]
    people: dict[str, str]
    people_in: dict[str, str]
    priority: dict[str, str]
    impact_if: dict[str, str]
    rules: dict[str, str]


@dataclass(frozen=True)
class Words:
    """How articles name and describe a category: as it is today, or in an earlier period."""

    name: dict[str, str]
    prose: Prose


@dataclass(frozen=True)
class Period:
    """A category's earlier name and phrases, for draws dated before `before`."""

    before: dt.date
    words: Words


@dataclass(frozen=True)
class Category:
    key: str
    name: dict[str, str]
    label: dict[str, str]
    selection: str
    occupation_based: bool
    eligibility_url: str
    description: dict[str, str]
    prose: Prose
    aliases: tuple[str, ...] = ()
    periods: tuple[Period, ...] = ()  # oldest first

    @property
    def draw_type(self) -> str:
        return "category-based" if self.selection == "category" else "program"

    @property
    def general(self) -> bool:
        """A general draw's category: every program, ranked by CRS score alone (the one
        place that decides it; templates ask `cat.general`)."""
        return self.selection == "general"

    @cached_property
    def words(self) -> Words:
        """The category's name and phrases today."""
        return Words(self.name, self.prose)

    def words_on(self, date: dt.date) -> Words:
        """The name and phrases of the category on `date`: an article uses the words of
        its own time."""
        for period in self.periods:
            if date < period.before:
                return period.words
        return self.words


@dataclass(frozen=True)
class FaqEntry:
    question: str
    answer: str  # Markdown


@dataclass(frozen=True)
class Pool:
    as_of: dt.date
    bands: dict[str, int]


def draw_time_fits(moment: dt.datetime, date: dt.date) -> bool:
    """True when a draw time, read in its own zone, is on the draw's date or the day after
    (invitations often go out after midnight UTC, or the next morning)."""
    return moment.date() in (date, date + dt.timedelta(days=1))


def empty_pool(pool: Pool) -> bool:
    """True for a distribution IRCC did not publish: a total of 0, or every count 0."""
    if "total" in pool.bands:
        return pool.bands["total"] == 0
    return not any(pool.bands.values())


NO_ROUND = RoundId(0)  # sorts before every real round

# The published figures of a draw a correction may name (`corrections[].field`), in the
# order an import records them: the values readers act on.
CORRECTABLE = ("invitations", "min_crs", "date", "draw_time", "tie_break")
CORRECTORS = ("ircc", "editor")  # who corrected: IRCC's record, or the article's editor


@dataclass(frozen=True)
class Correction:
    """A dated note that a published article changed: who corrected it, and, when a figure
    was corrected, which one, from what to what (values of the field's own type)."""

    at: dt.datetime  # when, with its zone
    by: str  # one of CORRECTORS
    figure: str | None = None  # `field:` in the entry, one of CORRECTABLE
    old: int | dt.date | dt.datetime | None = None  # `from:` in the entry
    new: int | dt.date | dt.datetime | None = None  # `to:` in the entry
    note: dict[str, str] = field(default_factory=dict)  # by language


@dataclass(frozen=True)
class Draw:
    """One round of invitations, as the editor wrote it."""

    kind: ClassVar[str] = "draw"  # listings show draws and posts (`Post.kind`) side by side
    source: str  # the file it came from, as shown in messages
    date: dt.date
    type: str
    category: str
    invitations: int
    min_crs: int
    slug: str
    round: RoundId | None = None
    tie_break: dt.datetime | None = None
    draw_time: dt.datetime | None = None  # when IRCC held the draw
    ircc_name: str | None = None  # IRCC's own name for the round
    fixed_id: str | None = None  # `id:` in the entry: the identity, kept as published
    # Editor overrides by language ("en", "fr"); a language without one gets its
    # generated text, never another language's.
    title: dict[str, str] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)
    sections: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> key -> Markdown
    faq: dict[str, tuple[FaqEntry, ...]] = field(default_factory=dict)
    faq_mode: str = "append"
    disclaimer: dict[str, str] = field(default_factory=dict)
    draft: bool = False
    pool: Pool | None = None
    corrections: tuple[Correction, ...] = ()  # as written; derive orders them

    @cached_property  # (a draw is kept between a preview's builds: made once)
    def identity(self) -> str:
        """What makes this draw this draw, for good (feed GUIDs, open data): never the
        title or slug. An entry's `id:` keeps the identity it was published with."""
        if self.fixed_id is not None:
            return self.fixed_id
        return f"round-{self.round}" if self.round is not None else f"{self.date}-{self.category}"

    @cached_property
    def sort_key(self) -> tuple[dt.date, RoundId, str]:
        """Chronological order: date, then round (91a before 91b before 92), then slug."""
        return (self.date, self.round if self.round is not None else NO_ROUND, self.slug)

    @property
    def published(self) -> dt.datetime | dt.date:
        """When the article is dated: the draw's time, else its day alone (never an
        invented time of day)."""
        return self.draw_time if self.draw_time is not None else self.date


@dataclass(frozen=True)
class Post:
    """A news post: Markdown with front matter (content/posts/<date>-<slug>.md), as the
    editor wrote it. Texts are by language; `body` is Markdown whose links to other
    entries by file path are listed in `links`, to be resolved per edition."""

    kind: ClassVar[str] = "post"
    source: str  # the file it came from, as shown in messages
    date: dt.date
    slug: str
    title: dict[str, str]
    summary: dict[str, str]
    body: dict[str, str]  # lang -> Markdown
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    time: dt.datetime | None = None  # when it was published, with its zone
    author: str | None = None
    fixed_id: str | None = None
    faq: dict[str, tuple[FaqEntry, ...]] = field(default_factory=dict)
    disclaimer: dict[str, str] = field(default_factory=dict)
    draft: bool = False
    # Links to other entries as written in the body -> ("draw" or "post", slug).
    links: tuple[tuple[str, str, str], ...] = ()
    corrections: tuple[Correction, ...] = ()  # notes, as written; derive orders them

    @property
    def identity(self) -> str:
        """The post's permanent identifier (feed GUIDs, open data): `id:`, else its slug."""
        return self.fixed_id if self.fixed_id is not None else self.slug

    @property
    def published(self) -> dt.datetime | dt.date:
        """When the post is dated: its time, else its day alone."""
        return self.time if self.time is not None else self.date


@dataclass(frozen=True)
class Content:
    """Everything read from a content folder."""

    site: Site
    categories: dict[str, Category]
    draws: tuple[Draw, ...]
    posts: tuple[Post, ...] = ()
