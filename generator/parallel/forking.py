"""Forked worker processes: how many, and the pipe that brings a worker's result back.

Used to render pages (`parallel.rendering`) and to parse draw files
(`source.loader`). Workers are forked, so they start with the parent's
data and nothing is copied up front; each sends one pickled result through a
pipe and leaves with `os._exit`. A worker that fails is never trusted: its
share of the work is done again in the parent, which reports any error as a
single process would.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def workers() -> int:
    """How many processes to use: DRAWDESK_PROCESSES if set (1: no fork), else the
    CPUs this process may use."""
    setting = os.environ.get("DRAWDESK_PROCESSES", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Forking is available and safe (never from a process running threads: serve)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def send(fd: int, payload: bytes) -> None:
    data = struct.pack("!Q", len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def receive(fd: int) -> bytes:
    """Everything a worker sent, checked complete; ChildProcessError otherwise."""
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    data = b"".join(chunks)
    if len(data) < 8:
        raise ChildProcessError("a worker ended without its results")
    (size,) = struct.unpack("!Q", data[:8])
    if len(data) != 8 + size:
        raise ChildProcessError("a worker sent incomplete results")
    return data[8:]


def stop(pid: int, fd: int) -> None:
    """Kill a worker and release what the parent holds of it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    try:
        os.close(fd)
    except OSError:
        pass


def start(work: Callable[[], object]) -> tuple[int, int]:
    """Fork a worker that sends back `work()` pickled: (pid, fd to read it from)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the worker, measured through the parent
        status = 1
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            send(write_end, pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
            status = 0
        except BaseException:  # noqa: BLE001 - the parent does the work again
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def result(pid: int, fd: int) -> tuple[bool, Any]:
    """(True, what the worker sent) or (False, None) if it failed."""
    try:
        payload = receive(fd)
    except ChildProcessError:
        payload = None
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    if payload is None or os.waitstatus_to_exitcode(status) != 0:
        return False, None
    return True, pickle.loads(payload)


def ordered_map(fn: Callable[[T], R], items: Sequence[T], processes: int) -> list[R]:
    """[fn(x) for x in items], the items dealt in turn to `processes` processes.

    `fn` must be a pure function of its item whose result pickles; a worker
    that fails has its items done again here.
    """
    if processes <= 1 or len(items) < 2 or not can_fork():
        return [fn(item) for item in items]
    children: list[tuple[int, int]] = []
    try:
        for index in range(1, processes):
            share = items[index::processes]
            children.append(start(lambda share=share: [fn(item) for item in share]))
        done: list[list[R]] = [[fn(item) for item in items[0::processes]]]
        for index, (pid, fd) in enumerate(children, start=1):
            ok, value = result(pid, fd)
            share = items[index::processes]
            if not ok or not isinstance(value, list) or len(value) != len(share):
                value = [fn(item) for item in share]
            done.append(value)
        children = []
    except BaseException:
        for pid, fd in children:
            stop(pid, fd)
        raise
    out: list[R] = [None] * len(items)  # type: ignore[list-item]
    for index, values in enumerate(done):
        out[index::processes] = values
    return out
