"""The package publishers install: a wheel carrying the theme, installed outside the checkout.

The wheel is built from a copy of the sources the package is made of (never in
the checkout), offline, with this environment's setuptools. It is installed
into a fresh virtual environment whose only view of this one is its
site-packages (for the dependencies, without reading its .pth files, so the
editable install of the checkout stays out of it), and it builds a copy of the
bundled site in a folder outside the repository; and, as a publisher would, it starts a
site of its own with `drawdesk init` in an empty folder and runs the drawdesk commands of
the workflow init writes, in order, on a local copy of an IRCC file.
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

import feedparser
import html5lib
import pytest
import yaml

from tests.conftest import ROOT, SAMPLE
from tests.sitecheck import broken_links

THEME_FILES = ("base.html", "article.html", "article_body.en.html", "article_body.fr.html",
               "assets/style.css", "i18n/en.yaml", "i18n/fr.yaml", "cards/layout.yaml",
               "fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf", "fonts/LICENSE")
# What `drawdesk init` writes from (generator/tools/starter/, package data).
STARTER_FILES = ("categories.yaml", "README.md", "README-github.md", "README-other.md",
                 "drawdesk.yml", "gitignore")
IRCC_FILE = ROOT / "tests/fixtures/ircc/ircc-rounds-sample.json"  # 24 real records
PAGES_URL = "https://someone.github.io/desk/"


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
    for starter_file in STARTER_FILES:
        assert f"drawdesk/tools/starter/{starter_file}" in names, starter_file
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


def test_the_installed_package_starts_a_site_and_runs_its_workflow_commands(
        installed: Path, tmp_path: Path) -> None:
    """`drawdesk init --no-input --ci github` in an empty folder, then the workflow's
    drawdesk steps as written (import, validate, build), each run by the installed command
    in a shell, with IRCC's address replaced by a local copy of an IRCC file."""
    bin_dir = installed.parent
    site = tmp_path / "desk"
    site.mkdir()
    started = run([str(bin_dir / "drawdesk"), "init", "--no-input", "--ci", "github"], site)
    assert started.returncode == 0, started.stderr
    assert "created content/site.yaml" in started.stdout
    version = run([str(installed), "-c", "import drawdesk; print(drawdesk.__version__)"],
                  site).stdout.strip()
    workflow = yaml.load((site / ".github/workflows/drawdesk.yml").read_text(encoding="utf-8"),
                         Loader=yaml.BaseLoader)
    # It installs the very drawdesk that wrote it, then runs drawdesk's commands.
    assert workflow["env"]["DRAWDESK_REQUIREMENT"] == f"drawdesk=={version}"
    steps = workflow["jobs"]["build"]["steps"]
    assert any(s.get("run") == 'python -m pip install "$DRAWDESK_REQUIREMENT"' for s in steps)
    commands = [s for s in steps if s.get("run", "").startswith("drawdesk ")]
    assert [s["run"].split()[1] for s in commands] == ["import", "validate", "build"]

    copy = tmp_path / "ee_rounds_123_en.json"
    shutil.copy(IRCC_FILE, copy)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(workflow["env"], IRCC_ROUNDS_URL=str(copy), SOURCE_DATE_EPOCH="1788220800",
               PATH=f"{bin_dir}{os.pathsep}{env['PATH']}")  # 2026-09-01: after every round
    outputs = []
    for step in commands:
        step_env = {k: PAGES_URL if "steps.pages.outputs.base_url" in v else v
                    for k, v in step.get("env", {}).items()}
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               step["run"]], cwd=site, env={**env, **step_env},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (step["run"], done.stdout, done.stderr)
        outputs.append(done.stdout)
    assert "Imported: 24 added, 0 updated, 0 unchanged." in outputs[0]
    assert "24 entries valid" in outputs[1]
    assert "(24 articles," in outputs[2]

    output = site / "output"
    slugs = sorted(p.stem for p in (site / "content/draws").glob("*.yaml"))
    assert len(slugs) == 24
    pages = ["index.html", "archive/index.html", "category/index.html", "stats/index.html",
             "data/index.html", "data/draws.json", "data/draws.csv", "404.html",
             "sitemap.xml", "assets/style.css", "feed.xml", "atom.xml",
             *(f"draws/{slug}/index.html" for slug in slugs)]
    for page in pages:
        assert (output / page).is_file(), page
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in output.rglob("*.html"):
        parser.parse(page.read_bytes())  # strict: any parse error raises
    for name in ("feed.xml", "atom.xml", *(p.relative_to(output).as_posix()
                                           for p in output.glob("category/*/feed.xml"))):
        feed = feedparser.parse((output / name).read_bytes())
        assert not feed.bozo, (name, feed.bozo_exception)
        assert feed.entries and feed.entries[0].link.startswith(PAGES_URL), name
    assert len(feedparser.parse((output / "feed.xml").read_bytes()).entries) == 24
    assert broken_links(output, PAGES_URL) == []
