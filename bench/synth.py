"""Write a seeded synthetic site in drawdesk's own format.

    python bench/synth.py --draws 500 /tmp/site
    python bench/synth.py --draws 438 --density 40 --languages en,fr /tmp/record

Realistic categories (the bundled categories.yaml), weekdays spread over the
years before 2026, figures in the ranges IRCC's rounds use. The same seed
always writes the same files.

By default the draws are packed densely (about one a calendar day, so 1,000
draws cover under three years). `--density` spreads them at that many draws a
year instead, ending on 2025-12-31: IRCC has held about 40 a year, and 438
draws at 40 a year span 2015 to 2025, the real record's shape. `--languages
en,fr` writes a bilingual site (both editions, like the bundled sample).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (key, type, invitations range, CRS range, weight)
PROFILES = [
    ("canadian-experience-class", "program", (1000, 5000), (500, 560), 5),
    ("provincial-nominee-program", "program", (300, 1500), (650, 820), 6),
    ("general", "program", (2000, 7000), (470, 560), 3),
    ("french-language", "category-based", (1000, 7500), (370, 480), 3),
    ("healthcare", "category-based", (500, 4000), (430, 520), 2),
    ("stem", "category-based", (500, 4500), (480, 560), 1),
    ("trades", "category-based", (1000, 2000), (430, 500), 1),
    ("transport", "category-based", (900, 1500), (420, 440), 1),
    ("agriculture", "category-based", (100, 1000), (350, 390), 1),
    ("education", "category-based", (1000, 2500), (470, 480), 1),
]
SITE = """\
# yaml-language-server: $schema=../schema/site.schema.json
title: Synthetic Draw Desk
base_url: https://example.org/news/
description: A synthetic site of {count} draws for tests and benchmarks.
publisher:
  name: Synthetic Newsroom
  url: https://newsroom.example.com/
disclaimer: This article is for general information only and does not constitute legal advice.
items_per_page: 20
"""
# A site with several editions: every text in each language, and the bundled sample's
# page sizes (10 a list page, 50 a feed), which the real record's site uses: 438 draws
# at 40 a year in English and French make 1,091 pages, the real record 1,103.
SITE_MULTILINGUAL = """\
# yaml-language-server: $schema=../schema/site.schema.json
title:
  en: Synthetic Draw Desk
  fr: Suivi synthétique des rondes
base_url: https://example.org/news/
language: en-CA
languages: [{languages}]
description:
  en: A synthetic site of {count} draws for tests and benchmarks.
  fr: Un site synthétique de {count} rondes pour les tests et les bancs d’essai.
publisher:
  name: Synthetic Newsroom
  url: https://newsroom.example.com/
disclaimer:
  en: This article is for general information only and does not constitute legal advice.
  fr: Cet article est fourni à titre informatif seulement et ne constitue pas un avis juridique.
items_per_page: 10
feed_items: 50
"""
LANGUAGES = ("en", "fr")  # the editions the bundled templates are written in


def site_yaml(draws: int, languages: tuple[str, ...] = ("en",)) -> str:
    """The site's settings: one edition per language, English first."""
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages or len(set(languages)) != len(languages):
        raise ValueError(f"languages: {', '.join(languages) or 'none'} "
                         f"(expected some of {', '.join(LANGUAGES)}, each once)")
    if languages == ("en",):
        return SITE.format(count=draws)
    return SITE_MULTILINGUAL.format(count=draws, languages=", ".join(languages))


def days_spanned(draws: int, density: float | None) -> int:
    """How many days before the end the draws are spread over: `density` draws a
    year, or (None) about one a calendar day, at least 60 days."""
    if density is None:
        return max(draws // 2, 30) * 2
    if density <= 0:
        raise ValueError(f"density: {density} (expected draws a year, above 0)")
    return max(round(draws * 365.25 / density), 1)


def write_site(target: Path, draws: int, seed: int = 1, density: float | None = None,
               languages: tuple[str, ...] = ("en",)) -> list[Path]:
    """Create `target/content` with `draws` entries; return the entry paths.

    `density`: draws a year (the last on or before 2025-12-31); None packs them about
    one a calendar day. `languages`: the site's editions ("en", "fr").
    """
    settings = site_yaml(draws, languages)
    span = days_spanned(draws, density)
    rng = random.Random(seed)
    content = target / "content"
    folder = content / "draws"
    folder.mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(settings, encoding="utf-8")
    shutil.copy(ROOT / "content" / "categories.yaml", content / "categories.yaml")
    weights = [p[4] for p in PROFILES]
    end = dt.date(2025, 12, 31)
    rows = []
    used: set[tuple[dt.date, str]] = set()
    for _ in range(draws):
        profile = rng.choices(PROFILES, weights)[0]
        day = end - dt.timedelta(days=rng.randrange(span))
        while day.weekday() >= 5 or (day, profile[0]) in used:  # IRCC draws on weekdays
            day -= dt.timedelta(days=1)
        used.add((day, profile[0]))
        rows.append((day, profile))
    rows.sort(key=lambda row: (row[0], row[1][0]))
    paths = []
    for number, (day, (key, kind, inv, crs, _)) in enumerate(rows, start=1):
        tie = dt.datetime.combine(day - dt.timedelta(days=rng.randrange(10, 200)),
                                  dt.time(rng.randrange(24), rng.randrange(60),
                                          rng.randrange(60)))
        path = folder / f"{day}-{key}.yaml"
        path.write_text(
            "# yaml-language-server: $schema=../schema/draw.schema.json\n"
            f"round: {number}\ndate: {day}\ntype: {kind}\ncategory: {key}\n"
            f"invitations: {rng.randrange(*inv)}\nmin_crs: {rng.randrange(*crs)}\n"
            f"tie_break: {tie.isoformat()}Z\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--density", type=float, default=None, metavar="N",
                        help="draws a year (IRCC: about 40); default: about one a day")
    parser.add_argument("--languages", type=language_list, default=("en",), metavar="LIST",
                        help="the editions, comma-separated (default: en; both: en,fr)")
    args = parser.parse_args()
    try:
        write_site(args.target, args.draws, args.seed, args.density, args.languages)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"wrote {args.draws} draws to {args.target / 'content'}")


def language_list(text: str) -> tuple[str, ...]:
    """`en,fr` -> ("en", "fr"), for --languages."""
    languages = tuple(part.strip() for part in text.split(",") if part.strip())
    try:
        site_yaml(0, languages)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return languages


if __name__ == "__main__":
    main()
