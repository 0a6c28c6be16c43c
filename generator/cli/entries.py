"""`drawdesk new draw` and `drawdesk import ircc`: entries written from options and answers,
and from IRCC's rounds file."""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..output.folder import describe
from ..tools.ircc import DEFAULT_TIMEOUT, MAX_TIMEOUT, OFFICIAL_URL
from .common import (
    CONTENT_OPTION,
    echo,
    parse_now,
    print_problems,
)


class Seconds(click.ParamType):
    """A number of seconds: finite, above 0, at most MAX_TIMEOUT (not inf, nan or -1)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = math.nan
        if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
            self.fail(f"'{value}' is not a number of seconds (a number above 0 and at most "
                      f"{MAX_TIMEOUT:g} expected)", param, ctx)
        return seconds


@click.group(name="import")
def import_group() -> None:
    """Import draws from official data."""


IRCC_HELP = f"""Import IRCC's rounds of invitations from SOURCE into CONTENT/draws/.

SOURCE is IRCC's rounds file (ee_rounds_123_en.json): a local file or an https URL such
as {OFFICIAL_URL}

Existing entries keep everything an editor wrote; only their data fields (round, date,
draw_time, type, category, ircc_name, invitations, min_crs, tie_break, pool) are updated;
a changed figure of a published entry is recorded as a correction (by: ircc); a distribution
of zeros means "not published" and is never written. Exit status: 0 done,
1 problems in the data (nothing written), 2 wrong command line.
"""


@import_group.command(name="ircc", help=IRCC_HELP)
@click.argument("source")
@CONTENT_OPTION
@click.option("--dry-run", is_flag=True,
              help="Print what would be added, changed and left alone; write nothing.")
@click.option("--skip-invalid", is_flag=True,
              help="Report malformed rounds and import the others (default: import nothing).")
@click.option("--create-categories", is_flag=True,
              help="Add a category to categories.yaml for each unknown program name, "
                   "for an editor to complete.")
@click.option("--now", "now_option", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              default=None, help="When corrections are recorded, and which entries are "
                                 "published (default: SOURCE_DATE_EPOCH or the clock).")
@click.option("--drafts-for-new", is_flag=True,
              help="Write rounds new to the site as drafts (draft: true), for an editor to "
                   "review; site.yaml's `import: {new_rounds: draft}` does it on every import.")
@click.option("--timeout", type=Seconds(), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds the whole download of an https SOURCE may take "
                   f"(at most {MAX_TIMEOUT:g}).")
def ircc(source: str, content: Path, dry_run: bool, skip_invalid: bool,
         create_categories: bool, drafts_for_new: bool, now_option: dt.datetime | None,
         timeout: float) -> None:
    from ..tools.ircc.fetch import SourceError, check_url, decode, is_url, read_source
    from ..tools.ircc.importer import Options, import_rounds
    from ..tools.ircc.rounds import parse_rounds
    now = parse_now(now_option)
    if is_url(source):
        try:
            check_url(source)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
    elif not Path(source).is_file():
        raise click.UsageError(f"'{source}' is not a file (a path to IRCC's JSON file or an "
                               "https URL expected)")
    try:
        rounds = decode(read_source(source, timeout), source)
    except SourceError as exc:
        echo(f"Import failed: {exc}", err=True)
        sys.exit(1)
    if not rounds:
        echo(f"Import failed: {source} has no rounds (IRCC's rounds file expected); "
             "nothing was written.", err=True)
        sys.exit(1)
    parsed = parse_rounds(rounds)
    options = Options(dry_run=dry_run, skip_invalid=skip_invalid,
                      create_categories=create_categories, drafts_for_new=drafts_for_new,
                      now=now)
    result = import_rounds(content, parsed, source, options)
    for line in result.errors + result.warnings:
        echo(line, err=True)
    if result.errors:
        written = "" if result.written else "; nothing was written"
        echo(f"Import failed: {len(result.errors)} problem(s){written}.", err=True)
        sys.exit(1)
    for category in result.new_categories:
        verb = "would add" if dry_run else "added"
        similar = (f"; if it is category '{category.similar}', move its aliases there"
                   if category.similar else "")
        echo(f"{verb} category '{category.key}' to {result.categories_path} for "
             + ", ".join(f"'{n}'" for n in category.names)
             + f" (an editor must complete it{similar})")
    for outcome in result.outcomes:
        if dry_run or outcome.kind != "unchanged":
            echo(str(outcome))
    echo(result.summary(dry_run))


@click.group()
def new() -> None:
    """Create a new entry."""


class FieldValue(click.ParamType):
    """A value read exactly as validate reads that field of an entry."""

    def __init__(self, field: str):
        self.name = field

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        from ..tools.newentry import read_field
        try:
            return read_field(self.name, value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@new.command("draw")
@CONTENT_OPTION
@click.option("--date", type=FieldValue("date"), default=None, metavar="YYYY-MM-DD",
              help="The date of the draw.")
@click.option("--category", default=None, metavar="KEY",
              help="A key from categories.yaml (asked, with the list, when missing).")
@click.option("--invitations", type=FieldValue("invitations"), default=None, metavar="N",
              help="Invitations to apply issued.")
@click.option("--crs", "min_crs", type=FieldValue("min_crs"), default=None, metavar="N",
              help="Minimum CRS score of those invited.")
@click.option("--draw-time", "draw_time", type=FieldValue("draw_time"), default=None,
              metavar="DATETIME", help="When IRCC held the draw, with zone "
                                       "(2025-07-22T14:27:45Z).")
@click.option("--tie-break", "tie_break", type=FieldValue("tie_break"), default=None,
              metavar="DATETIME",
              help="The tie-breaking rule's time, with zone (2025-07-18T11:02:37Z).")
@click.option("--round", "round_", type=FieldValue("round"), default=None, metavar="N",
              help="IRCC's round identifier (357, or 91a).")
@click.option("--draft", is_flag=True, help="Mark the entry draft: true.")
@click.option("--no-input", is_flag=True,
              help="Never prompt: fail if --date, --category, --invitations or --crs is "
                   "missing (with all four given, nothing is asked anyway).")
@click.pass_context
def new_draw(ctx: click.Context, content: Path, no_input: bool, **values: Any) -> None:
    """Create content/draws/<date>-<category>.yaml from options, or ask for what is missing.

    The new file carries a short comment for each field. An existing entry is
    never overwritten, and the new one is validated with the rest of the content.
    """
    from ..source.loader import load_content
    from ..tools import newentry
    categories, problems = newentry.known_categories(content)
    if not categories:
        print_problems(problems)
        raise click.ClickException(
            f"no categories to choose from: {content / 'categories.yaml'} must load first")
    existing = load_content(content).content
    values["round"] = values.pop("round_")
    if values["category"] is not None:
        try:
            values["category"] = newentry.category_key(values["category"], categories)
        except ValueError as exc:
            param = next(p for p in ctx.command.params if p.name == "category")
            raise click.BadParameter(str(exc), ctx, param) from None
    missing = newentry.missing_options(values)
    if missing and no_input:
        raise click.UsageError(f"missing {', '.join(missing)} (or leave out --no-input "
                               "to be asked)")
    draw = newentry.ask(values, categories, existing, _question, click.echo)
    clashes = newentry.conflicts(draw, existing)
    path = content / "draws" / draw.file_name
    if path.exists() or clashes:
        for clash in clashes or [f"{path} already exists"]:
            echo(f"error: {clash}", err=True)
        echo("Nothing written: edit the existing entry instead.", err=True)
        sys.exit(1)
    try:
        path = newentry.write_entry(content, draw)
    except FileExistsError:  # created between the check and the write
        echo(f"error: {path} already exists; nothing written.", err=True)
        sys.exit(1)
    except OSError as exc:
        echo(f"error: cannot write the entry: {describe(exc)}; nothing written.", err=True)
        sys.exit(1)
    problems, elsewhere = newentry.problems_of(content, path)
    print_problems(problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        echo(f"Created {path}, with {len(errors)} error(s) to fix.", err=True)
        sys.exit(1)
    echo(f"Created {path}")
    if elsewhere:
        echo(f"note: {elsewhere} error(s) in other files; run drawdesk validate.",
             err=True)


def _question(question: str, convert: Callable[[str], Any], default: str | None = None) -> Any:
    """Ask until `convert` accepts the answer (its ValueError is shown, and asked again)."""
    def value(text: str) -> Any:
        try:
            return convert(text)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
    return click.prompt(question, default=default, show_default=bool(default),
                        value_proc=value)




@new.command("post")
@CONTENT_OPTION
@click.argument("title")
@click.option("--date", type=FieldValue("date"), default=None, metavar="YYYY-MM-DD",
              help="The day it is published (default: today, in the site's time zone).")
@click.option("--slug", default=None, metavar="SLUG",
              help="The file name's last part (default: made from the title).")
@click.option("--category", "categories", multiple=True, metavar="KEY",
              help="A key from categories.yaml the post is about (repeatable).")
@click.option("--draft", is_flag=True, help="Mark the post draft: true.")
def new_post(content: Path, title: str, date: Any, slug: str | None,
             categories: tuple[str, ...], draft: bool) -> None:
    """Create content/posts/<date>-<slug>.md for a post titled TITLE.

    The new file has the title in the site's main language, a comment on every
    field and one part per published language for its Markdown text; what is
    left to write (the summary, the text, other languages' titles) is listed.
    An existing post is never overwritten.
    """
    from ..source.categories import category_hint
    from ..source.fields import SLUG_RE
    from ..source.loader import load_content
    from ..source.site import load_site
    from ..tools import newentry
    from ..tools.schemafiles import SCHEMA_FOLDER, file_name, schema_line
    problems: list = []
    site = load_site(content, problems)
    if site is None:
        print_problems(problems)
        raise click.ClickException(f"{content / 'site.yaml'} must load first")
    known, _ = newentry.known_categories(content)
    for key in categories:
        if key not in known:
            raise click.BadParameter(f"unknown category '{key}'{category_hint(key, known)} "
                                     "(a key from categories.yaml expected)",
                                     param_hint="--category")
    slug = slug if slug is not None else newentry.post_slug(title)
    if not slug or not SLUG_RE.match(slug):
        raise click.BadParameter(f"'{slug}' is not a slug: give --slug with lowercase "
                                 "letters, digits and hyphens", param_hint="--slug")
    day = date if date is not None else newentry.site_today(load_content(content).content)
    name = f"{day.isoformat()}-{slug}.md"
    path = content / "posts" / name
    header = (schema_line(path, content, "post")
              if (content / SCHEMA_FOLDER / file_name("post")).is_file() else None)
    text = newentry.post_text(title, day, site.languages, site.main_language, categories,
                              header, draft)
    try:
        path = newentry.write_post(content, name, text)
    except FileExistsError:
        echo(f"error: {path} already exists; nothing written.", err=True)
        sys.exit(1)
    except OSError as exc:
        echo(f"error: cannot write the post: {describe(exc)}; nothing written.", err=True)
        sys.exit(1)
    problems, _ = newentry.problems_of(content, path)
    echo(f"Created {path}")
    if problems:
        echo("Still to write before it can be built:", err=True)
        print_problems(problems)
