"""Charts: what they plot is what the table beside them says.

Pages are parsed as a browser parses them (html5lib), and every plotted mark
is read back from its geometry through the axis ticks, so a chart whose marks
sit in the wrong place fails even if its data attributes are right.
"""

from __future__ import annotations

import copy
import datetime as dt
import http.server
import shutil
import subprocess
import threading
from functools import partial
from pathlib import Path

import html5lib
import pytest
from conftest import NOW, english_sample

from drawdesk.build import build
from drawdesk.core.options import BuildConfig
from drawdesk.present import charts

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    output = root / "output"
    build(BuildConfig(content=english_sample(root), output=output, now=NOW))
    return output


def parse(path: Path):
    return html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def day(value: str) -> dt.date:
    return dt.datetime.strptime(value.replace(" (this draw)", ""), "%B %d, %Y").date()


def number(value: str) -> int:
    return int(value.replace(",", ""))


def svg_by_id(doc, chart_id: str):
    found = [el for el in doc.iter(f"{SVG}svg") if el.get("id") == chart_id]
    assert len(found) == 1, chart_id
    return found[0]


def _axis(svg, kind: str):
    return next(g for g in svg.iter(f"{SVG}g") if g.get("class") == f"axis axis-{kind}")


class Plotted(list):
    """Values read back from marks' positions, each within `tolerance` of the truth.

    Coordinates are written to 0.1 of a unit, so a value read back is exact only
    to the value of about 0.1 unit; the marks' data-value must be exact."""

    def __init__(self, items, tolerance: float):
        super().__init__(items)
        self.tolerance = tolerance

    def matches(self, expected: list) -> bool:
        if len(self) != len(expected):
            return False
        for got, want in zip(self, expected, strict=True):
            if isinstance(want, tuple):
                if got[0] != want[0] or abs(got[1] - want[1]) > self.tolerance:
                    return False
            elif abs(got - want) > self.tolerance:
                return False
        return True


def _invert(pairs: list[tuple[float, float]]):
    """A linear map from position to value, and the value of 0.15 of a unit."""
    (p0, v0), (p1, v1) = pairs[0], pairs[-1]
    per = (v1 - v0) / (p1 - p0)
    return (lambda pos: v0 + (pos - p0) * per), abs(per) * 0.15


def y_value_map(svg):
    axis = _axis(svg, "y")
    lines = [float(el.get("y1")) for el in axis.iter(f"{SVG}line")]
    ticks = [int(el.get("data-tick")) for el in axis.iter(f"{SVG}text") if el.get("data-tick")]
    assert len(lines) == len(ticks) >= 2
    return _invert(list(zip(lines, ticks, strict=True)))


def x_value_map(svg):
    axis = _axis(svg, "x")
    pairs = [(float(el.get("x")), int(el.get("data-tick")))
             for el in axis.iter(f"{SVG}text") if el.get("data-tick")]
    return _invert(pairs)


def x_date_map(svg):
    axis = _axis(svg, "x")
    pairs = [(float(el.get("x")), dt.date.fromisoformat(el.get("data-date")).toordinal())
             for el in axis.iter(f"{SVG}text") if el.get("data-date")]
    return _invert(pairs)


def centre(mark) -> tuple[float, float]:
    tag = mark.tag[len(SVG):]
    if tag == "circle":
        return float(mark.get("cx")), float(mark.get("cy"))
    if tag == "rect":
        return (float(mark.get("x")) + float(mark.get("width")) / 2,
                float(mark.get("y")) + float(mark.get("height")) / 2)
    xs, ys = zip(*(map(float, p.split(",")) for p in mark.get("points").split()), strict=True)
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def marks(svg) -> list:
    return [el for el in svg.iter() if el.get("class") == "mark"]


def line_points(svg) -> Plotted:
    """(date, value) of every marker, read from its position alone."""
    y_of, y_tol = y_value_map(svg)
    x_of, _ = x_date_map(svg)
    points = []
    for mark in marks(svg):
        x, y = centre(mark)
        when = dt.date.fromordinal(round(x_of(x)))
        assert abs(x_of(x) - when.toordinal()) < 0.5
        assert when.isoformat() == mark.get("data-date")
        assert abs(y_of(y) - int(mark.get("data-value"))) <= y_tol
        points.append((when, y_of(y)))
    return Plotted(points, y_tol)


def data_points(svg) -> list[tuple[dt.date, int]]:
    return [(dt.date.fromisoformat(m.get("data-date")), int(m.get("data-value")))
            for m in marks(svg)]


def column_values(svg) -> Plotted:
    y_of, tol = y_value_map(svg)
    values = []
    for mark in marks(svg):
        top, bottom = float(mark.get("y")), float(mark.get("y")) + float(mark.get("height"))
        assert abs(y_of(bottom)) <= tol  # every bar starts at zero
        assert abs(y_of(top) - int(mark.get("data-value"))) <= tol
        values.append(y_of(top))
    return Plotted(values, tol)


def bar_values(svg) -> Plotted:
    x_of, tol = x_value_map(svg)
    values = []
    for mark in marks(svg):
        left, right = float(mark.get("x")), float(mark.get("x")) + float(mark.get("width"))
        assert abs(x_of(left)) <= tol
        assert abs(x_of(right) - int(mark.get("data-value"))) <= tol
        values.append(x_of(right))
    return Plotted(values, tol)


def data_values(svg) -> list[int]:
    return [int(m.get("data-value")) for m in marks(svg)]


def table_rows(table) -> list[list[str]]:
    return [[text(cell) for cell in tr if cell.tag in ("td", "th")]
            for tr in table.find("tbody").iter("tr")]


def test_category_charts_plot_the_category_table(sample_site):
    for key in ("provincial-nominee-program", "healthcare", "trades", "general"):
        doc = parse(sample_site / "category" / key / "index.html")
        rows = table_rows(doc.find(".//main//table"))  # date, round, invitations, min CRS
        oldest_first = list(reversed(rows))
        crs_chart = svg_by_id(doc, f"chart-crs-{key}")
        expected_crs = [(day(r[0]), int(r[3])) for r in oldest_first]
        assert line_points(crs_chart).matches(expected_crs), key
        assert data_points(crs_chart) == expected_crs
        invitations = svg_by_id(doc, f"chart-invitations-{key}")
        expected = [number(r[2]) for r in oldest_first]
        assert column_values(invitations).matches(expected), key
        assert data_values(invitations) == expected
        assert [m.get("data-date") for m in marks(invitations)] == [
            day(r[0]).isoformat() for r in oldest_first]


def test_home_chart_plots_the_last_twelve_months(sample_site):
    doc = parse(sample_site / "index.html")
    svg = svg_by_id(doc, "chart-recent")
    table = next(t for t in doc.iter("table"))
    rows = table_rows(table)  # date, category, min CRS; newest first
    assert text(table.find("caption")) == (
        "Every draw in the twelve months up to December 17, 2025, newest first")
    assert day(rows[0][0]) == dt.date(2025, 12, 17) and day(rows[-1][0]) == dt.date(2025, 1, 7)
    expected = {}
    for date, name, crs in reversed(rows):
        expected.setdefault(name, []).append((day(date), int(crs)))
    series = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") == "series":
            name = group.get("data-series")
            one = group_as_svg(svg, group)
            assert line_points(one).matches(expected[name]), name
            series[name] = data_points(one)
    assert series == expected
    legend = [text(li) for li in doc.find(".//ul[@class='legend']")]
    assert legend == list(series)  # one legend entry per line, in the same order


def group_as_svg(svg, group):
    """A chart with one series group, for reading it back with the chart's axes."""
    clone = copy.deepcopy(svg)
    for g in [g for g in clone if g.get("class") == "series"]:
        if g.get("data-series") != group.get("data-series"):
            clone.remove(g)
    return clone


def test_stats_page_charts_plot_its_tables(sample_site):
    doc = parse(sample_site / "stats" / "index.html")
    years = table_rows(next(t for t in doc.iter("table") if t.get("id") == "table-years"))
    assert years == [["2023", "4", "15,193", "489", "733"], ["2025", "58", "113,998", "379", "855"]]
    assert column_values(svg_by_id(doc, "chart-years")).matches([15193, 113998])
    assert data_values(svg_by_id(doc, "chart-years")) == [15193, 113998]
    cats = table_rows(next(t for t in doc.iter("table") if t.get("id") == "table-categories"))
    expected = [number(r[2]) for r in cats]
    assert bar_values(svg_by_id(doc, "chart-categories")).matches(expected)
    assert data_values(svg_by_id(doc, "chart-categories")) == expected
    assert [r[0] for r in cats][:2] == ["French-language proficiency",
                                        "Canadian Experience Class"]
    assert sum(number(r[2]) for r in cats) == 15193 + 113998


def test_charts_are_accessible_and_self_contained(sample_site):
    for page in ("index.html", "stats/index.html", "category/healthcare/index.html"):
        doc = parse(sample_site / page)
        svgs = [s for s in doc.iter(f"{SVG}svg") if "chart" in (s.get("class") or "")]
        assert svgs, page
        for svg in svgs:
            assert svg.get("role") == "img"
            title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
            assert title is not None and desc is not None and text(title) and text(desc)
            assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
            width = float(svg.get("viewBox").split()[2])
            # Scaled to a 320 px screen (about 288 px of content), text stays >= 9 px.
            assert width <= 400 and float(svg.get("font-size")) * 288 / width >= 9
            for el in svg.iter():
                assert not any(k.startswith("on") for k in el.keys())
                assert not any("http" in v and k.endswith("href") for k, v in el.items())
            titles = [text(el) for el in svg.iter(f"{SVG}text") if el.get("class") == "axis-title"]
            assert len(titles) == 2 and all(titles)
        assert not [s for s in doc.iter("script") if s.get("type") != "application/ld+json"]


def test_palette_is_colour_blind_safe_and_shapes_differ():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(charts.PALETTE) - {"currentColor"} <= okabe_ito
    styles = [charts.series_style(i) for i in range(12)]
    assert len(set(styles)) == 12  # colour and marker shape never both repeat


def test_nice_ticks_cover_the_values():
    assert charts.nice_ticks(0, 7500) == [0, 2000, 4000, 6000, 8000]
    assert charts.nice_ticks(462, 479) == [460, 465, 470, 475, 480]
    assert charts.nice_ticks(0, 1) == [0, 1]
    assert charts.nice_ticks(505, 505) == [505, 506]


def test_single_draw_category_chart():
    point = charts.Point(dt.date(2025, 9, 18), 505, "September 18, 2025: 505")
    svg = charts.line_chart(
        [charts.LineSeries("Trades", (point,))],
        charts.Labels("c", "Title", "Description", "Date", "Minimum CRS"),
        fmt=str, month_label=lambda d: d.strftime("%b %Y"), year_label=lambda d: str(d.year))
    doc = html5lib.parse(f"<!DOCTYPE html><title>x</title><p>{svg}",
                         namespaceHTMLElements=False)
    chart = doc.find(f".//{SVG}svg")
    assert [m.get("data-value") for m in marks(chart)] == ["505"]
    assert line_points(chart).matches([(dt.date(2025, 9, 18), 505)])
    ticks = [el.get("data-date") for el in chart.iter(f"{SVG}text") if el.get("data-date")]
    assert ticks == ["2025-09-01", "2025-10-01"]
    assert chart.find(f".//{SVG}path") is None  # one point: no line


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_charts_render_in_headless_chromium(sample_site, tmp_path):
    """Chromium reports SVG it cannot draw as console errors: there must be none."""
    root = tmp_path / "served"
    root.mkdir()
    (root / "news").symlink_to(sample_site)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for page in ("", "stats/", "category/provincial-nominee-program/"):
            url = f"http://127.0.0.1:{server.server_port}/news/{page}"
            run = subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--window-size=320,2000", "--enable-logging=stderr", "--v=0",
                 f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url],
                capture_output=True, text=True, timeout=60)
            assert run.returncode == 0, run.stderr[-2000:]
            console = [line for line in run.stderr.splitlines() if "CONSOLE" in line]
            assert console == [], console
            dom = html5lib.parse(run.stdout, namespaceHTMLElements=False)
            rendered = [s for s in dom.iter(f"{SVG}svg") if "chart" in (s.get("class") or "")]
            built = parse(sample_site / (page or "") / "index.html")
            assert len(rendered) == len(
                [s for s in built.iter(f"{SVG}svg") if "chart" in (s.get("class") or "")])
            assert sum(len(marks(s)) for s in rendered) > 0
    finally:
        server.shutdown()
        server.server_close()
