"""The warm preview equals a clean build: every page `drawdesk serve` serves, after any
sequence of edits, is byte for byte what `drawdesk build` writes for the same inputs and
the preview's address, apart from the reload script; an invalid edit keeps the last good
site online with its problems; a page's reload token changes exactly when the page does."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from drawdesk.build import build
from drawdesk.core.caching import NoCache
from drawdesk.core.options import BuildConfig
from drawdesk.core.problems import ContentError, TemplateProblem
from drawdesk.tools.previewhttp import (
    STATUS_PATH,
    Status,
    make_server,
    overlay_html,
    page_digest,
    reload_script,
)
from drawdesk.tools.serve import DevSite
from tests.conftest import ROOT, SiteFolder, draw_yaml, snapshot

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CATEGORIES = ["healthcare", "stem", "general", "canadian-experience-class", "trades"]
DATES = [f"2025-{m:02d}-{d:02d}" for m in (1, 4, 9) for d in (6, 14, 22)]
DATES_2024 = [f"2024-{m:02d}-{d:02d}" for m in range(2, 10) for d in (6, 20)]
EXTRAS = ["", "title: A hand-written headline\n", "draft: true\n", "summary: Short.\n"]
INVALID = [("min_crs: ", "min_crs: 4,99\nx: "), ("date: ", "date: [\n"),
           ("category: ", "category: nowhere\nx: ")]
TEMPLATE_EDITS = [None, "<!-- one -->", "<!-- two -->", "{% block %}"]
CATEGORY_EDITS = [(), (("en: Healthcare and social services", "en: Health care"),),
                  (("en: STEM\n", "en: Science and technology\n"),)]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def served_as_built(body: bytes, problems: list[str]) -> bytes:
    """A served page without what the preview adds: its reload script and the problems
    overlay."""
    start = body.find(b"<script>/* drawdesk serve only")
    if start >= 0:
        end = body.index(b"</script>", start) + len(b"</script>")
        assert body[start:end].startswith(reload_script()[:80].encode())
        body = body[:start] + body[end:]
    if problems:
        body = body.replace(overlay_html(problems).encode(), b"", 1)
    return body


class WarmEdits(RuleBasedStateMachine):
    """One warm DevSite, its HTTP server, and a clean build after every edit."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp: Path | None = None

    @initialize(count=st.integers(min_value=0, max_value=6))
    def start(self, count: int) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="drawdesk-warm-"))
        self.site = SiteFolder(self.tmp / "site")
        self.draws: dict[str, tuple[str, str, int]] = {}
        self.broken: str | None = None  # an entry holding an invalid edit
        self.reported: set[str] = set()
        for i in range(count):
            self._write(f"d{i}.yaml", DATES[i % len(DATES)], CATEGORIES[i % 5], 300 + i, "")
        self.status = Status()
        self.server = make_server("127.0.0.1", 0, self.tmp / "served", self.status)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()
        config = BuildConfig(content=self.site.content, output=self.tmp / "served", now=NOW)
        self.dev = DevSite(config, self.url, self.status, lambda _: None, lambda _: None)
        self.early: list[tuple[str, bytes]] = []  # pages served before their build ended
        serve_early = self.dev.cache.early
        assert serve_early is not None

        def noted(path: str, data: bytes) -> None:
            self.early.append((path, data))
            serve_early(path, data)

        self.dev.cache.early = noted
        self.good: dict[str, bytes] = {}  # the last good clean build
        self.tokens: dict[str, str] = {}  # each page's reload token, as last served
        self.previous: dict[str, bytes] = {}  # the served folder at the last check
        self.dev.rebuild()
        self._check()

    def _write(self, name: str, date: str, category: str, round_: int, extra: str,
               invitations: int = 2000) -> None:
        taken = {(d, c) for n, (d, c, _) in self.draws.items() if n != name}
        if (date, category) in taken:
            extra += f"slug: {name[:-5]}-{date}\nid: {name[:-5]}-{date}\n"
        self.draws[name] = (date, category, round_)
        path = self.site.draw(name, draw_yaml(date=date, category=category, round=round_,
                                              invitations=invitations, extra=extra))
        self.reported.add(str(path))

    # -- edits ----------------------------------------------------------------------------
    @rule(date=st.sampled_from(DATES), category=st.sampled_from(CATEGORIES),
          extra=st.sampled_from(EXTRAS))
    def add(self, date: str, category: str, extra: str) -> None:
        name = f"n{len(self.draws)}.yaml"
        self._write(name, date, category, 500 + len(self.draws), extra)

    @rule(data=st.data(), invitations=st.integers(100, 7000), extra=st.sampled_from(EXTRAS))
    def edit(self, data, invitations: int, extra: str) -> None:
        if self.draws:
            name = data.draw(st.sampled_from(sorted(self.draws)))
            date, category, round_ = self.draws[name]
            self._write(name, date, category, round_, extra, invitations)

    @rule(data=st.data())
    def delete(self, data) -> None:
        if self.draws:
            name = data.draw(st.sampled_from(sorted(self.draws)))
            path = self.site.content / "draws" / name
            path.unlink()
            del self.draws[name]
            self.reported.add(str(path))

    @rule(data=st.data(), how=st.sampled_from(INVALID))
    def invalid_edit(self, data, how: tuple[str, str]) -> None:
        """An edit the build refuses; a later edit of the same entry fixes it."""
        if self.draws:
            name = data.draw(st.sampled_from(sorted(self.draws)))
            path = self.site.content / "draws" / name
            path.write_text(path.read_text(encoding="utf-8").replace(*how, 1),
                            encoding="utf-8")
            self.reported.add(str(path))

    @rule(edit=st.sampled_from(TEMPLATE_EDITS),
          which=st.sampled_from(["article.html", "compare.en.html", "i18n/en.yaml"]))
    def template(self, edit: str | None, which: str) -> None:
        target = self.site.content / "templates" / which
        if edit is None:
            if target.exists():
                target.unlink()
        else:
            text = (ROOT / "templates" / which).read_text(encoding="utf-8")
            if which.endswith(".yaml"):
                text = text.replace("Latest draws", f"Latest draws {edit[5:8]}")
            else:
                text += edit + "\n"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        self.reported.add(str(target))

    @rule(edit=st.sampled_from(CATEGORY_EDITS))
    def categories(self, edit) -> None:
        text = (ROOT / "content" / "categories.yaml").read_text(encoding="utf-8")
        for old, new in edit:
            text = text.replace(old, new)
        path = self.site.content / "categories.yaml"
        path.write_text(text, encoding="utf-8")
        self.reported.add(str(path))

    # -- the check ------------------------------------------------------------------------
    @invariant()
    def warm_equals_clean(self) -> None:
        if self.tmp is None:
            return
        self.dev.changed(sorted(self.reported))  # as the file watcher reports them
        self.reported.clear()
        self.dev.rebuild()
        self._check()

    def _check(self) -> None:
        assert self.tmp is not None
        clean = self.tmp / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        config = BuildConfig(content=self.site.content, output=clean, now=NOW,
                             base_url=self.url)
        try:
            build(config, cache=NoCache())
            problems: list[str] = []
        except ContentError as exc:
            problems = [str(p) for p in exc.problems]
        except TemplateProblem as exc:
            problems = [str(exc)]
        version, shown = self.status.snapshot()
        assert shown == problems  # the build's problems, shown over the page
        if problems:
            if not self.good:
                assert version == 0 and fetch(self.url)[0] == 503
                return
            expected = self.good  # the last good site stays online
        else:
            expected = self.good = snapshot(clean)
        served_files = snapshot(self.tmp / "served")
        assert set(served_files) == set(expected)
        if not problems:  # the pages being viewed, served ahead: as the build wrote them
            for path, data in self.early:
                assert data == served_files[path], path
        self.early.clear()
        for rel, data in expected.items():
            url = self.url + urllib.parse.quote(rel.removesuffix("index.html"))
            code, body = fetch(url)
            assert code == 200, rel
            assert served_as_built(body, shown) == data, rel
            if rel.endswith(".html"):
                self._reloads_only_when_changed(rel, served_files[rel])
        self.previous = served_files
        for rel in [r for r in expected if r.startswith("draws/")][:5] + ["index.html"]:
            fetch(self.url + rel.removesuffix("index.html"))  # viewed: made first next time

    def _reloads_only_when_changed(self, rel: str, on_disk: bytes) -> None:
        """The page's reload token (what its script compares) is the digest of the page
        as built, so it changes exactly when the page does."""
        page = "/" + rel.removesuffix("index.html")
        answer = json.loads(fetch(self.url + STATUS_PATH.lstrip("/") + "?page=" +
                                  urllib.parse.quote(page))[1])
        token = answer["page"]
        assert token == page_digest(on_disk)
        before = self.tokens.get(rel)
        if before is not None:
            assert (token != before) == (on_disk != self.previous.get(rel))
        self.tokens[rel] = token

    def teardown(self) -> None:
        if self.tmp is not None:
            self.server.shutdown()
            self.server.server_close()
            shutil.rmtree(self.tmp, ignore_errors=True)


TestWarmEqualsClean = WarmEdits.TestCase
TestWarmEqualsClean.settings = settings(max_examples=15, stateful_step_count=6, deadline=None,
                                        suppress_health_check=[HealthCheck.too_slow])


# -- the warm serve, in-process ------------------------------------------------------------
def warm_site(site: SiteFolder, output: Path) -> tuple[DevSite, Status]:
    status = Status()
    config = BuildConfig(content=site.content, output=output, now=NOW)
    return DevSite(config, "http://127.0.0.1:9/", status, lambda _: None,
                   lambda _: None), status


def test_an_edit_renders_only_what_it_changes_and_a_full_rebuild_everything(site, tmp_path):
    for i in range(16):  # two a month, in four categories
        site.draw(f"d{i}.yaml", draw_yaml(date=DATES_2024[i], round=300 + i,
                                          category=CATEGORIES[i % 4]))
    dev, _ = warm_site(site, tmp_path / "out")
    one_shot = replace(dev.config, output=tmp_path / "one-shot")  # with the disk cache
    first = dev.rebuild()
    assert first is not None and first.rendered == first.pages
    build(one_shot)
    entry = site.draw("d0.yaml", draw_yaml(date=DATES_2024[0], round=300, invitations=4321,
                                           category=CATEGORIES[0]))
    dev.changed([str(entry)])
    edited = dev.rebuild()
    # what a one-shot build with the disk cache renders again, no more
    assert edited is not None and 0 < edited.rendered == build(one_shot).rendered < edited.pages
    assert "4,321" in (tmp_path / "out" / "draws").joinpath(
        next(p.name for p in (tmp_path / "out" / "draws").iterdir()
             if DATES_2024[0] in p.name), "index.html").read_text(encoding="utf-8")
    assert dev.rebuild().rendered == 0  # nothing changed: nothing rendered
    full = dev.full_rebuild()
    assert full is not None and full.rendered == full.pages and full.written == 0


def test_an_edit_the_watcher_missed_is_still_built(site, tmp_path):
    """The stat of every input file is compared too: a missed event costs no wrong page."""
    entry = site.draw("a.yaml", draw_yaml(invitations=1000))
    dev, _ = warm_site(site, tmp_path / "out")
    dev.rebuild()
    entry.write_text(draw_yaml(invitations=1234), encoding="utf-8")
    assert dev.rebuild().rendered > 0  # not reported through changed()
    assert "1,234" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_several_quick_saves_make_one_rebuild(site, tmp_path):
    entries = [site.draw(f"d{i}.yaml", draw_yaml(date=f"2025-03-{i + 3:02d}", round=300 + i))
               for i in range(3)]
    dev, status = warm_site(site, tmp_path / "out")
    dev.rebuild()
    stop = threading.Event()
    builds: list[object] = []
    thread = threading.Thread(target=dev.watch, args=(stop, 0.2, builds.append))
    thread.start()
    try:
        time.sleep(0.6)  # the watcher is up
        for round_ in range(5):  # five saves, as an editor's save-all or a script makes
            for i, entry in enumerate(entries):
                entry.write_text(draw_yaml(date=f"2025-03-{i + 3:02d}", round=300 + i,
                                           invitations=2000 + round_), encoding="utf-8")
        deadline = time.monotonic() + 10
        while status.snapshot()[0] < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # and no second rebuild follows
    finally:
        stop.set()
        thread.join(5)
    assert len(builds) == 1 and status.snapshot()[0] == 2
    assert "2,004" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_what_every_kept_entry_and_fact_reads_is_followed(site, tmp_path):
    """A warm build keeps the draws, facts and entries that did not change (the same
    objects); a change that reaches all of them without touching an entry file (a
    headline's wording in the catalogue, the site's disclaimer, a category's name) still
    reaches every page, as a clean build shows it."""
    for i in range(6):
        site.draw(f"d{i}.yaml", draw_yaml(date=DATES_2024[i], round=300 + i,
                                          category=CATEGORIES[i % 3]))
    dev, _ = warm_site(site, tmp_path / "out")
    dev.rebuild()

    def same_as_clean(reported: Path, shown: str) -> None:
        dev.changed([str(reported)])
        assert dev.rebuild() is not None
        clean = replace(dev.config, output=tmp_path / "clean")
        shutil.rmtree(clean.output, ignore_errors=True)
        build(clean, cache=NoCache())
        warm = _files(tmp_path / "out")
        assert warm == _files(clean.output)
        articles = [text for rel, text in warm.items()
                    if rel.startswith("draws/") and rel.endswith("index.html")]
        assert len(articles) == 6 and all(shown.encode() in page for page in articles)

    catalogue = site.content / "templates" / "i18n" / "en.yaml"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text('draw_title: "Round of {invitations} invitations for {label}, '
                         'cut-off {crs}"\n', encoding="utf-8")
    same_as_clean(catalogue, "Round of 4,000 invitations for")
    site_yaml = site.content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace(
        "does not constitute legal advice", "is not legal advice"), encoding="utf-8")
    same_as_clean(site_yaml, "is not legal advice")
    categories = site.content / "categories.yaml"
    text = categories.read_text(encoding="utf-8")
    assert "en: Healthcare and social services" in text
    categories.write_text(text.replace("en: Healthcare and social services",
                                       "en: Health care"), encoding="utf-8")
    dev.changed([str(categories)])
    assert dev.rebuild() is not None
    clean = replace(dev.config, output=tmp_path / "clean")
    shutil.rmtree(clean.output, ignore_errors=True)
    build(clean, cache=NoCache())
    assert _files(tmp_path / "out") == _files(clean.output)
