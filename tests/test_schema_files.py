"""The JSON Schema editors' tools read: generated from the model, committed,
and in agreement with the validator (checked with the `jsonschema` package)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from drawdesk.cli import main
from drawdesk.source.loader import load_categories, load_content
from drawdesk.tools.schemafiles import KINDS, file_name, schema_for, stale_files
from tests.conftest import SAMPLE, SiteFolder

SCHEMA_DIR = SAMPLE / "schema"
SAMPLE_CATEGORIES = load_categories(SAMPLE)[0]


# -- YAML as editors' tools read it -----------------------------------------------------
# yaml-language-server reads YAML 1.2 (core schema): '2025-07-22' stays a string,
# 'no' is a string, '0475' is 475. PyYAML's safe_load is YAML 1.1, so read nodes here.
_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
         "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _json_value(node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return {str(_json_value(k)): _json_value(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_json_value(item) for item in node.value]
    text = node.value
    if node.style:  # quoted or block scalar: always a string
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if re.match(r"^0x[0-9a-fA-F]+$", text):
        return int(text, 16)
    if re.match(r"^0o[0-7]+$", text):
        return int(text[2:], 8)
    if _FLOAT.match(text):
        return float(text)
    return text


def yaml12(text: str) -> object:
    return _json_value(yaml.compose(text, Loader=yaml.SafeLoader))


def validator(kind: str, categories=SAMPLE_CATEGORIES) -> jsonschema.Validator:
    schema = schema_for(kind, categories)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


# -- the committed files ----------------------------------------------------------------
def test_committed_schema_files_are_what_the_code_generates():
    stale = stale_files(SCHEMA_DIR, SAMPLE_CATEGORIES)
    assert stale == [], f"regenerate with: drawdesk schema --write {SCHEMA_DIR}"


def test_schema_check_command_agrees():
    result = CliRunner().invoke(main, ["schema", "--content", str(SAMPLE),
                                       "--check", str(SCHEMA_DIR)])
    assert result.exit_code == 0, result.output


def test_every_bundled_yaml_points_at_an_existing_schema_of_its_kind():
    files = [(SAMPLE / "site.yaml", "site"), (SAMPLE / "categories.yaml", "categories")]
    files += [(path, "draw") for path in sorted((SAMPLE / "draws").glob("*.yaml"))]
    for path, kind in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path}: first line is not a schema line"
        target = (path.parent / match.group(1)).resolve()
        assert target == (SCHEMA_DIR / file_name(kind)).resolve(), path


def test_new_and_imported_entries_point_at_the_draw_schema():
    from drawdesk.tools.ircc.plan import SCHEMA_LINE
    from drawdesk.tools.schemafiles import DRAW_SCHEMA_LINE, schema_line

    entry = SAMPLE / "draws" / "2030-01-01-healthcare.yaml"
    assert schema_line(entry, SAMPLE) == DRAW_SCHEMA_LINE == SCHEMA_LINE
    relative = DRAW_SCHEMA_LINE.split("$schema=")[1]
    assert (entry.parent / relative).resolve() == (SCHEMA_DIR / "draw.schema.json").resolve()


@pytest.mark.parametrize("kind", KINDS)
def test_schema_command_prints_valid_json_schema(kind):
    result = CliRunner().invoke(main, ["schema", kind, "--content", str(SAMPLE)])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.validators.validator_for(schema).check_schema(schema)
    assert schema == schema_for(kind, SAMPLE_CATEGORIES)


def test_schema_write_then_check(tmp_path: Path):
    out = tmp_path / "schema"
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "--content", str(SAMPLE), "--write", str(out)])
    assert result.exit_code == 0 and "wrote" in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(file_name(k) for k in KINDS)
    again = runner.invoke(main, ["schema", "--content", str(SAMPLE), "--write", str(out)])
    assert "up to date" in again.output
    (out / "draw.schema.json").write_text("{}", encoding="utf-8")
    check = runner.invoke(main, ["schema", "--content", str(SAMPLE), "--check", str(out)])
    assert check.exit_code == 1 and "draw.schema.json" in check.output


def test_schema_without_categories_allows_any_key(tmp_path: Path):
    result = CliRunner().invoke(main, ["schema", "--content", str(tmp_path / "none")])
    schema = json.loads(result.output)
    assert "enum" not in schema["properties"]["category"]
    jsonschema.validate({"date": "2025-07-22", "type": "program", "category": "anything",
                         "invitations": 1, "min_crs": 1}, schema)


def test_write_and_check_together_is_a_usage_error(tmp_path: Path):
    result = CliRunner().invoke(main, ["schema", "--write", str(tmp_path), "--check",
                                       str(tmp_path)])
    assert result.exit_code == 2


# -- bundled entries --------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted((SAMPLE / "draws").glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_entry_validates(path: Path):
    validator("draw").validate(yaml12(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("kind", ["site", "categories"])
def test_bundled_settings_validate(kind: str):
    validator(kind).validate(yaml12((SAMPLE / f"{kind}.yaml").read_text(encoding="utf-8")))


# -- the schema rejects what the validator rejects ---------------------------------------
GOOD = """\
round: 357
date: 2025-07-22
type: category-based
category: healthcare
invitations: 4000
min_crs: 475
tie_break: 2025-03-13T13:08:29Z
title: Healthcare draw
sections:
  lede: A short lede.
faq:
- question: Who was invited?
  answer: Healthcare workers.
faq_mode: append
draft: false
pool:
  as_of: 2025-07-20
  bands:
    601-1200: 100
"""

# (id, text replaced, replacement): one kind of mistake each, in one file.
# Not here, because one file cannot show them: a round or slug already used by another
# entry (validate checks across files), and YAML-level mistakes (tabs, duplicate keys,
# anchors, tags, bad UTF-8) that editors' YAML parsers report before any schema applies.
# Known gap: JSON numbers cannot tell 4000 from 4000.0 or 0x10, which the validator
# refuses (it wants plain digits) and the schema accepts.
BAD = [
    ("misspelt-key", "min_crs: 475", "min_cr: 475"),
    ("unknown-key", "draft: false", "draft: false\nnotes: x"),
    ("missing-required", "date: 2025-07-22\n", ""),
    ("empty-required", "date: 2025-07-22", "date:"),
    ("thousands-separator", "invitations: 4000", "invitations: 4,000"),
    ("quoted-number", "invitations: 4000", 'invitations: "4000"'),
    ("words-for-number", "invitations: 4000", "invitations: many"),
    ("fraction", "invitations: 4000", "invitations: 4000.5"),
    ("too-few", "invitations: 4000", "invitations: 0"),
    ("crs-too-high", "min_crs: 475", "min_crs: 1300"),
    ("round-zero", "round: 357", "round: 0"),
    ("round-capital-letter", "round: 357", "round: 91A"),
    ("round-two-letters", "round: 357", "round: 91ab"),
    ("round-quoted", "round: 357", 'round: "357"'),
    ("draw-time-no-zone", "date: 2025-07-22", "date: 2025-07-22\ndraw_time: 2025-07-22T14:00:00"),
    ("date-format", "date: 2025-07-22", "date: 22/07/2025"),
    ("date-month-13", "date: 2025-07-22", "date: 2025-13-01"),
    ("date-impossible", "date: 2025-07-22", "date: 2025-02-30"),
    ("date-year-1", "date: 2025-07-22", "date: 0001-01-01"),
    ("date-year-9999", "date: 2025-07-22", "date: 9999-12-31"),
    ("datetime-year-9999", "tie_break: 2025-03-13", "tie_break: 9999-03-13"),
    ("pool-date-1969", "as_of: 2025-07-20", "as_of: 1969-12-31"),
    ("datetime-no-zone", "13:08:29Z", "13:08:29"),
    ("datetime-words", "tie_break: 2025-03-13T13:08:29Z", "tie_break: yesterday"),
    ("datetime-hour-25", "T13:08:29Z", "T25:08:29Z"),
    ("type-not-allowed", "type: category-based", "type: category based"),
    ("type-mismatch", "type: category-based", "type: program"),
    ("category-unknown", "category: healthcare", "category: helthcare"),
    ("category-capitals", "category: healthcare", "category: Healthcare"),
    ("slug-spaces", "draft: false", "draft: false\nslug: Hello World"),
    ("bool-yes", "draft: false", "draft: yes"),
    ("bool-quoted", "draft: false", 'draft: "false"'),
    ("text-empty", "title: Healthcare draw", 'title: ""'),
    ("text-blank", "title: Healthcare draw", 'title: "   "'),
    ("text-control", "title: Healthcare draw", 'title: "bell\\a"'),
    ("text-mapping", "title: Healthcare draw", "title: {a: b}"),
    ("text-list", "title: Healthcare draw", "title: [a, b]"),
    ("section-unknown", "  lede: A short lede.", "  intro: A short lede."),
    ("sections-text", "sections:\n  lede: A short lede.", "sections: A short lede."),
    ("faq-not-list", "faq:\n- question: Who was invited?\n  answer: Healthcare workers.",
     "faq: Who was invited?"),
    ("faq-no-answer", "  answer: Healthcare workers.\n", ""),
    ("faq-unknown-key", "  answer: Healthcare workers.", "  answer: Yes.\n  link: x"),
    ("faq-mode", "faq_mode: append", "faq_mode: prepend"),
    ("pool-no-date", "  as_of: 2025-07-20\n", ""),
    ("pool-band", "    601-1200: 100", "    600-1200: 100"),
    ("pool-negative", "    601-1200: 100", "    601-1200: -5"),
    ("not-a-mapping", GOOD, "- a list\n- of things\n"),
]


def _validator_rejects(site: SiteFolder, text: str) -> list[str]:
    site.draw("2025-07-22-healthcare.yaml", text)
    return [str(p) for p in load_content(site.content).errors]


def test_good_entry_is_accepted_by_both(site: SiteFolder):
    assert _validator_rejects(site, GOOD) == []
    validator("draw").validate(yaml12(GOOD))


@pytest.mark.parametrize(("case", "old", "new"), BAD, ids=[case for case, _, _ in BAD])
def test_schema_rejects_what_the_validator_rejects(site: SiteFolder, case, old, new):
    assert old in GOOD, case
    text = GOOD.replace(old, new, 1)
    assert _validator_rejects(site, text), f"{case}: the validator accepts it"
    errors = list(validator("draw").iter_errors(yaml12(text)))
    assert errors, f"{case}: the schema accepts it"


@pytest.mark.parametrize(("old", "new"), [
    ("round: 357", "round: 91a"),
    ("date: 2025-07-22", "date: 2025-07-22\ndraw_time: 2025-07-22T14:27:45Z"),
    ("category: healthcare", "category: healthcare\nircc_name: Healthcare occupations (Version 1)"),
    ("round: 357", "round: 357\nid: 2025-07-22-healthcare"),
    ("invitations: 4000", "invitations: +4000"),
    ("min_crs: 475", "min_crs: 0475"),
    ("tie_break: 2025-03-13T13:08:29Z", "tie_break: 2025-03-13 13:08-04:00"),
    ("tie_break: 2025-03-13T13:08:29Z", "tie_break: 2025-03-13T13:08:29.25+05:30"),
    ("title: Healthcare draw", "title: 'quoted: with a colon'"),
    ("title: Healthcare draw", "summary: |\n  Two lines\n  of text."),
    ("faq_mode: append", "faq_mode: replace"),
    ("draft: false", "draft: true"),
    ("date: 2025-07-22", "date: 1970-01-01"),
    ("date: 2025-07-22", "date: 2999-12-31"),
])
def test_schema_accepts_what_the_validator_accepts(site: SiteFolder, old, new):
    text = GOOD.replace(old, new, 1)
    assert _validator_rejects(site, text) == []
    validator("draw").validate(yaml12(text))


def test_schema_text_pattern_refuses_the_characters_the_reader_refuses():
    from drawdesk.source.reader import _CONTROL_RE
    from drawdesk.tools.jsonschema import _TEXT

    points = [*range(0, 0x250), *range(0xFDC0, 0xFDF5), *range(0xFFF0, 0x10000)]
    for point in points:
        refused_by_reader = bool(_CONTROL_RE.search(chr(point)))
        refused_by_schema = not re.search(_TEXT, "a" + chr(point) + "b")
        assert refused_by_reader == refused_by_schema, hex(point)
