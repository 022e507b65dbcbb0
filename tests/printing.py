"""Reading back what Chromium printed to PDF (the print tests of the portfolio and the matrix)."""

from __future__ import annotations

import re
import unicodedata

A4_POINTS = (595, 842)
"""A4 in PDF points (1/72 inch), short side first."""

PRINTABLE_A4_LANDSCAPE = {"width": 1047, "height": 718}
"""297 × 210 mm less 10 mm margins, in CSS pixels (96 per inch): what Chromium lays out."""

PRINTABLE_A4_PORTRAIT = {"width": 718, "height": 1047}
"""210 × 297 mm less 10 mm margins, in CSS pixels (96 per inch)."""


def squeezed(text: str) -> str:
    """Return text without whitespace, soft or hard hyphens (PDF text breaks words in cells)
    and with ligatures undone (Chromium prints «fl» as one glyph)."""
    return re.sub(r"[\s\u00ad\u2010-]", "", unicodedata.normalize("NFKC", text))
