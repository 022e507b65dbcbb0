"""The solutions a kommune page shows first: ranked once per catalogue position, never a draft."""

from __future__ import annotations

from flask import Flask

from app.services import position_cache
from app.services.organisation_profiles import get_organisation_profile
from tests.conftest import auth, solution_payload


def _cards(app: Flask) -> list[str]:
    with app.app_context():
        profile = get_organisation_profile("5007", shared_limit=12)
        return [card.solution.slug for card in profile.shared]


def test_the_ranked_cards_follow_writes_and_leave_drafts_out(
    app, client, make_token, make_solution
):
    published = make_solution(name="Synlig løsning")
    token = make_token("5007")
    response = client.post(
        "/api/v1/solutions",
        json=solution_payload(name="Utkast", is_draft=True),
        headers=auth(token),
    )
    assert response.status_code == 201, response.json
    draft = response.json["slug"]
    assert _cards(app) == [published]
    assert "shared_cards" in app.extensions[position_cache.EXTENSION]
    assert _cards(app) == [published]  # from the kept ranking
    publish = client.patch(
        f"/api/v1/solutions/{draft}",
        json={"is_draft": False},
        headers=auth(token, response.json["version"]),
    )
    assert publish.status_code == 200, publish.json
    assert sorted(_cards(app)) == sorted([published, draft])
