"""Source: reading the content folder (YAML with positions, the field table, files)."""
