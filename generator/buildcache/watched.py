"""What a page read from the site-wide mappings while it was made.

Every page's context holds a few site-wide mappings (all entries, all
categories). Digesting them whole would make every page depend on every draw,
so they are watched (`Tracked`): each lookup made while a page is made is
recorded, and the page's cache key covers exactly the entries it read. If none
of them changed (and nothing else it is made from did), making it again would
read the same values and produce the same bytes, so it can be skipped.

A piece made once and used by many pages (a row of a year table) records its
reads once (`recorded`), and each page using it counts them as its own
(`replay`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
ALL = "*"  # a read of the whole mapping (iteration, length, items...)
_recorders: list[set[tuple[str, object]]] = []


def recording() -> bool:
    return bool(_recorders)


def record(name: str, key: object) -> None:
    for reads in _recorders:
        reads.add((name, key))


class Recorder:
    """Collects the reads made while it is active (recorders nest)."""

    def __init__(self) -> None:
        self.reads: set[tuple[str, object]] = set()

    def __enter__(self) -> Recorder:
        _recorders.append(self.reads)
        return self

    def __exit__(self, *exc: object) -> None:
        for index in range(len(_recorders) - 1, -1, -1):  # by identity: sets compare equal
            if _recorders[index] is self.reads:
                del _recorders[index]
                return


def recorded(make: Callable[[], T]) -> tuple[T, frozenset[tuple[str, object]]]:
    """`make()` and the reads it made (which count for whoever is recording too)."""
    with Recorder() as recorder:
        value = make()
    return value, frozenset(recorder.reads)


def replay(*reads: frozenset[tuple[str, object]]) -> None:
    """Count reads made earlier as made now."""
    if _recorders:
        for name, key in set().union(*reads):
            record(name, key)


class Tracked(dict):
    """A dict whose reads are recorded; its content enters page keys only through them."""

    def __init__(self, name: str, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.name = name

    def __fingerprint__(self, fp: Any) -> str:
        return f"tracked:{self.name}"

    def __reduce__(self):  # pickle as a plain mapping with its name
        return (Tracked, (self.name, dict(self)))

    def __getitem__(self, key: object) -> Any:
        if _recorders:
            record(self.name, key)
        return dict.__getitem__(self, key)

    def get(self, key: object, default: Any = None) -> Any:
        if _recorders:
            record(self.name, key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        if _recorders:
            record(self.name, key)
        return dict.__contains__(self, key)

    def _all(self) -> None:
        if _recorders:
            record(self.name, ALL)

    def __iter__(self) -> Iterator[Any]:
        self._all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._all()
        return dict.__len__(self)

    def __bool__(self) -> bool:
        self._all()
        return dict.__len__(self) > 0

    def keys(self):  # type: ignore[override]
        self._all()
        return dict.keys(self)

    def values(self):  # type: ignore[override]
        self._all()
        return dict.values(self)

    def items(self):  # type: ignore[override]
        self._all()
        return dict.items(self)

    def __eq__(self, other: object) -> bool:
        self._all()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def copy(self) -> dict:
        self._all()
        return dict(dict.items(self))
