"""Where drawdesk's built-in theme is: templates, stylesheet, catalogues, card layout, fonts.

In an installed package the theme is the package's `theme/` folder; in a
checkout of the repository (and an editable install of it) it is the
repository's `templates/` folder, beside the package's source folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _find_theme() -> Path:
    for folder in (_PACKAGE / "theme", _PACKAGE.parent / "templates"):
        if (folder / "base.html").is_file():
            return folder
    return _PACKAGE / "theme"  # missing: reported when a template is not found


THEME_DIR = _find_theme()
