"""drawdesk new draw: from options or prompts, commented, never overwriting, validated."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from drawdesk.cli import main
from drawdesk.core.models import RoundId
from drawdesk.source.loader import load_content
from tests.conftest import SiteFolder, draw_yaml


def new(site: SiteFolder, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["new", "draw", "--content", str(site.content), *args],
                              input=input)


OPTIONS = ("--date", "2025-07-22", "--category", "healthcare", "--invitations", "4000",
           "--crs", "475")


def test_from_options(site: SiteFolder):
    result = new(site, *OPTIONS, "--tie-break", "2025-03-13T13:08:29Z", "--round", "357")
    assert result.exit_code == 0, result.output
    path = site.content / "draws" / "2025-07-22-healthcare.yaml"
    assert result.output == f"Created {path}\n"
    assert path.read_text(encoding="utf-8") == """\
# One round of invitations. `drawdesk validate` checks this file; README.md,
# "Writing entries", lists the optional fields (title, summary, sections, faq).
round: 357                       # IRCC's round identifier (357, or 91a)
date: 2025-07-22                 # the date of the draw (Ottawa time)
# draw_time:                     # optional: the draw's time, with zone, e.g. 2025-07-22T14:27:45Z
type: category-based             # category-based or program, as the category says
category: healthcare             # the key of the category or program in categories.yaml
invitations: 4000                # invitations to apply issued
min_crs: 475                     # minimum CRS score of those invited
tie_break: 2025-03-13T13:08:29Z  # the tie-breaking rule's date and time, with zone
"""
    draw = load_content(site.content).content.draws[0]
    assert (draw.round, draw.type, draw.min_crs, draw.tie_break.isoformat()) == (
        RoundId(357), "category-based", 475, "2025-03-13T13:08:29+00:00")


def test_optional_fields_left_out_are_commented_and_a_program_gets_its_type(site: SiteFolder):
    result = new(site, "--date", "2025-07-23", "--category", "canadian-experience-class",
                 "--invitations", "3000", "--crs", "518", "--draft")
    assert result.exit_code == 0, result.output
    text = (site.content / "draws" / "2025-07-23-canadian-experience-class.yaml").read_text()
    assert "# round:                         # optional: IRCC's round identifier (357, or 91a), " \
        "e.g. 357\n" in text
    assert "\n# tie_break:" in text and "\ntype: program " in text
    assert "\ndraft: true " in text
    assert load_content(site.content).content.draws[0].draft is True


def test_schema_line_when_the_content_has_schema_files(site: SiteFolder):
    CliRunner().invoke(main, ["schema", "--content", str(site.content), "--write",
                              str(site.content / "schema")])
    assert new(site, *OPTIONS).exit_code == 0
    path = site.content / "draws" / "2025-07-22-healthcare.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/draw.schema.json"
    assert (path.parent / "../schema/draw.schema.json").is_file()


def test_prompts_offer_the_known_categories(site: SiteFolder):
    site.draw("old.yaml", draw_yaml(date="2025-07-08", round=356))
    answers = "\n".join([
        "2025-07-22",  # date
        "nurses",  # not a category: asked again
        "Healthcare and social services",  # a category's name works
        "4,000",  # refused, as validate would
        "4000",
        "475",
        "2025-03-13T13:08:29",  # no zone: asked again
        "2025-03-13T13:08:29Z",
        "",  # round: accept the suggestion (one after the highest)
    ]) + "\n"
    result = new(site, input=answers)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Categories:\n   1  general " in out and "healthcare" in out
    assert "Error: unknown category 'nurses'" in out
    assert "'4,000' is not a whole number (write numbers without separators or quotes)" in out
    assert "has no time zone" in out
    assert "Round number ('none' to leave out) [357]:" in out
    text = (site.content / "draws" / "2025-07-22-healthcare.yaml").read_text()
    assert "round: 357 " in text and "invitations: 4000 " in text
    assert "tie_break: 2025-03-13T13:08:29Z " in text


def test_prompt_by_number_and_leaving_optional_fields_out(site: SiteFolder):
    result = new(site, "--date", "2025-07-22", input="7\n4000\n475\n\nnone\n")
    assert result.exit_code == 0, result.output
    text = (site.content / "draws" / "2025-07-22-healthcare.yaml").read_text()
    assert "\n# round:" in text and "\n# tie_break:" in text


def test_with_every_required_option_nothing_is_asked(site: SiteFolder):
    result = new(site, *OPTIONS, input="")
    assert result.exit_code == 0 and "?" not in result.output and ":" not in result.output


def test_refuses_to_overwrite(site: SiteFolder):
    path = site.draw("2025-07-22-healthcare.yaml", draw_yaml(min_crs=470))
    before = path.read_bytes()
    result = new(site, *OPTIONS)
    assert result.exit_code == 1
    assert "already exists" in result.output and "Nothing written" in result.output
    assert path.read_bytes() == before


def test_refuses_a_slug_or_round_used_by_another_file(site: SiteFolder):
    (site.content / "draws" / "sub").mkdir()
    site.draw("sub/renamed.yaml", draw_yaml(date="2025-07-22", round=1))
    result = new(site, *OPTIONS)
    assert result.exit_code == 1
    assert "the 2025-07-22-healthcare entry already exists: draws/sub/renamed.yaml" \
        in result.output
    result = new(site, "--date", "2025-07-23", "--category", "healthcare", "--invitations",
                 "10", "--crs", "400", "--round", "1")
    assert result.exit_code == 1 and "round 1 is already used by draws/sub/renamed.yaml" \
        in result.output
    assert sorted(p.name for p in (site.content / "draws").rglob("*.yaml")) == ["renamed.yaml"]


def test_validates_what_it_wrote(site: SiteFolder):
    # another entry is broken, so the content cannot be checked before writing
    site.draw("broken.yaml", "date: 2025-07-01\n")
    (site.content / "draws" / "sub").mkdir()
    site.draw("sub/same.yaml", draw_yaml(date="2025-07-22", round=1))
    result = new(site, *OPTIONS)
    assert result.exit_code == 1
    assert "slug '2025-07-22-healthcare' is already used by" in result.output
    assert "Created" in result.output and "error(s) to fix" in result.output


def test_warnings_about_the_new_entry_are_shown(site: SiteFolder):
    site.draw("old.yaml", draw_yaml(date="2025-07-08", round=1, min_crs=475))
    result = new(site, "--date", "2025-07-26", "--category", "healthcare", "--invitations",
                 "10", "--crs", "700")
    assert result.exit_code == 0
    assert "date: warning: 2025-07-26 is a Saturday" in result.output
    assert "min_crs: warning: 700 is 225 points above" in result.output


def test_usage_errors(site: SiteFolder):
    result = new(site, "--date", "2025-07-22", "--no-input")
    assert result.exit_code == 2
    assert "missing --category, --invitations, --crs" in result.output
    result = new(site, *OPTIONS[:2], "--category", "helthcare", *OPTIONS[4:])
    assert result.exit_code == 2 and "did you mean 'healthcare'?" in result.output
    result = new(site, *OPTIONS[:2], "--category", "7", *OPTIONS[4:])  # numbers: prompt only
    assert result.exit_code == 2 and "unknown category '7'" in result.output
    result = new(site, "--date", "2025-02-30", *OPTIONS[2:])
    assert result.exit_code == 2 and "'2025-02-30' is not a real calendar date" in result.output
    result = new(site, *OPTIONS[:6], "--crs", "1300")
    assert result.exit_code == 2 and "1300 is out of range" in result.output
    assert not (site.content / "draws" / "2025-07-22-healthcare.yaml").exists()


def test_stopping_at_a_prompt_writes_nothing(site: SiteFolder):
    result = new(site, "--date", "2025-07-22", input="healthcare\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert list((site.content / "draws").iterdir()) == []


def test_needs_categories(tmp_path: Path):
    result = CliRunner().invoke(main, ["new", "draw", "--content", str(tmp_path), *OPTIONS])
    assert result.exit_code == 1
    assert "categories.yaml not found" in result.output
