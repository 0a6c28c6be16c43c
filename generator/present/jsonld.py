"""schema.org JSON-LD for pages, serialized so it can never end its <script>."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..core.models import Site
from .entry import Entry
from .urls import Urls


def dump(data: dict[str, Any]) -> Markup:
    """JSON safe inside <script>: '<', '>' and '&' escaped as \\u sequences."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


def article(entry: Entry, site: Site, urls: Urls, lang_tag: str,
            trail: list[tuple[str, str]]) -> list[Markup]:
    """NewsArticle, FAQPage and BreadcrumbList (`trail`: the visible breadcrumbs)."""
    url = urls.full(urls.article(entry.draw.slug))
    when = entry.draw.published.isoformat()  # the draw's time, else its day alone
    updated = entry.facts.updated  # the latest correction
    news = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": entry.title,
        "description": entry.summary, "datePublished": when,
        "dateModified": updated.isoformat() if updated else when,
        "url": url, "mainEntityOfPage": url, "inLanguage": lang_tag,
        "author": organization(site, urls), "publisher": organization(site, urls),
        "articleSection": entry.category.name[lang_tag[:2]],
    }
    if entry.corrections:  # what the Corrections paragraph shows, correction by correction
        news["correction"] = [{"@type": "CorrectionComment", "text": told.full,
                               "datePublished": told.at.isoformat()}
                              for told in entry.corrections]
    faq = {
        "@context": "https://schema.org", "@type": "FAQPage",
        "mainEntity": [{"@type": "Question", "name": item.question,
                        "acceptedAnswer": {"@type": "Answer", "text": item.answer_text}}
                       for item in entry.faq],
    }
    return [dump(news), dump(faq), breadcrumbs(urls, trail)]


def organization(site: Site, urls: Urls) -> dict[str, Any]:
    """The publisher, with the page listing every correction (`correctionsPolicy`)."""
    return {"@type": "Organization", "name": site.publisher.name, "url": site.publisher.url,
            "correctionsPolicy": urls.full(urls.corrections())}


def website(site: Site, urls: Urls, lang: str, lang_tag: str) -> Markup:
    """The home page's WebSite: the site's name, address and language."""
    return dump({"@context": "https://schema.org", "@type": "WebSite",
                 "name": site.title[lang], "description": site.description[lang],
                 "url": urls.full(urls.home()), "inLanguage": lang_tag,
                 "publisher": organization(site, urls)})


def breadcrumbs(urls: Urls, trail: list[tuple[str, str]]) -> Markup:
    """A BreadcrumbList of (name, page path) pairs, the current page last."""
    items = [{"@type": "ListItem", "position": i, "name": name, "item": urls.full(page)}
             for i, (name, page) in enumerate(trail, start=1)]
    return dump({"@context": "https://schema.org", "@type": "BreadcrumbList",
                 "itemListElement": items})
