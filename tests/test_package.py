"""The package publishers install: a wheel carrying the theme, installed outside the checkout.

The wheel is built from a copy of the sources the package is made of (never in
the checkout), offline, with this environment's setuptools. It is installed
into a fresh virtual environment whose only view of this one is its
site-packages (for the dependencies, without reading its .pth files, so the
editable install of the checkout stays out of it), and it builds a copy of the
bundled site in a folder outside the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE

THEME_FILES = ("base.html", "article.html", "article_body.en.html", "article_body.fr.html",
               "assets/style.css", "i18n/en.yaml", "i18n/fr.yaml", "cards/layout.yaml",
               "fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf", "fonts/LICENSE")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("generator", "templates"):
        shutil.copytree(ROOT / folder, source / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "--quiet", "-w", str(wheels), str(source)],
                   check=True, capture_output=True, timeout=300, cwd=wheels)
    [built] = wheels.glob("drawdesk-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with the wheel installed; its python."""
    env = tmp_path_factory.mktemp("env") / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    target = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (target / "dependencies.pth").write_text("".join(f"{path}\n" for path in sorted(ours)))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--no-deps", "--no-index", "--quiet", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return python


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def test_the_wheel_carries_the_package_and_the_theme_and_nothing_else(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"drawdesk", wheel.name.split("-py")[0] + ".dist-info"}
    assert "drawdesk/__main__.py" in names and "drawdesk/core/caching.py" in names
    assert not any(name.startswith(("generator/", "templates/", "content/", "tests/"))
                   for name in names)
    for theme_file in THEME_FILES:
        assert f"drawdesk/theme/{theme_file}" in names, theme_file
    dist = next(name for name in names if name.endswith(".dist-info/METADATA"))
    metadata = zipfile.ZipFile(wheel).read(dist).decode()
    assert "License-Expression: MIT" in metadata and "Classifier: " in metadata
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_the_installed_package_builds_a_site_outside_the_checkout(installed: Path,
                                                                  tmp_path: Path) -> None:
    site = tmp_path / "my-site"
    shutil.copytree(SAMPLE, site / "content")
    found = run([str(installed), "-c", "import drawdesk, importlib.util; "
                 "print(drawdesk.__file__, drawdesk.__version__, "
                 "importlib.util.find_spec('generator'))"], site)
    assert found.returncode == 0, found.stderr
    path, version, generator = found.stdout.split()
    assert Path(path).is_relative_to(installed.parent.parent) and not \
        Path(path).is_relative_to(ROOT)
    assert generator == "None"  # nothing named `generator` is installed
    assert run([str(installed.parent / "drawdesk"), "--version"], site).stdout == \
        f"drawdesk, version {version}\n"
    built = run([str(installed.parent / "drawdesk"), "build", "--now", "2026-01-01"], site)
    assert built.returncode == 0, built.stderr
    assert "(130 articles," in built.stdout  # 62 draws and 3 posts, in two editions
    output = site / "output"
    for page in ("index.html", "en/index.html", "fr/index.html", "assets/style.css",
                 "en/draws/2025-07-22-healthcare/index.html", "en/feed.xml", "fr/atom.xml"):
        assert (output / page).is_file(), page
    checked = run([str(installed), "-m", "drawdesk", "validate"], site)
    assert checked.returncode == 0 and "62 entries and 3 posts valid" in checked.stdout, \
        checked.stderr


def test_the_theme_is_found_in_a_checkout_too() -> None:
    """An editable install maps the package, not its theme: the theme is then the
    checkout's templates/ folder."""
    from drawdesk.core.theme import THEME_DIR
    assert THEME_DIR == ROOT / "templates"
