"""Render page tasks in several processes (fork) when there is enough work.

Every process goes through the same tasks in the same order (forked, so
nothing is copied up front); each task is made by one process (see `Share`),
the others only note its place and never prepare it. Workers stage their files
in the shared staging folder and send back one small record per page, so no
page's bytes cross a pipe. If a worker fails, every task is made again in this
process, so an error is reported exactly as a single-process build reports it.
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import os
from collections.abc import Callable, Iterable
from typing import Protocol

from ..core.caching import Recipe, Task
from ..core.outputs import OutputFile
from .forking import can_fork, result, start, stop
from .forking import workers as workers  # patched by tests: read through this module

# Below this many draws (times languages), forking saves nothing. Measured on 2 cores
# (clean builds, best of 3): 50 draws 0.44 s alone, 0.46 s in 2 processes; 100: 0.56
# and 0.56 s; 250: 0.87 and 0.70 s; 1000: 1.73 and 1.24 s; 2000: 3.58 and 2.07 s.
MIN_DRAWS = 200


def processes_for(draws: int) -> int:
    """How many processes render a site of `draws` draws (times languages)."""
    return workers() if draws >= MIN_DRAWS else 1


class Tickets:
    """Runs of pages handed out in order, through a pipe: the next run goes to the
    first process that asks, so a process whose pages are slow takes fewer of them.

    The pipe is filled before the fork with consecutive run numbers, four bytes
    each; reading four bytes from a pipe is atomic, so there is no lock, and a
    worker that dies holds nobody up. Runs past the last ticket (a site of millions
    of pages) are dealt out in turn by process index.
    """

    SIZE = array.array("I").itemsize  # 4 bytes, native order: one machine reads them

    def __init__(self) -> None:
        read_end, write_end = os.pipe()
        try:
            with contextlib.suppress(OSError, AttributeError):  # Linux: up to 1 MiB
                fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 1 << 20)
            os.set_blocking(write_end, False)
            block = 4096 // self.SIZE  # PIPE_BUF bytes: each write is all or nothing
            count = 0
            while True:
                chunk = array.array("I", range(count, count + block)).tobytes()
                try:
                    os.write(write_end, chunk)
                except BlockingIOError:
                    break
                count += block
        finally:
            os.close(write_end)  # an empty pipe now reads as the end: no ticket left
        self.fd = read_end
        self.count = count

    def take(self) -> int | None:
        data = os.read(self.fd, self.SIZE)
        return array.array("I", data)[0] if len(data) == self.SIZE else None

    def close(self) -> None:
        os.close(self.fd)


class Share:
    """Which pages this process renders: runs of PAGES_PER_RUN consecutive pages,
    each run rendered by the process holding its ticket (see `Tickets`)."""

    PAGES_PER_RUN = 10

    def __init__(self, tickets: Tickets, index: int, count: int):
        self.tickets = tickets
        self.index = index
        self.count = count
        self.seen = 0
        self.ticket: int | None = tickets.take()

    def mine(self) -> bool:
        run = self.seen // self.PAGES_PER_RUN
        self.seen += 1
        if run >= self.tickets.count:  # beyond the tickets: in turn
            return run % self.count == self.index
        while self.ticket is not None and self.ticket < run:
            self.ticket = self.tickets.take()
        return self.ticket == run


class Elsewhere(OutputFile):
    """A page another process renders (a placeholder, replaced when results merge)."""

    def __init__(self, number: int, kind: str):
        super().__init__(f"\0elsewhere/{number}", b"", kind)


class Maker(Protocol):
    """Makes the files of tasks, in whichever process; knows what workers learn."""

    def make(self, recipe: Recipe) -> OutputFile:
        """The recipe's file, staged or kept."""
        ...

    def forked(self) -> None:
        """In a new worker: forget what the parent learned (the worker reports its own)."""
        ...

    def learned(self) -> object:
        """What this worker learned while making its files (sent to the parent)."""
        ...

    def learn(self, news: object) -> None:
        """What a worker learned, now the parent's."""
        ...

    def adopt(self, item: OutputFile) -> OutputFile:
        """A file a worker staged, now this process's."""
        ...


def render_pages(tasks: Callable[[], Iterable[Task]], maker: Maker, count: int,
                 each: Callable[[OutputFile], None] | None = None) -> list[OutputFile]:
    """The file of every task of `tasks()`, made by `count` processes through `maker`.

    `each` is called with every file as this process gets to it (for a progress bar).
    """
    each = each or (lambda item: None)
    if count <= 1 or not can_fork():  # never from serve's threads
        return [_seen(maker.make(task.prepare()), each) for task in tasks()]
    try:
        return _render_pages(tasks, maker, count, each)
    except WorkerFailed:  # make everything here: errors surface as usual
        return [_seen(maker.make(task.prepare()), each) for task in tasks()]


def _seen(item: OutputFile, each: Callable[[OutputFile], None]) -> OutputFile:
    each(item)
    return item


def _shared(tasks: Callable[[], Iterable[Task]], maker: Maker,
            share: Share) -> Iterable[OutputFile]:
    """The files of this process's share of the tasks; placeholders for the others'."""
    for task in tasks():
        if share.mine():
            yield maker.make(task.prepare())
        else:
            yield Elsewhere(share.seen - 1, task.kind)


def _render_pages(tasks: Callable[[], Iterable[Task]], maker: Maker, count: int,
                  each: Callable[[OutputFile], None]) -> list[OutputFile]:
    children: list[tuple[int, int]] = []
    tickets = Tickets()
    try:
        for index in range(1, count):
            children.append(start(lambda index=index: _work(
                tasks, maker, Share(tickets, index, count))))
        mine = [_seen(item, each) for item in _shared(tasks, maker, Share(tickets, 0, count))]
        results = [_collect(pid, fd) for pid, fd in children]
        children = []
    except BaseException:
        for pid, fd in children:
            stop(pid, fd)
        raise
    finally:
        tickets.close()
    merged: list[OutputFile | None] = [item if not isinstance(item, Elsewhere) else None
                                       for item in mine]
    for files, news in results:
        for number, item in files:
            if not 0 <= number < len(merged) or merged[number] is not None:
                raise WorkerFailed("render workers disagree on the pages")
            merged[number] = maker.adopt(item)
        maker.learn(news)
    if any(item is None for item in merged):
        raise WorkerFailed("render workers disagree on the pages")
    return merged  # type: ignore[return-value]


def _work(tasks: Callable[[], Iterable[Task]], maker: Maker,
          share: Share) -> tuple[list, object]:  # pragma: no cover - a worker
    """A worker's share of the tasks: the files it made (by number), what it learned."""
    maker.forked()
    files = [(number, item) for number, item in enumerate(_shared(tasks, maker, share))
             if not isinstance(item, Elsewhere)]
    return files, maker.learned()


def _collect(pid: int, fd: int) -> tuple[list, object]:
    ok, value = result(pid, fd)
    if not ok:
        raise WorkerFailed("a render worker failed")
    return value


class WorkerFailed(ChildProcessError):
    """A worker failed; rendering again in one process reports the error itself."""
