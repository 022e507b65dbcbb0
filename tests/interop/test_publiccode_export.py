"""GET /api/v1/solutions/{slug}/publiccode.yml, and export → import giving the same solution."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.interop.publiccode_schema import validate
from tests.conftest import auth, solution_payload

IMPORT = "/api/v1/import/publiccode"
YAML = {"Content-Type": "application/yaml"}
SAME_FIELDS = (
    "name",
    "summary",
    "description",
    "kind",
    "status",
    "licence",
    "vendor",
    "links",
    "contact",
    "standards",
    "themes",
)
"""What survives export → import into a catalogue that does not hold the solution."""


def _rich_solution(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = dict(
        name="Timebestilling helsestasjon",
        summary=(
            "Innbyggerne bestiller, flytter og avbestiller time på helsestasjonen selv, får "
            "påminnelse på SMS og kan fylle ut skjema før timen; helsesykepleier ser alt i "
            "journalen, og ventelister fylles automatisk når noen avbestiller."
        ),
        description="Kort beskrivelse med **Markdown**.",
        kind="service",
        status="pilot",
        themes=["helse-og-omsorg"],
        standards=["id-porten", "helsenorge"],
        tags=["timebestilling", "online-booking"],
        vendor="Leverandør AS",
        licence="Proprietær",
        links={"homepage": "https://timebok.example/produkt"},
        contact={"name": "Kari Nordmann", "role": "Fagleder", "email": "kari@namsos.example"},
    )
    return solution_payload(**{**fields, **overrides})


def test_export_is_a_valid_publiccode_yml(
    client: FlaskClient, make_token: Callable[..., str]
) -> None:
    token = make_token()
    slug = client.post("/api/v1/solutions", json=_rich_solution(), headers=auth(token)).get_json()[
        "slug"
    ]
    response = client.get(f"/api/v1/solutions/{slug}/publiccode.yml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    report = validate(response.data)
    assert report.errors == []
    assert report.warnings == []
    text = response.get_data(as_text=True)
    assert "publiccodeYmlVersion: '0'" in text
    assert "developmentStatus: beta" in text
    assert "softwareType: standalone/web" in text
    assert "license: LicenseRef-proprietary" in text
    assert "- online-booking" in text
    assert "https://data.brreg.no/enhetsregisteret/api/enheter/942875967" in text


def test_export_then_import_gives_the_same_solution(
    client: FlaskClient, make_token: Callable[..., str]
) -> None:
    token = make_token()
    created = client.post("/api/v1/solutions", json=_rich_solution(), headers=auth(token))
    slug = created.get_json()["slug"]
    client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5007", "status": "in_use"},
        headers=auth(token),
    )
    before = client.get(f"/api/v1/solutions/{slug}").get_json()
    exported = client.get(f"/api/v1/solutions/{slug}/publiccode.yml").data

    # Into the catalogue that holds it: found by its url, nothing changes.
    again = client.post(IMPORT, data=exported, headers={**YAML, **auth(token)})
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["changed"] is False
    assert client.get(f"/api/v1/solutions/{slug}").get_json() == before

    # Into a catalogue without it: a new solution with the same content.
    version = before["version"]
    client.delete(f"/api/v1/solutions/{slug}", headers=auth(token, version))
    fresh = client.post(IMPORT, data=exported, headers={**YAML, **auth(token)})
    assert fresh.status_code == 201, fresh.get_json()
    after = fresh.get_json()["solution"]
    for name in SAME_FIELDS:
        assert after[name] == before[name], name
    # Free tags have no place in publiccode.yml; tags from its category list come back.
    assert after["tags"] == ["online-booking"]
    assert [a["organisation"]["slug"] for a in after["adoptions"]] == ["namsos"]
    assert fresh.get_json()["warnings"] == []


def test_round_trip_of_a_solution_with_source_code_and_an_open_licence(
    client: FlaskClient, make_token: Callable[..., str]
) -> None:
    token = make_token()
    body = _rich_solution(
        summary="Kort sammendrag av løsningen.",
        description="",
        kind="integration",
        licence="MIT",
        vendor=None,
        links={
            "source_code": "https://github.com/example-trondelag/timebok",
            "documentation": "https://timebok.example/docs",
        },
        contact={},
    )
    slug = client.post("/api/v1/solutions", json=body, headers=auth(token)).get_json()["slug"]
    before = client.get(f"/api/v1/solutions/{slug}").get_json()
    exported = client.get(f"/api/v1/solutions/{slug}/publiccode.yml").data
    assert validate(exported).errors == []
    client.delete(f"/api/v1/solutions/{slug}", headers=auth(token, before["version"]))
    after = client.post(IMPORT, data=exported, headers={**YAML, **auth(token)}).get_json()
    for name in SAME_FIELDS:
        assert after["solution"][name] == before[name], name


def test_every_example_solution_that_is_software_exports_validly(catalogue_app: Flask) -> None:
    client = catalogue_app.test_client()
    slugs = [
        s["slug"]
        for page in (1, 2)
        for s in client.get(f"/api/v1/solutions?page_size=100&page={page}").get_json()
    ]
    exported = 0
    for slug in slugs:
        response = client.get(f"/api/v1/solutions/{slug}/publiccode.yml")
        assert response.status_code in (200, 409), slug
        if response.status_code == 200:
            exported += 1
            assert validate(response.data).errors == [], slug
    assert exported > 10


def test_what_cannot_be_exported(client: FlaskClient, make_solution: Callable[..., str]) -> None:
    process = make_solution(kind="process", links={"homepage": "https://example.org"})
    response = client.get(f"/api/v1/solutions/{process}/publiccode.yml")
    assert response.status_code == 409
    assert "process" in response.get_json()["message"]
    no_links = make_solution(name="Uten lenker")
    response = client.get(f"/api/v1/solutions/{no_links}/publiccode.yml")
    assert response.status_code == 409
    assert "links.source_code" in response.get_json()["message"]
    assert client.get("/api/v1/solutions/finnes-ikke/publiccode.yml").status_code == 404


def test_is_based_on_carries_the_lineage_both_ways(
    client: FlaskClient, make_token: Callable[..., str]
) -> None:
    token = make_token()
    source = "https://github.com/example-trondelag/startlan"
    original = client.post(
        "/api/v1/solutions",
        json=_rich_solution(name="Startlån", links={"source_code": source}),
        headers=auth(token),
    ).get_json()
    body = _rich_solution(
        name="Startlån Namsos",
        links={"source_code": "https://github.com/example-namsos/startlan"},
        based_on=original["slug"],
    )
    variant = client.post("/api/v1/solutions", json=body, headers=auth(token)).get_json()
    exported = client.get(f"/api/v1/solutions/{variant['slug']}/publiccode.yml").data
    assert validate(exported).errors == []
    assert f"isBasedOn:\n- {source}".encode() in exported

    client.delete(f"/api/v1/solutions/{variant['slug']}", headers=auth(token, variant["version"]))
    imported = client.post(IMPORT, data=exported, headers={**YAML, **auth(token)}).get_json()
    assert imported["solution"]["based_on"] == original["slug"]
    assert "Basert på" not in imported["solution"]["description"]  # the link says it


def test_an_obsolete_file_retires_the_solution_with_a_reason(
    client: FlaskClient, make_token: Callable[..., str]
) -> None:
    token = make_token()
    slug = client.post(
        "/api/v1/solutions",
        json=_rich_solution(status="retired", retired_reason="Utgått."),
        headers=auth(token),
    ).get_json()["slug"]
    exported = client.get(f"/api/v1/solutions/{slug}/publiccode.yml").data
    assert b"developmentStatus: obsolete" in exported
    version = client.get(f"/api/v1/solutions/{slug}").get_json()["version"]
    client.delete(f"/api/v1/solutions/{slug}", headers=auth(token, version))
    imported = client.post(IMPORT, data=exported, headers={**YAML, **auth(token)}).get_json()
    assert imported["solution"]["status"] == "retired"
    assert "publiccode.yml" in imported["solution"]["retired_reason"]
