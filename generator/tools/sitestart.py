"""`drawdesk init`: start a new site in a folder of its own.

A new site is a content folder that builds and passes the site checks at once
(no draws yet), with everything a publisher needs around it: `content/site.yaml`
(commented), `content/categories.yaml` (every category and program IRCC has used,
the bundled sample's own file), the JSON Schema files, an empty `content/draws/`
and `content/posts/` (news posts in Markdown),
a `.gitignore`, VS Code settings attaching the schemas, a README for the site,
and with `ci="github"` a GitHub Actions workflow that imports IRCC's rounds on a
schedule and deploys to GitHub Pages.

Init's data files live beside this module, in `starter/` (package data of the
wheel). The site.yaml written is read back by the loader `validate` uses before
anything is written. Nothing is ever overwritten: a file that is already there
(a README, a .gitignore) is left as it is and named; only a folder that already
holds a site (`content/site.yaml`) is refused.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from ..core.problems import Problem
from ..source.categories import load_categories
from ..source.fields import SITE_FIELDS
from ..source.site import load_site
from .ircc import OFFICIAL_URL
from .schemafiles import KINDS, SCHEMA_FOLDER, file_name, schema_text

STARTER = Path(__file__).resolve().parent / "starter"  # init's data files
LANGUAGE_CHOICES = ("en", "en,fr")
CI_CHOICES = ("github",)
SITE_FILE = "content/site.yaml"  # its presence means the folder already holds a site
WORKFLOW = ".github/workflows/drawdesk.yml"
DEFAULT_TITLE = {"en": "Express Entry draws", "fr": "Rondes d’Entrée express"}
DEFAULT_BASE_URL = "https://example.org/"  # reserved for examples (RFC 2606)
DEFAULT_TIMEZONE = "America/Toronto"  # Ottawa, where IRCC dates its draws
# The texts init does not ask for: the bundled sample's, true of any site drawdesk builds.
DESCRIPTION = {
    "en": "Every Express Entry round of invitations, explained as it is announced.",
    "fr": "Chaque ronde d’invitations d’Entrée express, expliquée dès son annonce.",
}
DISCLAIMER = {
    "en": "Immigration policies and procedures can change. This article is for general "
          "information only and does not constitute legal advice.",
    "fr": "Les politiques et les procédures d’immigration peuvent changer. Cet article est "
          "fourni à titre informatif seulement et ne constitue pas un avis juridique.",
}
# One comment per setting of site.yaml, in SITE_FIELDS order (a test holds them equal).
COMMENTS = {
    "title": "The site's name, on every page and feed (one text per edition).",
    "base_url": "The address the site is published at, with its path: every link, feed and "
                "sitemap entry starts with it.",
    "language": "The main language tag.",
    "languages": "The editions to publish: [en], or [en, fr] (pages then live under en/ and "
                 "fr/, and every text below needs its French version).",
    "description": "One sentence describing the site (home page, feeds).",
    "publisher": "Who publishes the site (feeds, structured data).",
    "timezone": "The time zone of draw dates, which decides what 'today' is for entries "
                "dated ahead (an IANA name).",
    "disclaimer": "Shown at the end of every article (an entry's own disclaimer replaces it).",
    "items_per_page": "Draws per index page.",
    "feed_items": "Items per feed.",
    "import": "What `drawdesk import ircc` does with a round new to the site: publish it at "
              "the next build, or write it as a draft (draft: true) for an editor to review "
              "first.",
}
IGNORED = ("/output/", "/.drawdesk/")  # what the starter .gitignore leaves out
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()&’'/-]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


@dataclass(frozen=True)
class Settings:
    """What `drawdesk init` asks for."""

    title: dict[str, str]  # by language
    base_url: str
    languages: tuple[str, ...]
    timezone: str
    publisher_name: str
    publisher_url: str
    new_rounds: str = "publish"
    ci: str | None = None


def version() -> str:
    """The version of drawdesk running init (the workflow installs the same one)."""
    from .. import __version__
    return __version__


# -- site.yaml --------------------------------------------------------------------------------
def _scalar(text: str) -> str:
    """A YAML scalar for `text`: plain when nothing can misread it, else double-quoted
    (JSON strings are valid YAML)."""
    if _PLAIN.fullmatch(text) and text.casefold() not in _YAML11_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _folded(key: str, text: str, indent: str) -> list[str]:
    """A long text as a folded block (`>-`), wrapped at 88 columns."""
    lines = textwrap.wrap(text, width=88 - len(indent) - 2, break_long_words=False,
                          break_on_hyphens=False)
    return [f"{indent}{key}: >-"] + [f"{indent}  {line}" for line in lines]


def site_yaml(settings: Settings) -> str:
    """content/site.yaml: every setting, each under a comment saying what it does."""
    langs = settings.languages
    body: dict[str, list[str]] = {
        "title": ["title:"] + [f"  {lang}: {_scalar(settings.title[lang])}" for lang in langs],
        "base_url": [f"base_url: {settings.base_url}"],
        "language": ["language: en-CA"],
        "languages": [f"languages: [{', '.join(langs)}]"],
        "description": ["description:"] + [
            line for lang in langs for line in _folded(lang, DESCRIPTION[lang], "  ")],
        "publisher": ["publisher:", f"  name: {_scalar(settings.publisher_name)}",
                      f"  url: {settings.publisher_url}"],
        "timezone": [f"timezone: {settings.timezone}"],
        "disclaimer": ["disclaimer:"] + [
            line for lang in langs for line in _folded(lang, DISCLAIMER[lang], "  ")],
        "items_per_page": ["items_per_page: 10"],
        "feed_items": ["feed_items: 50"],
        "import": ["import:", f"  new_rounds: {settings.new_rounds}"],
    }
    lines = [f"# yaml-language-server: $schema={SCHEMA_FOLDER}/{file_name('site')}",
             "# The site's settings, written by `drawdesk init`: edit them freely.",
             "# `drawdesk validate` checks this file; your editor does too, as you type."]
    for f in SITE_FIELDS:
        lines += [""] + ["# " + line for line in textwrap.wrap(COMMENTS[f.name], width=86)]
        lines += body[f.name]
    return "\n".join(lines) + "\n"


def _check_site_yaml(text: str, settings: Settings) -> None:
    """The site.yaml about to be written, read by the loader, has the values meant."""
    problems: list[Problem] = []
    site = load_site(Path("content"), problems, raw=text.encode("utf-8"))
    meant = (settings.title, settings.base_url, settings.languages, settings.timezone,
             settings.publisher_name, settings.publisher_url, settings.new_rounds)
    if site is None or problems or meant != (
            site.title, site.base_url, site.languages, site.timezone, site.publisher.name,
            site.publisher.url, site.new_rounds):  # pragma: no cover - read by the same readers
        raise ValueError(f"the site.yaml init would write is wrong: {problems or site}")


# -- the files --------------------------------------------------------------------------------
def _fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(f"%%{name}%%", value)
    if "%%" in text:  # pragma: no cover - the starter files use only the names above
        raise ValueError(f"unfilled marker in a starter file: {text[text.index('%%'):][:40]}")
    return text


def _starter(name: str) -> str:
    return (STARTER / name).read_text(encoding="utf-8")


def vscode_settings() -> str:
    """.vscode/settings.json: the schemas attached to the files they describe."""
    schemas = {
        f"./content/{SCHEMA_FOLDER}/{file_name('site')}": ["content/site.yaml"],
        f"./content/{SCHEMA_FOLDER}/{file_name('categories')}": ["content/categories.yaml"],
        f"./content/{SCHEMA_FOLDER}/{file_name('draw')}": ["content/draws/*.yaml",
                                                           "content/draws/**/*.yaml"],
    }
    return json.dumps({"yaml.schemas": schemas}, indent=2) + "\n"


def starter_files(settings: Settings, categories_folder: Path = STARTER) -> dict[str, bytes]:
    """Every file init writes, by path relative to the site's folder; the draw schema
    lists the categories of `categories_folder`/categories.yaml (init's own by default)."""
    categories, problems = load_categories(categories_folder)
    if problems:  # pragma: no cover - a test loads init's file; plan_site checks another
        raise ValueError(f"init's categories.yaml does not load: {problems[0]}")
    site = site_yaml(settings)
    _check_site_yaml(site, settings)
    markers = {"title": settings.title["en"], "version": version(), "ircc_url": OFFICIAL_URL}
    workflow_row = (f"\n| `{WORKFLOW}` | imports IRCC's rounds on a schedule and deploys "
                    "the site to GitHub Pages (see Deploy) |" if settings.ci == "github" else "")
    deploy = _fill(_starter("README-github.md" if settings.ci == "github"
                            else "README-other.md"), markers)
    readme = _fill(_starter("README.md"), {**markers, "deploy": deploy.rstrip("\n"),
                                           "workflow_row": workflow_row})
    files = {
        SITE_FILE: site,
        "content/categories.yaml": _starter("categories.yaml"),
        **{f"content/{SCHEMA_FOLDER}/{file_name(kind)}": schema_text(kind, categories)
           for kind in KINDS},
        ".gitignore": _starter("gitignore"),
        ".vscode/settings.json": vscode_settings(),
        ".vscode/extensions.json": json.dumps({"recommendations": ["redhat.vscode-yaml"]},
                                              indent=2) + "\n",
        "README.md": readme,
    }
    if settings.ci == "github":
        files[WORKFLOW] = _fill(_starter("drawdesk.yml"), markers)
    return {path: text.encode("utf-8") for path, text in files.items()}


# -- what to write ----------------------------------------------------------------------------
FOLDERS = ("content/draws", "content/posts")  # created though no file is written in them


class SiteExists(Exception):
    """The folder already holds a site (content/site.yaml): init writes nothing there."""


@dataclass
class Plan:
    """What init writes into a folder, and what it leaves as it is."""

    files: dict[str, bytes]  # to create, by path relative to the folder
    skipped: list[str] = field(default_factory=list)  # already there: left as they are
    notes: list[str] = field(default_factory=list)  # what the publisher should know of them


def _there(path: Path) -> bool:
    return os.path.lexists(path)  # links count, even broken ones: never followed


def check_folder(folder: Path) -> None:
    """Raise SiteExists if `folder` already holds a site."""
    if _there(folder / SITE_FILE):
        raise SiteExists(f"{folder} already holds a site ({SITE_FILE} exists)")


def plan_site(folder: Path, settings: Settings) -> Plan:
    """The files to write into `folder`: every starter file not already there. Raises
    SiteExists if the folder already holds a site."""
    check_folder(folder)
    notes = []
    categories = folder / "content" / "categories.yaml"
    source = STARTER
    if _there(categories):  # the schema files must list the categories the site will have
        found, problems = load_categories(folder / "content")
        if found:
            source = folder / "content"
        else:
            notes.append(f"content/categories.yaml was there and has {len(problems)} "
                         "problem(s) (drawdesk validate lists them): once it is right, run "
                         "drawdesk schema --write content/schema")
    files = starter_files(settings, source)
    skipped = [path for path in files if _there(folder / path)]
    if ".gitignore" in skipped:
        present = {line.strip("/") for line in _lines(folder / ".gitignore")}
        missing = [line for line in IGNORED if line.strip("/") not in present]
        if missing:
            notes.append(f".gitignore was there: add {' and '.join(missing)} to it (the "
                         "built site and the build cache are never committed)")
    return Plan({path: data for path, data in files.items() if path not in skipped},
                skipped, notes)


def _lines(path: Path) -> set[str]:
    try:
        return {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    except (OSError, UnicodeDecodeError):
        return set()


# -- writing ----------------------------------------------------------------------------------
def write_site(folder: Path, plan: Plan) -> list[Path]:
    """Create every planned file (never replacing one) and the site's empty folders; on
    any failure remove what was created and raise. Returns the files written."""
    created_dirs: list[Path] = []
    written: list[Path] = []

    def make_dirs(path: Path) -> None:
        missing = []
        while not path.is_dir():
            missing.append(path)
            path = path.parent
        for path in reversed(missing):
            path.mkdir()
            created_dirs.append(path)

    try:
        make_dirs(folder)
        for name in FOLDERS:
            make_dirs(folder / name)
        for name, data in plan.files.items():
            path = folder / name
            make_dirs(path.parent)
            with open(path, "xb") as handle:  # "x": never replaces a file, nor follows a link
                written.append(path)
                handle.write(data)
    except BaseException:
        for path in reversed(written):
            path.unlink(missing_ok=True)
        for path in reversed(created_dirs):
            try:
                path.rmdir()
            except OSError:
                pass
        raise
    return written


def next_steps(folder: Path, settings: Settings, plan: Plan) -> list[str]:
    """What to do after init: notes on what needs the publisher, then the commands."""
    lines = [f"note: {note}." for note in plan.notes]
    if settings.base_url == DEFAULT_BASE_URL:
        pages = (" (the GitHub workflow builds for the address GitHub Pages gives the site)"
                 if settings.ci == "github" else "")
        lines.append(f"note: base_url is {DEFAULT_BASE_URL}, an address reserved for "
                     "examples: set it in content/site.yaml to the address the site will be "
                     f"published at{pages}.")
    if settings.ci == "github":
        lines.append(f"note: set DRAWDESK_REQUIREMENT in {WORKFLOW} to where pip finds "
                     f"drawdesk {version()} (not on a package index yet), and choose GitHub "
                     "Actions as the source in the repository's Settings > Pages"
                     + (": README.md says how." if "README.md" in plan.files else "."))
    lines.append("Next:")
    if folder.resolve() != Path.cwd().resolve():
        lines.append(f"  cd {shlex.quote(str(folder))}")
    lines += [f"  drawdesk import ircc {OFFICIAL_URL}",
              "  drawdesk serve     # preview at http://127.0.0.1:8000/",
              "  drawdesk build     # the site, in output/"]
    return lines
