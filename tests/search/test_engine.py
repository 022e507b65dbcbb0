"""The engine's shortcuts give Whoosh's answers: BM25F scores, compound parts, bitsets, marks."""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh.query import Prefix

from app import search
from app.search import parts, postings
from app.search.facets import bits_of, docnums_of, membership
from app.search.highlight import Highlighter
from app.search.query import SEARCH_BOOSTS, parse, stem_query


@pytest.fixture(scope="module")
def app(example_app):
    return example_app


@pytest.mark.parametrize("word", ["søknad", "digital", "barnehage", "kommune", "sak", "noark"])
def test_scores_are_whooshs_bm25f(app, word):
    with app.app_context():
        searcher = search.reader().searcher()
        key = str(search.store().root)
        parsed = parse(word)
        vector = np.zeros(searcher.doc_count_all())
        terms = [(f, parsed.words[0].stem, b) for f, b in SEARCH_BOOSTS.items()]
        postings.add_scores(searcher, key, terms, vector)
        ours = {int(d): float(vector[d]) for d in np.flatnonzero(vector)}
        whooshs: dict[int, float] = {}
        for sub, offset in searcher.leaf_searchers():
            m = stem_query(parsed.words[0]).matcher(sub, searcher.context())
            while m.is_active():
                whooshs[m.id() + offset] = m.score()
                m.next()
    assert ours.keys() == whooshs.keys()
    assert len(ours) > 0
    for doc, score in whooshs.items():
        assert ours[doc] == pytest.approx(score, rel=1e-5)


@pytest.mark.parametrize(("field", "prefix"), [("words", "bygg"), ("words_rev", "gnildnaheb")])
def test_compound_parts_are_whooshs_prefix_matches(app, field, prefix):
    with app.app_context():
        searcher = search.reader().searcher()
        found = parts.docs_with_prefix(searcher, str(search.store().root), field, prefix)
        ours = {int(d) for d in found}
        whooshs = set(searcher.docs_for_query(Prefix(field, prefix)))
    assert ours == whooshs
    assert ours


def test_bitsets_round_trip():
    rng = random.Random(7)
    for size in (1, 8, 9, 1000, 100_003):
        docs = sorted(rng.sample(range(size), min(size, 300)))
        bits = bits_of(docs, size)
        assert docnums_of(bits) == docs
        assert bits.bit_count() == len(docs)
        data = membership(bits, size)
        assert [d for d in range(size) if data[d >> 3] >> (d & 7) & 1] == docs


@pytest.mark.parametrize(
    ("q", "text", "marked"),
    [
        ("soknad", "Søknad om plass", "<mark>Søknad</mark> om plass"),
        (
            "SØKNADER",
            "to søknader og en søknad",
            "to <mark>søknader</mark> og en <mark>søknad</mark>",
        ),
        ("byggesak", "Digital byggesaksbehandling", "Digital <mark>byggesaksbehandling</mark>"),
        ("behandling", "Byggesaksbehandling", "<mark>Byggesaksbehandling</mark>"),
        ("vaer", "Vær varsling", "<mark>Vær</mark> varsling"),
        (
            "helse",
            "Folkehelse og helsestasjon",
            "<mark>Folkehelse</mark> og <mark>helsestasjon</mark>",
        ),
        ("sak", "Saksbehandler", "<mark>Saksbehandler</mark>"),  # a part: sak·behandler
        ("sakt", "Saksbehandler", None),  # neither a part nor a head or tail
    ],
)
def test_highlights_find_folded_stemmed_and_compound_words(q, text, marked):
    assert Highlighter(parse(q)).mark(text) == marked


def test_a_long_text_is_cut_to_a_fragment_around_the_matches():
    text = " ".join(["fyll"] * 300) + " her er barnehagen " + " ".join(["fyll"] * 300)
    fragment = Highlighter(parse("barnehage")).mark(text, fragment=True)
    assert "<mark>barnehagen</mark>" in fragment
    assert fragment.startswith("…")
    assert fragment.endswith("…")
    assert len(fragment) < 400
