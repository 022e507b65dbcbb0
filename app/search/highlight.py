"""Mark the words a query matched with ``<mark>``; everything else is HTML-escaped.

A word of the text matches when its stem is a query word's stem or one of its parts' stems, when
a query word is one of its parts (``app/search/compounds.py``), or when it begins or ends with a
query word of ``MIN_PART_LENGTH`` letters or more: the same rules the query uses
(``app/search/query.py``). Short texts are marked whole; long ones are cut to a
fragment around the first matches.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from app.search.analysis import PARTS, stem
from app.search.query import MIN_PART_LENGTH, ParsedQuery
from app.search.words import FOLD_MAP, fold

FRAGMENT_CHARS = 240
"""Length of the fragment of a long text (description) shown around its matches."""

WHOLE_TEXT_CHARS = 600
"""Texts up to this long are shown whole (names, summaries)."""


_WORD_END = re.compile(r"\w*")


def _unfolded() -> dict[str, str]:
    """Return, for each letter, the letters that fold to it (``o`` → ``oøóòôö…``)."""
    sources: dict[str, set[str]] = {}
    for code, folded in FOLD_MAP.items():
        if len(folded) == 1:
            sources.setdefault(folded, {folded}).add(chr(code).lower())
    return {letter: "".join(sorted(chars)) for letter, chars in sources.items()}


_UNFOLDED = _unfolded()


def _loose(folded: str) -> str:
    """Return a pattern matching ``folded`` in text written with æ, ø, å and accents."""
    out, i = [], 0
    while i < len(folded):
        if folded.startswith("ae", i):
            out.append("(?:ae|æ)")
            i += 2
            continue
        letters = _UNFOLDED.get(folded[i])
        out.append(f"[{re.escape(letters)}]" if letters else re.escape(folded[i]))
        i += 1
    return "".join(out)


class Highlighter:
    """Marks the words of one query in texts."""

    def __init__(self, parsed: ParsedQuery, *, query_parts: bool = False) -> None:
        """``query_parts``: also mark the parts of compound query words (for a hit that does
        not hold the compound whole, so what it does hold is shown)."""
        found = parsed.all_words()
        self._typed = found
        self.query_parts = query_parts
        # A word of the text matches a query word whole, as a part of a compound in the text,
        # or (query_parts) as one of the parts of a compound query word.
        self.stems = {w.stem for w in found}
        if query_parts:
            self.stems |= {part for w in found for part in w.parts}
        folded = (fold(w.raw) for w in found)
        self.parts = tuple(f for f in folded if len(f) >= MIN_PART_LENGTH)
        self._seen: dict[str, bool] = {}
        # A matching word holds a stem or a part (stemming only cuts endings), so a regular
        # expression finds the few candidates in C and only those are stemmed in Python.
        needles = sorted({*self.stems, *self.parts}, key=len, reverse=True)
        self._candidates = (
            re.compile("|".join(_loose(n) for n in needles), re.IGNORECASE) if needles else None
        )

    @property
    def active(self) -> bool:
        """Return whether there is anything to mark (a search with words)."""
        return self._candidates is not None

    def _matches(self, word: str) -> bool:
        # Texts repeat their words, and so do the hits of one page: decide each word once.
        known = self._seen.get(word)
        if known is None:
            folded = fold(word)
            known = (
                bool(self.parts and (folded.startswith(self.parts) or folded.endswith(self.parts)))
                or stem(word.lower()) in self.stems
                or not self.stems.isdisjoint(PARTS.parts_of(word))
            )
            self._seen[word] = known
        return known

    def words_found(self, text: str) -> set[str]:
        """Return which of the query's words (as typed) ``text`` matches, whole or as a part."""
        found: set[str] = set()
        if self._candidates is None or not text:
            return found
        held: set[str | None] = set()  # stems of the matching words and of their parts
        for start, end in self.spans(text):
            word = text[start:end]
            folded, stemmed, parts = fold(word), stem(word.lower()), PARTS.parts_of(word)
            held.add(stemmed)
            held.update(parts)
            for typed in self._typed:
                part = fold(typed.raw)
                if (
                    stemmed == typed.stem
                    or typed.stem in parts
                    or (
                        len(part) >= MIN_PART_LENGTH
                        and (folded.startswith(part) or folded.endswith(part))
                    )
                ):
                    found.add(typed.raw)
        # A compound query word matches where any of its parts is (the search found them all,
        # perhaps in different fields).
        if self.query_parts:
            found.update(t.raw for t in self._typed if t.parts and not held.isdisjoint(t.parts))
        return found

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Return the (start, end) of each matching word of ``text``."""
        if self._candidates is None:
            return []
        spans: list[tuple[int, int]] = []
        end = 0
        for found in self._candidates.finditer(text):
            if found.start() < end:
                continue  # inside the word just looked at
            start = found.start()
            while start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                start -= 1
            end = _WORD_END.match(text, found.end()).end()
            if self._matches(text[start:end]):
                spans.append((start, end))
        return spans

    def mark(self, text: str, *, fragment: bool = False) -> Markup | None:
        """Return ``text`` with its matching words marked, or None when nothing matches."""
        spans = self.spans(text)
        if not spans:
            return None
        start, end = 0, len(text)
        if fragment and len(text) > WHOLE_TEXT_CHARS:
            start, end = _window(text, spans)
        parts: list[str] = ["…" if start else ""]
        cursor = start
        for a, b in spans:
            if a < start or b > end:
                continue
            parts.append(str(escape(text[cursor:a])))
            parts.append(f"<mark>{escape(text[a:b])}</mark>")
            cursor = b
        parts.append(str(escape(text[cursor:end])))
        if end < len(text):
            parts.append("…")
        return Markup("".join(parts))  # noqa: S704 - every piece of user text is escaped above


def _window(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Return a fragment of about FRAGMENT_CHARS around the densest run of matches."""
    best, best_count = spans[0][0], 0
    for i, (a, _) in enumerate(spans):
        n = sum(1 for s, _ in spans[i:] if s < a + FRAGMENT_CHARS)
        if n > best_count:
            best, best_count = a, n
    start = max(0, best - FRAGMENT_CHARS // 4)
    # Start and end at word boundaries, so no word is cut in half.
    if start:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + FRAGMENT_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end
