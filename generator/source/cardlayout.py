"""The share cards' layout: `cards/layout.yaml`, read and checked like content.

The theme's `templates/cards/layout.yaml` says where each part of a card goes,
in which font, size and colour; a site replaces it whole with its own
`templates/cards/layout.yaml` (README.md, "Share cards", documents every key).
This module reads it into plain values with `source.fields`, checks what
fields alone cannot say (boxes inside the card, known font names, font files
inside a templates folder), and keeps each value's position so that later
checks report `path:line:column: field: message (expected)` too. It knows no
imaging library: `present.cards` draws, and checks what needs the fonts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.problems import Problem, did_you_mean, display_path
from .fields import Field
from .reader import Reader
from .yamlfile import positions, read_yaml

WIDTH, HEIGHT = 1200, 630
LAYOUT_FILE = "cards/layout.yaml"  # inside a templates folder: the site's, else the theme's
FONT_SUFFIXES = (".ttf", ".otf")
MAX_FIGURES = 4


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Type:
    """How a text is set: font, largest and smallest size, lines, colour."""

    font: str  # a key of `Layout.fonts`
    size: int
    min_size: int
    max_lines: int
    line_height: int  # percent of the size, from one baseline to the next
    colour: str
    align: str = "top"  # top or bottom of the box


@dataclass(frozen=True)
class Text:
    box: Box
    type: Type


@dataclass(frozen=True)
class Figures:
    box: Box  # split into one equal column per figure
    gap: int  # between two columns
    label_gap: int  # between a value and its label
    value: Type
    label: Type


@dataclass(frozen=True)
class Marker:
    x: int
    size: int  # the side of the square the shape fits in; it centres on the kicker's first line


@dataclass(frozen=True)
class Layout:
    source: str  # the layout file, as shown in messages
    fonts: Mapping[str, Path]  # name -> font file
    background: str
    foreground: str  # marker outlines, and the palette's black ("currentColor")
    band: Box  # filled with the card's colour
    site_title: Text
    marker: Marker
    kicker: Text
    date: Text
    figures: Figures
    site_name: Text  # the site card's title
    description: Text  # the site card's description
    post_site_title: Text  # a post's card: the site's name,
    post_title: Text  # the post's title
    post_date: Text  # and its date
    digest: str  # of the layout file and its font files
    positions: Mapping[tuple[str, ...], tuple[int, int]]  # every value's line and column

    @property
    def text_colours(self) -> tuple[str, ...]:
        texts = (self.site_title, self.kicker, self.date, self.site_name, self.description,
                 self.post_site_title, self.post_title, self.post_date)
        return tuple(t.type.colour for t in texts) + (self.figures.value.colour,
                                                     self.figures.label.colour)

    @property
    def blocks(self) -> dict[tuple[str, ...], Text]:
        """The text blocks by their place in the file."""
        return {("draw", "site_title"): self.site_title, ("draw", "kicker"): self.kicker,
                ("draw", "date"): self.date, ("site", "title"): self.site_name,
                ("site", "description"): self.description,
                ("post", "site_title"): self.post_site_title, ("post", "title"): self.post_title,
                ("post", "date"): self.post_date}

    def problem(self, path: tuple[str, ...], message: str) -> Problem:
        """A problem at the value `path` (or its nearest parent) of the layout file."""
        return _problem(self.source, self.positions, path, message)


def _problem(shown: str, where: Mapping[tuple[str, ...], tuple[int, int]],
             path: tuple[str, ...], message: str) -> Problem:
    at = next((where[path[:end]] for end in range(len(path), -1, -1) if path[:end] in where),
              (1, 1))
    return Problem(shown, at[0], at[1], ".".join(path), message)


def _box_fields(what: str) -> tuple[Field, ...]:
    return (
        Field("x", "int", f"left edge of the {what}, in pixels", required=True,
              minimum=0, maximum=WIDTH - 1),
        Field("y", "int", f"top edge of the {what}, in pixels", required=True,
              minimum=0, maximum=HEIGHT - 1),
        Field("width", "int", f"width of the {what}, in pixels", required=True,
              minimum=1, maximum=WIDTH),
        Field("height", "int", f"height of the {what}, in pixels", required=True,
              minimum=1, maximum=HEIGHT),
    )


_TYPE_FIELDS = (
    Field("font", "str", "the name of a font under fonts:", required=True),
    Field("size", "int", "the largest size, in pixels", required=True, minimum=6, maximum=400),
    Field("min_size", "int", "the smallest size before text is cut (default: size)",
          minimum=6, maximum=400),
    Field("max_lines", "int", "the most lines (default 1)", minimum=1, maximum=12),
    Field("line_height", "int", "baseline to baseline, in percent of the size (default 120)",
          minimum=80, maximum=300),
    Field("colour", "colour", "the text colour", required=True),
    Field("align", "enum", "where the lines sit in the box (default top)",
          choices=("top", "bottom")),
)


def _text_field(name: str, description: str) -> Field:
    return Field(name, "map", description, required=True,
                 fields=_box_fields(name.replace("_", " ")) + _TYPE_FIELDS)


LAYOUT_FIELDS = (
    Field("background", "colour", "the card's background", required=True),
    Field("foreground", "colour", "marker outlines, and the chart palette's black",
          required=True),
    Field("fonts", "map", "font files by name, relative to a templates folder", required=True,
          open_keys=True, items=Field("font", "str", "a .ttf or .otf file, e.g. fonts/X.ttf")),
    Field("band", "map", "a stripe in the card's colour", required=True,
          fields=_box_fields("band")),
    Field("draw", "map", "a draw's card", required=True, fields=(
        _text_field("site_title", "the site's name"),
        Field("marker", "map", "the category's marker, beside the kicker's first line",
              required=True, fields=(
                  Field("x", "int", "left edge, in pixels", required=True,
                        minimum=0, maximum=WIDTH - 1),
                  Field("size", "int", "side of its square, in pixels", required=True,
                        minimum=4, maximum=HEIGHT))),
        _text_field("kicker", "the category's name"),
        _text_field("date", "the draw's date (never cut)"),
        Field("figures", "map", "the figures, one column each", required=True,
              fields=_box_fields("figures") + (
                  Field("gap", "int", "space between two columns", required=True,
                        minimum=0, maximum=WIDTH),
                  Field("label_gap", "int", "space between a value and its label",
                        required=True, minimum=0, maximum=HEIGHT),
                  Field("value", "map", "the figures' values (never cut)", required=True,
                        fields=_TYPE_FIELDS),
                  Field("label", "map", "the figures' labels", required=True,
                        fields=_TYPE_FIELDS))),
    )),
    Field("site", "map", "the site's card", required=True, fields=(
        _text_field("title", "the site's name"),
        _text_field("description", "the site's description"),
    )),
    Field("post", "map", "a post's card", required=True, fields=(
        _text_field("site_title", "the site's name"),
        _text_field("title", "the post's title"),
        _text_field("date", "the post's date (never cut)"),
    )),
)


def _font_file(name: str, template_dirs: Sequence[Path]) -> tuple[Path | None, str]:
    """The first templates folder's file `name`, or why it cannot be used."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name:
        return None, (f"'{name}' is not a path inside a templates folder "
                      "(a relative path such as fonts/DejaVuSans.ttf expected)")
    if pure.suffix.lower() not in FONT_SUFFIXES:
        return None, f"'{name}' is not a font file (a .ttf or .otf file expected)"
    for folder in template_dirs:
        path = folder / pure
        if path.is_file():
            if not path.resolve().is_relative_to(folder.resolve()):
                return None, (f"'{name}' leads outside {display_path(folder)} "
                              "(a file inside the templates folder expected)")
            return path, ""
    where = ", ".join(display_path(d) for d in template_dirs)
    return None, f"'{name}' is not in {where} (a font file there expected)"


def read_layout(template_dirs: Sequence[Path]) -> tuple[Layout | None, list[Problem]]:
    """Read and check the first `cards/layout.yaml` of `template_dirs` (the site's
    templates, then the theme's); font files are looked up the same way.

    Once every field is readable, the layout comes back even with problems, so that
    the fonts can be checked too (`present.cards.load_layout`): use it only if there
    are none. Its `fonts` are the files found."""
    path = next((d / LAYOUT_FILE for d in template_dirs if (d / LAYOUT_FILE).is_file()), None)
    if path is None:
        return None, [Problem(LAYOUT_FILE, 1, 1, "file",
                              "no card layout in any templates folder (the theme's expected)")]
    source, problems = read_yaml(path, display_path(path))
    if source is None:
        return None, problems
    reader = Reader(source.shown)
    data = reader.mapping(source.root, LAYOUT_FIELDS)
    if reader.problems:
        return None, reader.problems
    where = positions(source.root)
    problems = []
    fonts: dict[str, Path] = {}
    for name, file in data["fonts"].items():
        found, why = _font_file(file, template_dirs)
        if found is None:
            problems.append(_problem(source.shown, where, ("fonts", name), why))
        else:
            fonts[name] = found
    if not data["fonts"]:
        problems.append(_problem(source.shown, where, ("fonts",),
                                 "no fonts (at least one font file expected)"))
    digest = hashlib.sha256(path.read_bytes())
    for name in sorted(fonts):
        digest.update(f"\n{name}\n".encode())
        digest.update(fonts[name].read_bytes())
    return _build(data, fonts, source.shown, where, digest.hexdigest(), problems), problems


def _build(data: dict[str, Any], fonts: dict[str, Path], shown: str,
           where: Mapping[tuple[str, ...], tuple[int, int]], digest: str,
           problems: list[Problem]) -> Layout:
    """The layout from read values; what does not fit together goes to `problems`."""

    def fail(path: tuple[str, ...], message: str) -> None:
        problems.append(_problem(shown, where, path, message))

    def box(values: dict[str, Any], path: tuple[str, ...]) -> Box:
        result = Box(values["x"], values["y"], values["width"], values["height"])
        if result.x + result.width > WIDTH:
            fail(path + ("width",), f"x + width is {result.x + result.width} "
                                    f"(at most the card's width, {WIDTH}, expected)")
        if result.y + result.height > HEIGHT:
            fail(path + ("height",), f"y + height is {result.y + result.height} "
                                     f"(at most the card's height, {HEIGHT}, expected)")
        return result

    def type_of(values: dict[str, Any], path: tuple[str, ...]) -> Type:
        result = Type(values["font"], values["size"], values.get("min_size", values["size"]),
                      values.get("max_lines", 1), values.get("line_height", 120),
                      values["colour"], values.get("align", "top"))
        if result.font not in data["fonts"]:
            fail(path + ("font",), f"no font named '{result.font}'"
                 f"{did_you_mean(result.font, data['fonts'])} "
                 f"(one of: {', '.join(data['fonts'])} expected)")
        if result.min_size > result.size:
            fail(path + ("min_size",), f"{result.min_size} is larger than size "
                                       f"(at most {result.size} expected)")
        return result

    def text(values: dict[str, Any], path: tuple[str, ...]) -> Text:
        return Text(box(values, path), type_of(values, path))

    draw, site, post = data["draw"], data["site"], data["post"]
    marker = Marker(draw["marker"]["x"], draw["marker"]["size"])
    kicker = text(draw["kicker"], ("draw", "kicker"))
    if marker.x + marker.size > WIDTH:
        fail(("draw", "marker", "size"), f"x + size is {marker.x + marker.size} "
                                         f"(at most {WIDTH} expected)")
    if marker.size > kicker.box.height:
        fail(("draw", "marker", "size"), f"{marker.size} is taller than the kicker's box "
                                         f"(at most {kicker.box.height} expected)")
    f, path = draw["figures"], ("draw", "figures")
    figures = Figures(box(f, path), f["gap"], f["label_gap"],
                      type_of(f["value"], path + ("value",)),
                      type_of(f["label"], path + ("label",)))
    if figures.gap * (MAX_FIGURES - 1) >= figures.box.width:
        fail(path + ("gap",), f"{MAX_FIGURES} columns {figures.gap} apart leave no room "
                              f"(less than {figures.box.width // (MAX_FIGURES - 1)} expected)")
    return Layout(
        source=shown, fonts=fonts, background=data["background"],
        foreground=data["foreground"], band=box(data["band"], ("band",)),
        site_title=text(draw["site_title"], ("draw", "site_title")), marker=marker,
        kicker=kicker, date=text(draw["date"], ("draw", "date")), figures=figures,
        site_name=text(site["title"], ("site", "title")),
        description=text(site["description"], ("site", "description")),
        post_site_title=text(post["site_title"], ("post", "site_title")),
        post_title=text(post["title"], ("post", "title")),
        post_date=text(post["date"], ("post", "date")),
        digest=digest, positions=where)
