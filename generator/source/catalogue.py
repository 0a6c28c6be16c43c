"""Reading the catalogues of per-language interface strings and FAQ prose,
templates/i18n/<lang>.yaml (`present.catalogue` serves them to templates)."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from ..core.problems import ContentError, Problem, display_path
from .yamlfile import read_yaml


def read_catalog(path: Path, shown: str | None = None) -> tuple[dict[str, str], list[Problem]]:
    """The strings of one catalogue file, read like every YAML input (safely, with
    positions, each value as written), and the problems found in it."""
    shown = display_path(path) if shown is None else shown
    source, problems = read_yaml(path, shown)
    if source is None:
        return {}, problems
    root = source.root
    if not isinstance(root, yaml.MappingNode):
        mark = root.start_mark
        return {}, [Problem(shown, mark.line + 1, mark.column + 1, "file",
                            "not a mapping (a mapping of names to strings expected)")]
    strings: dict[str, str] = {}
    for key, value in root.value:
        if not isinstance(value, yaml.ScalarNode) or not isinstance(key, yaml.ScalarNode):
            mark = value.start_mark
            problems.append(Problem(shown, mark.line + 1, mark.column + 1, str(key.value),
                                    "a list or mapping found (a line of text expected)"))
            continue
        strings[str(key.value)] = value.value
    return strings, problems


def catalog_path(folder: Path, lang: str) -> Path:
    return folder / "i18n" / f"{lang}.yaml"


def read_catalogues(template_dirs: list[Path], lang: str) -> dict[str, str]:
    """The strings for `lang`; a site's own file overrides strings one by one.

    Raises ContentError if a catalogue file cannot be read (the loader reports the
    site's catalogues before a build gets here: see `source.loader`)."""
    merged: dict[str, str] = {}
    for folder in reversed(template_dirs):  # the theme first, the site's overrides last
        path = catalog_path(folder, lang)
        if os.path.lexists(path):
            strings, problems = read_catalog(path)
            if problems:
                raise ContentError(problems)
            merged.update(strings)
    return merged
