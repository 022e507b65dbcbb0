"""The gains pages with an empty catalogue, with one adoption, and names that look like formulas."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.conftest import auth
from tests.gains.helpers import figure, tables
from tests.web.test_pages import get_page

FORMULA = '=HYPERLINK("http://example.com","Klikk")'


def test_the_pages_work_with_an_empty_catalogue(client, make_solution):
    html, page = get_page(client, "/gevinster")
    assert page.h1() == "Gevinster av gjenbruk"
    assert "Ingen har registrert gevinster ennå." in html
    assert "Ingen tall å vise ennå." in html  # the charts say so rather than draw nothing
    found = tables(html)
    assert found["Tilfeller av bruk ved utgangen av hvert år"][1:] == [
        ["Ingen har registrert bruk ennå."]
    ]
    assert all(row[1:] == ["0"] * 4 for row in found["Timer og kroner spart per år etter tema"][1:])
    rows = list(
        csv.reader(io.StringIO(client.get("/gevinster.csv").get_data().decode("utf-8-sig")))
    )
    assert rows[0] == ["Tabell", "Kode", "Navn", "Enhet", "Tall", "Verdi"]
    assert {r[0] for r in rows[1:]} == {"Spart tid etter tema", "Spart penger etter tema"}
    assert {r[5] for r in rows[1:]} == {"0"}
    book = load_workbook(io.BytesIO(client.get("/gevinster.xlsx").get_data()))
    assert book.active.max_row == len(rows)

    html, _ = get_page(client, "/kommuner/5007")
    assert "Namsos kommune har ikke registrert gevinster av løsningene ennå." in html
    slug = make_solution()
    html, _ = get_page(client, f"/losninger/{slug}")
    assert 'id="benefits-title"' not in html  # no benefits, no section


def test_one_adoption_with_formula_names_is_written_as_text(client, make_token, make_solution):
    """A publisher's text that starts with = is a name in the download, never a formula."""
    slug = make_solution(name=FORMULA)
    token = make_token("5001")
    adoptions = f"/api/v1/solutions/{slug}/adoptions"
    body = {"organisation": "5001", "status": "in_use", "since": "2023-01-01"}
    assert client.post(adoptions, json=body, headers=auth(token)).status_code == 201
    benefit = {
        "category": "time_saved",
        "realised_value": 120.5,
        "expected_value": 100,
        "measured_on": "2024-06-30",
        "is_measured": True,
    }
    response = client.post(f"{adoptions}/5001/benefits", json=benefit, headers=auth(token))
    assert response.status_code == 201, response.json

    html, _ = get_page(client, "/gevinster")
    assert figure(html, "time_saved-realised") == 120  # rounded in the headline
    top = tables(html)["Mest oppnådd spart tid, timer per år"][1:]
    assert top == [[FORMULA, "120,5", "100", "1"]]

    rows = list(
        csv.reader(io.StringIO(client.get("/gevinster.csv").get_data().decode("utf-8-sig")))
    )
    named = [r for r in rows if r[1] == slug]
    assert named
    assert {r[2] for r in named} == {"'" + FORMULA}
    assert [
        "Mest oppnådd spart tid",
        slug,
        "'" + FORMULA,
        "timer per år",
        "Oppnådd",
        "120.5",
    ] in rows
    sheet = load_workbook(io.BytesIO(client.get("/gevinster.xlsx").get_data())).active
    cells = [row[2] for row in sheet.iter_rows(min_row=2) if row[1].value == slug]
    assert cells
    assert all(c.value == FORMULA and c.data_type == "s" for c in cells)

    # The kommune page adds up its own gains.
    html, _ = get_page(client, "/kommuner/5001")
    assert figure(html, "time_saved-realised") == 120
    assert figure(html, "time_saved-expected") == 100
