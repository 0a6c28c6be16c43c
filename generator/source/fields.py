"""The content schema: every field of site.yaml, categories.yaml and a draw entry, once.

The source stage reads files with these descriptions (`source.reader`), and
`drawdesk schema` writes them as JSON Schema (`tools.jsonschema`), so the
loader and editors' tools never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..core.models import (
    CORRECTABLE,
    CORRECTORS,
    DRAW_TYPES,
    LANGUAGES,
    NEW_ROUNDS,
    POOL_BANDS,
    SECTION_KEYS,
    SELECTIONS,
)

# What some kinds of values must look like (the reader and the JSON Schema say the same).
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
KEY_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
# A web address: http(s), a host, no user name or password before it (credentials
# would be published on every page that shows the address).
URL_RE = re.compile(r"""^https?://[^\s/$.?#@<>"'][^\s/?#@<>"']*(?:[/?#][^\s<>"']*)?$""")


@dataclass(frozen=True)
class Field:
    """One field of a mapping."""

    name: str
    # str text markdown int round bool date datetime url slug key enum colour list map langmap
    # figure (a value of the draw field another key names: a number, a date or a date-time)
    kind: str
    description: str
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    items: Field | None = None  # for "list"; for "langmap", the value's own kind (default text)
    fields: tuple[Field, ...] = ()  # for kind "map"
    open_keys: bool = False  # for kind "map": any key (with `items` as the value)
    example: Any = None


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
    Field("import", "map", "what `drawdesk import ircc` does", fields=(
        Field("new_rounds", "enum", "publish (default): a round new to the site is published "
              "by the next build; draft: it is written with draft: true, for an editor to "
              "review and publish by deleting that line", choices=NEW_ROUNDS),
    )),
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

# A correction: when, by whom, and the figure corrected from one value to another (each
# value written as the entry writes that field), or a note saying what changed.
CORRECTION_FIELDS = (
    Field("at", "datetime", "when the article was corrected, with zone", required=True,
          example="2026-03-04T15:00:00Z"),
    Field("by", "enum", "ircc (IRCC corrected its record) or editor (the article corrected "
          "its own mistake)", required=True, choices=CORRECTORS),
    Field("field", "enum", "the figure corrected, when there is one", choices=CORRECTABLE),
    Field("from", "figure", "the value the article published before (as the field is "
          "written: 475, 2025-07-22, 2025-07-22T14:27:45Z)", example=475),
    Field("to", "figure", "the corrected value: the entry's value of the field", example=480),
    Field("note", "langmap", "what readers should know, per language as {en: ..., fr: ...} "
          "(required without a field)", items=Field("note", "text", "the note")),
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
    Field("corrections", "list", "dated notes of every change to a published figure, oldest "
          "first (drawdesk import ircc appends IRCC's)", items=Field(
              "correction", "map", "one correction", fields=CORRECTION_FIELDS)),
    Field("pool", "map", "the pool's CRS score distribution", fields=(
        Field("as_of", "date", "the date the distribution was taken", required=True),
        Field("bands", "map", "candidates per score band", required=True, open_keys=True,
              choices=POOL_BANDS, items=Field("count", "int", "candidates", minimum=0,
                                             maximum=10_000_000)),
    )),
)

# A post's front matter (content/posts/<date>-<slug>.md); its body is the Markdown after
# the front matter, one part per language after a `<!-- fr -->` line (source.posts).
POST_FIELDS = (
    Field("title", "langmap", "the headline; per language as {en: ..., fr: ...}",
          required=True, items=Field("title", "str", "the headline"),
          example={"en": "2025 in Express Entry draws"}),
    Field("date", "date", "the day the post is published (the date in its file name)",
          required=True, example="2025-12-31"),
    Field("time", "datetime", "when the post was published, with zone (on its date)",
          example="2025-12-31T15:00:00Z"),
    Field("summary", "langmap", "one- or two-sentence summary; per language as {en: ..., "
          "fr: ...}", required=True, items=Field("summary", "text", "the summary")),
    Field("categories", "list", "keys from categories.yaml: the post is listed on those "
          "categories' pages and feeds, with their latest draws",
          items=Field("category", "key", "a key from categories.yaml")),
    Field("tags", "list", "free keywords (JSON-LD keywords, article:tag)",
          items=Field("tag", "str", "a keyword")),
    Field("author", "str", "the author's name (default: the publisher)"),
    Field("slug", "slug", "the last part of the post's URL (default: the file name)"),
    Field("id", "slug", "the post's permanent identifier in feeds and open data (default: "
          "its slug); keep it when renaming the file"),
    Field("faq", "langmap", "questions and answers shown after the body: a list (English), "
          "or lists under en: and fr:", items=Field("faq", "list", "FAQ entries", items=Field(
              "entry", "map", "a question and answer", fields=FAQ_FIELDS))),
    Field("disclaimer", "langmap", "replaces the site's disclaimer on this post; per "
          "language as {en: ..., fr: ...}", items=Field("disclaimer", "text", "the disclaimer")),
    Field("draft", "bool", "drafts are built only with --drafts"),
    Field("corrections", "list", "dated notes of every change to the published post, oldest "
          "first", items=Field("correction", "map", "one correction", fields=(
              Field("at", "datetime", "when the post was corrected, with zone", required=True,
                    example="2026-03-04T15:00:00Z"),
              Field("by", "enum", "editor (the post corrected its own mistake) or ircc (IRCC "
                    "corrected what the post reported)", required=True, choices=CORRECTORS),
              Field("note", "langmap", "what changed, in every published language, as "
                    "{en: ..., fr: ...}", required=True, items=Field("note", "text", "the note")),
          ))),
)
