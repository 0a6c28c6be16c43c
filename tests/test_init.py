"""`drawdesk init`: a new site that validates and builds at once, written from options,
defaults or prompts, the same settings and categories as the bundled sample, never over a
file that exists (what is there is left as it is and named), never over a site."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import feedparser
import html5lib
import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, SAMPLE, snapshot
from sitecheck import broken_links
from test_empty_site import NO_DRAWS

from drawdesk.cli import main
from drawdesk.source.fields import SITE_FIELDS
from drawdesk.source.loader import load_content
from drawdesk.tools import sitestart

FILES = ["content/site.yaml", "content/categories.yaml", "content/schema/draw.schema.json",
         "content/schema/post.schema.json", "content/schema/site.schema.json",
         "content/schema/categories.schema.json",
         ".gitignore", ".vscode/settings.json", ".vscode/extensions.json", "README.md"]
WORKFLOW = ".github/workflows/drawdesk.yml"
# The bundled sample's own settings, given as options: init must then write its site.yaml.
SAMPLE_OPTIONS = ["--title", "Express Entry Draw Desk",
                  "--title-fr", "Suivi des rondes d’Entrée express",
                  "--base-url", "https://example.org/news/", "--languages", "en,fr",
                  "--timezone", "America/Toronto", "--publisher-name", "Draw Desk Newsroom",
                  "--publisher-url", "https://newsroom.example.com/", "--new-rounds", "publish"]


def init(folder: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["init", str(folder), *args], input=input)


def run(folder: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--content", str(folder / "content")])


def files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("languages", ["en", "en,fr"])
def test_a_new_site_validates_builds_and_says_it_has_no_draw_yet(tmp_path, languages):
    folder = tmp_path / "desk"
    result = init(folder, "--no-input", "--languages", languages)
    assert result.exit_code == 0, result.output
    assert files_of(folder) == sorted(FILES)
    assert (folder / "content/draws").is_dir() and not list((folder / "content/draws").iterdir())
    assert (folder / "content/posts").is_dir() and not list((folder / "content/posts").iterdir())
    for name in FILES:
        assert f"created {folder / name}\n" in result.output
    assert "skipped" not in result.output
    assert "note: base_url is https://example.org/, an address reserved for examples" \
        in result.output
    assert f"  cd {folder}\n  drawdesk import ircc https://www.canada.ca/" in result.output

    checked = run(folder, "validate")
    assert checked.exit_code == 0 and checked.output == "0 entries valid\n", checked.output
    output = folder / "output"
    built = CliRunner().invoke(main, ["build", "--content", str(folder / "content"),
                                      "--output", str(output)])
    assert built.exit_code == 0, built.output
    editions = {"en": "en/", "fr": "fr/"} if languages == "en,fr" else {"en": ""}
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in output.rglob("*.html"):
        parser.parse(page.read_bytes())
    for lang, prefix in editions.items():
        home = (output / prefix / "index.html").read_text(encoding="utf-8")
        assert f"<title>{sitestart.DEFAULT_TITLE[lang]}</title>" in home
        assert NO_DRAWS[lang] in home
        for name in ("feed.xml", "atom.xml"):
            feed = feedparser.parse((output / prefix / name).read_bytes())
            assert not feed.bozo and feed.entries == []
    assert broken_links(output, "https://example.org/") == []


def test_what_init_writes_is_what_the_bundled_sample_uses(tmp_path):
    """Init's settings, categories, schema files and content files are the sample's: a
    setting or content file added to the sample (or to SITE_FIELDS) without init writing
    it fails here."""
    folder = tmp_path / "desk"
    result = init(folder, "--no-input", *SAMPLE_OPTIONS)
    assert result.exit_code == 0, result.output
    content = folder / "content"
    assert (content / "categories.yaml").read_bytes() == \
        (SAMPLE / "categories.yaml").read_bytes()
    for schema in (SAMPLE / "schema").iterdir():
        assert (content / "schema" / schema.name).read_bytes() == schema.read_bytes(), schema
    written = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    sample = yaml.safe_load((SAMPLE / "site.yaml").read_text(encoding="utf-8"))
    assert written == sample
    assert list(written) == [f.name for f in SITE_FIELDS] == list(sitestart.COMMENTS)

    def content_files(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*")
                if p.is_file() and p.relative_to(root).parts[0] not in ("draws", "posts")}
    assert content_files(content) == content_files(SAMPLE)
    first = (content / "site.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == (SAMPLE / "site.yaml").read_text(encoding="utf-8").splitlines()[0]


def test_init_copy_of_the_categories_is_the_samples():
    assert (sitestart.STARTER / "categories.yaml").read_bytes() == \
        (SAMPLE / "categories.yaml").read_bytes()


def test_site_yaml_has_a_comment_over_every_setting(tmp_path):
    assert init(tmp_path, "--no-input").exit_code == 0
    lines = (tmp_path / "content/site.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=schema/site.schema.json"
    for f in SITE_FIELDS:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"{f.name}:"))
        assert lines[at - 1].startswith("# "), f.name


def test_answers_to_the_prompts(tmp_path):
    answers = "\n".join([
        "fr",  # not a choice: asked again
        "en,fr",
        "Rondes: le \"suivi\" #1",  # YAML-significant characters
        "Suivi des rondes",
        "ftp://example.org/",  # refused
        "https://me.github.io/rondes",
        "Mars/Olympus",  # refused
        "America/Vancouver",
        "",  # publisher: the title
        "",  # publisher's address: the site's
    ]) + "\n"
    result = init(tmp_path, input=answers)
    assert result.exit_code == 0, result.output
    assert "Error: 'fr' is not one of 'en', 'en,fr'" in result.output
    assert "Error: 'ftp://example.org/' is not a web address" in result.output
    assert "Error: 'Mars/Olympus' is not a known time zone" in result.output
    assert "note: base_url" not in result.output
    site = yaml.safe_load((tmp_path / "content/site.yaml").read_text(encoding="utf-8"))
    assert site["title"] == {"en": "Rondes: le \"suivi\" #1", "fr": "Suivi des rondes"}
    assert site["base_url"] == "https://me.github.io/rondes/"
    assert site["timezone"] == "America/Vancouver"
    assert site["languages"] == ["en", "fr"]
    assert site["publisher"] == {"name": "Rondes: le \"suivi\" #1",
                                 "url": "https://me.github.io/rondes/"}
    assert run(tmp_path, "validate").exit_code == 0
    assert not (tmp_path / WORKFLOW).exists()


def test_with_a_workflow_init_asks_whether_new_rounds_wait_for_an_editor(tmp_path):
    result = init(tmp_path, "--ci", "github", "--base-url", "https://me.github.io/desk/",
                  input="\n\n\n\n\nlater\ndraft\n")
    assert result.exit_code == 0, result.output
    assert "New rounds from IRCC: publish (at once), or draft (for an editor to review) " \
           "[publish]:" in result.output
    assert "Error: 'later' is not one of 'publish', 'draft'." in result.output
    site = yaml.safe_load((tmp_path / "content/site.yaml").read_text(encoding="utf-8"))
    assert site["import"] == {"new_rounds": "draft"}
    assert site["base_url"] == "https://me.github.io/desk/"
    assert (tmp_path / WORKFLOW).is_file()


def test_with_every_option_nothing_is_asked(tmp_path):
    result = init(tmp_path, *SAMPLE_OPTIONS, "--ci", "github", input="")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"created {tmp_path / 'content/site.yaml'}\n")  # no prompt
    assert (tmp_path / WORKFLOW).is_file()


@pytest.mark.parametrize("option, value, message", [
    ("--base-url", "https://x.org/?page=1", "has a query or a fragment"),
    ("--base-url", "https://user:pw@x.org/", "holds a user name or password"),
    ("--publisher-url", "example.org", "is not a web address"),
    ("--timezone", "Mars/Olympus", "is not a known time zone"),
    ("--languages", "fr", "is not one of 'en', 'en,fr'"),
    ("--title", "\x1b[31mred", "contains control characters"),
    ("--ci", "gitlab", "is not 'github'"),
    ("--title-fr", "Rondes", "add --languages en,fr"),
])
def test_wrong_options_are_refused_and_nothing_is_written(tmp_path, option, value, message):
    result = init(tmp_path / "desk", "--no-input", option, value)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "desk").exists()


@pytest.mark.parametrize("existing", [["README.md"], [".gitignore"],
                                      ["README.md", ".gitignore", ".git/HEAD"],
                                      ["content/categories.yaml"]])
def test_a_folder_with_files_gets_what_is_missing_and_keeps_its_own(tmp_path, existing):
    """A repository with a README, a .gitignore, a .git: init writes the rest, names what it
    left as it is, and changes none of it."""
    for name in existing:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        text = (SAMPLE / "categories.yaml").read_text(encoding="utf-8") \
            if name.endswith("categories.yaml") else f"mine: {name}\n"
        (tmp_path / name).write_text(text, encoding="utf-8")
    before = snapshot(tmp_path)
    result = init(tmp_path, "--no-input", "--ci", "github")
    assert result.exit_code == 0, result.output
    for name in [*FILES, WORKFLOW]:
        line = f"skipped {tmp_path / name} (already there: left as it is)\n" \
            if name in existing else f"created {tmp_path / name}\n"
        assert line in result.output, name
    after = snapshot(tmp_path)
    assert {name: after[name] for name in before} == before  # theirs, byte for byte
    assert sorted(after) == sorted({*FILES, WORKFLOW, *existing})
    if ".gitignore" in existing:
        assert "note: .gitignore was there: add /output/ and /.drawdesk/ to it" in result.output
    checked = run(tmp_path, "validate")  # the site is whole: it validates and builds
    assert checked.exit_code == 0 and checked.output == "0 entries valid\n", checked.output
    built = CliRunner().invoke(main, ["build", "--content", str(tmp_path / "content"),
                                      "--output", str(tmp_path / "output")])
    assert built.exit_code == 0, built.output


def test_a_gitignore_that_leaves_out_the_build_already_gets_no_note(tmp_path):
    (tmp_path / ".gitignore").write_text("node_modules/\noutput/\n/.drawdesk\n",
                                         encoding="utf-8")
    result = init(tmp_path, "--no-input")
    assert result.exit_code == 0, result.output
    assert f"skipped {tmp_path / '.gitignore'}" in result.output
    assert "note: .gitignore" not in result.output


def test_a_folder_that_holds_a_site_is_refused_before_any_question(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/site.yaml").write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = init(tmp_path, input="")  # no answer is asked for
    assert result.exit_code == 1
    assert result.output == (f"init: {tmp_path} already holds a site (content/site.yaml "
                             "exists); nothing was written (to change its settings, edit "
                             f"{tmp_path / 'content/site.yaml'}).\n")
    assert snapshot(tmp_path) == before


def test_a_categories_file_of_the_sites_own_is_what_the_schema_lists(tmp_path):
    (tmp_path / "content").mkdir()
    parts = (SAMPLE / "categories.yaml").read_text(encoding="utf-8").split("\n- key: ")
    assert parts[1].startswith("general\n")
    (tmp_path / "content/categories.yaml").write_text("\n- key: ".join(parts[:1] + parts[2:]),
                                                      encoding="utf-8")  # without general
    assert init(tmp_path, "--no-input").exit_code == 0
    schema = json.loads((tmp_path / "content/schema/draw.schema.json").read_text("utf-8"))
    keys = schema["properties"]["category"]["enum"]
    assert "general" not in keys and "healthcare" in keys
    assert run(tmp_path, "validate").exit_code == 0  # schema files in step: no warning


def test_a_link_in_the_way_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    os.symlink(outside / "site.yaml", site / "content/site.yaml")  # leads nowhere yet
    os.symlink(outside / "README.md", site / "README.md")  # a link in the way: left alone
    result = init(site, "--no-input")
    assert result.exit_code == 1 and "already holds a site" in result.output
    os.unlink(site / "content/site.yaml")
    result = init(site, "--no-input")
    assert result.exit_code == 0, result.output
    assert f"skipped {site / 'README.md'} (already there: left as it is)" in result.output
    assert not list(outside.iterdir()) and (site / "README.md").is_symlink()


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    real_open = open

    def failing_open(path, *args, **kwargs):
        if Path(path).name == "README.md":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(sitestart, "open", failing_open, raising=False)
    (tmp_path / "keep.txt").write_text("a file of the user's\n", encoding="utf-8")
    result = init(tmp_path / "new" / "desk", "--no-input")
    assert result.exit_code == 1
    assert result.output == (f"init: {tmp_path / 'new' / 'desk' / 'README.md'}: No space "
                             "left on device; nothing was written.\n")
    assert files_of(tmp_path) == ["keep.txt"]
    assert not (tmp_path / "new").exists()


def test_a_file_named_like_the_folder_is_refused(tmp_path):
    (tmp_path / "desk").write_text("", encoding="utf-8")
    result = init(tmp_path / "desk", "--no-input")
    assert result.exit_code == 2
    assert f"Directory '{tmp_path / 'desk'}' is a file." in result.output


def test_editor_settings_attach_every_schema(tmp_path):
    assert init(tmp_path, "--no-input").exit_code == 0
    settings = json.loads((tmp_path / ".vscode/settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    for kind in ("draw", "site", "categories"):
        path = f"./content/schema/{kind}.schema.json"
        assert (tmp_path / path).is_file() and schemas[path]
    assert schemas["./content/schema/site.schema.json"] == ["content/site.yaml"]
    assert "content/draws/*.yaml" in schemas["./content/schema/draw.schema.json"]
    extensions = json.loads((tmp_path / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert extensions == {"recommendations": ["redhat.vscode-yaml"]}
    ignored = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/output/" in ignored and "/.drawdesk/" in ignored


def test_an_english_site_keeps_the_french_category_texts_and_can_add_french(tmp_path):
    """An English-only site gets the sample's bilingual categories.yaml as is: the French
    texts are ignored until the site publishes French, which then needs only site.yaml's
    texts in French."""
    assert init(tmp_path, "--no-input").exit_code == 0
    assert "fr: " in (tmp_path / "content/categories.yaml").read_text(encoding="utf-8")
    path = tmp_path / "content/site.yaml"
    text = path.read_text(encoding="utf-8").replace("languages: [en]", "languages: [en, fr]")
    path.write_text(text, encoding="utf-8")
    checked = run(tmp_path, "validate")
    assert checked.exit_code == 1
    assert {line.split(": ")[1] for line in checked.output.splitlines()[:-1]} == \
        {"title", "description", "disclaimer"}  # only site.yaml's own texts are missing


COMPLETE = ROOT / "tests/fixtures/ircc/ircc-rounds-complete.json"
# IRCC's complete rounds file as published on 2026-08-20 (438 records, rounds 1 to 437 with
# 91a and 91b, 2015-01-31 to 2026-08-19), byte for byte; every program name in it, and the
# category init's categories.yaml files it under.
CATEGORY_OF = {
    "No Program Specified": "general", "General": "general",
    "Canadian Experience Class": "canadian-experience-class",
    "Provincial Nominee Program": "provincial-nominee-program",
    "Federal Skilled Worker": "federal-skilled-worker",
    "Federal Skilled Trades": "federal-skilled-trades",
    "Healthcare occupations (Version 1)": "healthcare",
    "Healthcare and social services occupations (Version 2)": "healthcare",
    "Healthcare and Social Services Occupations, 2026-Version 3": "healthcare",
    "French language proficiency (Version 1)": "french-language",
    "French-Language proficiency 2026-Version 2": "french-language",
    "STEM occupations (Version 1)": "stem",
    "Trade occupations (Version 1)": "trades", "Trade occupations (Version 2)": "trades",
    "Trades Occupations, 2026-Version 3": "trades",
    "Transport occupations (Version 1)": "transport",
    "Transport Occupations, 2026-Version 2": "transport",
    "Agriculture and agri-food occupations (Version 1)": "agriculture",
    "Education occupations (Version 1)": "education",
    "Physicians with Canadian Work Experience, 2026-Version 1": "physicians",
    "Senior managers with Canadian Work Experience, 2026-Version 1": "senior-managers",
    "Skilled Military Recruits, 2026-Version 1": "military",
}


def test_a_new_site_imports_ircc_complete_rounds_file(tmp_path):
    """Without --create-categories (nor --skip-invalid): init's categories.yaml knows every
    name IRCC has used, and every round of the file is imported, then built."""
    records = json.loads(COMPLETE.read_text(encoding="utf-8"))["rounds"]
    assert len(records) == 438 and {r["drawName"] for r in records} == set(CATEGORY_OF)
    assert init(tmp_path, "--no-input").exit_code == 0
    categories = (tmp_path / "content/categories.yaml").read_bytes()
    result = run(tmp_path, "import", "ircc", str(COMPLETE))
    assert result.exit_code == 0, result.output
    assert "Imported: 438 added, 0 updated, 0 unchanged." in result.output
    assert "categor" not in result.output  # no category added, none unknown
    assert (tmp_path / "content/categories.yaml").read_bytes() == categories
    loaded = load_content(tmp_path / "content").content
    assert loaded is not None and len(loaded.draws) == 438
    names = {(r["drawName"], r["drawNumber"]) for r in records}
    assert {(d.ircc_name, str(d.round)) for d in loaded.draws} == names
    assert all(d.category == CATEGORY_OF[d.ircc_name] for d in loaded.draws)
    assert run(tmp_path, "validate").exit_code == 0
    built = CliRunner().invoke(main, ["build", "--content", str(tmp_path / "content"),
                                      "--output", str(tmp_path / "output"),
                                      "--now", "2026-09-01"])
    assert built.exit_code == 0, built.output
    assert "(438 articles" in built.output
    for key in set(CATEGORY_OF.values()):
        assert (tmp_path / "output/category" / key / "index.html").is_file(), key
