"""Language editions: where each one lives and how its pages point at each other.

A monolingual site keeps every page at the root, as it always has. With two or
more languages each edition lives in its own folder (en/, fr/), the same page
has the same path in every folder, and each page names its translations as
hreflang alternates. `x-default` is the root's language choice for home pages
and the main language's page otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.models import Site
from ..core.outputs import Alternate

NOT_FOUND = "404.html"


def prefix(site: Site, lang: str) -> str:
    """The folder of an edition: '' on a monolingual site, else 'fr/'."""
    return f"{lang}/" if site.multilingual else ""


@dataclass(frozen=True)
class Editions:
    """The site's editions and the names of their languages."""

    site: Site
    names: dict[str, str]  # language -> its own name

    def alternates(self, lang: str, page: str) -> tuple[Alternate, ...]:
        """Every language version of `page` (a page path of edition `lang`), and x-default."""
        site = self.site
        if not site.multilingual or page.endswith(NOT_FOUND):
            return ()
        rest = page[len(prefix(site, lang)):]
        found = [Alternate(other, site.tag(other), prefix(site, other) + rest, self.names[other])
                 for other in site.languages]
        default = "" if rest == "" else prefix(site, site.main_language) + rest
        return (*found, Alternate("", "x-default", default, ""))

    def root(self) -> tuple[Alternate, ...]:
        """The alternates of the root page: the editions' home pages."""
        return self.alternates(self.site.main_language, prefix(self.site, self.site.main_language))
