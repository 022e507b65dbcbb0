"""POST /api/v1/import/publiccode and `flask import publiccode`: the reference test files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import auth
from tests.interop.conftest import reference_files, require_testdata

URL = "/api/v1/import/publiccode"
YAML = {"Content-Type": "application/yaml"}

NEEDS_NETWORK = {
    "description_en_screenshots_missing_file.yml": "whether a screenshot exists needs the "
    "repository's files (fetched over the network)",
    "description_en_videos_invalid_oembed.yml": "whether a video URL supports oEmbed needs the "
    "oEmbed providers' register, which an offline catalogue does not have",
    "fundedBy_uri_wrong_italian_pa2.yml": "whether an iPA code exists needs the Italian iPA "
    "register (indicepa.gov.it)",
    "organisation_uri_wrong_italian_pa2.yml": "whether an iPA code exists needs the Italian iPA "
    "register (indicepa.gov.it)",
    "logo_missing_file.yml": "whether the logo file exists needs the repository's files",
    "logo_missing_url.yml": "whether the logo URL answers needs the network",
    "monochromeLogo_missing_file.yml": "whether the logo file exists needs the repository's files",
}
"""Invalid files that only the network (or a foreign register) can refuse: skipped, with why."""

EXPECTED_KEYS: dict[str, list[str]] = {
    "applicationSuite_wrong_type.yml": ["applicationSuite"],
    "categories_invalid.yml": ["categories[0]"],
    "dependsOn_open_name_wrong_type.yml": ["dependsOn.open[0].name"],
    "dependsOn_open_versionMax_wrong_type.yml": ["dependsOn.open[0].versionMax"],
    "dependsOn_open_versionMin_wrong_type.yml": ["dependsOn.open[0].versionMin"],
    "dependsOn_open_version_wrong_type.yml": ["dependsOn.open[0].version"],
    "description_en_apiDocumentation_wrong_type.yml": ["description.en.apiDocumentation"],
    "description_en_awards_wrong_type.yml": ["description.en.awards"],
    "description_en_documentation_invalid.yml": ["description.en.documentation"],
    "description_en_features_empty.yml": ["description.en.features"],
    "description_en_features_missing.yml": ["description.en.features"],
    "description_en_gb_invalid_bcp47.yml": ["description.en_GB"],
    "description_en_localisedName_wrong_type.yml": ["description.en.localisedName"],
    "description_en_longDescription_missing.yml": ["description.en.longDescription"],
    "description_en_longDescription_too_long.yml": ["description.en.longDescription"],
    "description_en_longDescription_too_short_grapheme_clusters.yml": [
        "description.en.longDescription"
    ],
    "description_en_shortDescription_missing.yml": ["description.en.shortDescription"],
    "description_invalid_language.yml": ["description.xxx"],
    "developmentStatus_invalid.yml": ["developmentStatus"],
    "developmentStatus_wrong_type.yml": ["developmentStatus"],
    "file_encoding.yml": ["(file)"],
    "fundedBy_uri_missing.yml": ["fundedBy[0].uri"],
    "fundedBy_wrong_type.yml": ["fundedBy"],
    "fundedBy_wrong_uri.yml": ["fundedBy[0].uri"],
    "inputTypes_wrong_type.yml": ["inputTypes"],
    "intendedAudience_countries_invalid_country.yml": ["intendedAudience.countries[2]"],
    "intendedAudience_countries_invalid_iso_3166_1_alpha_2.yml": ["intendedAudience.countries[2]"],
    "intendedAudience_scope_invalid_scope.yml": ["intendedAudience.scope[0]"],
    "intendedAudience_scope_wrong_type.yml": ["intendedAudience.scope"],
    "intendedAudience_unsupportedCountries_invalid_country.yml": [
        "intendedAudience.unsupportedCountries[0]"
    ],
    "intendedAudience_wrong_type.yml": ["intendedAudience"],
    "invalid_yaml.yml": ["(file)"],
    "isBasedOn_bad_url_array.yml": ["isBasedOn[1]"],
    "isBasedOn_wrong_type.yml": ["isBasedOn"],
    "it_IT_duplicated.yml": ["it"],
    "it_countryExtensionVersion_invalid.yml": ["IT.countryExtensionVersion"],
    "it_wrong_case.yml": ["It"],
    "landingURL_invalid.yml": ["landingURL"],
    "landingURL_wrong_type.yml": ["landingURL"],
    "legal_license_invalid.yml": ["legal.license"],
    "legal_license_missing.yml": ["legal.license"],
    "legal_missing.yml": ["legal"],
    "localisation_availableLanguages_empty.yml": ["localisation.availableLanguages"],
    "localisation_availableLanguages_invalid.yml": ["localisation.availableLanguages[0]"],
    "localisation_availableLanguages_invalid_bcp47.yml": ["localisation.availableLanguages[0]"],
    "localisation_localisationReady_missing.yml": ["localisation.localisationReady"],
    "logo_absolute_path.yml": ["logo"],
    "logo_file_scheme.yml": ["logo"],
    "logo_file_scheme3.yml": ["logo"],
    "logo_wrong_type.yml": ["logo"],
    "maintenance_contacts_email_invalid.yml": ["maintenance.contacts[0].email"],
    "maintenance_contacts_missing_with_type_community.yml": ["maintenance.contacts"],
    "maintenance_contacts_name_missing.yml": ["maintenance.contacts[0].name"],
    "maintenance_contractors_email_invalid.yml": ["maintenance.contractors[0].email"],
    "maintenance_contractors_invalid_type.yml": ["maintenance.contractors"],
    "maintenance_contractors_name_missing.yml": ["maintenance.contractors[0].name"],
    "maintenance_contractors_until_invalid.yml": ["maintenance.contractors[0].until"],
    "maintenance_contractors_until_missing.yml": ["maintenance.contractors[0].until"],
    "maintenance_contractors_when_type_is_community.yml": ["maintenance.contractors"],
    "maintenance_contractors_when_type_is_internal.yml": ["maintenance.contractors"],
    "maintenance_contractors_when_type_is_none.yml": ["maintenance.contractors"],
    "maintenance_type_missing.yml": ["maintenance.type"],
    "monochromeLogo_unsupported_extension.yml": ["monochromeLogo"],
    "mostly_empty.yml": [
        "name",
        "url",
        "platforms",
        "developmentStatus",
        "softwareType",
        "description.en-US.shortDescription",
        "description.en-US.longDescription",
        "description.en-US.features",
        "legal.license",
        "maintenance.type",
        "localisation.localisationReady",
        "localisation.availableLanguages",
    ],
    "name_missing.yml": ["name"],
    "name_nil.yml": ["name"],
    "organisation_uri_missing.yml": ["organisation.uri"],
    "organisation_uri_wrong_italian_pa.yml": ["organisation.uri"],
    "organisation_wrong_uri.yml": ["organisation.uri"],
    "outputTypes_invalid.yml": ["outputTypes[1]"],
    "outputTypes_wrong_type.yml": ["outputTypes"],
    "platforms_wrong_type.yml": ["platforms"],
    "publiccodeYmlVersion_invalid.yml": ["publiccodeYmlVersion"],
    "publiccodeYmlVersion_missing.yml": ["publiccodeYmlVersion"],
    "releaseDate_datetime.yml": ["releaseDate"],
    "releaseDate_empty.yml": ["releaseDate"],
    "releaseDate_invalid.yml": ["releaseDate"],
    "roadmap_invalid.yml": ["roadmap"],
    "roadmap_wrong_type.yml": ["roadmap"],
    "softwareType_invalid.yml": ["softwareType"],
    "softwareType_wrong_type.yml": ["softwareType"],
    "softwareVersion_wrong_type.yml": ["softwareVersion"],
    "unknown_field.yml": ["foobar"],
    "url_missing.yml": ["url"],
    "url_wrong_type.yml": ["url"],
    "usedBy_wrong_type.yml": ["usedBy"],
}
"""The key each invalid file must be refused for (the file names say it: KEY_REASON.yml)."""


def _invalid_params() -> list[object]:
    params: list[object] = []
    for path in reference_files("invalid"):
        reason = NEEDS_NETWORK.get(path.name)
        marks = [pytest.mark.skip(reason=f"needs network: {reason}")] if reason else []
        params.append(pytest.param(path, id=path.name, marks=marks))
    return params


def _solution_count(client: FlaskClient) -> int:
    return int(client.get("/api/v1/solutions").headers["X-Pagination"].split('"total": ')[1][0])


def test_the_reference_test_files_are_all_accounted_for() -> None:
    """Every invalid file is either expected to be refused (with its key) or skipped (why)."""
    require_testdata()
    names = {p.name for p in reference_files("invalid")}
    assert names, "no invalid test files found"
    assert names == set(EXPECTED_KEYS) | set(NEEDS_NETWORK)
    assert not set(EXPECTED_KEYS) & set(NEEDS_NETWORK)
    assert len(reference_files("valid")) >= 20
    assert len(reference_files("valid_with_warnings")) >= 10


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in reference_files("valid")])
def test_every_valid_file_imports(
    client: FlaskClient, make_token: Callable[..., str], path: Path
) -> None:
    response = client.post(URL, data=path.read_bytes(), headers={**YAML, **auth(make_token())})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["created"] is True
    solution = body["solution"]
    assert solution["name"] == "Medusa" or solution["name"] == "Name"
    assert solution["owner"] == "namsos"
    assert solution["links"]["source_code"] == "https://github.com/italia/developers.italia.it.git"
    assert solution["themes"]


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=p.name) for p in reference_files("valid_with_warnings")]
)
def test_files_with_warnings_import_and_report_them(
    client: FlaskClient, make_token: Callable[..., str], path: Path
) -> None:
    response = client.post(URL, data=path.read_bytes(), headers={**YAML, **auth(make_token())})
    assert response.status_code == 201, response.get_json()
    keys = [w["key"] for w in response.get_json()["warnings"]]
    # Every file here is valid but for something deprecated; its warning names that key.
    deprecated = {w for w in keys if w != "intendedAudience.scope"}
    assert deprecated, keys


@pytest.mark.parametrize("path", _invalid_params())
def test_every_invalid_file_is_refused_naming_the_key(
    client: FlaskClient, make_token: Callable[..., str], path: Path
) -> None:
    response = client.post(URL, data=path.read_bytes(), headers={**YAML, **auth(make_token())})
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    errors = body["errors"]["json"]
    for key in EXPECTED_KEYS[path.name]:
        assert key in errors, (key, errors)
    assert body["message"].startswith("The publiccode.yml is not valid")
    assert _solution_count(client) == 0


def test_mapping_of_the_full_example(
    client: FlaskClient, make_token: Callable[..., str], testdata: Path
) -> None:
    raw = (testdata / "valid" / "valid.yml").read_bytes()
    response = client.post(URL, data=raw, headers={**YAML, **auth(make_token(role="admin"))})
    assert response.status_code == 201
    body = response.get_json()
    s = body["solution"]
    assert s["name"] == "Medusa"
    assert s["summary"] == "A really interesting software."
    assert s["description"].startswith("Very long description of this software")
    assert "## Fra publiccode.yml" in s["description"]
    assert (
        "- **Funksjoner:** Very important feature; Will run without a problem" in s["description"]
    )
    assert "Comune di Firenze, Comune di Roma" in s["description"]  # usedBy nobody here
    assert "MySQL" in s["description"]
    assert "Oracle" in s["description"]
    assert "Dario Bianchi" in s["description"]
    assert s["status"] == "development"
    assert s["kind"] == "system"
    assert s["licence"] == "AGPL-3.0-or-later"
    assert s["vendor"] == "Fornitore Privato SPA"
    assert s["links"] == {
        "homepage": "https://developers.italia.it",
        "documentation": "https://docs.italia.it",
        "source_code": "https://github.com/italia/developers.italia.it.git",
    }
    assert s["contact"] == {
        "name": "Francesco Rossi",
        "role": "Comune di Reggio Emilia",
        "email": "francesco.rossi@example.org",
    }
    assert s["tags"][:3] == ["accounting", "agile-project-management", "applicant-tracking"]
    assert len(s["tags"]) == 20
    assert s["themes"] == ["demokrati-og-innbyggerrettigheter"]
    assert body["used_by_unmatched"] == ["Comune di Firenze", "Comune di Roma"]
    assert {w["key"] for w in body["warnings"]} >= {"categories", "intendedAudience.scope"}


def _file(**changes: str) -> bytes:
    """Return a small valid publiccode.yml in Norwegian with ``changes`` substituted."""
    values = {
        "url": "https://github.com/example-trondelag/medusa",
        "used_by": "[]",
        "scope": "[healthcare]",
        "status": "stable",
        "type": "standalone/web",
        "nb_short": "Timebestilling på nett for helsestasjonen, med påminnelser på SMS.",
        **changes,
    }
    long = "Innbyggerne bestiller time selv. " * 6
    return f"""
publiccodeYmlVersion: "0"
name: Timebok
url: "{values["url"]}"
platforms: [web]
usedBy: {values["used_by"]}
developmentStatus: {values["status"]}
softwareType: "{values["type"]}"
intendedAudience:
  scope: {values["scope"]}
description:
  en:
    shortDescription: "Online appointments for the health clinic."
    longDescription: "{"English text. " * 12}"
    features: [Appointments]
  nb:
    localisedName: Timebok helsestasjon
    shortDescription: "{values["nb_short"]}"
    longDescription: "{long}"
    features: [Timebestilling, SMS-påminnelser]
legal:
  license: EUPL-1.2
maintenance:
  type: internal
  contacts:
    - name: Kari Nordmann
      email: kari.nordmann@namsos.kommune.example
      affiliation: Helsestasjonen
localisation:
  localisationReady: false
  availableLanguages: [nb, en]
dependsOn:
  open:
    - name: ID-porten
    - name: Redis
""".encode()


def test_norwegian_description_is_preferred_and_dependencies_become_standards(
    client: FlaskClient, make_token: Callable[..., str]
) -> None:
    response = client.post(URL, data=_file(), headers={**YAML, **auth(make_token())})
    assert response.status_code == 201, response.get_json()
    s = response.get_json()["solution"]
    assert s["name"] == "Timebok helsestasjon"
    assert s["summary"].startswith("Timebestilling på nett")
    assert s["description"].startswith("Innbyggerne bestiller time selv.")
    assert s["kind"] == "service"
    assert s["status"] == "production"
    assert s["themes"] == ["helse-og-omsorg"]
    assert s["standards"] == ["id-porten"]
    assert "- **Avhengigheter:** Redis" in s["description"]
    assert s["contact"]["role"] == "Helsestasjonen"


def test_reimport_updates_the_same_solution(
    client: FlaskClient, make_token: Callable[..., str]
) -> None:
    token = make_token()
    first = client.post(URL, data=_file(), headers={**YAML, **auth(token)}).get_json()
    again = client.post(URL, data=_file(), headers={**YAML, **auth(token)})
    assert again.status_code == 200
    body = again.get_json()
    assert body["created"] is False
    assert body["changed"] is False
    assert body["solution"]["slug"] == first["solution"]["slug"]
    assert body["solution"]["version"] == first["solution"]["version"]
    changed = client.post(URL, data=_file(status="obsolete"), headers={**YAML, **auth(token)})
    assert changed.status_code == 200
    assert changed.get_json()["changed"] is True
    assert changed.get_json()["solution"]["status"] == "retired"
    assert changed.get_json()["solution"]["version"] > first["solution"]["version"]
    assert _solution_count(client) == 1


def test_an_invalid_file_changes_nothing(
    client: FlaskClient, make_token: Callable[..., str]
) -> None:
    token = make_token()
    slug = client.post(URL, data=_file(), headers={**YAML, **auth(token)}).get_json()["solution"][
        "slug"
    ]
    before = client.get(f"/api/v1/solutions/{slug}").get_json()
    too_long = "x" * 151
    response = client.post(
        URL, data=_file(status="stable", nb_short=too_long), headers={**YAML, **auth(token)}
    )
    assert response.status_code == 422
    assert "description.nb.shortDescription" in response.get_json()["errors"]["json"]
    # The catalogue's own rules name the file's keys too (summary: at least 10 characters).
    short = client.post(URL, data=_file(nb_short="Kort"), headers={**YAML, **auth(token)})
    assert short.status_code == 422
    assert "description.nb.shortDescription" in short.get_json()["errors"]["json"]
    assert client.get(f"/api/v1/solutions/{slug}").get_json() == before


def test_used_by_records_adoptions_the_caller_may_record(
    client: FlaskClient, make_token: Callable[..., str]
) -> None:
    used_by = '["Namsos kommune", "Trondheim", "Comune di Roma"]'
    publisher = client.post(
        URL, data=_file(used_by=used_by), headers={**YAML, **auth(make_token("5007"))}
    )
    body = publisher.get_json()
    assert body["adoptions_recorded"] == ["namsos"]
    assert body["used_by_not_recorded"] == ["trondheim"]
    assert body["used_by_unmatched"] == ["Comune di Roma"]
    assert "- **Også brukt av:** Comune di Roma" in body["solution"]["description"]

    admin = client.post(
        URL, data=_file(used_by=used_by), headers={**YAML, **auth(make_token(role="admin"))}
    )
    assert admin.status_code == 200
    assert admin.get_json()["adoptions_recorded"] == ["trondheim"]
    slug = body["solution"]["slug"]
    users = {
        a["organisation"]["slug"]
        for a in client.get(f"/api/v1/solutions/{slug}/adoptions").get_json()
    }
    assert users == {"namsos", "trondheim"}


def test_owner_theme_and_permissions(client: FlaskClient, make_token: Callable[..., str]) -> None:
    publisher = make_token("5007")
    other = client.post(URL + "?owner=5001", data=_file(), headers={**YAML, **auth(publisher)})
    assert other.status_code == 403
    admin = make_token(role="admin")
    chosen = client.post(
        URL + "?owner=5001&theme=arbeid&theme=naring", data=_file(), headers={**YAML, **auth(admin)}
    )
    assert chosen.status_code == 201
    assert chosen.get_json()["solution"]["owner"] == "trondheim"
    assert chosen.get_json()["solution"]["themes"] == ["arbeid", "naring"]
    # Trondheim's solution has this url now: Namsos may not change it.
    taken = client.post(URL, data=_file(), headers={**YAML, **auth(publisher)})
    assert taken.status_code == 403
    unknown = client.post(URL + "?theme=finnes-ikke", data=_file(), headers={**YAML, **auth(admin)})
    assert unknown.status_code == 422
    assert "themes" in unknown.get_json()["errors"]["json"]


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"name: x", {}, 401),
        (b"name: x", {"Content-Type": "application/json"}, 415),
        (b"", YAML, 422),
        (b"\xff\xfe\x00garbage", YAML, 422),
        (b"- just\n- a list\n", YAML, 422),
        (
            b"a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
            YAML,
            422,
        ),
        (b"publiccodeYmlVersion: '0'\npubliccodeYmlVersion: '0'\n", YAML, 422),
        (b"name: [unclosed\n", YAML, 422),
    ],
)
def test_malformed_bodies_get_a_clear_4xx(
    client: FlaskClient,
    make_token: Callable[..., str],
    body: bytes,
    headers: dict[str, str],
    status: int,
) -> None:
    if status != 401:
        headers = {**headers, **auth(make_token())}
    response = client.post(URL, data=body, headers=headers)
    assert response.status_code == status
    assert response.get_json()["message"]


def test_cli_imports_files_and_folders(runner: FlaskCliRunner, testdata: Path) -> None:
    result = runner.invoke(
        args=["import", "publiccode", str(testdata / "valid"), "--owner", "5001"]
    )
    assert result.exit_code == 0, result.output
    count = len(reference_files("valid"))
    assert f"{count} of {count} files imported." in result.output
    assert "created medusa" in result.output
    # Every file has the same url: one solution, updated by the later files.
    assert "created" not in result.output.split("created medusa", 1)[1]

    refused = runner.invoke(
        args=[
            "import",
            "publiccode",
            str(testdata / "invalid" / "name_missing.yml"),
            str(testdata / "valid" / "valid.minimal.yml"),
        ]
    )
    assert refused.exit_code == 1
    assert "name: required" in refused.output
    assert "1 of 2 files imported." in refused.output


def test_cli_needs_an_owner_for_a_new_solution(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "publiccode.yml"
    path.write_bytes(_file(url="https://github.com/example-trondelag/ny"))
    result = runner.invoke(args=["import", "publiccode", str(path)])
    assert result.exit_code == 1
    assert "owner" in result.output
    ok = runner.invoke(args=["import", "publiccode", str(path), "--owner", "namsos"])
    assert ok.exit_code == 0, ok.output
    assert "created timebok-helsestasjon" in ok.output
