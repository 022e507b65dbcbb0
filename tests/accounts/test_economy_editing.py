"""Costs, benefits and measurements edited in the browser: the API's rules, Norwegian messages
at the fields, history, and no silent overwrite of someone else's change."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models.history import HistoryEntry
from tests.accounts.conftest import page_text, post_form
from tests.conftest import auth

Clients = Callable[[str | None], FlaskClient]


@pytest.fixture
def adopted(client, make_token, make_solution) -> tuple[str, str]:
    """Return (slug, token) of a Namsos (5007) solution that Namsos uses."""
    slug = make_solution()
    token = make_token("5007")
    response = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5007", "status": "in_use", "since": "2023-01-01"},
        headers=auth(token),
    )
    assert response.status_code == 201, response.json
    return slug, token


def _costs(client: FlaskClient, slug: str) -> list[dict]:
    return client.get(f"/api/v1/solutions/{slug}/adoptions/5007/costs").json


def test_an_editor_adds_changes_and_removes_a_cost(
    app: Flask, client: FlaskClient, client_for: Clients, adopted: tuple[str, str]
) -> None:
    slug, _ = adopted
    editor = client_for("editor")
    page = editor.get(f"/losninger/{slug}")
    assert "Kostnader og gevinster" in page_text(page)
    response = post_form(
        editor,
        f"/losninger/{slug}/bruk/kostnader/ny",
        {"kind": "one_off", "category": "licence", "amount": "12 500,50", "effort_hours": "40"},
    )
    assert response.status_code == 303, page_text(response)
    [cost] = _costs(client, slug)
    assert (Decimal(str(cost["amount"])), cost["effort_hours"]) == (Decimal("12500.5"), 40)
    overview = editor.get(f"/losninger/{slug}/bruk/okonomi").get_data(as_text=True)
    assert "12\u00a0500,5&nbsp;kr" in overview
    # Change it (the form carries its version), then remove it.
    url = f"/losninger/{slug}/bruk/kostnader/{cost['id']}"
    assert 'name="version" value="1"' in editor.get(url).get_data(as_text=True)
    changed = {"kind": "yearly", "amount": "3000", "version": "1"}
    assert post_form(editor, url, changed).status_code == 303
    [cost] = _costs(client, slug)
    assert (cost["kind"], cost["amount"], cost["unit"]) == ("yearly", 3000, "nok_per_year")
    assert post_form(editor, f"{url}/fjern", {"version": "2"}).status_code == 303
    assert _costs(client, slug) == []
    with app.app_context():  # the history has the three writes, by the signed-in person
        entries = db.session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.entity_type == "cost", HistoryEntry.entity_id == cost["id"])
            .order_by(HistoryEntry.id)
        ).all()
        assert [e.action for e in entries] == ["created", "updated", "deleted"]
        assert {e.actor_type for e in entries} == {"user"}


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"kind": "one_off", "amount": "-5"}, "amount", "Skriv et tall fra 0"),
        ({"kind": "one_off"}, "amount", "Oppgi beløpet i kroner"),
        ({"kind": "one_off", "amount": "5", "ends_on": "2024-01-01"}, "ends_on", "årlig"),
        ({"kind": "one_off", "amount": "mange"}, "amount", "Skriv et tall"),
        ({"amount": "5"}, "kind", "Fyll ut feltet"),
    ],
)
def test_bad_costs_get_a_norwegian_message_at_the_field(
    client: FlaskClient, client_for: Clients, adopted, form, field, message
) -> None:
    slug, _ = adopted
    response = post_form(client_for("editor"), f"/losninger/{slug}/bruk/kostnader/ny", form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="f-{field.replace("_", "-")}-error"' in html
    assert message in html
    assert _costs(client, slug) == []


def test_a_stale_save_is_refused_with_the_difference(
    app: Flask, client: FlaskClient, client_for: Clients, adopted
) -> None:
    slug, token = adopted
    editor = client_for("editor")
    post_form(editor, f"/losninger/{slug}/bruk/kostnader/ny", {"kind": "one_off", "amount": "100"})
    [cost] = _costs(client, slug)
    # Someone changes the amount through the API after the editor opened the form.
    api = client.patch(
        f"/api/v1/solutions/{slug}/adoptions/5007/costs/{cost['id']}",
        json={"amount": 250},
        headers=auth(token, version=1),
    )
    assert api.status_code == 200, api.json
    url = f"/losninger/{slug}/bruk/kostnader/{cost['id']}"
    response = post_form(editor, url, {"kind": "one_off", "amount": "175", "version": "1"})
    assert response.status_code == 409
    text = page_text(response)
    assert "noen andre endret kostnaden" in text
    assert "250.00" in text
    assert "175.00" in text
    assert _costs(client, slug)[0]["amount"] == 250  # nothing overwritten
    stale_removal = post_form(editor, f"{url}/fjern", {"version": "1"}, follow_redirects=True)
    assert "Ikke fjernet" in page_text(stale_removal)
    assert len(_costs(client, slug)) == 1


def test_a_benefit_plan_and_its_measurements_from_the_browser(
    client: FlaskClient, client_for: Clients, adopted
) -> None:
    slug, _ = adopted
    editor = client_for("editor")
    plan = {
        "category": "time_saved",
        "owner": "Kommunalsjef helse",
        "baseline_on": "2024-01-01",
        "expected_value": "800",
        "target_on": "2025-12-31",
        "review_on": "2026-06-30",
    }
    assert post_form(editor, f"/losninger/{slug}/bruk/gevinster/ny", plan).status_code == 303
    [benefit] = client.get(f"/api/v1/solutions/{slug}/adoptions/5007/benefits").json
    assert benefit["owner"] == "Kommunalsjef helse"
    new = f"/losninger/{slug}/bruk/gevinster/{benefit['id']}/malinger/ny"
    early = post_form(
        editor, new, {"measured_on": "2023-06-30", "value": "10", "is_measured": "on"}
    )
    assert early.status_code == 422
    assert "før nullpunktsmålingen" in page_text(early)
    for day, value in (("2024-06-30", "300"), ("2025-06-30", "650")):
        response = post_form(editor, new, {"measured_on": day, "value": value, "is_measured": "on"})
        assert response.status_code == 303, page_text(response)
    [benefit] = client.get(f"/api/v1/solutions/{slug}/adoptions/5007/benefits").json
    assert (benefit["realised_value"], benefit["measured_on"]) == (650, "2025-06-30")
    assert len(benefit["measurements"]) == 2
    portfolio = client.get("/api/v1/organisations/5007/portfolio").json
    row = next(r for r in portfolio["rows"] if r["solution"]["slug"] == slug)
    assert row["realised_hours"] == 650
    assert row["benefit_owners"] == ["Kommunalsjef helse"]


def test_only_the_adopter_and_admins_edit_its_costs(
    client_for: Clients, adopted: tuple[str, str]
) -> None:
    slug, _ = adopted
    assert client_for(None).get(f"/losninger/{slug}/bruk/okonomi").status_code == 302
    # Trondheim has not adopted it: there is nothing of theirs to edit.
    assert client_for("other").get(f"/losninger/{slug}/bruk/okonomi").status_code == 404
    other = post_form(client_for("other"), f"/losninger/{slug}/bruk/kostnader/ny?org=5007", {})
    assert other.status_code == 404  # ?org= is for admins only
    admin = client_for("admin")
    assert admin.get(f"/losninger/{slug}/bruk/okonomi?org=5007").status_code == 200
    saved = post_form(
        admin,
        f"/losninger/{slug}/bruk/kostnader/ny",
        {"org": "5007", "kind": "yearly", "amount": "9"},
    )
    assert saved.status_code == 303


def test_a_sheet_of_costs_is_tried_then_imported_from_the_browser(
    client: FlaskClient, client_for: Clients, adopted
) -> None:
    import io

    slug, _ = adopted
    editor = client_for("editor")
    page = editor.get("/kommuner/5007/portefolje").get_data(as_text=True)
    assert "/kommuner/5007/portefolje/import" in page
    bad = f"solution,kind,amount\n{slug},one_off,-4\nukjent-losning,one_off,5\n".encode()

    def upload(body: bytes, **extra: str):
        form = {"kind": "costs", "file": (io.BytesIO(body), "kostnader.csv"), **extra}
        return post_form(
            editor, "/kommuner/5007/portefolje/import", form, content_type="multipart/form-data"
        )

    tried = upload(bad, apply="1")
    assert tried.status_code == 200
    text = page_text(tried)
    assert "2 rader med feil" in text
    assert "Beløp i kroner: Skriv et tall fra 0" in text
    assert "har ikke registrert at de bruker «ukjent-losning»" in text
    assert _costs(client, slug) == []  # bad rows: nothing imported, even when asked to
    good = f'solution,kind,amount\n{slug},one_off,"1 200"\n'.encode()
    assert "1 nye" in page_text(upload(good))
    assert _costs(client, slug) == []  # tried only
    imported = upload(good, apply="1")
    assert imported.status_code == 303
    assert [c["amount"] for c in _costs(client, slug)] == [1200]
