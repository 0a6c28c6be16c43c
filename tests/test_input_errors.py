"""Every input error, with its position, through `drawdesk validate` and `build`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from drawdesk.cli import main
from tests.conftest import draw_yaml, snapshot


def validate(site, *args):
    return CliRunner().invoke(main, ["validate", "--content", str(site.content), *args])


def assert_build_refused(site, expected: str) -> None:
    """`build` reports `expected`, exits 1 without a traceback, and leaves output/ alone."""
    if not site.output.exists():
        site.output.mkdir()  # as a build of an earlier drawdesk left it: feeds name it
        (site.output / "keep.html").write_text("previous build")
        (site.output / "feed.xml").write_text("<rss><channel><generator>drawdesk</generator>"
                                              "</channel></rss>")
    before = snapshot(site.output)
    built = site.build()
    assert built.exit_code == 1
    assert expected in built.output, built.output
    assert "Traceback" not in built.output
    assert snapshot(site.output) == before


CASES = [
    # (entry text, expected message line)
    ("round: 1\ndate: 2025-02-30\ntype: program\ncategory: general\ninvitations: 10\n"
     "min_crs: 500\n",
     "content/draws/x.yaml:2:7: date: '2025-02-30' is not a real calendar date"),
    ("date: 2025-02-03\ntype: program\ncategory: general\ninvitations: 0\nmin_crs: 500\n",
     "content/draws/x.yaml:4:14: invitations: 0 is out of range (a whole number from 1 to "
     "100000 expected)"),
    ("date: 2025-02-03\ntype: program\ncategory: general\ninvitations: 4,000\nmin_crs: 500\n",
     "content/draws/x.yaml:4:14: invitations: '4,000' is not a whole number (write numbers "
     "without separators or quotes)"),
    ("date: 2025-02-03\ntype: program\ncategory: general\ninvitations: 10\nmin_crs: 1201\n",
     "content/draws/x.yaml:5:10: min_crs: 1201 is out of range (a whole number from 0 to 1200"),
    ("date: 2025-02-03\ntype: program\ncategory: general\ninvitations: 10\nmin_crs: 500\n"
     "invitatons: 3\n",
     "content/draws/x.yaml:6:1: invitatons: unknown field; did you mean 'invitations'?"),
    ("date: 2025-02-03\ntype: program\ncategory: general\nmin_crs: 500\n",
     "content/draws/x.yaml:1:1: invitations: missing required field"),
    ("date: 2025-02-03\ntype: category-based\ncategory: helthcare\ninvitations: 10\n"
     "min_crs: 500\n",
     "content/draws/x.yaml:3:11: category: unknown category 'helthcare'; did you mean "
     "'healthcare'?"),
    ("date: 2025-02-03\ntype: program\ncategory: healthcare\ninvitations: 10\nmin_crs: 500\n",
     "content/draws/x.yaml:2:7: type: 'program' does not match category 'healthcare' "
     "('category-based' expected)"),
    ("date: 2025-02-03\ntype: program\ncategory: general\ninvitations: ten\nmin_crs: 500\n",
     "content/draws/x.yaml:4:14: invitations: 'ten' is not a whole number"),
    ("date: 2025-02-03\ntype: program\ncategory: general\ninvitations: 10\nmin_crs: 500\n"
     "tie_break: 2025-01-01 14:05\n",
     "content/draws/x.yaml:6:12: tie_break: '2025-01-01 14:05' has no time zone"),
    ("date: 2025-02-03\ntype: program\ncategory: general\ninvitations: 10\nmin_crs: 500\n"
     "draft: no\n",
     "content/draws/x.yaml:6:8: draft: 'no' is not true or false (true or false expected)"),
    ("date: 2025-02-03\ntype: program\ncategory: general\ninvitations: 10\nmin_crs: 500\n"
     "slug: ../../etc\n",
     "content/draws/x.yaml:6:7: slug: '../../etc' is not allowed (lowercase letters, digits "
     "and hyphens expected)"),
    ("date: 2025-02-03\ntype: program\ncategory: gen/../x\ninvitations: 10\nmin_crs: 500\n",
     "content/draws/x.yaml:3:11: category: 'gen/../x' is not allowed"),
    ("- date: 2025-02-03\n", "content/draws/x.yaml:1:1: entry: a list found (a mapping of "
                             "fields expected)"),
    ("just words\n", "content/draws/x.yaml:1:1: entry: 'just words' found (a mapping"),
    ("date: 2025-02-03\ndate: 2025-02-04\n",
     "content/draws/x.yaml:2:1: file: duplicate key 'date' (first defined on line 1)"),
    ("date: [2025\n", "content/draws/x.yaml:2:1: file: YAML syntax error"),
    ("", "content/draws/x.yaml:1:1: file: file is empty"),
    ("date: 2025-02-03\n\ttype: program\n",
     "content/draws/x.yaml:2:1: file: tab character used for indentation"),
    ("a: !!python/object/apply:os.system ['echo hi']\n",
     "content/draws/x.yaml:1:4: file: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"
     " is not allowed"),
    ("a: &a [1]\nb: *a\n", "content/draws/x.yaml:1:4: file: YAML anchors ('&name') are not "
                           "allowed"),
    # dates the pipeline cannot handle (they passed validate and crashed the build)
    ("date: 0001-01-01\ntype: program\ncategory: general\ninvitations: 10\nmin_crs: 500\n",
     "content/draws/x.yaml:1:7: date: '0001-01-01': year 1 is out of range (a year from 1970 "
     "to 2999 expected)"),
    ("date: 9999-12-31\ntype: program\ncategory: general\ninvitations: 10\nmin_crs: 500\n",
     "content/draws/x.yaml:1:7: date: '9999-12-31': year 9999 is out of range (a year from "
     "1970 to 2999 expected)"),
    ("date: 2025-02-03\ntype: program\ncategory: general\ninvitations: 10\nmin_crs: 500\n"
     "tie_break: 9999-12-31T23:59:59-12:00\n",
     "content/draws/x.yaml:6:12: tie_break: '9999-12-31T23:59:59-12:00': year 9999 is out of "
     "range"),
    ("date: 2025-02-03\ntype: program\ncategory: general\ninvitations: 10\nmin_crs: 500\n"
     "pool:\n  as_of: 1969-12-31\n  bands: {total: 10}\n",
     "content/draws/x.yaml:7:10: pool.as_of: '1969-12-31': year 1969 is out of range"),
    # a NUL byte: one line, at its own position (it was 1:1, over two lines)
    ("date: 2025-02-03\ntype: program\ncategory: gen\x00eral\n",
     "content/draws/x.yaml:3:14: file: character U+0000 is not allowed in YAML (printable "
     "text expected)"),
    ("date: 2025-02-03\ntitle: \x1b[2Jcleared\n",
     "content/draws/x.yaml:2:8: file: character U+001B is not allowed in YAML"),
    # nesting: refused at the first level too deep, with or without '&' in the file (the
    # text with '&' is composed from events, once a RecursionError at ~1,000 levels)
    ("a: " + "[" * 40 + "]" * 40 + "\n",
     "content/draws/x.yaml:1:35: file: nested more than 32 levels deep (at most 32 levels "
     "of lists and mappings expected)"),
    ("a: " + "[" * 998 + "]" * 998 + "\n",
     "content/draws/x.yaml:1:35: file: nested more than 32 levels deep"),
    ("a: " + "[" * 100_000 + "]" * 100_000 + "\n",  # libyaml stops at 1,000 levels
     "content/draws/x.yaml:1:1003: file: nested more than 32 levels deep"),
    ("# R&D\na: " + "[" * 998 + "]" * 998 + "\n",
     "content/draws/x.yaml:2:35: file: nested more than 32 levels deep"),
    ("# R&D\n" + "".join("  " * i + f"k{i}:\n" for i in range(40)),
     "content/draws/x.yaml:34:65: file: nested more than 32 levels deep"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_each_error_with_position(site, monkeypatch, text, expected):
    monkeypatch.chdir(site.root)
    site.draw("x.yaml", text)
    result = validate(site)
    assert result.exit_code == 1
    assert expected in result.output, result.output
    assert_build_refused(site, expected)


def test_every_problem_at_once(site, monkeypatch):
    monkeypatch.chdir(site.root)
    site.draw("a.yaml", "date: 2025-02-30\ntype: program\ncategory: general\ninvitations: -1\n"
                        "min_crs: 500\ncolour: red\n")
    site.draw("b.yaml", "date: [\n")
    result = validate(site)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("content/")]
    assert [line.split(": ")[0] for line in lines] == [
        "content/draws/a.yaml:1:7", "content/draws/a.yaml:4:14", "content/draws/a.yaml:6:1",
        "content/draws/b.yaml:2:1"]


def test_duplicate_round_and_slug(site, monkeypatch):
    monkeypatch.chdir(site.root)
    site.draw("a.yaml", draw_yaml(round=357))
    site.draw("b.yaml", draw_yaml(round=357, date="2025-07-23"))
    site.draw("c.yaml", draw_yaml(round=358))
    result = validate(site)
    assert "content/draws/b.yaml:1:8: round: round 357 is already used by content/draws/a.yaml" \
        in result.output
    assert "content/draws/c.yaml:2:7: date: slug '2025-07-22-healthcare' is already used by " \
           "content/draws/a.yaml (set a unique 'slug:' in one of them)" in result.output


def test_billion_laughs_rejected_quickly(site, monkeypatch):
    monkeypatch.chdir(site.root)
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    site.draw("x.yaml", "\n".join(lines) + "\n")
    result = validate(site)
    assert result.exit_code == 1
    assert "content/draws/x.yaml:1:5: file: YAML anchors ('&name') are not allowed" \
        in result.output
    assert_build_refused(site, "YAML anchors")


def test_not_utf8_and_bom_and_crlf(site, monkeypatch):
    monkeypatch.chdir(site.root)
    (site.content / "draws" / "bad.yaml").write_bytes(b"date: 2025-02-03\nnote: caf\xe9\n")
    (site.content / "draws" / "bom.yaml").write_bytes(
        b"\xef\xbb\xbf" + draw_yaml(round=1, date="2025-01-07").replace("\n", "\r\n").encode())
    result = validate(site)
    assert "content/draws/bad.yaml:2:10: file: byte 0xe9 is not valid UTF-8" in result.output
    assert "bom.yaml" not in result.output
    assert_build_refused(site, "byte 0xe9 is not valid UTF-8")
    (site.content / "draws" / "bad.yaml").unlink()
    assert site.build().exit_code == 0  # the BOM and CRLF entry builds
    assert (site.output / "draws/2025-01-07-healthcare/index.html").is_file()


def test_size_limit(site, monkeypatch):
    monkeypatch.chdir(site.root)
    site.draw("big.yaml", draw_yaml() + "# " + "x" * 300_000 + "\n")
    result = validate(site)
    assert "content/draws/big.yaml:1:1: file: file is" in result.output
    assert "at most 262144 bytes expected" in result.output
    assert_build_refused(site, "at most 262144 bytes expected")


def test_symlink_outside_content_and_wrong_extension(site, monkeypatch, tmp_path):
    monkeypatch.chdir(site.root)
    outside = tmp_path / "secret.yaml"
    outside.write_text(draw_yaml())
    (site.content / "draws" / "link.yaml").symlink_to(outside)
    site.draw("note.txt", draw_yaml(round=1, date="2025-01-07"))
    result = validate(site)
    assert "content/draws/link.yaml:1:1: file: symbolic link points outside the content " \
           "folder" in result.output
    assert "content/draws/note.txt:1:1: file: warning: ignored: not a .yaml file" in result.output
    assert_build_refused(site, "symbolic link points outside the content folder")
    (site.content / "draws" / "link.yaml").unlink()
    built = site.build()
    assert built.exit_code == 0
    assert "note.txt:1:1: file: warning: ignored" in built.output


def test_validate_json_format(site, monkeypatch):
    monkeypatch.chdir(site.root)
    site.draw("x.yaml", draw_yaml(min_crs=2000))
    result = validate(site, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False
    assert report["errors"][0] == {
        "path": "content/draws/x.yaml", "line": 6, "column": 10, "field": "min_crs",
        "message": "2000 is out of range (a whole number from 0 to 1200 expected)",
        "severity": "error"}


def test_validate_clean_and_usage_errors(site):
    site.draw("x.yaml")
    assert validate(site).exit_code == 0
    assert validate(site, "--format", "xml").exit_code == 2
    assert CliRunner().invoke(main, ["build", "--no-such-option"]).exit_code == 2


def test_site_and_categories_errors(site, monkeypatch):
    monkeypatch.chdir(site.root)
    (site.content / "site.yaml").write_text(
        "title: T\nbase_url: ftp://x\ndescription: D\npublisher: {name: P, url: https://p.x/}\n"
        "disclaimer: D\ntimezone: Mars/Olympus\n")
    result = validate(site)
    assert "content/site.yaml:2:11: base_url: 'ftp://x' is not a web address" in result.output
    (site.content / "site.yaml").write_text(
        "title: T\nbase_url: https://x.org/\ndescription: D\n"
        "publisher: {name: P, url: https://p.x/}\ndisclaimer: D\ntimezone: Mars/Olympus\n")
    result = validate(site)
    assert "content/site.yaml:6:11: timezone: 'Mars/Olympus' is not a known time zone" \
        in result.output


def test_files_parsed_by_several_processes_give_the_same_problems_and_site(site, monkeypatch):
    """Many files are parsed by forked workers; the site, and every message in
    order, are those of one process."""
    from drawdesk.parallel import forking
    from drawdesk.source import loader

    for i in range(30):
        site.draw(f"d{i:02d}.yaml", draw_yaml(date=f"2025-{3 + i // 28:02d}-{i % 28 + 1:02d}",
                                              round=300 + i,
                                              invitations=1000 + i))
    forked = []
    real_start = forking.start
    monkeypatch.setattr(forking, "start", lambda work: forked.append(1) or real_start(work))

    def both_ways():
        monkeypatch.setattr(loader, "PARALLEL_PARSE", 10_000)
        one = loader.load_content(site.content)
        monkeypatch.setattr(loader, "PARALLEL_PARSE", 2)
        for processes in (2, 3):
            monkeypatch.setattr(forking, "workers", lambda processes=processes: processes)
            many = loader.load_content(site.content)
            assert [str(p) for p in many.problems] == [str(p) for p in one.problems]
            assert many.content == one.content
        return one

    assert len(both_ways().content.draws) == 30
    site.draw("d05.yaml", draw_yaml(date="2025-02-30", round=305))  # errors, mid-list
    site.draw("d17.yaml", "round: 317\ndate: 2025-03-18\ndate: 2025-03-19\n")
    site.draw("d23.yaml", draw_yaml(date="2025-03-24", round=300))  # round used by d00
    site.draw("d29.yaml", "title:\n\t- tab\n")
    broken = both_ways()
    assert broken.content is None
    shown = "\n".join(str(p) for p in broken.problems)
    for name in ("d05.yaml:2:7: date", "d17.yaml:3:1", "d23.yaml:1:8: round", "d29.yaml:2:1"):
        assert name in shown, shown
    assert len(forked) == 2 * (1 + 2)  # the workers did parse


def test_a_parse_worker_that_fails_has_its_files_parsed_again(site, monkeypatch):
    import os

    from drawdesk.parallel import forking
    from drawdesk.source import loader

    for i in range(12):
        site.draw(f"d{i:02d}.yaml", draw_yaml(date=f"2025-03-{i + 1:02d}", round=300 + i))
    site.draw("d07.yaml", draw_yaml(date="2025-02-30", round=307))
    expected = loader.load_content(site.content)
    parent = os.getpid()
    real = loader._parse_draw

    def failing_in_workers(*args):
        if os.getpid() != parent:
            raise RuntimeError("worker crashed")
        return real(*args)

    monkeypatch.setattr(loader, "_parse_draw", failing_in_workers)
    monkeypatch.setattr(loader, "PARALLEL_PARSE", 2)
    monkeypatch.setattr(forking, "workers", lambda: 3)
    again = loader.load_content(site.content)
    assert [str(p) for p in again.problems] == [str(p) for p in expected.problems]
    assert "d07.yaml:2:7: date" in "\n".join(str(p) for p in again.problems)


def test_file_names_are_printed_escaped_one_problem_per_line(site, monkeypatch):
    """A newline or a terminal escape sequence in a file name never reaches the terminal
    raw: each problem stays one line, the name written with escapes."""
    monkeypatch.chdir(site.root)
    site.draw("new\nline.yaml", draw_yaml(date="2025-02-30", round=1))
    site.draw("\x1b[2Jcleared.yaml", draw_yaml(date="2025-02-31", round=2))
    site.draw("\u202eevil.yaml", draw_yaml(min_crs=2000, round=3))
    result = validate(site)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u202e" not in result.output
    lines = result.output.splitlines()
    assert "content/draws/\\x1b[2Jcleared.yaml:2:7: date: '2025-02-31' is not a real calendar " \
           "date (a date as YYYY-MM-DD expected)" in lines
    assert "content/draws/new\\nline.yaml:2:7: date: '2025-02-30' is not a real calendar date " \
           "(a date as YYYY-MM-DD expected)" in lines
    assert "content/draws/\\u202eevil.yaml:6:10: min_crs: 2000 is out of range (a whole number " \
           "from 0 to 1200 expected)" in lines
    assert len(lines) == 4
    report = json.loads(validate(site, "--format", "json").output)  # JSON keeps the names
    assert {e["path"] for e in report["errors"]} == {
        "content/draws/new\nline.yaml", "content/draws/\x1b[2Jcleared.yaml",
        "content/draws/\u202eevil.yaml"}


@pytest.mark.parametrize("env, args, message", [
    ({}, ["--now", "0001-01-01"], "--now 0001-01-01: year 1 is out of range (a year from 1970 "
                                 "to 2999 expected)"),
    ({}, ["--now", "9999-12-31T23:59:59"], "--now 9999-12-31: year 9999 is out of range"),
    ({"SOURCE_DATE_EPOCH": "253402300799"}, [], "SOURCE_DATE_EPOCH='253402300799': year 9999 "
                                               "is out of range"),
    ({"SOURCE_DATE_EPOCH": "-62135596800"}, [], "SOURCE_DATE_EPOCH='-62135596800': year 1 is "
                                               "out of range"),
])
def test_a_build_date_out_of_range_is_a_usage_error(site, env, args, message):
    site.draw("x.yaml")
    result = CliRunner().invoke(main, ["build", "--content", str(site.content), "--output",
                                       str(site.output), *args], env=env)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not site.output.exists()


def test_the_first_and_last_years_build(site):
    site.draw("a.yaml", draw_yaml(date="1970-01-01", round=1,
                                  extra="tie_break: 1970-01-01T00:00:00+14:00\n"))
    site.draw("b.yaml", draw_yaml(date="2999-12-31", round=2,
                                  extra="tie_break: 2999-12-31T23:59:59-12:00\n"))
    result = CliRunner().invoke(main, ["build", "--content", str(site.content), "--output",
                                       str(site.output), "--future"],
                                env={"SOURCE_DATE_EPOCH": "0"})
    assert result.exit_code == 0, result.output
    assert (site.output / "draws/2999-12-31-healthcare/index.html").is_file()


@pytest.mark.parametrize("line, expected", [
    ("base_url: https://user:pass@example.org/?x=1#f",
     "content/site.yaml:2:11: base_url: 'https://user:pass@example.org/?x=1#f' holds a user "
     "name or password, which would be published (an https:// or http:// URL without "
     "credentials expected)"),
    ("base_url: https://example.org/news/?x=1",
     "content/site.yaml:2:11: base_url: 'https://example.org/news/?x=1' has a query or a "
     "fragment, which would end up in every link (the address the site is published at, "
     "such as https://example.org/news/, expected)"),
    ("base_url: https://example.org/news/#top", "base_url: 'https://example.org/news/#top' "
                                                "has a query or a fragment"),
    ("base_url: https://example.org/news?", "base_url: 'https://example.org/news?' has a query"),
    ("publisher: {name: P, url: 'https://me@newsroom.example.com/'}",
     "content/site.yaml:4:27: publisher.url: 'https://me@newsroom.example.com/' holds a user "
     "name or password"),
])
def test_site_addresses_that_would_publish_secrets_or_break_links(site, monkeypatch, line,
                                                                   expected):
    monkeypatch.chdir(site.root)
    key = line.split(":")[0]
    text = "\n".join(line if row.startswith(key + ":") else row for row in
                     ["title: T", "base_url: https://example.org/", "description: D",
                      "publisher: {name: P, url: 'https://p.example/'}", "disclaimer: D"])
    (site.content / "site.yaml").write_text(text + "\n")
    site.draw("x.yaml")
    result = validate(site)
    assert result.exit_code == 1
    assert expected in result.output, result.output
    assert_build_refused(site, expected)
