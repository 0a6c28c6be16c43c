"""`drawdesk build` and `drawdesk clean`: the site into its output folder, and away."""

from __future__ import annotations

import datetime as dt
import signal
import sys
from pathlib import Path

import click

from ..core.options import BuildConfig
from ..core.problems import ContentError, TemplateProblem
from ..output.folder import OutputError, describe
from .common import (
    CONTENT_OPTION,
    SiteValue,
    echo,
    parse_now,
    print_problems,
    site_options,
    terminate,
)


@click.command()
@site_options
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Where to write the site.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
@click.option("--force", is_flag=True,
              help="Replace OUTPUT even if it holds files drawdesk did not write (a .git "
                   "folder in it is kept).")
@click.option("--base-url", type=SiteValue("base_url"), default=None, metavar="URL",
              help="Build for this address instead of site.yaml's base_url (e.g. the "
                   "address GitHub Pages gives the site).")
def build(content: Path, output: Path, drafts: bool, future: bool,
          now_option: dt.datetime | None, templates: Path | None, quiet: bool,
          force: bool, base_url: str | None) -> None:
    """Build the site from CONTENT into OUTPUT.

    OUTPUT is replaced whole, and only if it is missing, empty or built by drawdesk
    before (or with --force); a .git folder in it is always kept.
    """
    from ..build import LoadInterrupted
    from ..build import build as run_build
    from ..core.progress import terminal_progress
    now = parse_now(now_option)
    config = BuildConfig(content=content, output=output, drafts=drafts, future=future,
                         now=now, templates=templates, force=force, base_url=base_url)
    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        result = run_build(config, terminal_progress(quiet))
    except ContentError as exc:
        print_problems(exc.problems)
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
    print_problems(result.warnings)
    if not quiet:
        echo(result.summary())


@click.command()
@CONTENT_OPTION
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="The output folder to remove.")
@click.option("--force", is_flag=True,
              help="Remove OUTPUT even if it holds files drawdesk did not write.")
def clean(content: Path, output: Path, force: bool) -> None:
    """Remove the build cache (.drawdesk/ beside CONTENT) and the OUTPUT folder (a .git
    folder in it is kept)."""
    from ..buildcache.storage import clean as remove
    from ..core.theme import THEME_DIR
    from ..output.folder import check_output_folder, check_ownership, clear_leftovers, output_lock
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


