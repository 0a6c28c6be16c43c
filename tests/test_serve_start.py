"""`drawdesk serve` starts from the build cache in `.drawdesk/`, as `drawdesk build` does:
entries parsed by an earlier build are not parsed again, and a preview folder kept
between previews (`--output`) has only the pages whose inputs changed rendered again."""

from __future__ import annotations

import datetime as dt
import re
import socket
from pathlib import Path

from click.testing import CliRunner

from drawdesk.build import build
from drawdesk.cli import main
from drawdesk.core.options import BuildConfig
from drawdesk.source import loader
from drawdesk.tools.previewhttp import Status
from drawdesk.tools.serve import DevSite
from tests.conftest import SiteFolder, draw_yaml

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CATEGORIES = ["healthcare", "stem", "general", "canadian-experience-class"]
MONDAYS = [(dt.date(2024, 2, 5) + dt.timedelta(weeks=i)).isoformat() for i in range(12)]
SUMMARY = re.compile(r"Built (\d+) pages .*: (\d+) rendered, (\d+) unchanged")


def _entries(site: SiteFolder, count: int = 12) -> list[Path]:
    return [site.draw(f"d{i}.yaml", draw_yaml(date=MONDAYS[i], round=300 + i,
                                              category=CATEGORIES[i % 4]))
            for i in range(count)]


def _interrupt(self, stop, **kwargs):  # stands in for the watch loop: Ctrl-C at once
    raise KeyboardInterrupt


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(site: SiteFolder, output: Path, port: int) -> tuple[int, int]:
    """Start `drawdesk serve --output OUTPUT` and stop it: (pages, rendered) of its
    first build, from its summary line. (Pages hold the server's address: the same port
    each time.)"""
    result = CliRunner().invoke(main, ["serve", "--content", str(site.content), "--port",
                                       str(port), "--output", str(output),
                                       "--now", "2026-01-01"])
    assert result.exit_code == 0, result.output
    found = SUMMARY.match(result.output.splitlines()[0])
    assert found is not None, result.output
    pages, rendered, unchanged = (int(n) for n in found.groups())
    assert rendered + unchanged == pages
    return pages, rendered


def test_a_restarted_preview_renders_only_the_pages_that_changed(site, tmp_path, monkeypatch):
    entries = _entries(site)
    monkeypatch.setattr(DevSite, "watch", _interrupt)
    preview, port = tmp_path / "preview", _free_port()
    pages, rendered = _start(site, preview, port)
    assert rendered == pages > 12  # nothing kept yet: every page
    assert _start(site, preview, port) == (pages, 0)  # nothing changed since: no page
    one_shot = BuildConfig(content=site.content, output=tmp_path / "one-shot", now=NOW)
    build(one_shot)
    entries[0].write_text(draw_yaml(date=MONDAYS[0], round=300, invitations=4321,
                                    category=CATEGORIES[0]), encoding="utf-8")
    after_edit = _start(site, preview, port)
    # what `drawdesk build` renders again after the same edit, no more
    assert after_edit[0] == pages and 0 < after_edit[1] == build(one_shot).rendered < pages
    shown = (preview / "draws").glob(f"*{MONDAYS[0]}*/index.html")
    assert any("4,321" in page.read_text(encoding="utf-8") for page in shown)


def test_a_preview_after_a_build_parses_no_entry_again(site, tmp_path, monkeypatch):
    _entries(site)
    one_shot = BuildConfig(content=site.content, output=tmp_path / "site", now=NOW)
    build(one_shot)
    parsed: list[Path] = []
    parse = loader._parse_draw

    def counted(path, *args, **kwargs):
        parsed.append(path)
        return parse(path, *args, **kwargs)

    monkeypatch.setattr(loader, "_parse_draw", counted)
    config = BuildConfig(content=site.content, output=tmp_path / "preview", now=NOW)
    dev = DevSite(config, "http://127.0.0.1:9/", Status(), lambda _: None, lambda _: None)
    first = dev.rebuild()
    assert first is not None and first.rendered == first.pages and parsed == []
    edited = site.draw("d3.yaml", draw_yaml(date=MONDAYS[3], round=303, invitations=4321,
                                            category=CATEGORIES[3]))
    dev.changed([str(edited)])
    again = dev.rebuild()  # warm now: only the edited entry is read again
    assert again is not None and parsed == [edited]
    # and the pages `drawdesk build` renders again after the same edit, no more
    assert 0 < again.rendered == build(one_shot).rendered < again.pages
