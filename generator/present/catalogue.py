"""Per-language interface strings and FAQ prose, as templates and the prose use them."""

from __future__ import annotations

from pathlib import Path

from ..source.catalogue import read_catalogues


class Catalog(dict[str, str]):
    """Strings by key; attribute access for templates (`t.skip`)."""

    def __getattr__(self, name: str) -> str:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no string '{name}' in the catalogue") from None


def load_catalog(template_dirs: list[Path], lang: str) -> Catalog:
    """The catalogue for `lang` (templates/i18n/LANG.yaml, the site's strings over the
    theme's); raises ContentError if a file cannot be read."""
    return Catalog(read_catalogues(template_dirs, lang))
