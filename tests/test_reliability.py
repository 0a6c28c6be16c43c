"""Builds that never lose work: atomic output, locks, reproducibility, bad templates."""

from __future__ import annotations

import os

from click.testing import CliRunner

from drawdesk.cli import main
from drawdesk.output.folder import output_lock
from tests.conftest import build_with_sigterm, draw_yaml, snapshot


def fill(site, count=6):
    for i in range(count):
        site.draw(f"d{i}.yaml", draw_yaml(date=f"2025-03-{i + 3:02d}", round=300 + i,
                                          invitations=1000 + i))


def leftovers(site):
    """Temporary build folders left beside the output (the lock file may stay)."""
    return sorted(p.name for p in site.root.iterdir()
                  if p.name.startswith((".output.new-", ".output.old-")))


def test_two_builds_are_byte_identical(site, tmp_path, monkeypatch):
    fill(site)
    assert site.build().exit_code == 0
    monkeypatch.chdir(tmp_path)  # a different working directory must not matter
    other = tmp_path / "elsewhere" / "out"
    result = CliRunner().invoke(main, ["build", "--content", str(site.content), "--output",
                                       str(other), "--now", "2026-01-01"])
    assert result.exit_code == 0
    assert snapshot(site.output) == snapshot(other)
    assert not any(str(site.root).encode() in data for data in snapshot(other).values())


def test_unchanged_files_keep_their_modification_time(site):
    fill(site)
    assert site.build().exit_code == 0
    untouched = site.output / "draws/2025-03-03-healthcare/index.html"
    os.utime(untouched, (1_000_000_000, 1_000_000_000))
    site.draw("d5.yaml", draw_yaml(date="2025-03-08", round=305, invitations=999))
    result = site.build()
    assert result.exit_code == 0
    assert untouched.stat().st_mtime == 1_000_000_000
    assert "unchanged" in result.output


def test_failure_while_writing_leaves_output_intact(site, monkeypatch):
    fill(site)
    assert site.build().exit_code == 0
    before = snapshot(site.output)
    site.draw("d0.yaml", draw_yaml(date="2025-03-03", round=300, invitations=5))
    import drawdesk.output.writer as write

    calls = {"n": 0}
    real = write._place

    def failing(tmp, old, item):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return real(tmp, old, item)

    monkeypatch.setattr(write, "_place", failing)
    result = site.build()
    assert result.exit_code != 0
    assert snapshot(site.output) == before
    assert leftovers(site) == []


def test_sigterm_during_build_leaves_output_intact(site):
    fill(site)
    assert site.build().exit_code == 0
    before = snapshot(site.output)
    site.draw("d0.yaml", draw_yaml(date="2025-03-03", round=300, invitations=5))
    proc = build_with_sigterm(site, 10)
    assert proc.returncode == 130, proc.stderr
    assert "interrupted" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(site.output) == before
    assert leftovers(site) == []


def test_concurrent_build_fails_clearly(site):
    fill(site, 2)
    with output_lock(site.output):
        result = site.build()
    assert result.exit_code == 1
    assert "another build is writing" in result.output
    assert site.build().exit_code == 0


def test_static_files_are_copied_verbatim(site):
    fill(site, 1)
    (site.content / "static" / ".well-known").mkdir(parents=True)
    (site.content / "static" / "CNAME").write_text("news.example.org\n")
    (site.content / "static" / ".well-known" / "security.txt").write_text("Contact: x\n")
    assert site.build().exit_code == 0
    assert site.page("CNAME") == "news.example.org\n"
    assert site.page(".well-known/security.txt") == "Contact: x\n"


def test_output_may_not_overlap_content(site):
    fill(site, 1)
    result = CliRunner().invoke(main, ["build", "--content", str(site.content), "--output",
                                       str(site.content / "draws")])
    assert result.exit_code == 1
    assert "overlaps" in result.output
    assert len(list((site.content / "draws").iterdir())) == 1


def test_broken_site_template_is_reported_not_raised(site):
    fill(site, 1)
    assert site.build().exit_code == 0
    before = snapshot(site.output)
    (site.content / "templates").mkdir()
    (site.content / "templates" / "404.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ no_such_thing.x }}\n{% endblock %}\n')
    result = site.build()
    assert result.exit_code == 1
    assert "404.html:3:1: template:" in result.output and "no_such_thing" in result.output
    assert snapshot(site.output) == before
    (site.content / "templates" / "404.html").write_text("{% block main %\n")
    result = site.build()
    assert result.exit_code == 1
    assert "404.html:1:1: template:" in result.output


def test_site_template_overrides_theme_file_by_file(site):
    fill(site, 1)
    (site.content / "templates").mkdir()
    (site.content / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Lost at sea</h1>{% endblock %}')
    assert site.build().exit_code == 0
    assert "Lost at sea" in site.page("404.html")
    assert "Confirmed details from the draw" in site.page(
        "draws/2025-03-03-healthcare/index.html")
