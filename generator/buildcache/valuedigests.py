"""Stable digests of the values a page is made from.

A page's output is a function of its templates, drawdesk's code and the values
it is made from (its `Recipe`), so a digest of those values is a cache key that
needs no list of page types: new pages and new values are covered as they come.

Values are encoded by what they are (type, then content), never by `repr` or
`id`, so the digest is the same in every process and every run. Containers and
dataclass instances are memoized by identity for the life of one
`Fingerprinter` (one build), so a value shared by many pages (a draw, its facts,
the site) is encoded once. Functions are identified by module, qualified name,
defaults and closure: their code is part of drawdesk's version (see
`code_version`), which every key includes. A value of any other type raises
`Unfingerprintable`, and the page is simply rendered: unknown is never cached.

Text of a `str` subclass (Jinja's `Markup`) is encoded with its class, so
markup and the same characters as plain text differ. A class of the build
cache's own may say what stands for it (`__fingerprint__`: a watched mapping
is digested by its name, its items by the reads pages make).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePath
from typing import Any

from .dataclassencoder import dataclass_encoder
from .digests import digest_bytes, digest_text

_PACKAGE = __name__.split(".")[0]  # drawdesk's own classes: their code is versioned


class Unfingerprintable(TypeError):
    """A value whose content cannot be encoded; pages receiving it are not cached."""


class Fingerprinter:
    """Digests values; one instance per build (its memo trusts that values do not change).

    `carried`: digests of frozen dataclass instances an earlier build of the same process
    computed (`carry`), by id, with the object: a value that is the same object (kept
    between a warm preview's builds: a draw, its facts, its entry) is not encoded again.
    """

    def __init__(self, carried: dict[int, tuple[object, str]] | None = None) -> None:
        self._hex: dict[int, str] = {}  # id -> digest of values seen this build
        self._methods: dict[tuple[int, int], str] = {}
        self._keep: list[object] = []
        self._carried = carried or {}

    def __call__(self, value: object) -> str:
        """The digest of `value` (a 32-character hex string), memoized by identity."""
        key = id(value)
        known = self._hex.get(key)
        if known is not None:
            return known
        carried = self._carried.get(key)
        if carried is not None and carried[0] is value:
            self._hex[key] = carried[1]
            self._keep.append(value)
            return carried[1]
        result = self.fresh(value)
        kind = type(value)
        if kind not in _ATOMS:
            self._hex[key] = result
            self._keep.append(value)  # keep the value alive: its id stays unique
        return result

    def carry(self) -> dict[int, tuple[object, str]]:
        """The digests of this build's frozen dataclass instances, with the objects, for
        the next build of a process that keeps its values between builds (their fields
        are set once; the values they hold are never changed after loading)."""
        hexes = self._hex
        return {id(value): (value, hexes[id(value)]) for value in self._keep
                if _frozen(type(value)) and id(value) in hexes}

    def known(self, value: object) -> str | None:
        """The digest of `value` if it was computed already this build."""
        return self._hex.get(id(value))

    def fresh(self, value: object) -> str:
        """The digest of `value` without remembering it (for one-off values: a page context)."""
        out: list[str] = []
        self._content(value, out)
        return digest_text("".join(out))

    def many(self, values: Iterable[object]) -> str:
        """The digest of a sequence of values, without building a tuple of them."""
        out: list[str] = ["("]
        for value in values:
            self._encode(value, out)
        out.append(")")
        return digest_text("".join(out))

    # -- encoding ----------------------------------------------------------------------
    def _encode(self, value: object, out: list[str]) -> None:
        """Encode a value inside another: composites by their (memoized) digest."""
        kind = type(value)
        if kind is str:  # the commonest cases, inline
            out.append(f"s{len(value)}:")
            out.append(value)
            return
        if kind is int:
            out.append(f"i{value};")
            return
        if value is None:
            out.append("N")
            return
        encoder = _ENCODERS.get(kind)
        if encoder is not None:
            encoder(self, value, out)
            return
        known = self._hex.get(id(value))
        if known is not None:
            out.append("@")
            out.append(known)
        elif _is_composite(kind):
            out.append("@")
            out.append(self(value))
        else:
            self._encode_other(value, out)

    def _content(self, value: object, out: list[str]) -> None:
        """Encode a value's own content."""
        kind = type(value)
        encoder = _MEMOIZED.get(kind) or _ENCODERS.get(kind)  # a container's own content
        if encoder is not None:
            encoder(self, value, out)
            return
        custom = getattr(kind, "__fingerprint__", None)
        if custom is not None:
            out.append(f"F{kind.__module__}.{kind.__qualname__}:")
            out.append(custom(value, self))
        elif dataclasses.is_dataclass(value):
            encoder = _DATACLASS_ENCODERS.get(kind)
            if encoder is None:
                encoder = _DATACLASS_ENCODERS[kind] = dataclass_encoder(kind)
            encoder(self, value, out)
        else:
            self._encode_other(value, out)

    def _encode_other(self, value: object, out: list[str]) -> None:
        kind = type(value)
        if isinstance(value, str):  # str subclasses (Markup): class, text, state
            out.append(f"S{kind.__module__}.{kind.__qualname__}{len(value)}:")
            out.append(value)
            self._state(value, out)
        elif isinstance(value, (tuple, list, dict, frozenset, set)):
            out.append(f"X{kind.__module__}.{kind.__qualname__}")
            base = next(b for b in (tuple, list, dict, frozenset, set) if isinstance(value, b))
            _MEMOIZED[base](self, value, out)
            self._state(value, out)
        elif isinstance(value, enum.Enum):
            out.append(f"E{kind.__module__}.{kind.__qualname__}.{value.name}")
        elif isinstance(value, PurePath):
            out.append(f"P{len(str(value))}:{value}")
        elif isinstance(value, dt.tzinfo):
            out.append(f"Z{_tz_name(value)};")
        elif isinstance(value, type):
            out.append(f"T{value.__module__}.{value.__qualname__};")
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType,
                                types.MethodType, functools.partial)):
            out.append("@")
            out.append(self._callable(value))
        elif isinstance(value, Sequence):  # a view of a sequence: by its items
            out.append(f"Q{kind.__module__}.{kind.__qualname__}")
            _tuple(self, tuple(value), out)
        elif _is_own(kind) and hasattr(value, "__dict__") and not hasattr(kind, "__slots__"):
            out.append("@")
            out.append(self._object(value))
        else:
            raise Unfingerprintable(f"cannot fingerprint a {kind.__module__}.{kind.__qualname__}")

    def _state(self, value: object, out: list[str]) -> None:
        state = getattr(value, "__dict__", None)
        if state:
            self._encode(state, out)

    def _callable(self, fn: Callable[..., Any]) -> str:
        key = id(fn)
        known = self._hex.get(key)
        if known is not None:
            return known
        out: list[str] = []
        if isinstance(fn, types.MethodType):  # a new object at each access: key by parts
            parts = (id(fn.__func__), id(fn.__self__))
            known = self._methods.get(parts)
            if known is not None:
                return known
            out.append("method(")
            self._encode(fn.__func__, out)
            self._encode(fn.__self__, out)
            out.append(")")
            result = self._methods[parts] = digest_text("".join(out))
            self._keep.append((fn.__func__, fn.__self__))  # not the bound method itself
            return result
        elif isinstance(fn, functools.partial):
            out.append("partial(")
            self._encode(fn.func, out)
            self._encode(fn.args, out)
            self._encode(fn.keywords, out)
        elif isinstance(fn, types.BuiltinFunctionType):
            owner = fn.__self__
            if owner is not None and not isinstance(owner, types.ModuleType):
                raise Unfingerprintable(f"cannot fingerprint bound builtin {fn!r}")
            out.append(f"builtin({fn.__module__}.{fn.__qualname__}")
        else:
            out.append(f"function({fn.__module__}.{fn.__qualname__}")
            self._encode(fn.__defaults__, out)
            self._encode(fn.__kwdefaults__, out)
            for cell in fn.__closure__ or ():
                try:
                    contents = cell.cell_contents
                except ValueError:  # an empty cell
                    out.append("<empty>")
                    continue
                self._encode(contents, out)
        out.append(")")
        result = digest_text("".join(out))
        self._hex[key] = result
        self._keep.append(fn)
        return result

    def _object(self, value: object) -> str:
        """drawdesk's own plain objects: their class (versioned code) and their state."""
        key = id(value)
        known = self._hex.get(key)
        if known is not None:
            return known
        kind = type(value)
        out = [f"O{kind.__module__}.{kind.__qualname__}("]
        self._encode(vars(value), out)
        out.append(")")
        result = digest_text("".join(out))
        self._hex[key] = result
        self._keep.append(value)
        return result


@functools.cache
def _frozen(kind: type) -> bool:
    params = getattr(kind, "__dataclass_params__", None)
    return bool(params is not None and params.frozen)


def _is_own(kind: type) -> bool:
    return kind.__module__ == _PACKAGE or kind.__module__.startswith(_PACKAGE + ".")


def _tz_name(tz: dt.tzinfo) -> str:
    if isinstance(tz, zoneinfo.ZoneInfo):
        return f"zone:{tz.key}"
    if isinstance(tz, dt.timezone):
        return f"fixed:{tz.utcoffset(None)}:{tz.tzname(None)}"
    raise Unfingerprintable(f"cannot fingerprint time zone {tz!r}")


def _str(fp: Fingerprinter, value: str, out: list[str]) -> None:
    out.append(f"s{len(value)}:")
    out.append(value)


def _int(fp: Fingerprinter, value: int, out: list[str]) -> None:
    out.append(f"i{value};")


def _float(fp: Fingerprinter, value: float, out: list[str]) -> None:
    out.append(f"f{value!r};")


def _bool(fp: Fingerprinter, value: bool, out: list[str]) -> None:
    out.append("T" if value else "F")


def _none(fp: Fingerprinter, value: None, out: list[str]) -> None:
    out.append("N")


def _bytes(fp: Fingerprinter, value: bytes, out: list[str]) -> None:
    out.append(f"b{len(value)}:{digest_bytes(value)}")


def _date(fp: Fingerprinter, value: dt.date, out: list[str]) -> None:
    out.append(f"d{value.isoformat()};")


def _datetime(fp: Fingerprinter, value: dt.datetime, out: list[str]) -> None:
    zone = _tz_name(value.tzinfo) if value.tzinfo is not None else ""
    out.append(f"t{value.isoformat()}{zone};")


def _time(fp: Fingerprinter, value: dt.time, out: list[str]) -> None:
    zone = _tz_name(value.tzinfo) if value.tzinfo is not None else ""
    out.append(f"h{value.isoformat()}{zone};")


def _timedelta(fp: Fingerprinter, value: dt.timedelta, out: list[str]) -> None:
    out.append(f"g{value.days},{value.seconds},{value.microseconds};")


def _tuple(fp: Fingerprinter, value: tuple, out: list[str]) -> None:
    out.append("(")
    if len(value) > 8:  # a table of draws, say: join the items' digests in C
        try:
            known = list(map(fp._hex.__getitem__, map(id, value)))
        except KeyError:  # the same digests, now remembered (composite items only)
            known = _digests(fp, value)
        if known is not None:
            out.append("@")
            out.append("@".join(known))
            out.append(")")
            return
    encode = fp._encode
    for item in value:
        encode(item, out)
    out.append(")")


def _digests(fp: Fingerprinter, value: tuple) -> list[str] | None:
    """The digest of each item of `value`, or None if one is not a composite."""
    get = fp._hex.get
    found: list[str] = []
    for item in value:
        digest = get(id(item))
        if digest is None:
            if not _is_composite(type(item)):
                return None
            digest = fp(item)
        found.append(digest)
    return found


def _list(fp: Fingerprinter, value: list, out: list[str]) -> None:
    out.append("[")
    encode = fp._encode
    for item in value:
        encode(item, out)
    out.append("]")


def _dict(fp: Fingerprinter, value: dict, out: list[str]) -> None:
    out.append("{")  # insertion order: templates iterate in that order
    encode = fp._encode
    for key, item in value.items():
        encode(key, out)
        encode(item, out)
    out.append("}")


def _set(fp: Fingerprinter, value: set | frozenset, out: list[str]) -> None:
    out.append("<")
    out.extend(sorted(fp(item) for item in value))
    out.append(">")


def _small_tuple(fp: Fingerprinter, value: tuple, out: list[str]) -> None:
    if len(value) > 8:
        out.append("@")
        out.append(fp(value))
    else:
        _tuple(fp, value, out)


def _small_list(fp: Fingerprinter, value: list, out: list[str]) -> None:
    if len(value) > 8:
        out.append("@")
        out.append(fp(value))
    else:  # a page's own small lists (breadcrumbs): inline, nothing kept
        _list(fp, value, out)


def _small_dict(fp: Fingerprinter, value: dict, out: list[str]) -> None:
    if len(value) > 4:  # large ones are memoized (shared: the site's categories...)
        out.append("@")
        out.append(fp(value))
    else:  # small ones (a draw's texts by language) cost less inline than digested
        _dict(fp, value, out)


_ENCODERS: dict[type, Callable[[Fingerprinter, Any, list[str]], None]] = {
    str: _str, int: _int, float: _float, bool: _bool, type(None): _none,
    bytes: _bytes, dt.date: _date, dt.datetime: _datetime, dt.time: _time,
    dt.timedelta: _timedelta, tuple: _small_tuple, dict: _small_dict, list: _small_list,
}
# Containers worth memoizing by identity (shared between pages, or large).
_MEMOIZED: dict[type, Callable[[Fingerprinter, Any, list[str]], None]] = {
    tuple: _tuple, list: _list, dict: _dict, set: _set, frozenset: _set,
}
_ATOMS = frozenset(_ENCODERS) - {tuple, dict, list}
_DATACLASS_ENCODERS: dict[type, Callable[[Fingerprinter, Any, list[str]], None]] = {}


_COMPOSITE: dict[type, bool] = {}


def _is_composite(kind: type) -> bool:
    """Whether values of `kind` are memoized (containers, dataclasses, custom)."""
    known = _COMPOSITE.get(kind)
    if known is None:
        known = _COMPOSITE[kind] = issubclass(kind, (tuple, list, dict, set, frozenset)) or \
            hasattr(kind, "__fingerprint__") or dataclasses.is_dataclass(kind)
    return known
