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


def png(path: Path) -> Image.Image:
    data = path.read_bytes()
    assert len(data) < MAX_BYTES, f"{path}: {len(data)} bytes"
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1200, 630), path
    return image


def test_every_article_in_both_editions_names_a_card_that_is_there(sample_site: Path):
    articles = [p for p in pages(sample_site) if p.kind == "article"]
    assert {p.prefix for p in articles} == {"en/", "fr/"}
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
    assert own >= 4  # the sample's recent draws, in two editions


def test_list_pages_name_their_editions_site_card(sample_site: Path):
    for page in pages(sample_site):
        if page.kind == "article":
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
    cards = sorted(p.relative_to(site.output).as_posix() for p in site.output.rglob("*.png"))
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
    (site.content / "site.yaml").write_text(SITE_YAML + "cards: all\n", encoding="utf-8")
    assert site.build().exit_code == 0
    assert (site.output / "draws" / "2024-06-02-healthcare" / "card.png").is_file()
    (site.content / "site.yaml").write_text(SITE_YAML + "cards: false\n", encoding="utf-8")
    assert site.build().exit_code == 0
    assert list(site.output.rglob("*.png")) == []
    page = site.page("draws/2024-06-02-healthcare/index.html")
    assert "og:image" not in page and "twitter:image" not in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert "max-image-preview" not in page and '"image"' not in page


def test_cards_setting_is_checked_with_its_position(site: SiteFolder):
    (site.content / "site.yaml").write_text(SITE_YAML + "cards: some\n", encoding="utf-8")
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
    (site.content / "site.yaml").write_text(SITE_YAML + "cards: false\n", encoding="utf-8")
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
    clean = site.root / "clean"
    shutil.copytree(site.content, clean / "content")
    result = CliRunner().invoke(main, ["build", "--content", str(clean / "content"),
                                       "--output", str(clean / "output"), "--now",
                                       "2026-01-01"])
    assert result.exit_code == 0
    assert snapshot(clean / "output") == snapshot(site.output)


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
    assert news_entries(sample_site) == []  # --now 2026-01-01: two weeks after the last


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
