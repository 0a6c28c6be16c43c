"""Time until `drawdesk serve` is ready, for several checkouts of drawdesk side by side.

    python bench/startup.py --draws 1000 --repeat 3 \\
        --checkout before=/tmp/drawdesk-before --checkout this=.

Each checkout (a source tree of drawdesk: its `generator/` and `templates/`) gets
its own copy of one seeded synthetic site (bench/synth.py), built once with that
checkout's `drawdesk build` so its `.drawdesk/` cache is there, as on an
editor's machine. Then, alternating between the checkouts (so a slower moment of
the machine falls on all of them), the run starts `python -m drawdesk serve
--port 0` (a temporary output folder) and times from starting the process to the
middle entry's page first being served with its figures (bench/serving.py);
with `--kept-output`, also a restart on a preview folder kept between previews
(`--output`, the same port), the second start timed. Medians of --repeat.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import anchor  # noqa: E402
import serving  # noqa: E402
from synth import language_list, write_site  # noqa: E402

NOW = "2026-01-01"


def checkout(text: str) -> tuple[str, Path]:
    name, _, folder = text.partition("=")
    path = Path(folder or name).resolve()
    if not (path / "generator" / "__main__.py").is_file():
        raise argparse.ArgumentTypeError(f"{path}: not a drawdesk checkout")
    return (name if folder else path.name), path


def package_path(work: Path, name: str, source: Path) -> Path:
    """A folder holding `drawdesk`, a link to the checkout's `generator/` (its theme is
    found beside it), to put on PYTHONPATH."""
    folder = work / "packages" / name
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "drawdesk"
    if not link.exists():
        link.symlink_to(source / "generator")
    return folder


def ready(args: list[str], cwd: Path, page: str, timeout: float) -> tuple[float, str]:
    """Seconds from starting the server to `page` served with its figures; its first
    line (the build's summary)."""
    with serving.ServerProcess(args, cwd) as server:
        base = server.url(timeout)
        deadline = time.perf_counter() + timeout
        while (text := serving.fetch(base + page)) is None or \
                serving.invitations_shown(text) is None:
            if not server.alive() or time.perf_counter() > deadline:
                raise SystemExit(f"{base + page} never served:\n{server.tail()}")
            time.sleep(0.02)
        seconds = time.perf_counter() - server.started
        built = next((line for line in server.output_since(0) if line.startswith("Built ")),
                     "")
        server.stop()
    return seconds, built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--density", type=float, default=None)
    parser.add_argument("--languages", type=language_list, default=("en",))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--kept-output", action="store_true",
                        help="also time a restart on a preview folder kept (--output)")
    parser.add_argument("--checkout", type=checkout, action="append", default=None,
                        metavar="NAME=DIR", help="a drawdesk source tree (default: this one)")
    args = parser.parse_args()
    checkouts = args.checkout or [("this", ROOT)]
    work = Path(tempfile.mkdtemp(prefix="drawdesk-startup-"))
    try:
        run(args, checkouts, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, checkouts: list[tuple[str, Path]], work: Path) -> None:
    sites: dict[str, tuple[Path, dict[str, str], str]] = {}
    for name, source in checkouts:
        paths = write_site(work / name, args.draws, args.seed, args.density, args.languages)
        target = paths[len(paths) // 2]
        edition = "en/" if len(args.languages) > 1 else ""
        env = dict(os.environ, PYTHONPATH=str(package_path(work, name, source)))
        subprocess.run([sys.executable, "-m", "drawdesk", "build", "--content",
                        str(work / name / "content"), "--output", str(work / name / "site"),
                        "--now", NOW], env=env, check=True, stdout=subprocess.DEVNULL)
        sites[name] = (work / name / "content", env, f"{edition}draws/{target.stem}/")
    results: dict[tuple[str, str], list[float]] = {}
    lines: dict[tuple[str, str], str] = {}
    old_env = dict(os.environ)
    for _ in range(args.repeat):
        for name, _source in checkouts:
            content, env, page = sites[name]
            os.environ.clear()
            os.environ.update(env)  # ServerProcess passes this process's environment on
            try:
                serve = [sys.executable, "-m", "drawdesk", "serve", "--content", str(content),
                         "--now", NOW]
                seconds, line = ready(serve + ["--port", "0"], work, page, args.timeout)
                results.setdefault((name, "temporary output"), []).append(seconds)
                lines[(name, "temporary output")] = line
                if args.kept_output:
                    kept = serve + ["--port", str(anchor.free_port()), "--output",
                                    str(content.parent / "preview")]
                    ready(kept, work, page, args.timeout)  # the preview folder made
                    seconds, line = ready(kept, work, page, args.timeout)
                    results.setdefault((name, "restart, --output"), []).append(seconds)
                    lines[(name, "restart, --output")] = line
                    shutil.rmtree(content.parent / "preview")
            finally:
                os.environ.clear()
                os.environ.update(old_env)
    shape = "".join([f", {args.density:g} draws a year" if args.density else "",
                     f", languages {','.join(args.languages)}"
                     if args.languages != ("en",) else ""])
    print(f"drawdesk serve, time until the page is served: {args.draws} draws{shape}, "
          f"seed {args.seed}, {os.cpu_count()} cores, median of {args.repeat}, alternating")
    first = checkouts[0][0]
    print(f"{'checkout':<12} {'start':<18} {'median s':>9} {'min':>7} {'max':>7} "
          f"{'x ' + first:>9}  first build")
    for (name, start), times in results.items():
        base = statistics.median(results[(first, start)])
        median = statistics.median(times)
        print(f"{name:<12} {start:<18} {median:9.2f} {min(times):7.2f} {max(times):7.2f} "
              f"{median / base:9.2f}  {lines[(name, start)][:90]}")


if __name__ == "__main__":
    main()
