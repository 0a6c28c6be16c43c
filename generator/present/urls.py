"""Where every page lives: output paths and the URLs that point at them.

One place decides the site's URL scheme, so links, feeds, the sitemap and
the writer always agree, and a base URL with a path (https://x.org/news/)
works everywhere. Paths are built only from validated slugs and keys, and
`output_path` refuses anything that would leave the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..core.outputs import UnsafePath, check_relative  # noqa: F401 - part of this module's interface


@dataclass(frozen=True)
class Urls:
    """Builds links for one edition of the site.

    `prefix` is the language folder ("" for a monolingual site, "fr/" ...).
    With `absolute`, links carry scheme and host (for feeds).
    """

    base_url: str
    prefix: str = ""
    absolute: bool = False

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def link(self, page: str) -> str:
        """The URL of a page path such as 'draws/x/' or 'feed.xml'."""
        return (self.base_url if self.absolute else self.base_path) + page

    def full(self, page: str) -> str:
        return self.base_url + page

    def edition(self, prefix: str) -> Urls:
        return Urls(self.base_url, prefix, self.absolute)

    def with_absolute(self) -> Urls:
        return Urls(self.base_url, self.prefix, True)

    # -- the URL scheme, relative to the site root ----------------------------------
    def home(self, page: int = 1) -> str:
        return self.prefix + ("" if page == 1 else f"page/{page}/")

    def article(self, slug: str) -> str:
        return f"{self.prefix}draws/{slug}/"

    def post(self, slug: str) -> str:
        return f"{self.prefix}posts/{slug}/"

    def category(self, key: str, page: int = 1) -> str:
        return f"{self.prefix}category/{key}/" + ("" if page == 1 else f"page/{page}/")

    def category_feed(self, key: str) -> str:
        return f"{self.prefix}category/{key}/feed.xml"

    def category_json_feed(self, key: str) -> str:
        return f"{self.prefix}category/{key}/feed.json"

    def article_card(self, slug: str) -> str:
        """An article's own share card, beside its page."""
        return f"{self.prefix}draws/{slug}/card.png"

    def post_card(self, slug: str) -> str:
        """A post's own share card, beside its page."""
        return f"{self.prefix}posts/{slug}/card.png"

    def site_card(self) -> str:
        """The edition's site card: its list pages, and articles without a card of their own."""
        return f"{self.prefix}card.png"

    def year(self, year: int) -> str:
        return f"{self.prefix}{year}/"

    def archive(self) -> str:
        return f"{self.prefix}archive/"

    def categories(self) -> str:
        return f"{self.prefix}category/"

    def feed(self) -> str:
        return f"{self.prefix}feed.xml"

    def atom(self) -> str:
        return f"{self.prefix}atom.xml"

    def json_feed(self) -> str:
        return f"{self.prefix}feed.json"

    def corrections(self) -> str:
        """The page listing every correction, newest first."""
        return f"{self.prefix}corrections/"

    def corrections_feed(self) -> str:
        return f"{self.prefix}corrections/feed.xml"

    def stats(self) -> str:
        return f"{self.prefix}stats/"

    def data_page(self) -> str:
        """The page documenting the open data files."""
        return f"{self.prefix}data/"

    def data_json(self) -> str:
        return "data/draws.json"

    def data_csv(self) -> str:
        return "data/draws.csv"

    def data_posts(self) -> str:
        return "data/posts.json"

    def stylesheet(self) -> str:
        return "assets/style.css"


def output_path(page: str) -> str:
    """The file that serves a page path: 'draws/x/' -> 'draws/x/index.html'."""
    if page == "" or page.endswith("/"):
        page = page + "index.html"
    return check_relative(page)


@dataclass(frozen=True)
class SiteLinks:
    """The links in every page's head, header and footer, made once per edition
    (templates read `links.home` rather than calling `urls.link(urls.home())`
    a dozen times a page)."""

    home: str
    categories: str
    archive: str
    stats: str
    feed: str
    atom: str
    json_feed: str
    stylesheet: str
    data_page: str
    corrections: str
    corrections_feed: str

    @classmethod
    def of(cls, urls: Urls) -> SiteLinks:
        return cls(**{name: urls.link(getattr(urls, name)())
                      for name in cls.__dataclass_fields__})
