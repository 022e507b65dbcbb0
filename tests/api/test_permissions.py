"""Who may write what: the permission matrix of every write of the API.

A publisher token of organisation X may publish and change solutions owned by X and adoptions
of X; an admin token may do anything; anonymous, unknown and revoked tokens get 401.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from app.services import tokens
from tests.conftest import auth, solution_payload

OWNER = "5007"  # Namsos owns the solution
ADOPTER = "5001"  # Trondheim uses it


@dataclass(frozen=True)
class Write:
    """One write operation of the API, set up on a solution owned by OWNER."""

    method: str
    path: str
    body: dict[str, Any] | None
    ok: int
    needs_adoption: bool = False
    conditional: bool = False
    """A POST on an existing resource, which takes If-Match like PUT, PATCH and DELETE."""

    @property
    def on_existing(self) -> bool:
        return self.method != "POST" or self.conditional


WRITES = {
    "POST solution": Write("POST", "/api/v1/solutions", solution_payload(owner=OWNER), 201),
    "PUT solution": Write("PUT", "/api/v1/solutions/{slug}", solution_payload(owner=OWNER), 200),
    "PATCH solution": Write("PATCH", "/api/v1/solutions/{slug}", {"status": "pilot"}, 200),
    "DELETE solution": Write("DELETE", "/api/v1/solutions/{slug}", None, 204),
    "POST solution confirmation": Write(
        "POST", "/api/v1/solutions/{slug}/confirmation", {}, 200, conditional=True
    ),
    "POST adoption via solution": Write(
        "POST",
        "/api/v1/solutions/{slug}/adoptions",
        {"organisation": ADOPTER, "status": "in_use"},
        201,
    ),
    "POST adoption via organisation": Write(
        "POST",
        f"/api/v1/organisations/{ADOPTER}/adoptions",
        {"solution": "{slug}", "status": "in_use"},
        201,
    ),
    "PUT adoption": Write(
        "PUT",
        f"/api/v1/solutions/{{slug}}/adoptions/{ADOPTER}",
        {"status": "retired", "status_reason": "Bytter system."},
        200,
        True,
    ),
    "PATCH adoption": Write(
        "PATCH", f"/api/v1/solutions/{{slug}}/adoptions/{ADOPTER}", {"notes": "Ok."}, 200, True
    ),
    "DELETE adoption": Write(
        "DELETE", f"/api/v1/solutions/{{slug}}/adoptions/{ADOPTER}", None, 204, True
    ),
}
"""Every write the API offers (``test_openapi`` checks that the list is complete)."""

SOLUTION_WRITES = [name for name in WRITES if "adoption" not in name]


def _rightful(write: str) -> str:
    """Return the organisation whose publisher may make this write."""
    return OWNER if write in SOLUTION_WRITES else ADOPTER


def _other(write: str) -> str:
    """Return an organisation whose publisher may not (the owner may not speak for adopters)."""
    return "5006" if write in SOLUTION_WRITES else OWNER


@pytest.fixture
def headers_of(app: Flask, make_token: Callable[..., str]) -> Callable[[str, str], dict]:
    """Return a factory: (who, write) → the request's Authorization header (or none)."""

    def make(who: str, write: str) -> dict[str, str]:
        if who == "anonymous":
            return {}
        if who == "unknown token":
            return auth("gk_" + "x" * 43)
        if who == "not a bearer":
            return {"Authorization": f"Basic {make_token(_rightful(write))}"}
        if who == "revoked token":
            secret = make_token(_rightful(write))
            with app.app_context():
                token = tokens.list_tokens(_rightful(write))[0]
                tokens.revoke_token(token.id)
            return auth(secret)
        if who == "publisher of the owner/adopter":
            return auth(make_token(_rightful(write)))
        if who == "publisher of another organisation":
            return auth(make_token(_other(write)))
        if who == "admin":
            return auth(make_token("trondelag-fylkeskommune", role="admin"))
        raise AssertionError(who)

    return make


@pytest.fixture
def target(client, make_solution, make_token) -> Callable[[str], tuple[str, dict | None]]:
    """Return a factory: write → (path, body), after setting up what the write changes."""

    def make(write: str) -> tuple[str, dict | None]:
        spec = WRITES[write]
        slug = make_solution(owner=OWNER)
        if spec.needs_adoption:
            response = client.post(
                f"/api/v1/solutions/{slug}/adoptions",
                json={"organisation": ADOPTER, "status": "pilot"},
                headers=auth(make_token(ADOPTER)),
            )
            assert response.status_code == 201
        body = spec.body and {
            key: value.format(slug=slug) if isinstance(value, str) else value
            for key, value in spec.body.items()
        }
        return spec.path.format(slug=slug), body

    return make


MATRIX = [
    ("anonymous", None),
    ("unknown token", None),
    ("revoked token", None),
    ("not a bearer", None),
    ("publisher of the owner/adopter", "ok"),
    ("publisher of another organisation", 403),
    ("admin", "ok"),
]


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize(("who", "expected"), MATRIX, ids=[who for who, _ in MATRIX])
def test_permission_matrix(client, headers_of, target, write, who, expected):
    spec = WRITES[write]
    path, body = target(write)
    headers = headers_of(who, write)
    if spec.on_existing:
        headers["If-Match"] = '"1"'

    response = client.open(path, method=spec.method, json=body, headers=headers)

    if expected is None:
        assert response.status_code == 401, response.json
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json["code"] == 401
    elif expected == 403:
        assert response.status_code == 403, response.json
        assert response.json["code"] == 403
        # The reason names the token's organisation or the one it may not act for.
        assert "token" in response.json["message"]
    else:
        assert response.status_code == spec.ok, response.json


@pytest.mark.parametrize("write", [w for w in WRITES if WRITES[w].on_existing])
def test_anonymous_writes_to_missing_things_are_401_not_404(client, write):
    spec = WRITES[write]
    path = spec.path.format(slug="no-such-solution")
    response = client.open(path, method=spec.method, json={"nonsense": True})
    assert response.status_code == 401


@pytest.mark.parametrize("write", list(WRITES))
def test_anonymous_writes_with_a_bad_body_are_401_not_422(client, target, write):
    path, _ = target(write)
    response = client.open(path, method=WRITES[write].method, json={"nonsense": True})
    assert response.status_code == 401


@pytest.mark.parametrize("write", [w for w in WRITES if WRITES[w].on_existing])
def test_a_forbidden_change_is_403_before_any_etag_check(client, headers_of, target, write):
    spec = WRITES[write]
    path, body = target(write)
    headers = headers_of("publisher of another organisation", write)  # and no If-Match
    response = client.open(path, method=spec.method, json=body, headers=headers)
    assert response.status_code == 403


def test_a_publisher_may_not_move_a_solution_to_another_owner(client, make_token, make_solution):
    slug = make_solution(owner=OWNER)
    publisher = make_token(OWNER)
    moved = client.patch(
        f"/api/v1/solutions/{slug}", json={"owner": "5001"}, headers=auth(publisher, 1)
    )
    assert moved.status_code == 403
    assert "owner" in moved.json["message"]
    replaced = client.put(
        f"/api/v1/solutions/{slug}", json=solution_payload(owner="5001"), headers=auth(publisher, 1)
    )
    assert replaced.status_code == 403
    assert client.get(f"/api/v1/solutions/{slug}").json["owner"] == "namsos"
    # Naming its own organisation is no move.
    same = client.patch(
        f"/api/v1/solutions/{slug}", json={"owner": "namsos"}, headers=auth(publisher, 1)
    )
    assert same.status_code == 200


def test_an_admin_may_move_a_solution(client, make_token, make_solution):
    slug = make_solution(owner=OWNER)
    admin = make_token("5001", role="admin")
    moved = client.patch(
        f"/api/v1/solutions/{slug}", json={"owner": "5006"}, headers=auth(admin, 1)
    )
    assert moved.status_code == 200
    assert moved.json["owner"] == "steinkjer"
    # The old owner's publisher has lost it, the new owner's has it.
    assert (
        client.patch(
            f"/api/v1/solutions/{slug}",
            json={"status": "pilot"},
            headers=auth(make_token(OWNER), 2),
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"/api/v1/solutions/{slug}",
            json={"status": "pilot"},
            headers=auth(make_token("5006"), 2),
        ).status_code
        == 200
    )


def test_a_publisher_may_not_publish_for_another_owner(client, make_token):
    response = client.post(
        "/api/v1/solutions", json=solution_payload(owner="5001"), headers=auth(make_token(OWNER))
    )
    assert response.status_code == 403
    assert "namsos" in response.json["message"]


def test_reads_need_no_token(client, make_solution):
    slug = make_solution()
    for path in (
        "/api/v1/solutions",
        f"/api/v1/solutions/{slug}",
        f"/api/v1/solutions/{slug}/adoptions",
        "/api/v1/organisations",
        "/api/v1/organisations/5007",
        "/api/v1/organisations/5007/solutions",
        "/api/v1/organisations/5007/adoptions",
        "/api/v1/themes",
        "/api/v1/standards",
    ):
        assert client.get(path).status_code == 200, path


def test_a_revoked_token_stops_working_at_once(app, client, make_token):
    secret = make_token(OWNER)
    assert (
        client.post("/api/v1/solutions", json=solution_payload(), headers=auth(secret)).status_code
        == 201
    )
    with app.app_context():
        tokens.revoke_token(tokens.list_tokens(OWNER)[0].id)
    response = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(secret))
    assert response.status_code == 401
