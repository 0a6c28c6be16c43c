"""Reading site.yaml: the site's settings, each checked beyond its field's kind (a known time
zone, an address without query or fragment, a text for every published language)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..core.models import LANGUAGES, Publisher, Site
from ..core.problems import Problem
from .fields import SITE_FIELDS
from .reading import named_file, positions, read_file


def load_site(root: Path, problems: list[Problem]) -> Site | None:
    """The settings of `root`/site.yaml, or None; what is wrong goes to `problems`."""
    path = root / "site.yaml"
    if not named_file(path, root, problems, "site.yaml not found (the site's settings "
                                             "expected)"):
        return None
    count = len(problems)
    data, node, shown = read_file(path, root, SITE_FIELDS, problems)
    if data is None or len(problems) > count:
        return None
    marks = positions(node)
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
        feed_items=data.get("feed_items", 50), cards=data.get("cards", "recent"),
        websub_hub=data.get("websub_hub"),
    )
