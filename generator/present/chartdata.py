"""The site's charts: which numbers each page plots, in which words.

Charts are drawn by `present.charts`; the words (titles, descriptions,
axis titles, tooltips) come from the language's catalogue, and the numbers
from the derived data, so a chart and the table beside it always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..core.models import Category, Draw
from ..derive.statistics import Recent, Total
from . import charts, formatting
from .catalogue import Catalog


@dataclass(frozen=True)
class Figure:
    """A chart ready for a template: the SVG and, for several series, its legend."""

    svg: Markup
    legend: tuple[charts.LegendItem, ...] = ()


class Figures:
    """Builds the charts of one language edition."""

    def __init__(self, t: Catalog, lang: str, categories: dict[str, Category]):
        self.t = t
        self.lang = lang
        self.categories = categories

    def _number(self, value: int) -> str:
        return formatting.number(value, self.lang)

    def _date(self, value) -> str:
        return formatting.long_date(value, self.lang)

    def _line(self, series: list[charts.LineSeries], labels: charts.Labels) -> Markup:
        lang = self.lang
        return charts.line_chart(
            series, labels, fmt=self._number,
            month_label=lambda d: formatting.month_year(d, lang), year_label=lambda d: str(d.year))

    def category(self, cat: Category, newest_first: tuple[Draw, ...]) -> dict[str, Figure]:
        """A category page: minimum CRS over time, and invitations per draw."""
        t, draws = self.t, tuple(reversed(newest_first))
        name = cat.name[self.lang]
        common = {"name": name, "count": len(draws), "first": self._date(draws[0].date),
                  "last": self._date(draws[-1].date)}
        crs = [d.min_crs for d in draws]
        invitations = [d.invitations for d in draws]
        points = tuple(charts.Point(d.date, d.min_crs, t.chart_tip_crs.format(
            date=self._date(d.date), crs=d.min_crs)) for d in draws)
        crs_chart = self._line([charts.LineSeries(name, points)], charts.Labels(
            id=f"chart-crs-{cat.key}", title=t.chart_crs_title.format(**common),
            desc=t.chart_crs_desc.format(**common, low=min(crs), high=max(crs),
                                         latest=crs[-1]),
            x_title=t.axis_date, y_title=t.axis_min_crs))
        bars = [charts.Bar(formatting.short_date(d.date, self.lang), d.invitations,
                           t.chart_tip_invitations.format(
                               date=self._date(d.date), invitations=self._number(d.invitations)),
                           d.date) for d in draws]
        inv_chart = charts.column_chart(bars, charts.Labels(
            id=f"chart-invitations-{cat.key}", title=t.chart_invitations_title.format(**common),
            desc=t.chart_invitations_desc.format(
                **common, low=self._number(min(invitations)),
                high=self._number(max(invitations)), total=self._number(sum(invitations))),
            x_title=t.axis_draws, y_title=t.axis_invitations), fmt=self._number)
        return {"crs": Figure(crs_chart), "invitations": Figure(inv_chart)}

    def recent(self, recent: Recent | None) -> Figure | None:
        """The home page: cut-offs of the last twelve months, one line per category."""
        if recent is None or not recent.draws:
            return None
        t = self.t
        series = []
        for s in recent.series:
            name = self.categories[s.category].name[self.lang]
            series.append(charts.LineSeries(name, tuple(
                charts.Point(d.date, d.min_crs, t.chart_tip_recent.format(
                    name=name, date=self._date(d.date), crs=d.min_crs)) for d in s.draws)))
        crs = [d.min_crs for d in recent.draws]
        svg = self._line(series, charts.Labels(
            id="chart-recent", title=t.chart_recent_title,
            desc=t.chart_recent_desc.format(
                count=len(recent.draws), series=len(series),
                first=self._date(recent.draws[-1].date), last=self._date(recent.end),
                low=min(crs), high=max(crs)),
            x_title=t.axis_date, y_title=t.axis_min_crs))
        legend = tuple(charts.LegendItem(s.name, charts.swatch(i)) for i, s in enumerate(series))
        return Figure(svg, legend)

    def years(self, years: tuple[Total, ...]) -> Figure | None:
        """The stats page: invitations per year."""
        if not years:
            return None
        t = self.t
        bars = [charts.Bar(y.key, y.invitations, t.chart_tip_year.format(
            year=y.key, invitations=self._number(y.invitations))) for y in years]
        svg = charts.column_chart(bars, charts.Labels(
            id="chart-years", title=t.chart_years_title,
            desc=t.chart_years_desc.format(
                first=years[0].key, last=years[-1].key,
                total=self._number(sum(y.invitations for y in years))),
            x_title=t.axis_year, y_title=t.axis_invitations),
            fmt=self._number, show_values=len(bars) <= 8)
        return Figure(svg)

    def categories_total(self, totals: tuple[Total, ...]) -> Figure | None:
        """The stats page: invitations per category or program, all years."""
        if not totals:
            return None
        t = self.t
        bars = []
        for total in totals:
            cat = self.categories[total.key]
            bars.append(charts.Bar(cat.label[self.lang], total.invitations,
                                   t.chart_tip_category.format(
                                       name=cat.name[self.lang],
                                       invitations=self._number(total.invitations))))
        svg = charts.bar_chart(bars, charts.Labels(
            id="chart-categories", title=t.chart_categories_title,
            desc=t.chart_categories_desc.format(
                count=len(bars), total=self._number(sum(b.value for b in bars))),
            x_title=t.axis_invitations, y_title=t.axis_category), fmt=self._number)
        return Figure(svg)
