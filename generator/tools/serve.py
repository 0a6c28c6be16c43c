"""`drawdesk serve`: build, serve on loopback, rebuild on change, reload the page.

The site is built into a folder of its own (a temporary one unless --output
says otherwise) with the base URL set to the server's address; the pages carry
a reload script (`tools.previewhttp`, which also serves them).

Changes are found by polling modification times (no dependency needed).
Invalid content keeps the last good build online, with the problems printed
in the terminal and shown in the page, until the files are fixed.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..build import BuildResult, build
from ..core.options import BuildConfig
from ..core.problems import ContentError, TemplateProblem
from ..core.theme import THEME_DIR
from ..output.folder import OutputError, describe
from ..source import sitefiles
from .previewhttp import Status, make_server, reload_script, site_url

POLL_SECONDS = 0.3

Snapshot = dict[str, tuple[int, int, int]]


def snapshot(folders: Iterable[Path], roots: tuple[str, ...] | None = None) -> Snapshot:
    """Modification time, size and inode of every file under `folders` (hidden ones
    skipped), listed as a build lists them (`source.sitefiles`: links followed inside
    `roots`), and every entry a build refuses: an edit, a save by rename, a new link or
    a named pipe changes the snapshot."""
    folders = list(folders)
    roots = roots if roots is not None else sitefiles.real_roots(folders)
    found: Snapshot = {}
    for folder in folders:
        listing = sitefiles.walk(folder, roots, hidden=False, with_stat=True)
        for item in listing.files:
            if item.path.endswith(("~", ".swp", ".tmp")) or item.st is None:
                continue
            info = item.st
            found[item.path] = (info.st_mtime_ns, info.st_size, info.st_ino)
        for refused in listing.refused:
            found[refused.path] = (-1, len(refused.reason), hash(refused.reason))
    return found


class DevSite:
    """Builds into `config.output` for the server and rebuilds when sources change."""

    def __init__(self, config: BuildConfig, base_url: str, status: Status,
                 echo: Callable[[str], None], echo_err: Callable[[str], None]):
        self.config = config
        self.base_url = base_url
        self.status = status
        self.echo = echo
        self.echo_err = echo_err

    @property
    def watched(self) -> list[Path]:
        folders = [self.config.content, THEME_DIR]
        if self.config.templates is not None:
            folders.append(self.config.templates)
        return [f for f in folders if f.is_dir()]

    def snapshot(self) -> Snapshot:
        return snapshot(self.watched, self.config.roots(THEME_DIR))

    def rebuild(self) -> BuildResult | None:
        version = self.status.snapshot()[0] + 1
        config = replace(self.config, base_url=self.base_url,
                         head_extra=reload_script(version))
        try:
            result = build(config)
        except ContentError as exc:
            return self._failed([str(p) for p in exc.problems])
        except OutputError as exc:
            return self._failed([str(exc)])
        except OSError as exc:  # disk full, no permission...
            return self._failed([describe(exc)])
        except TemplateProblem as exc:  # a template being edited
            return self._failed([str(exc)])
        except Exception as exc:  # anything else: report it and keep serving
            where = traceback.extract_tb(exc.__traceback__)[-1]
            return self._failed([f"{type(exc).__name__}: {exc} "
                                 f"({Path(where.filename).name}:{where.lineno})"])
        for problem in result.warnings:
            self.echo_err(str(problem))
        self.status.succeeded(version)
        return result

    def _failed(self, problems: list[str]) -> None:
        for problem in problems:
            self.echo_err(problem)
        good = "the last good build is still served" if self.status.snapshot()[0] else \
            "nothing to serve until it is fixed"
        self.echo_err(f"Build failed: {len(problems)} problem(s); {good}.")
        self.status.failed(problems)
        return None

    def watch(self, stop: threading.Event, interval: float = POLL_SECONDS,
              on_build: Callable[[BuildResult], None] | None = None,
              seen: Snapshot | None = None) -> None:
        """Rebuild whenever a watched file changes, until `stop` is set.

        `seen` is the snapshot the current build was made from (taken before it
        started, so a change made while it ran is not missed).
        """
        if seen is None:
            seen = self.snapshot()
        while not stop.wait(interval):
            now = self.snapshot()
            if now == seen:
                continue
            settled = now  # let an editor finish writing (save, rename, touch)
            for _ in range(10):
                if stop.wait(interval):
                    return
                settled, previous = self.snapshot(), settled
                if settled == previous:
                    break
            seen = settled
            result = self.rebuild()
            if result is not None and on_build is not None:
                on_build(result)


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    output: Path | None = None  # default: a temporary folder, removed on exit


def serve(config: BuildConfig, options: ServeOptions, echo: Callable[[str], None],
          echo_err: Callable[[str], None],
          started: Callable[[str, BuildResult | None], None] | None = None) -> None:
    """Build, serve and rebuild until interrupted (KeyboardInterrupt), then clean up."""
    temp = None
    if options.output is None:
        temp = Path(tempfile.mkdtemp(prefix="drawdesk-serve-"))
        output = temp / "site"
    else:
        output = options.output
    config = replace(config, output=output)
    status = Status()
    stop = threading.Event()
    server = None
    thread = None
    try:
        output.mkdir(parents=True, exist_ok=True)
        server = make_server(options.host, options.port, output, status)
        url = site_url(options.host, server.server_address[1])
        site = DevSite(config, url, status, echo, echo_err)
        seen = site.snapshot()
        result = site.rebuild()
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                  name="drawdesk-http", daemon=True)
        thread.start()
        if started is not None:
            started(url, result)

        def rebuilt(result: BuildResult) -> None:
            echo(f"Rebuilt {result.pages} pages in {result.seconds:.1f} s; reloading.")

        site.watch(stop, on_build=rebuilt, seen=seen)
    finally:
        stop.set()
        if server is not None:
            if thread is not None:
                server.shutdown()
            server.server_close()
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
