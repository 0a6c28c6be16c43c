"""What a render reads from the site-wide mappings, and values computed only if needed.

Every page's context holds a few site-wide mappings (all entries, all
categories). Fingerprinting them whole would make every page depend on every
draw, so they are `Tracked`: each lookup made while a page renders is recorded,
and the page's cache key covers exactly the entries it read. If none of them
changed (and nothing else in its context did), the render would read the same
values and produce the same bytes, so it can be skipped.

`Deferred` wraps a costly context value (an article's body, its JSON-LD) that a
skipped page never needs: it is fingerprinted by its function and arguments and
computed, while reads are recorded, only when the page is rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

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


class Deferred:
    """A value computed from a function and its arguments only when a render needs it.

    It is computed once; a page that uses it later records the reads its
    computation made, as if it had made them itself.
    """

    __slots__ = ("fn", "args", "_done")
    __fingerprint_memo__ = False  # the fingerprint memo would keep the computed value alive

    def __init__(self, fn: Callable[..., Any], *args: Any):
        self.fn = fn
        self.args = args
        self._done: tuple[Any, set[tuple[str, object]]] | None = None

    def __fingerprint__(self, fp: Any) -> str:
        return fp(self.fn) + fp.many(self.args)

    def __call__(self) -> Any:
        if self._done is None:
            with Recorder() as recorder:
                value = self.fn(*self.args)
            self._done = (value, recorder.reads)
            return value
        value, reads = self._done
        for name, key in reads:
            record(name, key)
        return value


def resolve(context: dict[str, Any]) -> dict[str, Any]:
    """The context with every `Deferred` value computed."""
    if not any(type(v) is Deferred for v in context.values()):
        return context
    return {k: v() if type(v) is Deferred else v for k, v in context.items()}
