"""`flask tokens …`: create (shown once, stored hashed), list, revoke."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken
from tests.conftest import auth, solution_payload


def _create(runner, *args: str) -> str:
    result = runner.invoke(args=["tokens", "create", *args])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_create_prints_a_working_token_as_the_last_line(runner, client):
    secret = _create(runner, "--org", "5007")
    assert secret.startswith("gk_")
    assert " " not in secret
    response = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(secret))
    assert response.status_code == 201, response.json


def test_the_organisation_may_be_named_by_slug_and_the_role_chosen(runner, client, make_solution):
    secret = _create(runner, "--org", "trondheim", "--role", "admin", "--name", "CI")
    slug = make_solution(owner="5007")
    # An admin of Trondheim may change Namsos' solution.
    response = client.patch(
        f"/api/v1/solutions/{slug}", json={"status": "pilot"}, headers=auth(secret, 1)
    )
    assert response.status_code == 200


def test_the_token_is_stored_only_as_its_hash(app, runner):
    secret = _create(runner, "--org", "5007", "--name", "fagsystem")
    with app.app_context():
        token = db.session.scalars(select(ApiToken)).one()
        assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        stored = [str(getattr(token, column.key)) for column in ApiToken.__table__.columns]
    assert not any(secret in value for value in stored)
    assert not any(secret[10:20] in value for value in stored)  # no more than the prefix


def test_create_refuses_an_unknown_organisation_or_role(runner):
    unknown = runner.invoke(args=["tokens", "create", "--org", "9999"])
    assert unknown.exit_code == 1
    assert "9999" in unknown.stderr
    role = runner.invoke(args=["tokens", "create", "--org", "5007", "--role", "owner"])
    assert role.exit_code == 2
    assert "owner" in role.stderr


def test_list_shows_tokens_without_secrets(runner):
    first = _create(runner, "--org", "5007", "--name", "fagsystem")
    second = _create(runner, "--org", "5001", "--role", "admin")
    result = runner.invoke(args=["tokens", "list"])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert first not in result.stdout
    assert second not in result.stdout
    assert any("namsos" in line and "publisher" in line and "fagsystem" in line for line in lines)
    assert any("trondheim" in line and "admin" in line for line in lines)
    assert all("active" in line and "last used never" in line for line in lines)
    only = runner.invoke(args=["tokens", "list", "--org", "namsos"]).stdout.strip().splitlines()
    assert len(only) == 1
    assert "namsos" in only[0]


def test_list_shows_when_a_token_was_last_used(runner, client):
    secret = _create(runner, "--org", "5007")
    client.post("/api/v1/solutions", json=solution_payload(), headers=auth(secret))
    listed = runner.invoke(args=["tokens", "list"]).stdout
    assert "last used never" not in listed


def test_revoke(app, runner, client):
    secret = _create(runner, "--org", "5007")
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    result = runner.invoke(args=["tokens", "revoke", str(token_id)])
    assert result.exit_code == 0
    assert f"Token {token_id} revoked." in result.stdout
    response = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(secret))
    assert response.status_code == 401
    assert "revoked" in runner.invoke(args=["tokens", "list"]).stdout
    again = runner.invoke(args=["tokens", "revoke", str(token_id)])
    assert again.exit_code == 0  # revoking twice is harmless


def test_revoke_an_unknown_token(runner):
    result = runner.invoke(args=["tokens", "revoke", "4711"])
    assert result.exit_code == 1
    assert "4711" in result.stderr
