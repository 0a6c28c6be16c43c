"""Per-language interface strings and FAQ prose, kept in templates/i18n/<lang>.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class Catalog(dict[str, str]):
    """Strings by key; attribute access for templates (`t.skip`)."""

    def __getattr__(self, name: str) -> str:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no string '{name}' in the catalogue") from None


def load_catalog(template_dirs: list[Path], lang: str) -> Catalog:
    """The catalogue for `lang`; a site's own file overrides strings one by one."""
    merged: dict[str, Any] = {}
    for folder in reversed(template_dirs):  # the theme first, the site's overrides last
        path = folder / "i18n" / f"{lang}.yaml"
        if path.is_file():
            merged.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return Catalog({str(k): str(v) for k, v in merged.items()})
