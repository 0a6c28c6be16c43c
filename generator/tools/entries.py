"""The text of a new draw entry, written one way by `new draw` and by the import.

Fields come in the order editors write them (`ENTRY_ORDER`), each value
written so that it reads back as itself. With `notes` (an entry made for an
editor), every line carries a comment saying what the field is, and the
optional fields left out are there, commented out, to fill in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from ..core.models import POOL_BANDS, Pool
from ..source.fields import DRAW_FIELDS

# The data fields of an entry, in the order they are written: `id` keeps the identity of
# an entry published without a round when an import gives it one (its feed items keep
# their GUIDs).
ENTRY_ORDER = ("round", "id", "date", "draw_time", "type", "category", "ircc_name",
               "invitations", "min_crs", "tie_break", "pool")
FIELDS = {f.name: f for f in DRAW_FIELDS}
NOTES = ("# One round of invitations. `drawdesk validate` checks this file; README.md,",
         "# \"Writing entries\", lists the optional fields (title, summary, sections, faq).")
_NOTE_COLUMN = 33
_NOTED = {"type": "category-based or program, as the category says",
          "draft": "built only with --drafts; remove to publish"}
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,().'&/-]*")


def quoted(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def scalar(name: str, value: Any) -> str:
    """A field's value as the entry writes it: dates as YYYY-MM-DD, times with their zone
    (UTC as Z), IRCC's round name quoted when a character would change its meaning."""
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if name == "ircc_name" and not _PLAIN_TEXT.fullmatch(value):
        return quoted(value)  # a colon, a hash or a quote would change it
    return str(value)


def pool_lines(pool: Pool, indent: str) -> list[str]:
    """The lines of `pool:`, its bands in IRCC's order."""
    lines = [f"{indent}pool:", f"{indent}  as_of: {pool.as_of.isoformat()}", f"{indent}  bands:"]
    lines += [f"{indent}    {band}: {pool.bands[band]}" for band in POOL_BANDS
              if band in pool.bands]
    return lines


def _noted(text: str, note: str) -> str:
    return f"{text.ljust(_NOTE_COLUMN - 1)} # {note}"


def entry_text(values: dict[str, Any], *, header: str | None = None, slug: str | None = None,
               draft: bool = False, notes: bool = False) -> str:
    """A new entry's text: `values` by field name (None: left out; with `notes`, written
    as a commented-out line to fill in), after `header` (the schema line)."""
    lines = [header] if header else []
    if notes:
        lines += NOTES
    for name in ENTRY_ORDER:
        value = values.get(name)
        if value is None:
            if notes and name in values:
                f = FIELDS[name]
                example = f", e.g. {f.example}" if f.example is not None else ""
                lines.append(_noted(f"# {name}:", f"optional: {f.description}{example}"))
        elif name == "pool":
            lines += pool_lines(value, "")
        else:
            line = f"{name}: {scalar(name, value)}"
            lines.append(_noted(line, _NOTED.get(name, FIELDS[name].description))
                         if notes else line)
    if slug:
        lines.append(f"slug: {slug}")
    if draft:
        lines.append(_noted("draft: true", _NOTED["draft"]) if notes else "draft: true")
    return "\n".join(lines) + "\n"
