"""Incremental builds equal clean builds byte for byte, whatever the edits; untouched files stay."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from drawdesk.build import build
from drawdesk.buildcache.storage import CACHE_DIR
from drawdesk.core.caching import NoCache
from drawdesk.core.options import BuildConfig
from drawdesk.core.problems import ContentError
from tests.conftest import SITE_YAML, SiteFolder, build_with_sigterm, draw_yaml, snapshot

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CATEGORIES = ["healthcare", "stem", "general", "canadian-experience-class", "trades"]
DATES = [f"2024-{m:02d}-{d:02d}" for m in (3, 11) for d in (2, 9, 16)] + \
    [f"2025-{m:02d}-{d:02d}" for m in (1, 6, 12) for d in (5, 20)] + \
    ["2025-12-30", "2025-12-31", "2026-02-01"]  # news (the last two days), and scheduled
EXTRAS = ["", "title: A hand-written headline\n", "draft: true\n",
          "sections:\n  lede: An *editor's* lede.\n",
          "faq:\n  - question: Why?\n    answer: Because.\nfaq_mode: replace\n",
          "summary: Short.\n", "tie_break: 2025-03-13T13:08:29Z\n",
          # a correction changes its article, feeds, the sitemap and the corrections page
          "corrections:\n- at: 2026-03-01T12:00:00Z\n  by: editor\n  note: A fixed link.\n"]
# Posts: their categories put them on category pages and feeds, their links name draws
# (d0.yaml exists from the start when count > 0; a link to a missing one is an error).
POST_EXTRAS = ["", "categories: [healthcare]\n", "categories: [stem, trades]\ndraft: true\n",
               "faq:\n  - question: Why?\n    answer: Because.\n",
               "corrections:\n- at: 2026-03-01T12:00:00Z\n  by: editor\n  note: A fixed link.\n"]
POST_BODIES = ["Plain *Markdown*.", "See [the draw](../draws/d0.yaml).",
               "<script>x</script> [j](javascript:alert(1))"]
TEMPLATE_EDITS = [None, "<!-- one -->", "<!-- two -->"]
CATEGORY_EDITS = [(), (("en: Healthcare and social services", "en: Health care"),),
                  (("en: STEM\n", "en: Science and technology\n"),
                   ("en: All programs", "en: Every program"))]
SITE_EDITS = [("items_per_page: 3", "items_per_page: 3"), ("items_per_page: 3",
              "items_per_page: 2"), ("title: Test Desk", "title: Test Desk II"),
              ("items_per_page: 3", "items_per_page: 3\nfeed_items: 2"),
              ("items_per_page: 3", "items_per_page: 3\ncards: all"),
              ("items_per_page: 3", "items_per_page: 3\ncards: false"),
              ("items_per_page: 3", "items_per_page: 3\nwebsub_hub: https://hub.example.com/")]
# The build's "now" (NOW and days after it): which articles get a card of their own (the
# last 90 days) and which the news sitemap lists (the last two) follow it.
DAYS_LATER = [0, 1, 2, 60, 120]
LAYOUT_EDITS = [None, ('background: "#FFFFFF"', 'background: "#FFFDF5"'),
                ("size: 128, min_size: 72", "size: 112, min_size: 64"),
                ("size: 72, min_size: 44, max_lines: 4",  # a post's title
                 "size: 60, min_size: 40, max_lines: 4")]


TWO_PROCESSES = """
import drawdesk.parallel.rendering as parallel
parallel.MIN_DRAWS = 0
parallel.workers = lambda: 2
"""


def config(site: SiteFolder, output: Path, now: dt.datetime = NOW) -> BuildConfig:
    return BuildConfig(content=site.content, output=output, now=now)


def clean_build(site: SiteFolder, output: Path) -> dict[str, bytes]:
    shutil.rmtree(output, ignore_errors=True)
    build(config(site, output), cache=NoCache())
    return snapshot(output)


def outcome(run) -> list[str] | None:
    """None if the build succeeded, else the problems it reported, as printed."""
    try:
        run()
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return None


class Edits(RuleBasedStateMachine):
    """Random edit sequences, file system changes included; after each, the incremental
    build reports or writes exactly what a clean build does."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp: Path | None = None

    @initialize(count=st.integers(min_value=0, max_value=8), processes=st.sampled_from([1, 2]))
    def start(self, count: int, processes: int) -> None:
        import tempfile

        from drawdesk.parallel import rendering as parallel
        self.restore = (parallel.MIN_DRAWS, parallel.workers)
        parallel.MIN_DRAWS, parallel.workers = 0, lambda: processes  # both render paths
        self.tmp = Path(tempfile.mkdtemp(prefix="drawdesk-incremental-"))
        self.site = SiteFolder(self.tmp / "site")
        self.names: dict[str, str] = {}
        self.odd: list[Path] = []  # links and special files added among the entries
        for i in range(count):
            self._write(f"d{i}.yaml", DATES[i % len(DATES)], CATEGORIES[i % 5], 1000 + i,
                        450 + i, 300 + i, "")
        self.step = 0
        self.now = NOW
        self._check()

    def _write(self, name: str, date: str, category: str, invitations: int, crs: int,
               round_: int | None, extra: str) -> None:
        taken = {(d, c) for n, (d, c) in self.names.items() if n != name}
        if (date, category) in taken:  # one draw per category and day: its own slug and id
            extra = extra + f"slug: {name[:-5]}-{date}\nid: {name[:-5]}-{date}\n"
        self.names[name] = (date, category)
        rounds = {r for r in getattr(self, "rounds", {}).values()}
        self.rounds = {**getattr(self, "rounds", {})}
        self.rounds.pop(name, None)
        if round_ in rounds:
            round_ = None
        if round_ is not None:
            self.rounds[name] = round_
        self.site.draw(name, draw_yaml(date=date, category=category, invitations=invitations,
                                       min_crs=crs, round=round_, extra=extra))

    @rule(date=st.sampled_from(DATES), category=st.sampled_from(CATEGORIES),
          invitations=st.integers(100, 7000), crs=st.integers(300, 800),
          extra=st.sampled_from(EXTRAS), with_round=st.booleans())
    def add(self, date, category, invitations, crs, extra, with_round) -> None:
        name = f"n{len(self.names)}-{self.step}.yaml"
        self._write(name, date, category, invitations, crs,
                    400 + len(self.names) if with_round else None, extra)

    @rule(data=st.data(), invitations=st.integers(100, 7000), crs=st.integers(300, 800),
          extra=st.sampled_from(EXTRAS))
    def edit(self, data, invitations, crs, extra) -> None:
        if not self.names:
            return
        name = data.draw(st.sampled_from(sorted(self.names)))
        date, category = self.names[name]
        self._write(name, date, category, invitations, crs, self.rounds.get(name), extra)

    @rule(date=st.sampled_from(DATES), slug=st.sampled_from(["a", "b", "c"]),
          title=st.sampled_from(["News", "Other news"]), extra=st.sampled_from(POST_EXTRAS),
          body=st.sampled_from(POST_BODIES))
    def post(self, date, slug, title, extra, body) -> None:
        """Write (or rewrite) a post; one per slug, whatever its date."""
        folder = self.site.content / "posts"
        folder.mkdir(exist_ok=True)
        for old in folder.glob(f"*-{slug}.md"):
            old.unlink()
        (folder / f"{date}-{slug}.md").write_text(
            f"---\ntitle: {title}\ndate: {date}\nsummary: About {slug}.\n{extra}---\n{body}\n",
            encoding="utf-8")

    @rule(slug=st.sampled_from(["a", "b", "c"]))
    def remove_post(self, slug) -> None:
        for old in (self.site.content / "posts").glob(f"*-{slug}.md"):
            old.unlink()

    @rule(data=st.data(), date=st.sampled_from(DATES))
    def move(self, data, date) -> None:
        if not self.names:
            return
        name = data.draw(st.sampled_from(sorted(self.names)))
        _, category = self.names[name]
        self._write(name, date, category, 2000, 470, self.rounds.get(name), "")

    @rule(data=st.data())
    def delete(self, data) -> None:
        if not self.names:
            return
        name = data.draw(st.sampled_from(sorted(self.names)))
        (self.site.content / "draws" / name).unlink()
        del self.names[name]
        self.rounds.pop(name, None)

    @rule(edit=st.sampled_from(TEMPLATE_EDITS), which=st.sampled_from(
        ["article.html", "_macros.html", "compare.en.html", "i18n/en.yaml"]))
    def template(self, edit, which) -> None:
        own = self.site.content / "templates"
        target = own / which
        if edit is None:
            if target.exists():
                target.unlink()
            return
        theme = Path(__file__).resolve().parent.parent / "templates" / which
        text = theme.read_text(encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        if which.endswith(".yaml"):
            text = text.replace("Latest draws", f"Latest draws {edit[5:8]}")
        else:
            text = text + edit + "\n"
        target.write_text(text, encoding="utf-8")

    @rule(days=st.sampled_from(DAYS_LATER))
    def today(self, days: int) -> None:
        self.now = NOW + dt.timedelta(days=days)

    @rule(edit=st.sampled_from(LAYOUT_EDITS))
    def card_layout(self, edit) -> None:
        """The site's own share card layout: written, changed, or removed."""
        target = self.site.content / "templates" / "cards" / "layout.yaml"
        if edit is None:
            if target.exists():
                target.unlink()
            return
        theme = Path(__file__).resolve().parent.parent / "templates" / "cards" / "layout.yaml"
        text = theme.read_text(encoding="utf-8")
        assert edit[0] in text
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace(*edit), encoding="utf-8")

    @rule(edit=st.sampled_from(SITE_EDITS))
    def site_settings(self, edit) -> None:
        old, new = edit
        (self.site.content / "site.yaml").write_text(SITE_YAML.replace(old, new),
                                                     encoding="utf-8")

    @rule(edit=st.sampled_from(CATEGORY_EDITS))
    def categories(self, edit) -> None:
        """Rename a category, relabel another: every page and feed naming them follows."""
        sample = Path(__file__).resolve().parent.parent / "content" / "categories.yaml"
        text = sample.read_text(encoding="utf-8")
        for old, new in edit:
            assert old in text
            text = text.replace(old, new)
        (self.site.content / "categories.yaml").write_text(text, encoding="utf-8")

    # -- the file system: links, folders replaced by links, special files ---------------
    @rule(kind=st.sampled_from(["inside", "duplicate", "dangling", "loop", "outside",
                                "pipe", "folder-loop"]))
    def odd_entry(self, kind: str) -> None:
        """Add an entry that is a link (to a new draw elsewhere in content/, to an
        existing entry, to nothing, to itself, to outside the site) or a named pipe."""
        draws = self.site.content / "draws"
        name = f"x{len(self.odd)}-{self.step}" + ("" if kind == "folder-loop" else ".yaml")
        path = draws / name
        if kind == "inside":
            target = self.site.content / "elsewhere" / name
            target.parent.mkdir(exist_ok=True)
            target.write_text(draw_yaml(date=DATES[len(self.odd) % len(DATES)],
                                        category="stem", round=900 + len(self.odd)))
            path.symlink_to(Path("..") / "elsewhere" / name)
        elif kind == "duplicate" and self.names:
            path.symlink_to(sorted(self.names)[0])
        elif kind == "dangling":
            path.symlink_to("nowhere.yaml")
        elif kind == "loop":
            path.symlink_to(name)
        elif kind == "outside":
            outside = self.tmp / "outside.yaml"
            outside.write_text(draw_yaml(round=None, date="2025-05-05"))
            path.symlink_to(outside)
        elif kind == "pipe":
            os.mkfifo(path)
        elif kind == "folder-loop":
            path.symlink_to(".")
        self.odd.append(path)

    @rule(data=st.data())
    def remove_odd_entry(self, data) -> None:
        if self.odd:
            path = data.draw(st.sampled_from(self.odd))
            self.odd.remove(path)
            path.unlink()

    @rule(tree=st.sampled_from(["draws", "static"]))
    def folder_becomes_link(self, tree: str) -> None:
        """Replace content/draws (or static) by a link to a folder inside content/, or
        back; later edits go through the link."""
        folder = self.site.content / tree
        real = self.site.content / f"real-{tree}"
        if folder.is_symlink():
            folder.unlink()
            real.rename(folder)
            return
        if tree == "static" and not folder.exists():
            folder.mkdir()
            (folder / "CNAME").write_text(f"news{self.step}.example.org\n")
        if folder.exists():
            folder.rename(real)
            folder.symlink_to(real.name)
            self.odd = [real / p.name if p.parent == folder else p for p in self.odd]

    @rule(text=st.sampled_from(["a", "b"]), outside=st.booleans())
    def static_file(self, text: str, outside: bool) -> None:
        """A static file written (through a linked folder too), or linked from outside."""
        static = self.site.content / "static"
        static.mkdir(exist_ok=True)
        target = static / "robots-extra.txt"
        if target.is_symlink() or target.exists():
            target.unlink()
        if outside:
            (self.tmp / "secret.txt").write_text("secret")
            target.symlink_to(self.tmp / "secret.txt")
        else:
            target.write_text(text)

    @rule()
    def tamper_with_output(self) -> None:
        output = self.site.output
        pages = sorted(output.rglob("*.html")) if output.exists() else []
        if pages:
            pages[len(pages) // 2].write_text("edited by hand", encoding="utf-8")
            (output / "stray.txt").write_text("left by hand", encoding="utf-8")
            (output / "draws" / "stray").mkdir(parents=True, exist_ok=True)

    @invariant()
    def incremental_equals_clean(self) -> None:
        if self.tmp is None:
            return
        self._check()

    def _check(self) -> None:
        """The cached build reports what a clean build reports, or writes what it writes."""
        self.step += 1
        before = snapshot(self.site.output)
        cached = outcome(lambda: build(config(self.site, self.site.output, self.now)))
        clean = self.tmp / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        fresh = outcome(lambda: build(config(self.site, clean, self.now), cache=NoCache()))
        assert cached == fresh
        assert snapshot(self.site.output) == (snapshot(clean) if cached is None else before)

    def teardown(self) -> None:
        if self.tmp is not None:
            from drawdesk.parallel import rendering as parallel
            parallel.MIN_DRAWS, parallel.workers = self.restore
            shutil.rmtree(self.tmp, ignore_errors=True)


TestEdits = Edits.TestCase
TestEdits.settings = settings(max_examples=25, stateful_step_count=7, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])


def test_post_cards_follow_every_edit_as_a_clean_build_does(site, tmp_path):
    """A post's own card through the edits that make, change, keep or drop it: the
    incremental build writes what a clean build writes, cards included."""
    site.draw("d0.yaml", draw_yaml(date="2025-12-20", round=390))
    posts = site.content / "posts"
    posts.mkdir()

    def post(title: str, date: str = "2025-12-30", extra: str = "") -> None:
        for old in posts.glob("*.md"):
            old.unlink()
        (posts / f"{date}-p.md").write_text(
            f"---\ntitle: {title}\ndate: {date}\nsummary: About p.\n{extra}---\nBody.\n",
            encoding="utf-8")

    def layout(old: str, new: str) -> None:
        own = site.content / "templates" / "cards" / "layout.yaml"
        own.parent.mkdir(parents=True, exist_ok=True)
        theme = Path(__file__).resolve().parent.parent / "templates" / "cards" / "layout.yaml"
        text = theme.read_text(encoding="utf-8")
        assert old in text
        own.write_text(text.replace(old, new), encoding="utf-8")

    def site_yaml(extra: str) -> None:
        (site.content / "site.yaml").write_text(SITE_YAML + extra, encoding="utf-8")

    steps = [
        (lambda: post("News"), NOW),
        (lambda: post("Other news"), NOW),  # its card shows the new title
        (lambda: post("Other news", extra="categories: [stem]\n"), NOW),  # band colour
        (lambda: layout("size: 72, min_size: 44, max_lines: 4",
                        "size: 60, min_size: 40, max_lines: 4"), NOW),
        (lambda: None, NOW + dt.timedelta(days=120)),  # no longer recent: no card
        (lambda: site_yaml("cards: all\n"), NOW + dt.timedelta(days=120)),
        (lambda: post("Other news", date="2025-12-31"), NOW),  # moved: its card moves too
        (lambda: site_yaml("cards: false\n"), NOW),
    ]
    seen = set()
    for step, (edit, now) in enumerate(steps):
        edit()
        build(config(site, site.output, now))
        clean = tmp_path / f"clean{step}"
        build(config(site, clean, now), cache=NoCache())
        built = snapshot(site.output)
        assert built == snapshot(clean), step
        cards = tuple(sorted(k for k in built if k.startswith("posts/") and k.endswith(".png")))
        seen.add((cards, tuple(built[k] for k in cards)))
    assert len(seen) >= 5  # the post's card really changed along the way


def fill(site: SiteFolder, count: int = 8) -> None:
    for i in range(count):
        site.draw(f"d{i}.yaml", draw_yaml(date=f"2025-03-{i + 3:02d}", round=300 + i,
                                          invitations=1000 + i))


def test_editing_an_old_draw_renders_only_the_list_pages_that_show_it(site):
    fill(site, 12)  # 12 healthcare draws of 2025, 3 a page: home and category pages 1 to 4
    assert site.build().exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in site.output.rglob("*.html")}
    site.draw("d0.yaml", draw_yaml(date="2025-03-03", round=300, invitations=1999))
    result = site.build()
    assert result.exit_code == 0
    changed = sorted(p.relative_to(site.output).as_posix() for p in before
                     if p.stat().st_mtime_ns != before[p])
    articles = [p for p in changed if p.startswith("draws/")]
    assert len(articles) == 12  # its own, and every later one (year-to-date totals)
    assert [p for p in changed if not p.startswith("draws/")] == [
        "2025/index.html", "category/healthcare/index.html",  # tables of every draw
        "category/healthcare/page/4/index.html", "page/4/index.html",  # list it
        "stats/index.html"]
    # Pages 2 and 3 list later draws, whose facts changed but whose headlines did not:
    # they are not rendered. Rendered: the 17 changed pages and the home page, whose
    # chart data covers the draw (its bytes came out the same).
    rendered = int(re.search(r": (\d+) rendered", result.output).group(1))
    assert rendered == 18, result.output
    assert "1,999" in (site.output / "category/healthcare/page/4/index.html").read_text()


def test_untouched_pages_keep_their_file(site):
    fill(site)
    assert site.build().exit_code == 0
    old_article = site.output / "draws/2025-03-03-healthcare/index.html"
    os.utime(old_article, (1_000_000_000, 1_000_000_000))
    before = old_article.stat()
    site.draw("d7.yaml", draw_yaml(date="2025-03-10", round=307, invitations=1234))
    result = site.build()
    assert result.exit_code == 0, result.output
    after = old_article.stat()
    assert (after.st_mtime, after.st_ino) == (1_000_000_000, before.st_ino)
    assert "rendered" in result.output and "unchanged" in result.output
    changed = site.output / "draws/2025-03-10-healthcare/index.html"
    assert "1,234" in changed.read_text(encoding="utf-8")


def test_no_change_rebuild_renders_nothing(site):
    fill(site)
    assert site.build().exit_code == 0
    result = site.build()
    assert result.exit_code == 0
    assert ": 0 rendered," in result.output and "0 files written" in result.output


def test_one_entry_edit_renders_only_what_depends_on_it(site):
    fill(site, 12)
    (site.content / "site.yaml").write_text(SITE_YAML.replace("items_per_page: 3",
                                                              "items_per_page: 20"))
    assert site.build().exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in site.output.rglob("*.html")}
    site.draw("d11.yaml", draw_yaml(date="2025-03-14", round=311, invitations=1011,
                                    extra="title: A new headline\n"))
    result = site.build()
    assert result.exit_code == 0
    rendered = int(re.search(r": (\d+) rendered", result.output).group(1))
    # the newest draw: no other article compares with it; its article, the home page,
    # its category page and its year page receive it...
    assert rendered == 4, result.output
    changed = sorted(p.relative_to(site.output).as_posix() for p in before
                     if p.stat().st_mtime_ns != before[p])
    # ...and the year page's table shows no title, so its file is left alone
    assert changed == ["category/healthcare/index.html",
                       "draws/2025-03-14-healthcare/index.html", "index.html"]


@pytest.mark.parametrize("damage", ["truncate", "garble", "foreign", "empty", "directory"])
def test_damaged_or_foreign_cache_is_ignored(site, damage):
    fill(site)
    assert site.build().exit_code == 0
    site.draw("d1.yaml", draw_yaml(date="2025-03-04", round=301, invitations=4321))
    for path in (site.root / CACHE_DIR).iterdir():
        if path.name.startswith("."):
            continue
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garble":
            path.write_bytes(data[:-40] + bytes(b ^ 0x55 for b in data[-40:]))
        elif damage == "foreign":
            path.write_bytes(data.replace(b"drawdesk-cache/1", b"drawdesk-cache/0", 1))
        elif damage == "empty":
            path.write_bytes(b"")
        else:
            path.unlink()
            path.mkdir()
    result = site.build()
    assert result.exit_code == 0, result.output
    assert snapshot(site.output) == clean_build(site, site.root / "clean")


def test_cache_cannot_name_code(site):
    import pickle

    from drawdesk.buildcache import storage as cache

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    folder = site.root / CACHE_DIR
    cache.write(folder, "inputs", "v", {"x": Evil()})
    assert cache.read(folder, "inputs", "v") is None
    cache.write(folder, "inputs", "v", {"x": (1, 2)})
    assert cache.read(folder, "inputs", "v") == {"x": (1, 2)}
    assert cache.read(folder, "inputs", "other-version") is None
    del pickle


def test_hand_edits_to_output_are_undone(site):
    fill(site)
    assert site.build().exit_code == 0
    page = site.output / "draws/2025-03-05-healthcare/index.html"
    page.write_text("edited", encoding="utf-8")
    (site.output / "draws/2025-03-06-healthcare/index.html").unlink()
    (site.output / "extra.html").write_text("stray", encoding="utf-8")
    (site.output / "category" / "junk").mkdir()
    (site.output / "category" / "junk" / "x.txt").write_text("stray", encoding="utf-8")
    result = site.build()
    assert result.exit_code == 0
    assert snapshot(site.output) == clean_build(site, site.root / "clean")


def test_clean_command_removes_cache_and_output(site):
    from click.testing import CliRunner

    from drawdesk.cli import main
    fill(site, 2)
    assert site.build().exit_code == 0
    assert (site.root / CACHE_DIR).is_dir() and site.output.is_dir()
    result = CliRunner().invoke(main, ["clean", "--content", str(site.content), "--output",
                                       str(site.output)])
    assert result.exit_code == 0, result.output
    assert not (site.root / CACHE_DIR).exists() and not site.output.exists()


@pytest.mark.parametrize("processes", [2, 3])
def test_parallel_rendering_matches_one_process(site, monkeypatch, processes):
    from drawdesk.parallel import rendering as parallel
    fill(site, 9)
    site.draw("x.yaml", draw_yaml(date="2024-06-01", category="stem", round=200))
    reference = clean_build(site, site.root / "one")
    monkeypatch.setattr(parallel, "MIN_DRAWS", 0)
    monkeypatch.setattr(parallel, "workers", lambda: processes)
    forked = []
    real = parallel._render_pages
    monkeypatch.setattr(parallel, "_render_pages", lambda *a: forked.append(1) or real(*a))
    assert site.build().exit_code == 0
    assert snapshot(site.output) == reference
    site.draw("d4.yaml", draw_yaml(date="2025-03-07", round=304, invitations=77))
    result = site.build()
    assert result.exit_code == 0
    assert snapshot(site.output) == clean_build(site, site.root / "one")
    assert ": 0 rendered" not in result.output and " 0 unchanged;" not in result.output
    assert len(forked) == 2  # both builds rendered in several processes


def test_parallel_worker_failure_reports_the_error(site, monkeypatch):
    from drawdesk.parallel import rendering as parallel
    fill(site, 4)
    monkeypatch.setattr(parallel, "MIN_DRAWS", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    (site.content / "templates").mkdir()
    (site.content / "templates" / "article.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ no_such_thing.x }}\n{% endblock %}\n')
    result = site.build()
    assert result.exit_code == 1
    assert "article.html:3:1: template:" in result.output and "no_such_thing" in result.output
    assert not site.output.exists()
    assert not [p for p in site.root.iterdir() if p.name.startswith(".output.new-")]


def test_the_no_change_answer_takes_every_spelling_of_a_build_command_line(site):
    """One parser: whatever spelling the command line accepts gets the no-change answer
    (it once had a second parser for plain command lines only)."""
    from click.testing import CliRunner

    from drawdesk.cli import main
    fill(site, 2)
    assert site.build().exit_code == 0
    for args in (["--content", str(site.content), f"--output={site.output}", "-q",
                  "--now", "2026-01-01"],
                 ["--now=2026-01-01", "--output", str(site.output), "--content",
                  str(site.content)]):
        result = CliRunner().invoke(main, ["build", *args])
        assert result.exit_code == 0, result.output
        assert result.output == "" or ": 0 rendered," in result.output
    result = CliRunner().invoke(main, ["build", "--content", str(site.content), "--output",
                                       str(site.output), "--drafts=yes"])
    assert result.exit_code == 2  # a usage error, as from any command


def test_no_change_rebuild_through_the_command_line(site):
    import subprocess
    import sys

    from tests.conftest import ROOT
    fill(site, 3)
    site.draw("notes.txt", "not an entry\n")
    command = [sys.executable, "-m", "drawdesk", "build", "--content", str(site.content),
               "--output", str(site.output), "--now", "2026-01-01"]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert first.returncode == again.returncode == 0, first.stderr + again.stderr
    assert ": 0 rendered" in again.stdout and "0 files written" in again.stdout
    assert first.stderr == again.stderr and "notes.txt" in again.stderr  # the same warnings
    later = subprocess.run(command[:-1] + ["2026-02-01"], cwd=ROOT, capture_output=True,
                           text=True, timeout=60)  # another day: a full check, same pages
    assert later.returncode == 0 and ": 0 rendered" in later.stdout
    bad = subprocess.run(command[:-1] + ["tomorrow"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and "tomorrow" in bad.stderr  # click reports it, as before


def test_nested_recorders_each_get_their_reads():
    from drawdesk.buildcache import watched as tracking
    entries = tracking.Tracked("en:entries", {"a": 1, "b": 2})
    with tracking.Recorder() as page:
        with tracking.Recorder() as inner:  # both empty: equal sets, distinct recorders
            pass
        entries["a"]
        late, reads = tracking.recorded(lambda: entries["b"])  # made once, used again
        assert late == 2
    assert inner.reads == set()
    assert page.reads == {("en:entries", "a"), ("en:entries", "b")}
    with tracking.Recorder() as other:
        tracking.replay(reads)  # its reads count for the next page that uses it
    assert other.reads == {("en:entries", "b")}
    assert not tracking.recording()


def test_input_digests_are_trusted_from_stat_only_when_not_racy(tmp_path):
    import time

    from drawdesk.buildcache.storage import InputIndex
    path = tmp_path / "a.yaml"
    path.write_text("round: 1\n")
    first = InputIndex(None)
    digest = first.digest(str(path))
    assert first.snapshot()[str(path)][2] is False  # just written: could change unseen
    again = InputIndex(first.snapshot())
    assert again.digest(str(path)) == digest and again.take(str(path)) is not None  # read
    old = time.time() - 60
    os.utime(path, (old, old))
    aged = InputIndex(again.snapshot())
    assert aged.digest(str(path)) == digest and aged.changed  # read, and now trusted
    trusted = InputIndex(aged.snapshot())
    assert trusted.digest(str(path)) == digest
    assert trusted.take(str(path)) is None and not trusted.changed  # from stat alone
    path.write_text("round: 2\n")
    os.utime(path, (old, old))  # same size, same mtime: the inode's ctime still moved
    assert InputIndex(trusted.snapshot()).digest(str(path)) != digest


@pytest.mark.parametrize("count", [1, 2, 3, 4])
@pytest.mark.parametrize("seed", range(5))
def test_every_page_has_exactly_one_renderer(count, seed):
    """Processes move through the pages at different speeds, in any interleaving;
    whatever the order, each page is rendered by exactly one of them."""
    import random

    from drawdesk.parallel.rendering import Share, Tickets
    rng = random.Random(seed)
    tickets = Tickets()
    try:
        shares = [Share(tickets, index, count) for index in range(count)]
        speed = [rng.uniform(0.2, 1.0) for _ in shares]
        seen = [0] * count
        owners: dict[int, list[int]] = {}
        pages = 3000
        while min(seen) < pages:
            index = rng.choices(range(count), weights=speed)[0]
            if seen[index] == pages:
                continue
            if shares[index].mine():
                owners.setdefault(seen[index], []).append(index)
            seen[index] += 1
        assert sorted(owners) == list(range(pages))
        assert all(len(found) == 1 for found in owners.values())
    finally:
        tickets.close()


def test_pages_past_the_last_ticket_are_dealt_in_turn():
    from drawdesk.parallel.rendering import Share, Tickets
    tickets = Tickets()
    try:
        shares = [Share(tickets, index, 2) for index in range(2)]
        while shares[0].ticket is not None:  # the other process took every ticket
            shares[0].ticket = tickets.take()
        runs = Share.PAGES_PER_RUN
        start = tickets.count * runs
        for share in shares:
            share.seen = start
        mine = [[share.mine() for _ in range(4 * runs)] for share in shares]
        assert [a != b for a, b in zip(*mine, strict=True)] == [True] * (4 * runs)
        assert mine[0][:runs] == [True] * runs and mine[1][runs:2 * runs] == [True] * runs
    finally:
        tickets.close()


def test_cache_keeps_records_of_a_few_output_folders(site):
    from drawdesk.buildcache.disk import KEEP_OUTPUTS
    fill(site, 2)
    for n in range(KEEP_OUTPUTS + 3):
        assert build(config(site, site.root / f"out{n}")).files > 0
    suffixes = {p.name.partition("-")[2] for p in (site.root / CACHE_DIR).iterdir()
                if p.name.startswith(("build-", "pages-", "output-"))}
    assert len(suffixes) == KEEP_OUTPUTS


def test_sigterm_while_workers_render_leaves_output_intact(site):

    fill(site, 8)
    assert site.build().exit_code == 0
    before = snapshot(site.output)
    site.draw("d0.yaml", draw_yaml(date="2025-03-03", round=300, invitations=5))
    proc = build_with_sigterm(site, 3, TWO_PROCESSES)
    assert proc.returncode == 130, proc.stderr
    assert snapshot(site.output) == before
    assert not [p for p in site.root.iterdir() if p.name.startswith((".output.new-",
                                                                      ".output.old-"))]


def test_an_editions_digest_does_not_change_as_it_renders(site):
    """Page keys include the edition's settings; what renders cache as they go
    (feed bodies, year-table rows) must not enter them."""
    from drawdesk.build import prepare
    from drawdesk.buildcache.valuedigests import Fingerprinter
    from drawdesk.core.theme import THEME_DIR
    from drawdesk.present.pages import Edition
    from drawdesk.present.urls import Urls
    fill(site, 8)
    cfg = config(site, site.output)
    data, _ = prepare(cfg)
    edition = Edition(data, cfg.template_dirs(THEME_DIR), "en", Urls(data.site.base_url))
    before = Fingerprinter().fresh(edition.scope)
    assert len([task.prepare().make() for task in edition.articles()]) == 8
    assert edition._rows  # the articles' year tables filled the row cache
    assert Fingerprinter().fresh(edition.scope) == before


def test_digests_carried_to_the_next_warm_build_are_those_of_the_same_frozen_values():
    """A warm preview's next build takes the digests of the frozen values it keeps (the
    same objects); a mutable value, or an equal object, is digested again."""
    import dataclasses

    from drawdesk.buildcache.valuedigests import Fingerprinter

    @dataclasses.dataclass(frozen=True)
    class Kept:
        figure: int
        names: tuple[str, ...]

    kept, listed = Kept(1, ("a", "b")), [1, 2]
    first = Fingerprinter()
    digests = (first(kept), first(listed))
    carried = first.carry()
    assert set(carried) == {id(kept)}  # the list may change between builds: not carried
    assert carried[id(kept)] == (kept, digests[0])
    forged = {id(kept): (kept, "0" * 32)}  # what a carried digest is taken for
    assert Fingerprinter(forged)(kept) == "0" * 32
    assert Fingerprinter(forged)(Kept(1, ("a", "b"))) == digests[0]  # another object
    assert Fingerprinter(carried)(listed) == digests[1]


def test_a_cache_written_by_another_user_or_machine_is_ignored(site, monkeypatch):
    """The cache is keyed with this user's secret, uid and machine id: one restored from
    elsewhere (a CI cache from a pull request) is not trusted, whatever it holds."""
    from drawdesk.buildcache import storage as cache
    from drawdesk.buildcache.disk import DiskCache

    fill(site)
    assert site.build().exit_code == 0
    cfg = config(site, site.output)
    assert DiskCache(cfg).state is not None
    with monkeypatch.context() as elsewhere:
        elsewhere.setattr(cache, "cache_key", lambda: b"another user on another machine")
        assert DiskCache(cfg).state is None
        assert cache.read(site.root / CACHE_DIR, "inputs", DiskCache(cfg).version) is None
        site.draw("d1.yaml", draw_yaml(date="2025-03-04", round=301, invitations=4321))
        result = site.build()  # as if this cache had been written there
        assert result.exit_code == 0
        assert "0 unchanged" in result.output  # nothing trusted: every page rendered
    assert snapshot(site.output) == clean_build(site, site.root / "clean")


def test_compiled_templates_from_a_foreign_cache_never_run(site, tmp_path):
    """The cache holds compiled templates, which Python runs: a forged entry written
    under another key is ignored, while the same entry under this key would run."""
    import jinja2

    from drawdesk.buildcache import storage as cache
    from drawdesk.buildcache.digests import code_version

    fill(site)
    assert site.build().exit_code == 0
    folder, version = site.root / CACHE_DIR, code_version()
    stored = cache.read(folder, "templates", version)
    assert stored, "the build keeps compiled templates"
    ran = tmp_path / "forged-code-ran"
    forged = {}
    for key, (checksum, _) in stored.items():
        bucket = jinja2.bccache.Bucket(None, key, checksum)
        bucket.code = compile(f"open({str(ran)!r}, 'w').close()", "<forged>", "exec")
        forged[key] = (checksum, bucket.bytecode_to_string())
    real_key = cache.cache_key
    try:
        cache.cache_key = lambda: b"written on another machine"
        cache.write(folder, "templates", version, forged)
    finally:
        cache.cache_key = real_key
    site.draw("d1.yaml", draw_yaml(date="2025-03-04", round=301, invitations=4321))
    assert site.build().exit_code == 0
    assert not ran.exists()
    assert snapshot(site.output) == clean_build(site, site.root / "clean")
    cache.write(folder, "templates", version, forged)  # the control: under this key...
    site.draw("d1.yaml", draw_yaml(date="2025-03-04", round=301, invitations=1234))
    site.build()
    assert ran.exists()  # ...it runs: the key is what keeps it out
