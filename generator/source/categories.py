"""Reading categories.yaml: every category and program, with its names over time, and
finding a category by any of its names."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.models import PLAIN_LANGUAGE, Category, Period, Prose, Words
from ..core.problems import Problem, did_you_mean
from .fields import CATEGORIES_FILE_FIELDS
from .languages import language_gaps
from .reading import named_file, positions, read_file


def read_categories(root: Path, problems: list[Problem],
                    languages: tuple[str, ...] = (PLAIN_LANGUAGE,)) -> dict[str, Category]:
    """The categories of `root`/categories.yaml by key; what is wrong goes to `problems`."""
    path = root / "categories.yaml"
    if not named_file(path, root, problems, "categories.yaml not found (the draw "
                                             "categories expected)"):
        return {}
    count = len(problems)
    data, node, shown = read_file(path, root, CATEGORIES_FILE_FIELDS, problems)
    if data is None or len(problems) > count:
        return {}
    problems.extend(language_gaps(node, CATEGORIES_FILE_FIELDS, languages, shown))
    categories: dict[str, Category] = {}
    aliases: dict[str, str] = {}
    item_nodes = next(v for k, v in node.value if k.value == "categories").value
    for item, item_node in zip(data["categories"], item_nodes, strict=False):
        line, col = positions(item_node)[""]
        key = item["key"]
        if key in categories:
            problems.append(Problem(shown, line, col, "key",
                                    f"category '{key}' is defined twice (unique keys expected)"))
            continue
        for alias in item.get("aliases", []):
            if alias.casefold() in aliases:
                problems.append(Problem(shown, line, col, "aliases",
                                        f"'{alias}' already names category "
                                        f"'{aliases[alias.casefold()]}' (one category per name)"))
            aliases[alias.casefold()] = key
        periods = tuple(Period(p["before"], Words(p["name"], Prose(**p["prose"])))
                        for p in item.get("periods", []))
        if any(a.before >= b.before for a, b in zip(periods, periods[1:], strict=False)):
            problems.append(Problem(shown, line, col, "periods",
                                    f"the periods of category '{key}' are not in date order "
                                    "(oldest first, each 'before' later than the last)"))
        categories[key] = Category(
            key=key, name=item["name"], label=item["label"], selection=item["selection"],
            occupation_based=item["occupation_based"], eligibility_url=item["eligibility_url"],
            description=item["description"], prose=Prose(**item["prose"]),
            aliases=tuple(item.get("aliases", [])), periods=periods,
        )
    return categories


def load_categories(root: Path) -> tuple[dict[str, Category], list[Problem]]:
    """Read only categories.yaml (for tools that need the keys even if entries are broken)."""
    problems: list[Problem] = []
    categories = read_categories(root, problems)
    return (categories if not problems else {}), problems


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def category_named(value: str, categories: dict[str, Category]) -> str | None:
    """The key of the category `value` names (its key, name, label or an IRCC alias)."""
    wanted = _normal(value)
    for key, category in categories.items():
        names = (key, *category.aliases, *category.name.values(), *category.label.values())
        if wanted in {_normal(name) for name in names}:
            return key
    return None


def category_hint(value: str, categories: dict[str, Category]) -> str:
    """'; did you mean ...?' for a category written as its name, an alias, or misspelt."""
    key = category_named(value, categories)
    if key is not None:
        return f"; did you mean '{key}'?"
    return did_you_mean(value, categories) or did_you_mean(_normal(value), categories)
