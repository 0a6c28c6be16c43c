"""What an article needs beyond the draw itself: title, summary, FAQ, overrides.

The FAQ is built here once and used for both the visible list and the
FAQPage JSON-LD, so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from markupsafe import Markup, escape

from ..core.models import Category, Draw
from ..derive.facts import Facts, Said
from .catalogue import Catalog
from .formatting import date_time, long_date, number
from .sanitize import plain_text, render_markdown


@dataclass(frozen=True)
class FaqItem:
    question: str
    answer_html: Markup
    answer_text: str


@dataclass(frozen=True)
class Told:
    """A correction as the article tells it, the same words on the page, in JSON-LD and in
    feeds: "Correction, March 4, 2026:" (`lead`), the generated sentence and the note."""

    at: dt.datetime
    lead: str
    sentence: str  # empty for a correction told by its note alone
    note: str

    @property
    def text(self) -> str:
        """The correction after its lead, as one text."""
        return " ".join(part for part in (self.sentence, self.note) if part)

    @property
    def full(self) -> str:
        return f"{self.lead} {self.text}"


def _figure(name: str, value: Any, lang: str) -> str:
    """A corrected figure as articles write it."""
    if name == "invitations":
        return number(value, lang)
    if isinstance(value, dt.datetime):
        return date_time(value, lang)
    if isinstance(value, dt.date):
        return long_date(value, lang)
    return str(value)


def tell(said: Said, t: Catalog, lang: str) -> Told:
    """A correction in words: which sentence is said is derived (`derive.facts.Said`)."""
    c = said.correction
    sentence = ""
    if said.kind == "figure":
        assert c.figure is not None
        dated = isinstance(c.new, dt.date)  # dates and date-times: "du ... au ..." in French
        change = _fill(t.correction_change_date if dated else t.correction_change_number,
                       old=_figure(c.figure, c.old, lang), new=_figure(c.figure, c.new, lang))
        sentence = _fill(t.correction_ircc if said.by == "ircc" else t.correction_editor,
                         what=t[f"correction_field_{c.figure}"], change=change)
    return Told(c.at, _fill(t.correction_lead, date=long_date(c.at.date(), lang)), sentence,
                c.note.get(lang, ""))


@dataclass(frozen=True)
class Entry:
    """A draw as one language edition presents it.

    The title is made with the entry (every listing needs it); the summary, the
    FAQ and the editor's sections only when a page or feed item shows them, so
    a build that renders few articles does not make them all.
    """

    draw: Draw
    facts: Facts
    category: Category
    title: str
    disclaimer: str
    lang: str
    catalog: Catalog = field(repr=False)

    @cached_property
    def summary(self) -> str:
        """The editor's summary in this language, else the generated one."""
        draw, prose, lang = self.draw, self.facts.words.prose, self.lang
        return draw.summary.get(lang) or _fill(
            self.catalog.draw_summary, invitations=number(draw.invitations, lang),
            invitees=prose.invitees[lang], date=long_date(draw.date, lang), crs=draw.min_crs)

    @cached_property
    def corrections(self) -> tuple[Told, ...]:
        """The article's corrections in words, oldest first."""
        return tuple(tell(said, self.catalog, self.lang) for said in self.facts.corrections)

    @cached_property
    def faq(self) -> tuple[FaqItem, ...]:
        return faq_for(self.draw, self.facts, self.catalog, self.lang)

    @cached_property
    def sections(self) -> dict[str, Markup]:
        return {key: render_markdown(text)
                for key, text in self.draw.sections.get(self.lang, {}).items()}


def _fill(template: str, **values: object) -> str:
    return template.format(**{k: str(v) for k, v in values.items()})


def default_faq(draw: Draw, facts: Facts, t: Catalog, lang: str) -> list[FaqItem]:
    cat, p = facts.category, facts.words.prose
    who = t.faq_who_answer_general if cat.general else t.faq_who_answer
    now = t.faq_now_answer_occupation if cat.occupation_based else t.faq_now_answer
    pairs = [
        (t.faq_who, _fill(who, invitees=p.invitees[lang])),
        (t.faq_cutoff, _fill(t.faq_cutoff_answer, crs=draw.min_crs)),
        (_fill(t.faq_always, people=p.people[lang], crs=draw.min_crs), t.faq_always_answer),
        (_fill(t.faq_now, people_in=p.people_in[lang]), now),
    ]
    return [FaqItem(q, Markup(f"<p>{escape(a)}</p>"), a) for q, a in pairs]


def faq_for(draw: Draw, facts: Facts, t: Catalog, lang: str) -> tuple[FaqItem, ...]:
    """The generated FAQ with the editor's entries in `lang` (never another language's)."""
    extra = []
    for item in draw.faq.get(lang, ()):
        html = render_markdown(item.answer)
        extra.append(FaqItem(item.question, html, plain_text(str(html))))
    if draw.faq_mode == "replace" and extra:
        return tuple(extra)
    return tuple(default_faq(draw, facts, t, lang) + extra)


def make_entry(facts: Facts, t: Catalog, lang: str, site_disclaimer: str) -> Entry:
    """The draw in `lang`: the editor's text in that language, else the generated text."""
    draw, cat = facts.draw, facts.category
    title = draw.title.get(lang) or _fill(t.draw_title, invitations=number(draw.invitations, lang),
                                label=facts.words.name[lang], crs=draw.min_crs)
    return Entry(draw, facts, cat, title, draw.disclaimer.get(lang) or site_disclaimer, lang, t)


def make_entries(facts: dict[str, Facts], t: Catalog, lang: str, site_disclaimer: str,
                 before: object | None = None) -> dict[str, Entry]:
    """Every draw's entry in `lang`, by slug. `before`: what this made in an earlier build
    (see `core.caching.BuildCache.incremental`); an entry of the same facts (the same
    object: derive keeps the facts of draws that did not change), in the same language,
    with an equal catalogue and the same disclaimer is the same, and is taken from it."""
    old: dict[str, Entry] = before if isinstance(before, dict) else {}
    equal: dict[int, bool] = {}  # id of a catalogue in `old` (alive) -> equal to `t`

    def same(entry: Entry | None, f: Facts) -> bool:
        if not isinstance(entry, Entry) or entry.facts is not f or entry.lang != lang or \
                entry.disclaimer != (f.draw.disclaimer.get(lang) or site_disclaimer):
            return False
        known = equal.get(id(entry.catalog))
        if known is None:
            known = equal[id(entry.catalog)] = entry.catalog is t or entry.catalog == t
        return known

    made: dict[str, Entry] = {}
    for slug, f in facts.items():
        entry = old.get(slug)
        made[slug] = entry if same(entry, f) else make_entry(  # type: ignore[assignment]
            f, t, lang, site_disclaimer)
    return made
