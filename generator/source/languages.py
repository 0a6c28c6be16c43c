"""Which published languages a text lacks: per-language values (`{en: ..., fr: ...}`) checked
against the site's editions, each gap a problem at its position."""

from __future__ import annotations

import yaml

from ..core.models import LANGUAGES, PLAIN_LANGUAGE
from ..core.problems import Problem
from .fields import Field


def _langmap_nodes(node: yaml.Node, f: Field) -> dict[str, yaml.Node]:
    """The nodes of a per-language value by language, as `Reader` reads them."""
    if not isinstance(node, yaml.MappingNode):
        return {PLAIN_LANGUAGE: node}
    nodes = {str(k.value): v for k, v in node.value if str(k.value) in LANGUAGES}
    if f.items is not None and f.items.kind == "map" and any(
            str(k.value) not in LANGUAGES for k, _ in node.value):
        nodes.setdefault(PLAIN_LANGUAGE, node)  # its own keys are the English ones
    return nodes


def _gap(shown: str, node: yaml.Node, where: str, missing: list[str], severity: str) -> Problem:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if severity == "error":
        return Problem(shown, line, col, where, f"no text for language {', '.join(missing)} "
                       "(one text per published language expected, as {en: ..., fr: ...})")
    return Problem(shown, line, col, where, f"no text for language {', '.join(missing)}: that "
                   "edition uses its generated text (one per published language expected)",
                   severity="warning")


def _langmap_gaps(node: yaml.Node, f: Field, languages: tuple[str, ...], shown: str,
                  severity: str, where: str) -> list[Problem]:
    nodes = _langmap_nodes(node, f)
    if f.items is None or f.items.kind != "map":
        missing = [lang for lang in languages if lang not in nodes]
        return [_gap(shown, node, where, missing, severity)] if missing and nodes else []
    keys: dict[str, dict[str, yaml.Node]] = {  # sections: compared key by key
        lang: {str(k.value): k for k, _ in n.value if str(k.value) not in LANGUAGES}
        for lang, n in nodes.items() if isinstance(n, yaml.MappingNode)}
    problems = []
    for key in dict.fromkeys(k for by_key in keys.values() for k in by_key):
        missing = [lang for lang in languages if key not in keys.get(lang, {})]
        if missing:
            first = next(by_key[key] for by_key in keys.values() if key in by_key)
            problems.append(_gap(shown, first, f"{where}.{key}", missing, severity))
    return problems


def language_gaps(node: yaml.Node, fields: tuple[Field, ...], languages: tuple[str, ...],
                  shown: str, severity: str = "error", where: str = "") -> list[Problem]:
    """A problem for every per-language value that lacks a published language."""
    if not isinstance(node, yaml.MappingNode):
        return []
    known = {f.name: f for f in fields}
    problems: list[Problem] = []
    for key_node, value in node.value:
        f = known.get(getattr(key_node, "value", None))
        path = f"{where}.{key_node.value}" if where else str(key_node.value)
        if f is None:
            continue
        if f.kind == "langmap":
            problems += _langmap_gaps(value, f, languages, shown, severity, path)
        elif f.kind == "map" and f.fields:
            problems += language_gaps(value, f.fields, languages, shown, severity, path)
        elif (f.kind == "list" and f.items is not None and f.items.kind == "map"
              and isinstance(value, yaml.SequenceNode)):
            for i, item in enumerate(value.value, start=1):
                problems += language_gaps(item, f.items.fields, languages, shown, severity,
                                          f"{path}[{i}]")
    return problems
