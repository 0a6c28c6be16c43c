"""The output folder: drawdesk replaces only what it built, keeps .git, never loses work.

A build replaces a missing folder, an empty one (a `.git` aside) or one it built
before (its feeds name their generator, in every version); anything else is
refused unless --force. Some folders are refused even with --force.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from drawdesk.build import build
from drawdesk.buildcache.storage import CACHE_DIR
from drawdesk.cli import main
from drawdesk.core.caching import NoCache
from drawdesk.core.options import BuildConfig
from tests.conftest import NOW, SiteFolder, draw_yaml, snapshot


def fill(site: SiteFolder, count: int = 3) -> None:
    for i in range(count):
        site.draw(f"d{i}.yaml", draw_yaml(date=f"2025-03-{i + 3:02d}", round=300 + i))


def build_into(site: SiteFolder, output: Path | str, *args: str):
    return CliRunner().invoke(main, ["build", "--content", str(site.content), "--output",
                                     str(output), "--now", "2026-01-01", *args])


def clean_build(site: SiteFolder, output: Path) -> dict[str, bytes]:
    shutil.rmtree(output, ignore_errors=True)
    build(BuildConfig(content=site.content, output=output, now=NOW), cache=NoCache())
    return snapshot(output)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".new-" in p.name or ".old-" in p.name)


def git_checkout(folder: Path) -> dict[str, bytes]:
    (folder / ".git" / "refs").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (folder / ".git" / "refs" / "x").write_text("deadbeef\n")
    return snapshot(folder / ".git")


# -- refused even with --force ---------------------------------------------------------------
@pytest.mark.parametrize("where, message", [
    ("/", "(a system folder)"), ("/usr", "(a system folder)"), ("/etc", "(a system folder)"),
    ("/var", "(a system folder)"), ("/bin", "(a system folder)"), ("/tmp", "(a system folder)"),
])
def test_system_folders_are_refused_even_with_force(site, where, message):
    fill(site, 1)
    result = build_into(site, where, "--force")
    assert result.exit_code == 1
    assert f"Build failed: refusing to write the site into {where} {message}" in result.output
    assert "Traceback" not in result.output


def test_home_and_what_holds_it_are_refused_even_with_force(site, monkeypatch, tmp_path):
    fill(site, 1)
    home = tmp_path / "home" / "editor"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "taxes.pdf").write_text("mine")
    monkeypatch.setenv("HOME", str(home))
    for folder in (home, home.parent):
        result = build_into(site, folder, "--force")
        assert result.exit_code == 1
        assert "(it holds your home folder)" in result.output
    result = build_into(site, home / "Documents")  # an unrelated folder: needs --force
    assert result.exit_code == 1
    assert "holds files drawdesk did not write (taxes.pdf)" in result.output
    assert (home / "Documents" / "taxes.pdf").read_text() == "mine"


def test_a_git_folder_is_refused_even_with_force(site):
    fill(site, 1)
    before = git_checkout(site.root)
    for target in (site.root / ".git", site.root / ".git" / "refs"):
        result = build_into(site, target, "--force")
        assert result.exit_code == 1
        assert "(a Git repository's own folder)" in result.output
    assert snapshot(site.root / ".git") == before


@pytest.mark.parametrize("target", ["root", "content", "draws"])
def test_a_folder_holding_or_inside_the_content_is_refused_even_with_force(site, target):
    fill(site, 1)
    folder = {"root": site.root, "content": site.content, "draws": site.content / "draws"}
    before = snapshot(site.content)
    result = build_into(site, folder[target], "--force")
    assert result.exit_code == 1
    assert "overlaps" in result.output
    assert snapshot(site.content) == before


def test_a_linked_output_folder_or_a_mount_point_is_one_clear_line(site, monkeypatch):
    fill(site, 1)
    real = site.root / "real-output"
    real.mkdir()
    (site.root / "link").symlink_to(real)
    result = build_into(site, site.root / "link")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert f"is a symbolic link (to {real}); give the folder itself (--output {real})" \
        in result.output
    import drawdesk.output.folder as outputdir
    monkeypatch.setattr(outputdir.os.path, "ismount", lambda path: str(path).endswith("mnt"))
    (site.root / "mnt").mkdir()
    result = build_into(site, site.root / "mnt")
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "is a mount point, which cannot be replaced whole" in result.output


# -- replaced: missing, empty, built before; refused otherwise unless --force ----------------
def test_an_unrelated_folder_is_refused_unless_forced(site):
    fill(site, 1)
    site.output.mkdir()
    (site.output / "notes.txt").write_text("my notes")
    (site.output / "photos").mkdir()
    result = site.build()
    assert result.exit_code == 1
    assert "holds files drawdesk did not write (notes.txt, photos); a build replaces the " \
           "whole folder, so give an empty or new folder, or run again with --force" \
        in result.output
    assert (site.output / "notes.txt").read_text() == "my notes"
    forced = site.build("--force")
    assert forced.exit_code == 0, forced.output
    assert not (site.output / "notes.txt").exists()
    assert site.build().exit_code == 0  # drawdesk's now


def test_an_empty_folder_or_one_holding_only_git_is_built_into(site):
    fill(site, 1)
    site.output.mkdir()
    assert site.build().exit_code == 0
    shutil.rmtree(site.output)
    site.output.mkdir()
    git = git_checkout(site.output)
    assert site.build().exit_code == 0
    assert snapshot(site.output / ".git") == git
    assert (site.output / "index.html").is_file()


def test_an_output_built_before_is_recognised_without_the_cache(site):
    """The mark survives deleting .drawdesk/ and is in the outputs of earlier versions:
    every feed names its generator."""
    fill(site, 2)
    assert site.build().exit_code == 0
    shutil.rmtree(site.root / CACHE_DIR)
    (site.output / "added-by-hand.txt").write_text("x")
    result = site.build()
    assert result.exit_code == 0, result.output
    assert not (site.output / "added-by-hand.txt").exists()
    assert b"<generator>drawdesk</generator>" in (site.output / "feed.xml").read_bytes()
    from tests.test_editions import bilingual
    bilingual(site)  # a site with editions: en/feed.xml and fr/feed.xml carry the mark
    assert site.build().exit_code == 0
    assert not (site.output / "feed.xml").exists()
    shutil.rmtree(site.root / CACHE_DIR)
    assert site.build().exit_code == 0


def test_an_output_an_earlier_version_built_is_recognised(site):
    """Earlier versions named an address in the Atom feed's generator; their RSS feed,
    which carries the mark, is the same."""
    site.output.mkdir()
    (site.output / "feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>T</title>'
        "<generator>drawdesk</generator></channel></rss>\n")
    (site.output / "atom.xml").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><generator '
        'uri="https://example.org/drawdesk">drawdesk</generator></feed>\n')
    (site.output / "page-of-then.html").write_text("then")
    fill(site, 1)
    result = site.build()
    assert result.exit_code == 0, result.output
    assert not (site.output / "page-of-then.html").exists()


# -- .git inside the output: a deploy checkout, always kept ----------------------------------
def test_a_git_checkout_in_the_output_survives_every_kind_of_build(site):
    fill(site, 2)
    assert site.build().exit_code == 0
    git = git_checkout(site.output)
    for step in range(3):
        if step == 1:  # an edit: the cache updates the output in place
            site.draw("d0.yaml", draw_yaml(date="2025-03-03", round=300, invitations=77))
        if step == 2:  # no cache: the whole folder is swapped
            shutil.rmtree(site.root / CACHE_DIR)
            site.draw("d1.yaml", draw_yaml(date="2025-03-04", round=301, invitations=78))
        result = site.build()
        assert result.exit_code == 0, result.output
        assert snapshot(site.output / ".git") == git, step
        without_git = {k: v for k, v in snapshot(site.output).items()
                       if not k.startswith(".git/")}
        assert without_git == clean_build(site, site.root / "clean"), step
    result = CliRunner().invoke(main, ["clean", "--content", str(site.content), "--output",
                                       str(site.output)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in site.output.iterdir()) == [".git"]
    assert snapshot(site.output / ".git") == git


def test_a_failed_swap_puts_the_git_checkout_back(site, monkeypatch):
    fill(site, 1)
    assert site.build().exit_code == 0
    git = git_checkout(site.output)
    before = snapshot(site.output)
    shutil.rmtree(site.root / CACHE_DIR)
    site.draw("d0.yaml", draw_yaml(date="2025-03-03", round=300, invitations=5))
    real = Path.rename

    def failing(self, target):
        if ".new-" in self.name:
            raise OSError(30, "Read-only file system", str(self), None, str(target))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    result = site.build()
    assert result.exit_code == 1
    assert "Read-only file system" in result.output and "Traceback" not in result.output
    assert snapshot(site.output) == before
    assert snapshot(site.output / ".git") == git
    assert leftovers(site.root) == []


def test_clean_refuses_a_folder_drawdesk_did_not_build(site):
    fill(site, 1)
    site.output.mkdir()
    (site.output / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["clean", "--content", str(site.content), "--output",
                                       str(site.output)])
    assert result.exit_code == 1
    assert "holds files drawdesk did not write" in result.output
    assert (site.output / "notes.txt").read_text() == "mine"


# -- files added by hand, and what killed builds leave ---------------------------------------
def test_a_file_added_by_hand_where_a_page_will_go_is_put_right(site):
    """It made every cached build fail ('is in the way') while a clean build succeeded."""
    fill(site, 2)
    assert site.build().exit_code == 0
    (site.output / "draws" / "2025-03-09-healthcare").write_text("in the way")
    (site.output / "category" / "stem").write_text("also in the way")
    site.draw("new.yaml", draw_yaml(date="2025-03-09", round=310))
    site.draw("stem.yaml", draw_yaml(date="2025-03-10", round=311, category="stem"))
    result = site.build()
    assert result.exit_code == 0, result.output
    assert snapshot(site.output) == clean_build(site, site.root / "clean")


def test_staging_folders_left_by_a_killed_build_are_removed(site):
    fill(site, 1)
    assert site.build().exit_code == 0
    (site.root / ".output.new-k1ll3d").mkdir()
    (site.root / ".output.new-k1ll3d" / "index.html").write_text("half")
    (site.root / ".output.old-k1ll3d").mkdir()
    (site.root / ".output.old-k1ll3d" / "index.html").write_text("older")
    assert site.build().exit_code == 0
    assert leftovers(site.root) == []


def test_a_build_killed_mid_swap_loses_neither_the_site_nor_its_git(site):
    """Killed after moving the old output aside (SIGKILL cannot be held back): the next
    build puts it back, .git included, before building."""
    fill(site, 1)
    assert site.build().exit_code == 0
    git = git_checkout(site.output)
    staging = site.root / ".output.new-k1ll3d"
    staging.mkdir()
    (site.output / ".git").rename(staging / ".git")
    site.output.rename(site.root / ".output.old-k1ll3d")
    assert not site.output.exists()
    result = site.build()
    assert result.exit_code == 0, result.output
    assert snapshot(site.output / ".git") == git
    assert leftovers(site.root) == []


# -- file system failures: one line, old output intact, nothing left behind ------------------
def _raise(error: OSError):
    def fail(*args, **kwargs):
        raise error
    return fail


@pytest.mark.parametrize("target, error, expected", [
    ("drawdesk.output.writer._place", OSError(28, "No space left on device", "output/x.html"),
     "output/x.html: No space left on device"),
    ("drawdesk.output.writer.tempfile.mkdtemp", PermissionError(13, "Permission denied", "site"),
     "site: Permission denied"),
    ("drawdesk.output.writer.Writer._replace", OSError(30, "Read-only file system", "output"),
     "output: Read-only file system"),
    ("drawdesk.output.writer.Writer._update", OSError(5, "Input/output error", "output/a"),
     "output/a: Input/output error"),
    ("drawdesk.source.sitefiles.read_regular", PermissionError(13, "Permission denied", "CNAME"),
     "CNAME: Permission denied"),
])
def test_file_system_failures_are_one_line(site, monkeypatch, target, error, expected):
    fill(site, 2)
    (site.content / "static").mkdir()
    (site.content / "static" / "CNAME").write_text("news.example.org\n")
    assert site.build().exit_code == 0
    before = snapshot(site.output)
    site.draw("d0.yaml", draw_yaml(date="2025-03-03", round=300, invitations=5))
    if target.endswith("_replace"):
        shutil.rmtree(site.root / CACHE_DIR)  # a swap, not an update
    module, _, name = target.rpartition(".")
    import importlib
    try:
        owner = importlib.import_module(module)
    except ImportError:
        module, _, cls = module.rpartition(".")
        owner = getattr(importlib.import_module(module), cls)
    monkeypatch.setattr(owner, name, _raise(error))
    result = site.build()
    assert result.exit_code == 1
    assert result.output == f"Build failed: {expected}; {site.output} was not changed.\n"
    assert snapshot(site.output) == before
    assert leftovers(site.root) == []


def test_a_lock_that_cannot_be_made_is_one_line(site, monkeypatch):
    fill(site, 1)
    import drawdesk.output.folder as outputdir
    real_open = open

    def refusing(path, *args, **kwargs):
        if str(path).endswith(".output.lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(outputdir, "open", refusing, raising=False)
    result = site.build()
    assert result.exit_code == 1
    assert result.output.startswith("Build failed: ") and result.output.count("\n") == 1
    assert ".output.lock: Permission denied" in result.output
    assert not os.path.exists(site.output)
