"""The JSON Schema files editors' tools read, generated from the field table
(`source.fields`).

Entries point at them with a first line such as
`# yaml-language-server: $schema=../schema/draw.schema.json`, so they live in
the content folder itself (CONTENT/schema/) and travel with it. The draw
schema lists the content's category keys and which draw type each takes, so
an editor's tool flags an unknown category or a mismatched type as it is typed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.problems import Problem, display_path
from ..output.atomic import write_atomically
from ..source.sitefiles import read_regular

if TYPE_CHECKING:
    from ..core.models import Category

# Light on purpose: the command line names these before it loads anything.
SCHEMA_FOLDER = "schema"  # inside the content folder
KINDS = ("draw", "post", "site", "categories")
# The first line of an entry directly in CONTENT/draws/ (see `schema_line` for any file).
DRAW_SCHEMA_LINE = f"# yaml-language-server: $schema=../{SCHEMA_FOLDER}/draw.schema.json"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def draw_schema(categories: dict[str, Category] | None = None) -> dict[str, Any]:
    """The schema of one draw entry; with `categories`, only their keys are allowed."""
    from ..source.fields import DRAW_FIELDS
    from .jsonschema import json_schema_for
    schema = json_schema_for(DRAW_FIELDS, "drawdesk draw entry (content/draws/*.yaml)")
    if categories:
        schema["properties"]["category"]["enum"] = list(categories)
        by_type: dict[str, list[str]] = {}
        for key, category in categories.items():
            by_type.setdefault(category.draw_type, []).append(key)
        schema["allOf"] = [
            {"if": {"properties": {"category": {"enum": keys}}, "required": ["category"]},
             "then": {"properties": {"type": {"const": draw_type}}}}
            for draw_type, keys in sorted(by_type.items())]
    return schema


def post_schema(categories: dict[str, Category] | None = None) -> dict[str, Any]:
    """The schema of a post's front matter; with `categories`, only their keys are allowed
    in `categories`. The Markdown body after it is checked by `drawdesk validate` alone."""
    from ..source.fields import POST_FIELDS
    from .jsonschema import json_schema_for
    schema = json_schema_for(POST_FIELDS, "drawdesk post front matter "
                                          "(content/posts/<date>-<slug>.md)")
    if categories:
        schema["properties"]["categories"]["items"]["enum"] = list(categories)
    return schema


def schema_for(kind: str, categories: dict[str, Category] | None = None) -> dict[str, Any]:
    from ..source.fields import CATEGORIES_FILE_FIELDS, SITE_FIELDS
    from .jsonschema import json_schema_for
    if kind == "draw":
        return draw_schema(categories)
    if kind == "post":
        return post_schema(categories)
    if kind == "site":
        return json_schema_for(SITE_FIELDS, "drawdesk site settings (content/site.yaml)")
    if kind == "categories":
        return json_schema_for(CATEGORIES_FILE_FIELDS,
                               "drawdesk categories (content/categories.yaml)")
    raise ValueError(f"unknown schema kind {kind!r}")


def schema_text(kind: str, categories: dict[str, Category] | None = None) -> str:
    """The schema as written to disk: stable, readable JSON ending in a newline."""
    import json
    return json.dumps(schema_for(kind, categories), indent=2, ensure_ascii=False) + "\n"


def stale_files(folder: Path, categories: dict[str, Category] | None = None) -> list[Path]:
    """The schema files in `folder` that are missing or differ from the code's."""
    stale = []
    for kind in KINDS:
        path = folder / file_name(kind)
        try:  # a regular file only: a named pipe is never waited on (it is stale)
            current = read_regular(path).decode("utf-8", "replace")
        except OSError:
            current = None
        if current != schema_text(kind, categories):
            stale.append(path)
    return stale


def write_files(folder: Path, categories: dict[str, Category] | None = None) -> list[Path]:
    """Write every schema file into `folder`; return those that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = stale_files(folder, categories)
    for path in changed:
        kind = path.name.removesuffix(".schema.json")
        write_atomically(path, schema_text(kind, categories).encode("utf-8"))
    return changed


def schema_line(entry: Path, content: Path, kind: str = "draw") -> str:
    """The comment line that points an editor's tool at the schema, from `entry`."""
    target = content / SCHEMA_FOLDER / file_name(kind)
    relative = Path(os.path.relpath(target.resolve(), entry.resolve().parent)).as_posix()
    return f"# yaml-language-server: $schema={relative}"


def schema_warnings(content: Path, categories: dict[str, Category]) -> list[Problem]:
    """A warning per schema file in CONTENT/schema/ that the code would write differently."""
    folder = content / SCHEMA_FOLDER
    if not folder.is_dir():
        return []
    return [Problem(display_path(path, content), 1, 1, "file",
                    "out of date, so editors' tools check entries against old rules "
                    f"(run: drawdesk schema --content {content} --write {folder})",
                    severity="warning")
            for path in stale_files(folder, categories or None)]
