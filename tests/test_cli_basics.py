"""The command line's basics: help, version, module entry point, bundled site."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.cli import main
from tests.conftest import ROOT, SAMPLE


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["validate", "--help"]])
def test_help_everywhere(args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"drawdesk, version {__version__}"


def test_python_dash_m(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", "--content",
                           str(SAMPLE)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "62 entries valid" in proc.stdout


def test_bundled_site_builds(tmp_path):
    out = tmp_path / "output"
    result = CliRunner().invoke(main, ["build", "--content", str(SAMPLE), "--output", str(out),
                                       "--now", "2026-11-01"])
    assert result.exit_code == 0, result.output
    assert "(124 articles," in result.output.splitlines()[-1]  # 62 draws in English and French
    source = (out / "en/draws/2025-07-22-healthcare/index.html").read_text()
    assert "IRCC issued 4,000 invitations to apply to candidates in the healthcare and social " \
           "services category." in source
    french = (out / "fr/draws/2025-07-22-healthcare/index.html").read_text()
    assert "IRCC a envoyé 4\u00a0000 invitations à présenter une demande à des candidats de la " \
           "catégorie des soins de santé et des services sociaux." in french
