"""The Hugo site drawdesk is compared with, set up at run time from the anchor folder.

The anchor (`../shared/anchors/hugo` beside the repository, see its README.md)
holds `gen_data.py` (N seeded draws as YAML), `convert.py` (each draw as a Hugo
page) and `site/` (config and layouts). Nothing of it is part of drawdesk: the
benchmark copies it into its work folder for the run and leaves it there.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ANCHOR_FILES = ("gen_data.py", "convert.py", "site/config.toml")


@dataclass(frozen=True)
class HugoSite:
    hugo: str  # the executable
    version: str  # "hugo v0.111.3+extended ..."
    root: Path  # the site: config.toml, layouts/, content/draws/
    draws: int

    @property
    def middle_entry(self) -> Path:
        """The entry the edits change: the middle draw, like drawdesk's."""
        return self.root / "content" / "draws" / f"draw-{self.draws // 2 + 1:05d}.md"

    @property
    def middle_page(self) -> str:
        """That entry's page (the anchor's permalinks: /draws/draw-ROUND/)."""
        return f"draws/draw-{self.draws // 2 + 1}/"

    def clean_build(self) -> list[str]:
        return [self.hugo, "--quiet"]

    def server(self, port: int) -> list[str]:
        return [self.hugo, "server", "--bind", "127.0.0.1", "--port", str(port),
                "--baseURL", f"http://127.0.0.1:{port}/"]


def why_not(anchor: Path) -> str | None:
    """Why the Hugo rows cannot run, or None when they can."""
    if shutil.which("hugo") is None:
        return "hugo is not installed (not on PATH)"
    missing = [name for name in ANCHOR_FILES if not (anchor / name).is_file()]
    if missing:
        return (f"no Hugo anchor at {anchor} (missing {', '.join(missing)}; "
                "give its folder with --hugo-anchor)")
    return None


def prepare(anchor: Path, work: Path, draws: int) -> HugoSite:
    """Copy the anchor into `work` and generate `draws` draws as Hugo pages."""
    hugo = shutil.which("hugo")
    assert hugo is not None
    if work.exists():
        shutil.rmtree(work)
    scripts = work / "scripts"
    scripts.mkdir(parents=True)
    for name in ("gen_data.py", "convert.py"):
        shutil.copy(anchor / name, scripts / name)
    root = work / "site"
    shutil.copytree(anchor / "site", root)
    for args in ([str(scripts / "gen_data.py"), str(draws), str(work / "data")],
                 [str(scripts / "convert.py"), str(work / "data"),
                  str(root / "content" / "draws"), str(work / "unused")]):
        run = subprocess.run([sys.executable, *args], capture_output=True, text=True)
        if run.returncode:
            raise SystemExit(f"the Hugo anchor's {Path(args[0]).name} failed:\n{run.stderr}")
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
    return HugoSite(hugo, version.split(" BuildDate")[0].strip(), root, draws)


def pages_written(public: Path) -> int:
    """The HTML pages a Hugo build wrote."""
    return sum(1 for _ in public.rglob("*.html"))


def free_port() -> int:
    """A port free on loopback now (Hugo takes a port number, not 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def short_version(version: str) -> str:
    found = re.search(r"v\d+\.\d+\.\d+", version)
    return found.group(0) if found else version
