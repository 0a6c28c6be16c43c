"""Benchmark drawdesk on a seeded synthetic site, against the floor, in one run.

    python bench/run.py --draws 10000
    python bench/run.py --draws 1000 --repeat 3

Each scenario runs `python -m drawdesk build` as a child process and reads
its wall time and peak memory (ru_maxrss from os.wait4, so the figure is the
child's own). The floor does the least any generator must do for the same
number of pages in the same run: load every entry with PyYAML's C loader,
render one compiled Jinja2 template per page, write each file. Every figure is
also given as a ratio to the floor, so results compare across machines.

A last row, the one-shot edit floor, is the least a build started afresh must
do after one entry changed, even if telling which pages changed and rendering
them cost nothing (see EDIT_FLOOR): it bounds what any one-shot incremental
build of this site can reach.

With --serve-latency, the run also measures the edit-to-page latency of
`drawdesk serve` (bench/serving.py): from writing one entry's new invitations
figure to the served page showing it, polled over HTTP as a browser would,
median of --edits edits; and, when Hugo and its anchor site are there (see
bench/anchor.py), the same latency of `hugo server` and the clean build of the
Hugo site with the same number of draws, so the ratios come from one run:

    python bench/run.py --draws 1000 --serve-latency --hugo-anchor ../shared/anchors/hugo
    python bench/run.py --draws 438 --density 40 --languages en,fr --serve-latency

With --cards, the run also measures what share cards cost: clean builds with
`cards: false`, the default (`recent`: the articles of the last 90 days and the
list pages) and `cards: all`, alternating in one run (median of --repeat), each
as a ratio to the build without cards (issue 21's budget for the default: 1.3):

    python bench/run.py --draws 438 --density 40 --languages en,fr --cards --repeat 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import anchor  # noqa: E402
import serving  # noqa: E402
from synth import language_list, write_site  # noqa: E402

HUGO_ANCHOR = ROOT.parent / "shared" / "anchors" / "hugo"

FLOOR = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import jinja2, yaml
    content, out, pages = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    env = jinja2.Environment(autoescape=True)
    page = env.from_string(
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{{ d.date }}</title>"
        "</head><body><main><h1>{{ d.category }} {{ d.invitations }}</h1>"
        "{% for p in paras %}<p>{{ p }} {{ d.min_crs }}</p>{% endfor %}</main></body></html>")
    paras = ["IRCC has issued another round of invitations through Express Entry." * 3] * 30
    files = sorted((content / "draws").glob("*.yaml"))
    draws = [yaml.load(f.read_text(encoding="utf-8"), Loader=loader) for f in files]
    for i in range(pages):
        target = out / str(i) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.render(d=draws[i % len(draws)], paras=paras), encoding="utf-8")
""")

# The least a one-shot build of an edited site must do, everything else taken as free:
# start Python and import drawdesk, stat every entry, load the site already validated
# and derived (one pickle, made beforehand), make every headline (listings show them;
# equal ones are told apart), and remake the open data files (they list every draw).
# Not counted: parsing, validating, deriving, telling which pages changed, rendering.
EDIT_FLOOR = textwrap.dedent("""
    import os, pickle, sys
    from pathlib import Path
    from drawdesk.present.opendata import OpenData
    from drawdesk.core.theme import THEME_DIR
    from drawdesk.present.pages import Edition
    from drawdesk.present.urls import Urls
    content, site, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    for entry in os.scandir(content / "draws"):
        entry.stat()
    with open(site, "rb") as handle:
        data = pickle.load(handle)
    urls = Urls(data.site.base_url)
    Edition(data, [THEME_DIR], data.site.main_language, urls)
    files = OpenData(data, urls)
    out.mkdir(parents=True, exist_ok=True)
    (out / "draws.json").write_bytes(files.json())
    (out / "draws.csv").write_bytes(files.csv())
    sys.stdout.flush()
    os._exit(0)  # as drawdesk build does: no teardown of the site
""")
NOW = "2026-01-01"  # every draw synth writes is published by then
DERIVED_SITE = textwrap.dedent("""
    import datetime as dt, pickle, sys
    from pathlib import Path
    from drawdesk.build import prepare
    from drawdesk.core.options import BuildConfig
    config = BuildConfig(content=Path(sys.argv[1]), output=Path(sys.argv[2]),
                         now=dt.datetime(2026, 1, 1))
    data, _ = prepare(config)
    with open(sys.argv[3], "wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
""")


def timed(args: list[str], cwd: Path = ROOT) -> tuple[float, float, str, float]:
    """Run a child: wall seconds, peak memory (ru_maxrss from wait4: the largest of the
    child and the workers it forked), stdout, and CPU seconds (user + system, workers
    included)."""
    with tempfile.TemporaryFile() as errors:  # a file: a chatty child never blocks on it
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=errors)
        out_chunks = []
        stdout = proc.stdout
        assert stdout is not None
        for chunk in iter(lambda: stdout.read(65536), b""):
            out_chunks.append(chunk)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read().decode()
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err}")
    return (seconds, usage.ru_maxrss / 1024, b"".join(out_chunks).decode(),
            usage.ru_utime + usage.ru_stime)


def pages_built(stdout: str) -> int:
    line = [x for x in stdout.splitlines() if x.startswith("Built ")][-1]
    return int(line.split()[1])


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs per scenario (median)")
    parser.add_argument("--workdir", type=Path, default=None)
    shape = parser.add_argument_group("the synthetic site's shape (bench/synth.py)")
    shape.add_argument("--density", type=float, default=None, metavar="N",
                       help="draws a year, ending 2025 (IRCC: about 40; the real record: "
                            "--draws 438 --density 40); default: about one a day")
    shape.add_argument("--languages", type=language_list, default=("en",), metavar="LIST",
                       help="the editions, comma-separated: en (default) or en,fr")
    parser.add_argument("--cards", action="store_true",
                        help="also compare clean builds with cards: false, recent and all")
    serve = parser.add_argument_group("preview servers (bench/serving.py)")
    serve.add_argument("--serve-latency", action="store_true",
                       help="also time edit to page of drawdesk serve, and of hugo server "
                            "with Hugo's clean build when Hugo and its anchor are there")
    serve.add_argument("--edits", type=int, default=3, metavar="N",
                       help="edits per server (median; default 3)")
    serve.add_argument("--poll-ms", type=float, default=20, metavar="MS",
                       help="how often the page is fetched after an edit (default 20)")
    serve.add_argument("--edit-timeout", type=float, default=600, metavar="S",
                       help="give up when a page has not changed after S seconds (600)")
    serve.add_argument("--hugo-anchor", type=Path, default=HUGO_ANCHOR, metavar="DIR",
                       help="the Hugo site to compare with (default: ../shared/anchors/hugo "
                            "beside the repository)")
    serve.add_argument("--no-hugo", action="store_true", help="leave out the Hugo rows")
    args = parser.parse_args()
    if args.draws < 2 or args.edits < 1 or args.repeat < 1 or args.poll_ms <= 0:
        parser.error("--draws needs at least 2; --edits, --repeat and --poll-ms above 0")
    if args.density is not None and args.density <= 0:
        parser.error("--density: draws a year, above 0")
    return args


def main() -> None:
    args = parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="drawdesk-bench-"))
    if work.exists():
        shutil.rmtree(work)
    paths = write_site(work, args.draws, args.seed, args.density, args.languages)
    content, output = work / "content", work / "output"
    build = [sys.executable, "-m", "drawdesk", "build", "--content", str(content),
             "--output", str(output), "--now", NOW]

    trash = work / "trash"

    def discard(path: Path) -> None:
        """Move `path` aside; it is deleted after the measurements. Deleting tens of
        thousands of files just before a measured build slows that build's file
        creation (ext4 avoids reusing recently freed inodes), which no real build
        started from a fresh checkout would see."""
        if path.exists():
            trash.mkdir(exist_ok=True)
            path.rename(trash / str(sum(1 for _ in trash.iterdir())))

    def clean_state() -> None:
        discard(output)
        discard(content.parent / ".drawdesk")

    results: list[tuple[str, float, float, int, float]] = []

    def measure(name: str, before=None) -> None:
        runs = []
        for _ in range(args.repeat):
            if before:
                before()
            runs.append(timed(build))
        seconds = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        cpu = statistics.median(r[3] for r in runs)
        results.append((name, seconds, peak, pages_built(runs[-1][2]), cpu))

    measure("clean full build", clean_state)
    measure("no-change rebuild")
    target = paths[len(paths) // 2]
    original = target.read_text(encoding="utf-8")

    def edit_entry() -> None:
        text = target.read_text(encoding="utf-8")
        number = int(text.split("invitations: ")[1].split()[0])
        target.write_text(text.replace(f"invitations: {number}",
                                       f"invitations: {number + 1}"), encoding="utf-8")

    measure("one-entry edit", edit_entry)
    own = content / "templates"
    own.mkdir(exist_ok=True)
    theme_article = (ROOT / "templates" / "article.html").read_text(encoding="utf-8")

    def edit_template() -> None:
        stamp = (own / "article.html").read_text().count("<!-- edit -->") + 1 \
            if (own / "article.html").exists() else 1
        (own / "article.html").write_text(theme_article + "<!-- edit -->\n" * stamp)

    measure("one-template edit", edit_template)
    counter = [0]

    def new_draw() -> None:
        counter[0] += 1
        (content / "draws" / f"new-{counter[0]}.yaml").write_text(  # no round: any size
            f"date: 2025-12-31\ntype: category-based\n"
            f"category: stem\nslug: new-draw-{counter[0]}\nid: new-draw-{counter[0]}\n"
            f"invitations: 1000\nmin_crs: 480\n", encoding="utf-8")

    measure("new draw added", new_draw)
    target.write_text(original, encoding="utf-8")
    pages = results[0][3]
    floor_runs = []
    for _ in range(args.repeat):
        floor_out = work / "floor"
        discard(floor_out)
        floor_runs.append(timed([sys.executable, "-c", FLOOR, str(content), str(floor_out),
                                 str(pages)]))
    site_pickle = work / "site.pickle"
    timed([sys.executable, "-c", DERIVED_SITE, str(content), str(output), str(site_pickle)])
    edit_floor_runs = [timed([sys.executable, "-c", EDIT_FLOOR, str(content), str(site_pickle),
                              str(work / "edit-floor")]) for _ in range(args.repeat)]
    floor = statistics.median(r[0] for r in floor_runs)
    floor_peak = max(r[1] for r in floor_runs)
    floor_cpu = statistics.median(r[3] for r in floor_runs)
    shape = "".join([f", {args.density:g} draws a year" if args.density else "",
                     f", languages {','.join(args.languages)}"
                     if args.languages != ("en",) else ""])
    print(f"drawdesk benchmark: {args.draws} draws, {pages} pages{shape}, seed {args.seed}, "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {args.repeat}")
    print(f"{'scenario':<20} {'seconds':>8} {'pages/s':>9} {'x floor':>8} {'peak MiB':>9} "
          f"{'cpu s':>7}")
    for name, seconds, peak, built, cpu in results:
        rate = built / seconds if seconds else float("inf")
        print(f"{name:<20} {seconds:8.2f} {rate:9.0f} {seconds / floor:8.2f} {peak:9.0f} "
              f"{cpu:7.2f}")
    print(f"{'floor':<20} {floor:8.2f} {pages / floor:9.0f} {1:8.2f} {floor_peak:9.0f} "
          f"{floor_cpu:7.2f}")
    edit_floor = statistics.median(r[0] for r in edit_floor_runs)
    print(f"{'one-shot edit floor':<20} {edit_floor:8.2f} {'':>9} {edit_floor / floor:8.2f} "
          f"{max(r[1] for r in edit_floor_runs):9.0f} "
          f"{statistics.median(r[3] for r in edit_floor_runs):7.2f}", flush=True)
    if args.cards:
        cards_cost(args, content, output, build, clean_state)
    if args.serve_latency:
        discard(own)  # serve the site as synth wrote it: no template override,
        for number in range(1, counter[0] + 1):  # none of the draws added above
            discard(content / "draws" / f"new-{number}.yaml")
        clean = {name: (seconds, peak) for name, seconds, peak, _, _ in results}
        serve_latency(args, work, content, target, clean, discard)
    shutil.rmtree(trash, ignore_errors=True)
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


CARD_SETTINGS = ("false", "recent", "all")


def cards_cost(args: argparse.Namespace, content: Path, output: Path, build: list[str],
               clean_state) -> None:
    """Clean builds with each `cards` setting, alternating (so that a slower moment of the
    machine falls on all of them), and each as a ratio to the build without cards."""
    settings = content / "site.yaml"
    original = settings.read_text(encoding="utf-8")
    runs: dict[str, list[tuple[float, float, str, float]]] = {c: [] for c in CARD_SETTINGS}
    made: dict[str, int] = {}
    try:
        for _ in range(args.repeat):
            for setting in CARD_SETTINGS:
                settings.write_text(original + f"cards: {setting}\n", encoding="utf-8")
                clean_state()
                runs[setting].append(timed(build))
                made[setting] = sum(1 for _ in output.rglob("*.png"))
    finally:
        settings.write_text(original, encoding="utf-8")
    none = statistics.median(r[0] for r in runs["false"])
    print(f"share cards: clean builds, alternating, median of {args.repeat}")
    print(f"{'cards':<20} {'seconds':>8} {'x none':>8} {'PNGs':>6} {'peak MiB':>9} "
          f"{'cpu s':>7}")
    for setting in CARD_SETTINGS:
        seconds = statistics.median(r[0] for r in runs[setting])
        print(f"{'cards: ' + setting:<20} {seconds:8.2f} {seconds / none:8.2f} "
              f"{made[setting]:6d} {max(r[1] for r in runs[setting]):9.0f} "
              f"{statistics.median(r[3] for r in runs[setting]):7.2f}", flush=True)


def serve_latency(args: argparse.Namespace, work: Path, content: Path, target: Path,
                  builds: dict[str, tuple[float, float]], discard) -> None:
    """Time edit to page of drawdesk serve and, beside it, of hugo server, with Hugo's
    clean build; print them and the ratios of issue 18's targets."""
    edition = "en/" if len(args.languages) > 1 else ""
    common = dict(edits=args.edits, poll=args.poll_ms / 1000, timeout=args.edit_timeout)
    runs = [serving.measure(serving.Latency(
        "drawdesk serve",
        [sys.executable, "-m", "drawdesk", "serve", "--content", str(content),
         "--host", "127.0.0.1", "--port", "0", "--output", str(work / "serve"), "--now", NOW],
        ROOT, target, f"{edition}draws/{target.stem}/", serving.drawdesk_reported, **common))]
    hugo_note = "left out (--no-hugo)" if args.no_hugo else anchor.why_not(args.hugo_anchor)
    hugo_build = None
    if hugo_note is None:
        site = anchor.prepare(args.hugo_anchor, work / "hugo", args.draws)
        hugo_runs = []
        for _ in range(args.repeat):
            discard(site.root / "public")
            discard(site.root / "resources")
            hugo_runs.append(timed(site.clean_build(), cwd=site.root))
        hugo_build = (statistics.median(r[0] for r in hugo_runs),
                      anchor.pages_written(site.root / "public"),
                      max(r[1] for r in hugo_runs), statistics.median(r[3] for r in hugo_runs))
        discard(site.root / "public")
        runs.append(serving.measure(serving.Latency(
            "hugo server", site.server(anchor.free_port()), site.root, site.middle_entry,
            site.middle_page, serving.hugo_reported, **common)))
        hugo_note = (f"{anchor.short_version(site.version)}, anchor {args.hugo_anchor}, "
                     f"{args.draws} draws")
    print()
    print(f"edit to page: from writing one entry to its served page showing the change, "
          f"polled every {args.poll_ms:g} ms; median of {args.edits} edits")
    print(f"{'server':<20} {'median':>8} {'min':>7} {'max':>7} {'reported':>9} {'ready s':>8} "
          f"{'peak MiB':>9} {'tree MiB':>9}")
    for run in runs:
        times = [e.seconds for e in run.edits]
        reported = f"{run.reported:9.2f}" if run.reported is not None else f"{'-':>9}"
        print(f"{run.name:<20} {run.median:8.2f} {min(times):7.2f} {max(times):7.2f} "
              f"{reported} {run.ready_seconds:8.2f} {run.peak_mib:9.0f} {run.tree_mib:9.0f}")
    print(f"hugo: {hugo_note}" if len(runs) > 1 else f"hugo rows skipped: {hugo_note}")
    if hugo_build is not None:
        seconds, pages, peak, cpu = hugo_build
        print(f"{'hugo clean build':<20} {seconds:8.2f} s, {pages} pages, "
              f"{pages / seconds:.0f} pages/s, peak {peak:.0f} MiB, cpu {cpu:.2f} s")
    clean_seconds, clean_peak = builds["clean full build"]
    print()
    print("ratios in this run (issue 18's targets in brackets)")
    if len(runs) > 1:
        print(f"  drawdesk serve / hugo server, edit to page   "
              f"{runs[0].median / runs[1].median:8.2f}  (at most 1)")
        languages = (f"  ({len(args.languages)} languages against Hugo's one)"
                     if len(args.languages) > 1 else "")
        print(f"  drawdesk / hugo, clean build                 "
              f"{clean_seconds / hugo_build[0]:8.2f}{languages}")
    print(f"  one-entry edit / clean full build            "
          f"{builds['one-entry edit'][0] / clean_seconds:8.2f}  (at most 0.33)")
    print(f"  serve peak / clean build peak, memory        "
          f"{runs[0].peak_mib / clean_peak:8.2f}  (at most 2)")


if __name__ == "__main__":
    main()
