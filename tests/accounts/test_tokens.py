"""An organisation's editors manage its API tokens in the browser: create (shown once), name,
see last use, revoke."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import ApiToken
from tests.accounts.conftest import page_text, post_form
from tests.conftest import auth, solution_payload

Clients = Callable[[str | None], FlaskClient]
SECRET = re.compile(r'<p class="secret" id="new-secret">(gk_[^<]+)</p>')


def test_create_use_rename_and_revoke_a_token(app: Flask, client_for: Clients) -> None:
    editor = client_for("editor")
    assert client_for(None).get("/min-side/api-nokler").status_code == 302
    assert "Organisasjonen har ingen API-nøkler ennå." in page_text(
        editor.get("/min-side/api-nokler")
    )

    created = post_form(editor, "/min-side/api-nokler", {"name": "Fagsystemet"})
    assert created.status_code == 201
    assert "no-store" in created.headers["Cache-Control"]
    secret = SECRET.search(created.get_data(as_text=True)).group(1)
    with app.app_context():
        stored = db.session.query(ApiToken).one()
        assert (stored.name, stored.role, stored.organisation.kommunenummer) == (
            "Fagsystemet",
            "publisher",
            "5007",
        )
        assert secret not in stored.token_hash  # only its hash is kept
    # Shown once: the list shows its start only.
    listing = editor.get("/min-side/api-nokler").get_data(as_text=True)
    assert secret not in listing
    assert f"{secret[:10]}…" in listing
    assert "Aldri" in listing  # never used yet

    api = client_for(None)
    response = api.post("/api/v1/solutions", json=solution_payload(), headers=auth(secret))
    assert response.status_code == 201
    listing = page_text(editor.get("/min-side/api-nokler"))
    assert "Aldri" not in listing

    renamed = post_form(editor, f"/min-side/api-nokler/{stored.id}/navn", {"name": "Acos"})
    assert renamed.status_code == 303
    assert "Acos" in page_text(editor.get("/min-side/api-nokler"))
    too_long = post_form(editor, f"/min-side/api-nokler/{stored.id}/navn", {"name": "x" * 201})
    assert too_long.status_code == 422
    assert "Skriv høyst 200 tegn." in page_text(too_long)

    revoked = post_form(editor, f"/min-side/api-nokler/{stored.id}/trekk-tilbake")
    assert revoked.status_code == 303
    assert "Trukket tilbake" in page_text(editor.get("/min-side/api-nokler"))
    refused = api.post("/api/v1/solutions", json=solution_payload(name="Noe"), headers=auth(secret))
    assert refused.status_code == 401


def test_another_organisations_editor_cannot_touch_its_tokens(
    app: Flask, client_for: Clients
) -> None:
    editor, other = client_for("editor"), client_for("other")
    post_form(editor, "/min-side/api-nokler", {"name": "Namsos sin"})
    with app.app_context():
        token_id = db.session.query(ApiToken.id).scalar()
    # Their page lists their own organisation's tokens only, and a forged org is ignored.
    assert "Namsos sin" not in page_text(other.get("/min-side/api-nokler?org=5007"))
    assert post_form(other, f"/min-side/api-nokler/{token_id}/trekk-tilbake").status_code == 404
    assert (
        post_form(other, f"/min-side/api-nokler/{token_id}/navn", {"name": "x"}).status_code == 404
    )
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None
    # An admin may manage any organisation's tokens.
    admin = client_for("admin")
    assert "Namsos sin" in page_text(admin.get("/min-side/api-nokler?org=5007"))
    assert (
        post_form(
            admin, f"/min-side/api-nokler/{token_id}/trekk-tilbake", {"org": "5007"}
        ).status_code
        == 303
    )


def test_editors_create_publisher_tokens_only(app: Flask, client_for: Clients) -> None:
    from app.models import User
    from app.services import tokens
    from app.services.errors import PermissionDenied
    from app.services.users import actor_for

    with app.app_context():
        editor = actor_for(db.session.query(User).filter_by(role="editor").first())
        try:
            tokens.create_token("5007", role="admin", actor=editor)
        except PermissionDenied:
            pass
        else:
            raise AssertionError("an editor made an admin token")
