"""/api/v1/organisations: list (by kind, in pages), one by kommunenummer or slug, with what
it owns and uses."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import auth

REFERENCE = Path("/work/shared/reference/trondelag-kommuner.csv")


def kommuner_of_reference() -> dict[str, str]:
    """Return kommunenummer → name from the shared reference list (the 2020 reform)."""
    with REFERENCE.open(encoding="utf-8") as fh:
        return {row["kommunenummer"]: row["navn"] for row in csv.DictReader(fh)}


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference list is not here")
def test_the_kommuner_are_the_38_of_the_reference(client):
    response = client.get("/api/v1/organisations?kind=kommune&page_size=100")
    assert response.status_code == 200
    kommuner = {o["kommunenummer"]: o for o in response.json}
    reference = kommuner_of_reference()
    assert len(reference) == 38
    assert set(kommuner) == set(reference)
    for number, name in reference.items():
        assert name in kommuner[number]["name"]
        assert kommuner[number]["kind"] == "kommune"
    assert json.loads(response.headers["X-Pagination"])["total"] == 38


def test_list_is_kommuner_by_number_then_the_rest_by_name(client):
    body = client.get("/api/v1/organisations?page_size=100").json
    numbers = [o["kommunenummer"] for o in body if o["kommunenummer"]]
    assert numbers == sorted(numbers)
    assert all(o["kommunenummer"] for o in body[: len(numbers)])
    rest = [o["name"] for o in body[len(numbers) :]]
    assert rest == sorted(rest)
    assert {o["kind"] for o in body} >= {"kommune", "fylkeskommune", "samarbeid"}


@pytest.mark.parametrize("kind", ["kommune", "fylkeskommune", "samarbeid", "other"])
def test_filter_by_kind(client, kind):
    response = client.get(f"/api/v1/organisations?kind={kind}&page_size=100")
    assert response.status_code == 200
    assert all(o["kind"] == kind for o in response.json)
    assert json.loads(response.headers["X-Pagination"])["total"] == len(response.json)


def test_unknown_kind_is_422(client):
    response = client.get("/api/v1/organisations?kind=bank")
    assert response.status_code == 422
    assert "kind" in response.json["errors"]["query"]


def test_pages(client):
    everything = client.get("/api/v1/organisations?page_size=100").json
    first = client.get("/api/v1/organisations?page=1&page_size=10")
    second = client.get("/api/v1/organisations?page=2&page_size=10")
    pagination = json.loads(first.headers["X-Pagination"])
    assert pagination["total"] == len(everything)
    assert pagination["next_page"] == 2
    assert [o["slug"] for o in first.json + second.json] == [o["slug"] for o in everything[:20]]
    assert client.get("/api/v1/organisations?page=1000").json == []


def test_one_organisation_by_kommunenummer_or_slug(client):
    by_number = client.get("/api/v1/organisations/5007")
    by_slug = client.get("/api/v1/organisations/namsos")
    assert by_number.status_code == by_slug.status_code == 200
    assert by_number.json == by_slug.json
    body = by_number.json
    assert body["name"] == "Namsos kommune"
    assert body["kommunenummer"] == "5007"
    assert body["kind"] == "kommune"
    assert len(body["orgnr"]) == 9


def test_a_collaboration_lists_its_members(client):
    body = client.get("/api/v1/organisations/fosen-ikt").json
    assert body["kind"] == "samarbeid"
    assert body["kommunenummer"] is None
    assert set(body["members"]) == {"5054", "5057", "5058", "5020"}


def test_one_organisation_shows_its_solutions_and_adoptions(client, make_token, make_solution):
    own = [make_solution(name=name, owner="5007") for name in ("Pleieplan", "Byggeklar")]
    foreign = make_solution(name="Arkivflyt", owner="5001")
    client.post(
        f"/api/v1/solutions/{foreign}/adoptions",
        json={"organisation": "5007", "status": "in_use", "since": "2024-01-15"},
        headers=auth(make_token("5007")),
    )
    client.post(
        f"/api/v1/solutions/{own[0]}/adoptions",
        json={"organisation": "5007", "status": "pilot"},
        headers=auth(make_token("5007")),
    )

    body = client.get("/api/v1/organisations/5007").json

    assert [s["slug"] for s in body["solutions"]] == [own[1], own[0]]  # by name
    assert body["solutions"][1]["adoption_count"] == 1
    assert {"slug", "name", "kind", "status"} <= set(body["solutions"][0])
    assert [(a["solution"]["slug"], a["status"]) for a in body["adoptions"]] == [
        (foreign, "in_use"),
        (own[0], "pilot"),
    ]
    assert body["adoptions"][0]["since"] == "2024-01-15"
    assert body["solution_count"] == 2
    assert body["adoption_count"] == 2
    # The list stays light: counts only.
    listed = client.get("/api/v1/organisations?page_size=100").json
    namsos = next(o for o in listed if o["slug"] == "namsos")
    assert "solutions" not in namsos
    assert namsos["solution_count"] == 2


def test_solutions_of_an_organisation(client, make_solution):
    mine = make_solution(owner="5007")
    make_solution(name="Noe annet", owner="5001")
    response = client.get("/api/v1/organisations/namsos/solutions")
    assert response.status_code == 200
    assert [s["slug"] for s in response.json] == [mine]
    assert client.get("/api/v1/organisations/5014/solutions").json == []


def test_the_solutions_of_an_organisation_come_in_pages(client, make_solution):
    slugs = sorted(make_solution(name=f"Løsning {n:02d}", owner="5007") for n in range(25))
    first = client.get("/api/v1/organisations/5007/solutions")
    second = client.get("/api/v1/organisations/5007/solutions?page=2")
    assert json.loads(first.headers["X-Pagination"])["total"] == 25
    assert [s["slug"] for s in first.json + second.json] == slugs
    assert len(first.json) == 20


def test_counts_leave_out_drafts_and_adoptions_not_in_use(client, make_token, make_solution):
    published = make_solution(owner="5007")
    make_solution(name="Utkast", owner="5007", is_draft=True)
    for org, status in (("5001", "in_use"), ("5006", "considering")):
        client.post(
            f"/api/v1/solutions/{published}/adoptions",
            json={"organisation": org, "status": status},
            headers=auth(make_token(org)),
        )
    namsos = client.get("/api/v1/organisations/5007").json
    trondheim = client.get("/api/v1/organisations/5001").json
    steinkjer = client.get("/api/v1/organisations/5006").json
    assert (namsos["solution_count"], len(namsos["solutions"])) == (1, 1)
    assert namsos["solutions"][0]["adoption_count"] == 1
    assert (trondheim["adoption_count"], steinkjer["adoption_count"]) == (1, 0)
    assert [a["status"] for a in steinkjer["adoptions"]] == ["considering"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/9999",
        "/api/v1/organisations/no-such-org",
        "/api/v1/organisations/NAMSOS",
        "/api/v1/organisations/500",
        "/api/v1/organisations/no-such-org/solutions",
        "/api/v1/organisations/9999/adoptions",
    ],
)
def test_missing_organisations_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json["code"] == 404


def test_the_detail_embeds_the_first_rows_and_says_how_many_there_are(
    client, make_token, make_solution, monkeypatch
):
    from app.api import organisations as organisations_api

    monkeypatch.setitem(organisations_api.EMBED_LIMITS, "first", 2)
    own = sorted(make_solution(name=name, owner="5007") for name in ("Cepo", "Alfa", "Beta"))
    foreign = [make_solution(name=name, owner="5001") for name in ("Zulu", "Yankee")]
    token = make_token("5007")
    for slug in [*foreign, own[0]]:
        response = client.post(
            f"/api/v1/solutions/{slug}/adoptions",
            json={"organisation": "5007", "status": "considering"},
            headers=auth(token),
        )
        assert response.status_code == 201, response.json

    first = client.get("/api/v1/organisations/5007").json
    assert [s["slug"] for s in first["solutions"]] == own[:2]  # the first by name
    assert [s["slug"] for s in first["solutions"]] == [
        s["slug"] for s in client.get("/api/v1/organisations/5007/solutions?page_size=2").json
    ]
    assert [a["solution"]["name"] for a in first["adoptions"]] == ["Alfa", "Yankee"]
    assert (first["solutions_total"], first["adoptions_total"]) == (3, 3)
    assert first["solution_count"] == 3

    every = client.get("/api/v1/organisations/5007?embed=all").json
    assert [s["slug"] for s in every["solutions"]] == own
    assert [a["solution"]["name"] for a in every["adoptions"]] == ["Alfa", "Yankee", "Zulu"]
    assert (every["solutions_total"], every["adoptions_total"]) == (3, 3)

    counts = client.get("/api/v1/organisations/namsos?embed=none").json
    assert (counts["solutions"], counts["adoptions"]) == ([], [])
    assert (counts["solutions_total"], counts["adoptions_total"]) == (3, 3)

    wrong = client.get("/api/v1/organisations/5007?embed=everything")
    assert wrong.status_code == 422
    assert "embed" in wrong.json["errors"]["query"]
