"""An organisation's adoptions and benefits come in pages; the benefit totals cover them all."""

from __future__ import annotations

import json

import pytest

from tests.conftest import auth


@pytest.fixture
def namsos_uses(client, make_token, make_solution):
    """Return the slugs, by name, of 23 solutions Namsos (5007) uses; 3 have two benefits."""
    token = make_token("5007")
    names = [f"Løsning {n:02d}" for n in range(23)]
    slugs = []
    for n, name in enumerate(reversed(names)):  # recorded in the opposite order of the names
        slug = make_solution(name=name, owner="5001")
        response = client.post(
            f"/api/v1/solutions/{slug}/adoptions",
            json={"organisation": "5007", "status": "in_use"},
            headers=auth(token),
        )
        assert response.status_code == 201, response.json
        if n < 3:
            for value in (100 + n, 200 + n):
                recorded = client.post(
                    f"/api/v1/solutions/{slug}/adoptions/5007/benefits",
                    json={"category": "time_saved", "expected_value": value},
                    headers=auth(token),
                )
                assert recorded.status_code == 201, recorded.json
        slugs.append(slug)
    return list(reversed(slugs))


def _pagination(response):
    return json.loads(response.headers["X-Pagination"])


def test_the_adoptions_of_an_organisation_come_in_pages_by_name(client, namsos_uses):
    first = client.get("/api/v1/organisations/5007/adoptions")
    second = client.get("/api/v1/organisations/namsos/adoptions?page=2")
    assert first.status_code == second.status_code == 200
    assert _pagination(first)["total"] == 23
    assert len(first.json) == 20
    assert [a["solution"]["slug"] for a in first.json + second.json] == namsos_uses
    assert _pagination(second).get("next_page") is None


def test_the_benefits_of_an_organisation_come_in_pages_with_totals_over_all(client, namsos_uses):
    pages = [
        client.get(f"/api/v1/organisations/5007/benefits?page_size=4&page={n}") for n in (1, 2)
    ]
    assert [len(page.json["benefits"]) for page in pages] == [4, 2]
    assert _pagination(pages[0])["total"] == 6
    listed = sorted(b["expected_value"] for page in pages for b in page.json["benefits"])
    assert listed == [100, 101, 102, 200, 201, 202]
    for page in pages:
        (total,) = page.json["totals"]
        assert (total["expected"], total["benefits"]) == (sum(listed), 6)
        assert (page.json["count"], page.json["adopters"]) == (6, 3)


@pytest.mark.parametrize("tail", ["adoptions", "benefits"])
def test_a_page_past_the_end_is_empty_not_an_error(client, namsos_uses, tail):
    for page in (3, 2**62):
        response = client.get(f"/api/v1/organisations/5007/{tail}?page={page}")
        assert response.status_code == 200, response.json
        assert _pagination(response)["total"] == (23 if tail == "adoptions" else 6)
        listed = response.json if tail == "adoptions" else response.json["benefits"]
        assert listed == []
