"""The benchmark script runs end to end on a small site and prints every row."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from bench.anchor import why_not
from bench.serving import bump_invitations, invitations_shown
from bench.synth import write_site
from tests.conftest import ROOT

ROWS = ("clean full build", "no-change rebuild", "one-entry edit", "one-template edit",
        "new draw added", "floor", "one-shot edit floor")
# A stand-in with the Hugo anchor's interface: the tests never read ../shared.
HUGO_ANCHOR = ROOT / "tests" / "fixtures" / "hugo-anchor"


def run_bench(*args: str) -> list[str]:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), *args],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def build_rows(lines: list[str]) -> dict[str, list[float]]:
    """The build table: from the third line to the first blank one."""
    rows = {}
    for line in lines[2:]:
        if not line:
            break
        name = next(row for row in sorted(ROWS, key=len, reverse=True) if line.startswith(row))
        rows[name] = [float(x) for x in line[len(name):].split()]
    return rows


def test_benchmark_prints_every_scenario_with_figures(tmp_path):
    work = tmp_path / "bench"
    lines = run_bench("--draws", "40", "--workdir", str(work))
    assert lines[0].startswith("drawdesk benchmark: 40 draws, ")
    rows = build_rows(lines)
    assert set(rows) == set(ROWS)
    for name, figures in rows.items():
        seconds, *_ = figures
        assert seconds > 0, name
    assert rows["floor"][2] == 1.0  # every ratio is to the floor of the same run
    assert len(rows["one-shot edit floor"]) == 4  # no pages, so no pages/s
    assert not (work / "trash").exists()  # old outputs set aside are deleted
    assert not any(line.startswith("edit to page") for line in lines)  # only when asked


def test_serve_latency_times_drawdesk_serve_and_hugo_server_in_one_run(tmp_path):
    work = tmp_path / "bench"
    lines = run_bench("--draws", "12", "--density", "40", "--languages", "en,fr",
                      "--serve-latency", "--edits", "2", "--hugo-anchor", str(HUGO_ANCHOR),
                      "--workdir", str(work))
    assert lines[0].startswith("drawdesk benchmark: 12 draws, ")
    assert "40 draws a year, languages en,fr" in lines[0]
    assert set(build_rows(lines)) == set(ROWS)
    start = lines.index(next(x for x in lines if x.startswith("edit to page")))
    assert "median of 2 edits" in lines[start]
    servers = {}
    for line in lines[start + 2:]:
        found = re.match(r"(drawdesk serve|hugo server) +([0-9. -]+)$", line)
        if not found:
            break
        servers[found.group(1)] = found.group(2).split()
    median, low, high, reported, ready, peak, tree = servers["drawdesk serve"]
    assert 0 < float(low) <= float(median) <= float(high)
    assert float(reported) > 0  # drawdesk serve printed how long it rebuilt
    assert float(ready) > 0 and float(peak) > 0 and float(tree) > 0
    ratios = {line.split("  ")[1]: line for line in lines if line.startswith("  ")}
    assert "one-entry edit / clean full build" in ratios
    assert "serve peak / clean build peak, memory" in ratios
    if shutil.which("hugo"):
        assert set(servers) == {"drawdesk serve", "hugo server"}
        assert float(servers["hugo server"][0]) > 0
        assert any(line.startswith("hugo clean build") and "13 pages" in line
                   for line in lines)  # 12 draws and the home page
        assert "drawdesk serve / hugo server, edit to page" in ratios
    else:
        assert set(servers) == {"drawdesk serve"}
        assert "hugo rows skipped: hugo is not installed (not on PATH)" in lines
    # Every edit is undone: the site is left as synth wrote it.
    fresh = tmp_path / "fresh"
    write_site(fresh, 12, 1, 40, ("en", "fr"))
    for path in (fresh / "content" / "draws").iterdir():
        assert (work / "content" / "draws" / path.name).read_text() == path.read_text()


def test_hugo_rows_are_left_out_with_the_reason_when_the_anchor_is_missing(tmp_path):
    reason = why_not(tmp_path / "absent")
    if shutil.which("hugo"):
        assert reason is not None and "no Hugo anchor at" in reason
        assert "--hugo-anchor" in reason
    else:
        assert reason == "hugo is not installed (not on PATH)"
    assert why_not(HUGO_ANCHOR) is None or not shutil.which("hugo")


def test_the_figure_read_from_a_page_is_the_one_an_edit_writes(tmp_path):
    entry = tmp_path / "draw.yaml"
    entry.write_text("round: 7\ninvitations: 1999\nmin_crs: 480\n")
    assert bump_invitations(entry) == 2000
    assert entry.read_text() == "round: 7\ninvitations: 2000\nmin_crs: 480\n"
    drawdesk = '<li class="key-figure"><strong>Invitations issued:</strong> 2,000</li>'
    french = ('<li class="key-figure"><strong>Invitations envoyées&nbsp;:</strong> '
              '2\u00a0000</li>')
    hugo = "<li>Invitations issued: 2,000</li>"
    assert invitations_shown(drawdesk) == invitations_shown(french) == 2000
    assert invitations_shown(hugo) == 2000
    assert invitations_shown("<p>Minimum CRS score: 480</p>") is None
