"""Reading one content file into plain values, with the position of every value."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..core.problems import Problem, display_path
from . import sitefiles
from .fields import Field
from .reader import Reader
from .yamlfile import read_yaml


def positions(node: yaml.Node) -> dict[str, tuple[int, int]]:
    """The line and column of a mapping ("") and of each of its values, by key."""
    marks = {"": (node.start_mark.line + 1, node.start_mark.column + 1)}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            marks[str(key.value)] = (value.start_mark.line + 1, value.start_mark.column + 1)
    return marks


def nested_mark(node: yaml.Node, path: tuple[str, ...]) -> tuple[int, int] | None:
    """The position of the value at `path` (keys of nested mappings), if it is there."""
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            return None
        found = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        if found is None:
            return None
        node = found
    return node.start_mark.line + 1, node.start_mark.column + 1


def read_file(path: Path, root: Path, fields: tuple[Field, ...], problems: list[Problem],
              hints: dict[str, Callable[[str], str]] | None = None, raw: bytes | None = None,
              shown: str | None = None) -> tuple[dict[str, Any] | None, yaml.Node | None, str]:
    """A YAML file's values by `fields`, its root node and its path as shown; the problems
    found go to `problems` (values None when it cannot be read)."""
    shown = display_path(path, root) if shown is None else shown
    source, found = read_yaml(path, shown, raw)
    problems.extend(found)
    if source is None:
        return None, None, shown
    reader = Reader(shown, hints)
    data = reader.mapping(source.root, fields)
    problems.extend(reader.problems)
    return data, source.root, shown


def named_file(path: Path, root: Path, problems: list[Problem], missing: str) -> bool:
    """True if `path` is a file to read; a problem otherwise (missing, a pipe, a link
    leaving the content folder...)."""
    exists, refusal = sitefiles.check_file(path, sitefiles.real_roots([root]))
    if not exists or refusal:
        problems.append(Problem(display_path(path, root), 1, 1, "file", refusal or missing))
        return False
    return True


