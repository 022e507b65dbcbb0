"""The portfolio CSV and XLSX hold the page's rows and sums, computed here from the rows written."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from app.web.filters import number_nb
from tests.conftest import auth

RATE = Decimal(700)  # HOUR_RATE_NOK of the test configuration (the default)


def _post(client, url: str, body: dict, token: str) -> None:
    response = client.post(url, json=body, headers=auth(token))
    assert response.status_code == 201, response.json


def _write(client, make_token, make_solution) -> list[dict]:
    """Give Steinkjer (5006) three solutions: full figures, costs only, nothing but the adoption."""
    token = make_token("5006")
    rows = [
        {
            "name": "Aaa digital postkasse",
            "one_off": Decimal(100000),
            "effort": Decimal(50),
            "yearly": Decimal(12000),
            "hours": Decimal(120),
            "kroner": Decimal(30000),
        },
        {"name": "Bbb timebestilling", "one_off": Decimal(40000), "yearly": Decimal(5000)},
        {"name": "Ccc chatbot"},
    ]
    for row in rows:
        slug = make_solution(name=row["name"])
        row["slug"] = slug
        base = f"/api/v1/solutions/{slug}/adoptions"
        _post(client, base, {"organisation": "5006", "status": "in_use"}, token)
        if "one_off" in row:
            body = {"kind": "one_off", "amount": float(row["one_off"])}
            if "effort" in row:
                body["effort_hours"] = float(row["effort"])
            _post(client, f"{base}/5006/costs", body, token)
            _post(
                client,
                f"{base}/5006/costs",
                {"kind": "yearly", "amount": float(row["yearly"])},
                token,
            )
        if "hours" in row:
            for category, value in (("time_saved", row["hours"]), ("cost_saved", row["kroner"])):
                body = {
                    "category": category,
                    "realised_value": float(value),
                    "measured_on": "2024-06-01",
                }
                _post(client, f"{base}/5006/benefits", body, token)
    return rows


def _expected(rows: list[dict]) -> dict[str, dict[str, Decimal | None]]:
    out: dict[str, dict[str, Decimal | None]] = {}
    for row in rows:
        if "one_off" not in row:
            out[row["name"]] = {"investment": None, "running": None, "net": None}
            continue
        investment = row["one_off"] + row.get("effort", Decimal(0)) * RATE
        gain = row["kroner"] + row["hours"] * RATE if "hours" in row else None
        net = None if gain is None else gain - row["yearly"]
        out[row["name"]] = {"investment": investment, "running": row["yearly"], "net": net}
    return out


def _number(text: str | float | int | None) -> Decimal | None:
    return None if text in ("", None) else Decimal(str(text))


def test_the_csv_holds_every_row_and_the_sums(client, make_token, make_solution):
    rows = _write(client, make_token, make_solution)
    expected = _expected(rows)
    response = client.get("/kommuner/5006/portefolje.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="portefolje-5006.csv"' in response.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    by_name = {r["Løsning"]: r for r in table}
    assert set(by_name) == {r["name"] for r in rows} | {"Sum"}
    for name, figures in expected.items():
        line = by_name[name]
        assert _number(line["Investering (kr)"]) == figures["investment"]
        assert _number(line["Drift per år (kr)"]) == figures["running"]
        assert _number(line["Netto per år, oppnådd (kr)"]) == figures["net"]
    total = by_name["Sum"]
    known = [f for f in expected.values() if f["investment"] is not None]
    assert _number(total["Investering (kr)"]) == sum(f["investment"] for f in known)
    assert _number(total["Drift per år (kr)"]) == sum(f["running"] for f in known)
    nets = [f for f in expected.values() if f["net"] is not None]
    assert _number(total["Netto per år, oppnådd (kr)"]) == sum(f["net"] for f in nets)
    payback = sum(f["investment"] for f in nets) / sum(f["net"] for f in nets)
    assert _number(total["Tilbakebetaling, oppnådd (år)"]) == payback.quantize(Decimal("0.1"))


def test_the_xlsx_holds_the_same_figures_as_the_csv(client, make_token, make_solution):
    _write(client, make_token, make_solution)
    text = client.get("/kommuner/5006/portefolje.csv").get_data(as_text=True).lstrip("\ufeff")
    from_csv = list(csv.reader(io.StringIO(text)))
    response = client.get("/kommuner/5006/portefolje.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    from_xlsx = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert from_xlsx[0] == from_csv[0]
    for xlsx_row, csv_row in zip(from_xlsx[1:], from_csv[1:], strict=True):
        for xlsx_cell, csv_cell in zip(xlsx_row, csv_row, strict=True):
            if isinstance(xlsx_cell, int | float):
                assert Decimal(str(xlsx_cell)) == Decimal(csv_cell)
            else:
                assert (xlsx_cell or "") == csv_cell


def test_the_print_page_shows_every_figure_without_sort_links(client, make_token, make_solution):
    rows = _write(client, make_token, make_solution)
    page = client.get("/kommuner/5006/portefolje/utskrift").get_data(as_text=True)
    for row in rows:
        assert row["name"] in page
    assert "sortering=" not in page
    assert "Forventet gevinst per år" in page
    assert client.get("/kommuner/9999/portefolje.csv").status_code == 404


def test_the_region_figures_are_never_stale_after_a_write(client, make_token, make_solution):
    """/gevinster keeps its investment figures per catalogue position: a write moves it."""

    def investment() -> str:
        page = client.get("/gevinster").get_data(as_text=True)
        start = page.index('data-figure="investment">') + len('data-figure="investment">')
        return page[start : page.index("</dd>", start)]

    rows = _write(client, make_token, make_solution)
    before = investment()
    assert before == investment()  # answered from the cache
    token = make_token("5006")
    cost = {"kind": "one_off", "amount": 1000}
    _post(client, f"/api/v1/solutions/{rows[2]['slug']}/adoptions/5006/costs", cost, token)
    expected = sum(f["investment"] for f in _expected(rows).values() if f["investment"])
    assert before.startswith(number_nb(expected))
    assert investment().startswith(number_nb(expected + 1000))
