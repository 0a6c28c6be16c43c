"""Commands beyond the build: new entries, IRCC import, schema files, preview server."""
