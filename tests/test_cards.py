"""Share cards: what a reader sees in a link preview, and what a site's layout may say.

Cards are checked as images: their size and format, that the figures are
really drawn (and differ where the editions' number formats differ), that no
text leaves its box however long it is, and that the same card gives the same
bytes in another process. The layout file is checked like content: every
mistake at once, each with its file, line and column.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from drawdesk.present import cards, charts
from drawdesk.source import cardlayout

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "templates"
NNBSP, NBSP = "\u202f", "\u00a0"

LONG_FR = ("Candidats ayant une maîtrise supérieure de la langue française et de l’expérience "
           "professionnelle dans les métiers spécialisés, les transports et l’agriculture "
           "« pilote » : ouverts à tous ? Oui ! " * 2)
LONG_TITLE_FR = ("Suivi hebdomadaire et complet des rondes d’invitations d’Entrée express "
                 "du gouvernement du Canada, expliquées dès leur annonce")


@pytest.fixture(scope="module")
def layout() -> cards.Layout:
    loaded, problems = cards.load_layout([THEME])
    assert problems == [] and loaded is not None
    return loaded


@pytest.fixture(scope="module")
def renderer(layout) -> cards.Renderer:
    return cards.Renderer(layout)


def draw_card(lang: str = "en", **changes) -> cards.DrawCard:
    colour, marker = charts.series_style(1)
    fields = {
        "en": dict(site_title="Express Entry Draw Desk",
                   kicker="Healthcare and social services occupations", date="July 22, 2025",
                   figures=(("4,000", "invitations"), ("475", "minimum CRS score"))),
        "fr": dict(site_title="Suivi des rondes d’Entrée express",
                   kicker="Professions des soins de santé et des services sociaux",
                   date="22 juillet 2025",
                   figures=((f"4{NNBSP}000", "invitations"), ("475", "note CRS minimale"))),
    }[lang]
    fields.update(colour=colour, marker=marker, lang=lang)
    fields.update(changes)
    return cards.DrawCard(**fields)


def image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def ink(picture: Image.Image, box: cardlayout.Box, background: str) -> float:
    """The share of the box's pixels that are not the background."""
    region = picture.crop((box.x, box.y, box.x + box.width, box.y + box.height))
    plain = Image.new("RGB", region.size, background)
    diff = ImageChops.difference(region, plain).convert("L").point(lambda v: 255 if v else 0)
    return diff.histogram()[255] / (box.width * box.height)


def chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    names, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        names.append(data[at + 4:at + 8])
        at += 12 + length
    return names


# -- what a reader gets ----------------------------------------------------------------
def test_cards_are_small_1200_by_630_pngs_without_metadata(renderer):
    for card in (draw_card("en"), draw_card("fr"),
                 cards.SiteCard("Express Entry Draw Desk", "Every round, explained.", "en")):
        data = renderer.render(card)
        picture = Image.open(io.BytesIO(data))
        assert picture.format == "PNG" and picture.size == (cards.WIDTH, cards.HEIGHT)
        assert len(data) < 100_000  # messaging apps drop previews over 300 KB
        # no date, time or text chunk that could differ between two builds
        assert set(chunks(data)) <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}


def test_the_figures_are_drawn(renderer, layout):
    picture = image(renderer.render(draw_card("en")))
    value_height = layout.figures.box.height // 2
    for column in renderer.figure_boxes(2):
        value = cardlayout.Box(column.x, column.y, column.width, value_height)
        label = cardlayout.Box(column.x, column.y + value_height, column.width, value_height)
        assert ink(picture, value, layout.background) > 0.05
        assert ink(picture, label, layout.background) > 0.005
    for block in (layout.site_title, layout.kicker, layout.date):
        assert ink(picture, block.box, layout.background) > 0.01
    # the figures are in the values' colour, the band in the category's
    assert rgb(layout.figures.value.colour) in {c for _, c in picture.getcolors(1 << 16)}
    assert picture.getpixel((layout.band.x + 1, layout.band.y + 1)) == rgb(charts.PALETTE[1])


def test_each_edition_shows_its_own_number_format(renderer, layout):
    english = image(renderer.render(draw_card("en")))
    french_figures = draw_card("en", figures=((f"4{NNBSP}000", "invitations"),
                                              ("475", "minimum CRS score")))
    french = image(renderer.render(french_figures))
    changed = ImageChops.difference(english, french).getbbox()
    assert changed is not None
    first = renderer.figure_boxes(2)[0]
    left, top, right, bottom = changed
    # only the first value differs: "4,000" against "4 000"
    assert first.x <= left and right <= first.x + first.width
    assert first.y <= top and bottom <= first.y + first.height // 2 + 20
    # a no-break space is a real glyph too: wider than the narrow one, and not a box
    no_break = image(renderer.render(draw_card("en", figures=((f"4{NBSP}000", "invitations"),
                                                              ("475", "minimum CRS score")))))
    assert ImageChops.difference(no_break, french).getbbox() is not None


@pytest.mark.parametrize("name", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
def test_the_shipped_fonts_have_every_character_the_editions_use(name):
    font = ImageFont.truetype(str(THEME / "fonts" / name), 60)

    def glyph(text: str) -> Image.Image:
        picture = Image.new("L", (120, 120))
        ImageDraw.Draw(picture).text((20, 10), text, font=font, fill=255)
        return picture

    missing = glyph("\U000f0000").tobytes()  # a private-use character: the font's box
    assert glyph("\U000f0000").getbbox() is not None
    for space in (NBSP, NNBSP):
        assert glyph(space).getbbox() is None and font.getlength(space) > 0
    assert font.getlength(NNBSP) < font.getlength(NBSP) == font.getlength(" ")
    for letter in "éèêëàâîïôûùüÿçœæÉÈÊËÀÂÎÏÔÛÙÜŸÇŒÆ«»’–—…%$":
        drawn = glyph(letter)
        assert drawn.getbbox() is not None and drawn.tobytes() != missing, letter


def test_the_fonts_ship_with_their_licence():
    licence = (THEME / "fonts" / "LICENSE").read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in licence and "Arev Fonts Copyright" in licence


def test_each_marker_shape_is_drawn_differently(renderer, layout):
    box = (layout.marker.x, layout.kicker.box.y, layout.marker.x + layout.marker.size,
           layout.kicker.box.y + layout.kicker.box.height)
    markers = [image(renderer.render(draw_card(marker=shape))).crop(box).tobytes()
               for shape in charts.SHAPES]
    assert len(set(markers)) == len(charts.SHAPES)


def test_the_palettes_black_is_the_layouts_foreground(renderer, layout):
    picture = image(renderer.render(draw_card(colour="currentColor")))
    assert picture.getpixel((layout.band.x + 1, layout.band.y + 1)) == rgb(layout.foreground)


# -- text stays in its box -------------------------------------------------------------
def long_card(marker: str = "triangle") -> cards.DrawCard:
    return cards.DrawCard(
        LONG_TITLE_FR, LONG_FR, "#F0E442", marker, "mercredi 22 septembre 2025 " * 3,
        ((f"100{NNBSP}000", LONG_FR), (f"1{NNBSP}200", "note CRS minimale"),
         (f"12{NBSP}%", "part"), ("Supercalifragilisticexpialidocious", "Ÿ")), "fr")


def outside(picture: Image.Image, boxes: list[cardlayout.Box], background: str):
    """The bounding box of what is drawn outside `boxes`, or None."""
    blank = picture.copy()
    pen = ImageDraw.Draw(blank)
    for b in boxes:
        pen.rectangle((b.x, b.y, b.x + b.width - 1, b.y + b.height - 1), fill=background)
    return ImageChops.difference(blank, Image.new("RGB", blank.size, background)).getbbox()


def test_long_text_never_leaves_its_box(renderer, layout):
    marker_column = cardlayout.Box(layout.marker.x, layout.kicker.box.y, layout.marker.size,
                              layout.kicker.box.height)
    boxes = [layout.band, layout.site_title.box, layout.kicker.box, layout.date.box,
             layout.figures.box, marker_column]
    for shape in charts.SHAPES:
        picture = image(renderer.render(long_card(shape)))
        assert outside(picture, boxes, layout.background) is None
    site = image(renderer.render(cards.SiteCard(LONG_TITLE_FR, LONG_FR, "fr")))
    assert outside(site, [layout.band, layout.site_name.box, layout.description.box],
                   layout.background) is None


def test_each_text_changes_only_its_own_box(renderer, layout):
    full = long_card()
    marker_column = cardlayout.Box(layout.marker.x, layout.kicker.box.y, layout.marker.size,
                              layout.kicker.box.height)
    cases = {"site_title": [layout.site_title.box], "kicker": [layout.kicker.box, marker_column],
             "date": [layout.date.box]}
    base = image(renderer.render(full))
    for name, boxes in cases.items():
        short = cards.DrawCard(**{**full.__dict__, name: "K"})
        picture = image(renderer.render(short))
        assert outside(ImageChops.difference(base, picture), boxes, "#000000") is None, name


def test_a_long_name_is_cut_with_an_ellipsis_and_a_fact_never_is(renderer, layout):
    kicker = layout.kicker
    setting = renderer.fit(LONG_FR, kicker.type, kicker.box.width, kicker.box.height, "fr",
                           cut=True)
    assert len(setting.lines) == kicker.type.max_lines
    assert setting.lines[-1].endswith("…") and setting.font.size == kicker.type.min_size
    assert all(setting.font.getlength(line) <= kicker.box.width for line in setting.lines)
    assert setting.height <= kicker.box.height
    date = "mercredi 22 septembre 2025 " * 3
    block = layout.date
    setting = renderer.fit(date, block.type, block.box.width, block.box.height, "fr", cut=False)
    assert " ".join(setting.lines) == date.strip() and "…" not in "".join(setting.lines)
    assert setting.font.size < block.type.min_size
    assert all(setting.font.getlength(line) <= block.box.width for line in setting.lines)


def test_french_keeps_its_punctuation_with_its_words(renderer, layout):
    text = "Les candidats « pilote » : admis ? Oui ! Et ensuite ; peut-être"
    t = cardlayout.Type("regular", 40, 40, 12, 120, "#000000")
    for width in range(320, 900, 7):  # "« pilote » :" fits in 320
        lines = renderer.fit(text, t, width, 630, "fr", cut=True).lines
        assert not any(line.startswith(tuple(":;!?»")) or line.endswith("«") for line in lines)
        assert " ".join(lines) == text
    english = renderer.fit("Is it open ? Yes", t, 200, 630, "en", cut=True).lines
    assert english[1].startswith("?")  # English has no such rule


# -- the same bytes every time ---------------------------------------------------------
RENDER_SCRIPT = """
import hashlib, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_cards import THEME, draw_card, long_card
from drawdesk.present import cards
layout, _ = cards.load_layout([THEME])
for card in (draw_card("en"), draw_card("fr"), long_card()):
    print(hashlib.sha256(cards.render(card, layout)).hexdigest())
"""


def test_the_same_card_gives_the_same_bytes_in_another_process(renderer, layout):
    here = [hashlib.sha256(renderer.render(card)).hexdigest()
            for card in (draw_card("en"), draw_card("fr"), long_card())]
    again = [hashlib.sha256(cards.render(card, layout)).hexdigest()
             for card in (draw_card("en"), draw_card("fr"), long_card())]
    there = subprocess.run(
        [sys.executable, "-c", RENDER_SCRIPT.format(tests=str(ROOT / "tests"))],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert here == again == there
    assert len(set(here)) == 3


# -- the cards' data -------------------------------------------------------------------
def test_a_card_takes_only_the_chart_palette_and_one_to_four_figures():
    with pytest.raises(ValueError, match="palette"):
        draw_card(colour="#123456")
    with pytest.raises(ValueError, match="marker"):
        draw_card(marker="star")
    with pytest.raises(ValueError, match="figures"):
        draw_card(figures=())
    with pytest.raises(ValueError, match="figures"):
        draw_card(figures=(("1", "a"),) * 5)
    with pytest.raises(ValueError, match="kicker"):
        draw_card(kicker="  ")


# -- the layout file -------------------------------------------------------------------
def site_templates(tmp_path: Path, layout_text: str) -> Path:
    folder = tmp_path / "content" / "templates"
    (folder / "cards").mkdir(parents=True)
    (folder / "cards" / "layout.yaml").write_text(layout_text, encoding="utf-8")
    return folder


def theme_layout() -> str:
    return (THEME / "cards" / "layout.yaml").read_text(encoding="utf-8")


def test_a_sites_layout_replaces_the_themes(tmp_path, layout):
    text = theme_layout().replace('background: "#FFFFFF"', 'background: "#FFF6E0"')
    own = site_templates(tmp_path, text)
    loaded, problems = cards.load_layout([own, THEME])
    assert problems == [] and loaded is not None
    assert loaded.source.endswith("content/templates/cards/layout.yaml")
    picture = image(cards.render(draw_card("en"), loaded))
    assert picture.getpixel((cards.WIDTH - 1, cards.HEIGHT - 1)) == rgb("#FFF6E0")
    assert loaded.fonts == layout.fonts  # fonts/... still found in the theme
    assert cards.drawing_digest(loaded) != cards.drawing_digest(layout)


def test_a_sites_own_font_is_found_first(tmp_path):
    own = site_templates(tmp_path, theme_layout().replace(
        "bold: fonts/DejaVuSans-Bold.ttf", "bold: fonts/Heavy.ttf"))
    (own / "fonts").mkdir()
    shutil.copy(THEME / "fonts" / "DejaVuSans-Bold.ttf", own / "fonts" / "Heavy.ttf")
    loaded, problems = cards.load_layout([own, THEME])
    assert problems == []
    assert loaded.fonts["bold"] == own / "fonts" / "Heavy.ttf"
    assert loaded.fonts["regular"] == THEME / "fonts" / "DejaVuSans.ttf"


def test_every_layout_mistake_is_reported_with_its_position(tmp_path):
    text = (theme_layout()
            .replace('background: "#FFFFFF"', "background: #FFFFFF")
            .replace('foreground: "#1A1D21"', 'foreground: "navy"')
            .replace("bold: fonts/DejaVuSans-Bold.ttf", "bold: ../../../etc/passwd.ttf")
            .replace("  marker: {x: 72, size: 48}", "  marker: {x: 72, size: big}")
            .replace("    gap: 56\n", "    gap: 56\n    colur: 3\n"))
    own = site_templates(tmp_path, text)
    loaded, problems = cards.load_layout([own, THEME])
    assert loaded is None
    shown = [str(p) for p in problems]
    lines = text.splitlines()

    def at(fragment: str) -> int:
        return next(i for i, line in enumerate(lines, start=1) if fragment in line)

    assert any(s.startswith(f"{problems[0].path}:{at('background:')}:") and
               "background: empty value" in s and "in quotes" in s for s in shown), shown
    assert any(f":{at('foreground:')}:13: foreground: 'navy' is not a colour" in s
               for s in shown), shown
    assert any(f":{at('marker:')}:" in s and "draw.marker.size: 'big' is not a whole number"
               in s for s in shown), shown
    assert any(f":{at('colur:')}:5: draw.figures.colur: unknown field" in s for s in shown)
    assert all(p.path.endswith("content/templates/cards/layout.yaml") for p in problems)
    # the font path is checked once the fields are right
    fonts_only = theme_layout().replace("bold: fonts/DejaVuSans-Bold.ttf",
                                        "bold: ../../../etc/passwd.ttf")
    loaded, problems = cards.load_layout([site_templates(tmp_path / "b", fonts_only), THEME])
    assert loaded is None
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "fonts.bold: '../../../etc/passwd.ttf' is not a path inside a templates folder "
        "(a relative path such as fonts/DejaVuSans.ttf expected)"]
    assert problems[0].line == fonts_only.splitlines().index(
        "  bold: ../../../etc/passwd.ttf") + 1


def test_a_layout_that_cannot_hold_its_text_is_refused(tmp_path):
    text = (theme_layout()
            .replace("band: {x: 0, y: 0, width: 1200,", "band: {x: 10, y: 0, width: 1200,")
            .replace("font: bold, size: 32, min_size: 24,", "font: bold, size: 32, min_size: 40,")
            .replace("date: {x: 72, y: 262, width: 1056, height: 46,",
                     "date: {x: 72, y: 262, width: 1056, height: 20,")
            .replace("kicker: {x: 140, y: 112, width: 988, height: 136,\n           font: bold",
                     "kicker: {x: 140, y: 112, width: 988, height: 136,\n           font: heavy"))
    loaded, problems = cards.load_layout([site_templates(tmp_path, text), THEME])
    assert loaded is None
    messages = {p.field: p.message for p in problems}
    assert messages["band.width"] == "x + width is 1210 (at most the card's width, 1200, expected)"
    assert messages["draw.site_title.min_size"] == "40 is larger than size (at most 32 expected)"
    assert messages["draw.date.height"].startswith("20 cannot hold one line at min_size 24")
    assert messages["draw.kicker.font"] == ("no font named 'heavy' "
                                            "(one of: regular, bold expected)")
    lines = text.splitlines()
    kicker_font = next(i for i, line in enumerate(lines, start=1) if "font: heavy" in line)
    assert next(p for p in problems if p.field == "draw.kicker.font").line == kicker_font


def test_a_missing_or_unreadable_font_is_a_problem(tmp_path):
    own = site_templates(tmp_path, theme_layout().replace(
        "regular: fonts/DejaVuSans.ttf", "regular: fonts/Missing.ttf").replace(
        "bold: fonts/DejaVuSans-Bold.ttf", "bold: fonts/Broken.ttf"))
    (own / "fonts").mkdir()
    (own / "fonts" / "Broken.ttf").write_bytes(b"not a font")
    loaded, problems = cards.load_layout([own, THEME])
    assert loaded is None
    messages = {p.field: p.message for p in problems}
    assert messages["fonts.regular"].startswith("'fonts/Missing.ttf' is not in ")
    assert "cannot be read as a font" in messages["fonts.bold"]


def test_the_theme_layout_drawing_digest_is_stable(layout):
    again, _ = cards.load_layout([THEME])
    assert cards.drawing_digest(again) == cards.drawing_digest(layout)


def test_the_card_benchmark_runs():
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "cards.py"), "--cards", "4"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "4 more cards" in result.stdout and "per card: median" in result.stdout
