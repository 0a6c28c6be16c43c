"""Shared fixtures: small sites written to a temporary folder."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from drawdesk.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

SITE_YAML = """\
title: Test Desk
base_url: https://example.org/news/
description: Draw news for tests.
publisher:
  name: Test Newsroom
  url: https://newsroom.example.com/
disclaimer: This article is for general information only and does not constitute legal advice.
items_per_page: 3
"""


def draw_yaml(date: str = "2025-07-22", category: str = "healthcare", invitations: int = 4000,
              min_crs: int = 475, round: int | None = 357, type: str | None = None,
              extra: str = "") -> str:
    """The text of a draw entry."""
    if type is None:
        type = ("program" if category in ("general", "canadian-experience-class",
                                          "provincial-nominee-program", "federal-skilled-worker",
                                          "federal-skilled-trades") else "category-based")
    lines = []
    if round is not None:
        lines.append(f"round: {round}")
    lines += [f"date: {date}", f"type: {type}", f"category: {category}",
              f"invitations: {invitations}", f"min_crs: {min_crs}"]
    return "\n".join(lines) + "\n" + extra


class SiteFolder:
    """A content folder under construction."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        (self.content / "draws").mkdir(parents=True)
        (self.content / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
        shutil.copy(SAMPLE / "categories.yaml", self.content / "categories.yaml")

    def draw(self, name: str, text: str | None = None, **fields) -> Path:
        path = self.content / "draws" / name
        path.write_text(text if text is not None else draw_yaml(**fields), encoding="utf-8")
        return path

    def source_draws(self) -> None:
        """The source article's draw (round 357, 22 July 2025) and the earlier
        healthcare draw it is compared with (round 350)."""
        self.draw("2025-06-02-healthcare.yaml", date="2025-06-02", round=350, min_crs=504,
                  invitations=500)
        self.draw("2025-07-22-healthcare.yaml", date="2025-07-22", round=357,
                  extra="tie_break: 2025-03-13T13:08:29Z\n")

    def build(self, *args: str):
        return CliRunner().invoke(main, ["build", "--content", str(self.content), "--output",
                                         str(self.output), "--now", "2026-01-01", *args])

    def page(self, path: str) -> str:
        return (self.output / path).read_text(encoding="utf-8")


@pytest.fixture(autouse=True, scope="session")
def state_outside_home(tmp_path_factory: pytest.TempPathFactory):
    """drawdesk keeps its cache key in $XDG_STATE_HOME/drawdesk/: a folder of the test
    session's, not the home folder of whoever runs the tests (subprocesses inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
        yield


@pytest.fixture
def site(tmp_path: Path) -> SiteFolder:
    return SiteFolder(tmp_path)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path: to prove it did not change."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def english_sample(folder: Path) -> Path:
    """A copy of the bundled content folder publishing the English edition only, at the root
    (for tests of monolingual URLs and figures; tests/test_editions.py covers both editions)."""
    content = folder / "content"
    shutil.copytree(SAMPLE, content)
    site = content / "site.yaml"
    text = site.read_text(encoding="utf-8")
    assert "languages: [en, fr]" in text
    site.write_text(text.replace("languages: [en, fr]", "languages: [en]"), encoding="utf-8")
    return content


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample site, built once per test session (read-only for tests)."""
    output = tmp_path_factory.mktemp("sample") / "output"
    result = CliRunner().invoke(main, ["build", "--content", str(SAMPLE), "--output",
                                       str(output), "--now", "2026-01-01", "--quiet"])
    assert result.exit_code == 0, result.output
    return output


def build_with_sigterm(site: SiteFolder, after_files: int, setup: str = "") -> \
        subprocess.CompletedProcess:
    """Run `drawdesk build` in a child that sends itself SIGTERM while writing file
    number `after_files`; `setup` is Python run first (e.g. to force two processes)."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        import drawdesk.output.writer as write
        real, count = write._place, [0]
        def place(tmp, old, item):
            count[0] += 1
            if count[0] == {after_files}:
                os.kill(os.getpid(), signal.SIGTERM)
            return real(tmp, old, item)
        write._place = place
    """) + textwrap.dedent(setup) + textwrap.dedent(f"""
        from drawdesk.cli import main
        sys.argv = ["drawdesk", "build", "--content", {str(site.content)!r},
                    "--output", {str(site.output)!r}, "--now", "2026-01-01"]
        main()
    """)
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
