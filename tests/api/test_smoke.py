"""A first end-to-end check of the publishing flow (the full matrix lives beside it)."""

from __future__ import annotations

from tests.conftest import auth, solution_payload


def test_publish_solution_and_adoption(client, make_token):
    token = make_token("5007")
    response = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(token))
    assert response.status_code == 201, response.json
    slug = response.json["slug"]
    assert response.headers["ETag"] == '"1"'
    response = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5007", "status": "in_use"},
        headers=auth(token),
    )
    assert response.status_code == 201, response.json
