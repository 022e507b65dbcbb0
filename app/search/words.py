"""The words of a text before any analyser: what a word is, folding, bokmål stop words.

Shared by the analysers (``analysis.py``) and the compound splitter (``compounds.py``), which
each build on them; kept apart so that neither has to import the other.
"""

from __future__ import annotations

import re

from whoosh.lang import stopwords_for_language
from whoosh.support.charset import charset_table_to_dict, default_charset

WORD = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)
"""A word, as every text field sees it (Whoosh's default tokenizer pattern)."""

FOLD_MAP: dict[int, str] = charset_table_to_dict(default_charset)
FOLD_MAP.update({ord("æ"): "ae", ord("Æ"): "ae", ord("ø"): "o", ord("Ø"): "o"})
"""Character → its folded form: Whoosh's accent table, with æ → ae and ø → o (å → a is in it)."""

STOP_WORDS: frozenset[str] = frozenset(stopwords_for_language("no"))
"""Bokmål stop words (og, i, på, …): never searched, never indexed in stemmed fields."""


def fold(text: str) -> str:
    """Return ``text`` lowercased with æ/ø/å and accents folded to ASCII."""
    return text.lower().translate(FOLD_MAP)
