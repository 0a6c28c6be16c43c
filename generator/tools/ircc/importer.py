"""Turn IRCC's rounds into draw entries: add new ones, update the data of existing ones.

An entry's *data fields* (`DATA_FIELDS`) come from IRCC; everything else in
the file (title, slug, summary, sections, FAQ, disclaimer, draft, comments,
blank lines, the order of keys) belongs to its editor and is kept byte for
byte: existing files are edited in place, value by value, never re-dumped.
A value IRCC's file does not give (an unreadable tie-break, a missing pool)
never erases the one an editor wrote.

Nothing is written until every round has been checked; every text about to
be written is parsed back and compared with what was meant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...core.models import POOL_BANDS, Category, Draw, Pool, empty_pool
from ...core.problems import display_path
from ...source.fields import CATEGORIES_FILE_FIELDS, DRAW_FIELDS, KEY_RE, SLUG_RE
from ...source.loader import load_content
from ...source.reader import Reader
from ...source.yamlfile import compose_text
from ..schemafiles import DRAW_SCHEMA_LINE
from .rounds import Parsed, Round

DATA_FIELDS = ("round", "date", "draw_time", "type", "category", "ircc_name", "invitations",
               "min_crs", "tie_break", "pool")
# Where each field the importer writes goes in an entry: `id` keeps the identity of an entry
# published without a round when the import gives it one (its feed items keep their GUIDs).
ENTRY_ORDER = ("round", "id", *DATA_FIELDS[1:])
REMOVED = object()  # a change that removes the field (a pool of zeros written before)
SCHEMA_LINE = DRAW_SCHEMA_LINE  # entries point at CONTENT/schema/draw.schema.json
CATEGORY_URL = ("https://www.canada.ca/en/immigration-refugees-citizenship/services/"
                "immigrate-canada/express-entry/submit-profile/rounds-invitations/"
                "category-based-selection.html")
MAX_LISTED_ROUNDS = 20
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Options:
    dry_run: bool = False
    skip_invalid: bool = False
    create_categories: bool = False


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
class NewCategory:
    """A category generated for program names that no category lists."""

    key: str
    names: tuple[str, ...]
    rounds: tuple[str, ...]
    similar: str | None = None  # an existing category whose key it would have had


@dataclass
class Result:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # labels of invalid rounds left out
    new_categories: list[NewCategory] = field(default_factory=list)
    categories_path: str = ""
    written: bool = False

    def count(self, kind: str) -> int:
        return sum(1 for o in self.outcomes if o.kind == kind)

    def summary(self, dry_run: bool) -> str:
        counts = (f"{self.count('added')} added, {self.count('updated')} updated, "
                  f"{self.count('unchanged')} unchanged")
        if self.skipped:
            counts += f", {len(self.skipped)} skipped (invalid)"
        if self.new_categories:
            counts += f", {len(self.new_categories)} new categor" + \
                ("y" if len(self.new_categories) == 1 else "ies")
        return f"Dry run, nothing written: {counts}." if dry_run else f"Imported: {counts}."


class _Unsafe(Exception):
    """An existing file cannot be edited with certainty."""


@dataclass(frozen=True)
class _Write:
    path: Path
    data: bytes


# -- names -----------------------------------------------------------------------------
def normalize_name(name: str) -> str:
    """How program names are compared: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


def alias_index(categories: dict[str, Category]) -> dict[str, str]:
    """Every alias of every category (normalized) -> the category's key."""
    return {normalize_name(alias): category.key
            for category in categories.values() for alias in category.aliases}


def base_name(name: str) -> str:
    """A program name without version marks: "(Version 2)", ", 2026-Version 1", "(2023-1)"."""
    text = re.sub(r"\(\s*(?:version\s*\d+|\d{4}\s*-\s*\d+)\s*\)", " ", name, flags=re.I)
    text = re.sub(r",?\s*\d{4}\s*-?\s*version\s*\d+", " ", text, flags=re.I)
    return " ".join(text.split()).strip(" ,-") or " ".join(name.split())


def generated_key(name: str) -> str:
    """A category key for a program name: "Trades Occupations, 2026-Version 3" -> "trades"."""
    ascii_text = unicodedata.normalize("NFKD", base_name(name)).encode("ascii", "ignore")
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text.decode().casefold()).strip("-")
    key = re.sub(r"-occupations?$", "", key) or "category"
    while len(key) > 40:
        key = key.rsplit("-", 1)[0] if "-" in key[:41] else key[:40]
    return key.strip("-") or "category"


def _similar_category(name: str, categories: dict[str, Category]) -> str | None:
    """The category whose key or aliases look like `name` (versions and "occupations"
    aside), to hint at where a new name may belong; never used to decide."""
    known: dict[str, str] = {}
    for category in categories.values():
        known.setdefault(category.key, category.key)
        for alias in category.aliases:
            known.setdefault(generated_key(alias), category.key)
    match = difflib.get_close_matches(generated_key(name), list(known), n=1, cutoff=0.8)
    return known[match[0]] if match else None


def _rounds_text(labels: list[str]) -> str:
    shown = ", ".join(labels[:MAX_LISTED_ROUNDS])
    if len(labels) > MAX_LISTED_ROUNDS:
        shown += f" and {len(labels) - MAX_LISTED_ROUNDS} more"
    return ("round " if len(labels) == 1 else "rounds ") + shown


# -- rendering ---------------------------------------------------------------------------
def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_PLAIN_TEXT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,().'&/-]*")


def _scalar(name: str, value: Any) -> str:
    if name in ("tie_break", "draw_time"):
        return iso_utc(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if name == "ircc_name" and not _PLAIN_TEXT.fullmatch(value):
        return _yaml_string(value)  # quoted: a colon, a hash or a quote would change it
    return str(value)


def _pool_lines(pool: Pool, indent: str) -> list[str]:
    lines = [f"{indent}pool:", f"{indent}  as_of: {pool.as_of.isoformat()}", f"{indent}  bands:"]
    lines += [f"{indent}    {band}: {pool.bands[band]}" for band in POOL_BANDS
              if band in pool.bands]
    return lines


def render_entry(values: dict[str, Any], slug: str | None = None) -> str:
    """A new entry's text, in the order and style editors write."""
    lines = [SCHEMA_LINE]
    for name in ENTRY_ORDER:
        if values.get(name) is None:
            continue
        if name == "pool":
            lines += _pool_lines(values[name], "")
        else:
            lines.append(f"{name}: {_scalar(name, values[name])}")
    if slug:
        lines.append(f"slug: {slug}")
    return "\n".join(lines) + "\n"


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def render_category(category: NewCategory, dash: str, pad: str) -> str:
    """A generated category, for an editor to complete."""
    title = base_name(category.names[0])
    q = _yaml_string
    occupation = "true" if "occupation" in title.casefold() else "false"
    same = f"'{category.similar}'" if category.similar else "an existing category"
    lines = [
        f"{dash}# Generated by `drawdesk import ircc` for "
        f"{_rounds_text(list(category.rounds))}, for an editor to complete:",
        f"{dash}# selection, occupation_based, eligibility_url, description and prose",
        f"{dash}# are placeholders. If these rounds belong to {same}, move",
        f"{dash}# the aliases there, delete this category and import again.",
        f"{dash}- key: {category.key}",
        f"{pad}name: {q(title)}",
        f"{pad}label: {q(title)}",
        f"{pad}selection: category",
        f"{pad}occupation_based: {occupation}",
        f"{pad}eligibility_url: {CATEGORY_URL}",
        f"{pad}description: {q(f'{title} rounds invite candidates eligible for {title}.')}",
        f"{pad}aliases:",
        *[f"{pad}- {q(name)}" for name in category.names],
        f"{pad}prose:",
        f"{pad}  focus: {q(f'candidates eligible for {title}')}",
        f"{pad}  invitees: {q(f'candidates in the {title} category')}",
        f"{pad}  people: {q(f'{title} candidates')}",
        f"{pad}  people_in: {q(f'Express Entry candidates in {title}')}",
        f"{pad}  priority: {q(f'{title} candidates')}",
        f"{pad}  impact_if: {q(f'you are eligible for {title}')}",
        f"{pad}  rules: {q(f'{title} category')}",
    ]
    return "\n".join(lines) + "\n"


# -- editing YAML text in place --------------------------------------------------------------
class _Text:
    """A file's text with the edits to make to it, addressed by node marks."""

    def __init__(self, text: str):
        self.text = text
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.edits: list[tuple[int, int, int, str]] = []  # start, end, order, replacement

    def check(self, mark: yaml.Mark) -> int:
        """A mark's offset, after checking that lines and columns agree with it."""
        if mark.line >= len(self.starts) or self.starts[mark.line] + mark.column != mark.index:
            raise _Unsafe("unusual line breaks")
        return mark.index

    def last_line(self, node: yaml.Node) -> int:
        """The last line (0-based) holding any part of a node."""
        if isinstance(node, yaml.ScalarNode):
            end = node.end_mark
            return max(node.start_mark.line, end.line if end.column > 0 else end.line - 1)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                children += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        return max([node.start_mark.line] + [self.last_line(c) for c in children])

    def after_line(self, line: int) -> int:
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)

    def replace(self, start: int, end: int, replacement: str, order: int = 0) -> None:
        self.edits.append((start, end, order, replacement))

    def remove_entry(self, key: yaml.Node, value: yaml.Node) -> None:
        """Remove the whole lines of one key and its value."""
        start = self.check(key.start_mark) - key.start_mark.column
        self.replace(start, self.after_line(max(self.last_line(key), self.last_line(value))), "")

    def insert_lines(self, offset: int, lines: list[str], order: int) -> None:
        block = "".join(line + self.newline for line in lines)
        if offset == len(self.text) and self.text and not self.text.endswith("\n"):
            block = self.newline + block
        self.replace(offset, offset, block, order)

    def result(self) -> str:
        """The text with every edit made, from the end backwards so that offsets hold.

        At one offset, a removal or replacement goes before the insertions there, and
        insertions keep their order.
        """
        text = self.text
        for start, end, _order, replacement in sorted(self.edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        return text


def _pairs(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {str(k.value): (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _is_block_mapping(doc: _Text, node: yaml.Node) -> bool:
    return (isinstance(node, yaml.MappingNode) and bool(node.value)
            and doc.text[node.start_mark.index:node.start_mark.index + 1] != "{")


def _set_scalar(doc: _Text, key: yaml.Node, value: yaml.Node, text: str, order: int) -> None:
    if not isinstance(value, yaml.ScalarNode):
        raise _Unsafe(f"'{key.value}' is not a single value")
    if value.value == "" and not value.style:  # `key:` with nothing after it
        doc.replace(doc.check(key.end_mark), doc.check(value.end_mark), f": {text}", order)
    else:
        doc.replace(doc.check(value.start_mark), doc.check(value.end_mark), text, order)


def _insert_key(doc: _Text, mapping: yaml.MappingNode, order: tuple[str, ...], name: str,
                lines: list[str], seq: int) -> None:
    """Insert `lines` (one entry of `mapping`) where `order` puts `name`."""
    pairs = _pairs(mapping)
    indent = " " * mapping.value[0][0].start_mark.column
    lines = [indent + line for line in lines]
    index = order.index(name)
    before = [n for n in order[:index] if n in pairs]
    if before:
        key, value = pairs[before[-1]]
        line = max(doc.last_line(key), doc.last_line(value))
        doc.check(key.start_mark)
        doc.insert_lines(doc.after_line(line), lines, seq)
        return
    after = [n for n in order[index + 1:] if n in pairs]
    key = pairs[after[0]][0] if after else mapping.value[0][0]
    doc.insert_lines(doc.check(key.start_mark) - key.start_mark.column, lines, seq)


def _edit_pool(doc: _Text, key: yaml.Node, value: yaml.Node, old: Pool | None, new: Pool,
               seq: int) -> None:
    pairs = _pairs(value) if _is_block_mapping(doc, value) else {}
    bands_node = pairs.get("bands", (None, None))[1]
    if old is not None and "as_of" in pairs and bands_node is not None and \
            _is_block_mapping(doc, bands_node):
        if old.as_of != new.as_of:
            as_of_key, as_of_value = pairs["as_of"]  # the date, and below, the counts
            _set_scalar(doc, as_of_key, as_of_value, new.as_of.isoformat(), seq)
        band_pairs = _pairs(bands_node)
        if old.as_of != new.as_of:  # counts from another day must not stay beside these
            for band in band_pairs:
                if band not in new.bands:
                    doc.remove_entry(*band_pairs[band])
        for n, band in enumerate(POOL_BANDS):
            if band not in new.bands or old.bands.get(band) == new.bands[band]:
                continue
            if band in band_pairs:
                _set_scalar(doc, *band_pairs[band], str(new.bands[band]), seq)
            else:
                _insert_key(doc, bands_node, POOL_BANDS, band, [f"{band}: {new.bands[band]}"],
                            seq * 100 + n)
        return
    # No pool yet, or one written in flow style: write the whole (merged) pool as a block.
    merged = Pool(new.as_of, {**(old.bands if old else {}), **new.bands}) \
        if old is None or old.as_of == new.as_of else new
    indent = " " * key.start_mark.column
    lines = _pool_lines(merged, indent)
    block = ":" + doc.newline + doc.newline.join(lines[1:])
    doc.replace(doc.check(key.end_mark), doc.check(value.end_mark), block, seq)


# -- one entry -------------------------------------------------------------------------------
def _desired(round_: Round, key: str, draw_type: str) -> dict[str, Any]:
    return {"round": round_.number, "date": round_.date, "draw_time": round_.draw_time,
            "type": draw_type, "category": key, "ircc_name": round_.name or None,
            "invitations": round_.invitations, "min_crs": round_.min_crs,
            "tie_break": round_.tie_break, "pool": round_.pool}


def _pool_differs(old: Pool | None, new: Pool) -> bool:
    return old is None or old.as_of != new.as_of or any(
        old.bands.get(band) != count for band, count in new.bands.items())


def _changes(draw: Draw, desired: dict[str, Any]) -> dict[str, Any]:
    """The data fields whose value IRCC gives and the entry does not have.

    A pool of zeros (IRCC's way of saying it published no distribution) written by an
    earlier import is removed; a real one is never erased by IRCC giving none.
    """
    changed: dict[str, Any] = {}
    for name in DATA_FIELDS:
        value = desired[name]
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


def _describe(draw: Draw, changes: dict[str, Any]) -> tuple[str, ...]:
    details = []
    for name, value in changes.items():
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
            details.append(f"{name} added ({_scalar(name, value)})")
        else:
            details.append(f"{name} {_scalar(name, old)} -> {_scalar(name, value)}")
    return tuple(details)


def _read_entry(path: Path, shown: str) -> tuple[str, bool, yaml.MappingNode, dict[str, Any]]:
    data = path.read_bytes()
    bom = data.startswith(_BOM)
    text = data[len(_BOM):].decode("utf-8") if bom else data.decode("utf-8")
    source, problems = compose_text(text, shown, path)
    if source is None or not isinstance(source.root, yaml.MappingNode):
        raise _Unsafe("it no longer reads as an entry")
    reader = Reader(shown)
    values = reader.mapping(source.root, DRAW_FIELDS)
    if reader.problems:
        raise _Unsafe(str(reader.problems[0]))
    return text, bom, source.root, values


def _update_text(path: Path, shown: str, draw: Draw,
                 changes: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    """The entry's new bytes, with only the changed data values edited."""
    text, bom, root, before = _read_entry(path, shown)
    doc = _Text(text)
    pairs = _pairs(root)
    for seq, name in enumerate(ENTRY_ORDER):
        if name not in changes:
            continue
        value = changes[name]
        if value is REMOVED:
            doc.remove_entry(*pairs[name])
        elif name == "pool":
            if "pool" in pairs:
                _edit_pool(doc, *pairs["pool"], draw.pool, value, seq)
            else:
                _insert_key(doc, root, ENTRY_ORDER, "pool", _pool_lines(value, ""), seq)
        elif name in pairs:
            _set_scalar(doc, *pairs[name], _scalar(name, value), seq)
        else:
            _insert_key(doc, root, ENTRY_ORDER, name, [f"{name}: {_scalar(name, value)}"], seq)
    new_text = doc.result()
    after = _check_entry_text(new_text, shown, changes)
    for name, value in before.items():  # the editor's fields and the untouched data
        if name not in changes and after.get(name) != value:
            raise _Unsafe(f"editing would change '{name}'")
    return (_BOM if bom else b"") + new_text.encode("utf-8"), after


def _check_entry_text(text: str, shown: str, expected: dict[str, Any]) -> dict[str, Any]:
    """Parse text about to be written; it must read back to the expected values."""
    source, problems = compose_text(text, shown)
    if source is None:
        raise _Unsafe(str(problems[0]) if problems else "not YAML")
    reader = Reader(shown)
    values = reader.mapping(source.root, DRAW_FIELDS)
    if reader.problems:
        raise _Unsafe(str(reader.problems[0]))
    for name, value in expected.items():
        got = values.get(name)
        if value is REMOVED:
            ok = got is None
        elif name == "pool":
            ok = got is not None and not _pool_differs(Pool(got["as_of"], got["bands"]), value)
        else:
            ok = got == value
        if not ok:
            raise _Unsafe(f"'{name}' would read back as {got!r}")
    return values


# -- the import ------------------------------------------------------------------------------
@dataclass
class _Plan:
    writes: list[_Write] = field(default_factory=list)
    categories: _Write | None = None


def import_rounds(content: Path, parsed: Parsed, source: str,
                  options: Options | None = None) -> Result:
    """Check every round, then (unless it is a dry run) write the entries.

    Nothing is written when anything is wrong: `Result.errors` says what.
    """
    options = options or Options()
    result = Result()
    loaded = load_content(content, allow_empty_pools=True)
    if loaded.content is None:
        result.errors += [str(p) for p in loaded.errors]
        result.errors.append(f"{display_path(content, content)}: the content has "
                             f"{len(loaded.errors)} problem(s); fix them first "
                             "(drawdesk validate), then import again")
        return result
    site = loaded.content
    categories_path = content / "categories.yaml"
    result.categories_path = display_path(categories_path, content)

    for issue in parsed.issues:
        if issue.severity == "warning":
            result.warnings.append(f"{source}: {issue}")
        elif options.skip_invalid:
            result.warnings.append(f"{source}: round {issue.round}: {issue.field}: "
                                   f"skipped: {issue.message}")
        else:
            result.errors.append(f"{source}: {issue}")
    if parsed.invalid:
        if options.skip_invalid:
            result.skipped = list(dict.fromkeys(parsed.invalid))
        else:
            result.errors.append(
                f"{source}: {len(set(parsed.invalid))} invalid round(s) "
                f"({', '.join(dict.fromkeys(parsed.invalid))}); correct the file, or run "
                "with --skip-invalid to import the other rounds")

    keys, types, plan = _resolve_names(parsed.rounds, site.categories, source, categories_path,
                                       result, options)
    if result.errors:
        return result
    _plan_entries(content, site.draws, parsed.rounds, keys, types, result, plan)
    if result.errors:
        result.errors = list(dict.fromkeys(result.errors))
        result.outcomes = []
        return result
    if not options.dry_run:
        items = ([plan.categories] if plan.categories else []) + plan.writes
        for done, item in enumerate(items):
            try:
                _write_file(item.path, item.data)
            except OSError as exc:
                result.errors.append(
                    f"{display_path(item.path, content)}: cannot write ({exc.strerror or exc}); "
                    f"{done} of {len(items)} files were written, each one whole: fix the "
                    "problem and import again")
                result.written = done > 0
                return result
        result.written = True
    return result


def _resolve_names(rounds: list[Round], categories: dict[str, Category], source: str,
                   categories_path: Path, result: Result,
                   options: Options) -> tuple[dict[int, str], dict[str, str], _Plan]:
    """Map every round's program name to a category key (by position in `rounds`)."""
    plan = _Plan()
    index = alias_index(categories)
    types = {key: category.draw_type for key, category in categories.items()}
    keys: dict[int, str] = {}
    unknown: dict[str, list[int]] = defaultdict(list)
    for position, round_ in enumerate(rounds):
        key = index.get(normalize_name(round_.name))
        if key is None:
            unknown[normalize_name(round_.name)].append(position)
        else:
            keys[position] = key
    if not unknown:
        return keys, types, plan
    shown_categories = result.categories_path
    if not options.create_categories:
        for positions in unknown.values():
            name = rounds[positions[0]].name
            labels = [rounds[p].label for p in positions]
            similar = _similar_category(name, categories)
            hint = f" (it looks like category '{similar}')" if similar else ""
            result.errors.append(
                f"{source}: drawName: unknown program name '{name}', used by "
                f"{_rounds_text(labels)}: add it to the 'aliases' of its category in "
                f"{shown_categories}{hint}, or run with --create-categories to add a new "
                "category for an editor to complete")
        return keys, types, plan
    grouped: dict[str, tuple[list[str], list[int]]] = {}
    taken = set(categories)
    by_base: dict[str, str] = {}
    for positions in unknown.values():
        name = rounds[positions[0]].name
        base = generated_key(name)
        if base not in by_base:
            key, number = base, 2
            while key in taken or not KEY_RE.match(key):
                key = f"{base[:37]}-{number}"
                number += 1
            taken.add(key)
            by_base[base] = key
            grouped[key] = ([], [])
        names, members = grouped[by_base[base]]
        names.append(name)
        members.extend(positions)
    for key, (names, members) in grouped.items():
        members.sort()
        labels = tuple(rounds[p].label for p in members)
        similar = _similar_category(names[0], categories)
        result.new_categories.append(NewCategory(key, tuple(names), labels, similar))
        for p in members:
            keys[p] = key
        types[key] = "category-based"
    try:
        text, bom = _categories_with(categories_path, result.new_categories)
    except _Unsafe as exc:
        result.errors.append(f"{shown_categories}: cannot add the generated categories ({exc});"
                             " add the program names to the 'aliases' of their categories by "
                             "hand")
        return keys, types, plan
    plan.categories = _Write(categories_path, (_BOM if bom else b"") + text.encode("utf-8"))
    return keys, types, plan


def _categories_with(path: Path, new: list[NewCategory]) -> tuple[str, bool]:
    """categories.yaml's text with the generated categories appended to its list."""
    data = path.read_bytes()
    bom = data.startswith(_BOM)
    text = data[len(_BOM):].decode("utf-8") if bom else data.decode("utf-8")
    shown = display_path(path)
    source, _ = compose_text(text, shown, path)
    if source is None or not isinstance(source.root, yaml.MappingNode):
        raise _Unsafe("it does not read as YAML")
    pairs = _pairs(source.root)
    items = pairs.get("categories", (None, None))[1]
    if not isinstance(items, yaml.SequenceNode) or not items.value or \
            text[items.start_mark.index:items.start_mark.index + 1] == "[":
        raise _Unsafe("its 'categories' list is not a block list")
    doc = _Text(text)
    first = items.value[0]
    start = doc.check(first.start_mark)
    line_start = start - first.start_mark.column
    prefix = text[line_start:start]
    dash = prefix.rstrip()
    if not dash.endswith("-") or dash[:-1].strip():
        raise _Unsafe("its list items are not written as '- key: ...'")
    blocks = "".join(render_category(c, " " * (len(dash) - 1), " " * len(prefix))
                     for c in new)
    doc.insert_lines(doc.after_line(doc.last_line(items.value[-1])),
                     blocks.rstrip("\n").split("\n"), 0)
    new_text = doc.result()
    check, problems = compose_text(new_text, shown, path)
    reader = Reader(shown)
    if check is None:
        raise _Unsafe(str(problems[0]))
    values = reader.mapping(check.root, CATEGORIES_FILE_FIELDS)
    if reader.problems:
        raise _Unsafe(str(reader.problems[0]))
    got = [c["key"] for c in values["categories"]][-len(new):]
    if got != [c.key for c in new]:
        raise _Unsafe("the generated categories did not read back")
    return new_text, bom


def _plan_entries(content: Path, draws: tuple[Draw, ...], rounds: list[Round],
                  keys: dict[int, str], types: dict[str, str], result: Result,
                  plan: _Plan) -> None:
    folder = content / "draws"
    files = _entry_files(content)
    by_number = {d.round: d for d in draws if d.round is not None}
    by_day: dict[tuple[dt.date, str], list[Draw]] = defaultdict(list)
    for draw in draws:
        by_day[(draw.date, draw.category)].append(draw)
    matched: dict[int, Draw] = {}
    for position, round_ in enumerate(rounds):
        if round_.number is not None and round_.number in by_number:
            matched[position] = by_number[round_.number]
    claimed = {d.source for d in matched.values()}
    # Rounds not matched by number: an entry of the same day and category, when it can
    # only be that round (an entry without a round number, or a round without one).
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
        result.errors.append(
            f"{', '.join(d.source for d in found)}: cannot tell which round "
            f"{'this entry is' if len(found) == 1 else 'these entries are'} "
            f"({_rounds_text(rivals)} share date {round_.date} and category "
            f"'{keys[position]}'); add the right 'round:' to each entry")

    outcomes: dict[int, Outcome] = {}
    final_slugs: dict[str, str] = {}
    updated: dict[str, dict[str, Any]] = {}
    for position, draw in sorted(matched.items()):
        round_ = rounds[position]
        key = keys[position]
        changes = _changes(draw, _desired(round_, key, types[key]))
        if round_.pool_withheld and draw.pool is not None and not empty_pool(draw.pool):
            result.warnings.append(
                f"{draw.source}: pool: round {round_.label} has no distribution in the file "
                f"(zeros), but the entry has the one taken on {draw.pool.as_of}: kept (IRCC "
                "has withdrawn distributions it once published)")
        if not changes:
            outcomes[position] = Outcome("unchanged", draw.source, round_.label)
            continue
        path = files[draw.source]
        try:
            data, values = _update_text(path, draw.source, draw, changes)
        except (_Unsafe, OSError, UnicodeDecodeError) as exc:
            result.errors.append(f"{draw.source}: cannot update round {round_.label} safely "
                                 f"({exc}); make these changes by hand: "
                                 f"{'; '.join(_describe(draw, changes))}")
            continue
        updated[draw.source] = values
        plan.writes.append(_Write(path, data))
        outcomes[position] = Outcome("updated", draw.source, round_.label,
                                     _describe(draw, changes))
    for draw in draws:
        values = updated.get(draw.source)
        slug = draw.slug if values is None else (
            values.get("slug") or f"{values['date'].isoformat()}-{values['category']}")
        if slug in final_slugs:
            result.errors.append(f"{draw.source}: after the update its address '{slug}' is "
                                 f"also {final_slugs[slug]}'s; set a unique 'slug:' in one of "
                                 "them")
        final_slugs[slug] = draw.source

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
                result.errors.append(
                    f"round {round_.label}: cannot choose a file name for it ({base} is also "
                    "another round's or entry's, and this round has no usable number); write "
                    "its entry by hand")
                continue
        name = f"{slug or base}.yaml"
        final_slugs[slug or base] = name
        taken_files.add(name.casefold())
        path = folder / name
        shown = display_path(path, content)
        values = _desired(round_, key, types[key])
        text = render_entry(values, slug)
        try:
            _check_entry_text(text, shown, {k: v for k, v in values.items() if v is not None})
        except _Unsafe as exc:  # pragma: no cover - the renderer writes plain values
            result.errors.append(f"{shown}: cannot write round {round_.label} ({exc})")
            continue
        plan.writes.append(_Write(path, text.encode("utf-8")))
        outcomes[position] = Outcome("added", shown, round_.label)
    result.outcomes = [outcomes[p] for p in sorted(outcomes)]


def _entry_files(content: Path) -> dict[str, Path]:
    """Every file under draws/, by the name the loader shows it under (a draw's `source`)."""
    files = {}
    for dirpath, _dirnames, filenames in os.walk(content / "draws"):
        for name in filenames:
            path = Path(dirpath) / name
            files[display_path(path, content)] = path
    return files


def _write_file(path: Path, data: bytes) -> None:
    """Write a file atomically: a hidden temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            umask = os.umask(0o022)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
