"""The sample site passes the shared site checks (HTML, links, JSON-LD, feeds)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import NOW, ROOT, SAMPLE

from drawdesk.build import build
from drawdesk.core.options import BuildConfig


def _check_site() -> Path | None:
    candidates = [os.environ.get("CHECK_SITE", ""), ROOT.parent / "shared/tools/check-site",
                  "/work/shared/tools/check-site"]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


@pytest.mark.skipif(_check_site() is None, reason="shared/tools/check-site not found")
def test_sample_site_passes_check_site(tmp_path):
    output = tmp_path / "output"
    build(BuildConfig(content=SAMPLE, output=output, now=NOW))
    run = subprocess.run([str(_check_site()), str(output), "--no-axe"], capture_output=True,
                         text=True, timeout=300)
    if run.returncode == 2:
        pytest.skip(f"check-site tools are not installed: {run.stdout[-300:]}{run.stderr[-300:]}")
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.skipif(_check_site() is None, reason="shared/tools/check-site not found")
def test_a_site_made_by_init_passes_check_site_empty_and_after_an_import(tmp_path):
    from click.testing import CliRunner

    from drawdesk.cli import main
    content, output = tmp_path / "content", tmp_path / "output"
    sample = ROOT / "tests/fixtures/ircc/ircc-rounds-sample.json"

    def command(*args: str) -> None:
        result = CliRunner().invoke(main, list(args))
        assert result.exit_code == 0, result.output

    def check() -> None:
        build(BuildConfig(content=content, output=output, now=NOW))
        run = subprocess.run([str(_check_site()), str(output), "--no-axe"],
                             capture_output=True, text=True, timeout=300)
        if run.returncode == 2:
            pytest.skip(f"check-site tools are not installed: {run.stdout[-300:]}")
        assert run.returncode == 0, run.stdout + run.stderr

    command("init", str(tmp_path), "--no-input", "--languages", "en,fr")
    check()  # no draw yet
    command("import", "ircc", str(sample), "--content", str(content))
    check()
