"""The command line's basics: help, version, module entry point, bundled site."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from drawdesk import __version__
from drawdesk.cli import main
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
    proc = subprocess.run([sys.executable, "-m", "drawdesk", "validate", "--content",
                           str(SAMPLE)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "62 entries and 3 posts valid" in proc.stdout


def test_bundled_site_builds(tmp_path):
    out = tmp_path / "output"
    result = CliRunner().invoke(main, ["build", "--content", str(SAMPLE), "--output", str(out),
                                       "--now", "2026-11-01"])
    assert result.exit_code == 0, result.output
    assert "(130 articles," in result.output.splitlines()[-1]  # 62 draws, 3 posts, en and fr
    source = (out / "en/draws/2025-07-22-healthcare/index.html").read_text()
    assert "IRCC issued 4,000 invitations to apply to candidates in the healthcare and social " \
           "services category." in source
    french = (out / "fr/draws/2025-07-22-healthcare/index.html").read_text()
    assert "IRCC a envoyé 4\u00a0000 invitations à présenter une demande à des candidats de la " \
           "catégorie des soins de santé et des services sociaux." in french


INTERRUPTED_IMPORT = """
import builtins, sys
real = builtins.__import__
def ctrl_c(name, *args, **kwargs):
    if name == {module!r}:
        raise KeyboardInterrupt  # as if Ctrl-C arrived while this module loads
    return real(name, *args, **kwargs)
builtins.__import__ = ctrl_c
sys.argv = ["drawdesk", *{args!r}]
from drawdesk.__main__ import run
run()
"""


@pytest.mark.parametrize("module, args", [
    ("jinja2", ["build", "--content", str(SAMPLE), "--output", "{out}"]),
    ("buildcache.disk", ["build", "--content", str(SAMPLE), "--output", "{out}"]),
    ("click", ["validate", "--content", str(SAMPLE)]),
    ("yaml", ["validate", "--content", str(SAMPLE)]),
])
def test_ctrl_c_while_modules_load_exits_130_quietly(tmp_path, module, args):
    """It printed a KeyboardInterrupt traceback in the first half second."""
    args = [a.replace("{out}", str(tmp_path / "out")) for a in args]
    proc = subprocess.run([sys.executable, "-c", INTERRUPTED_IMPORT.format(module=module,
                                                                             args=args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "" and proc.stdout == ""
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.2, 0.35, 0.6, 1.0])
def test_ctrl_c_at_any_moment_of_a_build_never_prints_a_traceback(tmp_path, delay):
    """A real SIGINT, early or late: interrupted (130) or done (0), never a traceback."""
    import signal
    import time

    proc = subprocess.Popen([sys.executable, "-m", "drawdesk", "build", "--content",
                             str(SAMPLE), "--output", str(tmp_path / "out"), "--quiet"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    # -SIGINT: stopped by the signal itself, before Python handles it (a shell shows 130)
    assert proc.returncode in (0, 130, -signal.SIGINT), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    if proc.returncode == 130 and err:
        assert err.endswith("was not changed.\n"), err


def test_ctrl_c_in_a_command_exits_130(monkeypatch):
    import drawdesk.source.loader as cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "load_content", interrupted)
    result = CliRunner().invoke(main, ["validate", "--content", str(SAMPLE)])
    assert result.exit_code == 130
    assert "Traceback" not in result.output
