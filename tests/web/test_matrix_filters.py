"""The reuse matrix's filters (owner, kommune group, status), orders and downloads, checked
against sets computed from the rows."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.models import Adoption, Organisation, Solution
from tests.web.test_pages import get_page


@pytest.fixture(scope="module")
def data(site_app) -> dict:
    """Return the adoptions (solution slug → kommunenummer → status), the owners, the
    Værnesregionen members and the slugs of every (published) solution."""
    with site_app.app_context():
        statuses: dict[str, dict[str, str]] = defaultdict(dict)
        for solution, number, status in db.session.execute(
            select(Solution.slug, Organisation.kommunenummer, Adoption.status)
            .join(Adoption.solution)
            .join(Adoption.organisation)
            .where(Organisation.kind == "kommune")
        ):
            statuses[solution][number] = status
        owners = dict(
            db.session.execute(select(Solution.slug, Organisation.slug).join(Solution.owner)).all()
        )
        group = db.session.scalar(
            select(Organisation).where(Organisation.slug == "varnesregionen-it")
        )
        members = sorted(m.kommunenummer for m in group.members)
    return {"statuses": statuses, "owners": owners, "members": members}


def _download(site: FlaskClient, query: str) -> tuple[list[str], list[dict[str, str]]]:
    response = site.get(f"/gjenbruksmatrise.csv?{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_owner_filter(site: FlaskClient, data) -> None:
    _, rows = _download(site, "owner=trondheim")
    expected = {slug for slug, owner in data["owners"].items() if owner == "trondheim"}
    assert {r["løsning"] for r in rows} == expected


def test_group_keeps_its_members_as_columns_and_what_they_have(site: FlaskClient, data) -> None:
    columns, rows = _download(site, "group=varnesregionen-it")
    assert sorted(columns[4:]) == data["members"]
    expected = {
        slug
        for slug, by_kommune in data["statuses"].items()
        if set(by_kommune) & set(data["members"])
    }
    assert {r["løsning"] for r in rows} == expected
    for row in rows:
        for number in data["members"]:
            assert row[number] == data["statuses"][row["løsning"]].get(number, "")


@pytest.mark.parametrize("status", ["pilot", "planned", "retired"])
def test_status_filter(site: FlaskClient, data, status: str) -> None:
    _, rows = _download(site, f"status={status}")
    expected = {s for s, by in data["statuses"].items() if status in by.values()}
    assert {r["løsning"] for r in rows} == expected


def test_sort_by_a_kommune_column_puts_its_use_first(site: FlaskClient, data) -> None:
    _, rows = _download(site, "sort=5001")
    rank = {"in_use": 0, "pilot": 1, "planned": 2, "considering": 3, "retired": 4, "": 5}
    ranks = [rank[r["5001"]] for r in rows]
    assert ranks == sorted(ranks)
    _, by_name = _download(site, "sort=name")
    names = [r["navn"] for r in by_name]
    assert names == sorted(names)
    _, by_users = _download(site, "")
    users = [int(r["brukere"]) for r in by_users]
    assert users == sorted(users, reverse=True)


def test_the_page_keeps_the_filters_in_its_links(site: FlaskClient) -> None:
    html, page = get_page(site, "/gjenbruksmatrise?group=varnesregionen-it&status=in_use&sort=name")
    assert page.has("select", id="matrix-group", name="group")
    assert '<option value="varnesregionen-it" selected>' in html
    assert "/gjenbruksmatrise.xlsx?group=varnesregionen-it&amp;status=in_use&amp;sort=name" in html
    assert "× 5 kommuner" in html
    assert "Sortert etter navn." in html


def test_xlsx_holds_the_same_rows(site: FlaskClient) -> None:
    _, rows = _download(site, "owner=trondheim")
    response = site.get("/gjenbruksmatrise.xlsx?owner=trondheim")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("løsning", "navn", "eier", "brukere")
    assert [v[0] for v in values[1:]] == [r["løsning"] for r in rows]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("sort=abc", 400),
        ("status=ukjent", 400),
        ("owner=finnes-ikke", 404),
        ("group=finnes-ikke", 404),
        ("sort=9999", 404),
        ("theme=finnes-ikke", 404),
    ],
)
def test_bad_filters_answer_4xx(site: FlaskClient, query: str, status: int) -> None:
    assert site.get(f"/gjenbruksmatrise?{query}").status_code == status
    assert site.get(f"/gjenbruksmatrise.csv?{query}").status_code == status
