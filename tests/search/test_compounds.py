"""Compound words: the splitter, and what the issue's queries find in the example catalogue.

The expected solutions are named from the rows, not from what search happens to return: a
solution is expected where its own text says the word (whole or inside a longer word)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Solution
from app.search.analysis import PARTS
from app.search.compounds import all_parts, lexicon_version, split
from app.search.words import fold
from tests.search.conftest import find, slugs


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("saksbehandlingssystem", ("saksbehandling", "system")),  # linking -s-
        ("søknadsbehandling", ("soknad", "behandling")),
        ("barnehagesøknad", ("barnehage", "soknad")),
        ("bygningsvedlikehold", ("bygning", "vedlikehold")),
        ("Vannlekkasjevarsling", ("vannlekkasje", "varsling")),
        ("byggesak", ("bygge", "sak")),
        ("noark5", ("noark", "5")),  # letters and digits
        ("skoleskyss", ("skole", "skyss")),  # the linking -s- does not eat the s of skyss
        ("nattilsyn", ("natt", "tilsyn")),  # three t's written as two
        ("esignering", ("e", "signering")),  # e- written without its hyphen
    ],
)
def test_compounds_split_into_known_parts(word, parts):
    assert split(word) == parts


@pytest.mark.parametrize(
    "word",
    [
        "vedlikehold",  # more common whole than ved·like·hold
        "registrering",  # -ring is an ending, not a part
        "kommunen",
        "Melhus",  # a kommune, not mel·hus
        "SvarInn",  # a product, not svar·inn
        "HelseID",
        "søknad",
    ],
)
def test_words_that_are_not_compounds_stay_whole(word):
    assert split(word) == ()


def test_parts_of_parts_are_indexed_too():
    # «byggesak» and «saksbehandling» both find «byggesaksbehandling».
    assert set(all_parts("byggesaksbehandling")) >= {"bygge", "sak", "saksbehandling", "behandling"}
    assert set(PARTS.parts_of("Vannlekkasjevarsling")) >= {"vann", "lekkasj", "varsling"}
    assert PARTS.parts_of("kommune") == ()


def test_the_lexicon_has_a_fingerprint():
    assert re.fullmatch(r"[0-9a-f]{12}", lexicon_version())


@pytest.fixture(scope="module")
def app(example_app):
    return example_app


def _holding(app, pattern: str, fields: tuple[str, ...] = ("name", "summary", "description")):
    """Return the slugs of solutions whose text has a word matching ``pattern`` (folded)."""
    regex = re.compile(pattern)
    with app.app_context():
        rows = db.session.scalars(select(Solution).where(Solution.is_draft.is_(False)))
        return {
            s.slug
            for s in rows
            if any(
                regex.fullmatch(word)
                for field in fields
                for word in re.findall(r"\w+", fold(getattr(s, field) or ""))
            )
        }


@pytest.mark.parametrize(
    ("q", "pattern"),
    [
        # The word inside a longer word of any text field, not only names and tags.
        ("lekkasje", r"\w*lekkasje\w*"),
        ("byggesak", r"\w*byggesak\w*"),
        ("behandling", r"\w*behandling\w*"),
        ("vedlikehold", r"\w*vedlikehold\w*"),
    ],
)
def test_a_word_finds_every_solution_whose_text_holds_it(app, q, pattern):
    expected = _holding(app, pattern)
    assert expected, f"the example catalogue should say {pattern}"
    assert expected <= set(slugs(find(app, q, page_size=100)))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        (
            "lekkasje",
            {"vann-og-avlopsgebyr-med-digital-maleravlesning", "meld-feil-pa-vei-vann-og-lys"},
        ),
        ("barnehagesøknad", {"barnehageopptak-med-digital-soknad"}),
        ("søknadsbehandling", {"behandling-av-soknader-til-regionalt-naeringsfond"}),
        ("saksbehandlingssystem", {"digital-startlansoknad", "digital-byggesaksbehandling"}),
        ("noark5", {"felles-arkivplanmal-for-tronderske-kommuner"}),
        (
            "byggesak",
            {"digital-byggesaksbehandling", "ki-assistert-forhandskontroll-av-byggesoknader"},
        ),
    ],
)
def test_the_queries_coordinators_type_find_what_they_expect(app, q, expected):
    result = find(app, q, page_size=100)
    assert not result.any_words
    assert expected <= set(slugs(result))


def test_a_compound_nothing_holds_whole_is_searched_as_its_parts(app):
    # Nothing says «bygningsvedlikehold», or both «bygning» and «vedlikehold».
    result = find(app, "bygningsvedlikehold", page_size=100)
    assert result.any_words
    assert result.words == ["bygning", "vedlikehold"]
    found = set(slugs(result))
    assert "eiendomsskatt-med-taksering-og-fakturering" in found  # «bygninger»
    assert "meld-feil-pa-vei-vann-og-lys" in found  # «vegvedlikehold»


def test_a_compound_with_a_part_nothing_holds_finds_the_solutions_with_the_others(app):
    # Nothing says «gass»: the climate accounts are found by «klima» and «regnskap».
    result = find(app, "klimagassregnskap", page_size=100)
    assert result.any_words
    assert slugs(result)[0] == "klimabudsjett-og-klimaregnskap"


def test_the_page_names_the_parts_it_searched(app):
    with app.test_client() as client:
        page = client.get("/sok?q=bygningsvedlikehold").get_data(as_text=True)
    assert "Viser treff på noen av ordene" in page
    assert "«bygning», «vedlikehold»" in page


def test_a_word_found_inside_a_compound_is_marked_and_explained(app):
    hit = next(
        h
        for h in find(app, "lekkasje", page_size=100).hits
        if h.solution.slug == "meld-feil-pa-vei-vann-og-lys"
    )
    assert "<mark>vannlekkasjer</mark>" in str(hit.highlights["description"])
    assert [(m.word, m.fields) for m in hit.matched] == [("lekkasje", ["description"])]


def test_whole_words_rank_above_parts(catalogue_app, make_solution):
    whole = make_solution(name="Kvernkall for drift", summary="Varsler om lekkasje i rør.")
    part = make_solution(name="Kvernkall for anlegg", summary="Varsler om vannlekkasje i rør.")
    assert slugs(find(catalogue_app, "kvernkall lekkasje")) == [whole, part]
