"""The encoder of one dataclass's instances, for `buildcache.valuedigests`: generated
from its field names, so that the values pages receive most (draws, facts, entries) are
encoded without a loop over their fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any


def dataclass_encoder(cls: type) -> Callable[[Any, Any, list[str]], None]:
    """An encoder for instances of one dataclass: its fields read in order, the
    commonest values (str, int, None, a value seen already) encoded inline, exactly
    as `Fingerprinter._encode` would (dataclasses are most of what pages receive)."""
    lines = ["def encode(fp, value, out):",
             f"    out.append({f'C{cls.__module__}.{cls.__qualname__}('!r})",
             "    known, nested = fp._hex, fp._encode"]
    for name in (f.name for f in dataclasses.fields(cls)):
        if not name.isidentifier():  # pragma: no cover - field names are identifiers
            from .valuedigests import Unfingerprintable
            raise Unfingerprintable(f"field {name!r} of {cls.__qualname__}")
        lines += [
            f"    item = value.{name}",
            "    kind = type(item)",
            "    if kind is str:",
            "        out.append(f's{len(item)}:')",
            "        out.append(item)",
            "    elif kind is int:",
            "        out.append(f'i{item};')",
            "    elif item is None:",
            "        out.append('N')",
            "    else:",
            "        digest = known.get(id(item))",
            "        if digest is not None:",
            "            out.append('@')",
            "            out.append(digest)",
            "        else:",
            "            nested(item, out)"]
    lines.append("    out.append(')')")
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - generated from field names only
    return namespace["encode"]
