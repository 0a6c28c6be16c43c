"""`drawdesk new draw`: write a correctly named, commented draw entry.

Values come from options or, when they are missing, from prompts. Every value
is read by the same field readers `validate` uses, so a value accepted here is
a value the loader accepts, with the same messages when it is not.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml

from ..core.models import Category, Content, RoundId
from ..core.problems import Problem, display_path
from ..source import sitefiles
from ..source.fields import DRAW_FIELDS, Field
from ..source.loader import category_hint, category_named, load_categories, load_content
from ..source.reader import Reader
from .schemafiles import SCHEMA_FOLDER, file_name, schema_line

FIELDS = {f.name: f for f in DRAW_FIELDS}
WRITTEN = ("round", "date", "draw_time", "type", "category", "invitations", "min_crs",
           "tie_break")
_MARK = yaml.Mark("option", 0, 0, 0, None, None)
_COMMENT_COLUMN = 33
_COMMENTS = {"type": "category-based or program, as the category says"}


class FieldType(click.ParamType):
    """A click type that reads a value exactly as the loader reads that field."""

    def __init__(self, field: Field):
        self.field = field
        self.name = field.name

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        reader = Reader("option")
        node = yaml.ScalarNode("tag:yaml.org,2002:str", value.strip(), _MARK, _MARK)
        result = reader.value(node, self.field, self.field.name)
        if reader.problems:
            self.fail(reader.problems[0].message, param, ctx)
        return result


class CategoryType(click.ParamType):
    """A category key; its name or an IRCC alias also work, and with `numbers` (for the
    prompt's numbered list) its place in categories.yaml."""

    name = "category"

    def __init__(self, categories: dict[str, Category], numbers: bool = False):
        self.categories = categories
        self.numbers = numbers

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        text = str(value).strip()
        keys = list(self.categories)
        if self.numbers and text.isdigit() and 1 <= int(text) <= len(keys):
            return keys[int(text) - 1]
        key = category_named(text, self.categories)
        if key is not None:
            return key
        self.fail(f"unknown category '{text}'{category_hint(text, self.categories)} "
                  "(a key from categories.yaml expected)", param, ctx)


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


def _yaml_value(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _line(text: str, comment: str) -> str:
    return f"{text.ljust(_COMMENT_COLUMN - 1)} # {comment}"


def entry_text(draw: NewDraw, header: str | None = None) -> str:
    """The YAML text of a new entry: one commented line per field, optional ones included."""
    values = {"round": draw.round, "date": draw.date, "draw_time": draw.draw_time,
              "type": draw.category.draw_type, "category": draw.category.key,
              "invitations": draw.invitations, "min_crs": draw.min_crs,
              "tie_break": draw.tie_break}
    lines = [header] if header else []
    lines += ["# One round of invitations. `drawdesk validate` checks this file; README.md,",
              "# \"Writing entries\", lists the optional fields (title, summary, sections, faq)."]
    for name in WRITTEN:
        f = FIELDS[name]
        value = values[name]
        if value is None:
            example = f", e.g. {f.example}" if f.example is not None else ""
            lines.append(_line(f"# {name}:", f"optional: {f.description}{example}"))
        else:
            lines.append(_line(f"{name}: {_yaml_value(value)}",
                               _COMMENTS.get(name, f.description)))
    if draw.draft:
        lines.append(_line("draft: true", "built only with --drafts; remove to publish"))
    return "\n".join(lines) + "\n"


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
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(entry_text(draw, header))
    return path


def problems_of(content_dir: Path, path: Path) -> tuple[list[Problem], int]:
    """Problems in (or naming) the new file, and the number of errors elsewhere."""
    loaded = load_content(content_dir)
    shown = display_path(path, content_dir)
    mine = [p for p in loaded.problems if p.path == shown or shown in p.message]
    others = [p for p in loaded.errors if p not in mine]
    return sorted(mine), len(others)


def known_categories(content_dir: Path) -> dict[str, Category]:
    categories, problems = load_categories(content_dir)
    if not categories:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"no categories to choose from: {content_dir / 'categories.yaml'} must load first")
    return categories


def category_menu(categories: dict[str, Category]) -> str:
    width = max(len(key) for key in categories)
    rows = [f"  {n:>2}  {key.ljust(width)}  {c.name.get('en', next(iter(c.name.values())))}"
            for n, (key, c) in enumerate(categories.items(), start=1)]
    return "Categories:\n" + "\n".join(rows)


def _optional(field: Field, empty_words: tuple[str, ...] = ("", "-", "none")):
    reader = FieldType(field)

    def convert(text: str) -> Any:
        if str(text).strip().casefold() in empty_words:
            return None
        return reader.convert(text, None, None)
    return convert


def ask(values: dict[str, Any], categories: dict[str, Category], content: Content | None,
        interactive: bool) -> NewDraw:
    """Fill in missing values by prompting, or fail listing them when not interactive.

    Optional fields (tie-break, round) are asked for only in a session that asks
    for something required: a command line with every required option never prompts.
    """
    required = {"date": "--date", "category": "--category", "invitations": "--invitations",
                "min_crs": "--crs"}
    missing = [option for name, option in required.items() if values.get(name) is None]
    if missing and not interactive:
        raise click.UsageError(f"missing {', '.join(missing)} (or leave out --no-input "
                               "to be asked)")
    asking = bool(missing)
    if values.get("date") is None:
        values["date"] = click.prompt("Date of the draw (YYYY-MM-DD)",
                                      default=site_today(content).isoformat(),
                                      value_proc=FieldType(FIELDS["date"]))
    if values.get("category") is None:
        click.echo(category_menu(categories))
        values["category"] = click.prompt("Category (key or number)",
                                          value_proc=CategoryType(categories, numbers=True))
    if values.get("invitations") is None:
        values["invitations"] = click.prompt("Invitations issued",
                                             value_proc=FieldType(FIELDS["invitations"]))
    if values.get("min_crs") is None:
        values["min_crs"] = click.prompt("Minimum CRS score",
                                         value_proc=FieldType(FIELDS["min_crs"]))
    if asking and values.get("tie_break") is None:
        values["tie_break"] = click.prompt(
            "Tie-breaking rule, e.g. 2025-07-18T11:02:37Z (Enter to leave out)", default="",
            show_default=False, value_proc=_optional(FIELDS["tie_break"]))
    if asking and values.get("round") is None:
        suggested = next_round(content)
        values["round"] = click.prompt(
            "Round number ('none' to leave out)",
            default=str(suggested) if suggested else "none",
            value_proc=_optional(FIELDS["round"], ("-", "none", "")))
    return NewDraw(date=values["date"], category=categories[values["category"]],
                   invitations=values["invitations"], min_crs=values["min_crs"],
                   tie_break=values.get("tie_break"), round=values.get("round"),
                   draft=bool(values.get("draft")), draw_time=values.get("draw_time"))
