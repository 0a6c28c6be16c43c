"""`drawdesk serve`: the site previewed on this machine, rebuilt and reloaded on every change."""

from __future__ import annotations

import datetime as dt
import signal
import sys
from pathlib import Path

import click

from ..core.options import BuildConfig
from .common import (
    echo,
    held_back,
    left_out,
    parse_now,
    site_options,
    terminate,
)


@click.command()
@site_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (0.0.0.0: every interface; think twice).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="Where to build (default: a temporary folder, removed on exit).")
def serve(content: Path, host: str, port: int, output: Path | None, drafts: bool,
          future: bool, now_option: dt.datetime | None, templates: Path | None) -> None:
    """Preview the site: build, serve, rebuild on change and reload the page.

    Watches CONTENT and the templates. Pages reload after each rebuild; an
    invalid entry is reported here and shown over the page, and the last good
    build stays online until it is fixed. Ctrl-C stops the server.
    """
    from urllib.parse import urlsplit

    from ..source.loader import load_content
    from ..tools.previewhttp import exposure, listening
    from ..tools.serve import ServeOptions
    from ..tools.serve import serve as run_serve
    now = parse_now(now_option)
    config = BuildConfig(content=content, output=Path("unused"), drafts=drafts, future=future,
                         now=now, templates=templates)

    def started(url: str, result) -> None:
        if result is not None:
            echo(result.summary())
            loaded = load_content(content).content
            drafts_left, scheduled_left, today = held_back(loaded, now)
            parts = left_out(0 if drafts else drafts_left, 0 if future else scheduled_left,
                              today)
            if parts:
                echo(f"Not shown: {'; '.join(parts)}.")
        if output is not None:
            echo(f"note: {output} holds preview pages (with a reload script); "
                 "run drawdesk build before publishing.")
        warning = exposure(host)
        if warning is not None:
            echo(warning, err=True)
        echo(f"Serving {listening(host, url, int(urlsplit(url).port or port))} "
             "(Ctrl-C to stop)")

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        run_serve(config, ServeOptions(host=host, port=port, output=output),
                  echo=echo, echo_err=lambda line: echo(line, err=True),
                  started=started)
    except KeyboardInterrupt:
        echo("Stopped.")
    except OSError as exc:
        echo(f"Cannot serve on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    finally:
        signal.signal(signal.SIGTERM, previous)
