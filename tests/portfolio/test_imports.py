"""Costs and benefits imported from CSV and XLSX: a dry run names every bad cell and changes
nothing; a real run applies every row or none."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.conftest import auth

COSTS_IMPORT = "/api/v1/organisations/5006/costs/import"
BENEFITS_IMPORT = "/api/v1/organisations/5006/benefits/import"


def _adopt(client, make_token, make_solution, name: str) -> tuple[str, str]:
    slug = make_solution(name=name)
    token = make_token("5006")
    body = {"organisation": "5006", "status": "in_use"}
    response = client.post(f"/api/v1/solutions/{slug}/adoptions", json=body, headers=auth(token))
    assert response.status_code == 201, response.json
    return slug, token


def _csv(client, url: str, text: str, token: str, *, dry_run: bool):
    return client.post(
        f"{url}?dry_run={'true' if dry_run else 'false'}",
        data=text.encode("utf-8"),
        headers={**auth(token), "Content-Type": "text/csv"},
    )


def _costs(client, slug: str) -> list[dict]:
    return client.get(f"/api/v1/solutions/{slug}/adoptions/5006/costs").json


def test_a_dry_run_names_every_bad_cell_and_changes_nothing(client, make_token, make_solution):
    slug, token = _adopt(client, make_token, make_solution, "Digital postkasse for innbyggere")
    sheet = (
        "solution,kind,amount,effort_hours,incurred_on,ends_on\n"
        f'{slug},one_off,"12 500,50",40,2024-01-10,\n'
        f"{slug},yearly,-3,,2024-01-01,\n"
        f"{slug},one_off,5,,2024-01-01,2024-06-01\n"
        f"{slug},weekly,5,,,\n"
        "finnes-ikke,one_off,5,,,\n"
        f"{slug},one_off,,,,\n"
    )
    response = _csv(client, COSTS_IMPORT, sheet, token, dry_run=True)
    assert response.status_code == 200, response.json
    rows = {row["row"]: row for row in response.json["rows"]}
    assert rows[2]["action"] == "create"
    expected = {3: "amount", 4: "ends_on", 5: "kind", 6: "solution", 7: "amount"}
    for row, column in expected.items():
        assert rows[row]["action"] == "error"
        assert column in {e["column"] for e in rows[row]["errors"]}, rows[row]
    assert response.json["summary"] == {"create": 1, "update": 0, "unchanged": 0, "error": 5}
    assert _costs(client, slug) == []  # a dry run changes nothing
    # The real run with bad rows refuses the whole sheet, naming each cell.
    refused = _csv(client, COSTS_IMPORT, sheet, token, dry_run=False)
    assert refused.status_code == 422
    assert "row 3.amount" in refused.json["errors"]["json"]
    assert _costs(client, slug) == []


def test_a_clean_sheet_adds_and_changes_costs(client, make_token, make_solution):
    slug, token = _adopt(client, make_token, make_solution, "Digital postkasse for innbyggere")
    sheet = f'solution,kind,amount\n{slug},one_off,"12 500,50"\n{slug},yearly,3000\n'
    response = _csv(client, COSTS_IMPORT, sheet, token, dry_run=False)
    assert response.status_code == 200, response.json
    assert response.json["applied"] is True
    costs = {c["kind"]: c for c in _costs(client, slug)}
    assert costs["one_off"]["amount"] == 12500.5
    assert costs["yearly"]["unit"] == "nok_per_year"
    change = f"solution,id,amount\n{slug},{costs['yearly']['id']},4000\n"
    assert _csv(client, COSTS_IMPORT, change, token, dry_run=False).status_code == 200
    assert {c["kind"]: c["amount"] for c in _costs(client, slug)} == {
        "one_off": 12500.5,
        "yearly": 4000,
    }


def test_benefits_from_xlsx_with_a_plan(client, make_token, make_solution):
    slug, token = _adopt(client, make_token, make_solution, "Digital postkasse for innbyggere")
    book = Workbook()
    sheet = book.active
    sheet.append(["solution", "category", "expected_value", "owner", "baseline_on", "is_measured",
                  "realised_value", "measured_on"])  # fmt: skip
    sheet.append([slug, "time_saved", 800, "Kommunalsjef", "2024-01-01", "ja", 300, "2024-06-30"])
    sheet.append([slug, "time_saved", 10, "", "2024-01-01", "kanskje", 5, "2023-06-30"])
    body = io.BytesIO()
    book.save(body)
    dry = client.post(
        f"{BENEFITS_IMPORT}?dry_run=true",
        data={"file": (io.BytesIO(body.getvalue()), "gevinster.xlsx")},
        headers=auth(token),
        content_type="multipart/form-data",
    )
    assert dry.status_code == 200, dry.json
    bad = dry.json["rows"][1]
    assert {e["column"] for e in bad["errors"]} >= {"is_measured"}
    good_only = io.BytesIO()
    sheet.delete_rows(3)
    book.save(good_only)
    applied = client.post(
        BENEFITS_IMPORT,
        data={"file": (io.BytesIO(good_only.getvalue()), "gevinster.xlsx")},
        headers=auth(token),
        content_type="multipart/form-data",
    )
    assert applied.status_code == 200, applied.json
    [benefit] = client.get(f"/api/v1/solutions/{slug}/adoptions/5006/benefits").json
    assert (benefit["owner"], benefit["realised_value"]) == ("Kommunalsjef", 300)
    assert len(benefit["measurements"]) == 1


def test_only_the_organisation_imports_its_rows(client, make_token, make_solution):
    slug, _ = _adopt(client, make_token, make_solution, "Digital postkasse for innbyggere")
    other = make_token("5001")
    sheet = f"solution,kind,amount\n{slug},one_off,5\n"
    assert _csv(client, COSTS_IMPORT, sheet, other, dry_run=True).status_code == 403
    unreadable = _csv(client, COSTS_IMPORT, "kind\none_off\n", make_token("5006"), dry_run=True)
    assert unreadable.status_code == 422
    assert "solution" in unreadable.json["errors"]["json"]["file"][0]
