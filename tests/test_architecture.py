"""The shape of the package, stated once: the stages in the order data flows, the
build cache and parallel rendering beside them, the tools and the command line on top,
and each third-party library in one place. A new import that breaks the order, or a
library used in a second layer, fails here with the module and the line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"

# What each part of the package may import from the others. Data flows one way:
# core -> source -> derive -> present -> output, composed by build; the build cache
# and parallel rendering sit beside the stages and are reached only through
# core.caching's interface; the tools and cli are above everything and nothing
# below imports them.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "parallel": {"core"},
    "source": {"core", "parallel"},
    "derive": {"core", "source"},
    "present": {"core", "source", "derive"},
    "output": {"core", "source"},
    "buildcache": {"core", "source", "output", "parallel"},
    "build": {"core", "source", "derive", "present", "output", "buildcache", "parallel"},
    "tools": {"__init__", "core", "source", "derive", "present", "output", "build",
              "buildcache"},
    "cli": {"__init__", "core", "source", "derive", "present", "output", "build",
            "buildcache", "tools"},
    "__main__": {"cli"},
    "__init__": set(),
}

# Each third-party library and the only part of the package that may import it.
LIBRARIES: dict[str, set[str]] = {
    "yaml": {"source"},
    "jinja2": {"present"},
    "markupsafe": {"present"},
    "markdown": {"present/sanitize.py"},
    "nh3": {"present/sanitize.py"},
    "feedgen": {"present/feeds.py"},
    "PIL": {"present/cards.py"},
    "click": {"cli"},
    "watchfiles": {"tools"},
}


def _part(relative: Path) -> str:
    """The part of the package a module belongs to ('source', 'build', ...)."""
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imports(path: Path, root: Path) -> list[tuple[int, str, bool]]:
    """(line, imported name, whether it is inside the package) for every import."""
    relative = path.relative_to(root)
    package = list(relative.parts[:-1])
    found: list[tuple[int, str, bool]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, False) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.append((node.lineno, node.module or "", False))
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - (node.level - 1)]
            module = [part for part in (node.module or "").split(".") if part]
            if base or module:
                targets = [base + module] if module else [base + [a.name] for a in node.names]
            else:  # `from .. import x`: a part of the package, or a name in its __init__
                targets = [[alias.name if alias.name in ALLOWED else "__init__"]
                           for alias in node.names]
            found += [(node.lineno, ".".join(target), True) for target in targets]
    return found


def violations(root: Path) -> list[str]:
    """Every import that breaks the layer order or the one-library-one-place rule."""
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        part = _part(relative)
        for line, name, internal in imports(path, root):
            where = f"{relative}:{line}"
            if internal:
                target = name.split(".")[0] if "." in name else name
                if target != part and target not in ALLOWED.get(part, set()):
                    problems.append(f"{where}: {part} imports {name} (allowed: "
                                    f"{', '.join(sorted(ALLOWED.get(part, set()))) or 'nothing'})")
                continue
            library = name.split(".")[0]
            places = LIBRARIES.get(library)
            if places is not None and part not in places and relative.as_posix() not in places:
                problems.append(f"{where}: {library} is imported outside "
                                f"{', '.join(sorted(places))}")
    return problems


def test_every_import_follows_the_layer_order_and_the_library_rule() -> None:
    assert violations(PACKAGE) == []


def test_every_part_of_the_package_is_named_in_the_layer_order() -> None:
    parts = {_part(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")}
    assert parts <= set(ALLOWED), sorted(parts - set(ALLOWED))


@pytest.mark.parametrize(("module", "source", "expected"), [
    ("core/models.py", "from ..present import urls\n", "core imports present"),
    ("derive/facts.py", "from ..buildcache import disk\n", "derive imports buildcache"),
    ("source/loader.py", "from ..tools import serve\n", "source imports tools"),
    ("output/writer.py", "import jinja2\n", "jinja2 is imported outside present"),
    ("present/pages.py", "import yaml\n", "yaml is imported outside source"),
    ("present/urls.py", "from PIL import Image\n", "PIL is imported outside present/cards.py"),
])
def test_a_broken_rule_is_reported_with_its_place(tmp_path: Path, module: str, source: str,
                                                  expected: str) -> None:
    path = tmp_path / module
    path.parent.mkdir(parents=True)
    path.write_text('"""A module."""\n' + source, encoding="utf-8")
    (tmp_path / "__init__.py").write_text("", encoding="utf-8")
    found = violations(tmp_path)
    assert len(found) == 1
    assert found[0].startswith(f"{module}:2: {expected}")


def test_no_module_is_longer_than_about_four_hundred_lines() -> None:
    long = {str(path.relative_to(PACKAGE)): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 420}
    assert long == {}
