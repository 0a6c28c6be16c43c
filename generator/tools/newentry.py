"""`drawdesk new draw`: a correctly named, commented draw entry, from options or answers.

Values come from options or, when they are missing, from questions (asked
through the `Ask` the command line gives). Every value is read by the same
field readers `validate` uses, so a value accepted here is a value the loader
accepts, with the same messages when it is not.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..core.models import Category, Content, RoundId
from ..core.problems import Problem, display_path
from ..output.atomic import write_atomically
from ..source import sitefiles
from ..source.categories import category_hint, category_named, load_categories
from ..source.fields import DRAW_FIELDS
from ..source.loader import load_content
from ..source.reader import read_scalar
from .entries import entry_text as entry_text_of
from .schemafiles import SCHEMA_FOLDER, file_name, schema_line

FIELDS = {f.name: f for f in DRAW_FIELDS}


def read_field(name: str, text: str) -> Any:
    """`text` read as a draw entry's field `name` (raises ValueError with the message
    validate would give)."""
    value, problem = read_scalar(FIELDS[name], text)
    if problem is not None:
        raise ValueError(problem.message)
    return value


def category_key(text: str, categories: dict[str, Category], numbers: bool = False) -> str:
    """The key of the category `text` names: its key, its name or an IRCC alias, and with
    `numbers` (for the numbered list) its place in categories.yaml (ValueError if none)."""
    text = str(text).strip()
    keys = list(categories)
    if numbers and text.isdigit() and 1 <= int(text) <= len(keys):
        return keys[int(text) - 1]
    key = category_named(text, categories)
    if key is not None:
        return key
    raise ValueError(f"unknown category '{text}'{category_hint(text, categories)} "
                     "(a key from categories.yaml expected)")


@dataclass(frozen=True)
class NewDraw:
    date: dt.date
    category: Category
    invitations: int
    min_crs: int
    tie_break: dt.datetime | None = None
    round: RoundId | None = None
    draft: bool = False
    draw_time: dt.datetime | None = None

    @property
    def file_name(self) -> str:
        return f"{self.date.isoformat()}-{self.category.key}.yaml"


def entry_text(draw: NewDraw, header: str | None = None) -> str:
    """The YAML text of a new entry: one commented line per field, optional ones included."""
    return entry_text_of({"round": draw.round, "date": draw.date, "draw_time": draw.draw_time,
                          "type": draw.category.draw_type, "category": draw.category.key,
                          "invitations": draw.invitations, "min_crs": draw.min_crs,
                          "tie_break": draw.tie_break}, header=header, draft=draw.draft,
                         notes=True)


def conflicts(draw: NewDraw, content: Content | None) -> list[str]:
    """Existing entries the new one would clash with (same slug or same round)."""
    if content is None:
        return []
    slug = draw.file_name.removesuffix(".yaml")
    found = [f"the {slug} entry already exists: {d.source}" for d in content.draws
             if d.slug == slug]
    found += [f"round {draw.round} is already used by {d.source}" for d in content.draws
              if draw.round is not None and d.round == draw.round]
    return found


def next_round(content: Content | None) -> RoundId | None:
    rounds = [d.round for d in content.draws if d.round is not None] if content else []
    return RoundId(max(rounds).number + 1) if rounds else None


def site_today(content: Content | None) -> dt.date:
    if content is None:
        return dt.date.today()
    return dt.datetime.now(content.site.tz).date()


def write_entry(content_dir: Path, draw: NewDraw) -> Path:
    """Create the entry file; raises FileExistsError rather than overwrite."""
    folder = content_dir / "draws"
    if not sitefiles.inside(os.path.realpath(folder), sitefiles.real_roots([content_dir])):
        raise OSError(errno.EXDEV, "a symbolic link leading outside the content folder",
                      str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / draw.file_name
    header = None
    if (content_dir / SCHEMA_FOLDER / file_name("draw")).is_file():
        header = schema_line(path, content_dir)
    write_atomically(path, entry_text(draw, header).encode("utf-8"), exclusive=True)
    return path


def problems_of(content_dir: Path, path: Path) -> tuple[list[Problem], int]:
    """Problems in (or naming) the new file, and the number of errors elsewhere."""
    loaded = load_content(content_dir)
    shown = display_path(path, content_dir)
    mine = [p for p in loaded.problems if p.path == shown or shown in p.message]
    others = [p for p in loaded.errors if p not in mine]
    return sorted(mine), len(others)


def known_categories(content_dir: Path) -> tuple[dict[str, Category], list[Problem]]:
    """The categories to choose from, or the problems that keep categories.yaml from
    loading."""
    categories, problems = load_categories(content_dir)
    return categories, ([] if categories else problems)


def category_menu(categories: dict[str, Category]) -> str:
    width = max(len(key) for key in categories)
    rows = [f"  {n:>2}  {key.ljust(width)}  {c.name.get('en', next(iter(c.name.values())))}"
            for n, (key, c) in enumerate(categories.items(), start=1)]
    return "Categories:\n" + "\n".join(rows)


class Ask(Protocol):
    """Asks one question until `convert` accepts the answer (raising ValueError says
    why not), and returns what it made of it."""

    def __call__(self, question: str, convert: Callable[[str], Any],
                 default: str | None = None) -> Any: ...


def _optional(name: str, empty_words: tuple[str, ...] = ("", "-", "none")
              ) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        if str(text).strip().casefold() in empty_words:
            return None
        return read_field(name, text)
    return convert


def missing_options(values: dict[str, Any]) -> list[str]:
    """The options a command line must give when nothing may be asked."""
    required = {"date": "--date", "category": "--category", "invitations": "--invitations",
                "min_crs": "--crs"}
    return [option for name, option in required.items() if values.get(name) is None]


def ask(values: dict[str, Any], categories: dict[str, Category], content: Content | None,
        question: Ask, show: Callable[[str], None]) -> NewDraw:
    """Fill in missing values by asking `question` (`show` prints the list of categories).

    Optional fields (tie-break, round) are asked for only in a session that asks
    for something required: a command line with every required option never asks.
    """
    asking = bool(missing_options(values))
    if values.get("date") is None:
        values["date"] = question("Date of the draw (YYYY-MM-DD)",
                                  lambda text: read_field("date", text),
                                  default=site_today(content).isoformat())
    if values.get("category") is None:
        show(category_menu(categories))
        values["category"] = question("Category (key or number)", lambda text: category_key(
            text, categories, numbers=True))
    if values.get("invitations") is None:
        values["invitations"] = question("Invitations issued",
                                         lambda text: read_field("invitations", text))
    if values.get("min_crs") is None:
        values["min_crs"] = question("Minimum CRS score",
                                     lambda text: read_field("min_crs", text))
    if asking and values.get("tie_break") is None:
        values["tie_break"] = question(
            "Tie-breaking rule, e.g. 2025-07-18T11:02:37Z (Enter to leave out)",
            _optional("tie_break"), default="")
    if asking and values.get("round") is None:
        suggested = next_round(content)
        values["round"] = question("Round number ('none' to leave out)",
                                   _optional("round", ("-", "none", "")),
                                   default=str(suggested) if suggested else "none")
    return NewDraw(date=values["date"], category=categories[values["category"]],
                   invitations=values["invitations"], min_crs=values["min_crs"],
                   tie_break=values.get("tie_break"), round=values.get("round"),
                   draft=bool(values.get("draft")), draw_time=values.get("draw_time"))


# -- posts -------------------------------------------------------------------------------
_LANGUAGE_NAMES = {"en": "English", "fr": "French"}


def post_slug(title: str) -> str:
    """The slug a title gives a post's file name: lowercase ASCII words joined by hyphens,
    at most 60 characters, cut between words ('' if the title has no such letters)."""
    import unicodedata
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > 60:
            break
        slug = longer
    return slug or (words[0][:60] if words else "")


def post_text(title: str, date: dt.date, languages: tuple[str, ...], main: str,
              categories: tuple[str, ...] = (), header: str | None = None,
              draft: bool = False) -> str:
    """A new post's text: front matter with a comment on every field, then one body part
    per language to write. What is left to write is what `validate` reports."""
    def title_line(lang: str) -> str:
        if lang == main:
            return f"  {lang}: {json.dumps(title, ensure_ascii=False)}"
        return f"  # {lang}: the headline in {_LANGUAGE_NAMES[lang]}"

    lines = ["---"] + ([header] if header else []) + [
        "# A news post: the fields below, then its text in Markdown after the closing ---.",
        "title:                # the headline, one per published language",
        *(title_line(lang) for lang in languages),
        f"date: {date.isoformat()}     # the day it is published (the date in the file name)",
        "# time: " + date.isoformat() + "T12:00:00Z  # optional: when it is published, with zone",
        "summary:              # one or two sentences, one per published language",
        *(f"  # {lang}: the summary in {_LANGUAGE_NAMES[lang]}" for lang in languages),
        ("categories: [" + ", ".join(categories) + "]  # keys from categories.yaml: listed on "
         "their pages and feeds" if categories else
         "# categories: [healthcare]  # keys from categories.yaml: listed on their pages "
         "and feeds"),
        "# tags: [levels plan]  # optional keywords",
        "# author: A. Writer   # optional: the author's name (default: the publisher)",
        "# faq:                # optional questions and answers, per language:",
        "#   en:",
        "#   - question: ...",
        "#     answer: ...     # Markdown",
        "# disclaimer: ...     # optional: replaces the site's disclaimer on this post",
    ] + (["draft: true          # built only with --drafts until this line is removed"]
         if draft else []) + ["---"]
    for lang in languages:
        lines += [f"<!-- {lang} -->",
                  f"<!-- The text in {_LANGUAGE_NAMES[lang]}, in Markdown. Link to a draw or "
                  "a post by its file, e.g. ../draws/<date>-<category>.yaml -->", ""]
    return "\n".join(lines)


def write_post(content_dir: Path, name: str, text: str) -> Path:
    """Create content/posts/NAME; raises FileExistsError rather than overwrite."""
    folder = content_dir / "posts"
    if not sitefiles.inside(os.path.realpath(folder), sitefiles.real_roots([content_dir])):
        raise OSError(errno.EXDEV, "a symbolic link leading outside the content folder",
                      str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    write_atomically(path, text.encode("utf-8"), exclusive=True)
    return path
