"""Benefits of adoptions: rules, permissions, ETags, sums per solution and organisation."""

from __future__ import annotations

import json

import pytest

from tests.conftest import auth

BASE = "/api/v1/solutions/{slug}/adoptions/{org}/benefits"


@pytest.fixture
def adoption(client, make_token, make_solution):
    """Return (slug, publisher token of Trondheim) with Trondheim using a Namsos solution."""
    slug = make_solution()
    token = make_token("5001")
    response = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5001", "status": "in_use", "since": "2023-01-01"},
        headers=auth(token),
    )
    assert response.status_code == 201, response.json
    return slug, token


def test_record_read_change_and_delete_a_benefit(client, adoption):
    slug, token = adoption
    url = BASE.format(slug=slug, org="5001")
    body = {
        "category": "time_saved",
        "description": "Mindre manuell registrering",
        "baseline": 900,
        "expected_value": 300,
        "realised_value": 250.5,
        "measured_on": "2024-06-30",
        "method": "Tidsstudie",
        "is_measured": True,
    }
    created = client.post(url, json=body, headers=auth(token))
    assert created.status_code == 201, created.json
    benefit = created.json
    assert benefit["unit"] == "hours_per_year"
    assert benefit["realised_value"] == 250.5
    assert benefit["organisation"]["slug"] == "trondheim"
    assert created.headers["ETag"] == '"1"'

    one = f"{url}/{benefit['id']}"
    assert client.get(one).json["description"] == "Mindre manuell registrering"
    assert client.patch(one, json={"realised_value": 260}, headers=auth(token)).status_code == 428
    stale = client.patch(one, json={"realised_value": 260}, headers=auth(token, version=9))
    assert stale.status_code == 412
    changed = client.patch(one, json={"realised_value": 260}, headers=auth(token, version=1))
    assert changed.status_code == 200, changed.json
    assert changed.json["realised_value"] == 260
    assert changed.headers["ETag"] == '"2"'
    assert [b["id"] for b in client.get(url).json] == [benefit["id"]]
    assert client.delete(one, headers=auth(token, version=2)).status_code == 204
    assert client.get(one).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "time_saved", "realised_value": 10}, "measured_on"),
        ({"category": "time_saved", "expected_value": -1}, "expected_value"),
        ({"category": "cost_saved", "unit": "hours_per_year", "expected_value": 5}, "unit"),
        ({"category": "quality", "expected_value": 5}, "unit"),
        ({"category": "time_saved", "is_measured": True}, "realised_value"),
        ({"category": "happiness"}, "category"),
        ({"category": "time_saved", "expected_value": "mye"}, "expected_value"),
        ({"category": "time_saved", "colour": "blue"}, "colour"),
        ({"category": "time_saved", "measured_on": "30.06.2024"}, "measured_on"),
    ],
)
def test_invalid_benefits_name_the_field(client, adoption, body, field):
    slug, token = adoption
    response = client.post(BASE.format(slug=slug, org="5001"), json=body, headers=auth(token))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]


def test_a_patch_that_breaks_a_rule_is_refused_and_changes_nothing(client, adoption):
    slug, token = adoption
    url = BASE.format(slug=slug, org="5001")
    created = client.post(
        url, json={"category": "time_saved", "expected_value": 5}, headers=auth(token)
    )
    one = f"{url}/{created.json['id']}"
    response = client.patch(one, json={"realised_value": 10}, headers=auth(token, version=1))
    assert response.status_code == 422
    assert "measured_on" in response.json["errors"]["json"]
    assert client.get(one).json["realised_value"] is None


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("owner of the solution", 403), ("adopter", 201), ("admin", 201)],
)
def test_only_the_adopter_or_an_admin_records_benefits(client, make_token, adoption, who, expected):
    slug, adopter_token = adoption
    headers = {
        "anonymous": {},
        "owner of the solution": auth(make_token("5007")),
        "adopter": auth(adopter_token),
        "admin": auth(make_token("5006", role="admin")),
    }[who]
    response = client.post(
        BASE.format(slug=slug, org="5001"), json={"category": "other"}, headers=headers
    )
    assert response.status_code == expected, response.json


def test_benefits_of_a_missing_adoption_are_404(client, make_solution):
    slug = make_solution()
    assert client.get(BASE.format(slug=slug, org="5001")).status_code == 404
    assert client.get(BASE.format(slug="finnes-ikke", org="5001")).status_code == 404


def _sums(benefits):
    """Add up benefits the plain way: by (category, unit)."""
    sums = {}
    for b in benefits:
        row = sums.setdefault((b["category"], b["unit"]), [0.0, 0.0, 0, 0])
        row[0] += b["expected_value"] or 0
        row[1] += b["realised_value"] or 0
        row[2] += 1
        row[3] += int(b["is_measured"])
    return sums


def _totals(summary):
    return {
        (t["category"], t["unit"]): [
            pytest.approx(t["expected"]),
            pytest.approx(t["realised"]),
            t["benefits"],
            t["measured"],
        ]
        for t in summary["totals"]
    }


def test_solution_and_organisation_sums_equal_the_rows(client, catalogue_app):
    client = catalogue_app.test_client()
    solutions = client.get("/api/v1/solutions?page_size=100").json
    checked = 0
    for solution in solutions:
        summary = client.get(f"/api/v1/solutions/{solution['slug']}/benefits").json
        rows = []
        for adoption in client.get(f"/api/v1/solutions/{solution['slug']}/adoptions").json:
            org = adoption["organisation"]["slug"]
            rows += client.get(BASE.format(slug=solution["slug"], org=org)).json
        assert _sums(rows) == _totals(summary)
        assert len(summary["benefits"]) == len(rows)
        checked += bool(rows)
    for org in ("trondheim", "5007", "steinkjer"):
        url = f"/api/v1/organisations/{org}/benefits?page_size=7&page="
        pages = [client.get(f"{url}1")]
        while json.loads(pages[-1].headers["X-Pagination"]).get("next_page"):
            pages.append(client.get(f"{url}{len(pages) + 1}"))
        listed = [b for page in pages for b in page.json["benefits"]]
        assert len(pages) > 1 or org != "trondheim"  # Trondheim's benefits fill several pages
        assert all(page.json["totals"] == pages[0].json["totals"] for page in pages)
        assert _sums(listed) == _totals(pages[0].json)
        assert len({b["id"] for b in listed}) == len(listed) == pages[0].json["count"]
    assert checked >= 20  # the example data carries benefits on many solutions
