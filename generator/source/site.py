"""Reading site.yaml: the site's settings, each checked beyond its field's kind (a known time
zone, an address without query or fragment, a text for every published language)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.models import LANGUAGES, Publisher, Site
from ..core.problems import Problem
from .fields import SITE_FIELDS
from .reader import read_scalar
from .reading import named_file, positions, read_file

_FIELDS = {f.name: f for f in SITE_FIELDS}


def _query_or_fragment(url: str) -> str | None:
    """What is wrong with a site's address that has a query or a fragment (even an empty
    one): it would end up in every link."""
    if "?" in url or "#" in url:
        return (f"'{url}' has a query or a fragment, which would end up in every link (the "
                "address the site is published at, such as https://example.org/news/, "
                "expected)")
    return None


def timezone_problem(name: str) -> str | None:
    """What is wrong with a time zone's name, or None for a known IANA name."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ("'" + name + "' is not a known time zone (an IANA name such as "
                "America/Toronto expected)")
    return None


def read_base_url(text: str) -> str:
    """`text` (an option, an answer) read as site.yaml's base_url is, ending with '/'
    (ValueError with validate's message if it is not an address a site can have)."""
    value, problem = read_scalar(_FIELDS["base_url"], text)
    if problem is not None:
        raise ValueError(problem.message)
    wrong = _query_or_fragment(value)
    if wrong:
        raise ValueError(wrong)
    return value if value.endswith("/") else value + "/"


def read_site_value(name: str, text: str) -> str:
    """`text` read as the site.yaml text field `name` (publisher.name: 'publisher.name')
    would be (ValueError with validate's message)."""
    field = _FIELDS[name.split(".")[0]]
    for part in name.split(".")[1:]:
        field = next(f for f in field.fields if f.name == part)
    if field.kind == "langmap":  # one language's text
        field = field.items or replace(field, kind="str")
    value, problem = read_scalar(field, text)
    if problem is not None:
        raise ValueError(problem.message)
    return value


def load_site(root: Path, problems: list[Problem], raw: bytes | None = None) -> Site | None:
    """The settings of `root`/site.yaml (or, given `raw`, of that text as if it were the
    file: a site.yaml about to be written), or None; what is wrong goes to `problems`."""
    path = root / "site.yaml"
    if raw is None and not named_file(path, root, problems, "site.yaml not found (the "
                                                            "site's settings expected)"):
        return None
    count = len(problems)
    data, node, shown = read_file(path, root, SITE_FIELDS, problems, raw=raw)
    if data is None or len(problems) > count:
        return None
    marks = positions(node)
    timezone = data.get("timezone", "America/Toronto")
    wrong = timezone_problem(timezone)
    if wrong:
        line, col = marks.get("timezone", marks[""])
        problems.append(Problem(shown, line, col, "timezone", wrong))
        return None
    base_url = data["base_url"] if data["base_url"].endswith("/") else data["base_url"] + "/"
    wrong = _query_or_fragment(data["base_url"])
    if wrong:
        line, col = marks["base_url"]
        problems.append(Problem(shown, line, col, "base_url", wrong))
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
        new_rounds=data.get("import", {}).get("new_rounds", "publish"),
    )
