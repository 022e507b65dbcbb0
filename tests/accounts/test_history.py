"""The history: every change from the API or the web recorded once, with who, when, which
fields and their values before and after; kept after a deletion; restorable by an admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import HistoryEntry
from tests.accounts.conftest import page_text, post_form
from tests.accounts.test_editing import create, edit_form
from tests.conftest import auth, solution_payload

Clients = Callable[[str | None], FlaskClient]


def history(client: FlaskClient, slug: str, **headers: str) -> list[dict[str, Any]]:
    """Return the API's history of a solution, newest first."""
    response = client.get(f"/api/v1/solutions/{slug}/history?page_size=100", headers=headers)
    assert response.status_code == 200, response.json
    return list(response.json)


def test_changes_from_the_api_and_the_web_are_recorded_with_who_and_what(
    app: Flask, client_for: Clients, make_token: Callable[..., str]
) -> None:
    with app.app_context():
        from app.services import tokens

        _, secret = tokens.create_token("5007", name="Fagsystemet")
    editor = client_for("editor")
    slug = create(editor)
    anonymous = client_for(None)
    changed = anonymous.patch(
        f"/api/v1/solutions/{slug}",
        json={"name": "Startlån på nett", "tags": ["startlån", "lån"]},
        headers=auth(secret, 1),
    )
    assert changed.status_code == 200
    fields = edit_form(editor, slug)
    response = post_form(
        editor,
        f"/losninger/{slug}/rediger",
        {**fields, "licence": "MIT", "themes": ["helse-og-omsorg"]},
    )
    assert response.status_code == 303

    entries = history(anonymous, slug)
    assert [e["action"] for e in entries] == ["updated", "updated", "created"]
    web_edit, api_edit, created = entries
    assert web_edit["actor"] == {"type": "user", "name": "Kari", "organisation": "Namsos kommune"}
    assert web_edit["changes"] == {
        "licence": {"old": None, "new": "MIT"},
        "themes": {"old": ["bygg-og-eiendom"], "new": ["helse-og-omsorg"]},
    }
    assert web_edit["version"] == 3
    assert api_edit["actor"] == {
        "type": "token",
        "name": "Fagsystemet",
        "organisation": "Namsos kommune",
    }
    assert api_edit["changes"] == {
        "name": {"old": "Digital startlånsøknad", "new": "Startlån på nett"},
        "tags": {"old": ["husbanken", "startlån"], "new": ["lån", "startlån"]},
    }
    assert created["changes"]["summary"]["new"].startswith("Søknad om startlån")
    assert created["changes"]["is_draft"] == {"old": None, "new": False}
    assert all(e["created_at"].endswith("+00:00") for e in entries)

    # The page says the same in Norwegian, linked from the solution's page.
    solution_page = anonymous.get(f"/losninger/{slug}").get_data(as_text=True)
    assert f'href="/losninger/{slug}/historikk"' in solution_page
    text = page_text(anonymous.get(f"/losninger/{slug}/historikk"))
    assert "Endret: løsningen" in text
    assert "Kari, Namsos kommune" in text
    assert "API-nøkkel «Fagsystemet», Namsos kommune" in text
    assert "Lisens – MIT" in text
    assert "Navn Digital startlånsøknad Startlån på nett" in text


def test_adoptions_and_benefits_are_in_their_solutions_history(
    client_for: Clients, make_token: Callable[..., str]
) -> None:
    slug = create(client_for("editor"))
    client, token = client_for(None), make_token("5001")
    client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5001", "status": "pilot"},
        headers=auth(token),
    )
    client.patch(
        f"/api/v1/solutions/{slug}/adoptions/5001",
        json={"status": "in_use"},
        headers=auth(token, 1),
    )
    client.post(
        f"/api/v1/solutions/{slug}/adoptions/5001/benefits",
        json={"category": "time_saved", "expected_value": 120},
        headers=auth(token),
    )
    entries = history(client, slug)
    kinds = [(e["entity_type"], e["action"], e["label"]) for e in entries]
    assert kinds[:3] == [
        ("benefit", "created", "Trondheim kommune"),
        ("adoption", "updated", "Trondheim kommune"),
        ("adoption", "created", "Trondheim kommune"),
    ]
    assert entries[1]["changes"] == {"status": {"old": "pilot", "new": "in_use"}}
    assert entries[0]["changes"]["expected_value"] == {"old": None, "new": "120.00"}
    text = page_text(client.get(f"/losninger/{slug}/historikk"))
    assert "Endret: bruk – Trondheim kommune" in text
    assert "Status Pilot I bruk" in text


def test_a_change_that_changes_nothing_is_not_an_entry(
    client_for: Clients, make_token: Callable[..., str]
) -> None:
    client, token = client_for(None), make_token()
    slug = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token)).json[
        "slug"
    ]
    same = client.put(f"/api/v1/solutions/{slug}", json=solution_payload(), headers=auth(token, 1))
    assert same.status_code == 200
    assert [e["action"] for e in history(client, slug)] == ["created"]


def test_a_failed_change_leaves_no_entry(
    client_for: Clients, make_token: Callable[..., str]
) -> None:
    client, token = client_for(None), make_token()
    slug = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token)).json[
        "slug"
    ]
    refused = client.patch(
        f"/api/v1/solutions/{slug}", json={"themes": ["finnes-ikke"]}, headers=auth(token, 1)
    )
    assert refused.status_code == 422
    stale = client.patch(f"/api/v1/solutions/{slug}", json={"name": "Nytt"}, headers=auth(token, 9))
    assert stale.status_code == 412
    assert len(history(client, slug)) == 1


def test_the_history_outlives_a_deleted_solution(
    app: Flask, client_for: Clients, make_token: Callable[..., str]
) -> None:
    client, token = client_for(None), make_token()
    slug = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token)).json[
        "slug"
    ]
    client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5007", "status": "in_use"},
        headers=auth(token),
    )
    assert client.delete(f"/api/v1/solutions/{slug}", headers=auth(token, 1)).status_code == 204
    assert client.get(f"/api/v1/solutions/{slug}").status_code == 404
    entries = history(client, slug)
    assert [(e["entity_type"], e["action"]) for e in entries] == [
        ("solution", "deleted"),
        ("adoption", "created"),
        ("solution", "created"),
    ]
    page = client.get(f"/losninger/{slug}/historikk")
    assert page.status_code == 200
    assert "Løsningen er slettet fra katalogen" in page_text(page)
    with app.app_context():
        deleted = db.session.query(HistoryEntry).filter_by(action="deleted").one()
        assert deleted.snapshot["name"] == "Digital startlånsøknad"
        assert deleted.snapshot["themes"] == ["bygg-og-eiendom"]


def test_an_admin_restores_an_earlier_version_as_a_new_change(
    app: Flask, client_for: Clients, make_token: Callable[..., str]
) -> None:
    editor, admin = client_for("editor"), client_for("admin")
    slug = create(editor)
    fields = edit_form(editor, slug)
    post_form(
        editor,
        f"/losninger/{slug}/rediger",
        {**fields, "name": "Ødelagt navn", "summary": "Noen skrev over beskrivelsen her."},
    )
    created_entry = history(client_for(None), slug)[-1]

    # Editors see no restore button and may not restore.
    assert "Gjenopprett" not in page_text(editor.get(f"/losninger/{slug}/historikk"))
    refused = post_form(
        editor, f"/losninger/{slug}/historikk/{created_entry['id']}/gjenopprett", {"version": "2"}
    )
    assert refused.status_code == 403

    assert "Gjenopprett løsningen slik den var" in page_text(
        admin.get(f"/losninger/{slug}/historikk")
    )
    stale = post_form(
        admin, f"/losninger/{slug}/historikk/{created_entry['id']}/gjenopprett", {"version": "1"}
    )
    assert stale.status_code == 303
    assert stale.headers["Location"].endswith("/historikk")  # changed meanwhile: look again
    done = post_form(
        admin, f"/losninger/{slug}/historikk/{created_entry['id']}/gjenopprett", {"version": "2"}
    )
    assert done.status_code == 303
    solution = client_for(None).get(f"/api/v1/solutions/{slug}").json
    assert solution["name"] == "Digital startlånsøknad"
    assert solution["version"] == 3
    latest = history(client_for(None), slug)[0]
    assert latest["action"] == "restored"
    assert latest["restored_from"] == created_entry["id"]
    assert latest["actor"]["type"] == "user"
    assert latest["changes"]["name"] == {"old": "Ødelagt navn", "new": "Digital startlånsøknad"}


@pytest.mark.parametrize("viewer", [None, "5001"])
def test_a_drafts_history_is_as_private_as_the_draft(
    client_for: Clients, make_token: Callable[..., str], viewer: str | None
) -> None:
    slug = create(client_for("editor"), action="draft")
    headers = auth(make_token(viewer)) if viewer else {}
    client = client_for(None)
    assert client.get(f"/api/v1/solutions/{slug}/history", headers=headers).status_code == 404
    own = client.get(f"/api/v1/solutions/{slug}/history", headers=auth(make_token("5007")))
    assert own.status_code == 200


def test_loading_the_catalogue_is_recorded_as_the_system(catalogue_app: Flask) -> None:
    client = catalogue_app.test_client()
    with catalogue_app.app_context():
        slug = (
            db.session.query(HistoryEntry.solution_slug)
            .filter_by(entity_type="solution")
            .first()[0]
        )
    entries = history(client, slug)
    assert entries[-1]["action"] == "created"
    assert entries[-1]["actor"]["type"] == "system"
