"""The command line: click, the only place that prints and picks exit codes.

`main` is the group of drawdesk's commands; each command lives in a module of
this package, loaded only when it runs (a build with nothing to do loads
neither the other commands nor the pipeline's stages: see `build.build`).
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# Each command: the module of this package that defines it, and its name there.
COMMANDS = {"build": ("build", "build"), "clean": ("build", "clean"),
            "validate": ("check", "validate"), "schema": ("check", "schema"),
            "new": ("entries", "new"), "import": ("entries", "import_group"),
            "serve": ("preview", "serve"), "init": ("init", "init")}


class Commands(click.Group):
    """drawdesk's commands, each loaded when it runs: Ctrl-C in any of them exits with
    status 130 (build and serve say first what became of the output)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name]
        command = getattr(importlib.import_module(f".{module}", __name__), attribute)
        return command if isinstance(command, click.Command) else None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            ctx.exit(130)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="drawdesk", prog_name="drawdesk")
def main() -> None:
    """drawdesk: turn Express Entry draw entries into a news site."""
