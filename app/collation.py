"""Norwegian alphabetical order: æ, ø and å come after z, as in a Norwegian dictionary."""

from __future__ import annotations

_AFTER_Z = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|"})


def norwegian_key(text: str) -> str:
    """Return a sort key that orders ``text`` as Norwegian does (Ørland after Verdal)."""
    return text.casefold().translate(_AFTER_Z)
