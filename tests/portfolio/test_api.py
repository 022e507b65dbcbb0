"""Costs, benefit plans with measurements, and the portfolio through the API.

Every figure the portfolio answers is checked against a sum computed here from the rows the
test wrote, with the hour rate of the test configuration.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import auth

ADOPTIONS = "/api/v1/solutions/{slug}/adoptions"
COSTS = "/api/v1/solutions/{slug}/adoptions/{org}/costs"
BENEFITS = "/api/v1/solutions/{slug}/adoptions/{org}/benefits"


@pytest.fixture
def rate(app):
    return Decimal(app.config["HOUR_RATE_NOK"])


@pytest.fixture
def steinkjer(client, make_token, make_solution):
    """Return (slug, token) with Steinkjer (5006) using a Namsos solution in pilot."""
    slug = make_solution()
    token = make_token("5006")
    response = client.post(
        ADOPTIONS.format(slug=slug),
        json={"organisation": "5006", "status": "pilot", "since": "2024-01-01"},
        headers=auth(token),
    )
    assert response.status_code == 201, response.json
    return slug, token


def post(client, url, body, token):
    response = client.post(url, json=body, headers=auth(token))
    assert response.status_code == 201, response.json
    return response.json


def test_cost_rules_answer_422_naming_the_field(client, steinkjer):
    slug, token = steinkjer
    url = COSTS.format(slug=slug, org="5006")
    cases = [
        ({"kind": "one_off", "amount": -5}, "amount"),
        ({"kind": "one_off", "amount": 5, "unit": "nok_per_year"}, "unit"),
        ({"kind": "yearly", "amount": 5, "unit": "hours"}, "unit"),
        ({"kind": "one_off"}, "amount"),
        ({"kind": "weekly", "amount": 5}, "kind"),
        (
            {"kind": "yearly", "amount": 5, "incurred_on": "2024-05-01", "ends_on": "2024-01-01"},
            "ends_on",
        ),
        ({"kind": "one_off", "amount": 5, "payer": "samarbeid"}, "payer_organisation"),
        (
            {"kind": "one_off", "amount": 5, "payer": "samarbeid", "payer_organisation": "5001"},
            "payer_organisation",
        ),
        ({"kind": "one_off", "amount": 5, "split_rule": "equal"}, "split_rule"),
        ({"kind": "one_off", "amount": "mange"}, "amount"),
    ]
    for body, field in cases:
        response = client.post(url, json=body, headers=auth(token))
        assert response.status_code == 422, (body, response.json)
        assert field in response.json["errors"]["json"], (body, response.json)
    assert client.get(url).json == []


def test_record_change_and_remove_a_cost_with_etags(client, steinkjer):
    slug, token = steinkjer
    url = COSTS.format(slug=slug, org="5006")
    created = client.post(
        url,
        json={
            "kind": "one_off",
            "category": "licence",
            "amount": 120000,
            "incurred_on": "2024-01-10",
        },
        headers=auth(token),
    )
    assert created.status_code == 201, created.json
    cost = created.json
    assert cost["unit"] == "nok"
    assert cost["payer"] == "self"
    assert cost["amount"] == 120000
    one = f"{url}/{cost['id']}"
    assert client.patch(one, json={"amount": 1}, headers=auth(token)).status_code == 428
    assert client.patch(one, json={"amount": 1}, headers=auth(token, 99)).status_code == 412
    changed = client.patch(one, json={"amount": 100000}, headers=auth(token, cost["version"]))
    assert changed.status_code == 200
    assert changed.json["amount"] == 100000
    other = client.post(url, json={"kind": "one_off", "amount": 1}, headers={})
    assert other.status_code == 401
    removed = client.delete(one, headers=auth(token, changed.json["version"]))
    assert removed.status_code == 204
    assert client.get(url).json == []


def test_a_token_of_another_kommune_may_not_record_costs(client, steinkjer, make_token):
    slug, _ = steinkjer
    response = client.post(
        COSTS.format(slug=slug, org="5006"),
        json={"kind": "one_off", "amount": 5},
        headers=auth(make_token("5001")),
    )
    assert response.status_code == 403


def test_measurements_track_progress_and_keep_the_first_api_compatible(client, steinkjer):
    slug, token = steinkjer
    url = BENEFITS.format(slug=slug, org="5006")
    benefit = post(
        client,
        url,
        {
            "category": "time_saved",
            "owner": "Kommunalsjef for teknisk",
            "indicator": "timer spart i byggesaksbehandlingen",
            "baseline": 0,
            "baseline_on": "2024-01-01",
            "expected_value": 400,
            "target_on": "2025-12-31",
            "freed_time_use": "Raskere svar til søkere",
            "review_on": "2020-01-01",
        },
        token,
    )
    measurements = f"{url}/{benefit['id']}/measurements"
    early = client.post(
        measurements, json={"measured_on": "2023-12-31", "value": 10}, headers=auth(token)
    )
    assert early.status_code == 422
    assert "measured_on" in early.json["errors"]["json"]
    post(client, measurements, {"measured_on": "2024-06-30", "value": 120}, token)
    post(client, measurements, {"measured_on": "2025-06-30", "value": 260}, token)
    read = client.get(f"{url}/{benefit['id']}").json
    assert read["realised_value"] == 260
    assert read["measured_on"] == "2025-06-30"
    assert [m["value"] for m in read["measurements"]] == [120, 260]
    # A baseline moved past a measurement would orphan it: refused, naming the field.
    moved = client.patch(
        f"{url}/{benefit['id']}",
        json={"baseline_on": "2025-01-01"},
        headers=auth(token, read["version"]),
    )
    assert moved.status_code == 422
    assert "baseline_on" in moved.json["errors"]["json"]
    target = client.patch(
        f"{url}/{benefit['id']}",
        json={"target_on": "2023-01-01"},
        headers=auth(token, read["version"]),
    )
    assert target.status_code == 422
    assert "target_on" in target.json["errors"]["json"]
    # The first API's way still works: a realised value with its date is that day's measurement.
    old = post(
        client,
        url,
        {"category": "cost_saved", "realised_value": 5000, "measured_on": "2024-12-31"},
        token,
    )
    assert [m["value"] for m in old["measurements"]] == [5000]
    cleared = client.patch(
        f"{url}/{old['id']}", json={"realised_value": None}, headers=auth(token, old["version"])
    )
    assert cleared.status_code == 422
    assert "realised_value" in cleared.json["errors"]["json"]
    first = client.get(f"{url}/{old['id']}/measurements").json[0]
    gone = client.delete(
        f"{url}/{old['id']}/measurements/{first['id']}", headers=auth(token, first["version"])
    )
    assert gone.status_code == 204
    assert client.get(f"{url}/{old['id']}").json["realised_value"] is None


def test_the_portfolio_equals_sums_computed_from_the_rows(client, steinkjer, rate):
    slug, token = steinkjer
    costs = COSTS.format(slug=slug, org="5006")
    rows = [
        {"kind": "one_off", "category": "implementation", "amount": 200000, "effort_hours": 150},
        {
            "kind": "one_off",
            "category": "licence",
            "amount": 50000,
            "payer": "national",
            "funding_source": "DigiFin 2024",
        },
        {"kind": "yearly", "category": "licence", "amount": 30000},
        {
            "kind": "yearly",
            "category": "operation",
            "amount": 9999,
            "incurred_on": "2020-01-01",
            "ends_on": "2021-01-01",
        },
    ]
    for body in rows:
        post(client, costs, body, token)
    benefits = BENEFITS.format(slug=slug, org="5006")
    post(
        client,
        benefits,
        {
            "category": "time_saved",
            "expected_value": 500,
            "realised_value": 300,
            "measured_on": "2024-12-01",
            "owner": "Rådmann",
        },
        token,
    )
    post(
        client,
        benefits,
        {
            "category": "cost_saved",
            "expected_value": 40000,
            "realised_value": 25000,
            "measured_on": "2024-12-01",
        },
        token,
    )
    response = client.get("/api/v1/organisations/5006/portfolio")
    assert response.status_code == 200, response.json
    body = response.json
    assert Decimal(str(body["hour_rate"])) == rate
    (row,) = body["rows"]
    investment = Decimal(200000) + Decimal(50000) + 150 * rate
    running = Decimal(30000)  # the operation cost ended in 2021
    realised = Decimal(25000) + 300 * rate
    expected = Decimal(40000) + 500 * rate
    assert row["solution"]["slug"] == slug
    assert row["status"] == "pilot"
    assert Decimal(str(row["investment_nok"])) == investment
    assert Decimal(str(row["running_nok"])) == running
    assert Decimal(str(row["co_financed_nok"])) == 50000
    assert Decimal(str(row["realised_gain_nok"])) == realised
    assert Decimal(str(row["net_realised_nok"])) == realised - running
    assert Decimal(str(row["net_expected_nok"])) == expected - running
    assert Decimal(str(row["payback_realised_years"])) == (
        investment / (realised - running)
    ).quantize(Decimal("0.1"))
    assert row["benefit_owners"] == ["Rådmann"]
    totals = body["totals"]
    assert totals["rows"] == 1
    assert totals["missing_costs"] == 0
    assert totals["net_realised_rows"] == 1
    assert Decimal(str(totals["net_realised_nok"])) == realised - running


def test_no_net_gain_is_invented_where_costs_are_missing(client, steinkjer):
    slug, token = steinkjer
    post(
        client,
        BENEFITS.format(slug=slug, org="5006"),
        {"category": "cost_saved", "realised_value": 1000, "measured_on": "2024-01-02"},
        token,
    )
    body = client.get("/api/v1/organisations/5006/portfolio").json
    (row,) = body["rows"]
    assert row["realised_gain_nok"] == 1000
    assert row["investment_nok"] is None
    assert row["net_realised_nok"] is None
    assert row["payback_realised_years"] is None
    assert body["totals"]["missing_costs"] == 1
    assert body["totals"]["net_realised_nok"] is None


def test_a_samarbeid_splits_its_costs_between_members(client, app, make_solution, make_token):
    from app.extensions import db
    from app.models import Organisation

    with app.app_context():
        collaboration = db.session.scalar(
            db.select(Organisation).where(Organisation.kind == "samarbeid")
        )
        ref = collaboration.slug
        name = collaboration.name
        members = [(m.kommunenummer or m.slug, m.population) for m in collaboration.members]
    assert len(members) >= 2
    slug = make_solution()
    admin = make_token("5001", role="admin")
    post(client, ADOPTIONS.format(slug=slug), {"organisation": ref, "status": "in_use"}, admin)
    costs = COSTS.format(slug=slug, org=ref)
    post(client, costs, {"kind": "one_off", "amount": 90000}, admin)  # split equally
    bad = client.post(
        costs,
        json={
            "kind": "one_off",
            "amount": 10,
            "split_rule": "custom",
            "shares": [{"organisation": members[0][0], "fraction": 0.5}],
        },
        headers=auth(admin),
    )
    assert bad.status_code == 422
    assert "shares" in bad.json["errors"]["json"]
    outsider = client.post(
        costs,
        json={
            "kind": "one_off",
            "amount": 10,
            "split_rule": "custom",
            "shares": [{"organisation": "oslo-kommune-finnes-ikke", "fraction": 1}],
        },
        headers=auth(admin),
    )
    assert outsider.status_code == 422
    custom = [{"organisation": members[0][0], "fraction": 0.75}] + [
        {"organisation": ref_, "fraction": 0.25 / (len(members) - 1)} for ref_, _ in members[1:]
    ]
    post(
        client,
        costs,
        {"kind": "yearly", "amount": 40000, "split_rule": "custom", "shares": custom},
        admin,
    )
    first = client.get(f"/api/v1/organisations/{members[0][0]}/portfolio").json
    row = next(r for r in first["rows"] if r["solution"]["slug"] == slug)
    assert row["via"] == [name]
    expected_one_off = Decimal(90000) / len(members)
    assert abs(Decimal(str(row["investment_nok"])) - expected_one_off) < Decimal("0.01")
    assert abs(Decimal(str(row["running_nok"])) - Decimal(30000)) < Decimal("0.01")
    whole = client.get(f"/api/v1/organisations/{ref}/portfolio").json
    row = next(r for r in whole["rows"] if r["solution"]["slug"] == slug)
    assert row["investment_nok"] == 90000
    assert row["running_nok"] == 40000


def test_unknown_organisation_portfolio_is_404(client):
    assert client.get("/api/v1/organisations/9999/portfolio").status_code == 404


def test_the_largest_amount_fits_the_column_and_a_larger_one_is_refused(client, steinkjer):
    """Numeric(14, 2) holds less than 10¹²: the schema's limit keeps PostgreSQL from a 500."""
    slug, token = steinkjer
    url = COSTS.format(slug=slug, org="5006")
    biggest = {"kind": "one_off", "amount": 99_999_999_999, "effort_hours": 9_999_999}
    assert client.post(url, json=biggest, headers=auth(token)).status_code == 201
    for body in ({"kind": "one_off", "amount": 1e12}, {"kind": "one_off", "effort_hours": 1e8}):
        response = client.post(url, json=body, headers=auth(token))
        assert response.status_code == 422, response.json
    benefit = client.post(
        BENEFITS.format(slug=slug, org="5006"),
        json={"category": "cost_saved", "expected_value": 1e12},
        headers=auth(token),
    )
    assert benefit.status_code == 422


def test_the_portfolio_is_kept_per_position_and_follows_every_write(app, client, steinkjer):
    """The rows and sums are kept per catalogue position: asked again, the same are answered;
    after a cost is recorded (a write), the next answer has it."""
    from app.services import position_cache

    slug, token = steinkjer
    first = client.get("/api/v1/organisations/5006/portfolio").json
    kept = app.extensions[position_cache.EXTENSION]
    assert "portfolio" in kept
    assert client.get("/api/v1/organisations/5006/portfolio").json == first
    assert first["totals"]["with_costs"] == 0
    post(client, COSTS.format(slug=slug, org="5006"), {"kind": "one_off", "amount": 1234}, token)
    after = client.get("/api/v1/organisations/5006/portfolio").json
    assert after["totals"]["with_costs"] == 1
    assert after["totals"]["investment_nok"] == 1234
