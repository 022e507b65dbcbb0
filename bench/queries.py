"""The queries the benchmark sends: what people type into a catalogue search box.

Words come from the synthetic vocabulary (``bench/synthetic.py``): whole compounds, parts of
compounds, two words, typos, filters, and browsing without words. Every search asks for 20
results with all facets and highlights (the API always returns both).
"""

from __future__ import annotations

from typing import Any

SEARCHES: dict[str, list[dict[str, Any]]] = {
    "one word": [
        {"q": "byggesak"},
        {"q": "barnehageplass"},
        {"q": "helsestasjon"},
        {"q": "skoleskyss"},
        {"q": "eiendomsskatt"},
        {"q": "sosialhjelp"},
        {"q": "startlån"},
        {"q": "fakturamottak"},
    ],
    "two words": [
        {"q": "digital byggesak"},
        {"q": "felles barnehageplass"},
        {"q": "automatisk fakturamottak"},
        {"q": "interkommunal legevaktdialog"},
    ],
    "compound part": [
        {"q": "helse"},
        {"q": "behandling"},
        {"q": "registrering"},
        {"q": "renovasjon"},
    ],
    "typo": [
        {"q": "barnehgaeplass"},
        {"q": "byggesaksbehandlig"},
        {"q": "helsestasjn"},
    ],
    "filtered": [
        {"q": "byggesak", "kind": "system"},
        {"q": "helse", "status": "production", "theme": "helse-og-omsorg"},
        {"q": "plan", "owner": "trondheim"},
        {"q": "søknad", "adopted_by": ["malvik", "melhus"]},
    ],
    "browse": [
        {},
        {"kind": "service"},
        {"theme": "bygg-og-eiendom", "status": "production"},
        {"page": 3},
        {"sort": "newest"},
    ],
}
"""Search parameters by kind of query."""

FACET_SEARCHES: dict[str, list[dict[str, Any]]] = {
    "facets": [
        {"q": "digital", "kind": ["system", "service"], "status": ["production", "pilot"]},
        {"q": "søknad", "theme": "bygg-og-eiendom", "owner": "trondheim", "adopted_by": "malvik"},
        {"q": "helse", "standard": ["fhir", "maskinporten"], "kind": "integration"},
        {"kind": "system", "status": "production", "standard": "ehf", "adopted_by": "melhus"},
    ],
}
"""Searches with several facets selected: each selected facet is counted without its own
filter, a search of its own. Reported beside the others but kept out of "all", so the issue-3
figures keep their mix."""

SUGGESTS: list[str] = ["b", "by", "byg", "bygges", "barneh", "hels", "digital b", "sko", "vann"]
"""Prefixes for type-ahead, as typed letter by letter."""
