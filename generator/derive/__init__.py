"""Derive: facts, statistics and pool rows computed once from the loaded draws."""
