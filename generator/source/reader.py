"""Read YAML nodes into plain values by their fields (`source.fields`), with a position in
every message.

Values are read from the *raw scalar text* of each node, never from YAML's
implicit typing, so `14:05` is not 845 and `no` is not False.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import yaml

from ..core.models import LANGUAGES, PLAIN_LANGUAGE, RoundId
from ..core.options import year_problem
from ..core.problems import Problem, did_you_mean
from .fields import COLOUR_RE, KEY_RE, SLUG_RE, URL_RE, Field

_INT_RE = re.compile(r"^[+-]?[0-9]+$")
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_TRUE, _FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}


class Reader:
    """Reads nodes of one file into plain Python values, collecting problems."""

    def __init__(self, shown: str, hints: dict[str, Callable[[str], str]] | None = None):
        self.shown = shown
        self.problems: list[Problem] = []
        # field path -> a function giving a "; did you mean ...?" suffix for a bad value
        self.hints = hints or {}

    def hint(self, where: str, value: str) -> str:
        return self.hints[where](value) if where in self.hints else ""

    def fail(self, node: yaml.Node, field: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(self.shown, mark.line + 1, mark.column + 1, field, message))

    # -- mappings ---------------------------------------------------------------
    def mapping(self, node: yaml.Node, fields: tuple[Field, ...], where: str = "") -> dict:
        label = where or "entry"
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, label, f"{_node_kind(node)} found (a mapping of fields expected)")
            return {}
        known = {f.name: f for f in fields}
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in known:
                name = str(key)
                self.fail(key_node, _join(where, name),
                          f"unknown field{did_you_mean(name, known)} "
                          f"(expected one of: {', '.join(sorted(known))})")
                continue
            value = self.value(value_node, known[key], _join(where, key))
            if value is not _MISSING:
                out[key] = value
        for f in fields:
            if f.required and f.name not in out and not self._has_key(node, f.name):
                self.fail(node, _join(where, f.name), f"missing required field ({f.description})")
        return out

    @staticmethod
    def _has_key(node: yaml.MappingNode, name: str) -> bool:
        return any(getattr(k, "value", None) == name for k, _ in node.value)

    # -- values -------------------------------------------------------------------
    def value(self, node: yaml.Node, f: Field, where: str) -> Any:
        if f.kind == "list":
            if not isinstance(node, yaml.SequenceNode):
                self.fail(node, where, f"{_node_kind(node)} found (a list expected)")
                return _MISSING
            assert f.items is not None
            values = [self.value(item, f.items, f"{where}[{i + 1}]")
                      for i, item in enumerate(node.value)]
            return [v for v in values if v is not _MISSING]
        if f.kind == "map":
            if f.open_keys:
                return self._open_map(node, f, where)
            return self.mapping(node, f.fields, where)
        if f.kind == "langmap":
            return self._langmap(node, f, where)
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, where, f"{_node_kind(node)} found ({_expected(f)} expected)")
            return _MISSING
        if node.tag == "tag:yaml.org,2002:null" and _plain(node):
            if f.required:
                self.fail(node, where, f"empty value ({_expected(f)} expected)")
            return _MISSING
        return _SCALAR_READERS[f.kind](self, node, f, where)

    def _open_map(self, node: yaml.Node, f: Field, where: str) -> Any:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, where, f"{_node_kind(node)} found (a mapping expected)")
            return _MISSING
        assert f.items is not None
        out = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if f.choices and key not in f.choices:
                self.fail(key_node, _join(where, key),
                          f"unknown key{did_you_mean(key, f.choices)} "
                          f"(expected one of: {', '.join(f.choices)})")
                continue
            value = self.value(value_node, f.items, _join(where, key))
            if value is not _MISSING:
                out[key] = value
        return out

    def _langmap(self, node: yaml.Node, f: Field, where: str) -> Any:
        """A value that may be given per language: the value itself (English), or a
        mapping by language, `{en: value, fr: value}`. Read as `{language: value}`.

        When the value is itself a mapping (`sections`), language keys may stand beside
        its own keys: `{meaning: English, fr: {meaning: French}}`.
        """
        inner = f.items or Field(f.name, "text", f.description)
        if not isinstance(node, yaml.MappingNode):
            value = self.value(node, inner, where)
            return _MISSING if value is _MISSING else {PLAIN_LANGUAGE: value}
        if inner.kind == "map":
            own = [(k, v) for k, v in node.value if str(k.value) not in LANGUAGES]
            if own and self._has_key(node, PLAIN_LANGUAGE):
                self.fail(own[0][0], _join(where, str(own[0][0].value)),
                          f"English given both here and under '{PLAIN_LANGUAGE}:' "
                          f"(one of the two expected)")
                return _MISSING
        else:
            own = []
        out = {}
        if own:
            plain = yaml.MappingNode(node.tag, own, own[0][0].start_mark, node.end_mark)
            value = self.value(plain, inner, where)
            if value is not _MISSING:
                out[PLAIN_LANGUAGE] = value
        for key_node, value_node in node.value:
            lang = str(key_node.value)
            if lang not in LANGUAGES:
                if not own:
                    self.fail(key_node, _join(where, lang),
                              f"unknown language ({' or '.join(LANGUAGES)} expected)")
                continue
            value = self.value(value_node, inner, _join(where, lang))
            if value is not _MISSING:
                out[lang] = value
        return out


_MISSING = object()
MISSING = _MISSING  # what `Reader.value` returns for a value it reported a problem with


def _plain(node: yaml.ScalarNode) -> bool:
    """True for an unquoted scalar (PyYAML and libyaml spell 'plain' differently)."""
    return not node.style


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"'{node.value}'"


def _expected(f: Field) -> str:
    return {
        "str": "a line of text", "text": "text", "markdown": "Markdown text",
        "int": _int_range(f), "round": _round_range(f), "bool": "true or false",
        "date": "a date as YYYY-MM-DD",
        "datetime": "a date-time with zone, e.g. 2025-07-18T11:02:37Z",
        "url": "an https:// or http:// URL", "slug": "lowercase letters, digits and hyphens",
        "key": "lowercase letters, digits and hyphens",
        "enum": "one of: " + ", ".join(f.choices),
        "figure": "a number, a date or a date-time, as the corrected field is written",
        "colour": "a colour as \"#RRGGBB\", in quotes (# starts a YAML comment)",
    }.get(f.kind, f.kind)


def _int_range(f: Field) -> str:
    if f.minimum is not None and f.maximum is not None:
        return f"a whole number from {f.minimum} to {f.maximum}"
    if f.minimum is not None:
        return f"a whole number of at least {f.minimum}"
    return "a whole number"


def _round_range(f: Field) -> str:
    return (f"a round number from {f.minimum} to {f.maximum}, optionally followed by one "
            "lowercase letter (91a)")


def _read_text(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    text = node.value
    if _CONTROL_RE.search(text):
        r.fail(node, where, "contains control characters (plain text expected)")
        return _MISSING
    if f.kind == "str":
        text = " ".join(text.split())
    if not text.strip():
        r.fail(node, where, f"empty text ({_expected(f)} expected)")
        return _MISSING
    return text


def _read_int(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    text = node.value.strip()
    if not _INT_RE.match(text) or not _plain(node):
        hint = " (write numbers without separators or quotes)" if re.search(r"\d", text) else ""
        r.fail(node, where, f"'{node.value}' is not a whole number{hint} ({_expected(f)} expected)")
        return _MISSING
    number = int(text)
    if (f.minimum is not None and number < f.minimum) or (
            f.maximum is not None and number > f.maximum):
        r.fail(node, where, f"{number} is out of range ({_expected(f)} expected)")
        return _MISSING
    return number


def _read_round(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    """A round identifier: 357, or a number and one lowercase letter, 91a."""
    text = node.value.strip()
    found = RoundId.parse(text) if _plain(node) else None
    if found is None:
        r.fail(node, where, f"'{node.value}' is not a round identifier ({_expected(f)} expected)")
        return _MISSING
    if (f.minimum is not None and found.number < f.minimum) or (
            f.maximum is not None and found.number > f.maximum):
        r.fail(node, where, f"{found} is out of range ({_expected(f)} expected)")
        return _MISSING
    return found


def _read_bool(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    if _plain(node) and node.value in _TRUE:
        return True
    if _plain(node) and node.value in _FALSE:
        return False
    r.fail(node, where, f"'{node.value}' is not true or false (true or false expected)")
    return _MISSING


def _read_date(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    text = node.value.strip()
    if not _DATE_RE.match(text):
        r.fail(node, where, f"'{node.value}' is not a date ({_expected(f)} expected)")
        return _MISSING
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        r.fail(node, where, f"'{text}' is not a real calendar date ({_expected(f)} expected)")
        return _MISSING
    problem = year_problem(value)
    if problem is not None:
        r.fail(node, where, f"'{text}': {problem}")
        return _MISSING
    return value


def _read_datetime(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    text = node.value.strip()
    try:
        if not re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}", text):
            raise ValueError
        value = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        r.fail(node, where, f"'{node.value}' is not a date-time ({_expected(f)} expected)")
        return _MISSING
    if value.tzinfo is None:
        r.fail(node, where, f"'{text}' has no time zone (add Z for UTC or an offset "
                            "such as -04:00)")
        return _MISSING
    problem = year_problem(value)
    if problem is not None:
        r.fail(node, where, f"'{text}': {problem}")
        return _MISSING
    return value


def _read_figure(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    """A draw field's value, kept as written: its field (another key) says how to read it
    (`source.corrections`)."""
    text = node.value.strip()
    if not text or _CONTROL_RE.search(text):
        r.fail(node, where, f"'{node.value}' is not a value ({_expected(f)} expected)")
        return _MISSING
    return text


def _read_url(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    text = node.value.strip()
    if re.match(r"^https?://[^/?#]*@", text):
        r.fail(node, where, f"'{text}' holds a user name or password, which would be "
                            f"published ({_expected(f)} without credentials expected)")
        return _MISSING
    if not URL_RE.match(text):
        r.fail(node, where, f"'{text}' is not a web address ({_expected(f)} expected)")
        return _MISSING
    return text


def _read_pattern(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    text = node.value
    pattern = SLUG_RE if f.kind == "slug" else KEY_RE
    if not pattern.fullmatch(text):  # fullmatch: '$' alone would allow a final newline
        shown = text.encode("unicode_escape").decode("ascii")
        r.fail(node, where, f"'{shown}' is not allowed{r.hint(where, text)} "
                            f"({_expected(f)} expected)")
        return _MISSING
    return text


def _read_enum(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    if node.value not in f.choices:
        r.fail(node, where, f"'{node.value}' is not allowed{did_you_mean(node.value, f.choices)}"
                            f" ({_expected(f)} expected)")
        return _MISSING
    return node.value


def _read_colour(r: Reader, node: yaml.ScalarNode, f: Field, where: str) -> Any:
    if not COLOUR_RE.fullmatch(node.value):
        r.fail(node, where, f"'{node.value}' is not a colour ({_expected(f)} expected)")
        return _MISSING
    return node.value.upper()


_SCALAR_READERS: dict[str, Callable[[Reader, yaml.ScalarNode, Field, str], Any]] = {
    "str": _read_text, "text": _read_text, "markdown": _read_text, "int": _read_int,
    "round": _read_round, "bool": _read_bool, "date": _read_date, "datetime": _read_datetime,
    "url": _read_url, "figure": _read_figure,
    "slug": _read_pattern, "key": _read_pattern, "enum": _read_enum, "colour": _read_colour,
}


_OPTION = yaml.Mark("option", 0, 0, 0, None, None)


def read_scalar(f: Field, text: str, shown: str = "option") -> tuple[Any, Problem | None]:
    """`text` (a command line's option, an answer) read as a value of field `f`, exactly
    as the same text in a file would be: the value, or the problem with it."""
    reader = Reader(shown)
    node = yaml.ScalarNode("tag:yaml.org,2002:str", text.strip(), _OPTION, _OPTION)
    value = reader.value(node, f, f.name)
    return (None, reader.problems[0]) if reader.problems else (value, None)
