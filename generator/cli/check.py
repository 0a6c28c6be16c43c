"""`drawdesk validate` and `drawdesk schema`: every problem in the content at once, and the
JSON Schema files editors' tools check entries with."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..tools.schemafiles import KINDS, SCHEMA_FOLDER
from .common import (
    CONTENT_OPTION,
    NOW_OPTION,
    echo,
    held_back,
    left_out,
    parse_now,
    print_problems,
)

if TYPE_CHECKING:
    from ..core.models import Category


@click.command()
@CONTENT_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format (json for CI systems).")
@NOW_OPTION
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="The last build's output folder: published figures "
                                      "changed without a correction are warned about.")
def validate(content: Path, fmt: str, now_option: dt.datetime | None, output: Path) -> None:
    """Check every entry, drafts and scheduled ones too, and report every problem at once.

    Errors fail the check (exit 1); warnings point at figures worth a second
    look (a cut-off far from the category's previous draw, a weekend date, a
    figure the last build in OUTPUT published changed without a correction).
    """
    import json

    from ..source.loader import load_content
    from ..tools.published import uncorrected_changes
    from ..tools.schemafiles import schema_warnings
    now = parse_now(now_option)
    loaded = load_content(content)
    warnings = loaded.warnings
    held = held_back(loaded.content, now)
    if loaded.content is not None:
        warnings = sorted(warnings + schema_warnings(content, loaded.content.categories)
                          + uncorrected_changes(loaded.content, loaded.positions, output,
                                                held[2]))
    if fmt == "json":
        echo(json.dumps({
            "ok": not loaded.errors,
            "entries": len(loaded.content.draws) if loaded.content else None,
            "posts": len(loaded.content.posts) if loaded.content else None,
            "drafts": held[0] if loaded.content else None,
            "scheduled": held[1] if loaded.content else None,
            "errors": [p.as_dict() for p in loaded.errors],
            "warnings": [p.as_dict() for p in warnings],
        }, indent=2))
    else:
        print_problems(loaded.errors + warnings)
        if not loaded.errors:
            count = len(loaded.content.draws) if loaded.content else 0
            posts = len(loaded.content.posts) if loaded.content else 0
            line = f"{count} entries valid" if not posts else \
                f"{count} entries and {posts} post{'s' if posts != 1 else ''} valid"
            if warnings:
                line += f", {len(warnings)} warning(s)"
            parts = left_out(*held)
            echo(line + (f" ({'; '.join(parts)})" if parts else ""))
        else:
            echo(f"{len(loaded.errors)} error(s), {len(warnings)} warning(s)", err=True)
    sys.exit(1 if loaded.errors else 0)


def _schema_categories(content: Path) -> dict[str, Category] | None:
    from ..source.categories import load_categories
    if not (content / "categories.yaml").is_file():
        return None
    categories, problems = load_categories(content)
    if problems:
        echo(f"note: {content / 'categories.yaml'} has {len(problems)} problem(s); "
             "the schema allows any category key", err=True)
    return categories or None


@click.command()
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
    from ..tools.schemafiles import schema_text, stale_files, write_files
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


