"""Bad input: 422 with a message per field, 413 for big bodies, and never a 500."""

from __future__ import annotations

import json

import pytest

from tests.conftest import auth, solution_payload


def _send(client, method: str, path: str, body: object, headers: dict[str, str]):
    """Send ``body`` as ASCII-escaped JSON: the test client's own encoder cannot write a lone
    surrogate, which a real client can send as ``"\\ud800"``."""
    return client.open(
        path,
        method=method,
        data=json.dumps(body),
        headers={**headers, "Content-Type": "application/json"},
    )


def _errors(response) -> dict:
    assert response.status_code == 422, (response.status_code, response.json)
    assert response.json["code"] == 422
    assert response.json["status"] == "Unprocessable Entity"
    assert response.json["message"]
    return response.json["errors"]["json"]


def _without(key: str) -> dict:
    body = solution_payload()
    del body[key]
    return body


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        (_without("name"), "name", "Missing data"),
        (_without("summary"), "summary", "Missing data"),
        (_without("kind"), "kind", "Missing data"),
        (_without("status"), "status", "Missing data"),
        (_without("owner"), "owner", "Missing data"),
        (_without("themes"), "themes", "Missing data"),
        (solution_payload(kind="robot"), "kind", "Must be one of"),
        (solution_payload(status="live"), "status", "Must be one of"),
        (solution_payload(colour="blue"), "colour", "Unknown field"),
        (solution_payload(slug="my-own-slug"), "slug", "Unknown field"),
        (solution_payload(version=7), "version", "Unknown field"),
        (solution_payload(themes=["no-such-theme"]), "themes", "no-such-theme"),
        (solution_payload(themes=["bygg-og-eiendom", "not-a-los-theme"]), "themes", "not-a-los"),
        (solution_payload(standards=["noark-7"]), "standards", "noark-7"),
        (solution_payload(owner="9999"), "owner", "9999"),
        (solution_payload(owner="ingen-kommune"), "owner", "ingen-kommune"),
        (solution_payload(owner="Namsos kommune"), "owner", "kommunenummer"),
        (solution_payload(vendor_organisation="no-such-vendor"), "vendor_organisation", "no-such"),
        (solution_payload(contact={"email": "not-an-email"}), "contact", "email"),
        (solution_payload(contact={"phone": "12345678"}), "contact", "Unknown field"),
        (solution_payload(links={"homepage": "not a url"}), "links", "URL"),
        (solution_payload(links={"homepage": "javascript:alert(1)"}), "links", "URL"),
        (solution_payload(links={"wiki": "https://example.no"}), "links", "Unknown field"),
        (solution_payload(name="x" * 201), "name", "between 3 and 200"),
        (solution_payload(name="ab"), "name", "between 3 and 200"),
        (solution_payload(summary="y" * 501), "summary", "between 10 and 500"),
        (solution_payload(tags=["t" * 61]), "tags", "between 1 and 60"),
        (solution_payload(tags=["a,b"]), "tags", "comma"),
        (solution_payload(tags=["   "]), "tags", "between 1 and 60"),
        (solution_payload(tags=[f"t{i}" for i in range(21)]), "tags", "Longer than maximum"),
        (solution_payload(themes=[]), "themes", "between 1 and 14"),
        (solution_payload(name=123), "name", "Not a valid string"),
        (solution_payload(themes="bygg-og-eiendom"), "themes", "Not a valid list"),
        (solution_payload(tags=[1, 2]), "tags", "Not a valid string"),
        (solution_payload(contact="Kari"), "contact", "Invalid input type"),
        (solution_payload(name=None), "name", "may not be null"),
        (solution_payload(name="Null\u0000byte"), "name", "control characters"),
        (solution_payload(description="Bell \u0007"), "description", "control characters"),
    ],
)
def test_bad_solutions_are_422_naming_the_field(client, make_token, body, field, says):
    response = client.post("/api/v1/solutions", json=body, headers=auth(make_token()))
    errors = _errors(response)
    assert field in errors, errors
    assert says.lower() in json.dumps(errors[field], ensure_ascii=False).lower(), errors


def test_every_bad_field_is_reported_at_once(client, make_token):
    body = {"name": 1, "kind": "robot", "themes": [], "extra": True}
    errors = _errors(client.post("/api/v1/solutions", json=body, headers=auth(make_token())))
    assert {"name", "kind", "themes", "extra", "summary", "status", "owner"} <= set(errors)


def test_a_change_with_a_bad_reference_changes_nothing(client, make_token, make_solution):
    slug = make_solution()
    token = make_token()
    response = client.patch(
        f"/api/v1/solutions/{slug}",
        json={"name": "Et helt nytt navn", "themes": ["no-such-theme"]},
        headers=auth(token, 1),
    )
    assert "themes" in _errors(response)
    after = client.get(f"/api/v1/solutions/{slug}")
    assert after.json["name"] == "Digital startlånsøknad"
    assert after.headers["ETag"] == '"1"'


BODY_WRITES = [
    ("PATCH", "/api/v1/solutions/{slug}"),
    ("PUT", "/api/v1/solutions/{slug}"),
    ("POST", "/api/v1/solutions"),
    ("POST", "/api/v1/solutions/{slug}/adoptions"),
    ("POST", "/api/v1/organisations/5007/adoptions"),
    ("PATCH", "/api/v1/solutions/{slug}/adoptions/5007"),
    ("PUT", "/api/v1/solutions/{slug}/adoptions/5007"),
]
"""Every write that takes a body."""


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("name=Nytt+navn", "application/x-www-form-urlencoded"),
        ('{"name": "Nytt navn"}', "text/plain"),
        ('{"name": "Nytt navn"', "application/json"),
        ("[]", "application/json"),
        ('"a string"', "application/json"),
        ("null", "application/json"),
        ("", "application/json"),
        ("", None),
        (b"\xff\xfe{}", "application/json"),
        ("[" * 100_000 + "]" * 100_000, "application/json"),
    ],
    ids=[
        "form",
        "text-plain",
        "broken-json",
        "array",
        "string",
        "null",
        "empty",
        "no-body",
        "not-utf8",
        "deep-nesting",
    ],
)
def test_a_body_that_is_no_json_object_is_422(
    client, make_token, make_solution, data, content_type
):
    slug = make_solution()
    headers = auth(make_token("5007"), 1)
    adopted = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5007", "status": "pilot"},
        headers=headers,
    )
    assert adopted.status_code == 201
    if content_type:
        headers["Content-Type"] = content_type
    for method, path in BODY_WRITES:
        response = client.open(path.format(slug=slug), method=method, data=data, headers=headers)
        assert "_schema" in _errors(response), (method, path)
    assert client.get(f"/api/v1/solutions/{slug}").headers["ETag"] == '"1"'
    assert client.get(f"/api/v1/solutions/{slug}/adoptions/5007").headers["ETag"] == '"1"'


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "using"}, "status"),
        ({"organisation": "5001"}, "status"),
        ({"status": "in_use"}, "organisation"),
        ({"organisation": "9999", "status": "in_use"}, "organisation"),
        ({"organisation": "5001", "status": "in_use", "since": "yesterday"}, "since"),
        ({"organisation": "5001", "status": "in_use", "since": "2025-02-30"}, "since"),
        ({"organisation": "5001", "status": "in_use", "rating": 5}, "rating"),
        ({"organisation": "5001", "status": "in_use", "notes": "n" * 5001}, "notes"),
        ({"organisation": "5001", "status": "in_use", "contact": {"email": "x"}}, "contact"),
    ],
)
def test_bad_adoptions_via_the_solution_are_422(client, make_token, make_solution, body, field):
    slug = make_solution()
    response = client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json=body,
        headers=auth(make_token("5001", role="admin")),
    )
    assert field in _errors(response)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "in_use"}, "solution"),
        ({"solution": "no-such-solution", "status": "in_use"}, "solution"),
        ({"solution": "Not A Slug", "status": "in_use"}, "solution"),
        ({"solution": "{slug}", "status": "in_use", "organisation": "5001"}, "organisation"),
    ],
)
def test_bad_adoptions_via_the_organisation_are_422(client, make_token, make_solution, body, field):
    slug = make_solution()
    body = {k: v.format(slug=slug) for k, v in body.items()}
    response = client.post(
        "/api/v1/organisations/5001/adoptions", json=body, headers=auth(make_token("5001"))
    )
    assert field in _errors(response)


@pytest.mark.parametrize(
    ("method", "body"),
    [("PUT", {"status": "stopped"}), ("PATCH", {"status": None}), ("PATCH", {"since": 2025})],
)
def test_bad_adoption_changes_are_422(client, make_token, make_solution, method, body):
    slug = make_solution()
    token = make_token("5001")
    client.post(
        f"/api/v1/solutions/{slug}/adoptions",
        json={"organisation": "5001", "status": "pilot"},
        headers=auth(token),
    )
    response = client.open(
        f"/api/v1/solutions/{slug}/adoptions/5001", method=method, json=body, headers=auth(token, 1)
    )
    assert set(body) <= set(_errors(response))


def test_a_body_over_the_limit_is_413_json(app, client, make_token):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = solution_payload(description="x" * (limit + 1))
    response = client.post("/api/v1/solutions", json=body, headers=auth(make_token()))
    assert response.status_code == 413
    assert response.is_json
    assert response.json["code"] == 413
    assert response.json["message"]


ODD_VALUES = [
    None,
    [],
    {},
    [None],
    [[]],
    True,
    0,
    -1,
    10**30,
    -(10**30),
    1e308,
    1.5,
    "",
    " ",
    "ø" * 100_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE solutions; --",
    "\u0000",
    "\ud800",
    "😀" * 50,
    "%00",
    "../../etc/passwd",
    "5007",
    "bygg-og-eiendom",
    {"$gt": ""},
]
"""Values no field expects (and a few it does), tried in every field."""

SOLUTION_FIELDS = [*solution_payload(), "standards", "tags", "vendor", "vendor_organisation"]
SOLUTION_FIELDS += ["licence", "links", "contact"]


def test_odd_values_in_any_solution_field_never_answer_500(client, make_token, make_solution):
    token = make_token("5007")
    slug = make_solution()
    version = 1
    for field in SOLUTION_FIELDS:
        for value in ODD_VALUES:
            for nested in (False, True):
                if nested and field not in ("links", "contact", "themes", "tags"):
                    continue
                if nested:
                    wrapped = (
                        {"email" if field == "contact" else "homepage": value}
                        if field in ("links", "contact")
                        else [value]
                    )
                else:
                    wrapped = value
                created = _send(
                    client,
                    "POST",
                    "/api/v1/solutions",
                    solution_payload(**{field: wrapped}),
                    auth(token),
                )
                assert created.status_code in (201, 422), (field, value, created.json)
                patched = _send(
                    client,
                    "PATCH",
                    f"/api/v1/solutions/{slug}",
                    {field: wrapped},
                    auth(token, version),
                )
                assert patched.status_code in (200, 422), (field, value, patched.json)
                if patched.status_code == 200:
                    version = patched.json["version"]


def test_odd_values_in_adoptions_never_answer_500(client, make_token, make_solution):
    token = make_token("5001", role="admin")
    slug = make_solution()
    for field in ("organisation", "status", "since", "notes", "contact", "solution"):
        for value in ODD_VALUES:
            for path, base in (
                (f"/api/v1/solutions/{slug}/adoptions", {"organisation": "5001"}),
                ("/api/v1/organisations/5001/adoptions", {"solution": slug}),
            ):
                body = {**base, "status": "in_use", field: value}
                response = _send(client, "POST", path, body, auth(token))
                assert response.status_code in (201, 409, 422), (field, value, response.json)
                if response.status_code == 201:
                    org = response.json["organisation"]["slug"]
                    deleted = client.delete(
                        f"/api/v1/solutions/{slug}/adoptions/{org}", headers=auth(token, 1)
                    )
                    assert deleted.status_code == 204


ODD_SEGMENTS = [
    "%00",
    "%3Cscript%3E",
    "a" * 5000,
    "%C3%A6%C3%B8%C3%A5",
    "%F0%9F%98%80",
    "%ED%A0%80",  # an encoded lone surrogate
    "..",
    "5007%20",
    "9" * 30,
]


@pytest.mark.parametrize("segment", ODD_SEGMENTS)
def test_odd_urls_never_answer_500(client, make_token, segment):
    token = make_token("5001", role="admin")
    for path in (
        f"/api/v1/solutions/{segment}",
        f"/api/v1/solutions/{segment}/adoptions",
        f"/api/v1/solutions/{segment}/adoptions/{segment}",
        f"/api/v1/organisations/{segment}",
        f"/api/v1/organisations/{segment}/solutions",
        f"/api/v1/organisations/{segment}/adoptions",
    ):
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response.is_json
        for method in ("PUT", "PATCH", "DELETE"):
            changed = client.open(
                path, method=method, json={"status": "in_use"}, headers=auth(token, 1)
            )
            assert changed.status_code in (404, 405, 422), (method, path, changed.status_code)
    for query in (
        "kind",
        "status",
        "theme",
        "standard",
        "owner",
        "tag",
        "sort",
        "page",
        "page_size",
    ):
        response = client.get(f"/api/v1/solutions?{query}={segment}")
        assert response.status_code in (200, 422), (query, response.status_code)
    response = client.get(f"/api/v1/organisations?kind={segment}")
    assert response.status_code == 422
