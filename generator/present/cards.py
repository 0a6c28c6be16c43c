"""Share cards: 1200 x 630 PNG images of a draw's facts, for link previews.

Plain data in, PNG bytes out. A `DrawCard`, `PostCard` or `SiteCard` holds only text the
caller has already worded and formatted (numbers in the edition's format, the
date in its language), and a colour and marker shape of the chart palette
(`present.charts`). Where each part goes, in which font, size and colour, is
the layout (`source.cardlayout`): `cards/layout.yaml` in the theme, which a
site replaces with its own `templates/cards/layout.yaml`.

Text never leaves its box: it wraps, then shrinks down to the layout's
`min_size`; a name still too long ends in an ellipsis, while a figure or a date
is never cut, it shrinks further. The same cards, layout, fonts and Pillow
give byte-identical PNGs: no time or text chunks, FreeType's basic layout (not
whichever shaping library is installed), a fixed palette and compression.
This is the one module that imports Pillow.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, features

from ..core.problems import Problem, display_path
from ..source.cardlayout import (
    HEIGHT,
    MAX_FIGURES,
    WIDTH,
    Box,
    Layout,
    Text,
    Type,
    read_layout,
)
from . import cardtext, charts

__all__ = ["HEIGHT", "MEDIA_TYPE", "WIDTH", "Card", "DrawCard", "Layout", "PostCard",
           "Renderer", "SiteCard", "drawing_digest", "load_layout", "palette", "render"]

MEDIA_TYPE = "image/png"
COMPRESS_LEVEL = 3  # half the time of zlib's default (6), for files a third larger (~20 KB)
_FORMAT = b"drawdesk share card 1\n"  # change when the drawing changes in a way not in the layout
_SMALLEST = 4  # pixels: below this a figure or date is refused rather than drawn


# -- the cards -------------------------------------------------------------------------
def _check_style(colour: str, marker: str) -> None:
    if colour not in charts.PALETTE:
        raise ValueError(f"colour {colour!r} is not in the chart palette {charts.PALETTE}")
    if marker not in charts.SHAPES:
        raise ValueError(f"marker {marker!r} is not a chart marker {charts.SHAPES}")


def _check_text(**texts: str) -> None:
    for name, value in texts.items():
        if not cardtext.clean(value):
            raise ValueError(f"{name} is empty")


@dataclass(frozen=True)
class DrawCard:
    """The card of one draw in one edition.

    `colour` and `marker` are a category's series style in the charts,
    `charts.series_style(i)`; "currentColor" (the palette's black) is drawn in
    the layout's foreground colour. `figures` are (value, label) pairs, the
    value already in the edition's number format ("4,000", "4\u202f000").
    """

    site_title: str
    kicker: str  # the category's name
    colour: str
    marker: str
    date: str  # e.g. "July 22, 2025" / "22 juillet 2025"
    figures: tuple[tuple[str, str], ...]
    lang: str  # the edition's language: French keeps « » : ; ! ? with their words

    def __post_init__(self) -> None:
        _check_style(self.colour, self.marker)
        _check_text(site_title=self.site_title, kicker=self.kicker, date=self.date)
        if not 1 <= len(self.figures) <= MAX_FIGURES:
            raise ValueError(f"{len(self.figures)} figures (1 to {MAX_FIGURES} expected)")
        for value, label in self.figures:
            _check_text(figure=value, label=label)


@dataclass(frozen=True)
class SiteCard:
    """The card of the site itself: home, category, statistics and other list pages."""

    site_title: str
    description: str
    lang: str
    colour: str = charts.BAR  # the band, in the colour of the site's bar charts

    def __post_init__(self) -> None:
        _check_style(self.colour, charts.SHAPES[0])
        _check_text(site_title=self.site_title, description=self.description)


@dataclass(frozen=True)
class PostCard:
    """The card of one post in one edition: its title and date. `colour` (the band) is its
    first category's series colour in the charts, else the site's bar colour."""

    site_title: str
    title: str
    date: str  # e.g. "December 31, 2025" / "31 décembre 2025"
    lang: str
    colour: str = charts.BAR

    def __post_init__(self) -> None:
        _check_style(self.colour, charts.SHAPES[0])
        _check_text(site_title=self.site_title, title=self.title, date=self.date)


Card = DrawCard | PostCard | SiteCard


# -- the layout's fonts ----------------------------------------------------------------
def _load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _line_height(font: ImageFont.FreeTypeFont) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent


def load_layout(template_dirs: Sequence[Path]) -> tuple[Layout | None, list[Problem]]:
    """The card layout of `template_dirs` (the site's templates, then the theme's), checked
    with its fonts: each is a font file, and each box holds a line at its min_size. The
    layout, or every problem found."""
    layout, problems = read_layout(template_dirs)
    if layout is None:
        return None, problems
    readable: dict[str, Path] = {}
    for name, path in layout.fonts.items():
        try:
            _load_font(path, 12)
            readable[name] = path
        except OSError as exc:
            problems.append(layout.problem(("fonts", name), (
                f"{display_path(path)} cannot be read as a font ({exc}; a TrueType or "
                "OpenType file expected)")))

    def height(t: Type) -> int:
        return _line_height(_load_font(readable[t.font], t.min_size))

    for path, block in layout.blocks.items():
        if block.type.font in readable and height(block.type) > block.box.height:
            problems.append(layout.problem(path + ("height",), (
                f"{block.box.height} cannot hold one line at min_size {block.type.min_size} "
                f"(at least {height(block.type)} expected)")))
    f = layout.figures
    if f.value.font in readable and f.label.font in readable:
        need = height(f.value) + f.label_gap + height(f.label)
        if need > f.box.height:
            problems.append(layout.problem(("draw", "figures", "height"), (
                f"{f.box.height} cannot hold a value and a one-line label at their "
                f"min_size (at least {need} expected)")))
    return (None, sorted(problems)) if problems else (layout, [])


def drawing_digest(layout: Layout) -> str:
    """Changes whenever the same card could be drawn differently: another layout file, font
    file, Pillow, FreeType or zlib (drawdesk's own code is the caller's to add)."""
    versions = (PIL.__version__, features.version("freetype2"), features.version("zlib"),
                features.version("zlib_ng"))
    digest = hashlib.sha256(_FORMAT)
    digest.update(f"{layout.digest}\n{versions!r}".encode())
    return digest.hexdigest()


# -- setting text ----------------------------------------------------------------------
@dataclass(frozen=True)
class Setting:
    """Text set in lines at one size."""

    font: ImageFont.FreeTypeFont
    lines: tuple[str, ...]
    step: int  # baseline to baseline
    height: int  # from the first line's top to the last line's bottom


class Renderer:
    """Draws cards with one layout; keeps the fonts it has opened."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}
        self._palettes: dict[str, Image.Image] = {}

    def font(self, name: str, size: int) -> ImageFont.FreeTypeFont:
        key = (name, size)
        if key not in self._fonts:
            self._fonts[key] = _load_font(self.layout.fonts[name], size)
        return self._fonts[key]

    # -- fitting --------------------------------------------------------------------
    def _set(self, words: list[str], t: Type, size: int, width: int, height: int,
             lines: list[str] | None = None) -> tuple[Setting, bool]:
        """`words` at `size`; True if every line fits in `height` and `t.max_lines`."""
        font = self.font(t.font, size)
        if lines is None:
            lines = cardtext.wrap(words, font.getlength, width)
        step = round(size * t.line_height / 100)
        one = _line_height(font)
        room = 1 + max(0, (height - one) // step) if one <= height else 0
        fits = len(lines) <= min(room, t.max_lines)
        count = max(1, min(len(lines), room, t.max_lines))
        return Setting(font, tuple(lines[:count]), step, one + (count - 1) * step), fits

    def fit(self, text: str, t: Type, width: int, height: int, lang: str, *,
            cut: bool, largest: int | None = None) -> Setting:
        """The largest setting of `text` that fits, from `largest` (default: the type's
        size) down to its min_size; then cut with an ellipsis, or, if `cut` is False (a
        fact), smaller still."""
        words = cardtext.words(text, lang)
        top = largest if largest is not None else t.size
        floor = min(t.min_size, top)
        sizes = list(range(top, floor - 1, -2))
        if sizes[-1] != floor:
            sizes.append(floor)
        for size in sizes:
            setting, fits = self._set(words, t, size, width, height)
            if fits:
                return setting
        if cut:
            font = self.font(t.font, sizes[-1])
            lines = cardtext.wrap(words, font.getlength, width)
            setting, _ = self._set(words, t, sizes[-1], width, height, lines)
            if len(lines) > len(setting.lines):
                last = cardtext.shorten(setting.lines[-1], font.getlength, width)
                setting = Setting(font, setting.lines[:-1] + (last,), setting.step, setting.height)
            return setting
        for size in range(sizes[-1] - 1, _SMALLEST - 1, -1):
            setting, fits = self._set(words, t, size, width, height)
            if fits:
                return setting
        raise ValueError(f"{text!r} does not fit in {width} x {height} pixels even at "
                         f"{_SMALLEST} px")

    # -- drawing --------------------------------------------------------------------
    def _png(self, image: Image.Image, colour: str) -> bytes:
        """A palette PNG of the card's colours: no metadata, fixed compression."""
        colour = self._colour(colour)
        if colour not in self._palettes:
            entries = palette([self.layout.background, self.layout.foreground, colour,
                               *self.layout.text_colours])
            holder = Image.new("P", (1, 1))
            holder.putpalette([v for entry in entries for v in entry])
            self._palettes[colour] = holder
        quantized = image.quantize(palette=self._palettes[colour], dither=Image.Dither.NONE)
        out = io.BytesIO()
        quantized.save(out, format="PNG", compress_level=COMPRESS_LEVEL)
        return out.getvalue()

    def _colour(self, colour: str) -> str:
        return self.layout.foreground if colour == "currentColor" else colour

    def _draw_set(self, draw: ImageDraw.ImageDraw, setting: Setting, x: int, y: int,
                  colour: str) -> None:
        ascent, _ = setting.font.getmetrics()
        for i, line in enumerate(setting.lines):
            draw.text((x, y + ascent + i * setting.step), line, font=setting.font,
                      fill=colour, anchor="ls")

    def _text(self, draw: ImageDraw.ImageDraw, text: str, block: Text, lang: str, *,
              cut: bool = True) -> tuple[Setting, int]:
        """`text` set and drawn in `block`; the setting and its top."""
        box = block.box
        setting = self.fit(text, block.type, box.width, box.height, lang, cut=cut)
        top = box.y if block.type.align == "top" else box.y + box.height - setting.height
        self._draw_set(draw, setting, box.x, top, block.type.colour)
        return setting, top

    def _marker(self, image: Image.Image, shape: str, colour: str, x: int, y: int,
                size: int) -> None:
        """The chart marker `shape`, antialiased, in the square of side `size` at (x, y)."""
        scale = 4
        side = size * scale
        layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        pen = ImageDraw.Draw(layer)
        radius = side / 2 / charts.POINTED_HALF  # the pointed shapes fill the square
        centre = side / 2
        outline = max(scale, round(radius / 6))  # as the charts: 0.75 for a 4.5 radius
        fill, edge = self._colour(colour), self.layout.foreground
        points = charts.marker_points(shape, centre, centre, radius)
        if points:
            pen.polygon(points, fill=fill, outline=edge, width=outline)
        else:
            pen.ellipse((centre - radius, centre - radius, centre + radius, centre + radius),
                        fill=fill, outline=edge, width=outline)
        small = layer.resize((size, size), Image.Resampling.BOX)
        image.paste(small, (x, y), small)

    def _canvas(self, colour: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        image = Image.new("RGB", (WIDTH, HEIGHT), self.layout.background)
        draw = ImageDraw.Draw(image)
        band = self.layout.band
        draw.rectangle((band.x, band.y, band.x + band.width - 1, band.y + band.height - 1),
                       fill=self._colour(colour))
        return image, draw

    def render(self, card: Card) -> bytes:
        """The card as PNG bytes, WIDTH x HEIGHT."""
        if isinstance(card, SiteCard):
            image, draw = self._canvas(card.colour)
            self._text(draw, card.site_title, self.layout.site_name, card.lang)
            self._text(draw, card.description, self.layout.description, card.lang)
            return self._png(image, card.colour)
        if isinstance(card, PostCard):
            image, draw = self._canvas(card.colour)
            self._text(draw, card.site_title, self.layout.post_site_title, card.lang)
            self._text(draw, card.title, self.layout.post_title, card.lang)
            self._text(draw, card.date, self.layout.post_date, card.lang, cut=False)
            return self._png(image, card.colour)
        layout = self.layout
        image, draw = self._canvas(card.colour)
        self._text(draw, card.site_title, layout.site_title, card.lang)
        kicker, kicker_top = self._text(draw, card.kicker, layout.kicker, card.lang)
        # the marker centres on the kicker's first line (on its capitals), inside its box
        ascent, _ = kicker.font.getmetrics()
        capitals = -kicker.font.getbbox("H", anchor="ls")[1]
        top = kicker_top + ascent - capitals // 2 - layout.marker.size // 2
        top = max(layout.kicker.box.y,
                  min(top, layout.kicker.box.y + layout.kicker.box.height - layout.marker.size))
        self._marker(image, card.marker, card.colour, layout.marker.x, top, layout.marker.size)
        self._text(draw, card.date, layout.date, card.lang, cut=False)
        self._figures(draw, card)
        return self._png(image, card.colour)

    def figure_boxes(self, count: int) -> list[Box]:
        """The columns of `count` figures."""
        f = self.layout.figures
        width = (f.box.width - f.gap * (count - 1)) // count
        return [Box(f.box.x + i * (width + f.gap), f.box.y, width, f.box.height)
                for i in range(count)]

    def _figures(self, draw: ImageDraw.ImageDraw, card: DrawCard) -> None:
        """Values on one line at one size for all; labels under them, also at one size."""
        f = self.layout.figures
        columns = self.figure_boxes(len(card.figures))
        value_height = f.box.height - f.label_gap - _line_height(
            self.font(f.label.font, f.label.min_size))
        size = f.value.size
        for (value, _), column in zip(card.figures, columns, strict=True):
            size = min(size, self.fit(value, f.value, column.width, value_height, card.lang,
                                      cut=False, largest=size).font.size)
        label_top = f.box.y + _line_height(self.font(f.value.font, size)) + f.label_gap
        label_height = f.box.y + f.box.height - label_top
        label_size = f.label.size
        for (_, label), column in zip(card.figures, columns, strict=True):
            label_size = min(label_size, self.fit(label, f.label, column.width, label_height,
                                                  card.lang, cut=True,
                                                  largest=label_size).font.size)
        for (value, label), column in zip(card.figures, columns, strict=True):
            setting = self.fit(value, f.value, column.width, value_height, card.lang,
                               cut=False, largest=size)
            self._draw_set(draw, setting, column.x, f.box.y, f.value.colour)
            setting = self.fit(label, f.label, column.width, label_height, card.lang,
                               cut=True, largest=label_size)
            self._draw_set(draw, setting, column.x, label_top, f.label.colour)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def palette(colours: Sequence[str]) -> list[tuple[int, int, int]]:
    """`colours` and the blends between every two of them, at most 256 in all.

    Every pixel of a card is one of its colours or an antialiased edge between two,
    so mapping it to the nearest entry keeps text crisp (no dithering) and the result
    is fixed by the colours alone, not by a search over the image.
    """
    solid = list(dict.fromkeys(_rgb(c) for c in colours))
    pairs = [(a, b) for i, a in enumerate(solid) for b in solid[i + 1:]]
    steps = min(16, (256 - len(solid)) // max(1, len(pairs)) + 1)
    entries = list(solid)
    for a, b in pairs:
        for k in range(1, steps):
            entries.append(tuple(round(a[i] + (b[i] - a[i]) * k / steps) for i in range(3)))
    return list(dict.fromkeys(entries))[:256]


def render(card: Card, layout: Layout) -> bytes:
    """One card as PNG bytes (a `Renderer` keeps fonts open across many cards)."""
    return Renderer(layout).render(card)
