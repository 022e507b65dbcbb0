"""Norwegian analysis, typos, highlights, filters, facets, pages and order on the example
catalogue (read only: the catalogue is indexed once for the module)."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Solution
from app.services.errors import InvalidData
from tests.search.conftest import find, slugs

BYGGESAK = "digital-byggesaksbehandling"
BARNEHAGE = "barnehageopptak-med-digital-soknad"
HELSESTASJON = "helsestasjonsapp-for-smabarnsforeldre"


@pytest.fixture(scope="module")
def app(example_app):
    return example_app


def test_accents_are_folded(app):
    with_accent, without = find(app, "søknad"), find(app, "soknad")
    assert with_accent.total > 3
    assert slugs(with_accent) == slugs(without)


def test_words_are_stemmed(app):
    # "søknader" (plural) finds the solutions that say "søknad" (singular), and back.
    plural, singular = find(app, "søknader", page_size=100), find(app, "søknad", page_size=100)
    assert set(slugs(singular)) == set(slugs(plural))


@pytest.mark.parametrize(
    ("q", "expected"),
    [("byggesak", BYGGESAK), ("barnehage", BARNEHAGE), ("helse", HELSESTASJON)],
)
def test_compound_parts_find_the_compound(app, q, expected):
    assert expected in slugs(find(app, q, page_size=100))


def test_tail_of_a_compound_finds_it(app):
    # "behandling" ends "Byggesaksbehandling".
    assert BYGGESAK in slugs(find(app, "behandling", page_size=100))


def test_case_does_not_matter(app):
    assert slugs(find(app, "BARNEHAGE")) == slugs(find(app, "barnehage"))


@pytest.mark.parametrize(
    ("typo", "corrected", "expected"),
    [
        ("barnehgae", "barnehage", BARNEHAGE),
        ("byggesaksbehandlig", "byggesaksbehandling", BYGGESAK),
    ],
)
def test_typos_are_corrected(app, typo, corrected, expected):
    result = find(app, typo)
    assert result.suggestion == corrected
    assert expected in slugs(result)


def test_known_words_get_no_suggestion(app):
    assert find(app, "barnehage").suggestion is None


def test_highlights_mark_matched_words(app):
    hit = next(h for h in find(app, "byggesak").hits if h.solution.slug == BYGGESAK)
    assert hit.highlights["name"] == "Digital <mark>byggesaksbehandling</mark>"
    assert "<mark>" in hit.highlights["description"]


def test_highlights_are_none_where_nothing_matched(app):
    hit = next(h for h in find(app, "byggesak").hits if h.solution.slug == BYGGESAK)
    # The summary speaks of "byggesøknader": another word, so nothing is marked there.
    assert hit.highlights["summary"] is None


def test_empty_query_browses_everything_most_adopted_first(app):
    result = find(app, "", page_size=100)
    with app.app_context():
        total = db.session.query(Solution).count()
    assert result.total == total
    counts = [hit.solution.adoption_count for hit in result.hits]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("sort", ["newest", "most_adopted"])
def test_sort_orders(app, sort):
    hits = find(app, "digital", sort=sort, page_size=100).hits
    if sort == "newest":
        keys = [hit.solution.created_at for hit in hits]
    else:
        keys = [hit.solution.adoption_count for hit in hits]
    assert len(keys) > 3
    assert keys == sorted(keys, reverse=True)


def test_relevance_scores_decrease(app):
    scores = [hit.score for hit in find(app, "digital søknad", page_size=100).hits]
    assert scores == sorted(scores, reverse=True)
    assert scores[-1] > 0


def test_pages_cover_every_hit_once(app):
    first = find(app, "kommune", page_size=7)
    assert first.total > 14
    seen: list[str] = []
    for page in range(1, first.total // 7 + 2):
        result = find(app, "kommune", page=page, page_size=7)
        assert result.total == first.total
        seen.extend(slugs(result))
    assert len(seen) == len(set(seen)) == first.total


def test_a_page_past_the_end_is_empty(app):
    result = find(app, "kommune", page=500)
    assert result.hits == []
    assert result.total > 0


FACETS = ("kind", "status", "theme", "standard", "owner", "adopted_by")


def _facet_values(app, matched: set[str]) -> dict[str, dict[str, set[str]]]:
    """Return each matched solution's values of every facet, read from the database."""
    with app.app_context():
        rows = db.session.scalars(
            select(Solution)
            .where(Solution.slug.in_(matched))
            .options(
                selectinload(Solution.owner),
                selectinload(Solution.themes),
                selectinload(Solution.standards),
                selectinload(Solution.adoptions),
            )
        )
        return {
            s.slug: {
                "kind": {s.kind},
                "status": {s.status},
                "theme": set(s.theme_slugs),
                "standard": set(s.standard_slugs),
                "owner": {s.owner.slug},
                "adopted_by": {a.organisation.slug for a in s.active_adoptions},
            }
            for s in rows
        }


def _passes(values: dict[str, set[str]], filters: dict[str, set[str]], but: str = "") -> bool:
    return all(values[f] & wanted for f, wanted in filters.items() if f != but)


@pytest.mark.parametrize(
    ("q", "filters"),
    [
        ("", {}),
        ("digital", {}),
        ("", {"kind": {"system", "service"}}),
        ("søknad", {"status": {"production"}, "theme": {"familie-og-barn", "helse-og-omsorg"}}),
        ("", {"owner": {"trondheim"}, "adopted_by": {"malvik"}}),
    ],
)
def test_facets_count_with_every_other_filter(app, q, filters):
    """Each facet counts the text's matches with every filter applied but its own."""
    matched = set(slugs(find(app, q, page_size=100)))
    assert len(matched) == find(app, q).total  # the example catalogue fits on one page
    values = _facet_values(app, matched)
    result = find(app, q, page_size=100, **{k: sorted(v) for k, v in filters.items()})

    assert set(slugs(result)) == {s for s, v in values.items() if _passes(v, filters)}
    assert result.total == len(result.hits)
    for facet in FACETS:
        expected: Counter[str] = Counter()
        for by_facet in values.values():
            if _passes(by_facet, filters, but=facet):
                expected.update(by_facet[facet])
        got = {v.value: v.count for v in result.facets[facet] if v.count}
        assert got == dict(expected), facet
        for value in result.facets[facet]:
            assert value.selected == (value.value in filters.get(facet, ()))
            assert value.label


def test_filters_are_or_within_and_across(app):
    systems = find(app, kind=["system"], page_size=100).total
    services = find(app, kind=["service"], page_size=100).total
    both = find(app, kind=["system", "service"], page_size=100)
    assert both.total == systems + services
    narrowed = find(app, kind=["system", "service"], status=["production"], page_size=100)
    assert 0 < narrowed.total < both.total
    assert {h.solution.status for h in narrowed.hits} == {"production"}


def test_organisation_filters_take_kommunenummer_or_slug(app):
    by_number = find(app, owner=["5001"], adopted_by=["5035"], page_size=100)
    by_slug = find(app, owner=["trondheim"], adopted_by=["stjordal"], page_size=100)
    assert by_number.total > 0
    assert slugs(by_number) == slugs(by_slug)
    values = _facet_values(app, set(slugs(by_number)))
    assert all("stjordal" in v["adopted_by"] for v in values.values())


def test_facet_labels_are_norwegian(app):
    facets = find(app).facets
    labels = {v.value: v.label for v in facets["kind"]}
    assert labels["system"] == "IT-system"
    assert {v.value: v.label for v in facets["status"]}["production"] == "I drift"
    assert {v.value: v.label for v in facets["owner"]}["trondheim"] == "Trondheim kommune"
    themes = {v.value: v.label for v in facets["theme"]}
    assert themes["bygg-og-eiendom"] == "Bygg og eiendom"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": ["bogus"]}, "kind"),
        ({"status": ["bogus"]}, "status"),
        ({"theme": ["no-such-theme"]}, "theme"),
        ({"standard": ["no-such-standard"]}, "standard"),
        ({"owner": ["9999"]}, "owner"),
        ({"adopted_by": ["nowhere"]}, "adopted_by"),
        ({"sort": "random"}, "sort"),
        ({"page": 0}, "page"),
        ({"page_size": 101}, "page_size"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_name_the_field(app, params, field):
    with pytest.raises(InvalidData) as raised:
        find(app, **params)
    assert field in raised.value.errors


def test_when_no_solution_has_every_word_the_ones_with_some_come_first(app):
    """«SvarUt SvarInn»: no solution names both; those with most of the words lead."""
    result = find(app, "SvarUt SvarInn")
    assert result.any_words
    assert result.total > 0
    assert slugs(result)[0] == "svarut-kobling-for-fagsystemer"
    # Every hit has at least one of the words, and none is dropped that has one.
    one = {s for q in ("SvarUt", "SvarInn") for s in slugs(find(app, q, page_size=100))}
    assert set(slugs(find(app, "SvarUt SvarInn", page_size=100))) == one


def test_more_of_the_words_rank_above_fewer(app):
    result = find(app, "digital byggesak xyzzyq", page_size=100)
    assert result.any_words
    both = find(app, "digital byggesak", page_size=100)
    assert not both.any_words
    assert both.total > 0
    ranked = slugs(result)
    assert len(ranked) > both.total  # also those with only one of the words …
    assert set(ranked[: both.total]) == set(slugs(both))  # … after those with both


def test_words_found_together_are_not_a_fallback(app):
    assert not find(app, "digital byggesak").any_words
    nothing = find(app, "xyzzyq qwvbnm")
    assert nothing.total == 0
    assert not nothing.any_words


def test_the_search_page_says_it_shows_some_of_the_words(app):
    page = app.test_client().get("/sok?q=SvarUt+SvarInn").get_data(as_text=True)
    assert "Viser treff på noen av ordene" in page
    plain = app.test_client().get("/sok?q=byggesak").get_data(as_text=True)
    assert "Viser treff på noen av ordene" not in plain
    api = app.test_client().get("/api/v1/search?q=SvarUt+SvarInn").json
    assert api["any_words"] is True


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Visma", "barnehageopptak-med-digital-soknad"),
        ("Norkart", "kart-og-planinnsyn"),
        ("Komtek", BYGGESAK),
        ("Acos", "soknad-om-skjenkebevilling"),
        ("Tietoevry", "politiske-moter-med-digital-moteportal-og-innsyn"),
        ("Vigilo", "skole-hjem-kommunikasjon"),
    ],
)
def test_vendor_and_product_names_find_their_solutions(app, q, expected):
    assert expected in slugs(find(app, q, page_size=100))


def test_the_vendor_facet_counts_what_the_rows_say(app):
    with app.app_context():
        solutions = db.session.scalars(
            select(Solution)
            .where(Solution.is_draft.is_(False))
            .options(selectinload(Solution.vendor_organisation))
        ).all()
        from app.search.documents import vendor_of

        expected = Counter(vendor_of(s) for s in solutions if vendor_of(s))
    result = find(app, "", page_size=1)
    counted = {v.value: v.count for v in result.facets["vendor"]}
    assert counted == dict(expected)
    norkart = find(app, "", vendor=["Norkart"], page_size=100)
    assert norkart.total == expected["Norkart"]
    assert "kart-og-planinnsyn" in slugs(norkart)


def test_each_hit_says_which_words_it_matched_and_where(app):
    result = find(app, "SvarUt SvarInn", page_size=100)
    by_slug = {h.solution.slug: {m.word: m.fields for m in h.matched} for h in result.hits}
    kobling = by_slug["svarut-kobling-for-fagsystemer"]
    assert "name" in kobling["SvarUt"]
    for hit in result.hits:  # every hit has at least one of the words, and says so
        assert hit.matched
    komtek = find(app, "Komtek")
    assert all(
        any("vendor" in m.fields for m in h.matched if m.word == "Komtek") for h in komtek.hits
    )
    page = app.test_client().get("/sok?q=SvarUt+SvarInn").get_data(as_text=True)
    assert "Treff på «SvarUt» i navnet" in page
    assert "Mangler «SvarInn»" in page
