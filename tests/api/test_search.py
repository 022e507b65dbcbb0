"""GET /api/v1/search and /api/v1/search/suggest through the Flask test client."""

from __future__ import annotations

import pytest

FACETS = {
    "kind",
    "status",
    "theme",
    "standard",
    "owner",
    "adopted_by",
    "vendor",
    "not_adopted_by",
    "min_adopters",
    "freshness",
}


@pytest.fixture(scope="module")
def client(example_app):  # noqa: F811
    return example_app.test_client()


def test_response_shape(client):
    response = client.get("/api/v1/search?q=byggesak")
    assert response.status_code == 200, response.json
    body = response.json
    keys = {"total", "page", "page_size", "results", "facets", "suggestion", "any_words"}
    keys |= {"grouped_total", "family"}
    assert set(body) == keys
    assert (body["page"], body["page_size"], body["suggestion"]) == (1, 20, None)
    hit = body["results"][0]
    assert set(hit) == {
        "slug",
        "name",
        "summary",
        "kind",
        "status",
        "owner",
        "themes",
        "adoption_count",
        "score",
        "highlights",
        "matched",
        "family_others",
    }
    assert hit["slug"] == "digital-byggesaksbehandling"
    assert hit["owner"] == "trondheim"
    assert hit["themes"] == ["bygg-og-eiendom"]
    assert hit["adoption_count"] >= 7
    assert hit["highlights"]["name"] == "Digital <mark>byggesaksbehandling</mark>"
    assert set(hit["highlights"]) == {"name", "summary", "description"}
    assert set(body["facets"]) == FACETS
    for values in body["facets"].values():
        for value in values:
            assert set(value) == {"value", "label", "count"}


def test_repeated_filters_and_paging(client):
    response = client.get(
        "/api/v1/search?kind=system&kind=service&status=production&page=2&page_size=3"
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["page"], body["page_size"], len(body["results"])) == (2, 3, 3)
    assert {r["kind"] for r in body["results"]} <= {"system", "service"}
    kinds = {v["value"] for v in body["facets"]["kind"]}
    assert {"system", "service", "process"} <= kinds  # a facet ignores its own filter


def test_empty_query_browses_by_adoption(client):
    body = client.get("/api/v1/search").json
    counts = [r["adoption_count"] for r in body["results"]]
    assert counts == sorted(counts, reverse=True)
    assert body["total"] > 60


def test_typo_gives_suggestion_and_results(client):
    body = client.get("/api/v1/search?q=barnehgae").json
    assert body["suggestion"] == "barnehage"
    assert "barnehageopptak-med-digital-soknad" in [r["slug"] for r in body["results"]]


@pytest.mark.parametrize(
    "q",
    [
        "*",
        "?",
        "~",
        '"',
        "(",
        ")",
        ":",
        "AND",
        "OR NOT",
        "byggesak AND",
        "name:byggesak",
        "bygg*",
        "*sak",
        "?arnehage",
        "barnehage~2",
        '"digital søknad',
        '"digital søknad"',
        "[a TO z]",
        "{a TO z}",
        "barnehage^10",
        "+barnehage -skole",
        "\\",
        "%",
        "'; DROP TABLE solutions; --",
        "<script>alert(1)</script>",
        "søknad (digital OR papir)",
        "ø",
        "🙂 barnehage",
        "a" * 200,
        " ".join(["barnehage"] * 20),
        "x" * 60,
    ],
)
def test_any_text_is_safe(client, q):
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200, response.json
    assert isinstance(response.json["total"], int)
    response = client.get("/api/v1/search/suggest", query_string={"q": q})
    assert response.status_code == 200, response.json


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=bogus", "kind"),
        ("status=bogus", "status"),
        ("sort=random", "sort"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("q=" + "x" * 201, "q"),
        ("q=%00", "q"),
        ("theme=no-such-theme", "theme"),
        ("standard=no-such-standard", "standard"),
        ("owner=9999", "owner"),
        ("adopted_by=nowhere", "adopted_by"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 422, response.json
    errors = response.json["errors"]
    assert field in errors.get("query", errors.get("json", {})), errors


def test_suggest_completes_names_then_words(client):
    response = client.get("/api/v1/search/suggest?q=byg")
    assert response.status_code == 200
    body = response.json
    assert body["q"] == "byg"
    assert "Digital byggesaksbehandling" in body["suggestions"]
    assert "byggesak" in body["suggestions"]
    assert 0 < len(body["suggestions"]) <= 10
    assert client.get("/api/v1/search/suggest?q=").json["suggestions"] == []
    assert client.get("/api/v1/search/suggest?q=" + "x" * 201).status_code == 422


def test_suggest_completes_later_words_of_a_name(client):
    suggestions = client.get("/api/v1/search/suggest?q=helsestasjonsapp").json["suggestions"]
    assert suggestions[0] == "Helsestasjonsapp for småbarnsforeldre"
    suggestions = client.get("/api/v1/search/suggest?q=digital bygg").json["suggestions"]
    assert suggestions[0] == "Digital byggesaksbehandling"


def test_suggestions_name_the_solution_a_name_opens(client):
    body = client.get("/api/v1/search/suggest?q=digital bygg").json
    assert len(body["solutions"]) == len(body["suggestions"])
    named = dict(zip(body["suggestions"], body["solutions"], strict=True))
    assert named["Digital byggesaksbehandling"] == "digital-byggesaksbehandling"
    assert named["digital byggesak"] is None  # a word: it searches


def test_openapi_documents_search(client):
    spec = client.get("/api/openapi.json").json
    search = spec["paths"]["/api/v1/search"]["get"]
    names = {p["name"] for p in search["parameters"]}
    assert {"q", "kind", "status", "theme", "standard", "owner", "adopted_by", "vendor"} <= names
    assert {"sort", "page", "page_size"} <= names
    assert {"200", "422", "503"} <= set(search["responses"])
    assert "SearchResult" in spec["components"]["schemas"]
    assert "/api/v1/search/suggest" in spec["paths"]
