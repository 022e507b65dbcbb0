"""Split Norwegian compound words into known parts: ``barnehagesøknad`` → barnehage·søknad.

Norwegian writes compounds as one word, so «lekkasje» is inside «Vannlekkasjevarsling» and
«byggesak» inside «byggesaksbehandling». A word is split into parts that are words of the
lexicon, with the linking letters of Norwegian compounds between them (``søknad-s-behandling``,
``barn-e-hage``), and at letters/digits (``noark5`` → noark·5). Of all the ways to split it,
the one whose parts are most common on average wins, and only if its parts are on average more
common than the word itself (Koehn & Knight's frequency method): «vedlikehold» stays whole,
«saksbehandling» becomes sak·behandling.

The lexicon is fixed, so index and query split a word the same way:
- wordfreq's bokmål word list (``nb``, the large list; Apache-2.0 code, CC BY-SA 4.0 data,
  installed as a pinned package, never downloaded at run time);
- ``catalogue_data/search/ord.txt``: the catalogue's own words (product names such as SvarUt,
  terms such as byggesak) — known as parts, and never split themselves.
A change to either changes ``lexicon_version()``, so an index split another way is rebuilt.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache, lru_cache
from pathlib import Path

from app.search.words import STOP_WORDS, fold

MIN_PART = 3
"""Shortest part (letters); two-letter words (``ut``, ``på``) would split nearly anything."""

MIN_LONG_PART = 4
"""Shorter parts must be listed in ``ord.txt`` (sak, hus, vei): the word list's three-letter
words are as often endings (-ren, -let) or names as they are the first half of a compound."""

MIN_ZIPF = 2.5
"""Rarest word of wordfreq's list taken into the lexicon (rarer entries are mostly noise)."""

DOMAIN_ZIPF = 4.0
"""Frequency given to the catalogue's own words as parts."""

MIN_COMPOUND = 6
"""Shortest word that is tried as a compound."""

MAX_PARTS = 4
"""Most parts a word is split into at one level (each part may be a compound itself)."""

PART_PENALTY = 1.0
"""Zipf points a split loses per part beyond two: short common words (ved·like·hold) lose to
fewer, longer parts (vedlikehold)."""

LINKS = ("s", "e")
"""Linking letters between parts (fuge-s and fuge-e)."""

VOWELS = frozenset("aeiouyæøå")

E_PREFIX = "e"
"""«esignering», «eskjema»: the e- of electronic, written without its hyphen."""

_DATA = Path(__file__).resolve().parents[2] / "catalogue_data" / "search"
DOMAIN_WORDS = _DATA / "ord.txt"
"""The catalogue's own words: known parts, never split themselves."""

NOT_PARTS = _DATA / "ikke-ledd.txt"
"""Words of the list that are never a part: endings (-ring, -else) and false halves."""

_LETTERS_OR_DIGITS = re.compile(r"[^\W\d_]+|\d+")


def _read_words(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        fold(line.strip()) for line in lines if line.strip() and not line.startswith("#")
    )


@cache
def _lexicon() -> tuple[dict[str, float], frozenset[str]]:
    """Return (folded word → Zipf frequency, the catalogue's words kept whole)."""
    from wordfreq import get_frequency_list  # a list of words per frequency bucket

    domain, never = _read_words(DOMAIN_WORDS), _read_words(NOT_PARTS)
    lexicon: dict[str, float] = {}
    for bucket, bucket_words in enumerate(get_frequency_list("nb", "large")):
        zipf = 9 - bucket / 100  # bucket n holds the words of frequency 10^(-n/100)
        if zipf < MIN_ZIPF:
            break
        for word in bucket_words:
            if len(word) < MIN_PART or not word.isalpha() or word in STOP_WORDS:
                continue
            folded = fold(word)
            if (len(folded) < MIN_LONG_PART and folded not in domain) or folded in never:
                continue
            lexicon.setdefault(folded, zipf)  # the commonest spelling of a folded word
    for word in domain:
        lexicon[word] = max(lexicon.get(word, 0.0), DOMAIN_ZIPF)
    # wordfreq keeps the whole list (all 320,000 words) in its own cache; nothing else here
    # reads it, and letting it go saves each worker about 20 MB (36 MB → 15 MB kept).
    get_frequency_list.cache_clear()
    return lexicon, domain


@cache
def lexicon_version() -> str:
    """Return a fingerprint of the lexicon (part of the index's schema version)."""
    from importlib.metadata import version

    digest = hashlib.sha256(DOMAIN_WORDS.read_bytes() + NOT_PARTS.read_bytes())
    digest.update(version("wordfreq").encode())
    digest.update(f"{MIN_PART} {MIN_LONG_PART} {MIN_ZIPF} {DOMAIN_ZIPF}".encode())
    digest.update(f"{MIN_COMPOUND} {MAX_PARTS} {LINKS} {E_PREFIX} triple".encode())
    return digest.hexdigest()[:12]


def _best_split(word: str) -> tuple[str, ...]:
    """Return the best split of an all-letter folded word into 2+ parts, or () for none."""
    lexicon, _ = _lexicon()
    n = len(word)
    # best[i][k]: the highest sum of Zipf frequencies splitting word[i:] into k parts, the
    # first part, and where the next one starts (after a linking letter, if any).
    best: list[dict[int, tuple[float, str, int]]] = [{} for _ in range(n + 1)]
    best[n][0] = (0.0, "", n)
    for i in range(n - MIN_PART + 1, -1, -1):
        for end in range(i + MIN_PART - 1, n + 1):
            for part in _parts_ending_at(word, i, end):
                zipf = lexicon.get(part)
                if zipf is None:
                    continue
                nexts = [end]
                if end < n and word[end] in LINKS:
                    nexts.append(end + 1)
                for after in nexts:
                    for k, (rest, _, _) in best[after].items():
                        if k + 1 > MAX_PARTS or (after == n and after != end):
                            continue  # a linking letter joins two parts, it never ends a word
                        total = zipf + rest
                        if total > best[i].get(k + 1, (-1.0, "", 0))[0]:
                            best[i][k + 1] = (total, part, after)
    candidates = [
        (total / k - PART_PENALTY * (k - 2), k) for k, (total, _, _) in best[0].items() if k >= 2
    ]
    if not candidates:
        return ()
    mean, k = max(candidates)
    if mean <= lexicon.get(word, 0.0):
        return ()  # the word is more common whole than its parts are: not a compound
    found, i = [], 0
    while k:
        _, part, after = best[i][k]
        found.append(part)
        i, k = after, k - 1
    return tuple(found)


def _parts_ending_at(word: str, start: int, end: int) -> list[str]:
    """Return what ``word[start:end]`` may stand for as a part: itself, and — where Norwegian
    writes three equal consonants as two (natt + tilsyn = «nattilsyn») — itself with the
    consonant the next part begins with."""
    found = [word[start:end]] if end - start >= MIN_PART else []
    if (
        end < len(word)
        and end - start >= 2
        and word[end - 1] == word[end]
        and word[end - 1] not in VOWELS
        and word[end - 2] != word[end - 1]
    ):
        found.append(word[start:end] + word[end])
    return found


@lru_cache(maxsize=200_000)
def split(word: str) -> tuple[str, ...]:
    """Return the folded parts of a compound word, or () when it is not one.

    Letters and digits part first (``noark5`` → noark·5), then each run of letters is split
    into words of the lexicon; the catalogue's own words are never split.
    """
    folded = fold(word)
    runs = _LETTERS_OR_DIGITS.findall(folded)
    _, domain = _lexicon()
    found: list[str] = []
    for run in runs:
        pieces = () if run in domain or len(run) < MIN_COMPOUND else _best_split(run)
        found.extend(pieces or _e_word(run) or (run,))
    return tuple(found) if len(found) > 1 else ()


def _e_word(run: str) -> tuple[str, ...]:
    """Return («e», the word) for an e-word written without its hyphen, else ()."""
    lexicon, _ = _lexicon()
    rest = run[len(E_PREFIX) :]
    if not run.startswith(E_PREFIX) or len(rest) < MIN_COMPOUND or rest not in lexicon:
        return ()
    return (E_PREFIX, rest) if lexicon.get(run, 0.0) < lexicon[rest] else ()


@lru_cache(maxsize=200_000)
def all_parts(word: str) -> tuple[str, ...]:
    """Return every part of a compound word, the parts of its parts included, or ().

    What the index records of a word: «byggesaksbehandling» → bygge, saksbehandling, sak,
    behandling — so «byggesak», «saksbehandling» and «behandling» all find it."""
    found: dict[str, None] = {}
    for part in split(word):
        found[part] = None
        found.update(dict.fromkeys(all_parts(part)))
    return tuple(found)
