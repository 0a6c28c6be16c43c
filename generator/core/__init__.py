"""Core: problems, models and options, used by every stage (standard library only)."""
