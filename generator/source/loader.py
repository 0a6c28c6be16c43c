"""Load a content folder into typed models, reporting every problem at once.

Stage 1 and 2 of the pipeline: YAML files -> validated `Content`: site.yaml
(`source.site`), categories.yaml (`source.categories`), then every entry under
draws/, each checked on its own and against the others, then every post under
posts/ (`source.posts`), whose links may name the draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.caching import NO_CACHE, BuildCache
from ..core.models import (
    PLAIN_LANGUAGE,
    Category,
    Content,
    Correction,
    Draw,
    FaqEntry,
    Pool,
    RoundId,
    draw_time_fits,
    empty_pool,
)
from ..core.problems import ContentError, Problem, display_path, display_paths
from ..parallel import forking
from . import sitefiles
from .catalogue import catalog_path, read_catalog
from .categories import category_hint, load_categories, read_categories
from .corrections import read_corrections
from .fields import DRAW_FIELDS, SLUG_RE
from .languages import language_gaps
from .posts import load_posts
from .reading import nested_mark, positions, read_file
from .site import load_site
from .suspicious import Positions, suspicious

__all__ = ["Loaded", "load_categories", "load_content", "load_or_raise"]

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Loaded:
    """Content plus the problems found while loading it."""

    content: Content | None
    problems: list[Problem] = field(default_factory=list)
    positions: Positions = field(default_factory=dict)  # entry -> field -> (line, column)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "warning")


TOTAL = "pool.bands.total"  # where a distribution's total is written, for messages


# Parsing is shared between processes from this many files to parse (10,000 files:
# 0.75 s in one process; forking and sending the results back costs ~0.1 s).
PARALLEL_PARSE = 1000


def _parse_draw(path: Path, root: Path, shown: str, raw: bytes | None,
                hints: dict[str, Callable[[str], str]], languages: tuple[str, ...]):
    """One draw file parsed: ((fields, positions, language gaps, shown), problems)."""
    problems: list[Problem] = []
    data, node, shown = read_file(path, root, DRAW_FIELDS, problems, hints, raw, shown)
    if data is None or problems:
        return (data, None, [], shown), problems
    problems = read_corrections(data, node, shown, languages)
    if problems:
        return (data, None, [], shown), problems
    marks = positions(node)
    total = nested_mark(node, tuple(TOTAL.split(".")))
    if total is not None:
        marks[TOTAL] = total
    gaps = language_gaps(node, DRAW_FIELDS, languages, shown, "warning")
    return (data, marks, gaps, shown), problems


def _read_draws(files: list[str], root: Path, hints: dict[str, Callable[[str], str]],
                languages: tuple[str, ...], cache: BuildCache) -> list[_Read]:
    """Each draw file's fields, their positions, its language gaps (warnings) and its
    problems, with the draw it describes if it has no problems, in the order of `files`.

    `cache` may keep what a file held (by its bytes, its displayed path and the
    languages), so that it is not parsed again. Many files to parse are shared
    between processes (`parallel.forking`).
    """
    shown = display_paths(files, root)

    def parse(todo: list[tuple[int, bytes | None]]) -> list[tuple[object, bool]]:
        def one(item: tuple[int, bytes | None]) -> tuple[tuple, list[Problem]]:
            index, raw = item
            return _parse_draw(Path(files[index]), root, shown[index], raw, hints, languages)

        processes = forking.workers() if len(todo) >= PARALLEL_PARSE else 1
        return [(_plain(result), result[0][1] is not None)  # kept when it has positions
                for result in forking.ordered_map(one, todo, processes)]

    return cache.parsed([(path, (name, languages)) for path, name in zip(
        files, shown, strict=True)], parse, _finish)


def _plain(result: tuple[tuple, list[Problem]]) -> tuple:
    """A parse result as plain data (for the build cache, which refuses every class but
    a few plain types: a round identifier is kept as its number and letter)."""
    (data, marks, gaps, shown), problems = result
    rounds = tuple(key for key, value in data.items() if isinstance(value, RoundId)) \
        if isinstance(data, dict) else ()
    if rounds:
        data = {key: (value.number, value.letter) if key in rounds else value
                for key, value in data.items()}
    return ((data, marks, tuple(p.as_tuple() for p in gaps), shown, rounds),
            tuple(p.as_tuple() for p in problems))


@dataclass(frozen=True)
class _Read:
    """What one draw file held, as the loader checks it against the others."""

    data: dict | None  # its fields (None: unreadable)
    marks: dict | None  # field -> (line, column)
    gaps: tuple[Problem, ...]  # language gaps (warnings)
    shown: str  # its path as editors know it
    problems: tuple[Problem, ...]  # what is wrong with the file on its own
    draw: Draw | None  # the draw, if the file has no problems


def _finish(value: object) -> _Read:
    """A parse result (plain data, as the build cache keeps it) made into the draw: a
    function of the value alone, so a cache kept in memory keeps it with the value."""
    (data, marks, gaps, shown, rounds), problems = value  # type: ignore[misc]
    if rounds:
        data = {key: RoundId(*item) if key in rounds else item for key, item in data.items()}
    found = tuple(Problem(*p) for p in problems)
    draw = _make_draw(data, shown) if data is not None and not found else None
    return _Read(data, marks, tuple(Problem(*p) for p in gaps), shown, found, draw)


def _draw_files(root: Path, problems: list[Problem]) -> list[str]:
    """Every entry file under draws/, sorted, folders and files starting with '.' left out;
    anything that is not a regular file inside the content folder is a problem."""
    listing = sitefiles.walk(root / "draws", sitefiles.real_roots([root]), hidden=False)
    problems.extend(sitefiles.problems(listing, root))
    files: list[str] = []
    for found in listing.files:
        if not found.path.lower().endswith(YAML_SUFFIXES):
            problems.append(Problem(display_path(found.path, root), 1, 1, "file",
                                    "ignored: not a .yaml file (draw entries end in .yaml)",
                                    severity="warning"))
            continue
        files.append(found.path)
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
        corrections=tuple(Correction(c["at"], c["by"], c.get("field"), c.get("from"),
                                     c.get("to"), c.get("note", {}))
                          for c in data.get("corrections", ())),
    )


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
    shown, marks = "", {}

    def fail(name: str, message: str) -> None:
        line, col = marks.get(name, marks[""])
        problems.append(Problem(shown, line, col, name, message))

    for read in _read_draws(files, root, hints, languages, cache):
        data, shown, draw = read.data, read.shown, read.draw
        if draw is None or data is None or read.marks is None:
            problems.extend(read.problems)
            continue
        marks = read.marks
        if read.gaps:
            problems.extend(read.gaps)

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
        identity = draw.identity
        if identity in identities:
            fail("id" if "id" in data else "round" if "round" in data else "date",
                 f"the identifier '{identity}' (feed items, open data) is also "
                 f"{identities[identity]}'s (a unique 'round:' or 'id:' expected)")
            continue
        if draw.round is not None:
            rounds[draw.round] = shown
        slugs[draw.slug] = shown
        identities[identity] = shown
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
    site = load_site(root, problems)
    languages = site.languages if site is not None else (PLAIN_LANGUAGE,)
    problems.extend(site_file_problems(root, templates, languages))
    count = len(problems)
    categories = read_categories(root, problems, languages)
    categories_ok = len(problems) == count
    positions: Positions = {}
    draws = _load_draws(root, categories, problems, check_categories=categories_ok,
                        languages=languages, positions=positions,
                        allow_empty_pools=allow_empty_pools, cache=cache)
    problems.extend(suspicious(draws, positions))
    posts = load_posts(root, categories, languages, categories_ok,
                       {draw.source: ("draw", draw.slug) for draw in draws}, problems)
    if site is None or any(p.severity == "error" for p in problems):
        return Loaded(None, problems)
    draws.sort(key=lambda d: d.sort_key)
    posts.sort(key=lambda p: (p.date, p.slug))
    return Loaded(Content(site, categories, tuple(draws), tuple(posts)), problems, positions)


def load_or_raise(root: Path, templates: Path | None = None,
                  cache: BuildCache = NO_CACHE) -> tuple[Content, list[Problem]]:
    """Load content; raise `ContentError` carrying every error if there are any."""
    loaded = load_content(root, templates, cache=cache)
    if loaded.content is None:
        raise ContentError(loaded.errors)
    return loaded.content, loaded.warnings
