"""What the last build published, compared with the entries: a figure changed without a
correction saying so is a warning for `drawdesk validate`.

The last published values are read from the output folder's open data
(`data/draws.json`), never from the build cache, so a site built clean and a
site built from its cache warn alike; a site with no earlier build (or an
output folder without the file) has nothing to compare.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..core.models import CORRECTABLE, Content, Draw
from ..core.problems import Problem
from ..source.corrections import same_value
from ..source.suspicious import Positions

DRAWS_JSON = Path("data") / "draws.json"


def _read(name: str, value: Any) -> Any:
    """A published value of open data as the entry's field holds it (None: not given)."""
    if value is None:
        return None
    if name in ("invitations", "min_crs"):
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if not isinstance(value, str):
        return None
    try:
        if name == "date":
            return dt.date.fromisoformat(value)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def last_published(output: Path) -> tuple[dict[str, dict[str, Any]], str | None]:
    """The draws the last build published, by identifier, with the problem reading them (an
    unreadable file is reported; a missing one means no earlier build)."""
    path = output / DRAWS_JSON
    try:
        data = json.loads(path.read_bytes())
        rows = data["draws"]
        return {row["id"]: row for row in rows if isinstance(row.get("id"), str)}, None
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return {}, f"{path}: cannot read the last build's open data ({exc}); figures " \
                   "were not compared with what it published"


def _corrected(draw: Draw, name: str, old: Any, new: Any) -> bool:
    """True when a correction of the entry says the figure went from `old` to `new`."""
    return any(c.figure == name and same_value(c.old, old) and same_value(c.new, new)
               for c in draw.corrections)


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def uncorrected_changes(content: Content, positions: Positions, output: Path,
                        today: dt.date) -> list[Problem]:
    """A warning for every figure of a published entry (not a draft, not dated after
    `today`) that differs from what the last build in `output` published, without a
    correction from the published value to the entry's."""
    rows, problem = last_published(output)
    if problem is not None:
        return [Problem(str(output / DRAWS_JSON), 0, 0, "", problem, severity="warning")]
    warnings = []
    for draw in content.draws:
        row = rows.get(draw.identity)
        if row is None or draw.draft or draw.date > today:
            continue
        marks = positions.get(draw.source, {})
        for name in CORRECTABLE:
            old, new = _read(name, row.get(name)), getattr(draw, name)
            if old is None or same_value(old, new) or _corrected(draw, name, old, new):
                continue
            line, column = marks.get(name, marks.get("", (1, 1)))
            warnings.append(Problem(
                draw.source, line, column, name,
                f"{_shown(new)}, but the last build published {_shown(old)} "
                f"({output / DRAWS_JSON}): readers and feeds see no trace of the change (a "
                f"correction expected: corrections: - at, by: editor, field: {name}, from: "
                f"{_shown(old)}, to: {_shown(new)})", severity="warning"))
    return warnings
