"""The command line: the only place that prints and picks exit codes.

Every command imports what it needs inside its body, so `drawdesk build` with
nothing to do loads no template engine, YAML parser or feed library (see
`build.build`, which answers it before loading the stages).
"""

from __future__ import annotations

import datetime as dt
import math
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .core.options import BuildConfig, build_now, site_now
from .core.problems import ContentError, Problem, TemplateProblem, printable
from .output.folder import OutputError, describe
from .tools.ircc import DEFAULT_TIMEOUT, MAX_TIMEOUT, OFFICIAL_URL
from .tools.schemafiles import KINDS, SCHEMA_FOLDER

if TYPE_CHECKING:
    from .core.models import Category, Content

CONTENT_OPTION = click.option(
    "--content", type=click.Path(file_okay=False, path_type=Path), default=Path("content"),
    show_default=True, help="The content folder (site.yaml, categories.yaml, draws/).")


NOW_OPTION = click.option(
    "--now", "now_option", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), default=None,
    help="The date that decides what is scheduled (default: SOURCE_DATE_EPOCH or the clock).")


def site_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """What a build publishes, the same for `build` and `serve`."""
    for option in reversed((
            CONTENT_OPTION,
            click.option("--drafts", is_flag=True, help="Include entries marked draft: true."),
            click.option("--future", is_flag=True, help="Include entries dated after now."),
            NOW_OPTION,
            click.option("--templates", type=click.Path(file_okay=False, path_type=Path),
                         default=None, help="A folder of templates overriding the theme "
                                            "(default: CONTENT/templates)."))):
        command = option(command)
    return command


def _now(option: dt.datetime | None) -> dt.datetime:
    try:
        return build_now(option)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def echo(message: object = "", err: bool = False, nl: bool = True) -> None:
    """Print a message; no control character but its newlines reaches the terminal (a
    file name may hold an escape sequence)."""
    click.echo(printable(str(message), keep_newlines=True), err=err, nl=nl)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        echo(str(problem), err=True)


def _terminate(signum, frame):  # pragma: no cover - exercised through a subprocess
    raise KeyboardInterrupt


class Commands(click.Group):
    """drawdesk's commands: Ctrl-C in any of them exits with status 130 (build and serve
    say first what became of the output)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            ctx.exit(130)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="drawdesk", prog_name="drawdesk")
def main() -> None:
    """drawdesk: turn Express Entry draw entries into a news site."""


@main.command()
@site_options
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Where to write the site.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
@click.option("--force", is_flag=True,
              help="Replace OUTPUT even if it holds files drawdesk did not write (a .git "
                   "folder in it is kept).")
def build(content: Path, output: Path, drafts: bool, future: bool,
          now_option: dt.datetime | None, templates: Path | None, quiet: bool,
          force: bool) -> None:
    """Build the site from CONTENT into OUTPUT.

    OUTPUT is replaced whole, and only if it is missing, empty or built by drawdesk
    before (or with --force); a .git folder in it is always kept.
    """
    from .build import LoadInterrupted
    from .build import build as run_build
    from .core.progress import terminal_progress
    now = _now(now_option)
    config = BuildConfig(content=content, output=output, drafts=drafts, future=future,
                         now=now, templates=templates, force=force)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        result = run_build(config, terminal_progress(quiet))
    except ContentError as exc:
        _print_problems(exc.problems)
        echo(f"Build failed: {len(exc.problems)} problem(s); {output} was not changed.",
             err=True)
        sys.exit(1)
    except OutputError as exc:
        echo(f"Build failed: {exc}", err=True)
        sys.exit(1)
    except TemplateProblem as exc:
        echo(f"{exc}\nBuild failed; {output} was not changed.", err=True)
        sys.exit(1)
    except OSError as exc:  # disk full, read-only, no permission...: one line, no traceback
        echo(f"Build failed: {describe(exc)}; {output} was not changed.", err=True)
        sys.exit(1)
    except LoadInterrupted:
        sys.exit(130)  # while modules loaded: nothing was done, nothing to say
    except KeyboardInterrupt:
        echo(f"Build interrupted; {output} was not changed.", err=True)
        sys.exit(130)
    finally:
        signal.signal(signal.SIGTERM, previous)
    _print_problems(result.warnings)
    if not quiet:
        echo(result.summary())


@main.command()
@CONTENT_OPTION
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="The output folder to remove.")
@click.option("--force", is_flag=True,
              help="Remove OUTPUT even if it holds files drawdesk did not write.")
def clean(content: Path, output: Path, force: bool) -> None:
    """Remove the build cache (.drawdesk/ beside CONTENT) and the OUTPUT folder (a .git
    folder in it is kept)."""
    from .buildcache.storage import clean as remove
    from .core.theme import THEME_DIR
    from .output.folder import check_output_folder, check_ownership, clear_leftovers, output_lock
    try:
        check_output_folder(output, [content, THEME_DIR])
        with output_lock(output):
            clear_leftovers(output)
            check_ownership(output, force)
            removed = remove(content, output)
    except OutputError as exc:
        echo(f"Clean failed: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        echo(f"Clean failed: {describe(exc)}", err=True)
        sys.exit(1)
    for path in removed:
        echo(f"Removed {path}")


@main.command()
@CONTENT_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format (json for CI systems).")
@NOW_OPTION
def validate(content: Path, fmt: str, now_option: dt.datetime | None) -> None:
    """Check every entry, drafts and scheduled ones too, and report every problem at once.

    Errors fail the check (exit 1); warnings point at figures worth a second
    look (a cut-off far from the category's previous draw, a weekend date).
    """
    import json

    from .source.loader import load_content
    from .tools.schemafiles import schema_warnings
    now = _now(now_option)
    loaded = load_content(content)
    warnings = loaded.warnings
    if loaded.content is not None:
        warnings = sorted(warnings + schema_warnings(content, loaded.content.categories))
    held = _held_back(loaded.content, now)
    if fmt == "json":
        echo(json.dumps({
            "ok": not loaded.errors,
            "entries": len(loaded.content.draws) if loaded.content else None,
            "drafts": held[0] if loaded.content else None,
            "scheduled": held[1] if loaded.content else None,
            "errors": [p.as_dict() for p in loaded.errors],
            "warnings": [p.as_dict() for p in warnings],
        }, indent=2))
    else:
        _print_problems(loaded.errors + warnings)
        if not loaded.errors:
            count = len(loaded.content.draws) if loaded.content else 0
            line = f"{count} entries valid"
            if warnings:
                line += f", {len(warnings)} warning(s)"
            parts = _left_out(*held)
            echo(line + (f" ({'; '.join(parts)})" if parts else ""))
        else:
            echo(f"{len(loaded.errors)} error(s), {len(warnings)} warning(s)", err=True)
    sys.exit(1 if loaded.errors else 0)


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


@main.group(name="import")
def import_group() -> None:
    """Import draws from official data."""


IRCC_HELP = f"""Import IRCC's rounds of invitations from SOURCE into CONTENT/draws/.

SOURCE is IRCC's rounds file (ee_rounds_123_en.json): a local file or an https URL such
as {OFFICIAL_URL}

Existing entries keep everything an editor wrote; only their data fields (round, date,
draw_time, type, category, ircc_name, invitations, min_crs, tie_break, pool) are updated;
a distribution of zeros means "not published" and is never written. Exit status: 0 done,
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
@click.option("--timeout", type=Seconds(), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds the whole download of an https SOURCE may take "
                   f"(at most {MAX_TIMEOUT:g}).")
def ircc(source: str, content: Path, dry_run: bool, skip_invalid: bool,
         create_categories: bool, timeout: float) -> None:
    from .tools.ircc.fetch import SourceError, check_url, decode, is_url, read_source
    from .tools.ircc.importer import Options, import_rounds
    from .tools.ircc.rounds import parse_rounds
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
                      create_categories=create_categories)
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


def _held_back(content: Content | None, now: dt.datetime) -> tuple[int, int, dt.date]:
    """What a build leaves out: (drafts, non-draft entries dated after today, today)."""
    if content is None:
        return (0, 0, now.date())
    today = site_now(now, content.site.tz).date()
    drafts = sum(d.draft for d in content.draws)
    scheduled = sum(d.date > today and not d.draft for d in content.draws)
    return drafts, scheduled, today


def _left_out(drafts: int, scheduled: int, today: dt.date) -> list[str]:
    """What a build leaves out, in words."""
    parts = []
    if drafts:
        parts.append(f"{drafts} draft(s), built only with --drafts")
    if scheduled:
        parts.append(f"{scheduled} dated after {today.isoformat()}, built only with "
                     "--future or from their date")
    return parts


def _schema_categories(content: Path) -> dict[str, Category] | None:
    from .source.categories import load_categories
    if not (content / "categories.yaml").is_file():
        return None
    categories, problems = load_categories(content)
    if problems:
        echo(f"note: {content / 'categories.yaml'} has {len(problems)} problem(s); "
             "the schema allows any category key", err=True)
    return categories or None


@main.command()
@CONTENT_OPTION
@click.argument("kind", type=click.Choice(KINDS), default="draw")
@click.option("--write", "write_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="DIR",
              help=f"Write every schema file into DIR (entries point at CONTENT/{SCHEMA_FOLDER}).")
@click.option("--check", "check_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="DIR",
              help="Exit 1 if the schema files in DIR are missing or out of date.")
def schema(content: Path, kind: str, write_dir: Path | None, check_dir: Path | None) -> None:
    """Print the JSON Schema of a draw entry (or of site.yaml or categories.yaml).

    The schema is generated from the model validation uses, with the category
    keys of CONTENT. Editors' YAML tools read it through each file's first line,
    `# yaml-language-server: $schema=...`.
    """
    from .tools.schemafiles import schema_text, stale_files, write_files
    if write_dir is not None and check_dir is not None:
        raise click.UsageError("use either --write or --check, not both")
    categories = _schema_categories(content)
    if write_dir is not None:
        changed = write_files(write_dir, categories)
        for path in changed:
            echo(f"wrote {path}")
        if not changed:
            echo(f"{write_dir}: schema files are up to date")
    elif check_dir is not None:
        stale = stale_files(check_dir, categories)
        for path in stale:
            echo(f"{path}: missing or out of date "
                 f"(run: drawdesk schema --content {content} --write {check_dir})",
                 err=True)
        sys.exit(1 if stale else 0)
    else:
        echo(schema_text(kind, categories), nl=False)


@main.group()
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
        from .tools.newentry import read_field
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
    from .source.loader import load_content
    from .tools import newentry
    categories, problems = newentry.known_categories(content)
    if not categories:
        _print_problems(problems)
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
    _print_problems(problems)
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


@main.command()
@site_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (0.0.0.0: every interface; think twice).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="Where to build (default: a temporary folder, removed on exit).")
def serve(content: Path, host: str, port: int, output: Path | None, drafts: bool,
          future: bool, now_option: dt.datetime | None, templates: Path | None) -> None:
    """Preview the site: build, serve, rebuild on change and reload the page.

    Watches CONTENT and the templates. Pages reload after each rebuild; an
    invalid entry is reported here and shown over the page, and the last good
    build stays online until it is fixed. Ctrl-C stops the server.
    """
    from urllib.parse import urlsplit

    from .source.loader import load_content
    from .tools.serve import ServeOptions, exposure, listening
    from .tools.serve import serve as run_serve
    now = _now(now_option)
    config = BuildConfig(content=content, output=Path("unused"), drafts=drafts, future=future,
                         now=now, templates=templates)

    def started(url: str, result) -> None:
        if result is not None:
            echo(result.summary())
            loaded = load_content(content).content
            drafts_left, scheduled_left, today = _held_back(loaded, now)
            parts = _left_out(0 if drafts else drafts_left, 0 if future else scheduled_left,
                              today)
            if parts:
                echo(f"Not shown: {'; '.join(parts)}.")
        if output is not None:
            echo(f"note: {output} holds preview pages (with a reload script); "
                 "run drawdesk build before publishing.")
        warning = exposure(host)
        if warning is not None:
            echo(warning, err=True)
        echo(f"Serving {listening(host, url, int(urlsplit(url).port or port))} "
             "(Ctrl-C to stop)")

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        run_serve(config, ServeOptions(host=host, port=port, output=output),
                  echo=echo, echo_err=lambda line: echo(line, err=True),
                  started=started)
    except KeyboardInterrupt:
        echo("Stopped.")
    except OSError as exc:
        echo(f"Cannot serve on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    finally:
        signal.signal(signal.SIGTERM, previous)
