"""The JSON Schema (draft-07) of the content's fields, for editors' tools.

Generated from the field table the loader reads with (`source.fields`), with
patterns as strict as the reader wherever JSON Schema can say so.
"""

from __future__ import annotations

from typing import Any

from ..core.models import LANGUAGES
from ..source.fields import COLOUR_RE, KEY_RE, SLUG_RE, URL_RE, Field

# -- JSON Schema ------------------------------------------------------------------------
# Draft-07: the version editors' YAML tools (yaml-language-server, used by the VS Code,
# Neovim and JetBrains YAML plugins) implement. Patterns are ECMA-262 and Python
# compatible, and as strict as the reader above wherever JSON Schema can say so.
JSON_SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
# the characters _CONTROL_RE refuses, spelt for JSON Schema
_CONTROL = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff"
_TEXT = rf"^[^{_CONTROL}]*[^{_CONTROL}\s][^{_CONTROL}]*$"  # no control characters, not blank
# years FIRST_YEAR to LAST_YEAR (generator.config), as the reader checks them
_YMD = r"(19[7-9][0-9]|2[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_DATE = rf"^{_YMD}$"
_DATETIME = (rf"^{_YMD}[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?"
             r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$")


def json_schema_for(fields: tuple[Field, ...], title: str) -> dict[str, Any]:
    """The JSON Schema (draft-07) of a mapping of `fields`."""
    schema = _object_schema(fields)
    return {"$schema": JSON_SCHEMA_DIALECT, "title": title, **schema}


def _object_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _field_schema(f) for f in fields},
    }


def _field_schema(f: Field) -> dict[str, Any]:
    base: dict[str, Any] = {"description": f.description}
    text = {"type": "string", "minLength": 1, "pattern": _TEXT}
    if f.kind in ("str", "text", "markdown"):
        base.update(text)
    elif f.kind == "int":
        base["type"] = "integer"
        if f.minimum is not None:
            base["minimum"] = f.minimum
        if f.maximum is not None:
            base["maximum"] = f.maximum
    elif f.kind == "round":  # 357 is a number in YAML; 91a is text
        number: dict[str, Any] = {"type": "integer"}
        if f.minimum is not None:
            number["minimum"] = f.minimum
        if f.maximum is not None:
            number["maximum"] = f.maximum
        base["anyOf"] = [number, {"type": "string", "pattern": r"^[0-9]*[1-9][0-9]*[a-z]$"}]
    elif f.kind == "bool":
        base["type"] = "boolean"
    elif f.kind == "date":
        base.update(type="string", format="date", pattern=_DATE)
    elif f.kind == "datetime":
        # No format "date-time": RFC 3339 wants seconds and a 'T'; the reader does not.
        base.update(type="string", pattern=_DATETIME)
    elif f.kind == "figure":  # a number, a date or a date-time, as its field is written
        base["anyOf"] = [{"type": "integer", "minimum": 0},
                         {"type": "string", "pattern": _DATE},
                         {"type": "string", "pattern": _DATETIME}]
    elif f.kind == "url":
        base.update(type="string", format="uri", pattern=URL_RE.pattern)
    elif f.kind in ("slug", "key"):
        base.update(type="string", pattern=(SLUG_RE if f.kind == "slug" else KEY_RE).pattern)
    elif f.kind == "enum":
        base["enum"] = list(f.choices)
    elif f.kind == "colour":
        base.update(type="string", pattern=COLOUR_RE.pattern)
    elif f.kind == "list":
        assert f.items is not None
        base.update(type="array", items=_field_schema(f.items))
    elif f.kind == "map" and f.open_keys:
        assert f.items is not None
        extra = False if f.choices else _field_schema(f.items)
        base.update(type="object", additionalProperties=extra)
        if f.choices:
            base["properties"] = {c: _field_schema(f.items) for c in f.choices}
    elif f.kind == "map":
        base.update(_object_schema(f.fields))
    elif f.kind == "langmap":
        base.update(_langmap_schema(f))
    if f.example is not None:
        base["examples"] = [f.example]
    return base


def _langmap_schema(f: Field) -> dict[str, Any]:
    """The value itself (English), or an object of it by language."""
    inner = f.items or Field(f.name, "text", f.description)
    one = _field_schema(inner)
    one.pop("description", None)
    by_language = {lang: one for lang in LANGUAGES}
    if inner.kind == "map":  # the value's own keys and the language keys side by side
        merged = dict(one)
        merged["properties"] = {**one.get("properties", {}), **by_language}
        merged["additionalProperties"] = False
        return merged
    return {"anyOf": [one, {"type": "object", "additionalProperties": False,
                            "properties": by_language}]}
