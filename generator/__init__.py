"""drawdesk: a static-site news generator for Express Entry draws.

Installed as the `drawdesk` package (this repository keeps it in generator/).
The pipeline is `build.build`; the stages are the sub-packages core, source,
derive, present and output, with the build cache (buildcache) and parallel
rendering (parallel) beside them, the tools above, and the command line (cli)
on top.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    if name == "__version__":  # read when asked: the metadata takes a while to load
        from importlib.metadata import version
        return version("drawdesk")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
