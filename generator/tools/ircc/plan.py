"""What an import changes: for every round, its entry added, updated value by value, or
left as it is, planned in full before anything is written.

An entry's *data fields* (`DATA_FIELDS`) come from IRCC; everything else in it
belongs to its editor and is kept byte for byte (`source.yamledit`). A value
IRCC's file does not give never erases the one an editor wrote. Every text
about to be written is parsed back and compared with what was meant.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.models import POOL_BANDS, Draw, Pool, empty_pool
from ...core.problems import Problem, display_path
from ...source.fields import DRAW_FIELDS, SLUG_RE
from ...source.reader import Reader
from ...source.yamledit import (
    TextEdits,
    Unsafe,
    insert_key,
    is_block_mapping,
    pairs,
    read_mapping,
    set_scalar,
)
from ..entries import ENTRY_ORDER, entry_text, pool_lines, scalar
from ..schemafiles import DRAW_SCHEMA_LINE
from . import corrections
from .categories import BOM, rounds_text
from .rounds import Round

DATA_FIELDS = ("round", "date", "draw_time", "type", "category", "ircc_name", "invitations",
               "min_crs", "tie_break", "pool")
REMOVED = object()  # a change that removes the field (a pool of zeros written before)
SCHEMA_LINE = DRAW_SCHEMA_LINE  # entries point at CONTENT/schema/draw.schema.json


@dataclass(frozen=True)
class Outcome:
    """What the import did (or would do) with one round."""

    kind: str  # "added", "updated" or "unchanged"
    path: str  # the entry's file, as shown to the editor
    round: str  # the round, as shown in messages
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        line = f"{self.kind:<9} {self.path} (round {self.round})"
        return line + (": " + "; ".join(self.details) if self.details else "")


@dataclass(frozen=True)
class Write:
    """A file to write whole."""

    path: Path
    data: bytes


@dataclass
class Planned:
    """Every round's outcome, the files that make them so, and what is wrong."""

    outcomes: list[Outcome] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


DRAFT_LINE = "draft: true  # a new round: check it, then delete this line to publish it"


def render_entry(values: dict[str, Any], slug: str | None = None, draft: bool = False) -> str:
    """A new entry's text, as the import writes it; with `draft`, marked draft: true for an
    editor to review (the line says how to publish it)."""
    text = entry_text(values, header=SCHEMA_LINE, slug=slug)
    return text + DRAFT_LINE + "\n" if draft else text


def _shown(name: str, value: Any) -> str:
    """A value in a message (times in UTC, as the import writes them)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return scalar(name, value)


# -- one entry -------------------------------------------------------------------------
def desired(round_: Round, key: str, draw_type: str) -> dict[str, Any]:
    """The data fields of the entry of `round_`, as IRCC gives them (None: not given)."""
    return {"round": round_.number, "date": round_.date, "draw_time": round_.draw_time,
            "type": draw_type, "category": key, "ircc_name": round_.name or None,
            "invitations": round_.invitations, "min_crs": round_.min_crs,
            "tie_break": round_.tie_break, "pool": round_.pool}


def _pool_differs(old: Pool | None, new: Pool) -> bool:
    return old is None or old.as_of != new.as_of or any(
        old.bands.get(band) != count for band, count in new.bands.items())


def changes(draw: Draw, wanted: dict[str, Any]) -> dict[str, Any]:
    """The data fields whose value IRCC gives and the entry does not have.

    A pool of zeros (IRCC's way of saying it published no distribution) written by an
    earlier import is removed; a real one is never erased by IRCC giving none.
    """
    changed: dict[str, Any] = {}
    for name in DATA_FIELDS:
        value = wanted[name]
        if name == "pool" and value is None and draw.pool is not None and \
                empty_pool(draw.pool) and not any(draw.pool.bands.values()):
            changed[name] = REMOVED
            continue
        if value is None:
            continue  # IRCC gives nothing: keep what the editor wrote
        if name == "pool":
            if _pool_differs(draw.pool, value):
                changed[name] = value
        elif getattr(draw, name) != value:
            changed[name] = value
    if "round" in changed and draw.round is None and draw.fixed_id is None:
        changed["id"] = draw.identity  # the identity its feed items were published with
    return {name: changed[name] for name in ENTRY_ORDER if name in changed}


def describe(draw: Draw, changed: dict[str, Any]) -> tuple[str, ...]:
    """Each change in words: 'min_crs 475 -> 480'."""
    details = []
    for name, value in changed.items():
        old = getattr(draw, "fixed_id" if name == "id" else name)
        if value is REMOVED:
            details.append(f"{name} removed (all zeros: IRCC published no distribution)")
        elif name == "id":
            details.append(f"id {value} kept (the identifier it was published with)")
        elif name == "pool":
            if old is None:
                details.append(f"pool added (as of {value.as_of})")
            else:
                count = sum(1 for b, n in value.bands.items() if old.bands.get(b) != n)
                what = f"as of {old.as_of} -> {value.as_of}" if old.as_of != value.as_of \
                    else f"as of {value.as_of}"
                details.append(f"pool {what}, {count} band(s) changed")
        elif old is None:
            details.append(f"{name} added ({_shown(name, value)})")
        else:
            details.append(f"{name} {_shown(name, old)} -> {_shown(name, value)}")
    return tuple(details)


def _edit_pool(doc: TextEdits, key: Any, value: Any, old: Pool | None, new: Pool,
               seq: int) -> None:
    found = pairs(value) if is_block_mapping(doc, value) else {}
    bands_node = found.get("bands", (None, None))[1]
    if old is not None and "as_of" in found and bands_node is not None and \
            is_block_mapping(doc, bands_node):
        if old.as_of != new.as_of:
            as_of_key, as_of_value = found["as_of"]  # the date, and below, the counts
            set_scalar(doc, as_of_key, as_of_value, new.as_of.isoformat(), seq)
        band_pairs = pairs(bands_node)
        if old.as_of != new.as_of:  # counts from another day must not stay beside these
            for band in band_pairs:
                if band not in new.bands:
                    doc.remove_entry(*band_pairs[band])
        for n, band in enumerate(POOL_BANDS):
            if band not in new.bands or old.bands.get(band) == new.bands[band]:
                continue
            if band in band_pairs:
                set_scalar(doc, *band_pairs[band], str(new.bands[band]), seq)
            else:
                insert_key(doc, bands_node, POOL_BANDS, band, [f"{band}: {new.bands[band]}"],
                           seq * 100 + n)
        return
    # No pool yet, or one written in flow style: write the whole (merged) pool as a block.
    merged = Pool(new.as_of, {**(old.bands if old else {}), **new.bands}) \
        if old is None or old.as_of == new.as_of else new
    doc.replace_value(key, value, pool_lines(merged, doc.indent(key))[1:], seq)


def _read_entry(path: Path, shown: str) -> tuple[str, bool, Any, dict[str, Any]]:
    data = path.read_bytes()
    bom = data.startswith(BOM)
    text = data[len(BOM):].decode("utf-8") if bom else data.decode("utf-8")
    root = read_mapping(text, shown, path, "it no longer reads as an entry")
    reader = Reader(shown)
    values = reader.mapping(root, DRAW_FIELDS)
    if reader.problems:
        raise Unsafe(str(reader.problems[0]))
    return text, bom, root, values


def update_text(path: Path, shown: str, draw: Draw, changed: dict[str, Any],
                recorded: list[dict[str, Any]] | None = None) -> tuple[bytes, dict[str, Any]]:
    """The entry's new bytes, with only the changed data values edited, and the corrections
    `recorded` appended to its `corrections:`."""
    text, bom, root, before = _read_entry(path, shown)
    doc = TextEdits(text)
    found = pairs(root)
    for seq, name in enumerate(ENTRY_ORDER):
        if name not in changed:
            continue
        value = changed[name]
        if value is REMOVED:
            doc.remove_entry(*found[name])
        elif name == "pool":
            if "pool" in found:
                _edit_pool(doc, *found["pool"], draw.pool, value, seq)
            else:
                insert_key(doc, root, ENTRY_ORDER, "pool", pool_lines(value, ""), seq)
        elif name in found:
            set_scalar(doc, *found[name], scalar(name, value), seq)
        else:
            insert_key(doc, root, ENTRY_ORDER, name, [f"{name}: {scalar(name, value)}"], seq)
    expected = dict(changed)
    if recorded:
        corrections.append(doc, root, recorded, len(ENTRY_ORDER))
        expected["corrections"] = [*before.get("corrections", []), *recorded]
    new_text = doc.result()
    after = check_entry_text(new_text, shown, expected)
    for name, value in before.items():  # the editor's fields and the untouched data
        if name not in expected and after.get(name) != value:
            raise Unsafe(f"editing would change '{name}'")
    return (BOM if bom else b"") + new_text.encode("utf-8"), after


def check_entry_text(text: str, shown: str, expected: dict[str, Any]) -> dict[str, Any]:
    """Parse text about to be written; it must read back to the expected values."""
    reader = Reader(shown)
    values = reader.mapping(read_mapping(text, shown), DRAW_FIELDS)
    if reader.problems:
        raise Unsafe(str(reader.problems[0]))
    for name, value in expected.items():
        got = values.get(name)
        if value is REMOVED:
            ok = got is None
        elif name == "pool":
            ok = got is not None and not _pool_differs(Pool(got["as_of"], got["bands"]), value)
        else:
            ok = got == value
        if not ok:
            raise Unsafe(f"'{name}' would read back as {got!r}")
    return values


# -- every entry -----------------------------------------------------------------------
def plan_entries(content: Path, draws: tuple[Draw, ...], rounds: list[Round],
                 keys: dict[int, str], types: dict[str, str], at: dt.datetime,
                 today: dt.date, drafts: bool = False) -> Planned:
    """The outcome of every round (by its place in `rounds`): its entry matched, then
    updated or left alone, or a new entry added (with `drafts`, as a draft). An existing
    entry's `draft:` is its editor's: never written nor removed. A change to a figure of a
    published entry (on `today`) is recorded as a correction made `at` that moment."""
    planned = Planned()
    matched = _match_entries(draws, rounds, keys, planned)
    outcomes: dict[int, Outcome] = {}
    final_slugs = _updates(content, draws, rounds, keys, types, matched, outcomes, planned,
                           (at, today))
    _additions(content, rounds, keys, types, matched, final_slugs, outcomes, planned, drafts)
    planned.outcomes = [outcomes[p] for p in sorted(outcomes)]
    return planned


def _match_entries(draws: tuple[Draw, ...], rounds: list[Round], keys: dict[int, str],
                   planned: Planned) -> dict[int, Draw]:
    """The existing entry of each round that has one: by round number, else the entry of
    the same day and category when it can only be that round."""
    by_number = {d.round: d for d in draws if d.round is not None}
    by_day: dict[tuple[dt.date, str], list[Draw]] = defaultdict(list)
    for draw in draws:
        by_day[(draw.date, draw.category)].append(draw)
    matched: dict[int, Draw] = {}
    for position, round_ in enumerate(rounds):
        if round_.number is not None and round_.number in by_number:
            matched[position] = by_number[round_.number]
    claimed = {d.source for d in matched.values()}
    candidates: dict[int, list[Draw]] = {}
    for position, round_ in enumerate(rounds):
        if position in matched:
            continue
        found = [d for d in by_day[(round_.date, keys[position])] if d.source not in claimed
                 and (round_.number is None or d.round is None)]
        if found:
            candidates[position] = found
    wanted: dict[str, list[int]] = defaultdict(list)
    for position, found in candidates.items():
        for draw in found:
            wanted[draw.source].append(position)
    for position, found in candidates.items():
        round_ = rounds[position]
        if len(found) == 1 and len(wanted[found[0].source]) == 1:
            matched[position] = found[0]
            continue
        rivals = sorted({rounds[p].label for d in found for p in wanted[d.source]})
        planned.errors.append(Problem(
            ", ".join(d.source for d in found), 0, 0, "",
            f"cannot tell which round {'this entry is' if len(found) == 1 else 'these entries are'}"
            f" ({rounds_text(rivals)} share date {round_.date} and category "
            f"'{keys[position]}'); add the right 'round:' to each entry"))
    return matched


def _updates(content: Path, draws: tuple[Draw, ...], rounds: list[Round],
             keys: dict[int, str], types: dict[str, str], matched: dict[int, Draw],
             outcomes: dict[int, Outcome], planned: Planned,
             when: tuple[dt.datetime, dt.date]) -> dict[str, str]:
    """Plan the changes to matched entries; the address of every entry once they are made
    (slug -> the file that has it)."""
    files = _entry_files(content)
    updated: dict[str, dict[str, Any]] = {}
    for position, draw in sorted(matched.items()):
        round_ = rounds[position]
        key = keys[position]
        changed = changes(draw, desired(round_, key, types[key]))
        if round_.pool_withheld and draw.pool is not None and not empty_pool(draw.pool):
            planned.notes.append(Problem(
                draw.source, 0, 0, "pool",
                f"round {round_.label} has no distribution in the file (zeros), but the entry "
                f"has the one taken on {draw.pool.as_of}: kept (IRCC has withdrawn "
                "distributions it once published)", "note"))
        if not changed:
            outcomes[position] = Outcome("unchanged", draw.source, round_.label)
            continue
        path = files[draw.source]
        recorded = corrections.recorded(draw, changed, *when)
        try:
            data, values = update_text(path, draw.source, draw, changed, recorded)
        except (Unsafe, OSError, UnicodeDecodeError) as exc:
            planned.errors.append(Problem(
                draw.source, 0, 0, "",
                f"cannot update round {round_.label} safely ({exc}); make these changes by "
                f"hand: {'; '.join(describe(draw, changed))}"))
            continue
        updated[draw.source] = values
        planned.writes.append(Write(path, data))
        outcomes[position] = Outcome("updated", draw.source, round_.label,
                                     (*describe(draw, changed),
                                      *corrections.described(recorded)))
    final_slugs: dict[str, str] = {}
    for draw in draws:
        values = updated.get(draw.source)
        slug = draw.slug if values is None else (
            values.get("slug") or f"{values['date'].isoformat()}-{values['category']}")
        if slug in final_slugs:
            planned.errors.append(Problem(
                draw.source, 0, 0, "", f"after the update its address '{slug}' is also "
                f"{final_slugs[slug]}'s; set a unique 'slug:' in one of them"))
        final_slugs[slug] = draw.source
    return final_slugs


def _additions(content: Path, rounds: list[Round], keys: dict[int, str],
               types: dict[str, str], matched: dict[int, Draw], final_slugs: dict[str, str],
               outcomes: dict[int, Outcome], planned: Planned, drafts: bool = False) -> None:
    """Plan a new entry for every round without one, each at an address of its own (with
    `drafts`, marked draft: true)."""
    folder = content / "draws"
    taken_files = {p.name.casefold() for p in folder.iterdir()} if folder.is_dir() else set()
    per_day: dict[tuple[dt.date, str], int] = defaultdict(int)
    for position, round_ in enumerate(rounds):
        per_day[(round_.date, keys[position])] += 1
    for position, round_ in enumerate(rounds):
        if position in matched:
            continue
        key = keys[position]
        base = f"{round_.date.isoformat()}-{key}"
        slug = None
        if per_day[(round_.date, key)] > 1 or base in final_slugs or \
                f"{base}.yaml" in taken_files:
            suffix = str(round_.number) if round_.number is not None else \
                re.sub(r"[^a-z0-9]+", "-", round_.identifier.casefold()).strip("-")
            slug = f"{base}-{suffix}"
            if not suffix or not SLUG_RE.match(slug) or slug in final_slugs or \
                    f"{slug}.yaml" in taken_files:
                planned.errors.append(Problem(
                    "", 0, 0, "", f"cannot choose a file name for it ({base} is also another "
                    "round's or entry's, and this round has no usable number); write its "
                    "entry by hand", item=f"round {round_.label}"))
                continue
        name = f"{slug or base}.yaml"
        final_slugs[slug or base] = name
        taken_files.add(name.casefold())
        path = folder / name
        shown = display_path(path, content)
        values = desired(round_, key, types[key])
        text = render_entry(values, slug, drafts)
        expected = {k: v for k, v in values.items() if v is not None}
        try:
            check_entry_text(text, shown, {**expected, "draft": True} if drafts else expected)
        except Unsafe as exc:  # pragma: no cover - the renderer writes plain values
            planned.errors.append(Problem(shown, 0, 0, "",
                                          f"cannot write round {round_.label} ({exc})"))
            continue
        planned.writes.append(Write(path, text.encode("utf-8")))
        outcomes[position] = Outcome("added", shown, round_.label,
                                     ("draft, for an editor to review",) if drafts else ())


def _entry_files(content: Path) -> dict[str, Path]:
    """Every file under draws/, by the name the loader shows it under (a draw's `source`)."""
    files = {}
    for dirpath, _dirnames, filenames in os.walk(content / "draws"):
        for name in filenames:
            path = Path(dirpath) / name
            files[display_path(path, content)] = path
    return files
