"""The corrections an import records: IRCC changed a figure an article has published.

A figure of a published entry (neither a draft nor dated after the import's
"now") that IRCC's file changes from one value to another is a correction,
appended to the entry's `corrections:` as its own lines, so that the entry's
diff is the changed value and the appended correction. Filling a field that
was empty is not one (nothing was published), nor is IRCC's round name or a
pool distribution (`CORRECTABLE` lists the figures that count).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...core.models import CORRECTABLE, Draw
from ...source.yamledit import TextEdits, append_items
from ..entries import scalar


def import_moment(now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """When an import records its corrections: the build's "now" (naive: the site's own
    time), in UTC to the second."""
    aware = now.replace(tzinfo=tz) if now.tzinfo is None else now
    return aware.astimezone(dt.UTC).replace(microsecond=0)


def published(draw: Draw, today: dt.date) -> bool:
    """True when the entry's article is out: not a draft, and not dated after today."""
    return not draw.draft and draw.date <= today


def recorded(draw: Draw, changed: dict[str, Any], at: dt.datetime,
             today: dt.date) -> list[dict[str, Any]]:
    """The corrections `changed` makes to `draw`, as the entry reads them back (`from` and
    `to` as written), in the order of `CORRECTABLE`."""
    if not published(draw, today):
        return []
    found = []
    for name in CORRECTABLE:
        old = getattr(draw, name)
        if name in changed and old is not None and changed[name] is not None:
            found.append({"at": at, "by": "ircc", "field": name, "from": scalar(name, old),
                          "to": scalar(name, changed[name])})
    return found


def _lines(item: dict[str, Any]) -> list[str]:
    """One correction's lines in a block list."""
    first, *rest = [f"{key}: {scalar(key, item[key])}"
                    for key in ("at", "by", "field", "from", "to")]
    return [f"- {first}", *(f"  {line}" for line in rest)]


def append(doc: TextEdits, root: Any, items: list[dict[str, Any]],
           order: int) -> None:
    """Append `items` to the entry's `corrections:` (a block list), or add the list at the
    end of the entry."""
    append_items(doc, root, "corrections", [_lines(item) for item in items], order)


def described(items: list[dict[str, Any]]) -> list[str]:
    """The corrections in an import's report."""
    if not items:
        return []
    names = ", ".join(item["field"] for item in items)
    return [f"correction recorded ({names}; by ircc at {scalar('at', items[0]['at'])})"]
