"""CSV/XLSX exports, and the adoption import with its dry run."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook

from tests.conftest import auth

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("table", ["solutions", "adoptions", "benefits"])
def test_csv_and_xlsx_exports(catalogue_app: Flask, table: str) -> None:
    client = catalogue_app.test_client()
    response = client.get(f"/api/v1/export/{table}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f'filename="{table}.csv"' in response.headers["Content-Disposition"]
    rows = _csv_rows(response.data)
    workbook = client.get(f"/api/v1/export/{table}.xlsx")
    assert workbook.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(rows[0].keys()) if rows else values
    assert len(values) - 1 == len(rows)
    if table != "benefits":  # the example data carries no benefits
        assert rows


def test_export_filters_like_the_solution_list(catalogue_app: Flask) -> None:
    client = catalogue_app.test_client()
    listed = client.get("/api/v1/solutions?theme=helse-og-omsorg&kind=system&page_size=100")
    rows = _csv_rows(
        client.get("/api/v1/export/solutions.csv?theme=helse-og-omsorg&kind=system").data
    )
    assert [r["slug"] for r in rows] == sorted(
        (s["slug"] for s in listed.get_json()),
        key=lambda slug: next(r["name"] for r in rows if r["slug"] == slug),
    )
    assert all(r["kind"] == "system" and "helse-og-omsorg" in r["themes"] for r in rows)
    adoptions = _csv_rows(client.get("/api/v1/export/adoptions.csv?owner=5001").data)
    owned = {s["slug"] for s in client.get("/api/v1/organisations/5001/solutions").get_json()}
    assert adoptions
    assert {r["solution"] for r in adoptions} <= owned
    bad = client.get("/api/v1/export/solutions.csv?kind=nope")
    assert bad.status_code == 422
    assert "kind" in bad.get_json()["errors"]["query"]


def test_formula_cells_are_written_as_text(
    client: FlaskClient, make_solution: Callable[..., str]
) -> None:
    make_solution(name='=HYPERLINK("http://evil")', summary="+cmd|' /C calc'!A0 og mer tekst")
    rows = _csv_rows(client.get("/api/v1/export/solutions.csv").data)
    assert rows[0]["name"].startswith("'=")
    assert rows[0]["summary"].startswith("'+")
    sheet = load_workbook(io.BytesIO(client.get("/api/v1/export/solutions.xlsx").data)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


def _sheet_csv(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture
def slugs(make_solution: Callable[..., str]) -> list[str]:
    return [make_solution(name="Første løsning"), make_solution(name="Andre løsning")]


def test_dry_run_shows_what_would_change_and_changes_nothing(
    client: FlaskClient, make_token: Callable[..., str], slugs: list[str]
) -> None:
    token = make_token("5001")
    client.post(
        f"/api/v1/solutions/{slugs[0]}/adoptions",
        json={"organisation": "5001", "status": "pilot"},
        headers=auth(token),
    )
    body = _sheet_csv(
        "solution;status;since;contact_name;notes",
        f"{slugs[0]};in_use;2025-01-02;Ola;",
        f"{slugs[1]};considering;;;Vurderes",
    )
    url = "/api/v1/organisations/5001/adoptions/import?dry_run=true"
    response = client.post(url, data=body, headers={**auth(token), "Content-Type": "text/csv"})
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["dry_run"] is True
    assert report["applied"] is False
    assert report["summary"] == {"create": 1, "update": 1, "unchanged": 0, "error": 0}
    update = report["rows"][0]
    assert update["row"] == 2
    assert update["action"] == "update"
    assert update["changes"]["status"] == ["pilot", "in_use"]
    assert update["changes"]["contact_name"] == [None, "Ola"]
    assert report["rows"][1]["action"] == "create"
    listed = client.get("/api/v1/organisations/5001/adoptions").get_json()
    assert [a["status"] for a in listed] == ["pilot"]


def test_real_run_applies_all_and_a_second_run_is_unchanged(
    client: FlaskClient, make_token: Callable[..., str], slugs: list[str]
) -> None:
    token = make_token("5001")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["solution", "status", "since", "notes"])
    sheet.append([slugs[0], "in_use", None, "Tatt i bruk"])
    sheet.append([slugs[1], "planned", None, ""])
    out = io.BytesIO()
    workbook.save(out)
    url = "/api/v1/organisations/trondheim/adoptions/import"
    response = client.post(
        url,
        data={"file": (io.BytesIO(out.getvalue()), "bruk.xlsx")},
        headers=auth(token),
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["applied"] is True
    assert response.get_json()["summary"]["create"] == 2
    statuses = {
        a["solution"]["slug"]: a["status"]
        for a in client.get("/api/v1/organisations/5001/adoptions").get_json()
    }
    assert statuses == {slugs[0]: "in_use", slugs[1]: "planned"}
    again = client.post(
        url,
        data={"file": (io.BytesIO(out.getvalue()), "bruk.xlsx")},
        headers=auth(token),
        content_type="multipart/form-data",
    )
    assert again.get_json()["summary"] == {"create": 0, "update": 0, "unchanged": 2, "error": 0}

    # Export → import round trip: the organisation's own export reads back unchanged.
    exported = client.get("/api/v1/export/adoptions.csv?owner=5007").data
    back = client.post(url, data=exported, headers={**auth(token), "Content-Type": "text/csv"})
    assert back.status_code == 200, back.get_json()
    assert back.get_json()["summary"]["unchanged"] == 2


def test_row_errors_name_row_and_column_and_nothing_is_applied(
    client: FlaskClient, make_token: Callable[..., str], slugs: list[str]
) -> None:
    token = make_token("5001")
    body = _sheet_csv(
        "solution,status,since,contact_email",
        f"{slugs[0]},in_use,,",
        "finnes-ikke,in_use,,",
        f"{slugs[1]},kanskje,2025-13-01,ikke-epost",
        f"{slugs[0]},pilot,,",
    )
    headers = {**auth(token), "Content-Type": "text/csv"}
    dry = client.post(
        "/api/v1/organisations/5001/adoptions/import?dry_run=1", data=body, headers=headers
    )
    assert dry.status_code == 200
    rows = dry.get_json()["rows"]
    assert [r["action"] for r in rows] == ["create", "error", "error", "error"]
    assert rows[1]["errors"] == [{"column": "solution", "message": "No solution 'finnes-ikke'."}]
    assert {e["column"] for e in rows[2]["errors"]} == {"status", "since", "contact_email"}
    assert rows[3]["errors"][0]["message"] == "Also in row 2; give it once."
    real = client.post("/api/v1/organisations/5001/adoptions/import", data=body, headers=headers)
    assert real.status_code == 422
    errors = real.get_json()["errors"]["json"]
    assert {
        "row 3.solution",
        "row 4.status",
        "row 4.since",
        "row 4.contact_email",
        "row 5.solution",
    } <= set(errors)
    assert client.get("/api/v1/organisations/5001/adoptions").get_json() == []


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"", "text/csv", 422),
        (b"status\nin_use\n", "text/csv", 422),
        (b"PK\x03\x04 not really a workbook", XLSX, 422),
        (b"\xff\xfe\xfa", "text/csv", 422),
    ],
)
def test_unreadable_sheets_are_a_422(
    client: FlaskClient, make_token: Callable[..., str], body: bytes, content_type: str, status: int
) -> None:
    response = client.post(
        "/api/v1/organisations/5001/adoptions/import",
        data=body,
        headers={**auth(make_token("5001")), "Content-Type": content_type},
    )
    assert response.status_code == status
    assert "file" in response.get_json()["errors"]["json"]


def test_only_the_organisation_or_an_admin_imports(
    client: FlaskClient, make_token: Callable[..., str]
) -> None:
    url = "/api/v1/organisations/5001/adoptions/import"
    assert client.post(url, data=b"solution,status\n").status_code == 401
    other = client.post(url, data=b"solution,status\n", headers=auth(make_token("5007")))
    assert other.status_code == 403
    assert (
        client.post(
            "/api/v1/organisations/9999/adoptions/import", headers=auth(make_token(role="admin"))
        ).status_code
        == 404
    )


def test_wanted_on_of_a_plan_travels_through_import_and_export(
    client: FlaskClient, make_token: Callable[..., str], slugs: list[str]
) -> None:
    token = make_token("5001")
    url = "/api/v1/organisations/trondheim/adoptions/import"
    headers = {**auth(token), "Content-Type": "text/csv"}
    sheet = f"solution,status,wanted_on\n{slugs[0]},planned,2027-06-01\n".encode()
    created = client.post(url, data=sheet, headers=headers)
    assert created.status_code == 200, created.get_json()
    assert created.get_json()["summary"]["create"] == 1
    adoption = client.get(f"/api/v1/solutions/{slugs[0]}/adoptions/5001").get_json()
    assert adoption["wanted_on"] == "2027-06-01"
    moved = f"solution,status,wanted_on\n{slugs[0]},planned,2027-09-01\n".encode()
    dry = client.post(url + "?dry_run=true", data=moved, headers=headers).get_json()
    assert dry["rows"][0]["changes"] == {"wanted_on": ["2027-06-01", "2027-09-01"]}
    bad = f"solution,status,wanted_on\n{slugs[0]},planned,snart\n".encode()
    refused = client.post(url + "?dry_run=1", data=bad, headers=headers).get_json()
    assert [e["column"] for e in refused["rows"][0]["errors"]] == ["wanted_on"]
    exported = client.get("/api/v1/export/adoptions.csv?owner=5007").data.decode()
    header, *lines = exported.splitlines()
    assert "wanted_on" in header.split(",")
    position = header.split(",").index("wanted_on")
    [row] = [line for line in lines if line.startswith(slugs[0]) and ",trondheim," in line]
    assert row.split(",")[position] == "2027-06-01"
