"""An edition's post pages, and a post's content for its page and feed items: the part of
`pages.Edition` that presents posts (`present.posts` makes what it shows)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..core.caching import Recipe, Task
from ..core.models import Post
from . import formatting
from .posts import PostEntry, link_targets, post_body
from .urls import Urls

if TYPE_CHECKING:
    from .pages import Edition


class PostPages:
    """Mixed into `pages.Edition`: every name it reads is the edition's."""

    def post_content(self: Edition, entry: PostEntry, urls: Urls, feed: bool = False) -> Markup:
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

    def _links(self: Edition, post: Post, urls: Urls) -> dict[str, str | None]:
        return link_targets(post, urls, self.published)

    def _render_post(self: Edition, entry: PostEntry, urls: Urls, feed: bool) -> Markup:
        template = self.env.get_template("post_body.html")
        return Markup(template.render(
            **{**self.base_context, "urls": urls}, entry=entry, post=entry.post,
            body=post_body(entry, self._links(entry.post, urls)), faq=entry.faq,
            related=self.data.posts.related.get(entry.post.slug, ()),
            corrections=entry.corrections, disclaimer=entry.disclaimer, in_feed=feed))

    def post_pages(self: Edition) -> Iterator[Task]:
        for post in self.data.posts.posts:
            yield Task("article", partial(self._post_page, post))

    def _post_page(self: Edition, post: Post) -> Recipe:
        entry = self.posts[post.slug]
        page = self.urls.post(post.slug)
        year = post.date.year
        trail = self._crumbs((self.t.nav_archive, self.urls.archive()),
                             (str(year), self.urls.year(year)), (entry.title, page))
        titles = [e.title for e in self.posts.values()] + list(self.titles.values())
        title = entry.title if titles.count(entry.title) == 1 else \
            f"{entry.title} ({formatting.long_date(post.date, self.lang)})"
        card = self.share.post_image(post, entry.title) if self.share else None
        return self._recipe(
            "post.html", page, "article",
            formatting.moment(entry.updated) if entry.updated else post.date.isoformat(),
            entry=entry, post=post, og_type="article", published=post.published.isoformat(),
            page_title=self._title(title), page_description=entry.summary, breadcrumbs=trail,
            entry_links=self._links(post, self.urls), card=card,
            related=self.data.posts.related.get(post.slug, ()),
            later={"post_content": (entry, self.urls),
                   "jsonld": (entry, self.data.site, self.urls, self.lang_tag, trail,
                              card.page if card else None)})

