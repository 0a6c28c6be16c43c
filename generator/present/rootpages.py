"""The root of a multilingual site: a page offering every edition, and a 404 in all of them."""

from __future__ import annotations

from ..core.outputs import OutputFile
from .editions import Editions
from .pages import Edition


def root_pages(editions: list[Edition], links: Editions) -> list[OutputFile]:
    """index.html (the language choice) and 404.html at the site root, in every language."""
    main = next(e for e in editions if e.lang == links.site.main_language)
    template = main.env.get_template("root.html")
    newest = main.data.draws[0].date.isoformat() if main.data.draws else None
    out = []
    for page, not_found in (("", False), ("404.html", True)):
        alternates = () if not_found else links.root()
        title = " | ".join(e.t.not_found_heading if not_found else e.data.site.title[e.lang]
                           for e in editions)
        description = " ".join(e.t.not_found_text if not_found else
                               e.data.site.description[e.lang] for e in editions)
        html = template.render(main.base_context | {
            "editions": editions, "main": main, "not_found": not_found, "page_path": page,
            "alternates": alternates, "page_title": title, "page_description": description,
            "noindex": not_found})
        out.append(OutputFile(page or "index.html", html.encode("utf-8"),
                              "other" if not_found else "index", None if not_found else page,
                              None if not_found else newest, alternates))
    return out
