"""Importing IRCC's rounds file into draw entries."""
