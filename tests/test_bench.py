"""The benchmark script runs end to end on a small site and prints every row."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

ROWS = ("clean full build", "no-change rebuild", "one-entry edit", "one-template edit",
        "new draw added", "floor", "one-shot edit floor")


def test_benchmark_prints_every_scenario_with_figures(tmp_path):
    work = tmp_path / "bench"
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--draws", "40",
                             "--workdir", str(work)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("drawdesk benchmark: 40 draws, ")
    rows = {}
    for line in lines[2:]:
        name = next(row for row in sorted(ROWS, key=len, reverse=True) if line.startswith(row))
        rows[name] = [float(x) for x in line[len(name):].split()]
    assert set(rows) == set(ROWS)
    for name, figures in rows.items():
        seconds, *_ = figures
        assert seconds > 0, name
    assert rows["floor"][2] == 1.0  # every ratio is to the floor of the same run
    assert len(rows["one-shot edit floor"]) == 4  # no pages, so no pages/s
    assert not (work / "trash").exists()  # old outputs set aside are deleted
