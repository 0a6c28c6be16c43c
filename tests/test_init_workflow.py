"""`drawdesk init --ci github`: the GitHub Actions workflow parses, runs when IRCC publishes,
and its drawdesk steps, run in order as written against a local copy of an IRCC file in a
site made by `init --no-input`, import, validate and build a site that passes the checks;
running them again changes nothing. Its commit step keeps the record in the repository."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, snapshot
from sitecheck import broken_links

from drawdesk import __version__
from drawdesk.cli import main
from drawdesk.tools.ircc import OFFICIAL_URL

FIXTURE = ROOT / "tests" / "fixtures" / "ircc" / "ircc-rounds-sample.json"  # 24 real records
WORKFLOW = ".github/workflows/drawdesk.yml"
PAGES_URL = "https://someone.github.io/desk/"  # what configure-pages gives, plus '/'
NOW = "1788220800"  # SOURCE_DATE_EPOCH: 2026-09-01, after every round of the fixture
WEEK = 7 * 24 * 60


def make_site(folder: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["init", str(folder), "--no-input", "--ci", "github",
                                       *args])
    assert result.exit_code == 0, result.output
    return yaml.load((folder / WORKFLOW).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def steps(workflow: dict) -> list[dict]:
    return workflow["jobs"]["build"]["steps"]


def drawdesk_steps(workflow: dict) -> list[dict]:
    return [s for s in steps(workflow) if s.get("run", "").startswith("drawdesk ")]


def shell_env(workflow: dict, tmp: Path, **extra: str) -> dict[str, str]:
    """The environment a step runs in: the workflow's, with IRCC's file replaced by the local
    copy, `drawdesk` on PATH (this checkout's), and GitHub's variables."""
    shim = tmp / "bin"
    shim.mkdir(exist_ok=True)
    script = shim / "drawdesk"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m drawdesk "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, **workflow["env"], "IRCC_ROUNDS_URL": str(FIXTURE),
           "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
           "SOURCE_DATE_EPOCH": NOW, "GITHUB_REF_NAME": "main"}
    return {**env, **extra}


def run_step(step: dict, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A `run:` step as GitHub runs it: bash -e, with the step's own env (its ${{ }}
    expressions are the Pages address, given here)."""
    step_env = {k: PAGES_URL if "steps.pages.outputs.base_url" in v else v
                for k, v in step.get("env", {}).items()}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                           step["run"]], cwd=cwd, env={**env, **step_env},
                          capture_output=True, text=True, timeout=300)


def cron_minutes(expression: str) -> set[int]:
    """The minutes of a week (0 = Monday 00:00 UTC) at which a cron expression fires
    (numbers, ranges, lists, steps and '*' in the minute, hour and day-of-week fields)."""
    minute, hour, day, month, weekday = expression.split()
    assert day == "*" and month == "*"

    def expand(field: str, low: int, high: int) -> set[int]:
        values: set[int] = set()
        for part in field.split(","):
            spec, _, step = part.partition("/")
            first, last = (low, high) if spec == "*" else (
                tuple(int(x) for x in spec.split("-")) if "-" in spec else (int(spec),) * 2)
            assert low <= first <= last <= high, expression
            values.update(range(first, last + 1, int(step or 1)))
        return values

    days = {(d - 1) % 7 for d in expand(weekday, 0, 6)}  # cron: 0 = Sunday
    return {d * 1440 + h * 60 + m for d in days for h in expand(hour, 0, 23)
            for m in expand(minute, 0, 59)}


def longest_wait(runs: set[int], start: int, end: int) -> int:
    """The longest time from any minute of [start, end) to the next run."""
    ordered = sorted(runs) + [min(runs) + WEEK]
    return max(next(r for r in ordered if r >= t) - t for t in range(start, end))


def test_the_workflow_is_valid_and_runs_when_ircc_publishes(tmp_path):
    workflow = make_site(tmp_path)
    on = workflow["on"]
    assert "workflow_dispatch" in on
    assert on["push"]["branches"] == ["main"] and "content/**" in on["push"]["paths"]
    runs = set().union(*(cron_minutes(item["cron"]) for item in on["schedule"]))
    for day in range(5):  # Monday to Friday, 10:00 to 23:59 UTC: every 30 minutes
        assert longest_wait(runs, day * 1440 + 600, day * 1440 + 1440 - 30) <= 30
    assert longest_wait(runs, 0, WEEK) <= 180  # any other time: within 3 hours
    assert workflow["permissions"] == {"contents": "write", "pages": "write",
                                       "id-token": "write"}
    assert workflow["env"]["DRAWDESK_REQUIREMENT"] == f"drawdesk=={__version__}"
    assert workflow["env"]["IRCC_ROUNDS_URL"] == OFFICIAL_URL
    uses = [s["uses"] for s in steps(workflow) if "uses" in s]
    assert uses == ["actions/checkout@v4", "actions/setup-python@v5",
                    "actions/configure-pages@v5", "actions/upload-pages-artifact@v3"]
    install = next(s for s in steps(workflow) if "pip install" in s.get("run", ""))
    assert install["run"] == 'python -m pip install "$DRAWDESK_REQUIREMENT"'
    upload = steps(workflow)[-1]
    assert upload["with"]["path"] == "output"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    assert [s["run"].split()[:2] for s in drawdesk_steps(workflow)] == [
        ["drawdesk", "import"], ["drawdesk", "validate"], ["drawdesk", "build"]]
    names = [s["name"] for s in steps(workflow)]
    assert names.index("Find the site's GitHub Pages address") < names.index("Build the site")
    assert names.index("Build the site") < names.index("Commit new and updated entries") \
        < names.index("Upload the site")


def test_its_drawdesk_commands_import_validate_and_build_the_site(tmp_path):
    site = tmp_path / "site"
    workflow = make_site(site)
    env = shell_env(workflow, tmp_path)
    for step in drawdesk_steps(workflow):
        done = run_step(step, site, env)
        assert done.returncode == 0, (step["run"], done.stdout, done.stderr)
    entries = sorted((site / "content/draws").iterdir())
    assert len(entries) == 24  # one per record of the file, 91a and 91b included
    output = site / "output"
    for entry in entries:
        slug = entry.stem
        page = output / "draws" / slug / "index.html"
        assert page.is_file(), slug
        assert PAGES_URL + f"draws/{slug}/" in page.read_text(encoding="utf-8")
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((output / name).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert len(feed.entries) == 24
        assert feed.entries[0].link.startswith(PAGES_URL)
    assert broken_links(output, PAGES_URL) == []

    def state() -> tuple:  # the site's files, and when each built file was written
        return (snapshot(site / "content"), snapshot(output),
                {p: p.stat().st_mtime_ns for p in output.rglob("*")})
    before = state()
    outputs = []
    for step in drawdesk_steps(workflow):  # again: nothing changes
        done = run_step(step, site, env)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert "Imported: 0 added, 0 updated, 24 unchanged." in outputs[0]
    assert "0 files written" in outputs[2]
    assert state() == before


def test_new_rounds_as_drafts_with_the_same_commands(tmp_path):
    site = tmp_path / "site"
    workflow = make_site(site, "--new-rounds", "draft")
    assert "new_rounds: draft" in (site / "content/site.yaml").read_text(encoding="utf-8")
    env = shell_env(workflow, tmp_path)
    for step in drawdesk_steps(workflow):
        done = run_step(step, site, env)
        assert done.returncode == 0, (step["run"], done.stdout, done.stderr)
    texts = [p.read_text(encoding="utf-8") for p in (site / "content/draws").iterdir()]
    assert len(texts) == 24 and all("\ndraft: true" in t for t in texts)
    assert not (site / "output/draws").exists()  # nothing published before a review
    assert feedparser.parse((site / "output/feed.xml").read_bytes()).entries == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_its_commit_step_records_new_entries_once(tmp_path):
    remote, site = tmp_path / "remote.git", tmp_path / "site"
    workflow = make_site(site)
    env = shell_env(workflow, tmp_path, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")

    def git(*args: str, cwd: Path = site) -> str:
        done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    git("init", "--quiet", "--bare", "--initial-branch=main", str(remote), cwd=tmp_path)
    git("init", "--quiet", "--initial-branch=main")
    git("add", ".")
    git("-c", "user.name=Publisher", "-c", "user.email=publisher@example.org", "commit",
        "--quiet", "-m", "drawdesk init")
    git("remote", "add", "origin", str(remote))
    git("push", "--quiet", "origin", "main")
    editor = tmp_path / "editor"  # meanwhile an editor pushes a change: the run rebases on it
    git("clone", "--quiet", str(remote), str(editor), cwd=tmp_path)
    (editor / "README.md").write_text("# The desk\n", encoding="utf-8")
    git("-c", "user.name=Editor", "-c", "user.email=editor@example.org", "commit", "--quiet",
        "-am", "README", cwd=editor)
    git("push", "--quiet", "origin", "main", cwd=editor)
    commit = next(s for s in steps(workflow) if s["name"] == "Commit new and updated entries")
    for step in [*drawdesk_steps(workflow), commit]:
        done = run_step(step, site, env)
        assert done.returncode == 0, (step["run"], done.stdout, done.stderr)
    log = git("log", "--format=%an|%s", "main", cwd=remote).splitlines()
    assert log == ["github-actions[bot]|Import IRCC's rounds of invitations",
                   "Editor|README", "Publisher|drawdesk init"]
    tracked = git("ls-tree", "-r", "--name-only", "main", "content/draws", cwd=remote).split()
    assert len(tracked) == 24
    assert "output" not in git("ls-tree", "--name-only", "main", cwd=remote).split()
    for step in [*drawdesk_steps(workflow), commit]:  # the next run: nothing to record
        done = run_step(step, site, env)
        assert done.returncode == 0, done.stderr
    assert "No new or updated entries." in done.stdout
    assert len(git("log", "--format=%s", "main", cwd=remote).splitlines()) == 3


def test_the_site_readme_gives_the_same_commands_for_any_other_ci(tmp_path):
    workflow = make_site(tmp_path)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    for step in drawdesk_steps(workflow):
        command = step["run"].replace('"$IRCC_ROUNDS_URL"', OFFICIAL_URL)
        command = command.replace(' --base-url "$PAGES_URL"', "")
        assert f"\n{command}\n" in readme, command
