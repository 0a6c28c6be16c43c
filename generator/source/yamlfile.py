"""Read a YAML file into position-carrying nodes, safely.

Nothing here constructs Python objects from tags: files are *composed* into
nodes (yaml.compose semantics on the safe loader), then checked for the traps
that `safe_load` hides: duplicate keys, aliases, foreign tags, tabs, encoding.
Typed values are read from the nodes by `source.fields`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

try:  # libyaml is much faster; positions and events are the same
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

from ..core.problems import Problem
from .sitefiles import open_regular

MAX_FILE_BYTES = 256 * 1024
# Entries nest four levels at most (faq: fr: - answer:); anything much deeper is a
# mistake or an attack, refused before any recursion could run out of stack.
MAX_DEPTH = 32

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


@dataclass(frozen=True)
class Source:
    """A composed YAML document and where it came from."""

    path: Path
    shown: str  # the path as shown in messages
    root: yaml.Node | None


class _Rejected(Exception):
    def __init__(self, message: str, mark: yaml.Mark | None):
        super().__init__(message)
        self.message = message
        self.mark = mark


def _problem(shown: str, mark: yaml.Mark | None, message: str, field: str = "file") -> Problem:
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    return Problem(shown, line, column, field, message)


def _decode(data: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        msg = f"byte 0x{data[exc.start]:02x} is not valid UTF-8 (save the file as UTF-8)"
        return None, [Problem(shown, line, column, "file", msg)]


def _tab_problems(text: str, shown: str) -> list[Problem]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            column = indent.index("\t") + 1
            msg = "tab character used for indentation (indent with spaces)"
            found.append(Problem(shown, number, column, "file", msg))
    return found


def _too_deep(mark: yaml.Mark | None) -> _Rejected:
    return _Rejected(f"nested more than {MAX_DEPTH} levels deep (at most {MAX_DEPTH} "
                     "levels of lists and mappings expected)", mark)


def _check_nodes(root: yaml.Node) -> None:
    """Reject foreign tags, duplicate keys and too deep nesting anywhere in the tree."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and depth >= MAX_DEPTH:
            raise _too_deep(node.start_mark)
        if node.tag not in _STANDARD_TAGS:
            raise _Rejected(f"YAML tag '{node.tag}' is not allowed (plain values only)",
                            node.start_mark)
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, yaml.Node] = {}
            for key, value in node.value:
                if key.tag == "tag:yaml.org,2002:merge":
                    raise _Rejected("merge keys ('<<') are not allowed", key.start_mark)
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        first = seen[key.value].start_mark.line + 1
                        raise _Rejected(
                            f"duplicate key '{key.value}' (first defined on line {first})",
                            key.start_mark)
                    seen[key.value] = key
                stack.extend(((key, depth + 1), (value, depth + 1)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A composer that refuses aliases and anchors (no 'billion laughs')."""


def _compose(text: str) -> yaml.Node | None:
    if "&" not in text and "*" not in text:
        return _compose_native(text)
    loader = _Loader(text)
    try:
        if not loader.check_event(yaml.StreamStartEvent):  # pragma: no cover
            return None
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # document start
        root = _compose_events(loader, 0)
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.peek_event()
            raise _Rejected("more than one YAML document in the file", event.start_mark)
        return root
    finally:
        loader.dispose()


def _compose_native(text: str) -> yaml.Node | None:
    """Compose with the loader's own composer (libyaml's, in C, when available).

    Only for text without '&' and '*', so it can hold no anchor and no alias:
    the nodes, tags and positions are then exactly those `_compose_events` builds.
    """
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        if exc.context == "expected a single document in the stream":
            raise _Rejected("more than one YAML document in the file",
                            exc.problem_mark) from None
        raise  # pragma: no cover - other composer errors need anchors or aliases
    finally:
        loader.dispose()


def _compose_events(loader: _Loader, depth: int) -> yaml.Node:
    """Build nodes from parser events, refusing anchors, aliases and deep nesting
    (before the recursion could exhaust the stack)."""
    event = loader.get_event()
    if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)) and \
            depth >= MAX_DEPTH:
        raise _too_deep(event.start_mark)
    if isinstance(event, yaml.AliasEvent):
        raise _Rejected("YAML aliases ('*name') are not allowed", event.start_mark)
    if getattr(event, "anchor", None) is not None:
        raise _Rejected("YAML anchors ('&name') are not allowed", event.start_mark)
    if isinstance(event, yaml.ScalarEvent):
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        return yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                               style=event.style)
    if isinstance(event, yaml.SequenceStartEvent):
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.SequenceNode, None, event.implicit)
        items = []
        while not loader.check_event(yaml.SequenceEndEvent):
            items.append(_compose_events(loader, depth + 1))
        end = loader.get_event()
        return yaml.SequenceNode(tag, items, event.start_mark, end.end_mark)
    if isinstance(event, yaml.MappingStartEvent):
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.MappingNode, None, event.implicit)
        pairs = []
        while not loader.check_event(yaml.MappingEndEvent):
            key = _compose_events(loader, depth + 1)
            value = _compose_events(loader, depth + 1)
            pairs.append((key, value))
        end = loader.get_event()
        return yaml.MappingNode(tag, pairs, event.start_mark, end.end_mark)
    raise _Rejected("unexpected YAML structure", event.start_mark)  # pragma: no cover


def _reader_problem(shown: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML refuses (a NUL byte...), at its line and column."""
    position = exc.position if isinstance(exc.position, int) else 0
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    char = exc.character
    code = char if isinstance(char, int) else ord(char) if isinstance(char, str) and char else 0
    return Problem(shown, line, column, "file",
                   f"character U+{code:04X} is not allowed in YAML (printable text expected)")


def read_yaml(path: Path, shown: str, data: bytes | None = None
              ) -> tuple[Source | None, list[Problem]]:
    """Compose one YAML file (or `data`, its bytes already read); return its source or
    the problems found."""
    text, problems = read_text(path, shown, data)
    if text is None:
        return None, problems
    return compose_text(text, shown, path)


def read_text(path: Path, shown: str, data: bytes | None = None
              ) -> tuple[str | None, list[Problem]]:
    """A content file's text (a regular file, at most MAX_FILE_BYTES, UTF-8), or the
    problems that keep it from being read."""
    try:
        if data is None:  # a regular file only: never wait on a pipe or a device
            with os.fdopen(open_regular(path), "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size <= MAX_FILE_BYTES:
                    data = handle.read(MAX_FILE_BYTES + 1)
                    size = len(data)
        else:
            size = len(data)
        if size > MAX_FILE_BYTES:
            msg = f"file is {size} bytes (at most {MAX_FILE_BYTES} bytes expected)"
            return None, [Problem(shown, 1, 1, "file", msg)]
    except OSError as exc:
        return None, [Problem(shown, 1, 1, "file", f"cannot read file ({exc.strerror})")]
    assert data is not None
    return _decode(data, shown)


def compose_text(text: str, shown: str, path: Path | None = None
                 ) -> tuple[Source | None, list[Problem]]:
    """Compose YAML text with the same checks as `read_yaml` (for text about to be written)."""
    path = path if path is not None else Path(shown)
    problems = _tab_problems(text, shown)
    if problems:
        return None, problems
    try:
        root = _compose(text)
        if root is not None:
            _check_nodes(root)
    except _Rejected as exc:
        return None, [_problem(shown, exc.mark, exc.message)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        return None, [_reader_problem(shown, text, exc)]
    except RecursionError:  # pragma: no cover - only PyYAML's pure-Python composer recurses
        return None, [_problem(shown, None, _too_deep(None).message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = exc.problem or exc.context or "invalid YAML"
        if detail == "exceeded maximum nesting depth":  # libyaml's own limit (1,000)
            return None, [_problem(shown, mark, _too_deep(mark).message)]
        return None, [_problem(shown, mark, f"YAML syntax error: {detail}")]
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors without marks
        return None, [_problem(shown, None, f"YAML error: {exc}")]
    if root is None:
        return None, [Problem(shown, 1, 1, "file", "file is empty (a YAML mapping expected)")]
    return Source(path, shown, root), []


def positions(root: yaml.Node) -> dict[tuple[str, ...], tuple[int, int]]:
    """The line and column (from 1) of every value under `root`, by its mapping keys;
    `()` is the root itself. Values inside lists are not listed."""
    found: dict[tuple[str, ...], tuple[int, int]] = {}
    stack: list[tuple[tuple[str, ...], yaml.Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        found[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            stack.extend((path + (str(k.value),), v) for k, v in node.value
                         if isinstance(k, yaml.ScalarNode))
    return found
