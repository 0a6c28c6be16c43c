"""Audit a site imported from IRCC's complete rounds file: is every sentence true?

    python bench/audit_record.py ee_rounds_123_en.json [--site DIR]

Imports the file into a scratch site (bilingual, the bundled categories), builds both
editions, imports the file again (nothing may change) and checks every page against
IRCC's own records, one class of mistake at a time (issue "Every sentence true for
every real draw"). The expected values come from the file itself, read here by a
small reader of its own, not from drawdesk's derived facts. Prints one line per
class, then the problems found, and exits 1 if there are any. Not part of CI: it
takes about half a minute on IRCC's 438 rounds. Needs the test extras (lxml).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import lxml.etree
import lxml.html
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-08-21"
MONTHS = {m: i for i, m in enumerate(
    ("january february march april may june july august september october november "
     "december").split(), start=1)}
MOMENT = re.compile(  # IRCC's spellings, as far as this audit needs them
    r"(?P<month>[a-z]+)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?[,.]?\s*(?P<year>\d{4}),?\s*"
    r"(?:at\s*)?(?:\d{4}-\d\d-\d\d\s+)?(?P<h>\d{1,2}):(?P<m>\d\d):(?P<s>\d\d)\s*"
    r"(?P<ampm>am|pm)?\s*utc$")
SITE = """\
title: {en: Audit Desk, fr: Bureau d’audit}
base_url: https://example.org/news/
languages: [en, fr]
description: {en: Every round of IRCC's record., fr: Chaque ronde du registre d’IRCC.}
publisher: {name: Audit Newsroom, url: "https://newsroom.example.com/"}
disclaimer: {en: For information only., fr: À titre informatif seulement.}
"""


def read_moment(text: str) -> dt.datetime | None:
    """A UTC date-time as IRCC writes it, or None (no zone, no year, empty)."""
    found = MOMENT.search(" ".join(text.casefold().split()))
    if not found or found["month"] not in MONTHS:
        return None
    hour = int(found["h"])
    if found["ampm"] and hour <= 12:  # "04:22:17 AM"; a 24-hour "20:19:59 PM" stays 20
        hour = hour % 12 + (12 if found["ampm"] == "pm" else 0)
    return dt.datetime(int(found["year"]), MONTHS[found["month"]], int(found["day"]), hour,
                       int(found["m"]), int(found["s"]), tzinfo=dt.UTC)


@dataclass
class Round:
    raw: dict
    number: str
    date: dt.date
    name: str
    crs: int
    key: str = ""
    selection: str = ""
    occupation: bool = False
    slug: str = ""
    name_period: int = 0  # which of its category's names (categories.yaml `periods`) it has

    @property
    def draw_time(self) -> dt.datetime | None:
        moment = read_moment(self.raw["drawDateTime"])
        if moment and moment.date() in (self.date, self.date + dt.timedelta(days=1)):
            return moment
        return None

    @property
    def tie_break(self) -> dt.datetime | None:
        return read_moment(self.raw["drawCutOff"])

    @property
    def pool_total(self) -> int:
        return int(self.raw["dd18"].replace(",", "") or 0)


@dataclass
class Audit:
    checked: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def check(self, kind: str, ok: bool, what: str) -> None:
        self.checked[kind] += 1
        if not ok:
            self.problems[kind].append(what)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "drawdesk", *args], cwd=cwd,
                          capture_output=True, text=True, env=None)


def page_text(path: Path, drop_quoted: bool = False) -> tuple[str, lxml.html.HtmlElement]:
    doc = lxml.html.fromstring(path.read_bytes())
    if drop_quoted:  # IRCC's own (English) names on French pages, and column names
        for el in doc.xpath('//*[@lang="en"] | //code'):
            el.text = ""
            for child in list(el):
                el.remove(child)
    main = doc.find(".//main")
    node = main if main is not None else doc.find(".//body")
    return " ".join(node.text_content().split()), doc


def lede_of(text: str, lang: str) -> str:
    return text.split("Confirmed details" if lang == "en" else "Détails confirmés")[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="IRCC's rounds file (ee_rounds_123_en.json)")
    parser.add_argument("--site", type=Path, help="keep the scratch site in this folder")
    args = parser.parse_args()
    folder = args.site or Path(tempfile.mkdtemp(prefix="drawdesk-audit-"))
    if folder.exists():
        shutil.rmtree(folder)
    content = folder / "content"
    (content / "draws").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "categories.yaml", content / "categories.yaml")
    (content / "site.yaml").write_text(SITE, encoding="utf-8")
    audit = Audit()
    try:
        report = audit_site(args.source, folder, audit)
    finally:
        if args.site is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(report)
    for kind in audit.checked:
        found = audit.problems.get(kind, [])
        print(f"{kind:<56} {audit.checked[kind]:>5} checked, {len(found)} problem(s)")
    for kind, found in audit.problems.items():
        print(f"\n{kind}:")
        for line in found[:15]:
            print(f"  {line}")
        if len(found) > 15:
            print(f"  ... and {len(found) - 15} more")
    return 1 if audit.problems else 0


def audit_site(source: Path, folder: Path, audit: Audit) -> str:
    content, output = folder / "content", folder / "output"
    imported = run("import", "ircc", str(source.resolve()), "--content", str(content),
                   cwd=ROOT)
    if imported.returncode != 0:
        raise SystemExit(f"import failed:\n{imported.stderr}")
    built = run("build", "--content", str(content), "--output", str(output), "--now", NOW,
                "--quiet", cwd=ROOT)
    if built.returncode != 0:
        raise SystemExit(f"build failed:\n{built.stdout}{built.stderr}")
    before = {p: p.read_bytes() for p in (content / "draws").iterdir()}
    again = run("import", "ircc", str(source.resolve()), "--content", str(content), cwd=ROOT)
    after = {p: p.read_bytes() for p in (content / "draws").iterdir()}
    audit.check("import: a second import changes no byte", before == after,
                again.stdout.splitlines()[-1])

    rounds = read_rounds(source, content)
    slugs = {}  # round -> the article's slug
    for path in (content / "draws").iterdir():
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        slugs[str(entry.get("round"))] = entry.get("slug") or path.stem
    for r in rounds:
        r.slug = slugs.get(r.number, "")
        audit.check("rounds 91a and 91b shown", bool(r.slug),
                    f"round {r.number}: no entry carries this round")
    rounds = [r for r in rounds if r.slug]
    check_articles(rounds, output, audit, imported.stderr)
    check_open_data(rounds, output, audit)
    check_feeds(rounds, output, audit)
    check_every_page(output, audit)
    return "Import report:\n" + "\n".join("  " + line.split(": ", 1)[1]
                                          for line in imported.stderr.splitlines())


def read_rounds(source: Path, content: Path) -> list[Round]:
    categories = yaml.safe_load((content / "categories.yaml").read_text(encoding="utf-8"))
    by_alias = {" ".join(a.split()).casefold(): c for c in categories["categories"]
                for a in c.get("aliases", [])}
    rounds = []
    for raw in json.loads(source.read_text(encoding="utf-8-sig"))["rounds"]:
        cat = by_alias[" ".join(raw["drawName"].split()).casefold()]
        date = dt.date.fromisoformat(raw["drawDate"])
        period = sum(1 for p in cat.get("periods", []) if date >= p["before"])
        rounds.append(Round(raw, raw["drawNumber"], date, raw["drawName"],
                            int(raw["drawCRS"].replace(",", "")), cat["key"], cat["selection"],
                            cat["occupation_based"], name_period=period))
    rounds.sort(key=lambda r: (r.date, int(re.match(r"\d+", r.number)[0]), r.number))
    return rounds


def check_articles(rounds: list[Round], output: Path, audit: Audit, report: str) -> None:
    first_category_day = min(r.date for r in rounds if r.selection == "category")
    seen_keys: set[tuple[str, int]] = set()
    seen_methods: set[str] = set()
    for r in rounds:
        method = ("occupation" if r.occupation else "category") if r.selection == "category" \
            else r.selection
        # the first draw of a category, or the first under one of its names
        first_of_key = (r.key, r.name_period) not in seen_keys
        first_of_method = method not in seen_methods
        seen_keys.add((r.key, r.name_period))
        seen_methods.add(method)
        if method == "occupation":
            seen_methods.add("category")
        for lang in ("en", "fr"):
            path = output / lang / "draws" / r.slug / "index.html"
            text, doc = page_text(path, drop_quoted=lang == "fr")
            full, _ = page_text(path)
            where = f"round {r.number} ({lang})"
            check_pool(r, lang, text, audit, where)
            check_tie_break(r, lang, text, audit, where)
            check_first(r, lang, text, first_of_key, first_of_method, audit, where)
            if r.date < first_category_day:
                pattern = r"category-based|categories" if lang == "en" else \
                    r"fondées? sur des catégories|catégories"
                found = re.search(pattern, text)
                audit.check("no category-based rounds before June 2023", found is None,
                            f"{where}: '{found and text[found.start() - 60:found.end() + 20]}'")
            if r.name.startswith("Healthcare occupations"):
                pattern = r"healthcare and social services" if lang == "en" else \
                    r"soins de santé et (des )?services sociaux"
                audit.check("2023-24 healthcare not 'healthcare and social services'",
                            re.search(pattern, text, re.I) is None, where)
            label = "IRCC’s name: " if lang == "en" else "Nom donné par IRCC : "
            audit.check("IRCC's round name in the key facts", label + r.name in full, where)
            check_published(r, lang, doc, full, audit, where)
            if r.number in ("91a", "91b"):
                shown = f"Round {r.number}" if lang == "en" else f"Ronde {r.number}"
                audit.check("rounds 91a and 91b shown", shown in full, where)
    for number in ("277", "322", "210"):  # the readable tie-breaks
        r = next(r for r in rounds if r.number == number)
        text, _ = page_text(output / "en" / "draws" / r.slug / "index.html")
        audit.check("readable tie-breaks 210, 277, 322 imported",
                    r.tie_break is not None and "tie-breaking rule decided" in text, number)
    audit.check("round 357's contradictory time reported",
                "round 357: drawDateTime: warning:" in report and "contradicts" in report, "357")


def check_pool(r: Round, lang: str, text: str, audit: Audit, where: str) -> None:
    shown = "CRS score range" in text or "Tranche de score SCG" in text
    audit.check("no zero distribution shown", shown == (r.pool_total > 0),
                f"{where}: total {r.pool_total}, table shown: {shown}")
    if not shown:
        return
    as_of = dt.datetime.strptime(r.raw["drawDistributionAsOn"], "%B %d, %Y").date()
    if lang == "en":
        said = "before the draw" if as_of < r.date else "after the draw" if as_of > r.date \
            else "the day of the draw"
    else:
        said = "avant la ronde" if as_of < r.date else "après la ronde" if as_of > r.date \
            else "jour de la ronde"
    audit.check("pool date before, on or after the draw", said in text, f"{where}: {said}")


def check_tie_break(r: Round, lang: str, text: str, audit: Audit, where: str) -> None:
    kind = "tie-break sentence names the cut-off, is true"
    moment = r.tie_break
    if lang == "en":
        bad = re.search(r"created an Express Entry profile|before the tie-breaking rule", text)
        audit.check(kind, bad is None, f"{where}: '{bad and bad[0]}'")
        if moment is None:
            audit.check(kind, "tie-breaking rule" not in text, f"{where}: a sentence without "
                        "a readable time")
            return
        sentence = (f"tied at the cut-off score of {r.crs}: of those, only candidates who "
                    "submitted their Express Entry profile before "
                    f"{moment:%B} {moment.day}, {moment.year} at {moment:%H:%M:%S} UTC were "
                    "invited")
        audit.check(kind, sentence in text, f"{where}: '{sentence}' not found")
    else:
        if moment is None:
            audit.check(kind, "départage" not in text, f"{where}: a sentence without a time")
            return
        sentence = (f"En cas d’égalité au score minimal de {r.crs}, la règle de départage "
                    "d’IRCC s’appliquait : parmi les candidats ayant ce score, seuls ceux qui "
                    "avaient soumis leur profil d’Entrée express avant le")
        audit.check(kind, sentence in text, f"{where}: the French sentence not found")


def check_first(r: Round, lang: str, text: str, first_of_key: bool, first_of_method: bool,
                audit: Audit, where: str) -> None:
    if first_of_key:
        words = (r"another round|another sign|another reminder|continues to target|"
                 r"continues to hold|remain a priority") if lang == "en" else \
            (r"une nouvelle ronde|un autre signe|une fois de plus|continue de cibler|"
             r"continue de tenir|demeurent une priorité")
        found = re.search(words, text)
        audit.check("no first draw says continue or remain", found is None,
                    f"{where}: '{found and found[0]}'")
    if first_of_method and r.selection != "general":
        found = re.search(r"continu", lede_of(text, lang))
        audit.check("no first draw says continue or remain", found is None,
                    f"{where}: the lede says '{found and found[0]}'")


def check_published(r: Round, lang: str, doc, full: str, audit: Audit, where: str) -> None:
    blocks = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    news = next(b for b in blocks if b["@type"] == "NewsArticle")
    expected = r.draw_time.isoformat() if r.draw_time else r.date.isoformat()
    audit.check("datePublished is IRCC's draw time (or the day)",
                news["datePublished"] == expected,
                f"{where}: {news['datePublished']} (expected {expected})")
    time = doc.xpath('//p[@class="byline"]//time/@datetime')
    audit.check("visible Published time equals datePublished", time == [expected],
                f"{where}: {time}")


def check_open_data(rounds: list[Round], output: Path, audit: Audit) -> None:
    rows = json.loads((output / "data" / "draws.json").read_text(encoding="utf-8"))["draws"]
    by_round = {row["round"]: row for row in rows}
    for r in rounds:
        row = by_round.get(r.number)
        audit.check("open data: every round, its identifier, time and name",
                    row is not None and row.get("ircc_name") == r.name and row.get("draw_time") == (
                        r.draw_time.isoformat().replace("+00:00", "Z") if r.draw_time else None),
                    f"round {r.number}: {row and (row['round'], row.get('draw_time'))}")
    order = [row["round"] for row in rows if row["date"] == "2018-05-30"]
    audit.check("rounds 91a and 91b shown", order == ["91a", "91b"], f"data order {order}")


def check_feeds(rounds: list[Round], output: Path, audit: Audit) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    by_id = {f"round-{r.number}": r for r in rounds}
    for lang in ("en", "fr"):
        for entry in lxml.etree.parse(str(output / lang / "atom.xml")).iter(f"{atom}entry"):
            r = by_id[entry.findtext(f"{atom}id").split("/")[-2 if lang == "fr" else -1]]
            published = dt.datetime.fromisoformat(entry.findtext(f"{atom}published"))
            expected = r.draw_time
            audit.check("feed items dated by the draw time",
                        published == expected if expected else published.date() == r.date,
                        f"round {r.number} ({lang}): {published} (expected {expected})")


FRENCH = [
    (r"\bCRS\b", "CRS instead of SCG"),
    (r"profil Entrée express|stratégie Entrée express", "missing d’ in d’Entrée express"),
    (r"\ben \d[\d\u00a0 ]* jours", "en N jours instead of depuis"),
    (r"\ben 1 ronde", "en 1 ronde"),
    (r"\b0\d h", "a leading zero on the hour"),
    (r"voudront peut-être|pourrait compter dans|lisez attentivement|la plus grande ronde",
     "calque"),
]


def check_every_page(output: Path, audit: Audit) -> None:
    for path in sorted(output.rglob("*.html")):
        french = "/fr/" in path.as_posix()
        doc = lxml.html.fromstring(path.read_bytes())
        text = " ".join(doc.find(".//body").text_content().split())
        nested = re.search(r"\([^()]*\(", text)
        audit.check("no nested parentheses", nested is None,
                    f"{path.relative_to(output)}: '{nested and text[nested.start():][:80]}'")
        for dd in doc.xpath('//section[@class="faq"]//dd'):
            sentences = re.split(r"(?<=[.?!])\s+", " ".join(dd.text_content().split()))
            grams = [grams_of(s) for s in sentences if s]
            twice = any(a & b for i, a in enumerate(grams) for b in grams[i + 1:])
            audit.check("FAQ answers say nothing twice", not twice,
                        f"{path.relative_to(output)}: {sentences}")
        if french:
            quoted, _ = page_text(path, drop_quoted=True)
            for pattern, rule in FRENCH:
                found = re.search(pattern, quoted)
                audit.check("French review", found is None,
                            f"{path.relative_to(output)}: {rule}: "
                            f"'{found and quoted[max(0, found.start() - 40):found.end() + 20]}'")


def grams_of(sentence: str) -> set[tuple[str, ...]]:
    same = {"every": "all", "programs": "program", "programmes": "programme"}
    words = [same.get(w, w) for w in re.findall(r"\w+", sentence.casefold())]
    return {tuple(words[i:i + 4]) for i in range(len(words) - 3)}


if __name__ == "__main__":
    sys.exit(main())
