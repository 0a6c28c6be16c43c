"""`python -m drawdesk` and the `drawdesk` command: the click command line (`cli`), with
Ctrl-C at any moment, while modules load included, ending it with status 130 quietly."""

from __future__ import annotations

import os
import sys


def run() -> None:
    """Run the command line, then leave without freeing every object one by one (a
    built site holds many; every file is closed by then)."""
    try:
        from .cli import main
        main()  # ends with SystemExit, as click's commands do
        code: object = 0
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:
        code = 130
    status = code if isinstance(code, int) else (0 if code is None else 1)
    try:
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, KeyboardInterrupt):  # a reader that went away, or Ctrl-C now
        status = status or 1
    os._exit(status)


if __name__ == "__main__":
    run()
