"""Importing IRCC's rounds file into draw entries: reading the file (`rounds`), then planning
and writing the entries (`importer`)."""

OFFICIAL_URL = "https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json"
DEFAULT_TIMEOUT = 30.0  # seconds the whole download of an https source may take
MAX_TIMEOUT = 3600.0  # seconds: --timeout is a number of seconds up to this
