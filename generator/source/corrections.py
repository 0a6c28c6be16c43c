"""An entry's `corrections:` read to typed values and checked against the entry, each
problem at its position.

`from` and `to` are read as the field they name is read (`min_crs: 475`,
`tie_break: 2023-07-04T19:36:18Z`), and a correction must tell the truth about
the entry: the latest correction of a figure corrected it to the value the
entry has now, a correction says what changed (a figure, or a note in every
published language), and nothing is corrected before the draw took place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from ..core.models import CORRECTABLE
from ..core.problems import Problem
from .fields import DRAW_FIELDS
from .reader import MISSING, Reader

_FIELDS = {f.name: f for f in DRAW_FIELDS}


def _items(root: yaml.Node) -> list[yaml.MappingNode]:
    """The mapping nodes of `corrections:`, in order."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "corrections" and isinstance(value, yaml.SequenceNode):
            return [item for item in value.value if isinstance(item, yaml.MappingNode)]
    return []


def _node(item: yaml.MappingNode, name: str) -> yaml.Node | None:
    return next((v for k, v in item.value if getattr(k, "value", None) == name), None)


def same_value(a: Any, b: Any) -> bool:
    """Equal figures: date-times as instants, whatever zone they are written in."""
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a == b
    return type(a) is type(b) and a == b


def read_corrections(data: dict[str, Any], root: yaml.Node, shown: str,
                     languages: tuple[str, ...]) -> list[Problem]:
    """Read `from` and `to` of every correction in `data` as their field's values (in
    place), and check each correction against the entry; the problems found."""
    corrections = data.get("corrections")
    if not corrections:
        return []
    reader = Reader(shown)
    nodes = _items(root)
    latest: dict[str, tuple[dt.datetime, int]] = {}  # figure -> its latest correction
    for index, (item, node) in enumerate(zip(corrections, nodes, strict=True)):
        where = f"corrections[{index + 1}]"
        name = item.get("field")
        for end in ("from", "to"):
            value_node = _node(node, end)
            if end not in item or value_node is None:
                if name is not None:
                    reader.fail(node, f"{where}.{end}", f"missing: the {name} value "
                                f"{'before' if end == 'from' else 'after'} the correction "
                                f"({_FIELDS[name].description} expected)")
                continue
            if name is None:
                reader.fail(value_node, f"{where}.{end}", "a value without 'field:' (the "
                            f"field corrected expected, one of: {', '.join(CORRECTABLE)})")
                continue
            value = reader.value(value_node, _FIELDS[name], f"{where}.{end}")
            if value is MISSING:
                item.pop(end, None)
            else:
                item[end] = value
        if name is None:
            note = item.get("note", {})
            lacking = [lang for lang in languages if lang not in note]
            if lacking:
                reader.fail(_node(node, "note") or node, f"{where}.note",
                            f"no note in {', '.join(lacking)}: a correction without 'field:' "
                            "is told by its note (a note in every published language "
                            "expected)")
        elif "from" in item and "to" in item and same_value(item["from"], item["to"]):
            reader.fail(_node(node, "to") or node, f"{where}.to", "the same value as 'from' "
                        "(the corrected value expected)")
        if item["at"].date() < data["date"]:
            reader.fail(_node(node, "at") or node, f"{where}.at", f"{item['at'].isoformat()} "
                        f"is before the draw ({data['date']}) (the time of the correction, "
                        "after publication, expected)")
        if name is not None and (name not in latest or item["at"] >= latest[name][0]):
            latest[name] = (item["at"], index)
    for name, (_at, index) in latest.items():
        item, node = corrections[index], nodes[index]
        now = data.get(name)
        if "to" in item and not same_value(item["to"], now):
            shown_now = "empty" if now is None else _text(now)
            reader.fail(_node(node, "to") or node, f"corrections[{index + 1}].to",
                        f"{_text(item['to'])}, but the entry's {name} is {shown_now} (the "
                        f"latest correction of {name} names the entry's value; add a "
                        "correction for a later change)")
    return reader.problems


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)

