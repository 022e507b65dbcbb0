"""Adoptions: recorded per solution and per organisation, read, changed and removed.

Permissions are in ``test_permissions.py``, bad input in ``test_validation.py``.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import auth


def test_record_an_adoption_as_in_the_issue(client, make_token, make_solution):
    slug = make_solution()
    response = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5001", "status": "in_use"},
        headers=auth(make_token("5001")),
    )
    assert response.status_code == 201, response.json
    assert response.headers["ETag"] == '"1"'
    body = response.json
    assert body["organisation"]["slug"] == "trondheim"
    assert body["solution"]["slug"] == slug
    assert body["status"] == "in_use"
    assert body["since"] is None
    assert body["notes"] == ""
    assert body["version"] == 1
    assert datetime.fromisoformat(body["created_at"]).utcoffset().total_seconds() == 0


def test_record_through_the_organisation(client, make_token, make_solution):
    slug = make_solution()
    response = client.post(
        "/api/v1/organisations/trondheim/adoptions",
        json={"solution": slug, "status": "pilot", "since": "2025-03-01"},
        headers=auth(make_token("5001")),
    )
    assert response.status_code == 201, response.json
    assert response.json["organisation"]["kommunenummer"] == "5001"
    assert response.json["since"] == "2025-03-01"
    assert client.get(f"/api/v1/solutions/{slug}/adoptions/5001").status_code == 200


def test_adoption_flow(client, make_token, make_solution):
    slug = make_solution()
    token = make_token("5001")
    created = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={
            "organisation": "trondheim",
            "status": "considering",
            "contact": {"name": "Per", "email": "per@trondheim.example"},
            "notes": "Vurderes for 2026.",
        },
        headers=auth(token),
    )
    assert created.status_code == 201, created.json
    url = f"/api/v1/solutions/{slug}/adoptions/5001"
    for ref in ("5001", "trondheim"):
        read = client.get(f"/api/v1/solutions/{slug}/adoptions/{ref}")
        assert read.status_code == 200
        assert read.headers["ETag"] == '"1"'
        assert read.json == created.json

    listed = client.get(f"/api/v1/solutions/{slug}/adoptions").json
    assert [a["organisation"]["slug"] for a in listed] == ["trondheim"]
    by_org = client.get("/api/v1/organisations/5001/adoptions").json
    assert [a["solution"]["slug"] for a in by_org] == [slug]

    replaced = client.put(url, json={"status": "in_use"}, headers=auth(token, 1))
    assert replaced.status_code == 200, replaced.json
    assert replaced.headers["ETag"] == '"2"'
    assert replaced.json["status"] == "in_use"
    assert replaced.json["notes"] == ""  # PUT replaces: what it leaves out is cleared
    assert replaced.json["contact"] == {"name": None, "role": None, "email": None}

    patched = client.patch(
        url, json={"notes": "I drift.", "contact": {"role": "Rådgiver"}}, headers=auth(token, 2)
    )
    assert patched.status_code == 200, patched.json
    assert patched.headers["ETag"] == '"3"'
    assert patched.json["status"] == "in_use"
    assert patched.json["notes"] == "I drift."
    assert patched.json["contact"]["role"] == "Rådgiver"

    solution = client.get(f"/api/v1/solutions/{slug}").json
    assert solution["adoption_count"] == 1

    deleted = client.delete(url, headers=auth(token, 3))
    assert deleted.status_code == 204
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/solutions/{slug}/adoptions").json == []
    assert client.get(f"/api/v1/solutions/{slug}").json["adoption_count"] == 0


@pytest.mark.parametrize("via", ["solution", "organisation"])
def test_a_second_adoption_by_the_same_organisation_is_409(client, make_token, make_solution, via):
    slug = make_solution()
    token = make_token("5001")
    first = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5001", "status": "in_use"},
        headers=auth(token),
    )
    assert first.status_code == 201
    if via == "solution":
        second = client.post(
            f"/api/v1/solutions/{slug}/adoptions",
            json={"organisation": "trondheim", "status": "pilot"},
            headers=auth(token),
        )
    else:
        second = client.post(
            "/api/v1/organisations/5001/adoptions",
            json={"solution": slug, "status": "pilot"},
            headers=auth(token),
        )
    assert second.status_code == 409
    assert second.json["code"] == 409
    assert "already" in second.json["message"]
    assert client.get(f"/api/v1/solutions/{slug}/adoptions/5001").json["status"] == "in_use"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_adoption_changes_need_the_current_etag(client, make_token, make_solution, method):
    slug = make_solution()
    token = make_token("5001")
    client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5001", "status": "pilot"},
        headers=auth(token),
    )
    url = f"/api/v1/solutions/{slug}/adoptions/5001"
    client.patch(url, json={"notes": "x"}, headers=auth(token, 1))
    body = {"status": "in_use"} if method != "DELETE" else None

    def send(headers):
        return client.open(url, method=method, json=body, headers=headers)

    assert send(auth(token)).status_code == 428
    assert send(auth(token, 1)).status_code == 412
    assert send({**auth(token), "If-Match": "*"}).status_code == 412
    current = send(auth(token, 2))
    assert current.status_code == (204 if method == "DELETE" else 200)
    if method != "DELETE":
        assert current.headers["ETag"] == '"3"'


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/solutions/no-such-solution/adoptions",
        "/api/v1/organisations/no-such-org/adoptions",
        "/api/v1/organisations/9999/adoptions",
        "/api/v1/solutions/{slug}/adoptions/9999",
        "/api/v1/solutions/{slug}/adoptions/5001",  # the organisation exists, the adoption not
        "/api/v1/solutions/no-such-solution/adoptions/5001",
    ],
)
def test_missing_adoptions_are_404(client, make_solution, path):
    response = client.get(path.format(slug=make_solution()))
    assert response.status_code == 404
    assert response.json["code"] == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/solutions/no-such-solution/adoptions", {"organisation": "5001"}),
        ("POST", "/api/v1/organisations/no-such-org/adoptions", {"solution": "{slug}"}),
        ("PUT", "/api/v1/solutions/{slug}/adoptions/5001", {}),
        ("PATCH", "/api/v1/solutions/{slug}/adoptions/5001", {}),
        ("DELETE", "/api/v1/solutions/{slug}/adoptions/5001", None),
    ],
)
def test_writes_to_missing_adoptions_are_404(client, make_token, make_solution, method, path, body):
    slug = make_solution()
    if body is not None:
        body = {"status": "in_use", **{k: v.format(slug=slug) for k, v in body.items()}}
    response = client.open(
        path.format(slug=slug),
        method=method,
        json=body,
        headers=auth(make_token("5001", role="admin"), 1),
    )
    assert response.status_code == 404, response.json


def test_adoptions_of_an_organisation_are_ordered_by_solution_name(
    client, make_token, make_solution
):
    slugs = [make_solution(name=name) for name in ("Ørnereir", "Arkivplan", "Meldingsbok")]
    token = make_token("5001")
    for slug in slugs:
        response = client.post(
            "/api/v1/organisations/5001/adoptions",
            json={"solution": slug, "status": "planned"},
            headers=auth(token),
        )
        assert response.status_code == 201
    listed = client.get("/api/v1/organisations/5001/adoptions").json
    assert [a["solution"]["name"] for a in listed] == ["Arkivplan", "Meldingsbok", "Ørnereir"]
