"""Write a seeded synthetic site in drawdesk's own format.

    python bench/synth.py --draws 500 /tmp/site

Realistic categories (the bundled categories.yaml), weekdays spread over the
years before 2026, figures in the ranges IRCC's rounds use. The same seed
always writes the same files.
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


def write_site(target: Path, draws: int, seed: int = 1) -> list[Path]:
    """Create `target/content` with `draws` entries; return the entry paths."""
    rng = random.Random(seed)
    content = target / "content"
    folder = content / "draws"
    folder.mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(SITE.format(count=draws), encoding="utf-8")
    shutil.copy(ROOT / "content" / "categories.yaml", content / "categories.yaml")
    weights = [p[4] for p in PROFILES]
    end = dt.date(2025, 12, 31)
    span = max(draws // 2, 30)  # about two draws per day on average, at most
    rows = []
    used: set[tuple[dt.date, str]] = set()
    for _ in range(draws):
        profile = rng.choices(PROFILES, weights)[0]
        day = end - dt.timedelta(days=rng.randrange(span * 2))
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
    args = parser.parse_args()
    write_site(args.target, args.draws, args.seed)
    print(f"wrote {args.draws} draws to {args.target / 'content'}")


if __name__ == "__main__":
    main()
