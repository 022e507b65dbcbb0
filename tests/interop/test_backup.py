"""`flask catalogue export FILE` / `flask catalogue import FILE`: a lossless backup."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.schema_upgrade import upgrade_schema
from app.services import backup, tokens
from tests.conftest import auth, solution_payload


def _get(client: FlaskClient, url: str, seen: dict[str, Any]) -> Any:
    response = client.get(url)
    seen[url] = (
        response.status_code,
        response.get_json() if response.is_json else response.get_data(as_text=True),
        response.headers.get("ETag"),
        response.headers.get("X-Pagination"),
    )
    return seen[url][1]


def snapshot(client: FlaskClient) -> dict[str, Any]:
    """Return the answer of every list and detail endpoint of the API."""
    seen: dict[str, Any] = {}
    for url in ("/api/v1/themes", "/api/v1/standards", "/api/v1/stats"):
        _get(client, url, seen)
    solutions = []
    for page in (1, 2, 3):
        solutions += _get(client, f"/api/v1/solutions?page_size=100&page={page}", seen)
    organisations = _get(client, "/api/v1/organisations?page_size=100", seen)
    for solution in solutions:
        slug = solution["slug"]
        for tail in ("", "/adoptions", "/benefits", "/publiccode.yml"):
            _get(client, f"/api/v1/solutions/{slug}{tail}", seen)
        for adoption in _get(client, f"/api/v1/solutions/{slug}/adoptions", seen):
            ref = adoption["organisation"]["slug"]
            _get(client, f"/api/v1/solutions/{slug}/adoptions/{ref}", seen)
            for benefit in _get(client, f"/api/v1/solutions/{slug}/adoptions/{ref}/benefits", seen):
                _get(
                    client,
                    f"/api/v1/solutions/{slug}/adoptions/{ref}/benefits/{benefit['id']}",
                    seen,
                )
    for organisation in organisations:
        ref = organisation["slug"]
        for tail in ("", "/solutions", "/adoptions", "/benefits"):
            _get(client, f"/api/v1/organisations/{ref}{tail}", seen)
    hits = _get(client, "/api/v1/search?q=byggesak", seen)
    # BM25 scores also count the documents an index has replaced over its life, so a rebuilt
    # index scores a little differently; the hits, their order and the facets must not differ.
    for hit in hits["results"] if isinstance(hits, dict) else []:
        hit.pop("score", None)
    return seen


@pytest.fixture
def restored_app(empty_app: Flask, tmp_path: Path) -> Flask:
    """Return a second app on a brand-new database: no tables at all (``catalogue import``
    makes the schema, as ``catalogue init`` does)."""
    empty_app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "restored-index")
    return empty_app


@pytest.fixture
def migrated_app(restored_app: Flask) -> Flask:
    """Return the new database with the schema and nothing else."""
    with restored_app.app_context():
        upgrade_schema()
    return restored_app


def _enrich(client: FlaskClient, make_token: Callable[..., str]) -> str:
    """Add what the example data lacks: benefits, a status history, tokens."""
    admin = make_token(role="admin")
    slug = client.get("/api/v1/solutions?page_size=1").get_json()[0]["slug"]
    adoption = client.get(f"/api/v1/solutions/{slug}/adoptions").get_json()[0]
    ref = adoption["organisation"]["slug"]
    response = client.post(
        f"/api/v1/solutions/{slug}/adoptions/{ref}/benefits",
        json={
            "category": "time_saved",
            "expected_value": 120.5,
            "realised_value": 99.25,
            "measured_on": "2025-03-01",
            "is_measured": True,
            "description": "Målt over ett år – «før og etter».",
        },
        headers=auth(admin),
    )
    assert response.status_code == 201, response.get_json()
    new_status = "retired" if adoption["status"] != "retired" else "in_use"
    response = client.patch(
        f"/api/v1/solutions/{slug}/adoptions/{ref}",
        json={"status": new_status, "status_reason": "Bytter til en felles løsning."},
        headers=auth(admin, adoption["version"]),
    )
    assert response.status_code == 200
    # Lineage that points forward: an example solution becomes a variant of a newer one.
    newest = client.post(
        "/api/v1/solutions", json=solution_payload(owner="5001"), headers=auth(admin)
    ).get_json()
    response = client.patch(
        f"/api/v1/solutions/{slug}",
        json={"based_on": newest["slug"], "based_on_kind": "variant_of"},
        headers=auth(admin, client.get(f"/api/v1/solutions/{slug}").get_json()["version"]),
    )
    assert response.status_code == 200, response.get_json()
    return make_token("5001")


def test_backup_round_trip_gives_identical_api_output(
    catalogue_app: Flask, restored_app: Flask, make_token: Callable[..., str], tmp_path: Path
) -> None:
    client = catalogue_app.test_client()
    secret = _enrich(client, make_token)
    before = snapshot(client)
    file = tmp_path / "backup.json"

    result = catalogue_app.test_cli_runner().invoke(args=["catalogue", "export", str(file)])
    assert result.exit_code == 0, result.output
    assert "Exported" in result.output
    document = json.loads(file.read_text(encoding="utf-8"))
    assert document["tables"]["api_tokens"][0]["token_hash"]
    assert secret not in file.read_text(encoding="utf-8")
    assert "changes" not in document["tables"]
    assert document["tables"]["adoption_status_changes"]
    assert document["tables"]["collaboration_members"]

    result = restored_app.test_cli_runner().invoke(args=["catalogue", "import", str(file)])
    assert result.exit_code == 0, result.output
    assert "Search index built with" in result.output
    after = snapshot(restored_app.test_client())
    assert after.keys() == before.keys()
    for url, answer in before.items():
        assert after[url] == answer, url
    with restored_app.app_context():
        assert tokens.authenticate(secret).organisation_slug == "trondheim"

    # New rows get fresh ids after the restored ones.
    created = restored_app.test_client().post(
        "/api/v1/solutions",
        json={
            "name": "Ny løsning etter gjenoppretting",
            "summary": "Registrert etter at katalogen ble gjenopprettet.",
            "kind": "system",
            "status": "idea",
            "owner": "5001",
            "themes": ["arbeid"],
        },
        headers=auth(secret),
    )
    assert created.status_code == 201, created.get_json()

    again = restored_app.test_cli_runner().invoke(args=["catalogue", "import", str(file)])
    assert again.exit_code == 1
    assert "not empty" in again.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "Not JSON"),
        ('{"format": "other"}', "format"),
        ('{"format": "gjenbrukskatalogen-backup", "version": 99, "tables": {}}', "version"),
        (
            '{"format": "gjenbrukskatalogen-backup", "version": 1, "tables": {"nope": []}}',
            "tables.nope: Unknown table",
        ),
        (
            '{"format": "gjenbrukskatalogen-backup", "version": 1, "tables": {"themes": '
            '[{"id": "x", "slug": "a", "name": "A", "uri": "https://a.example", "extra": 1}]}}',
            "tables.themes[0].id",
        ),
        (
            '{"format": "gjenbrukskatalogen-backup", "version": 1, "tables": {"solution_tags": '
            '[{"solution_id": 1, "tag": "x"}]}}',
            "inconsistent",
        ),
    ],
)
def test_a_bad_backup_restores_nothing(
    migrated_app: Flask, tmp_path: Path, content: str, message: str
) -> None:
    restored_app = migrated_app
    file = tmp_path / "backup.json"
    file.write_text(content, encoding="utf-8")
    result = restored_app.test_cli_runner().invoke(args=["catalogue", "import", str(file)])
    assert result.exit_code == 1
    assert message in result.output
    with restored_app.app_context():
        assert backup.is_empty()
