"""Build output for people: a closing line, --quiet, and a progress bar that only
appears on a terminal for builds that take more than a second."""

from __future__ import annotations

import io
import re

from drawdesk.build import build
from drawdesk.core.options import BuildConfig, build_now
from drawdesk.core.progress import Progress, terminal_progress
from tests.conftest import SiteFolder, draw_yaml

SUMMARY = re.compile(r"^Built (\d+) pages \((\d+) articles, (\d+) index pages, (\d+) feeds\) "
                     r"in \d+\.\d s: \d+ rendered, \d+ unchanged; \d+ files written, "
                     r"\d+ left as they were$")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_closing_line(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(date="2025-07-22", round=1))
    site.draw("b.yaml", draw_yaml(date="2025-07-23", round=2, category="general"))
    result = site.build()
    assert result.exit_code == 0
    match = SUMMARY.match(result.output.strip())
    assert match, result.output
    pages, articles, index_pages, feeds = map(int, match.groups())
    assert articles == 2 and pages == articles + index_pages
    assert feeds == 5  # RSS, Atom, one per category with draws, and the corrections feed
    assert "\r" not in result.output  # no progress bar when not a terminal


def test_quiet_prints_nothing_but_problems(site: SiteFolder):
    site.draw("a.yaml", draw_yaml(date="2025-07-26"))  # a Saturday: a warning
    result = site.build("--quiet")
    assert result.exit_code == 0
    assert result.output.strip().endswith("warning: 2025-07-26 is a Saturday; IRCC holds "
                                          "draws on weekdays (check the date)")
    assert "Built" not in result.output
    site.draw("a.yaml", draw_yaml(date="2025-07-22"))
    assert site.build("-q").output == ""


def test_progress_bar_waits_a_second_then_draws_and_clears():
    stream, clock = io.StringIO(), Clock()
    bar = Progress(stream, clock=clock, width=10)
    bar.start(4)
    bar.advance()
    assert stream.getvalue() == ""  # a quick build never shows a bar
    clock.now = 1.5
    bar.advance()
    assert stream.getvalue() == "\rBuilding [#####-----] 2/4"
    clock.now = 1.55
    bar.advance()  # drawn at most ten times a second
    assert stream.getvalue().count("\r") == 1
    clock.now = 2.0
    bar.advance()
    assert stream.getvalue().endswith("\rBuilding [##########] 4/4")
    bar.finish()
    assert stream.getvalue().endswith("\r" + " " * len("Building [##########] 4/4") + "\r")


def test_a_silent_progress_writes_nothing():
    bar = Progress(None, delay=0)
    bar.start(3)
    bar.advance(3)
    bar.finish()
    assert terminal_progress(quiet=True).stream is None


def test_build_reports_progress_per_article(site: SiteFolder):
    for day in range(1, 4):
        site.draw(f"{day}.yaml", draw_yaml(date=f"2025-07-0{day}", round=day))
    stream, clock = io.StringIO(), Clock()
    clock.now = 5.0  # pretend the build has already run for a while
    bar = Progress(stream, clock=clock)
    bar.started = 0.0
    config = BuildConfig(content=site.content, output=site.output, now=build_now(None))
    result = build(config, bar)
    assert result.articles == 3
    assert (bar.done, bar.total) == (4, 4)  # three articles and the write
    assert stream.getvalue().endswith("\r")  # cleared at the end
