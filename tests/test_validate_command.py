"""drawdesk validate: every problem at once, did-you-mean, warnings, JSON for CI."""

from __future__ import annotations

import json

from click.testing import CliRunner

from drawdesk.cli import main
from tests.conftest import SAMPLE, SiteFolder, draw_yaml


def validate(site: SiteFolder, *args: str, env: dict | None = None):
    """`drawdesk validate` on the site, comparing with the site's own output folder (never
    the output/ of whatever folder the tests run in)."""
    return CliRunner().invoke(main, ["validate", "--content", str(site.content), "--output",
                                     str(site.output), *args], env=env)


def lines(result) -> list[str]:
    return result.output.splitlines()


def test_bundled_content_is_valid_without_warnings():
    result = CliRunner().invoke(main, ["validate", "--content", str(SAMPLE)])
    count = len(list((SAMPLE / "draws").glob("*.yaml")))
    posts = len(list((SAMPLE / "posts").glob("*.md")))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{count} entries and {posts} posts valid"


def test_every_problem_in_every_file_at_once(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(invitations=0, round=1).replace("min_crs: 475", "min_crs: x"))
    site.draw("b.yaml", "date: 2025-07-23\ntype: program\ncategory: general\n")
    result = validate(site)
    assert result.exit_code == 1
    # paths are shown relative to the working directory, else to the content folder
    assert lines(result) == [
        "draws/a.yaml:5:14: invitations: 0 is out of range (a whole number from 1 to 100000 "
        "expected)",
        "draws/a.yaml:6:10: min_crs: 'x' is not a whole number (a whole number from 0 to "
        "1200 expected)",
        "draws/b.yaml:1:1: invitations: missing required field (invitations to apply issued)",
        "draws/b.yaml:1:1: min_crs: missing required field (minimum CRS score of those "
        "invited)",
        "4 error(s), 0 warning(s)",
    ]


def test_did_you_mean_for_a_misspelt_key(site: SiteFolder):
    site.draw("a.yaml", draw_yaml().replace("min_crs:", "min_cr:"))
    out = validate(site).output
    assert "a.yaml:6:1: min_cr: unknown field; did you mean 'min_crs'?" in out, out
    assert "min_crs: missing required field" in out


def test_did_you_mean_for_a_misspelt_section_key(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(extra="sections:\n  next_step: Apply.\n"))
    assert "did you mean 'next_steps'?" in validate(site).output


def test_did_you_mean_for_category_names(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(round=1).replace("category: healthcare",
                                                   "category: helthcare"))
    site.draw("b.yaml", draw_yaml(round=2, date="2025-07-23").replace(
        "category: healthcare", "category: Healthcare"))
    site.draw("c.yaml", draw_yaml(round=3, date="2025-07-24", type="program").replace(
        "category: healthcare", "category: Canadian Experience Class"))
    site.draw("d.yaml", draw_yaml(round=4, date="2025-07-25").replace(
        "category: healthcare", "category: Healthcare occupations (Version 1)"))
    out = validate(site).output
    assert "a.yaml:4:11: category: unknown category 'helthcare'; did you mean 'healthcare'?" \
        in out, out
    assert "b.yaml:4:11: category: 'Healthcare' is not allowed; did you mean 'healthcare'?" \
        in out, out
    assert "c.yaml:4:11: category: 'Canadian Experience Class' is not allowed; did you mean " \
        "'canadian-experience-class'?" in out, out
    assert "d.yaml:4:11: category: 'Healthcare occupations (Version 1)' is not allowed; " \
        "did you mean 'healthcare'?" in out, out


def test_crs_far_from_the_previous_draw_of_the_category_is_a_warning(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(date="2025-07-08", round=1, min_crs=475))
    site.draw("b.yaml", draw_yaml(date="2025-07-15", round=2, min_crs=626))  # +151
    site.draw("c.yaml", draw_yaml(date="2025-07-22", round=3, min_crs=476))  # -150: fine
    site.draw("d.yaml", draw_yaml(date="2025-07-23", round=4, min_crs=100,
                                  category="general"))  # another category: no comparison
    result = validate(site)
    assert result.exit_code == 0, result.output
    warnings = [line for line in lines(result) if "warning:" in line]
    assert warnings == [
        "draws/b.yaml:6:10: min_crs: warning: 626 is 151 points above the "
        "previous 'healthcare' draw (475 on 2025-07-08, draws/a.yaml); "
        "check the figure"], result.output
    assert lines(result)[-1] == "4 entries valid, 1 warning(s)"


def test_a_weekend_date_is_a_warning(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(date="2025-07-26"))  # a Saturday
    result = validate(site)
    assert result.exit_code == 0
    assert ("a.yaml:2:7: date: warning: 2025-07-26 is a Saturday; IRCC holds draws on "
            "weekdays (check the date)") in result.output


def test_json_format_for_ci(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(date="2025-07-27", round=1))  # Sunday: a warning
    site.draw("b.yaml", draw_yaml(date="2025-07-28", round=2).replace("min_crs:", "min_cr:"))
    result = validate(site, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["entries"] is None
    assert {e["field"] for e in report["errors"]} == {"min_cr", "min_crs"}
    error = next(e for e in report["errors"] if e["field"] == "min_cr")
    assert error == {"path": "draws/b.yaml", "line": 6, "column": 1,
                     "field": "min_cr", "severity": "error",
                     "message": error["message"]}
    assert "did you mean 'min_crs'?" in error["message"]
    assert [w["field"] for w in report["warnings"]] == ["date"]
    assert report["warnings"][0]["severity"] == "warning"


def test_json_format_when_clean(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(date="2025-07-22", round=1))
    site.draw("b.yaml", draw_yaml(date="2025-07-23", round=2, extra="draft: true\n"))
    site.draw("c.yaml", draw_yaml(date="2026-02-02", round=3))
    result = validate(site, "--format", "json", "--now", "2026-01-01")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report == {"ok": True, "entries": 3, "posts": 0, "drafts": 1, "scheduled": 1,
                      "errors": [], "warnings": []}


def test_text_summary_names_what_a_build_leaves_out(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(date="2025-07-22", round=1, extra="draft: true\n"))
    site.draw("b.yaml", draw_yaml(date="2026-02-02", round=2))
    result = validate(site, env={"SOURCE_DATE_EPOCH": "1767268800"})  # 2026-01-01 12:00 UTC
    assert result.exit_code == 0
    assert result.output.strip() == (
        "2 entries valid (1 draft(s), built only with --drafts; 1 dated after 2026-01-01, "
        "built only with --future or from their date)")
    later = validate(site, "--now", "2026-03-01")
    assert later.output.strip() == "2 entries valid (1 draft(s), built only with --drafts)"


def test_drafts_and_future_entries_are_validated_too(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(date="2030-01-01", extra="draft: true\n").replace(
        "invitations: 4000", "invitations: 4,000"))
    result = validate(site)
    assert result.exit_code == 1
    assert "write numbers without separators" in result.output


def test_usage_errors_exit_2(site: SiteFolder):
    assert validate(site, "--format", "xml").exit_code == 2
    assert validate(site, "--bogus").exit_code == 2
    result = validate(site, env={"SOURCE_DATE_EPOCH": "soon"})
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.output


def test_out_of_date_schema_files_are_a_warning(site: SiteFolder):
    site.draw("a.yaml", draw_yaml())
    runner = CliRunner()
    folder = site.content / "schema"
    runner.invoke(main, ["schema", "--content", str(site.content), "--write", str(folder)])
    assert validate(site).output.strip() == "1 entries valid"
    (folder / "draw.schema.json").write_text("{}\n", encoding="utf-8")
    result = validate(site)
    assert result.exit_code == 0
    assert "schema/draw.schema.json:1:1: file: warning: out of date" in result.output
