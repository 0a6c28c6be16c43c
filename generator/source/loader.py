"""Load a content folder into typed models, reporting every problem at once.

Stage 1 and 2 of the pipeline: YAML files -> validated `Content`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from ..core.caching import NO_CACHE, BuildCache
from ..core.models import (
    LANGUAGES,
    PLAIN_LANGUAGE,
    Category,
    Content,
    Draw,
    FaqEntry,
    Period,
    Pool,
    Prose,
    Publisher,
    RoundId,
    Site,
    Words,
    draw_time_fits,
    empty_pool,
)
from ..core.problems import ContentError, Problem, did_you_mean, display_path
from ..parallel import forking
from . import sitefiles
from .catalogue import catalog_path, read_catalog
from .fields import CATEGORIES_FILE_FIELDS, DRAW_FIELDS, SITE_FIELDS, SLUG_RE, Field
from .reader import Reader
from .suspicious import Positions, suspicious
from .yamlfile import read_yaml

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Loaded:
    """Content plus the problems found while loading it."""

    content: Content | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "warning")


def _positions(node: yaml.Node) -> dict[str, tuple[int, int]]:
    marks = {"": (node.start_mark.line + 1, node.start_mark.column + 1)}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            marks[str(key.value)] = (value.start_mark.line + 1, value.start_mark.column + 1)
    return marks


TOTAL = "pool.bands.total"  # where a distribution's total is written, for messages


def _nested_mark(node: yaml.Node, path: tuple[str, ...]) -> tuple[int, int] | None:
    """The position of the value at `path` (keys of nested mappings), if it is there."""
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            return None
        found = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        if found is None:
            return None
        node = found
    return node.start_mark.line + 1, node.start_mark.column + 1


def _langmap_nodes(node: yaml.Node, f: Field) -> dict[str, yaml.Node]:
    """The nodes of a per-language value by language, as `Reader` reads them."""
    if not isinstance(node, yaml.MappingNode):
        return {PLAIN_LANGUAGE: node}
    nodes = {str(k.value): v for k, v in node.value if str(k.value) in LANGUAGES}
    if f.items is not None and f.items.kind == "map" and any(
            str(k.value) not in LANGUAGES for k, _ in node.value):
        nodes.setdefault(PLAIN_LANGUAGE, node)  # its own keys are the English ones
    return nodes


def _gap(shown: str, node: yaml.Node, where: str, missing: list[str], severity: str) -> Problem:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if severity == "error":
        return Problem(shown, line, col, where, f"no text for language {', '.join(missing)} "
                       "(one text per published language expected, as {en: ..., fr: ...})")
    return Problem(shown, line, col, where, f"no text for language {', '.join(missing)}: that "
                   "edition uses its generated text (one per published language expected)",
                   severity="warning")


def _langmap_gaps(node: yaml.Node, f: Field, languages: tuple[str, ...], shown: str,
                  severity: str, where: str) -> list[Problem]:
    nodes = _langmap_nodes(node, f)
    if f.items is None or f.items.kind != "map":
        missing = [lang for lang in languages if lang not in nodes]
        return [_gap(shown, node, where, missing, severity)] if missing and nodes else []
    keys: dict[str, dict[str, yaml.Node]] = {  # sections: compared key by key
        lang: {str(k.value): k for k, _ in n.value if str(k.value) not in LANGUAGES}
        for lang, n in nodes.items() if isinstance(n, yaml.MappingNode)}
    problems = []
    for key in dict.fromkeys(k for by_key in keys.values() for k in by_key):
        missing = [lang for lang in languages if key not in keys.get(lang, {})]
        if missing:
            first = next(by_key[key] for by_key in keys.values() if key in by_key)
            problems.append(_gap(shown, first, f"{where}.{key}", missing, severity))
    return problems


def language_gaps(node: yaml.Node, fields: tuple[Field, ...], languages: tuple[str, ...],
                  shown: str, severity: str = "error", where: str = "") -> list[Problem]:
    """A problem for every per-language value that lacks a published language."""
    if not isinstance(node, yaml.MappingNode):
        return []
    known = {f.name: f for f in fields}
    problems: list[Problem] = []
    for key_node, value in node.value:
        f = known.get(getattr(key_node, "value", None))
        path = f"{where}.{key_node.value}" if where else str(key_node.value)
        if f is None:
            continue
        if f.kind == "langmap":
            problems += _langmap_gaps(value, f, languages, shown, severity, path)
        elif f.kind == "map" and f.fields:
            problems += language_gaps(value, f.fields, languages, shown, severity, path)
        elif (f.kind == "list" and f.items is not None and f.items.kind == "map"
              and isinstance(value, yaml.SequenceNode)):
            for i, item in enumerate(value.value, start=1):
                problems += language_gaps(item, f.items.fields, languages, shown, severity,
                                          f"{path}[{i}]")
    return problems


def _read_file(path: Path, root: Path, fields, problems: list[Problem],
               hints: dict[str, Callable[[str], str]] | None = None, raw: bytes | None = None,
               shown: str | None = None):
    shown = display_path(path, root) if shown is None else shown
    source, found = read_yaml(path, shown, raw)
    problems.extend(found)
    if source is None:
        return None, None, shown
    reader = Reader(shown, hints)
    data = reader.mapping(source.root, fields)
    problems.extend(reader.problems)
    return data, source.root, shown


# Parsing is shared between processes from this many files to parse (10,000 files:
# 0.75 s in one process; forking and sending the results back costs ~0.1 s).
PARALLEL_PARSE = 1000


def _parse_draw(path: Path, root: Path, shown: str, raw: bytes | None,
                hints: dict[str, Callable[[str], str]], languages: tuple[str, ...]):
    """One draw file parsed: ((fields, positions, language gaps, shown), problems)."""
    problems: list[Problem] = []
    data, node, shown = _read_file(path, root, DRAW_FIELDS, problems, hints, raw, shown)
    if data is None or problems:
        return (data, None, [], shown), problems
    marks = _positions(node)
    total = _nested_mark(node, tuple(TOTAL.split(".")))
    if total is not None:
        marks[TOTAL] = total
    gaps = language_gaps(node, DRAW_FIELDS, languages, shown, "warning")
    return (data, marks, gaps, shown), problems


def _read_draws(files: list[Path], root: Path, hints: dict[str, Callable[[str], str]],
                languages: tuple[str, ...], cache: BuildCache
                ) -> list[tuple[tuple, list[Problem]]]:
    """Each draw file's fields, their positions and its language gaps (warnings), with
    the file's problems, in the order of `files`.

    `cache` may keep what a file held (by its bytes, its displayed path and the
    languages), so that it is not parsed again. Many files to parse are shared
    between processes (`parallel.forking`).
    """
    shown = [display_path(path, root) for path in files]

    def parse(todo: list[tuple[int, bytes | None]]) -> list[tuple[object, bool]]:
        def one(item: tuple[int, bytes | None]) -> tuple[tuple, list[Problem]]:
            index, raw = item
            return _parse_draw(files[index], root, shown[index], raw, hints, languages)

        processes = forking.workers() if len(todo) >= PARALLEL_PARSE else 1
        return [(_plain(result), result[0][1] is not None)  # kept when it has positions
                for result in forking.ordered_map(one, todo, processes)]

    found = cache.parsed([(str(path), (name, languages)) for path, name in zip(
        files, shown, strict=True)], parse)
    return [_unplain(value) for value in found]


def _plain(result: tuple[tuple, list[Problem]]) -> tuple:
    """A parse result as plain data (for the build cache)."""
    (data, marks, gaps, shown), problems = result
    return ((data, marks, tuple(p.as_tuple() for p in gaps), shown),
            tuple(p.as_tuple() for p in problems))


def _unplain(value: object) -> tuple[tuple, list[Problem]]:
    (data, marks, gaps, shown), problems = value  # type: ignore[misc]
    return (data, marks, [Problem(*p) for p in gaps], shown), [Problem(*p) for p in problems]


def _named_file(path: Path, root: Path, problems: list[Problem], missing: str) -> bool:
    """True if `path` is a file to read; a problem otherwise (missing, a pipe, a link
    leaving the content folder...)."""
    exists, refusal = sitefiles.check_file(path, sitefiles.real_roots([root]))
    if not exists or refusal:
        problems.append(Problem(display_path(path, root), 1, 1, "file", refusal or missing))
        return False
    return True


def _load_site(root: Path, problems: list[Problem]) -> Site | None:
    path = root / "site.yaml"
    if not _named_file(path, root, problems, "site.yaml not found (the site's settings "
                                             "expected)"):
        return None
    count = len(problems)
    data, node, shown = _read_file(path, root, SITE_FIELDS, problems)
    if data is None or len(problems) > count:
        return None
    marks = _positions(node)
    timezone = data.get("timezone", "America/Toronto")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        line, col = marks.get("timezone", marks[""])
        problems.append(Problem(shown, line, col, "timezone",
                                f"'{timezone}' is not a known time zone "
                                "(an IANA name such as America/Toronto expected)"))
        return None
    base_url = data["base_url"] if data["base_url"].endswith("/") else data["base_url"] + "/"
    if "?" in base_url or "#" in base_url:  # a query or a fragment, even an empty one
        line, col = marks["base_url"]
        problems.append(Problem(shown, line, col, "base_url",
                                f"'{data['base_url']}' has a query or a fragment, which would "
                                "end up in every link (the address the site is published at, "
                                "such as https://example.org/news/, expected)"))
        return None
    languages = tuple(dict.fromkeys(data.get("languages", ["en"]))) or ("en",)
    for name in ("title", "description", "disclaimer"):
        missing = [lang for lang in languages if lang not in data[name]]
        if missing:
            line, col = marks[name]
            problems.append(Problem(shown, line, col, name,
                                    f"no text for language {', '.join(missing)} "
                                    "(one text per published language expected)"))
    return Site(
        title=data["title"], base_url=base_url, language=data.get("language", "en-CA"),
        languages=tuple(lang for lang in LANGUAGES if lang in languages),
        description=data["description"],
        publisher=Publisher(**data["publisher"]), timezone=timezone,
        disclaimer=data["disclaimer"], items_per_page=data.get("items_per_page", 10),
        feed_items=data.get("feed_items", 50),
    )


def _load_categories(root: Path, problems: list[Problem],
                     languages: tuple[str, ...] = (PLAIN_LANGUAGE,)) -> dict[str, Category]:
    path = root / "categories.yaml"
    if not _named_file(path, root, problems, "categories.yaml not found (the draw "
                                             "categories expected)"):
        return {}
    count = len(problems)
    data, node, shown = _read_file(path, root, CATEGORIES_FILE_FIELDS, problems)
    if data is None or len(problems) > count:
        return {}
    problems.extend(language_gaps(node, CATEGORIES_FILE_FIELDS, languages, shown))
    categories: dict[str, Category] = {}
    aliases: dict[str, str] = {}
    item_nodes = next(v for k, v in node.value if k.value == "categories").value
    for item, item_node in zip(data["categories"], item_nodes, strict=False):
        line, col = _positions(item_node)[""]
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


def _draw_files(root: Path, problems: list[Problem]) -> list[Path]:
    """Every entry file under draws/, sorted, folders and files starting with '.' left out;
    anything that is not a regular file inside the content folder is a problem."""
    listing = sitefiles.walk(root / "draws", sitefiles.real_roots([root]), hidden=False)
    problems.extend(sitefiles.problems(listing, root))
    files: list[Path] = []
    for found in listing.files:
        path = Path(found.path)
        if os.path.splitext(found.path)[1].lower() not in YAML_SUFFIXES:
            problems.append(Problem(display_path(path, root), 1, 1, "file",
                                    "ignored: not a .yaml file (draw entries end in .yaml)",
                                    severity="warning"))
            continue
        files.append(path)
    return files


def _make_draw(data: dict, shown: str) -> Draw:
    slug = data.get("slug") or f"{data['date'].isoformat()}-{data['category']}"
    pool = data.get("pool")
    return Draw(
        source=shown, date=data["date"], type=data["type"], category=data["category"],
        invitations=data["invitations"], min_crs=data["min_crs"], slug=slug,
        round=data.get("round"), tie_break=data.get("tie_break"),
        draw_time=data.get("draw_time"), ircc_name=data.get("ircc_name"),
        fixed_id=data.get("id"), title=data.get("title", {}),
        summary=data.get("summary", {}), sections=data.get("sections", {}),
        faq={lang: tuple(FaqEntry(**entry) for entry in entries)
             for lang, entries in data.get("faq", {}).items()},
        faq_mode=data.get("faq_mode", "append"), disclaimer=data.get("disclaimer", {}),
        draft=data.get("draft", False),
        pool=Pool(pool["as_of"], pool["bands"]) if pool else None,
    )


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


def _load_draws(root: Path, categories: dict[str, Category], problems: list[Problem],
                check_categories: bool, languages: tuple[str, ...] = (PLAIN_LANGUAGE,),
                positions: Positions | None = None,
                allow_empty_pools: bool = False, cache: BuildCache = NO_CACHE) -> list[Draw]:
    draws: list[Draw] = []
    rounds: dict[RoundId, str] = {}
    slugs: dict[str, str] = {}
    identities: dict[str, str] = {}
    hints = {"category": lambda value: category_hint(value, categories)}
    files = _draw_files(root, problems)
    for (data, marks, gaps, shown), found in _read_draws(files, root, hints, languages, cache):
        if data is None or found:
            problems.extend(found)
            continue
        problems.extend(gaps)

        def fail(name: str, message: str, shown: str = shown, marks=marks) -> None:
            line, col = marks.get(name, marks[""])
            problems.append(Problem(shown, line, col, name, message))

        category = categories.get(data["category"])
        if category is None and check_categories:
            fail("category", f"unknown category '{data['category']}'"
                             f"{category_hint(data['category'], categories)} "
                             f"(a key from categories.yaml expected)")
            continue
        if category is not None and category.draw_type != data["type"]:
            fail("type", f"'{data['type']}' does not match category '{category.key}' "
                         f"('{category.draw_type}' expected)")
            continue
        draw = _make_draw(data, shown)
        if not SLUG_RE.match(draw.slug):  # pragma: no cover - both parts are validated
            fail("slug", f"'{draw.slug}' is not a valid slug")
            continue
        if draw.draw_time is not None and not draw_time_fits(draw.draw_time, draw.date):
            fail("draw_time", f"{draw.draw_time.isoformat()} is not on the draw's date "
                              f"({draw.date}) or the day after (the time IRCC held this "
                              "draw expected)")
            continue
        if draw.pool is not None and empty_pool(draw.pool) and not allow_empty_pools:
            fail(TOTAL if TOTAL in marks else "pool",
                 "the distribution's total is 0: IRCC writes zeros when it published no "
                 "distribution (remove 'pool:', or run drawdesk import ircc, which removes "
                 "it; real counts expected)")
            continue
        if draw.round is not None and draw.round in rounds:
            fail("round", f"round {draw.round} is already used by {rounds[draw.round]} "
                          "(unique round identifiers expected)")
            continue
        if draw.slug in slugs:
            fail("slug" if "slug" in data else "date",
                 f"slug '{draw.slug}' is already used by {slugs[draw.slug]} "
                 "(set a unique 'slug:' in one of them)")
            continue
        if draw.identity in identities:
            fail("id" if "id" in data else "round" if "round" in data else "date",
                 f"the identifier '{draw.identity}' (feed items, open data) is also "
                 f"{identities[draw.identity]}'s (a unique 'round:' or 'id:' expected)")
            continue
        if draw.round is not None:
            rounds[draw.round] = shown
        slugs[draw.slug] = shown
        identities[draw.identity] = shown
        draws.append(draw)
        if positions is not None:
            positions[shown] = marks
    return draws


def site_file_problems(root: Path, templates: Path | None,
                       languages: tuple[str, ...]) -> list[Problem]:
    """Problems with the files a build copies or renders with: static/ and the site's
    templates (or `templates`, which replaces them), each a regular file inside the site,
    and the site's catalogues well formed."""
    roots = sitefiles.real_roots([root, *([templates] if templates else [])])
    problems = sitefiles.problems(sitefiles.walk(root / "static", roots), root)
    own = templates if templates is not None else root / "templates"
    listing = sitefiles.walk(own, roots)
    problems += sitefiles.problems(listing, root)
    readable = {found.path for found in listing.files}
    for lang in languages:
        path = catalog_path(own, lang)
        if str(path) in readable:
            problems += read_catalog(path, display_path(path, root))[1]
    return problems


def load_content(root: Path, templates: Path | None = None, *,
                 allow_empty_pools: bool = False, cache: BuildCache = NO_CACHE) -> Loaded:
    """Read and validate every file of a content folder (with the site's templates:
    `templates`, or CONTENT/templates); `cache` may keep what entries held.

    `allow_empty_pools` lets entries keep a distribution of zeros (the importer removes
    the ones it wrote before it knew zeros mean "not published")."""
    problems: list[Problem] = []
    site = _load_site(root, problems)
    languages = site.languages if site is not None else (PLAIN_LANGUAGE,)
    problems.extend(site_file_problems(root, templates, languages))
    count = len(problems)
    categories = _load_categories(root, problems, languages)
    categories_ok = len(problems) == count
    positions: Positions = {}
    draws = _load_draws(root, categories, problems, check_categories=categories_ok,
                        languages=languages, positions=positions,
                        allow_empty_pools=allow_empty_pools, cache=cache)
    problems.extend(suspicious(draws, positions))
    if site is None or any(p.severity == "error" for p in problems):
        return Loaded(None, problems)
    draws.sort(key=lambda d: d.sort_key)
    return Loaded(Content(site, categories, tuple(draws)), problems)


def load_categories(root: Path) -> tuple[dict[str, Category], list[Problem]]:
    """Read only categories.yaml (for tools that need the keys even if entries are broken)."""
    problems: list[Problem] = []
    categories = _load_categories(root, problems)
    return (categories if not problems else {}), problems


def load_or_raise(root: Path, templates: Path | None = None,
                  cache: BuildCache = NO_CACHE) -> tuple[Content, list[Problem]]:
    """Load content; raise `ContentError` carrying every error if there are any."""
    loaded = load_content(root, templates, cache=cache)
    if loaded.content is None:
        raise ContentError(loaded.errors)
    return loaded.content, loaded.warnings
