"""Typed models of the content, and the field specs they are read from.

The specs below are the single source of truth for the content schema: the
loader validates with them and `drawdesk schema` prints them as JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from ..source.fields import LANGUAGES, Field, RoundId

SECTION_KEYS = ("lede", "details", "meaning", "impact", "next_steps", "conclusion")
DRAW_TYPES = ("category-based", "program")
SELECTIONS = ("category", "program", "general")
# The bands of the pool's CRS score distribution, as IRCC publishes them.
POOL_BANDS = (
    "601-1200", "501-600", "451-500", "491-500", "481-490", "471-480", "461-470", "451-460",
    "401-450", "441-450", "431-440", "421-430", "411-420", "401-410", "351-400", "301-350",
    "0-300", "total",
)

SITE_FIELDS = (
    Field("title", "langmap", "the site's name", required=True, example="Express Entry Draw Desk"),
    Field("base_url", "url", "the address the site is published at", required=True,
          example="https://example.org/news/"),
    Field("language", "str", "the site's main language tag (default en-CA)", example="en-CA"),
    Field("languages", "list", "the editions to publish (default [en])",
          items=Field("language", "enum", "an edition", choices=LANGUAGES)),
    Field("description", "langmap", "one sentence describing the site", required=True),
    Field("publisher", "map", "who publishes the site", required=True, fields=(
        Field("name", "str", "the publisher's name", required=True),
        Field("url", "url", "the publisher's web address", required=True),
    )),
    Field("timezone", "str", "IANA time zone of draw dates (default America/Toronto)"),
    Field("disclaimer", "langmap", "the disclaimer shown on every article", required=True),
    Field("items_per_page", "int", "entries per index page (default 10)", minimum=1, maximum=500),
    Field("feed_items", "int", "items per feed (default 50)", minimum=1, maximum=5000),
)

# Each phrase is written once per language, to fit the sentences of that language's
# templates. French phrases: `focus`, `people`, `people_in`, `priority` are plural noun
# phrases with their article ("les ..."); `invitees` starts with "des"; `impact_if` is a
# clause starting with "vous"; `rules` follows "pour" ("la catégorie ...", "le Programme ...")
# and "de", contracted by the templates ("du Programme ...").
PROSE_FIELDS = (
    Field("focus", "langmap", "who the draw targets, e.g. 'candidates with experience in "
          "healthcare and social services occupations' / 'les candidats ayant de "
          "l'expérience dans ...'", required=True),
    Field("invitees", "langmap", "who was invited, e.g. 'candidates in the healthcare and "
          "social services category' / 'des candidats de la catégorie ...'", required=True),
    Field("people", "langmap", "the people concerned, e.g. 'healthcare workers' / 'les "
          "travailleurs de la santé'", required=True),
    Field("people_in", "langmap", "e.g. 'Express Entry candidates in healthcare' / 'les "
          "candidats d'Entrée express du secteur de la santé'", required=True),
    Field("priority", "langmap", "e.g. 'healthcare and social services candidates' / 'les "
          "candidats des soins de santé ...'", required=True),
    Field("impact_if", "langmap", "e.g. 'you work in an eligible healthcare or social "
          "services occupation' / 'vous exercez une profession admissible ...'",
          required=True),
    Field("rules", "langmap", "the name of IRCC's rules, e.g. 'healthcare and social "
          "services category' / 'la catégorie des soins de santé ...'", required=True),
)

# A category IRCC renamed keeps one key, page and feed; each article uses the name and
# phrases of its own date. `periods` lists the earlier names, each with the first day it
# no longer applies (the date of the first round under the next name).
PERIOD_FIELDS = (
    Field("before", "date", "the first day these texts no longer apply: the date of the "
          "first round IRCC held under the next name", required=True, example="2025-05-02"),
    Field("name", "langmap", "the category's name for draws before that day", required=True),
    Field("prose", "map", "the phrases articles use for draws before that day (where IRCC's "
          "definition of the time is not known, phrases that only name the category)",
          required=True, fields=PROSE_FIELDS),
)

CATEGORY_FIELDS = (
    Field("key", "key", "the category's permanent key, used in file names and URLs",
          required=True, example="healthcare"),
    Field("name", "langmap", "display name", required=True),
    Field("label", "langmap", "short label for tables", required=True),
    Field("selection", "enum", "category (category-based selection), program, or general "
          "(all programs)", required=True, choices=SELECTIONS),
    Field("occupation_based", "bool", "whether eligibility depends on occupation",
          required=True),
    Field("eligibility_url", "url", "IRCC's eligibility rules", required=True),
    Field("description", "langmap", "a short description for the category page",
          required=True),
    Field("aliases", "list", "every name IRCC has used for these rounds",
          items=Field("alias", "str", "a program name as IRCC wrote it")),
    Field("prose", "map", "phrases used in article prose", required=True, fields=PROSE_FIELDS),
    Field("periods", "list", "earlier names of the category, oldest first: articles about "
          "draws of that time use them", items=Field("period", "map", "an earlier name and "
                                                     "its phrases", fields=PERIOD_FIELDS)),
)

CATEGORIES_FILE_FIELDS = (
    Field("categories", "list", "the draw categories and programs", required=True,
          items=Field("category", "map", "a category", fields=CATEGORY_FIELDS)),
)

FAQ_FIELDS = (
    Field("question", "str", "the question", required=True),
    Field("answer", "markdown", "the answer (Markdown)", required=True),
)

DRAW_FIELDS = (
    Field("round", "round", "IRCC's round identifier (357, or 91a)", minimum=1,
          maximum=100000, example=357),
    Field("id", "slug", "the draw's permanent identifier in feeds and open data (default: "
          "round- and the round, or the date and category); kept by the importer when it "
          "gives a round to an entry published without one", example="2018-05-30-federal-"
          "skilled-trades"),
    Field("date", "date", "the date of the draw (Ottawa time)", required=True,
          example="2025-07-22"),
    Field("draw_time", "datetime", "the draw's time, with zone", example="2025-07-22T14:27:45Z"),
    Field("type", "enum", "category-based selection or a program draw", required=True,
          choices=DRAW_TYPES, example="category-based"),
    Field("category", "key", "the key of the category or program in categories.yaml",
          required=True, example="healthcare"),
    Field("ircc_name", "str", "IRCC's own name for the round, as it wrote it",
          example="Healthcare occupations (Version 1)"),
    Field("invitations", "int", "invitations to apply issued", required=True, minimum=1,
          maximum=100000, example=4000),
    Field("min_crs", "int", "minimum CRS score of those invited", required=True, minimum=0,
          maximum=1200, example=475),
    Field("tie_break", "datetime", "the tie-breaking rule's date and time, with zone",
          example="2025-07-18T11:02:37Z"),
    Field("title", "langmap", "headline (default: generated); per language as {en: ..., "
          "fr: ...}", items=Field("title", "str", "the headline")),
    Field("slug", "slug", "the last part of the article's URL (default: date and category)"),
    Field("summary", "langmap", "one- or two-sentence summary (default: generated); per "
          "language as {en: ..., fr: ...}", items=Field("summary", "text", "the summary")),
    Field("sections", "langmap", "Markdown replacing a generated section; French ones under "
          "fr:", items=Field("sections", "map", "sections by key", open_keys=True,
                             choices=SECTION_KEYS,
                             items=Field("section", "markdown", "the section's Markdown"))),
    Field("faq", "langmap", "extra FAQ entries: a list (English), or lists under en: and fr:",
          items=Field("faq", "list", "FAQ entries", items=Field(
              "entry", "map", "a question and answer", fields=FAQ_FIELDS))),
    Field("faq_mode", "enum", "append (default) adds to the generated FAQ; replace replaces it",
          choices=("append", "replace")),
    Field("disclaimer", "langmap", "replaces the site's disclaimer on this article; per "
          "language as {en: ..., fr: ...}", items=Field("disclaimer", "text", "the disclaimer")),
    Field("draft", "bool", "drafts are built only with --drafts"),
    Field("pool", "map", "the pool's CRS score distribution", fields=(
        Field("as_of", "date", "the date the distribution was taken", required=True),
        Field("bands", "map", "candidates per score band", required=True, open_keys=True,
              choices=POOL_BANDS, items=Field("count", "int", "candidates", minimum=0,
                                             maximum=10_000_000)),
    )),
)


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


@dataclass(frozen=True)
class Draw:
    """One round of invitations, as the editor wrote it."""

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

    @property
    def identity(self) -> str:
        """What makes this draw this draw, for good (feed GUIDs, open data): never the
        title or slug. An entry's `id:` keeps the identity it was published with."""
        if self.fixed_id is not None:
            return self.fixed_id
        return f"round-{self.round}" if self.round is not None else f"{self.date}-{self.category}"

    @property
    def sort_key(self) -> tuple[dt.date, RoundId, str]:
        """Chronological order: date, then round (91a before 91b before 92), then slug."""
        return (self.date, self.round if self.round is not None else NO_ROUND, self.slug)

    @property
    def published(self) -> dt.datetime | dt.date:
        """When the article is dated: the draw's time, else its day alone (never an
        invented time of day)."""
        return self.draw_time if self.draw_time is not None else self.date


@dataclass(frozen=True)
class Content:
    """Everything read from a content folder."""

    site: Site
    categories: dict[str, Category]
    draws: tuple[Draw, ...]
