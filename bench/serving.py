"""Edit-to-page latency of a preview server, measured as a browser sees it.

A server (`drawdesk serve`, `hugo server`) runs as a child process. After it
serves the page and has gone quiet, the benchmark writes an edit to one entry
(its invitations + 1) and fetches the entry's page over HTTP every few
milliseconds until the page shows the new figure: the latency is the time from
the write to the first response showing it. The figure is read from the page's
"Invitations issued:" key fact, which both drawdesk's article (in French
"Invitations envoyées :") and the Hugo anchor's page carry.

Memory is the child's own: the largest high-water mark (VmHWM) of the server
and of any process it forked, sampled from /proc while it runs and completed by
ru_maxrss from wait4 at the end (which covers the children it reaped), and the
largest sum of the resident sets (VmRSS) of its process tree seen by the
sampler. Linux only (/proc).
"""

from __future__ import annotations

import os
import re
import signal
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# The key fact both sites show: drawdesk "Invitations issued:</strong> 1,234" (in
# French "Invitations envoyées&nbsp;:</strong> 1 234"), Hugo's anchor "Invitations
# issued: 1,234".
_SHOWN = re.compile(r"Invitations (?:issued|envoyées)(?:&nbsp;|\s)*:(?:</strong>)?"
                    r"\s*([0-9][0-9,.\s\u00a0\u202f]*)")
_URL = re.compile(r"http://(?:127\.0\.0\.1|localhost|\[::1\]):[0-9]+/")  # loopback


def invitations_shown(page: str) -> int | None:
    """The invitations figure a page shows, or None when it shows none."""
    found = _SHOWN.search(page)
    if found is None:
        return None
    digits = re.sub(r"\D", "", found.group(1))
    return int(digits) if digits else None


def bump_invitations(path: Path) -> int:
    """Write `path` again with its `invitations:` figure + 1; return the new figure.
    Both drawdesk entries and the Hugo anchor's front matter have the line."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r"^invitations: (\d+)$", text, re.MULTILINE)
    if found is None:
        raise SystemExit(f"{path}: no 'invitations: N' line to edit")
    number = int(found.group(1)) + 1
    path.write_text(text[:found.start(1)] + str(number) + text[found.end(1):], encoding="utf-8")
    return number


def fetch(url: str, timeout: float = 10.0) -> str | None:
    """The page's text, or None while the server cannot give it (not up, an error)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


# -- the server's process tree, read from /proc -----------------------------------------

def descendants(pid: int) -> list[int]:
    """The processes `pid` started, and theirs (those alive now)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as handle:
                    children = [int(x) for x in handle.read().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _stat_fields(where: int | str) -> list[str] | None:
    """The fields of /proc/WHERE/stat from the third (state) on."""
    try:
        with open(f"/proc/{where}/stat") as handle:
            text = handle.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def tree_running(pid: int) -> bool:
    """Whether a thread of `pid` or of a process it started is running, waiting for a
    core (both state R) or waiting for the disk (D)."""
    for member in [pid, *descendants(pid)]:
        try:
            tasks = os.listdir(f"/proc/{member}/task")
        except OSError:
            continue
        for task in tasks:
            fields = _stat_fields(f"{member}/task/{task}")
            if fields is not None and fields[0] in ("R", "D"):
                return True
    return False


def _status_kib(pid: int) -> dict[str, int]:
    found = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    key, value = line.split(":", 1)
                    found[key] = int(value.split()[0])
    except OSError:
        pass
    return found


@dataclass
class MemorySampler:
    """Samples the memory of a process tree every `interval` seconds in a thread."""

    pid: int
    interval: float = 0.2
    peak_kib: int = 0  # the largest VmHWM of any one process of the tree
    tree_kib: int = 0  # the largest sum of VmRSS over the tree at one moment
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def sample(self) -> None:
        tree = 0
        for pid in [self.pid, *descendants(self.pid)]:
            status = _status_kib(pid)
            self.peak_kib = max(self.peak_kib, status.get("VmHWM", 0))
            tree += status.get("VmRSS", 0)
        self.tree_kib = max(self.tree_kib, tree)

    def start(self) -> None:
        def run() -> None:
            while not self._stop.wait(self.interval):
                self.sample()
        self._thread = threading.Thread(target=run, name="memory-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


# -- one server ------------------------------------------------------------------------

@dataclass
class EditResult:
    seconds: float  # from the write to the first response showing the new figure
    fetches: int  # responses read until then
    reported: float | None  # the rebuild time the server printed, if it prints one


@dataclass
class ServerRun:
    """What one server did: its latencies, start-up and memory."""

    name: str
    edits: list[EditResult]
    ready_seconds: float  # from starting the process to the page first served
    peak_mib: float
    tree_mib: float
    cpu_seconds: float

    @property
    def median(self) -> float:
        return statistics.median(e.seconds for e in self.edits)

    @property
    def reported(self) -> float | None:
        figures = [e.reported for e in self.edits if e.reported is not None]
        return statistics.median(figures) if figures else None


class ServerProcess:
    """A preview server started as a child process, its output collected in a thread."""

    def __init__(self, args: list[str], cwd: Path):
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.lines: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="server-output", daemon=True)
        self._reader.start()
        self.memory = MemorySampler(self.proc.pid)
        self.memory.start()

    def _read(self) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        for raw in iter(stdout.readline, b""):
            with self._lock:
                self.lines.append((time.perf_counter(), raw.decode("utf-8", "replace").rstrip()))

    def output_since(self, moment: float) -> list[str]:
        with self._lock:
            return [line for when, line in self.lines if when >= moment]

    def tail(self, count: int = 30) -> str:
        with self._lock:
            return "\n".join(line for _, line in self.lines[-count:])

    def alive(self) -> bool:
        return self.proc.poll() is None

    def url(self, timeout: float) -> str:
        """The first loopback address the server prints (its way of saying it serves)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for line in self.output_since(0):
                found = _URL.search(line)
                if found:
                    return found.group(0)
            if not self.alive():
                break
            time.sleep(0.05)
        raise SystemExit(f"{self.proc.args[0]} printed no address:\n{self.tail()}")

    def wait_idle(self, timeout: float, window: float = 0.6, busy: float = 0.5) -> None:
        """Wait until the server has been quiet for `window` seconds: fewer than `busy`
        of the samples taken every 50 ms find a thread of its tree running or waiting
        for a core or the disk. (A server that polls for changes is never quite
        still; a state, unlike CPU time, does not depend on what else the machine
        runs.)"""
        deadline = time.perf_counter() + timeout
        samples: list[bool] = []
        count = max(int(window / 0.05), 1)
        while time.perf_counter() < deadline:
            samples.append(tree_running(self.proc.pid))
            samples = samples[-count:]
            if len(samples) == count and sum(samples) < busy * count:
                return
            time.sleep(0.05)
        raise SystemExit(f"the server stayed busy for {timeout:.0f} s:\n{self.tail()}")

    def stop(self) -> tuple[float, float, float]:
        """Stop the server (SIGTERM, then SIGKILL after 20 s): peak MiB of one process,
        largest sampled tree MiB, CPU seconds."""
        self.memory.sample()
        self.memory.stop()
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
        deadline = time.perf_counter() + 20
        while True:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                self.proc.kill()
                _, status, usage = os.wait4(self.proc.pid, 0)
                break
            time.sleep(0.05)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self._reader.join(timeout=5)
        peak = max(self.memory.peak_kib, usage.ru_maxrss) / 1024
        return peak, self.memory.tree_kib / 1024, usage.ru_utime + usage.ru_stime

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.returncode is None:
            if self.alive():
                self.proc.kill()
            self.proc.wait()
            self.memory.stop()


@dataclass
class Latency:
    """How to measure one server."""

    name: str
    args: list[str]
    cwd: Path
    entry: Path  # the file each edit changes
    page: str  # the entry's page, relative to the address the server prints
    reported: Callable[[list[str]], float | None]  # its own rebuild time, from its output
    edits: int = 3
    poll: float = 0.02
    timeout: float = 600.0


def measure(spec: Latency) -> ServerRun:
    """Start the server, wait for the page, then time `spec.edits` edits."""
    original = spec.entry.read_text(encoding="utf-8")
    try:
        with ServerProcess(spec.args, spec.cwd) as server:
            base = server.url(spec.timeout)
            url = base + spec.page
            deadline = time.perf_counter() + spec.timeout
            while (page := fetch(url)) is None or invitations_shown(page) is None:
                if not server.alive() or time.perf_counter() > deadline:
                    raise SystemExit(f"{spec.name}: {url} never served the page:\n"
                                     f"{server.tail()}")
                time.sleep(spec.poll)
            ready = time.perf_counter() - server.started
            edits = []
            for _ in range(spec.edits):
                server.wait_idle(spec.timeout)
                edits.append(_one_edit(spec, server, url))
            server.wait_idle(spec.timeout)
            peak, tree, cpu = server.stop()
    finally:
        spec.entry.write_text(original, encoding="utf-8")
    return ServerRun(spec.name, edits, ready, peak, tree, cpu)


def _one_edit(spec: Latency, server: ServerProcess, url: str) -> EditResult:
    shown = invitations_shown(fetch(url) or "")
    written = time.perf_counter()
    number = bump_invitations(spec.entry)
    if shown == number:
        raise SystemExit(f"{spec.name}: {url} showed {number} before the edit")
    fetches = 0
    while True:
        page = fetch(url)
        fetches += 1
        seen = time.perf_counter()
        if page is not None and invitations_shown(page) == number:
            break
        if seen - written > spec.timeout or not server.alive():
            raise SystemExit(f"{spec.name}: {url} did not show invitations {number} "
                             f"within {spec.timeout:.0f} s:\n{server.tail()}")
        time.sleep(spec.poll)
    server.wait_idle(spec.timeout)  # its report of the rebuild may come after the page
    return EditResult(seen - written, fetches, spec.reported(server.output_since(written)))


def drawdesk_reported(lines: list[str]) -> float | None:
    """`drawdesk serve` prints "Rebuilt N pages in X s" after each rebuild."""
    figures = [float(m.group(1)) for line in lines
               if (m := re.search(r"Rebuilt .* in ([0-9.]+) s", line))]
    return sum(figures) if figures else None


def hugo_reported(lines: list[str]) -> float | None:
    """`hugo server` prints "Total in N ms" after each rebuild."""
    figures = [float(m.group(1)) / 1000 for line in lines
               if (m := re.search(r"Total in ([0-9.]+) ms", line))]
    return sum(figures) if figures else None
