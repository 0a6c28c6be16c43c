"""What the commands share: how they print, the options `build` and `serve` both take, and what
a build leaves out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..core.options import build_now, site_now
from ..core.problems import Problem, printable

if TYPE_CHECKING:
    from ..core.models import Content

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


class SiteValue(click.ParamType):
    """An option read as the site.yaml field `name` is (`base_url`: an address a site can
    be published at, ending with '/'; `title`, `publisher.name`: a line of text;
    `publisher.url`: a web address), with validate's message when it is not one."""

    def __init__(self, name: str):
        self.field = name
        self.name = "url" if name.endswith("url") else "text"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        from ..source.site import read_base_url, read_site_value
        try:
            if self.field == "base_url":
                return read_base_url(str(value))
            return read_site_value(self.field, str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def parse_now(option: dt.datetime | None) -> dt.datetime:
    """The build's "now" from --now, SOURCE_DATE_EPOCH or the clock (a usage error if out of
    range)."""
    try:
        return build_now(option)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def echo(message: object = "", err: bool = False, nl: bool = True) -> None:
    """Print a message; no control character but its newlines reaches the terminal (a
    file name may hold an escape sequence)."""
    click.echo(printable(str(message), keep_newlines=True), err=err, nl=nl)


def print_problems(problems: list[Problem]) -> None:
    """Every problem, one a line, on standard error."""
    for problem in problems:
        echo(str(problem), err=True)


def terminate(signum: int, frame: object) -> None:  # pragma: no cover - in a subprocess
    """SIGTERM as Ctrl-C: what a build or serve says when interrupted, they say then."""
    raise KeyboardInterrupt


def held_back(content: Content | None, now: dt.datetime) -> tuple[int, int, dt.date]:
    """What a build leaves out: (drafts, non-draft entries dated after today, today),
    draws and posts together."""
    if content is None:
        return (0, 0, now.date())
    today = site_now(now, content.site.tz).date()
    entries = (*content.draws, *content.posts)
    drafts = sum(d.draft for d in entries)
    scheduled = sum(d.date > today and not d.draft for d in entries)
    return drafts, scheduled, today


def left_out(drafts: int, scheduled: int, today: dt.date) -> list[str]:
    """What a build leaves out, in words."""
    parts = []
    if drafts:
        parts.append(f"{drafts} draft(s), built only with --drafts")
    if scheduled:
        parts.append(f"{scheduled} dated after {today.isoformat()}, built only with "
                     "--future or from their date")
    return parts


