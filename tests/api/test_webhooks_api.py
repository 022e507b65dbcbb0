"""/api/v1/organisations/{ref}/webhooks: register, list, see deliveries, ping, retry, delete;
only for the organisation's own tokens (or an admin's), with clear 4xx on bad input."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.services import webhooks
from tests.conftest import auth
from tests.webhook_receiver import Receiver, free_port

BASE = "/api/v1/organisations/5007/webhooks"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()


def _round(app: Flask) -> dict[str, int]:
    with app.app_context():
        return webhooks.work_once()


def test_register_list_deliver_and_delete(
    app: Flask,
    client: FlaskClient,
    make_token: Callable[..., str],
    make_solution: Callable[..., str],
    receiver: Receiver,
) -> None:
    token = make_token("5007")
    created = client.post(
        BASE, json={"url": receiver.url, "topics": ["solutions"]}, headers=auth(token)
    )
    assert created.status_code == 201, created.json
    hook = created.json
    secret = hook.pop("secret")
    assert secret.startswith("gkwh_")
    assert hook["organisation"] == "namsos"
    assert hook["topics"] == ["solutions"]
    assert hook["last_outcome"] is None
    listed = client.get(BASE, headers=auth(token))
    assert listed.status_code == 200
    assert [h["id"] for h in listed.json] == [hook["id"]]
    assert "secret" not in listed.json[0]  # shown once only
    slug = make_solution()
    _round(app)
    got = receiver.received[0]
    assert got.json["data"]["solution"]["slug"] == slug
    expected = hmac.new(secret.encode(), got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-Gjenbruk-Signature-256"] == f"sha256={expected}"
    one = client.get(f"{BASE}/{hook['id']}", headers=auth(token)).json
    assert (one["last_outcome"], one["last_response"]) == ("delivered", 204)
    deliveries = client.get(f"{BASE}/{hook['id']}/deliveries", headers=auth(token)).json
    assert [(d["event"], d["status"], d["attempts"]) for d in deliveries] == [
        ("solution.created", "delivered", 1)
    ]
    pinged = client.post(f"{BASE}/{hook['id']}/ping", json={}, headers=auth(token))
    assert pinged.status_code == 202
    assert (pinged.json["event"], pinged.json["status"]) == ("ping", "pending")
    _round(app)
    assert receiver.events() == ["solution.created", "ping"]
    assert client.delete(f"{BASE}/{hook['id']}", headers=auth(token)).status_code == 204
    assert client.get(BASE, headers=auth(token)).json == []
    assert client.get(f"{BASE}/{hook['id']}", headers=auth(token)).status_code == 404


def test_retry_a_refused_delivery(
    app: Flask,
    client: FlaskClient,
    make_token: Callable[..., str],
    make_solution: Callable[..., str],
) -> None:
    token = make_token("5007")
    port = free_port()
    hook = client.post(BASE, json={"url": f"http://127.0.0.1:{port}/x"}, headers=auth(token)).json
    make_solution()
    _round(app)
    [delivery] = client.get(f"{BASE}/{hook['id']}/deliveries", headers=auth(token)).json
    assert delivery["status"] == "pending"
    assert delivery["response_status"] is None
    assert delivery["last_error"]
    back = Receiver(port=port).start()
    try:
        retried = client.post(
            f"{BASE}/{hook['id']}/deliveries/{delivery['id']}/retry", json={}, headers=auth(token)
        )
        assert retried.status_code == 202
        _round(app)
        assert back.events() == ["solution.created"]
    finally:
        back.stop()
    missing = client.post(
        f"{BASE}/{hook['id']}/deliveries/999999/retry", json={}, headers=auth(token)
    )
    assert missing.status_code == 404


def test_only_the_organisation_and_admins(
    client: FlaskClient, make_token: Callable[..., str], receiver: Receiver
) -> None:
    mine = make_token("5007")
    theirs = make_token("5001")
    admin = make_token("5001", role="admin")
    hook = client.post(BASE, json={"url": receiver.url}, headers=auth(mine)).json
    assert client.get(BASE).status_code == 401
    assert client.post(BASE, json={"url": receiver.url}).status_code == 401
    assert client.get(BASE, headers=auth(theirs)).status_code == 403
    assert client.post(BASE, json={"url": receiver.url}, headers=auth(theirs)).status_code == 403
    assert client.delete(f"{BASE}/{hook['id']}", headers=auth(theirs)).status_code == 403
    # Trondheim's own URL does not reach Namsos's webhook either.
    other = f"/api/v1/organisations/5001/webhooks/{hook['id']}"
    assert client.get(other, headers=auth(theirs)).status_code == 404
    assert client.delete(other, headers=auth(theirs)).status_code == 404
    assert client.get(BASE, headers=auth(admin)).status_code == 200
    assert client.get(f"{BASE}/{hook['id']}", headers=auth(admin)).status_code == 200
    assert client.get("/api/v1/organisations/9999/webhooks", headers=auth(admin)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://mottak.namsos.kommune.no/hook"}, "url"),
        ({"url": "https://127.0.0.1/hook"}, "url"),
        ({"url": "https://localhost:8443/hook"}, "url"),
        ({"url": "https://[::1]/hook"}, "url"),
        ({"url": "https://169.254.169.254/"}, "url"),
        ({"url": "ikke en adresse"}, "url"),
        ({"url": "https://x.no/" + "a" * 600}, "url"),
        ({"url": "https://mottak.no/\u0000"}, "url"),
        ({}, "url"),
        ({"url": 5}, "url"),
        ({"url": "https://mottak.no/", "topics": ["everything"]}, "topics"),
        ({"url": "https://mottak.no/", "topics": []}, "topics"),
        ({"url": "https://mottak.no/", "topics": "solutions"}, "topics"),
        ({"url": "https://mottak.no/", "extra": 1}, "extra"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    app: Flask, client: FlaskClient, make_token: Callable[..., str], body: dict, field: str
) -> None:
    app.config["WEBHOOK_ALLOW_LOOPBACK"] = False
    response = client.post(BASE, json=body, headers=auth(make_token("5007")))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"], response.json


def test_at_most_ten_per_organisation(client: FlaskClient, make_token: Callable[..., str]) -> None:
    token = make_token("5007")
    for n in range(10):
        url = f"http://127.0.0.1:{9000 + n}/x"
        assert client.post(BASE, json={"url": url}, headers=auth(token)).status_code == 201
    eleventh = client.post(BASE, json={"url": "http://127.0.0.1:9999/x"}, headers=auth(token))
    assert eleventh.status_code == 422
    assert "at most 10" in eleventh.json["errors"]["json"]["url"][0]


def test_documented(client: FlaskClient) -> None:
    spec = client.get("/api/openapi.json").json
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/organisations/{ref}/webhooks"])
    assert "delete" in paths["/api/v1/organisations/{ref}/webhooks/{webhook_id}"]
    assert "secret" in spec["components"]["schemas"]["CreatedWebhook"]["properties"]
