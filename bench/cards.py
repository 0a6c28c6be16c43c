"""What a share card costs: Pillow's import, the first card, then N more, in one process.

    python bench/cards.py              # 1,000 draw cards, English and French
    python bench/cards.py --cards 100

Cards are made as a build would make them: one `Renderer` (fonts opened once),
the theme's layout, figures and dates in each edition's format, the category
styles of the charts. Prints times in milliseconds and the cards' sizes in
bytes; no figure here is a test (machines differ: compare figures of one run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KICKERS = {
    "en": ("Healthcare and social services occupations", "Canadian Experience Class",
           "French-language proficiency", "Provincial Nominee Program",
           "Science, technology, engineering and math (STEM)", "Trade occupations"),
    "fr": ("Professions des soins de santé et des services sociaux",
           "Catégorie de l’expérience canadienne", "Connaissance du français",
           "Programme des candidats des provinces",
           "Sciences, technologie, ingénierie et mathématiques (STIM)",
           "Métiers spécialisés"),
}
TITLES = {"en": "Express Entry Draw Desk", "fr": "Suivi des rondes d’Entrée express"}
LABELS = {"en": ("invitations", "minimum CRS score"), "fr": ("invitations", "note CRS minimale")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    args = parser.parse_args()

    start = time.perf_counter()
    from drawdesk.present import cards, charts  # Pillow comes in with cards
    from drawdesk.present import formatting as text
    imported = time.perf_counter() - start

    start = time.perf_counter()
    layout, problems = cards.load_layout([ROOT / "templates"])
    assert layout is not None, problems
    loaded = time.perf_counter() - start

    def card(i: int) -> cards.DrawCard:
        lang = ("en", "fr")[i % 2]
        k = (i // 2) % len(KICKERS[lang])
        colour, marker = charts.series_style(k)
        day = dt.date(2015, 1, 31) + dt.timedelta(days=9 * (i // 2))
        invitations, crs = 250 + (i * 37) % 7000, 300 + (i * 13) % 500
        return cards.DrawCard(
            TITLES[lang], KICKERS[lang][k], colour, marker, text.long_date(day, lang),
            ((text.number(invitations, lang), LABELS[lang][0]),
             (text.number(crs, lang), LABELS[lang][1])), lang)

    renderer = cards.Renderer(layout)
    start = time.perf_counter()
    first = renderer.render(card(0))
    first_time = time.perf_counter() - start

    made = [card(i) for i in range(1, args.cards + 1)]
    sizes, times = [], []
    for c in made:
        start = time.perf_counter()
        sizes.append(len(renderer.render(c)))
        times.append(time.perf_counter() - start)
    site = renderer.render(cards.SiteCard(TITLES["en"], "Every Express Entry round of "
                                          "invitations, explained as it is announced.", "en"))

    ms = 1000
    print(f"import drawdesk.cards (Pillow): {imported * ms:7.1f} ms")
    print(f"load and check the layout:       {loaded * ms:7.1f} ms")
    print(f"first card (opens its fonts):    {first_time * ms:7.1f} ms, {len(first):,} bytes")
    print(f"{len(made):,} more cards:               {sum(times):7.2f} s in all")
    print(f"  per card: median {statistics.median(times) * ms:.1f} ms, "
          f"mean {statistics.fmean(times) * ms:.1f} ms, max {max(times) * ms:.1f} ms")
    print(f"  size: min {min(sizes):,}, median {int(statistics.median(sizes)):,}, "
          f"max {max(sizes):,} bytes")
    print(f"site card: {len(site):,} bytes")


if __name__ == "__main__":
    main()
