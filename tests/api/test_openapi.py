"""The OpenAPI document, the interactive docs (no internet needed) and /healthz."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from tests.api.test_permissions import WRITES

WRITE_METHODS = {"post", "put", "patch", "delete"}
HTTP_METHODS = WRITE_METHODS | {"get"}


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def _resolve(spec: dict, item: dict) -> dict:
    """Follow a local ``$ref`` (``#/components/...``)."""
    while "$ref" in item:
        node = spec
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        item = node
    return item


def test_the_document_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_every_api_route_is_documented(app, spec):
    registered = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?(\w+)>", r"{\1}", rule.rule)
        registered |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, method, _ in _operations(spec)}
    assert registered
    assert registered == documented


def test_every_operation_has_a_summary_and_its_path_parameters(spec):
    for path, method, operation in _operations(spec):
        assert operation.get("summary"), (method, path)
        names = set(re.findall(r"{(\w+)}", path))
        declared = {
            p["name"]
            for p in spec["paths"][path].get("parameters", []) + operation.get("parameters", [])
            if p["in"] == "path"
        }
        assert names == declared, (method, path)


def test_writes_need_the_bearer_token_and_document_their_errors(spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "API token",
    }
    writes = [(p, m, o) for p, m, o in _operations(spec) if m in WRITE_METHODS]
    assert writes
    for path, method, operation in writes:
        assert operation.get("security") == [{"bearerAuth": []}], (method, path)
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
        if "requestBody" in operation:
            assert "422" in responses, (method, path)
        for code in ("401", "403", "422"):
            if code in responses:
                response = _resolve(spec, responses[code])
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, code)
    for path, method, operation in _operations(spec):
        if method == "get" and "/webhooks" in path:
            # The one private read: an organisation's webhooks are its own business.
            assert operation.get("security") == [{"bearerAuth": []}], (method, path)
            assert {"401", "403"} <= set(operation["responses"]), (method, path)
        elif method == "get":
            # Reads are public: no security, or an optional token (``{}`` first) that widens
            # what is shown (an organisation's own drafts).
            assert operation.get("security", [{}])[0] == {}, (method, path)


def test_the_catalogue_writes_document_etag_404_413_and_the_matrix_covers_them(spec):
    ours = {
        (path, method)
        for path, method, operation in _operations(spec)
        if method in WRITE_METHODS and set(operation["tags"]) & {"solutions", "adoptions"}
    }
    # The matrix names Trondheim (5001) as the adopter; the document names the parameter.
    matrix = {
        (
            w.path.replace("/organisations/5001/", "/organisations/{ref}/").replace(
                "/adoptions/5001", "/adoptions/{ref}"
            ),
            w.method.lower(),
        )
        for w in WRITES.values()
    }
    assert ours == matrix  # test_permissions tries every one of them
    for path, method in ours:
        operation = spec["paths"][path][method]
        responses = set(operation["responses"])
        if method in ("put", "patch", "delete"):
            assert {"404", "412", "428"} <= responses, (method, path)
            assert any(p["name"] == "If-Match" for p in operation["parameters"]), (method, path)
        if method != "delete":
            assert "413" in responses, (method, path)
            ok = next(code for code in responses if code.startswith("2"))
            assert "ETag" in operation["responses"][ok]["headers"], (method, path)


def test_lists_document_the_pagination_header(spec):
    for path in ("/api/v1/solutions", "/api/v1/organisations"):
        assert "X-Pagination" in spec["paths"][path]["get"]["responses"]["200"]["headers"]


def test_interactive_docs_work_without_internet(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(url.startswith("/api/docs/assets/") for url in assets), assets
    assert not re.search(r"https?://|//[a-z]", html)
    assert '"validatorUrl": null' in html  # Swagger UI would fetch a badge online otherwise
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.content_length or asset.get_data()
        asset.close()
    assert '"/api/openapi.json"' in html


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "search": "ok"}
