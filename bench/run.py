"""Benchmark drawdesk on a seeded synthetic site, against the floor, in one run.

    python bench/run.py --draws 10000
    python bench/run.py --draws 1000 --repeat 3

Each scenario runs `python -m generator build` as a child process and reads
its wall time and peak memory (ru_maxrss from os.wait4, so the figure is the
child's own). The floor does the least any generator must do for the same
number of pages in the same run: load every entry with PyYAML's C loader,
render one compiled Jinja2 template per page, write each file. Every figure is
also given as a ratio to the floor, so results compare across machines.

A last row, the one-shot edit floor, is the least a build started afresh must
do after one entry changed, even if telling which pages changed and rendering
them cost nothing (see EDIT_FLOOR): it bounds what any one-shot incremental
build of this site can reach.
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

from synth import write_site  # noqa: E402

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
    from generator.opendata import OpenData
    from generator.render import THEME_DIR, Edition
    from generator.urls import Urls
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
DERIVED_SITE = textwrap.dedent("""
    import datetime as dt, pickle, sys
    from pathlib import Path
    from generator.build import prepare
    from generator.config import BuildConfig
    config = BuildConfig(content=Path(sys.argv[1]), output=Path(sys.argv[2]),
                         now=dt.datetime(2026, 1, 1))
    data, _ = prepare(config)
    with open(sys.argv[3], "wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
""")


def timed(args: list[str]) -> tuple[float, float, str, float]:
    """Run a child: wall seconds, peak memory (ru_maxrss from wait4: the largest of the
    child and the workers it forked), stdout, and CPU seconds (user + system, workers
    included)."""
    with tempfile.TemporaryFile() as errors:  # a file: a chatty child never blocks on it
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs per scenario (median)")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="drawdesk-bench-"))
    if work.exists():
        shutil.rmtree(work)
    paths = write_site(work, args.draws, args.seed)
    content, output = work / "content", work / "output"
    build = [sys.executable, "-m", "generator", "build", "--content", str(content),
             "--output", str(output), "--now", "2026-01-01"]

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
            f"category: stem\nslug: new-draw-{counter[0]}\n"
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
    print(f"drawdesk benchmark: {args.draws} draws, {pages} pages, seed {args.seed}, "
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
          f"{statistics.median(r[3] for r in edit_floor_runs):7.2f}")
    shutil.rmtree(trash, ignore_errors=True)
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
