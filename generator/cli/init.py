"""`drawdesk init [DIR]`: start a new site, from options or answers (tools/sitestart.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..core.models import NEW_ROUNDS
from ..output.folder import describe
from ..tools import sitestart
from ..tools.sitestart import CI_CHOICES, DEFAULT_TIMEZONE, LANGUAGE_CHOICES
from .common import SiteValue, echo


class TimeZone(click.ParamType):
    """An IANA time zone name, checked as site.yaml's is."""

    name = "timezone"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        from ..source.site import timezone_problem
        text = str(value).strip()
        wrong = timezone_problem(text)
        if wrong:
            self.fail(wrong, param, ctx)
        return text


def _ask(values: dict[str, Any], interactive: bool) -> sitestart.Settings:
    """The settings from `values` (options; None where not given), asking for what is
    missing when `interactive`, else taking the defaults."""
    def get(name: str, prompt: str, default: Any, kind: click.ParamType | None = None,
            choices: tuple[str, ...] = ()) -> Any:
        if values.get(name) is not None:
            return values[name]
        if not interactive:
            return default
        kind = click.Choice(choices) if choices else kind
        return click.prompt(prompt, default=default, type=kind, show_choices=False)

    languages = get("languages", "Editions: en (English), or en,fr (English and French)",
                    "en", choices=LANGUAGE_CHOICES)
    editions = tuple(languages.split(","))
    if values.get("title_fr") is not None and "fr" not in editions:
        raise click.UsageError("--title-fr is the French edition's title: add --languages "
                               "en,fr (or leave --title-fr out)")
    title = {"en": get("title", "Site title", sitestart.DEFAULT_TITLE["en"],
                       SiteValue("title"))}
    if "fr" in editions:
        title["fr"] = get("title_fr", "Site title in French", sitestart.DEFAULT_TITLE["fr"],
                          SiteValue("title"))
    base_url = get("base_url", "Address the site will be published at",
                   sitestart.DEFAULT_BASE_URL, SiteValue("base_url"))
    timezone = get("timezone", "Time zone of draw dates", DEFAULT_TIMEZONE, TimeZone())
    publisher = get("publisher_name", "Publisher's name", title["en"],
                    SiteValue("publisher.name"))
    publisher_url = get("publisher_url", "Publisher's web address", base_url,
                        SiteValue("publisher.url"))
    ci = values.get("ci")
    if ci:  # published automatically: ask whether new rounds wait for an editor
        new_rounds = get("new_rounds", "New rounds from IRCC: publish (at once), or draft "
                         "(for an editor to review)", "publish", choices=NEW_ROUNDS)
    else:
        new_rounds = values.get("new_rounds") or "publish"
    return sitestart.Settings(title=title, base_url=base_url, languages=editions,
                              timezone=timezone, publisher_name=publisher,
                              publisher_url=publisher_url, new_rounds=new_rounds, ci=ci)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path),
                default=Path("."), metavar="[DIR]")
@click.option("--title", type=SiteValue("title"), default=None,
              help="The site's name (in English).")
@click.option("--title-fr", type=SiteValue("title"), default=None,
              help="The site's name in French (with --languages en,fr).")
@click.option("--base-url", type=SiteValue("base_url"), default=None, metavar="URL",
              help="The address the site will be published at, with its path.")
@click.option("--languages", type=click.Choice(LANGUAGE_CHOICES), default=None,
              help="The editions: en, or en,fr for English and French.")
@click.option("--timezone", type=TimeZone(), default=None,
              help=f"The time zone of draw dates (default {DEFAULT_TIMEZONE}).")
@click.option("--publisher-name", type=SiteValue("publisher.name"), default=None,
              help="Who publishes the site (default: its title).")
@click.option("--publisher-url", type=SiteValue("publisher.url"), default=None, metavar="URL",
              help="The publisher's web address (default: the site's).")
@click.option("--ci", type=click.Choice(CI_CHOICES), default=None,
              help="Also write a workflow that imports IRCC's rounds on a schedule and "
                   "deploys the site (github: GitHub Actions and GitHub Pages).")
@click.option("--new-rounds", type=click.Choice(NEW_ROUNDS), default=None,
              help="What imports do with a round new to the site: publish it, or write it "
                   "as a draft for an editor to review (default: publish).")
@click.option("--no-input", is_flag=True, help="Never prompt: defaults for what is not given.")
def init(directory: Path, title: str | None, title_fr: str | None, base_url: str | None,
         languages: str | None, timezone: str | None, publisher_name: str | None,
         publisher_url: str | None, ci: str | None, new_rounds: str | None,
         no_input: bool) -> None:
    """Start a new site in DIR (default: the current folder).

    Writes content/ (site.yaml, categories.yaml with every category and program IRCC
    has used, the schema files, an empty draws/), a .gitignore, VS Code settings and a
    README; with --ci github, a GitHub Actions workflow. Asks for what options do not
    give. Never replaces a file: one already there (a README, a .gitignore) is left as
    it is and named; a folder that already holds a site (content/site.yaml) is refused.
    """
    try:  # refused before any question: nothing to ask for a folder that has a site
        sitestart.check_folder(directory)
    except sitestart.SiteExists as exc:
        echo(f"init: {exc}; nothing was written (to change its settings, edit "
             f"{directory / sitestart.SITE_FILE}).", err=True)
        sys.exit(1)
    settings = _ask({
        "title": title, "title_fr": title_fr, "base_url": base_url, "languages": languages,
        "timezone": timezone, "publisher_name": publisher_name,
        "publisher_url": publisher_url, "ci": ci, "new_rounds": new_rounds,
    }, interactive=not no_input)
    try:
        plan = sitestart.plan_site(directory, settings)
        written = sitestart.write_site(directory, plan)
    except sitestart.SiteExists as exc:  # made while the questions were asked
        echo(f"init: {exc}; nothing was written.", err=True)
        sys.exit(1)
    except OSError as exc:
        echo(f"init: {describe(exc)}; nothing was written.", err=True)
        sys.exit(1)
    for path in written:
        echo(f"created {path}")
    for name in plan.skipped:
        echo(f"skipped {directory / name} (already there: left as it is)")
    draws = directory / "content" / "draws"
    if not any(draws.iterdir()):
        echo(f"{draws}/ is empty: no draws yet")
    for line in sitestart.next_steps(directory, settings, plan):
        echo(line)
