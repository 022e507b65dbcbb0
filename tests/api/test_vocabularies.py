"""/api/v1/themes and /api/v1/standards: the vocabularies loaded from catalogue_data/."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REFERENCE = Path("/work/shared/reference/los-hovedtema.csv")


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference list is not here")
def test_themes_are_the_14_los_main_themes(client):
    response = client.get("/api/v1/themes")
    assert response.status_code == 200
    with REFERENCE.open(encoding="utf-8") as fh:
        reference = {row["uri"]: row["navn"] for row in csv.DictReader(fh)}
    assert len(reference) == 14
    assert {t["uri"]: t["name"] for t in response.json} == reference
    for theme in response.json:
        assert theme["slug"] == theme["uri"].rstrip("/").rsplit("/", 1)[-1]


def test_themes_are_sorted_by_name(client):
    names = [t["name"] for t in client.get("/api/v1/themes").json]
    assert names == sorted(names)


def test_standards(client):
    response = client.get("/api/v1/standards")
    assert response.status_code == 200
    standards = response.json
    assert len(standards) >= 15
    slugs = {s["slug"] for s in standards}
    assert {"noark-5", "fiks-svarut", "id-porten", "maskinporten", "altinn", "fhir"} <= slugs
    assert [s["name"] for s in standards] == sorted(s["name"] for s in standards)
    for standard in standards:
        assert set(standard) == {"slug", "name", "description", "url", "category"}
        assert standard["category"] in ("standard", "felleskomponent", "register", "api")


def test_vocabularies_are_read_only(client):
    for path in ("/api/v1/themes", "/api/v1/standards"):
        assert client.post(path, json={"slug": "x"}).status_code == 405
