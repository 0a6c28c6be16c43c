"""A post as one language edition presents it: its texts, its body in that edition's URLs,
its FAQ and its JSON-LD.

The body is the editor's Markdown rendered and sanitized exactly as an entry's sections
are (`present.sanitize`), its headings from h2 (it sits under the page's h1), and its
links to other entries by file path given the URL of that entry's page in the same
edition. The FAQ is built once for the visible list and the FAQPage JSON-LD.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from ..core.models import Category, Draw, Post, Site
from ..derive.facts import corrections_said
from .catalogue import Catalog
from .entry import FaqItem, Told, tell
from .jsonld import breadcrumbs, dump, organization
from .sanitize import plain_text, render_markdown
from .urls import Urls


@dataclass(frozen=True)
class PostEntry:
    """A post in one language: the editor's texts in that language (validation makes sure
    every published language has its title, summary and body)."""

    post: Post
    lang: str
    title: str
    summary: str
    disclaimer: str
    categories: tuple[Category, ...]
    corrections: tuple[Told, ...] = ()  # oldest first, in the words articles use

    @property
    def updated(self) -> dt.datetime | None:
        """When the post last changed after publication: its latest correction."""
        return self.corrections[-1].at if self.corrections else None

    @cached_property
    def faq(self) -> tuple[FaqItem, ...]:
        """The editor's questions in this language (never another language's)."""
        items = []
        for item in self.post.faq.get(self.lang, ()):
            html = render_markdown(item.answer)
            items.append(FaqItem(item.question, html, plain_text(str(html))))
        return tuple(items)


def make_post_entry(post: Post, lang: str, site: Site, categories: dict[str, Category],
                    t: Catalog) -> PostEntry:
    return PostEntry(post, lang, post.title[lang], post.summary[lang],
                     post.disclaimer.get(lang) or site.disclaimer[lang],
                     tuple(categories[key] for key in post.categories),
                     tuple(tell(said, t, lang) for said in corrections_said(post)))


def link_targets(post: Post, urls: Urls, published: set[tuple[str, str]]
                 ) -> dict[str, str | None]:
    """Each link of the body to another entry -> that page's URL in `urls`' edition, or
    None when the entry is not published in this build (a draft, or dated later)."""
    found: dict[str, str | None] = {}
    for target, kind, slug in post.links:
        if (kind, slug) not in published:
            found[target] = None
            continue
        page = urls.article(slug) if kind == "draw" else urls.post(slug)
        _, hash_, fragment = target.partition("#")
        found[target] = urls.link(page) + (hash_ + fragment if fragment else "")
    return found


def post_body(entry: PostEntry, links: dict[str, str | None]) -> Markup:
    """The post's body in its language, as HTML."""
    return render_markdown(entry.post.body[entry.lang], links, top=2)


def post_jsonld(entry: PostEntry, site: Site, urls: Urls, lang_tag: str,
                trail: list[tuple[str, str]], image: str | None = None) -> list[Markup]:
    """NewsArticle, FAQPage (when the post has questions) and BreadcrumbList: the same
    texts the page shows (`image`: the page path of the share card its og:image names)."""
    post = entry.post
    url = urls.full(urls.post(post.slug))
    when = post.published.isoformat()
    publisher = organization(site, urls)
    author = {"@type": "Person", "name": post.author} if post.author else publisher
    updated = entry.updated  # the latest correction
    news: dict[str, object] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": entry.title,
        "description": entry.summary, "datePublished": when,
        "dateModified": updated.isoformat() if updated else when,
        "url": url, "mainEntityOfPage": url, "inLanguage": lang_tag,
        "author": author, "publisher": publisher,
    }
    if image is not None:
        news["image"] = [urls.full(image)]
    if entry.corrections:  # what the Corrections paragraph shows
        news["correction"] = [{"@type": "CorrectionComment", "text": told.full,
                               "datePublished": told.at.isoformat()}
                              for told in entry.corrections]
    if entry.categories:
        news["articleSection"] = [cat.name[entry.lang] for cat in entry.categories]
    if post.tags:
        news["keywords"] = list(post.tags)
    blocks = [dump(news)]
    if entry.faq:
        blocks.append(dump({
            "@context": "https://schema.org", "@type": "FAQPage",
            "mainEntity": [{"@type": "Question", "name": item.question,
                            "acceptedAnswer": {"@type": "Answer", "text": item.answer_text}}
                           for item in entry.faq]}))
    return [*blocks, breadcrumbs(urls, trail)]


def related_draws(post: Post, related: dict[str, tuple[Draw, ...]]) -> tuple[Draw, ...]:
    """The latest draw of each of the post's categories as of its date, newest first."""
    return related.get(post.slug, ())
