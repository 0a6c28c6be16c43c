"""drawdesk: a static-site news generator for Express Entry draws."""

__version__ = "0.1.0"
