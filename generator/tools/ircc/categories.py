"""Which category each IRCC round belongs to, by its program name, and the categories an
import may add to categories.yaml for names no category lists yet.

A round's program name (IRCC's `drawName`) is looked up among the categories'
`aliases`, case and spacing aside. Unknown names are an error, or, with
`--create-categories`, new categories written into categories.yaml (edited in
place, for an editor to complete), one per name once version marks are left
out ("Trade occupations (Version 1)" and "Trades Occupations, 2026-Version 3"
are one category).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ...core.models import Category
from ...core.problems import Problem, display_path
from ...source.fields import CATEGORIES_FILE_FIELDS, KEY_RE
from ...source.reader import Reader
from ...source.yamledit import TextEdits, Unsafe, block_list, pairs, read_mapping
from ..entries import quoted
from .rounds import Round

CATEGORY_URL = ("https://www.canada.ca/en/immigration-refugees-citizenship/services/"
                "immigrate-canada/express-entry/submit-profile/rounds-invitations/"
                "category-based-selection.html")
MAX_LISTED_ROUNDS = 20
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class NewCategory:
    """A category generated for program names that no category lists."""

    key: str
    names: tuple[str, ...]
    rounds: tuple[str, ...]
    similar: str | None = None  # an existing category whose key it would have had


@dataclass
class Matched:
    """Every round's category key (by its place in the list of rounds), and what the
    import must add to categories.yaml for that."""

    keys: dict[int, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # category key -> draw type
    new_categories: list[NewCategory] = field(default_factory=list)
    categories_file: bytes | None = None  # categories.yaml with the new categories
    errors: list[Problem] = field(default_factory=list)


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


def similar_category(name: str, categories: dict[str, Category]) -> str | None:
    """The category whose key or aliases look like `name` (versions and "occupations"
    aside), to hint at where a new name may belong; never used to decide."""
    known: dict[str, str] = {}
    for category in categories.values():
        known.setdefault(category.key, category.key)
        for alias in category.aliases:
            known.setdefault(generated_key(alias), category.key)
    match = difflib.get_close_matches(generated_key(name), list(known), n=1, cutoff=0.8)
    return known[match[0]] if match else None


def rounds_text(labels: list[str]) -> str:
    """'round 357' or 'rounds 350, 351 and 3 more', for messages."""
    shown = ", ".join(labels[:MAX_LISTED_ROUNDS])
    if len(labels) > MAX_LISTED_ROUNDS:
        shown += f" and {len(labels) - MAX_LISTED_ROUNDS} more"
    return ("round " if len(labels) == 1 else "rounds ") + shown


# -- matching --------------------------------------------------------------------------
def match_rounds(rounds: list[Round], categories: dict[str, Category], source: str,
                 categories_path: Path, shown_categories: str, create: bool) -> Matched:
    """Map every round's program name to a category key; with `create`, add a category
    for each unknown name (else an unknown name is an error)."""
    matched = Matched(types={key: c.draw_type for key, c in categories.items()})
    index = alias_index(categories)
    unknown: dict[str, list[int]] = defaultdict(list)
    for position, round_ in enumerate(rounds):
        key = index.get(normalize_name(round_.name))
        if key is None:
            unknown[normalize_name(round_.name)].append(position)
        else:
            matched.keys[position] = key
    if not unknown:
        return matched
    if not create:
        for positions in unknown.values():
            name = rounds[positions[0]].name
            labels = [rounds[p].label for p in positions]
            similar = similar_category(name, categories)
            hint = f" (it looks like category '{similar}')" if similar else ""
            matched.errors.append(Problem(
                source, 0, 0, "drawName",
                f"unknown program name '{name}', used by {rounds_text(labels)}: add it to "
                f"the 'aliases' of its category in {shown_categories}{hint}, or run with "
                "--create-categories to add a new category for an editor to complete"))
        return matched
    _new_categories(rounds, categories, unknown, matched)
    try:
        text, bom = categories_with(categories_path, matched.new_categories)
    except Unsafe as exc:
        matched.errors.append(Problem(
            shown_categories, 0, 0, "",
            f"cannot add the generated categories ({exc}); add the program names to the "
            "'aliases' of their categories by hand"))
        return matched
    matched.categories_file = (BOM if bom else b"") + text.encode("utf-8")
    return matched


def _new_categories(rounds: list[Round], categories: dict[str, Category],
                    unknown: dict[str, list[int]], matched: Matched) -> None:
    """One new category per unknown name, versions aside, each with a key of its own."""
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
        similar = similar_category(names[0], categories)
        matched.new_categories.append(NewCategory(key, tuple(names), labels, similar))
        for p in members:
            matched.keys[p] = key
        matched.types[key] = "category-based"


# -- categories.yaml, edited in place ---------------------------------------------------
def render_category(category: NewCategory, dash: str, pad: str) -> str:
    """A generated category, for an editor to complete."""
    title = base_name(category.names[0])
    q = quoted
    occupation = "true" if "occupation" in title.casefold() else "false"
    same = f"'{category.similar}'" if category.similar else "an existing category"
    lines = [
        f"{dash}# Generated by `drawdesk import ircc` for "
        f"{rounds_text(list(category.rounds))}, for an editor to complete:",
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


def categories_with(path: Path, new: list[NewCategory]) -> tuple[str, bool]:
    """categories.yaml's text with the generated categories appended to its list (and
    whether it starts with a byte order mark)."""
    data = path.read_bytes()
    bom = data.startswith(BOM)
    text = data[len(BOM):].decode("utf-8") if bom else data.decode("utf-8")
    shown = display_path(path)
    doc = TextEdits(text)
    root = read_mapping(text, shown, path, "it does not read as YAML")
    items = block_list(doc, pairs(root).get("categories", (None, None))[1])
    if items is None:
        raise Unsafe("its 'categories' list is not a block list")
    first = items[0]
    start = doc.check(first.start_mark)
    line_start = start - first.start_mark.column
    prefix = text[line_start:start]
    dash = prefix.rstrip()
    if not dash.endswith("-") or dash[:-1].strip():
        raise Unsafe("its list items are not written as '- key: ...'")
    blocks = "".join(render_category(c, " " * (len(dash) - 1), " " * len(prefix))
                     for c in new)
    doc.insert_lines(doc.after_line(doc.last_line(items[-1])),
                     blocks.rstrip("\n").split("\n"), 0)
    new_text = doc.result()
    root = read_mapping(new_text, shown, path)
    reader = Reader(shown)
    values = reader.mapping(root, CATEGORIES_FILE_FIELDS)
    if reader.problems:
        raise Unsafe(str(reader.problems[0]))
    got = [c["key"] for c in values["categories"]][-len(new):]
    if got != [c.key for c in new]:
        raise Unsafe("the generated categories did not read back")
    return new_text, bom
