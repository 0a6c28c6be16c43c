"""Turn IRCC's rounds into draw entries: add new ones, update the data of existing ones.

The jobs, each in its own module: reading IRCC's file (`fetch`, `values`,
`rounds`), telling each round's category by its program name (`categories`),
planning every entry's change (`plan`, which edits YAML text in place through
`source.yamledit` and writes new entries as `new draw` does, `tools.entries`),
then writing the files, each one whole (`output.atomic`).

An entry's *data fields* come from IRCC; everything else in the file (title,
slug, summary, sections, FAQ, disclaimer, draft, comments, blank lines, the
order of keys) belongs to its editor and is kept byte for byte. Nothing is
written until every round has been checked, and every message is a `Problem`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...core.options import site_now
from ...core.problems import Problem, display_path
from ...output.atomic import write_atomically
from ...source.loader import load_content
from .categories import NewCategory, match_rounds
from .corrections import import_moment
from .plan import Outcome, Write, plan_entries
from .rounds import Parsed


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    skip_invalid: bool = False
    create_categories: bool = False
    # The import's "now" (naive: the site's time): when its corrections are recorded, and
    # which entries are published (not drafts, not dated after it); default: the clock.
    now: dt.datetime | None = None
    drafts_for_new: bool = False  # new rounds get draft: true (or site.yaml's import.new_rounds)


@dataclass
class Result:
    """What the import did (or would do), and every problem, as the command line shows
    them: errors (nothing is written) and warnings."""

    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # labels of invalid rounds left out
    new_categories: list[NewCategory] = field(default_factory=list)
    categories_path: str = ""
    written: bool = False

    def count(self, kind: str) -> int:
        return sum(1 for o in self.outcomes if o.kind == kind)

    def summary(self, dry_run: bool) -> str:
        counts = (f"{self.count('added')} added, {self.count('updated')} updated, "
                  f"{self.count('unchanged')} unchanged")
        if self.skipped:
            counts += f", {len(self.skipped)} skipped (invalid)"
        if self.new_categories:
            counts += f", {len(self.new_categories)} new categor" + \
                ("y" if len(self.new_categories) == 1 else "ies")
        return f"Dry run, nothing written: {counts}." if dry_run else f"Imported: {counts}."


def import_rounds(content: Path, parsed: Parsed, source: str,
                  options: Options | None = None) -> Result:
    """Check every round, then (unless it is a dry run) write the entries.

    Nothing is written when anything is wrong: `Result.errors` says what.
    """
    options = options or Options()
    result = Result()
    loaded = load_content(content, allow_empty_pools=True)
    if loaded.content is None:
        result.errors += loaded.errors
        result.errors.append(Problem(
            display_path(content, content), 0, 0, "",
            f"the content has {len(loaded.errors)} problem(s); fix them first (drawdesk "
            "validate), then import again"))
        return result
    site = loaded.content
    categories_path = content / "categories.yaml"
    result.categories_path = display_path(categories_path, content)
    _report_rounds(parsed, source, options, result)
    matched = match_rounds(parsed.rounds, site.categories, source, categories_path,
                           result.categories_path, options.create_categories)
    result.new_categories = matched.new_categories
    result.errors += matched.errors
    if result.errors:
        return result
    now = options.now or dt.datetime.now(dt.UTC)
    at = import_moment(now, site.site.tz)
    drafts = options.drafts_for_new or site.site.new_rounds == "draft"
    planned = plan_entries(content, site.draws, parsed.rounds, matched.keys, matched.types,
                           at, site_now(now, site.site.tz).date(), drafts)
    result.warnings += planned.notes
    if planned.errors:
        result.errors = list(dict.fromkeys(planned.errors))
        return result
    result.outcomes = planned.outcomes
    if not options.dry_run:
        categories = [Write(categories_path, matched.categories_file)] \
            if matched.categories_file is not None else []
        _write(content, categories + planned.writes, result)
    return result


def _report_rounds(parsed: Parsed, source: str, options: Options, result: Result) -> None:
    """What reading the rounds found, as errors (or, with --skip-invalid, notes)."""
    for problem in parsed.issues:
        problem = replace(problem, path=source)
        if problem.severity == "warning":
            result.warnings.append(problem)
        elif options.skip_invalid:
            result.warnings.append(replace(problem, message=f"skipped: {problem.message}",
                                           severity="note"))
        else:
            result.errors.append(problem)
    if parsed.invalid:
        if options.skip_invalid:
            result.skipped = list(dict.fromkeys(parsed.invalid))
        else:
            result.errors.append(Problem(
                source, 0, 0, "", f"{len(set(parsed.invalid))} invalid round(s) "
                f"({', '.join(dict.fromkeys(parsed.invalid))}); correct the file, or run "
                "with --skip-invalid to import the other rounds"))


def _write(content: Path, items: list[Write], result: Result) -> None:
    """Write every planned file, each one whole; on a failure, say how far it got."""
    for done, item in enumerate(items):
        try:
            write_atomically(item.path, item.data)
        except OSError as exc:
            result.errors.append(Problem(
                display_path(item.path, content), 0, 0, "",
                f"cannot write ({exc.strerror or exc}); {done} of {len(items)} files were "
                "written, each one whole: fix the problem and import again"))
            result.written = done > 0
            return
    result.written = True
