"""Spreadsheets: formats, widgets, resources, the bulk path, the all-or-nothing importer, the admin's import and export (README "Spreadsheets")."""
