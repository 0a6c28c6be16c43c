"""Which page shows which share card, and the cards as files of the site.

Sharing matters while a draw is news: by default (`cards: recent` in site.yaml)
each article (a draw's or a post's) dated within the RECENT_DAYS days up to the
build's "today" gets a card of its own, and every other page (home, categories,
statistics, lists, and older articles) the edition's site card; `cards: all` gives every article its
own; `cards: false` makes none, and pages then name no image. A card is a file
made through the build cache like a page: its key is the card's text and style
and the drawing's digest (layout, fonts, Pillow), so an incremental build or the
preview server draws it once per draw or post and language. A draw's card shows
its category and figures, a post's its title and date. Pillow is loaded only when
a card is drawn (`present.cards`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.caching import Recipe, Task
from ..core.models import Draw, Post, Site
from ..core.outputs import OutputFile
from ..core.problems import ContentError
from ..source.cardlayout import HEIGHT, WIDTH
from . import charts, formatting
from .catalogue import Catalog
from .urls import Urls

if TYPE_CHECKING:
    from .cards import Card, Layout, Renderer

RECENT_DAYS = 90
MEDIA_TYPE = "image/png"


@dataclass(frozen=True)
class CardImage:
    """A page's share card as its head and JSON-LD name it: where, how large, what it says."""

    page: str  # the file's path from the site root
    alt: str
    width: int = WIDTH
    height: int = HEIGHT
    type: str = MEDIA_TYPE


class Drawing:
    """The checked layout, and the renderer made from it when the first card is drawn (in
    each process that draws one)."""

    def __init__(self, template_dirs: list[Path]):
        from . import cards  # Pillow
        layout, problems = cards.load_layout(template_dirs)
        if layout is None:
            raise ContentError(problems)
        self.layout: Layout = layout
        self.digest = cards.drawing_digest(layout)
        self._renderer: Renderer | None = None

    def render(self, card: Card) -> bytes:
        if self._renderer is None:
            from .cards import Renderer
            self._renderer = Renderer(self.layout)
        return self._renderer.render(card)


def has_own_card(site: Site, item: Draw | Post, today: dt.date) -> bool:
    """Whether the article of `item` (a draw or a post) gets a card of its own (else the
    site card, or none)."""
    if site.cards == "all":
        return True
    return site.cards == "recent" and (today - item.date).days < RECENT_DAYS


class ShareCards:
    """The share cards of one edition: which page shows which, and the tasks making them."""

    def __init__(self, site: Site, categories: dict, lang: str, t: Catalog, urls: Urls,
                 today: dt.date, drawing: Drawing | None):
        self.site = site
        self.lang = lang
        self.t = t
        self.urls = urls
        self.today = today
        self.drawing = drawing if site.cards != "false" else None
        self._styles = {key: charts.series_style(i) for i, key in enumerate(categories)}

    # -- what pages show -------------------------------------------------------------
    def site_image(self) -> CardImage | None:
        if self.drawing is None:
            return None
        title, description = self.site.title[self.lang], self.site.description[self.lang]
        return CardImage(self.urls.site_card(),
                         self.t.card_site_alt.format(title=title, description=description))

    def article_image(self, draw: Draw, name: str) -> CardImage | None:
        """The card an article names: its own (`name`: its category's name on its
        date), or the site's."""
        if self.drawing is None or not has_own_card(self.site, draw, self.today):
            return self.site_image()
        figures = self._figures(draw)
        return CardImage(self.urls.article_card(draw.slug), self.t.card_alt.format(
            name=name, date=formatting.long_date(draw.date, self.lang),
            invitations=figures[0][0], crs=figures[1][0]))

    def post_image(self, post: Post, title: str) -> CardImage | None:
        """The card a post's page names: its own (`title`: its title in this edition),
        or the site's."""
        if self.drawing is None or not has_own_card(self.site, post, self.today):
            return self.site_image()
        return CardImage(self.urls.post_card(post.slug), self.t.card_post_alt.format(
            title=title, date=formatting.long_date(post.date, self.lang)))

    def own_card(self, item: Draw | Post) -> str | None:
        """The page path of the own card of `item` (a draw or a post), if it has one."""
        if self.drawing is None or not has_own_card(self.site, item, self.today):
            return None
        if isinstance(item, Post):
            return self.urls.post_card(item.slug)
        return self.urls.article_card(item.slug)

    def _figures(self, draw: Draw) -> tuple[tuple[str, str], ...]:
        return ((formatting.number(draw.invitations, self.lang), self.t.card_invitations),
                (formatting.number(draw.min_crs, self.lang), self.t.card_min_crs))

    # -- the files -------------------------------------------------------------------
    def tasks(self, draws: tuple[Draw, ...], name_of: Callable[[Draw], str],
              posts: tuple[Post, ...] = (), title_of: Callable[[Post], str] | None = None
              ) -> Iterator[Task]:
        """The site card, then each draw's and each post's own card, as build tasks
        (`name_of` a draw's category name on its date, `title_of` a post's title)."""
        if self.drawing is None:
            return
        yield Task("image", self._site_recipe)
        for draw in draws:
            if has_own_card(self.site, draw, self.today):
                yield Task("image", partial(self._draw_recipe, draw, name_of))
        for post in posts:
            if title_of is not None and has_own_card(self.site, post, self.today):
                yield Task("image", partial(self._post_recipe, post, title_of))

    def _recipe(self, path: str, card: Card) -> Recipe:
        drawing = self.drawing
        assert drawing is not None
        return Recipe(OutputFile(path, b"", "image"), ("share card", drawing.digest), (card,),
                      partial(drawing.render, card))

    def _site_recipe(self) -> Recipe:
        from .cards import SiteCard
        return self._recipe(self.urls.site_card(), SiteCard(
            self.site.title[self.lang], self.site.description[self.lang], self.lang))

    def _draw_recipe(self, draw: Draw, name_of: Callable[[Draw], str]) -> Recipe:
        from .cards import DrawCard
        colour, marker = self._styles[draw.category]
        return self._recipe(self.urls.article_card(draw.slug), DrawCard(
            self.site.title[self.lang], name_of(draw), colour, marker,
            formatting.long_date(draw.date, self.lang), self._figures(draw), self.lang))

    def _post_recipe(self, post: Post, title_of: Callable[[Post], str]) -> Recipe:
        from .cards import PostCard
        colour = self._styles[post.categories[0]][0] if post.categories else charts.BAR
        return self._recipe(self.urls.post_card(post.slug), PostCard(
            self.site.title[self.lang], title_of(post),
            formatting.long_date(post.date, self.lang), self.lang, colour))
