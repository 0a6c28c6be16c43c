"""Charts drawn at build time as inline SVG: no JavaScript, no external requests.

Every chart is an `<svg role="img">` with a `<title>` and a `<desc>`,
labelled axes and a colour-blind-safe palette (Okabe and Ito), with a marker
shape per series so colour is never the only cue. Each plotted mark carries
its value in `data-value` (and its date in `data-date`) and a `<title>`
tooltip. The viewBox is narrow and the text large, so a chart scaled down to
a 320 px screen stays readable; every page also shows the same numbers in a
table. All words come from the caller (templates and catalogue), never from
here; output is byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 400
FONT = 13  # in viewBox units: about 11 px on a 320 px screen
CHAR = 7.2  # the average width of a character at FONT, for layout
# Okabe and Ito's palette, strongest on white first; black is the text colour,
# so it follows a dark colour scheme.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "currentColor", "#E69F00",
           "#56B4E9", "#F0E442")
SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down")
# A marker's size is a circle's radius; a square's half side is 0.9 of it, and the
# pointed shapes (triangles, diamond) reach 1.2 of it from their centre.
SQUARE_HALF = 0.9
POINTED_HALF = 1.2
BAR = PALETTE[0]
BREAK_DAYS = 183  # a line chart leaves a longer gap between two points undrawn


@dataclass(frozen=True)
class Point:
    """One value on a time axis."""

    date: dt.date
    value: int
    tip: str  # the tooltip, e.g. "July 22, 2025: 475"


@dataclass(frozen=True)
class LineSeries:
    name: str
    points: tuple[Point, ...]  # oldest first


@dataclass(frozen=True)
class Bar:
    label: str  # the axis label, e.g. a year or a category
    value: int
    tip: str
    date: dt.date | None = None


@dataclass(frozen=True)
class Labels:
    """The words of one chart."""

    id: str  # unique on the page: the ids of <title> and <desc> derive from it
    title: str
    desc: str
    x_title: str
    y_title: str


@dataclass(frozen=True)
class LegendItem:
    name: str
    swatch: Markup  # a small inline SVG of the series' colour and marker


def _f(value: float) -> str:
    """A coordinate, rounded for stable, compact output."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def nice_ticks(low: float, high: float, count: int = 5) -> list[int]:
    """Round tick values covering [low, high]: steps of 1, 2, 2.5 or 5 times a power of 10."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next((m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw), 10 * power)
    step = max(1, round(step))
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    return list(range(int(first), int(last) + 1, int(step)))


def _scale(d0: float, d1: float, r0: float, r1: float) -> Callable[[float], float]:
    span = (d1 - d0) or 1
    return lambda v: r0 + (v - d0) / span * (r1 - r0)


def _month_ticks(start: dt.date, end: dt.date, most: int = 4) -> tuple[list[dt.date], bool]:
    """First days of months inside [start, end], at most `most`; True if yearly."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    for step in (1, 2, 3, 4, 6, 12, 24, 36, 60, 120, 240, 600, 1200):
        if months / step <= most:
            break
    ticks = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        day = dt.date(year, month, 1)
        index = year * 12 + month - 1
        if start <= day <= end and index % step == 0:
            ticks.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return ticks, step >= 12


def marker_points(shape: str, x: float, y: float, size: float) -> list[tuple[float, float]]:
    """The corners of a marker centred on (x, y), clockwise from the top; none for a circle
    (its radius is `size`)."""
    if shape == "circle":
        return []
    if shape == "square":
        s = size * SQUARE_HALF
        return [(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)]
    s = size * POINTED_HALF  # the point is the centre of the shape's bounding box
    return {
        "triangle": [(x, y - s), (x + s, y + s), (x - s, y + s)],
        "triangle-down": [(x, y + s), (x + s, y - s), (x - s, y - s)],
        "diamond": [(x, y - s), (x + s, y), (x, y + s), (x - s, y)],
    }[shape]


def marker(shape: str, x: float, y: float, colour: str, size: float = 4.5,
           attrs: str = "", children: str = "") -> str:
    """One point marker, with extra attributes and child elements."""
    paint = f'fill="{colour}" stroke="currentColor" stroke-width="0.75"{attrs}'
    if shape == "circle":
        head = f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(size)}" {paint}'
    elif shape == "square":
        s = size * SQUARE_HALF
        head = (f'<rect x="{_f(x - s)}" y="{_f(y - s)}" width="{_f(2 * s)}" '
                f'height="{_f(2 * s)}" {paint}')
    else:
        points = marker_points(shape, x, y, size)
        coords = " ".join(f"{_f(px)},{_f(py)}" for px, py in points)
        head = f'<polygon points="{coords}" {paint}'
    if not children:
        return head + "/>"
    return f"{head}>{children}</{head[1:head.index(' ')]}>"


def series_style(index: int) -> tuple[str, str]:
    """The colour and marker shape of the series at `index`."""
    return PALETTE[index % len(PALETTE)], SHAPES[index % len(SHAPES)]


def swatch(index: int) -> Markup:
    """A legend swatch: the series' line and marker, 28 by 14."""
    colour, shape = series_style(index)
    return Markup(
        '<svg class="swatch" width="28" height="14" viewBox="0 0 28 14" aria-hidden="true">'
        f'<line x1="1" y1="7" x2="27" y2="7" stroke="{colour}" stroke-width="2"/>'
        + marker(shape, 14, 7, colour, 4) + "</svg>")


def _open(labels: Labels, height: float, kind: str) -> list[str]:
    tid, did = f"{labels.id}-title", f"{labels.id}-desc"
    return [
        f'<svg class="chart chart-{kind}" id="{escape(labels.id)}" role="img" '
        f'viewBox="0 0 {WIDTH} {_f(height)}" aria-labelledby="{tid} {did}" '
        f'font-size="{FONT}" fill="currentColor">',
        f'<title id="{tid}">{escape(labels.title)}</title>',
        f'<desc id="{did}">{escape(labels.desc)}</desc>',
    ]


def _y_axis(out: list[str], ticks: list[int], y: Callable[[float], float], left: float,
            right: float, fmt: Callable[[int], str], title: str) -> None:
    out.append('<g class="axis axis-y">')
    for tick in ticks:
        ty = y(tick)
        out.append(f'<line x1="{_f(left)}" x2="{_f(right)}" y1="{_f(ty)}" y2="{_f(ty)}" '
                   'stroke="currentColor" stroke-opacity="0.18"/>')
        out.append(f'<text x="{_f(left - 6)}" y="{_f(ty + 4)}" text-anchor="end" '
                   f'data-tick="{tick}">{escape(fmt(tick))}</text>')
    out.append(f'<text class="axis-title" x="0" y="{FONT + 1}">{escape(title)}</text>')
    out.append("</g>")


def _x_title(out: list[str], left: float, right: float, height: float, title: str) -> None:
    out.append(f'<text class="axis-title" x="{_f((left + right) / 2)}" y="{_f(height - 6)}" '
               f'text-anchor="middle">{escape(title)}</text>')


def _left_margin(ticks: list[int], fmt: Callable[[int], str]) -> float:
    return max(len(fmt(t)) for t in ticks) * CHAR + 12


def line_chart(series: Sequence[LineSeries], labels: Labels, *, fmt: Callable[[int], str],
               month_label: Callable[[dt.date], str], year_label: Callable[[dt.date], str],
               height: float = 260) -> Markup:
    """Values over time, one line and marker shape per series (not from zero)."""
    points = [p for s in series for p in s.points]
    if not points:
        return Markup("")
    low, high = min(p.value for p in points), max(p.value for p in points)
    pad = max(1, round((high - low) * 0.05))
    ticks = nice_ticks(low - pad, high + pad)
    left, right, top, bottom = _left_margin(ticks, fmt), WIDTH - 14, 30, height - 46
    first, last = min(p.date for p in points), max(p.date for p in points)
    # Pad the dates, and always reach the first of the month on either side,
    # so the axis has at least two labelled ticks even for a single draw.
    margin = dt.timedelta(days=max(3, round((last - first).days * 0.04)))
    d0 = min(first - margin, first.replace(day=1))
    d1 = max(last + margin, (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1))
    x = _scale(d0.toordinal(), d1.toordinal(), left, right)
    y = _scale(ticks[0], ticks[-1], bottom, top)
    out = _open(labels, height, "line")
    _y_axis(out, ticks, y, left, right, fmt, labels.y_title)
    out.append('<g class="axis axis-x">')
    out.append(f'<line x1="{_f(left)}" x2="{_f(right)}" y1="{_f(bottom)}" y2="{_f(bottom)}" '
               'stroke="currentColor"/>')
    month_ticks, yearly = _month_ticks(d0, d1)
    for day in month_ticks:
        tx = x(day.toordinal())
        out.append(f'<line x1="{_f(tx)}" x2="{_f(tx)}" y1="{_f(bottom)}" '
                   f'y2="{_f(bottom + 5)}" stroke="currentColor"/>')
        label = year_label(day) if yearly else month_label(day)
        out.append(f'<text x="{_f(tx)}" y="{_f(bottom + 19)}" text-anchor="middle" '
                   f'data-date="{day.isoformat()}">{escape(label)}</text>')
    _x_title(out, left, right, height, labels.x_title)
    out.append("</g>")
    for index, s in enumerate(series):
        colour, shape = series_style(index)
        coords = [(x(p.date.toordinal()), y(p.value)) for p in s.points]
        out.append(f'<g class="series" data-series="{escape(s.name)}">')
        if len(coords) > 1:
            # A gap of more than half a year breaks the line: nothing is known between.
            steps = ["M" if i == 0 or (p.date - s.points[i - 1].date).days > BREAK_DAYS
                     else "L" for i, p in enumerate(s.points)]
            path = " ".join(f"{step}{_f(px)} {_f(py)}"
                            for step, (px, py) in zip(steps, coords, strict=True))
            out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2" '
                       'stroke-linejoin="round"/>')
        for p, (px, py) in zip(s.points, coords, strict=True):
            attrs = f' class="mark" data-date="{p.date.isoformat()}" data-value="{p.value}"'
            out.append(marker(shape, px, py, colour, attrs=attrs,
                              children=f"<title>{escape(p.tip)}</title>"))
        out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


def column_chart(bars: Sequence[Bar], labels: Labels, *, fmt: Callable[[int], str],
                 height: float = 260, label_every: int | None = None,
                 show_values: bool = False) -> Markup:
    """Vertical bars from zero, evenly spaced in the given order."""
    if not bars:
        return Markup("")
    ticks = nice_ticks(0, max(b.value for b in bars))
    left, right, top, bottom = _left_margin(ticks, fmt), WIDTH - 14, 30, height - 46
    y = _scale(0, ticks[-1], bottom, top)
    slot = (right - left) / len(bars)
    width = max(1.0, min(slot * 0.7, 48))
    out = _open(labels, height, "columns")
    _y_axis(out, ticks, y, left, right, fmt, labels.y_title)
    out.append('<g class="axis axis-x">')
    out.append(f'<line x1="{_f(left)}" x2="{_f(right)}" y1="{_f(bottom)}" y2="{_f(bottom)}" '
               'stroke="currentColor"/>')
    widest = max(len(b.label) for b in bars) * CHAR + 8
    every = label_every or max(1, math.ceil(widest / slot))
    shown = [i for i in range(len(bars)) if i % every == 0]
    if len(bars) - 1 not in shown and (len(bars) - 1 - shown[-1]) * slot >= widest:
        shown.append(len(bars) - 1)
    for i in shown:
        cx = left + slot * (i + 0.5)
        anchor = "middle"
        if cx - widest / 2 < 0:
            anchor, cx = "start", max(cx - width / 2, 2)
        elif cx + widest / 2 > WIDTH:
            anchor, cx = "end", cx + width / 2
        out.append(f'<text x="{_f(cx)}" y="{_f(bottom + 19)}" text-anchor="{anchor}">'
                   f'{escape(bars[i].label)}</text>')
    _x_title(out, left, right, height, labels.x_title)
    out.append("</g>")
    out.append(f'<g class="series" fill="{BAR}">')
    for i, bar in enumerate(bars):
        bx = left + slot * i + (slot - width) / 2
        by = y(bar.value)
        date = f' data-date="{bar.date.isoformat()}"' if bar.date else ""
        out.append(f'<rect class="mark" x="{_f(bx)}" y="{_f(by)}" width="{_f(width)}" '
                   f'height="{_f(bottom - by)}" data-value="{bar.value}"{date}>'
                   f'<title>{escape(bar.tip)}</title></rect>')
        if show_values:
            out.append(f'<text x="{_f(bx + width / 2)}" y="{_f(by - 4)}" text-anchor="middle" '
                       f'fill="currentColor">{escape(fmt(bar.value))}</text>')
    out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


def bar_chart(bars: Sequence[Bar], labels: Labels, *, fmt: Callable[[int], str]) -> Markup:
    """Horizontal bars from zero, one labelled row per bar, values at their ends."""
    if not bars:
        return Markup("")
    row, top = 26, 30
    ticks = nice_ticks(0, max(b.value for b in bars), 4)
    left = max(len(b.label) for b in bars) * CHAR + 10
    right = WIDTH - max(len(fmt(b.value)) for b in bars) * CHAR - 10
    bottom = top + row * len(bars)
    height = bottom + 46
    x = _scale(0, ticks[-1], left, right)
    out = _open(labels, height, "bars")
    out.append('<g class="axis axis-x">')
    for tick in ticks:
        tx = x(tick)
        out.append(f'<line x1="{_f(tx)}" x2="{_f(tx)}" y1="{top}" y2="{_f(bottom)}" '
                   'stroke="currentColor" stroke-opacity="0.18"/>')
        out.append(f'<text x="{_f(tx)}" y="{_f(bottom + 19)}" text-anchor="middle" '
                   f'data-tick="{tick}">{escape(fmt(tick))}</text>')
    out.append(f'<text class="axis-title" x="0" y="{FONT + 1}">{escape(labels.y_title)}</text>')
    _x_title(out, left, right, height, labels.x_title)
    out.append(f'<line x1="{_f(left)}" x2="{_f(left)}" y1="{top}" y2="{_f(bottom)}" '
               'stroke="currentColor"/>')
    out.append("</g>")
    out.append(f'<g class="series" fill="{BAR}">')
    for i, bar in enumerate(bars):
        by = top + row * i + 4
        out.append(f'<text x="{_f(left - 6)}" y="{_f(by + 13)}" text-anchor="end" '
                   f'fill="currentColor">{escape(bar.label)}</text>')
        out.append(f'<rect class="mark" x="{_f(left)}" y="{by}" '
                   f'width="{_f(x(bar.value) - left)}" height="{row - 8}" '
                   f'data-value="{bar.value}"><title>{escape(bar.tip)}</title></rect>')
        out.append(f'<text x="{_f(x(bar.value) + 5)}" y="{_f(by + 13)}" '
                   f'fill="currentColor">{escape(fmt(bar.value))}</text>')
    out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))
