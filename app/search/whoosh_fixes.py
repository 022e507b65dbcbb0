"""One fix to Whoosh 2.7.5 that indexing speed depends on (applied on import of app.search).

``W3PerDocReader._cached_reader`` remembers a column reader only when the column exists. A
field without lengths (IDs, keywords, terms-only fields) has none, so while a segment is
written every posting of such a field asks the file system again whether the column file
exists — one ``stat()`` per posting, a sixth of a rebuild's time. Remembering "no column" too
changes nothing else: columns of a finished segment never appear later.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3

_original = whoosh3.W3PerDocReader._cached_reader


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    """Return the column reader of ``fieldname``, remembering when there is none."""
    if fieldname in self._readers:
        return self._readers[fieldname]
    reader = _original(self, fieldname, column)
    self._readers[fieldname] = reader
    return reader


def apply() -> None:
    """Install the fix (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
