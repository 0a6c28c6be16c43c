"""Spreading work over several processes (forked): parsing and rendering."""
