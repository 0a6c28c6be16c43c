"""`drawdesk ping`: notify the site's WebSub hub of its changed feeds, after a deploy."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import CONTENT_OPTION, echo, print_problems


@click.command()
@CONTENT_OPTION
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="The built site whose feeds were deployed.")
@click.option("--all", "every", is_flag=True,
              help="Notify every feed, not only those changed since the last ping.")
@click.option("--timeout", type=click.FloatRange(0, 3600, min_open=True), default=30.0,
              show_default=True, help="Seconds to wait for each answer of the hub.")
def ping(content: Path, output: Path, every: bool, timeout: float) -> None:
    """Tell the WebSub hub named in site.yaml (websub_hub) that the site's feeds changed.

    Run it after deploying OUTPUT: the hub then fetches the feeds and pushes their
    new items to subscribers. Only feeds whose bytes changed since the last ping
    are notified, unless --all; builds never contact the network.
    """
    from ..core.problems import Problem
    from ..source.site import load_site
    from ..tools.websub import PingError
    from ..tools.websub import ping as run_ping
    problems: list[Problem] = []
    site = load_site(content, problems)
    if site is None:
        print_problems(problems)
        sys.exit(1)
    if site.websub_hub is None:
        echo(f"{content / 'site.yaml'}: no websub_hub: there is no hub to notify (name it, "
             "e.g. websub_hub: https://pubsubhubbub.appspot.com/)", err=True)
        sys.exit(1)
    try:
        report = run_ping(content, output, site.websub_hub, site.base_url, every=every,
                          timeout=timeout, each=lambda url: echo(f"notified  {url}"))
    except PingError as exc:
        echo(f"Ping failed: {exc}", err=True)
        sys.exit(1)
    echo(f"Pinged {site.websub_hub}: {len(report.notified)} feed(s) notified, "
         f"{report.unchanged} unchanged since the last ping.")
