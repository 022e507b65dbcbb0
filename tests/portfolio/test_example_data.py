"""The example catalogue's portfolio of Trondheim, recomputed here with plain SQL from its rows.

The example data carries costs for some adoptions and none for others, a benefit plan with an
overdue review and dated measurements: the API, the page and the CSV must agree with sums this
test computes itself, without the portfolio service.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from app.extensions import db
from app.web.filters import number_nb


@pytest.fixture(scope="module")
def site(example_app):
    return example_app.test_client()


def _independent(app, kommunenummer: str | None) -> dict[str, Decimal | int | None]:
    """Return the sums of a kommune's portfolio adoptions (None: of every organisation's)."""
    rate = Decimal(app.config["HOUR_RATE_NOK"])
    today = date.today().isoformat()
    with app.app_context():
        adoptions = [
            row[0]
            for row in db.session.execute(
                text(
                    "SELECT a.id FROM adoptions a JOIN organisations o ON o.id = a.organisation_id"
                    " WHERE (o.kommunenummer = :k OR :k IS NULL) AND a.status IN ('in_use',"
                    " 'pilot', 'planned', 'considering')"
                ),
                {"k": kommunenummer},
            )
        ]
        per: dict[int, dict[str, Decimal]] = {a: {} for a in adoptions}
        for adoption_id, kind, amount, effort in db.session.execute(
            text(
                "SELECT adoption_id, kind, amount, effort_hours FROM adoption_costs"
                " WHERE kind = 'one_off' OR ends_on IS NULL OR ends_on >= :today"
            ),
            {"today": today},
        ):
            if adoption_id not in per:
                continue
            row = per[adoption_id]
            key = "yearly" if kind == "yearly" else "one_off"
            row[key] = row.get(key, Decimal(0)) + Decimal(str(amount or 0))
            row["effort"] = row.get("effort", Decimal(0)) + Decimal(str(effort or 0))
            row["costs"] = Decimal(1)
        for adoption_id, category, realised in db.session.execute(
            text("SELECT adoption_id, category, realised_value FROM benefits")
        ):
            if adoption_id not in per or realised is None:
                continue
            if category in ("time_saved", "cost_saved"):
                value = Decimal(str(realised)) * (rate if category == "time_saved" else 1)
                per[adoption_id]["gain"] = per[adoption_id].get("gain", Decimal(0)) + value
    investment = sum(
        r.get("one_off", Decimal(0)) + r.get("effort", Decimal(0)) * rate
        for r in per.values()
        if "costs" in r
    )
    running = sum(r.get("yearly", Decimal(0)) for r in per.values() if "costs" in r)
    both = [r for r in per.values() if "costs" in r and "gain" in r]
    net = sum(r["gain"] - r.get("yearly", Decimal(0)) for r in both)
    return {
        "rows": len(per),
        "with_costs": sum("costs" in r for r in per.values()),
        "investment_nok": investment,
        "running_nok": running,
        "net_realised_nok": net,
        "net_realised_rows": len(both),
    }


def test_the_api_page_and_csv_match_sums_computed_from_the_rows(example_app, site):
    expected = _independent(example_app, "5001")
    assert expected["with_costs"] > 0
    assert expected["with_costs"] < expected["rows"]  # some costs are missing, on purpose
    totals = site.get("/api/v1/organisations/5001/portfolio").json["totals"]
    for name, value in expected.items():
        assert Decimal(str(totals[name])) == value, name
    body = site.get("/kommuner/5001/portefolje.csv").get_data(as_text=True).lstrip("\ufeff")
    sums = next(r for r in csv.DictReader(io.StringIO(body)) if r["Løsning"] == "Sum")
    assert Decimal(sums["Investering (kr)"]) == expected["investment_nok"]
    assert Decimal(sums["Netto per år, oppnådd (kr)"]) == expected["net_realised_nok"]
    page = site.get("/kommuner/5001/portefolje").get_data(as_text=True)
    assert f"bygger på {expected['net_realised_rows']} av {expected['rows']} løsninger" in page


def _every_row(site, ref: str, page_size: int) -> list[dict]:
    """Return the portfolio's rows from every page of the API."""
    rows: list[dict] = []
    page = 1
    while True:
        response = site.get(
            f"/api/v1/organisations/{ref}/portfolio?page={page}&page_size={page_size}"
        )
        assert response.status_code == 200, response.json
        if not response.json["rows"]:
            return rows
        rows += response.json["rows"]
        page += 1


def test_the_portfolio_rows_come_in_pages_with_the_sums_over_all(site):
    first = site.get("/api/v1/organisations/5001/portfolio?page_size=5")
    total = first.json["totals"]["rows"]
    assert total > 10
    assert len(first.json["rows"]) == 5
    assert json.loads(first.headers["X-Pagination"])["total"] == total
    rows = _every_row(site, "5001", 7)
    body = site.get("/kommuner/5001/portefolje.csv").get_data(as_text=True).lstrip("\ufeff")
    names = [r["Løsning"] for r in csv.DictReader(io.StringIO(body)) if r["Løsning"] != "Sum"]
    assert [r["solution"]["name"] for r in rows] == names
    assert len(rows) == total
    later = site.get("/api/v1/organisations/5001/portfolio?page=3&page_size=5").json
    assert later["totals"] == first.json["totals"]
    assert site.get("/api/v1/organisations/5001/portfolio?page_size=101").status_code == 422


def test_the_example_plan_shows_its_owner_and_overdue_review(site):
    rows = _every_row(site, "5001", 100)
    byggesak = next(r for r in rows if r["solution"]["slug"] == "digital-byggesaksbehandling")
    assert "Fagleder byggesak" in byggesak["benefit_owners"]
    assert byggesak["overdue_reviews"] == 1


def test_the_region_page_and_its_csv_match_sums_computed_from_the_rows(example_app, site):
    region = _independent(example_app, None)
    trondheim = _independent(example_app, "5001")
    page = site.get("/gevinster").get_data(as_text=True)
    assert f'data-figure="investment">{number_nb(region["investment_nok"])}&nbsp;kr' in page
    assert f'data-figure="net-realised">{number_nb(region["net_realised_nok"])}&nbsp;kr' in page
    body = site.get("/gevinster.csv").get_data(as_text=True).lstrip("\ufeff")
    lines = list(csv.DictReader(io.StringIO(body)))

    def figure(table: str, code: str, name: str) -> Decimal:
        return next(
            Decimal(r["Verdi"])
            for r in lines
            if r["Tabell"] == table and r["Kode"] == code and r["Tall"] == name
        )

    assert figure("Investering i regionen", "region", "Investering") == region["investment_nok"]
    assert figure("Investering etter kommune", "5001", "Investering") == trondheim["investment_nok"]
    assert (
        figure("Investering etter kommune", "5001", "Netto per år, oppnådd")
        == trondheim["net_realised_nok"]
    )
