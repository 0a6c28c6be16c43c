"""Sharing a page: its share card in the built site, the metadata naming it, the news sitemap.

The bundled sample (both editions, built with --now 2026-01-01) has draws up
to 2025-12-17: its articles of the last 90 days get their own card, older ones
the site card. Cards are read back as images: size, format, and figures that
are really drawn.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

from click.testing import CliRunner
from lxml import etree
from PIL import Image

from drawdesk.cli import main
from drawdesk.present.sharecards import RECENT_DAYS
from drawdesk.source.cardlayout import read_layout
from tests.conftest import SAMPLE, SITE_YAML, SiteFolder, snapshot
from tests.sitepages import BASE_URL, pages

THEME = Path(__file__).resolve().parent.parent / "templates"
TODAY = dt.date(2025, 12, 31)  # --now 2026-01-01 is 2025-12-31 19:00 in Toronto
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_BYTES = 300 * 1024


def file_of(output: Path, url: str) -> Path:
    assert url.startswith(BASE_URL), url
    return output / url[len(BASE_URL):]


def cards_in(output: Path) -> list[str]:
    """Every card file of a built site, as sorted paths relative to it."""
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*.png"))


def set_cards(site: SiteFolder, setting: str) -> None:
    """site.yaml's `cards:` setting."""
    (site.content / "site.yaml").write_text(SITE_YAML + f"cards: {setting}\n",
                                            encoding="utf-8")


def build_with_cards(site: SiteFolder, setting: str) -> None:
    set_cards(site, setting)
    assert site.build().exit_code == 0


def assert_same_as_a_clean_build(site: SiteFolder) -> None:
    """The site's output is what a build of a copy of its content, with no cache, makes."""
    clean = site.root / "clean"
    shutil.copytree(site.content, clean / "content")
    result = CliRunner().invoke(main, ["build", "--content", str(clean / "content"),
                                       "--output", str(clean / "output"), "--now",
                                       "2026-01-01"])
    assert result.exit_code == 0
    assert snapshot(clean / "output") == snapshot(site.output)


def png(path: Path) -> Image.Image:
    data = path.read_bytes()
    assert len(data) < MAX_BYTES, f"{path}: {len(data)} bytes"
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1200, 630), path
    return image


def test_every_article_in_both_editions_names_a_card_that_is_there(sample_site: Path):
    articles = [p for p in pages(sample_site) if p.kind in ("article", "post")]
    assert {p.prefix for p in articles} == {"en/", "fr/"}
    assert {p.kind for p in articles} == {"article", "post"}  # draws' and posts' alike
    own = 0
    for page in articles:
        image = page.meta("og:image")
        assert image and page.meta("twitter:image") == image, page.rel
        assert page.meta("twitter:card") == "summary_large_image", page.rel
        assert page.meta("og:image:width") == "1200" and page.meta("og:image:height") == "630"
        assert page.meta("og:image:type") == "image/png"
        assert page.meta("og:image:alt") and page.meta("twitter:image:alt") == \
            page.meta("og:image:alt")
        assert page.meta("robots") == "max-image-preview:large", page.rel
        news = page.jsonld_of("NewsArticle")[0]
        assert news["image"] == [image], page.rel  # JSON-LD names what the page names
        png(file_of(sample_site, image))
        date = dt.date.fromisoformat(page.url_path.split("/")[-2][:10])
        if (TODAY - date).days < RECENT_DAYS:
            assert image == BASE_URL + page.url_path + "card.png", page.rel
            own += 1
        else:
            assert image == f"{BASE_URL}{page.prefix}card.png", page.rel
    assert own >= 10  # the sample's recent draws and its three posts, in two editions


def test_list_pages_name_their_editions_site_card(sample_site: Path):
    for page in pages(sample_site):
        if page.kind in ("article", "post"):
            continue
        prefix = page.prefix or "en/"  # the root pages: the main edition's
        assert page.meta("og:image") == f"{BASE_URL}{prefix}card.png", page.rel
    assert png(sample_site / "fr" / "card.png")


def test_a_recent_card_shows_its_figures_in_the_editions_format(sample_site: Path):
    layout, problems = read_layout([THEME])
    assert layout is not None, problems
    figures = layout.figures.box
    background = tuple(int(layout.background[i:i + 2], 16) for i in (1, 3, 5))
    crops = {}
    for lang in ("en", "fr"):
        image = png(sample_site / lang / "draws" / "2025-12-17-french-language" / "card.png")
        crop = image.convert("RGB").crop((figures.x, figures.y, figures.x + figures.width,
                                          figures.y + figures.height))
        colours = crop.getcolors(1 << 16)
        drawn = sum(n for n, colour in colours if colour != background)
        assert drawn > 0.05 * figures.width * figures.height, lang  # figures, not a blank
        crops[lang] = crop.tobytes()
    assert crops["en"] != crops["fr"]  # "6,000" and "6 000"


def test_two_builds_give_byte_identical_cards(sample_site: Path, tmp_path: Path):
    again = tmp_path / "again"
    result = CliRunner().invoke(main, ["build", "--content", str(SAMPLE), "--output",
                                       str(again), "--now", "2026-01-01", "--quiet"])
    assert result.exit_code == 0, result.output
    first = {k: v for k, v in snapshot(sample_site).items() if k.endswith(".png")}
    second = {k: v for k, v in snapshot(again).items() if k.endswith(".png")}
    assert first and first == second


def test_older_articles_share_the_site_card_and_make_no_card(site: SiteFolder):
    site.draw("old.yaml", date="2025-06-02", round=350)
    site.draw("new.yaml", date="2025-12-10", round=380, category="stem")
    assert site.build().exit_code == 0
    cards = cards_in(site.output)
    assert cards == ["card.png", "draws/2025-12-10-stem/card.png"]
    old = site.page("draws/2025-06-02-healthcare/index.html")
    assert f'content="{BASE_URL}card.png"' in old
    assert "Healthcare and social services occupations, December 10, 2025" not in old
    new = site.page("draws/2025-12-10-stem/index.html")
    assert ('<meta property="og:image:alt" content="Science, technology, engineering and '
            'math (STEM), December 10, 2025: 4,000 invitations, minimum CRS '
            'score 475">') in new


def test_cards_all_and_cards_false(site: SiteFolder):
    site.draw("old.yaml", date="2024-06-02", round=300)
    build_with_cards(site, "all")
    assert (site.output / "draws" / "2024-06-02-healthcare" / "card.png").is_file()
    build_with_cards(site, "false")
    assert cards_in(site.output) == []
    page = site.page("draws/2024-06-02-healthcare/index.html")
    assert "og:image" not in page and "twitter:image" not in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert "max-image-preview" not in page and '"image"' not in page


def test_cards_setting_is_checked_with_its_position(site: SiteFolder):
    set_cards(site, "some")
    result = site.build()
    assert result.exit_code == 1
    assert "site.yaml:9:8: cards: 'some' is not allowed (one of: recent, all, false " \
        "expected)" in result.output


def test_a_broken_card_layout_stops_the_build_with_its_position(site: SiteFolder):
    site.draw("a.yaml", date="2025-12-10")
    own = site.content / "templates" / "cards" / "layout.yaml"
    own.parent.mkdir(parents=True)
    text = (THEME / "cards" / "layout.yaml").read_text(encoding="utf-8")
    own.write_text(text.replace("bold: fonts/DejaVuSans-Bold.ttf", "bold: fonts/none.ttf"),
                   encoding="utf-8")
    result = site.build()
    assert result.exit_code == 1
    assert "layout.yaml:9:9: fonts.bold:" in result.output, result.output
    assert not site.output.exists()
    checked = CliRunner().invoke(main, ["validate", "--content", str(site.content)])
    assert checked.exit_code == 1 and "layout.yaml:9:9: fonts.bold:" in checked.output
    set_cards(site, "false")
    assert site.build().exit_code == 0  # no cards: the layout is not used


def test_cards_are_drawn_once_and_kept_by_later_builds(site: SiteFolder):
    site.draw("a.yaml", date="2025-12-10", round=380)
    site.draw("b.yaml", date="2025-12-12", round=381, category="stem")
    assert site.build().exit_code == 0
    card_a = site.output / "draws" / "2025-12-10-healthcare" / "card.png"
    card_b = site.output / "draws" / "2025-12-12-stem" / "card.png"
    before = card_a.stat().st_mtime_ns, card_b.stat().st_mtime_ns, card_a.read_bytes()
    site.draw("b.yaml", date="2025-12-12", round=381, category="stem", invitations=999)
    assert site.build().exit_code == 0
    assert card_a.stat().st_mtime_ns == before[0]  # a's card: kept as it was
    assert card_b.stat().st_mtime_ns != before[1]  # b's card: shows the new figure
    assert_same_as_a_clean_build(site)


# -- posts' cards ---------------------------------------------------------------------------
REVIEW = "posts/2025-12-31-healthcare-draws-in-2025/"


def drawn(image: Image.Image, box, background: tuple[int, int, int]) -> int:
    """How many pixels of `box` (a layout Box) differ from the background."""
    crop = image.convert("RGB").crop((box.x, box.y, box.x + box.width, box.y + box.height))
    return sum(n for n, colour in crop.getcolors(1 << 16) if colour != background)


def test_a_posts_card_shows_its_title_and_date_in_the_editions_language(sample_site: Path):
    layout, problems = read_layout([THEME])
    assert layout is not None, problems
    background = tuple(int(layout.background[i:i + 2], 16) for i in (1, 3, 5))
    cards = {lang: png(sample_site / lang / REVIEW / "card.png") for lang in ("en", "fr")}
    for lang, image in cards.items():
        title, date = layout.post_title.box, layout.post_date.box
        assert drawn(image, title, background) > 0.05 * title.width * title.height, lang
        assert drawn(image, date, background) > 0.01 * date.width * date.height, lang
    crop = [(b.x, b.y, b.x + b.width, b.y + b.height)
            for b in (layout.post_title.box, layout.post_date.box)]
    for box in crop:  # each edition's title, and "December 31, 2025" / "31 décembre 2025"
        assert cards["en"].crop(box).tobytes() != cards["fr"].crop(box).tobytes()
    # the band: the colour of its category, as on that category's draw cards
    draw_card = png(sample_site / "en" / "draws" / "2025-12-11-healthcare" / "card.png")
    band = (600, layout.band.y + layout.band.height // 2)
    assert cards["en"].convert("RGB").getpixel(band) == draw_card.convert("RGB").getpixel(band)
    assert cards["en"].convert("RGB").getpixel(band) != \
        png(sample_site / "en" / "card.png").convert("RGB").getpixel(band)
    english = [p for p in pages(sample_site) if p.rel == f"en/{REVIEW}index.html"][0]
    assert english.meta("og:image") == BASE_URL + "en/" + REVIEW + "card.png"
    assert english.meta("og:image:alt") == \
        "Healthcare draws in 2025: 7 rounds, 14,500 invitations, December 31, 2025"
    assert english.jsonld_of("NewsArticle")[0]["image"] == [english.meta("og:image")]


def write_post(site: SiteFolder, date: str, slug: str, title: str = "News") -> Path:
    folder = site.content / "posts"
    folder.mkdir(exist_ok=True)
    path = folder / f"{date}-{slug}.md"
    path.write_text(f"---\ntitle: {title}\ndate: {date}\nsummary: About {slug}.\n---\n"
                    "The body.\n", encoding="utf-8")
    return path


def test_posts_follow_the_cards_setting(site: SiteFolder):
    site.draw("a.yaml", date="2025-12-10", round=380)
    write_post(site, "2025-06-02", "old")
    write_post(site, "2025-12-20", "new", "Levels plan")
    assert site.build().exit_code == 0
    cards = cards_in(site.output)
    assert cards == ["card.png", "draws/2025-12-10-healthcare/card.png",
                     "posts/2025-12-20-new/card.png"]
    old = site.page("posts/2025-06-02-old/index.html")
    assert f'<meta property="og:image" content="{BASE_URL}card.png">' in old
    assert f'"image":["{BASE_URL}card.png"]' in old  # NewsArticle: what og:image names
    new = site.page("posts/2025-12-20-new/index.html")
    assert f'<meta name="twitter:image" content="{BASE_URL}posts/2025-12-20-new/card.png">' \
        in new
    assert '<meta property="og:image:alt" content="Levels plan, December 20, 2025">' in new
    build_with_cards(site, "all")
    assert (site.output / "posts" / "2025-06-02-old" / "card.png").is_file()
    build_with_cards(site, "false")
    assert cards_in(site.output) == []
    page = site.page("posts/2025-12-20-new/index.html")
    assert "og:image" not in page and '"image"' not in page


def test_post_cards_are_drawn_once_and_kept_by_later_builds(site: SiteFolder):
    write_post(site, "2025-12-10", "a")
    write_post(site, "2025-12-12", "b")
    assert site.build().exit_code == 0
    card_a = site.output / "posts" / "2025-12-10-a" / "card.png"
    card_b = site.output / "posts" / "2025-12-12-b" / "card.png"
    before = card_a.stat().st_mtime_ns, card_b.stat().st_mtime_ns, card_b.read_bytes()
    write_post(site, "2025-12-12", "b", "A new title")
    assert site.build().exit_code == 0
    assert card_a.stat().st_mtime_ns == before[0]  # a's card: kept as it was
    assert card_b.read_bytes() != before[2]  # b's card: shows the new title
    assert_same_as_a_clean_build(site)


# -- the news sitemap ----------------------------------------------------------------------
def news_entries(output: Path) -> list[dict[str, str]]:
    root = etree.parse(str(output / "news-sitemap.xml")).getroot()
    assert root.tag == f"{SITEMAP}urlset"
    found = []
    for url in root.findall(f"{SITEMAP}url"):
        news = url.find(f"{NEWS}news")
        publication = news.find(f"{NEWS}publication")
        assert [c.tag for c in news] == [f"{NEWS}publication", f"{NEWS}publication_date",
                                         f"{NEWS}title"]
        assert [c.tag for c in publication] == [f"{NEWS}name", f"{NEWS}language"]
        found.append({"loc": url.findtext(f"{SITEMAP}loc"),
                      "name": publication.findtext(f"{NEWS}name"),
                      "language": publication.findtext(f"{NEWS}language"),
                      "date": news.findtext(f"{NEWS}publication_date"),
                      "title": news.findtext(f"{NEWS}title")})
    return found


def build_at(site: SiteFolder, now: str) -> None:
    shutil.rmtree(site.output, ignore_errors=True)
    result = CliRunner().invoke(main, ["build", "--content", str(site.content), "--output",
                                       str(site.output), "--now", now])
    assert result.exit_code == 0, result.output


def test_news_sitemap_lists_the_articles_of_the_last_two_days(site: SiteFolder):
    site.draw("a.yaml", date="2025-07-20", round=355, category="stem")
    site.draw("b.yaml", date="2025-07-21", round=356,
              extra="draw_time: 2025-07-21T16:14:46Z\ntitle: A <b>bold</b> & odd title\n")
    site.draw("c.yaml", date="2025-07-22", round=357, category="general")
    build_at(site, "2025-07-22")
    entries = news_entries(site.output)
    assert [e["loc"] for e in entries] == [
        BASE_URL + "draws/2025-07-22-general/", BASE_URL + "draws/2025-07-21-healthcare/"]
    assert entries[1] == {"loc": BASE_URL + "draws/2025-07-21-healthcare/",
                          "name": "Test Desk", "language": "en",
                          "date": "2025-07-21T16:14:46+00:00",
                          "title": "A <b>bold</b> & odd title"}
    assert entries[0]["date"] == "2025-07-22"  # no draw time: its day alone
    build_at(site, "2025-07-21")  # the 22nd is not published yet
    assert [e["loc"] for e in news_entries(site.output)] == [
        BASE_URL + "draws/2025-07-21-healthcare/", BASE_URL + "draws/2025-07-20-stem/"]
    build_at(site, "2026-03-01")  # long after the last draw: none
    assert news_entries(site.output) == []
    robots = site.page("robots.txt")
    assert f"Sitemap: {BASE_URL}news-sitemap.xml\n" in robots


def test_news_sitemap_names_both_editions(sample_site: Path, tmp_path: Path):
    output = tmp_path / "output"
    result = CliRunner().invoke(main, ["build", "--content", str(SAMPLE), "--output",
                                       str(output), "--now", "2025-12-18", "--quiet"])
    assert result.exit_code == 0, result.output
    entries = news_entries(output)
    assert [(e["loc"], e["language"]) for e in entries] == [
        (BASE_URL + "en/draws/2025-12-17-french-language/", "en"),
        (BASE_URL + "fr/draws/2025-12-17-french-language/", "fr")]
    assert entries[1]["name"] == "Suivi des rondes d’Entrée express"
    # --now 2026-01-01 (December 31 in Toronto): two weeks after the last draw, but the
    # day of the sample's three posts, in both editions; nothing else
    entries = news_entries(sample_site)
    assert [e["language"] for e in entries] == ["en"] * 3 + ["fr"] * 3
    assert all("/posts/2025-12-31-" in e["loc"] and e["date"] == "2025-12-31"
               for e in entries)
    assert entries[3]["title"] == "Les rondes de la santé en 2025 : 7 rondes, 14 500 invitations"


def test_news_sitemap_lists_posts_by_the_same_two_day_rule(site: SiteFolder):
    site.draw("a.yaml", date="2025-07-20", round=355, category="stem")
    posts = site.content / "posts"
    posts.mkdir()
    (posts / "2025-07-21-levels.md").write_text(
        "---\ntitle: Levels & <plans>\ndate: 2025-07-21\ntime: 2025-07-21T09:30:00-04:00\n"
        "summary: The plan.\n---\nThe body.\n", encoding="utf-8")
    build_at(site, "2025-07-22")
    entries = news_entries(site.output)
    assert entries == [{"loc": BASE_URL + "posts/2025-07-21-levels/", "name": "Test Desk",
                        "language": "en", "date": "2025-07-21T09:30:00-04:00",
                        "title": "Levels & <plans>"}]
    build_at(site, "2025-07-21")
    assert [e["loc"] for e in news_entries(site.output)] == [
        BASE_URL + "posts/2025-07-21-levels/", BASE_URL + "draws/2025-07-20-stem/"]
    build_at(site, "2025-07-24")  # two days later: no longer news
    assert news_entries(site.output) == []


def test_closing_line_says_where_robots_txt_goes(site: SiteFolder):
    site.draw("a.yaml")
    result = site.build()
    assert result.output.strip().endswith(
        "; copy robots.txt to https://example.org/robots.txt (crawlers read it only at the "
        "host's root)")
    assert site.build().output.strip().endswith("host's root)")  # nothing to do: said too
    (site.content / "site.yaml").write_text(
        SITE_YAML.replace("https://example.org/news/", "https://news.example.org/"),
        encoding="utf-8")
    assert "robots.txt" not in site.build().output



def test_the_preview_server_keeps_cards_across_rebuilds(site: SiteFolder, tmp_path: Path):
    from drawdesk.core.options import BuildConfig
    from drawdesk.tools.previewhttp import Status
    from drawdesk.tools.serve import DevSite
    site.draw("a.yaml", date="2025-12-10", round=380)
    site.draw("b.yaml", date="2025-12-12", round=381, category="stem")
    config = BuildConfig(content=site.content, output=tmp_path / "out",
                         now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    lines: list[str] = []
    dev = DevSite(config, "http://127.0.0.1:9/", Status(), lines.append, lines.append)
    assert dev.rebuild() is not None
    card = tmp_path / "out" / "draws" / "2025-12-10-healthcare" / "card.png"
    made = card.stat().st_mtime_ns
    site.draw("b.yaml", date="2025-12-12", round=381, category="stem", invitations=999)
    assert dev.rebuild() is not None  # every page differs (its reload script): not the card
    assert card.stat().st_mtime_ns == made
    assert b"999" in (tmp_path / "out" / "draws" / "2025-12-12-stem" / "index.html").read_bytes()
