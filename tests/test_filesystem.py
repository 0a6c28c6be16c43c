"""Hostile file systems: only regular files inside the site are read, nothing waits.

Each case of the catalogue puts one hostile entry in a site that built before,
then checks that `validate` and a build, cached and clean, report the same
positioned problem, exit 1 and leave the output as it was, without hanging.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from drawdesk.build import build
from drawdesk.buildcache.storage import CACHE_DIR
from drawdesk.cli import main
from drawdesk.core.caching import NoCache
from drawdesk.core.options import BuildConfig
from tests.conftest import NOW, SiteFolder, draw_yaml, snapshot


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """Fail, instead of waiting for ever, if anything blocks on a pipe."""
    def expired(signum, frame):
        raise TimeoutError("waited more than 20 s: something read a pipe or a device")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def validate(site: SiteFolder):
    return CliRunner().invoke(main, ["validate", "--content", str(site.content)])


def outside_file(site: SiteFolder) -> Path:
    secret = site.root / "secret"
    secret.mkdir(exist_ok=True)
    (secret / "passwd").write_text("root:x:0:0\n")
    (secret / "x.yaml").write_text(draw_yaml(round=9, date="2025-01-09"))
    return secret


def fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def unix_socket(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))


def link(path: Path, target: str | Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def replace_with(path: Path, make: Callable[[Path], None]) -> None:
    path.unlink()
    make(path)


C = "content/"
# (what is done to the site, the line every command reports)
CASES: list[tuple[str, Callable[[SiteFolder], None], str]] = [
    ("pipe entry", lambda s: fifo(s.content / "draws/p.yaml"),
     C + "draws/p.yaml:1:1: file: is a named pipe, never read (a regular file expected)"),
    ("pipe in a subfolder", lambda s: fifo(s.content / "draws/2025/p.yaml"),
     C + "draws/2025/p.yaml:1:1: file: is a named pipe, never read"),
    ("pipe without .yaml", lambda s: fifo(s.content / "draws/notes"),
     C + "draws/notes:1:1: file: is a named pipe, never read"),
    ("socket entry", lambda s: unix_socket(s.content / "draws/s.yaml"),
     C + "draws/s.yaml:1:1: file: is a socket, never read (a regular file expected)"),
    ("device entry", lambda s: link(s.content / "draws/zero.yaml", "/dev/zero"),
     C + "draws/zero.yaml:1:1: file: symbolic link points outside the content folder"),
    ("pipe as site.yaml", lambda s: replace_with(s.content / "site.yaml", fifo),
     C + "site.yaml:1:1: file: is a named pipe, never read"),
    ("pipe as categories.yaml", lambda s: replace_with(s.content / "categories.yaml", fifo),
     C + "categories.yaml:1:1: file: is a named pipe, never read"),
    ("dangling link", lambda s: link(s.content / "draws/d.yaml", "nowhere.yaml"),
     C + "draws/d.yaml:1:1: file: symbolic link to 'nowhere.yaml', which does not exist (a "
         "link to a file inside the site expected)"),
    ("link loop", lambda s: link(s.content / "draws/loop.yaml", "loop.yaml"),
     C + "draws/loop.yaml:1:1: file: symbolic link loop (a link to a file inside the site "
         "expected)"),
    ("folder link to its parent", lambda s: link(s.content / "draws/up", ".."),
     C + "draws/up:1:1: file: symbolic link loop: a link to a folder that holds it"),
    ("entry linked from outside", lambda s: link(s.content / "draws/x.yaml",
                                                 outside_file(s) / "x.yaml"),
     C + "draws/x.yaml:1:1: file: symbolic link points outside the content folder (a file "
         "inside content/ expected)"),
    ("draws folder linked from outside", lambda s: (
        shutil.rmtree(s.content / "draws"), link(s.content / "draws", outside_file(s))),
     C + "draws:1:1: file: symbolic link points outside the content folder"),
    ("site.yaml linked from outside", lambda s: replace_with(
        s.content / "site.yaml", lambda p: link(p, outside_file(s) / "passwd")),
     C + "site.yaml:1:1: file: symbolic link points outside the content folder"),
    ("static folder linked from outside", lambda s: link(s.content / "static",
                                                         outside_file(s)),
     C + "static:1:1: file: symbolic link points outside the content folder"),
    ("static file linked from outside", lambda s: link(s.content / "static/passwd",
                                                       outside_file(s) / "passwd"),
     C + "static/passwd:1:1: file: symbolic link points outside the content folder"),
    ("pipe in static", lambda s: fifo(s.content / "static/.well-known/pipe"),
     C + "static/.well-known/pipe:1:1: file: is a named pipe, never read"),
    ("dangling link in static", lambda s: link(s.content / "static/CNAME", "gone"),
     C + "static/CNAME:1:1: file: symbolic link to 'gone', which does not exist"),
    ("static is a file", lambda s: (s.content / "static").write_text("x"),
     C + "static:1:1: file: is a regular file (a folder expected)"),
    ("pipe as a template", lambda s: fifo(s.content / "templates/404.html"),
     C + "templates/404.html:1:1: file: is a named pipe, never read"),
    ("template linked from outside", lambda s: link(s.content / "templates/passwd",
                                                    outside_file(s) / "passwd"),
     C + "templates/passwd:1:1: file: symbolic link points outside the content folder"),
    ("pipe as a catalogue", lambda s: fifo(s.content / "templates/i18n/en.yaml"),
     C + "templates/i18n/en.yaml:1:1: file: is a named pipe, never read"),
    ("broken catalogue", lambda s: (s.content / "templates/i18n").mkdir(parents=True) or
     (s.content / "templates/i18n/en.yaml").write_text("skip: Skip\nnav_home: [\n"),
     C + "templates/i18n/en.yaml:3:1: file: YAML syntax error"),
    ("catalogue string as a list", lambda s: (s.content / "templates/i18n").mkdir(
        parents=True) or (s.content / "templates/i18n/en.yaml").write_text("skip: [a, b]\n"),
     C + "templates/i18n/en.yaml:1:7: skip: a list or mapping found (a line of text "
         "expected)"),
    ("catalogue that is a list", lambda s: (s.content / "templates/i18n").mkdir(
        parents=True) or (s.content / "templates/i18n/en.yaml").write_text("- skip\n"),
     C + "templates/i18n/en.yaml:1:1: file: not a mapping (a mapping of names to strings "
         "expected)"),
]


@pytest.fixture
def built(site: SiteFolder, monkeypatch: pytest.MonkeyPatch) -> SiteFolder:
    """A site that built, with its build cache, run from the site's folder."""
    monkeypatch.chdir(site.root)
    for i in range(3):
        site.draw(f"d{i}.yaml", draw_yaml(date=f"2025-03-{i + 3:02d}", round=300 + i))
    assert site.build().exit_code == 0
    return site


@pytest.mark.parametrize("make, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_entry_is_a_positioned_problem_cached_or_clean(built, make, expected):
    before = snapshot(built.output)
    make(built)
    checked = validate(built)
    assert checked.exit_code == 1
    assert expected in checked.output, checked.output
    for cached in (True, False):  # the build cache sees what a clean build sees
        if not cached:
            shutil.rmtree(built.root / CACHE_DIR)
        result = built.build()
        assert result.exit_code == 1, (cached, result.output)
        assert expected in result.output, (cached, result.output)
        assert "Traceback" not in result.output
        assert snapshot(built.output) == before


def test_new_draw_does_not_wait_on_a_pipe(built):
    fifo(built.content / "draws" / "p.yaml")
    result = CliRunner().invoke(main, ["new", "draw", "--content", str(built.content),
                                       "--no-input", "--date", "2025-04-01", "--category",
                                       "healthcare", "--invitations", "100", "--crs", "500"])
    assert result.exit_code == 0, result.output
    assert "note: 1 error(s) in other files" in result.output


def test_serve_rebuild_reports_a_pipe_and_sees_it_come_and_go(built, tmp_path):
    from drawdesk.tools.previewhttp import Status
    from drawdesk.tools.serve import DevSite

    config = BuildConfig(content=built.content, output=tmp_path / "preview", now=NOW)
    errors: list[str] = []
    dev = DevSite(config, "http://127.0.0.1:8000/", Status(), lambda s: None, errors.append)
    assert dev.rebuild() is not None
    before = dev.snapshot()
    fifo(built.content / "draws" / "p.yaml")
    assert dev.snapshot() != before
    assert dev.rebuild() is None
    assert any("draws/p.yaml:1:1: file: is a named pipe" in line for line in errors)
    (built.content / "draws" / "p.yaml").unlink()
    assert dev.snapshot() == before


@pytest.mark.parametrize("tree", ["draws", "static", "templates"])
def test_a_linked_folder_inside_the_site_is_read_and_its_edits_seen(site, tree):
    """content/draws (or static, templates) as a link to a folder inside the site: cached
    builds see later edits in it, as clean builds do."""
    def put(text: str) -> None:
        if tree == "draws":
            (real / "x.yaml").write_text(draw_yaml(date="2025-03-03", round=300,
                                                   invitations=int(text)))
        elif tree == "static":
            (real / "note.txt").write_text(text)
        else:
            (real / "404.html").write_text('{% extends "base.html" %}{% block main %}'
                                           f"<h1>{text}</h1>{{% endblock %}}")

    real = site.content / "elsewhere" / tree
    real.mkdir(parents=True)
    if tree == "draws":
        shutil.rmtree(site.content / "draws")
    else:
        site.draw("d.yaml", draw_yaml(date="2025-03-04", round=301))
    (site.content / tree).symlink_to(Path("elsewhere") / tree)
    for value in ("1234", "4321"):
        put(value)
        assert site.build().exit_code == 0
        cached = snapshot(site.output)
        shutil.rmtree(site.root / CACHE_DIR)
        clean = site.root / "clean"
        build(BuildConfig(content=site.content, output=clean, now=NOW), cache=NoCache())
        assert cached == snapshot(clean)
        assert any(value.encode() in data for data in cached.values()) or \
            any(f"{int(value):,}".encode() in data for data in cached.values())
        shutil.rmtree(clean)


def test_an_unreadable_entry_is_a_positioned_problem(built, monkeypatch):
    """A file that cannot be opened (permissions; simulated, as tests may run as root)."""
    from drawdesk.source import sitefiles as sources

    real_open = os.open

    def refusing(path, flags, *args, **kwargs):
        if str(path).endswith("d1.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(sources.os, "open", refusing)
    shutil.rmtree(built.root / CACHE_DIR)
    result = built.build()
    assert result.exit_code == 1
    assert "content/draws/d1.yaml:1:1: file: cannot read file (Permission denied)" \
        in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its mode")
def test_an_unreadable_folder_is_a_positioned_problem(built):
    folder = built.content / "draws" / "private"
    folder.mkdir()
    folder.chmod(0)
    try:
        result = built.build()
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1
    assert "content/draws/private:1:1: file: cannot read folder (Permission denied)" \
        in result.output


def test_a_pipe_swapped_in_after_the_listing_is_refused_not_read(tmp_path):
    from drawdesk.source import sitefiles as sources

    fifo(tmp_path / "p")
    with pytest.raises(sources.NotRegular, match="a named pipe, not a regular file"):
        sources.read_regular(tmp_path / "p")
    assert sources.walk(tmp_path, sources.real_roots([tmp_path])).files == []


def test_the_quick_no_change_path_sees_a_pipe_too(built):
    """`drawdesk build` answers 'nothing changed' before loading the pipeline's stages;
    its digest lists files as builds do, so a pipe means a build."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    command = [sys.executable, "-m", "drawdesk", "build", "--content", str(built.content),
               "--output", str(built.output), "--now", "2026-01-01"]
    assert subprocess.run(command, cwd=ROOT, capture_output=True, timeout=60).returncode == 0
    fifo(built.content / "draws" / "p.yaml")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "draws/p.yaml:1:1: file: is a named pipe, never read" in done.stderr


def test_new_draw_never_writes_through_a_link_leaving_the_site(built):
    outside = built.root / "elsewhere"
    outside.mkdir()
    shutil.rmtree(built.content / "draws")
    (built.content / "draws").symlink_to(outside)
    result = CliRunner().invoke(main, ["new", "draw", "--content", str(built.content),
                                       "--no-input", "--date", "2025-04-01", "--category",
                                       "healthcare", "--invitations", "100", "--crs", "500"])
    assert result.exit_code == 1
    assert "content/draws: a symbolic link leading outside the content folder; nothing " \
           "written." in result.output
    assert list(outside.iterdir()) == []


def test_a_pipe_among_the_schema_files_or_in_the_build_cache_is_not_waited_on(built):
    """validate reads content/schema/ (to warn about stale files) and builds read
    .drawdesk/: neither waits on a named pipe put there."""
    from drawdesk.buildcache.storage import CACHE_DIR

    (built.content / "schema").mkdir(exist_ok=True)
    fifo(built.content / "schema" / "draw.schema.json")
    checked = validate(built)
    assert checked.exit_code == 0
    assert "content/schema/draw.schema.json:1:1: file: warning: out of date" in checked.output
    inputs = built.root / CACHE_DIR / "inputs"
    inputs.unlink()
    fifo(inputs)
    result = built.build()
    assert result.exit_code == 0, result.output
