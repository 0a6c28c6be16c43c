"""Describe every page of one language edition, to be rendered with Jinja2.

Stage 4 of the pipeline: `SiteData` in, page `Task`s out. Each task says which
template renders the page and what its bytes are made from (its `Recipe`);
the build cache decides which ones to render (see `core.caching`). Templates
hold the markup and the prose; this module only decides which template gets
which data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

from markupsafe import Markup

from ..core.caching import NO_CACHE, BuildCache, Reads, Recipe, Task
from ..core.models import Draw, Post
from ..core.outputs import Alternate, OutputFile
from ..derive.facts import Page, SiteData, paginate
from . import formatting, jsonld, listings
from .catalogue import Catalog, load_catalog
from .chartdata import Figures
from .entry import Entry, Told, make_entries
from .posts import PostEntry, link_targets, make_post_entry, post_body, post_jsonld
from .sharecards import ShareCards
from .templating import make_environment
from .urls import SiteLinks, Urls, output_path

Trail = list[tuple[str, str]]  # breadcrumbs: (name, page path), the current page last
Later = dict[str, tuple]  # context values made only if the page is rendered: name -> args


class Edition:
    """Describes the pages of one language edition, and renders them when asked."""

    def __init__(self, data: SiteData, template_dirs: list[Path], lang: str,
                 urls: Urls, head_extra: str = "",
                 alternates: Callable[[str, str], tuple[Alternate, ...]] | None = None,
                 roots: tuple[str, ...] | None = None, cache: BuildCache = NO_CACHE,
                 share: Callable[[Catalog], ShareCards] | None = None):
        self.data = data
        self.lang = lang
        self.urls = urls
        self.cache = cache
        self.alternates = alternates or (lambda lang, page: ())
        self.env = make_environment(template_dirs, lang, roots, cache.stored("templates"))
        self.t: Catalog = load_catalog(template_dirs, lang)
        self.figures = Figures(self.t, lang, data.categories)
        self.share = share(self.t) if share is not None else None
        site = data.site
        self.lang_tag = site.tag(lang)
        # Site-wide mappings: a page depends only on the items it reads from them.
        self.entries: dict[str, Entry] = cache.watch(f"{lang}:entries", cache.incremental(
            f"{lang}:entries", partial(make_entries, data.facts, self.t, lang,
                                       site.disclaimer[lang])))
        # Listings show only each draw's headline: reading it from here, not from the
        # entry, keeps them off the entry's facts (year-to-date totals...).
        self.titles: dict[str, str] = cache.watch(
            f"{lang}:titles", {slug: entry.title for slug, entry in self.entries.items()})
        self.posts: dict[str, PostEntry] = cache.watch(f"{lang}:posts", {
            post.slug: make_post_entry(post, lang, site, data.categories, self.t)
            for post in data.posts.posts})
        self.post_titles: dict[str, str] = cache.watch(
            f"{lang}:post_titles", {slug: entry.title for slug, entry in self.posts.items()})
        # What links between entries may point at in this build.
        self.published = {("draw", d.slug) for d in data.draws} | {
            ("post", p.slug) for p in data.posts.posts}
        self._bodies: dict[str, Markup] = {}
        self._rows: dict[Urls, dict[str, tuple[str, Reads]]] = {}
        self.base_context = {
            "site": site, "lang": lang, "lang_tag": self.lang_tag, "urls": urls, "t": self.t,
            "links": SiteLinks.of(urls),
            "site_title": site.title[lang],
            "categories": cache.watch(f"{lang}:categories", data.categories),
            "entries": self.entries, "titles": self.titles, "post_titles": self.post_titles,
            "head_extra": Markup(head_extra), "jsonld": [],
            "prev_page": None, "next_page": None, "alternates": (), "breadcrumbs": [],
            "noindex": False, "og_locale": self.lang_tag.replace("-", "_"),
            "card": self.share.site_image() if self.share else None,
        }
        # What every page of the edition depends on besides its own inputs: its settings
        # (the site's data reaches pages only through their inputs and watched mappings).
        self.scope = {"lang": lang, "lang_tag": self.lang_tag, "urls": urls, "t": self.t,
                      "alternates": self.alternates, "figures": self.figures,
                      "base_context": self.base_context}

    # -- helpers -----------------------------------------------------------------------
    def recipe(self, template: str, path: str, kind: str, lastmod: str | None,
               listed: bool = True, later: Later | None = None,
               **context: object) -> Recipe:
        """A page; `listed` pages have a URL (sitemap), others (404.html) do not. `later`
        names context values made only if the page is rendered, with their arguments."""
        alternates = self.alternates(self.lang, path)
        context = {"alternates": alternates, **context}
        file = OutputFile(output_path(path), b"", kind, path if listed else None, lastmod,
                          alternates if listed else ())
        return Recipe(file, self.scope, (template, path, context, later or {}),
                      partial(self.render, template, path, context, later))

    def render(self, template: str, path: str, context: dict[str, object],
               later: Later | None = None) -> bytes:
        """Render one page (the values `later` names are made first)."""
        full = {**self.base_context, "page_path": path, **context}
        for name, args in (later or {}).items():
            full[name] = self._make_later(name, args)
        return self.env.get_template(template).render(full).encode("utf-8")

    def _make_later(self, name: str, args: tuple) -> object:
        """A context value that only a rendered page needs (see `_recipe`)."""
        if name == "body":
            return self.article_body(*args)
        if name == "jsonld":  # an article's, or a post's
            return post_jsonld(*args) if isinstance(args[0], PostEntry) else jsonld.article(*args)
        if name == "figures":
            return self.figures.category(*args)
        if name == "post_content":
            return self.post_content(*args)
        raise ValueError(f"no later value named {name!r}")

    def article_body(self, entry: Entry, urls: Urls, feed: bool = False) -> Markup:
        """The article's sections; also the full content of feed items (`feed`),
        which leave out the table of the year's draws."""
        if not feed:  # a page: rendered once, not worth keeping
            return self._render_body(entry, urls, feed)
        if entry.draw.slug not in self._bodies:  # feed items: shared by several feeds
            self._bodies[entry.draw.slug] = Markup(self.cache.fragment(
                self.scope, ("article_body", entry, urls, feed),
                partial(self._render_body, entry, urls, feed)))
        return self._bodies[entry.draw.slug]

    def _render_body(self, entry: Entry, urls: Urls, feed: bool) -> Markup:
        template = self.env.get_template(f"article_body.{self.lang}.html")
        return Markup(template.render(
            **{**self.base_context, "urls": urls}, draw=entry.draw, f=entry.facts,
            cat=entry.category, sections=entry.sections, faq=entry.faq,
            corrections=entry.corrections, disclaimer=entry.disclaimer, in_feed=feed,
            linked_rows=lambda draws: self.linked_rows(draws, urls)))

    def post_content(self, entry: PostEntry, urls: Urls, feed: bool = False) -> Markup:
        """A post's body, FAQ, related draws and disclaimer (`post_body.html`), for its
        page and, with absolute links (`feed`), for feed items."""
        key = f"post:{entry.post.slug}"
        if not feed:
            return self._render_post(entry, urls, feed)
        if key not in self._bodies:
            self._bodies[key] = Markup(self.cache.fragment(
                self.scope, ("post_body", entry, urls, self._links(entry.post, urls),
                             self.data.posts.related.get(entry.post.slug, ())),
                partial(self._render_post, entry, urls, feed)))
        return self._bodies[key]

    def _links(self, post: Post, urls: Urls) -> dict[str, str | None]:
        return link_targets(post, urls, self.published)

    def _render_post(self, entry: PostEntry, urls: Urls, feed: bool) -> Markup:
        template = self.env.get_template("post_body.html")
        return Markup(template.render(
            **{**self.base_context, "urls": urls}, entry=entry, post=entry.post,
            body=post_body(entry, self._links(entry.post, urls)), faq=entry.faq,
            related=self.data.posts.related.get(entry.post.slug, ()),
            corrections=entry.corrections, disclaimer=entry.disclaimer, in_feed=feed))

    def linked_rows(self, draws: Sequence[Draw], urls: Urls) -> Markup:
        """Table rows linking to `draws`, from `year_row.html`.

        A draw's row is the same on every article whose year table lists it, so
        it is rendered once per build and reused; each use counts the reads its
        render made (the category's label) as the page's own.
        """
        template = self.env.get_template("year_row.html")
        made = self._rows.setdefault(urls, {})
        parts: list[str] = []
        reads: set[Reads] = set()  # rows mostly read the same few items: few sets
        for draw in draws:
            done = made.get(draw.slug)
            if done is None:
                done = made[draw.slug] = self.cache.recorded(partial(
                    template.render, **{**self.base_context, "urls": urls}, d=draw))
            parts.append(done[0])
            reads.add(done[1])
        self.cache.replay(*reads)
        return Markup("".join(parts))

    def post_pages(self) -> Iterator[Task]:
        for post in self.data.posts.posts:
            yield Task("article", partial(self._post_page, post))

    def _post_page(self, post: Post) -> Recipe:
        entry = self.posts[post.slug]
        page = self.urls.post(post.slug)
        year = post.date.year
        trail = self._crumbs((self.t.nav_archive, self.urls.archive()),
                             (str(year), self.urls.year(year)), (entry.title, page))
        titles = [e.title for e in self.posts.values()] + list(self.titles.values())
        title = entry.title if titles.count(entry.title) == 1 else \
            f"{entry.title} ({formatting.long_date(post.date, self.lang)})"
        card = self.share.post_image(post, entry.title) if self.share else None
        return self.recipe(
            "post.html", page, "article",
            formatting.w3c_moment(entry.updated) if entry.updated else post.date.isoformat(),
            entry=entry, post=post, og_type="article", published=post.published.isoformat(),
            page_title=self.heading_title(title), page_description=entry.summary,
            breadcrumbs=trail, entry_links=self._links(post, self.urls), card=card,
            related=self.data.posts.related.get(post.slug, ()),
            later={"post_content": (entry, self.urls),
                   "jsonld": (entry, self.data.site, self.urls, self.lang_tag, trail,
                              card.page if card else None)})

    def lastmod(self, draws) -> str | None:
        return draws[0].date.isoformat() if draws else None

    def _crumbs(self, *crumbs: tuple[str, str]) -> Trail:
        """Breadcrumbs from the home page to this page (the last crumb)."""
        return [(self.t.nav_home, self.urls.home()), *crumbs]

    def trail(self, *crumbs: tuple[str, str]) -> dict[str, object]:
        """Page context for breadcrumbs shown on the page and given as JSON-LD."""
        trail = self._crumbs(*crumbs)
        return {"breadcrumbs": trail, "jsonld": [jsonld.breadcrumbs(self.urls, trail)]}

    def page_crumb(self, page: Page, url_for) -> list[tuple[str, str]]:
        """A last breadcrumb for page 2 and later of a list."""
        if page.number == 1:
            return []
        return [(self.t.page_of.format(number=page.number, count=page.count),
                 url_for(page.number))]

    def paged(self, text: str, page: Page) -> str:
        """`text`, with "Page 2 of 5." after it on every page but the first."""
        if page.number == 1:
            return text
        return f"{text} {self.t.page_of.format(number=page.number, count=page.count)}."

    # -- pages -------------------------------------------------------------------------
    def _article_titles(self) -> dict[str, str]:
        """Each article's <title>; two draws with the same headline get their dates added."""
        counts = Counter(entry.title for entry in self.entries.values())
        date = formatting.long_date
        return {slug: self.heading_title(entry.title if counts[entry.title] == 1 else
                                         f"{entry.title} ({date(entry.draw.date, self.lang)})")
                for slug, entry in self.entries.items()}

    def articles(self) -> Iterator[Task]:
        titles = self._article_titles()
        for draw in self.data.draws:
            yield Task("article", partial(self._article, draw, titles))

    def _article(self, draw: Draw, titles: dict[str, str]) -> Recipe:
        entry = self.entries[draw.slug]
        page = self.urls.article(draw.slug)
        cat = entry.category
        card = self.share.article_image(draw, entry.facts.words.name[self.lang]) \
            if self.share else None
        trail = self._crumbs((self.t.nav_categories, self.urls.categories()),
                             (cat.name[self.lang], self.urls.category(cat.key)),
                             (formatting.long_date(draw.date, self.lang), page))
        updated = entry.facts.updated
        return self.recipe(
            "article.html", page, "article",
            formatting.w3c_moment(updated) if updated else draw.date.isoformat(),
            entry=entry, draw=draw, cat=cat, f=entry.facts, og_type="article",
            published=draw.published.isoformat(),
            page_title=titles[draw.slug],
            page_description=entry.summary, breadcrumbs=trail, card=card,
            later={"body": (entry, self.urls),
                   "jsonld": (entry, self.data.site, self.urls, self.lang_tag, trail,
                              card.page if card else None)})

    def home(self) -> Iterator[Task]:
        for page in paginate(self.data.timeline, self.data.site.items_per_page):
            yield Task("index", partial(self._home, page))

    def _home(self, page: Page) -> Recipe:
        site, t, stats = self.data.site, self.t, self.data.stats
        url_for = self.urls.home
        title = site.title[self.lang] if page.number == 1 else self.heading_title(
            t.home_heading_page.format(number=page.number))
        return self.recipe(
            "index.html", url_for(page.number), "index", self.lastmod(self.data.timeline),
            page=page, page_url=url_for, page_title=title,
            recent=stats.recent if page.number == 1 and stats else None,
            recent_chart=self.figures.recent(stats.recent)
            if page.number == 1 and stats else None,
            page_description=self.paged(site.description[self.lang], page),
            jsonld=[jsonld.website(site, self.urls, self.lang, self.lang_tag)]
            if page.number == 1 else [],
            prev_page=url_for(page.number - 1) if page.number > 1 else None,
            next_page=url_for(page.number + 1) if page.number < page.count else None)

    def heading_title(self, heading: str) -> str:
        """A page's <title>: its heading, then the site's title."""
        return f"{heading} | {self.data.site.title[self.lang]}"

    def corrected(self) -> tuple[tuple[Told, Draw | Post], ...]:
        """Every correction of the edition's articles and posts, newest first (then in
        timeline order, newest first)."""
        found = [(told, item) for item in self.data.timeline
                 for told in self.entry_of(item).corrections]
        return tuple(sorted(found, key=lambda item: item[0].at, reverse=True))

    def entry_of(self, item: Draw | Post) -> Entry | PostEntry:
        """A draw's or a post's entry in this edition."""
        if isinstance(item, Post):
            return self.posts[item.slug]
        return self.entries[item.slug]

    def page_and_title(self, item: Draw | Post) -> tuple[str, str]:
        """An article's or post's page path and headline."""
        if isinstance(item, Post):
            return self.urls.post(item.slug), self.post_titles[item.slug]
        return self.urls.article(item.slug), self.titles[item.slug]

    def cards(self) -> Iterator[Task]:
        """The edition's share cards (none with `cards: false`)."""
        if self.share is not None:
            yield from self.share.tasks(
                self.data.draws, lambda d: self.entries[d.slug].facts.words.name[self.lang],
                self.data.posts.posts, lambda p: self.posts[p.slug].title)

    def pages(self) -> Iterator[Task]:
        """Every page of the edition, in a stable order."""
        yield from self.articles()
        yield from self.post_pages()
        yield from self.home()
        yield from listings.category_pages(self)
        yield from listings.list_pages(self)
