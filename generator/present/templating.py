"""The Jinja2 environment pages are rendered with: where templates come from, their filters,
and compiled templates kept between builds.

Templates are read as every input is read (`source.sitefiles`): regular files
only, links followed only inside the site. A site's own templates override the
theme's file by file, and the theme stays reachable as "theme/NAME".
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from pathlib import Path

import jinja2
import jinja2.bccache

from ..core.theme import THEME_DIR
from ..source import sitefiles
from . import formatting


def template_problem(exc: jinja2.TemplateError) -> str:
    """A template error as 'path:line:column: template: message'."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}:1: template: {exc.message}"
    where = "template"
    tb = exc.__traceback__
    while tb is not None:  # Jinja maps template frames to the template's file and line
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            where = f"{filename}:{tb.tb_lineno}:1"
        tb = tb.tb_next
    return f"{where}: template: {exc.message or exc}"


class SiteLoader(jinja2.FileSystemLoader):
    """Jinja's file system loader, reading as every input is read (`source.sitefiles`):
    regular files only, links followed only into `roots`."""

    def __init__(self, searchpath: list[str], roots: tuple[str, ...]):
        super().__init__(searchpath)
        self.roots = roots

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            exists, refusal = sitefiles.check_file(Path(filename), self.roots)
            if not exists:
                continue
            if refusal is not None:
                raise jinja2.TemplateError(f"{filename}: {refusal}")
            contents = sitefiles.read_text(filename)
            return contents, os.path.normpath(filename), lambda: True  # never reloaded
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        return sorted({found.rel for searchpath in self.searchpath
                       for found in sitefiles.walk(Path(searchpath), self.roots).files})


class StoredBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in a mapping the build cache stores between builds."""

    def __init__(self, stored: dict):
        self.stored = stored

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        entry = self.stored.get(bucket.key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == bucket.checksum:
            bucket.bytecode_from_string(entry[1])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.stored[bucket.key] = (bucket.checksum, bucket.bytecode_to_string())


def make_environment(template_dirs: list[Path], lang: str,
                     roots: tuple[str, ...] | None = None,
                     stored: dict | None = None) -> jinja2.Environment:
    """Templates from `template_dirs`, first match wins, file by file; links in them
    are followed only into `roots` (default: the template folders themselves).

    The built-in theme is also reachable as "theme/NAME", so a site's own
    template can extend the theme's version of the very file it overrides. With
    `stored` (kept by the build cache), templates are compiled once, now (before
    any fork), and their code is kept in it.
    """
    roots = roots if roots is not None else sitefiles.real_roots(template_dirs)
    loader = jinja2.ChoiceLoader([
        SiteLoader([str(d) for d in template_dirs], roots),
        jinja2.PrefixLoader({"theme": SiteLoader([str(THEME_DIR)],
                                                 sitefiles.real_roots([THEME_DIR]))}),
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat per page
        bytecode_cache=StoredBytecode(stored) if stored is not None else None,
    )
    env.filters.update(
        number=lambda v: formatting.number(v, lang),
        long_date=lambda v: formatting.long_date(v, lang),
        date_time=lambda v: formatting.date_time(v, lang),
        ordinal=lambda v: formatting.ordinal(v, lang),
        signed=lambda v: formatting.signed(v, lang), clock=lambda v: formatting.clock(v, lang),
        date_hm=lambda v: formatting.date_time(v, lang, seconds=False), de=formatting.french_de,
    )
    if stored is not None:
        for name in env.list_templates(extensions=["html", "xml", "txt"]):
            try:
                env.get_template(name)
            except jinja2.TemplateError:
                pass  # reported if a page uses it, as without the cache
    return env
