"""Formats the catalogue speaks besides its own API: publiccode.yml, RDF, spreadsheets, Atom.

Pure mapping and format code: no HTTP, no database session. The services in
``app/services/imports.py``, ``exports.py`` and ``backup.py`` feed these modules with rows and
take back plain data, so every write still goes through the ordinary service functions.
"""
