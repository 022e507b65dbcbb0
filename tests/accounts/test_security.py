"""Headers, the Content-Security-Policy, CSRF, write rate limits and sanitised user text."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from tests.accounts.test_editing import create
from tests.conftest import PG_URL, _config, auth, solution_payload

Clients = Callable[[str | None], FlaskClient]

XSS = (
    "Se [veiledningen](javascript:alert(document.cookie)) og "
    '<a href="javascript:alert(1)">denne</a>.\n\n'
    "<script>document.title='hacked'</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    '<p style="color:red" onclick="alert(1)">Klikk</p>'
)
"""A description that tries script tags, javascript: links, event handlers and inline style."""


def pages(slug: str) -> list[str]:
    """Return the kinds of page the site has, signed in (forms) and not."""
    return [
        "/",
        "/sok?q=byggesak",
        f"/losninger/{slug}",
        f"/losninger/{slug}/historikk",
        f"/losninger/{slug}/rediger",
        f"/losninger/{slug}/bruk",
        "/losninger/ny",
        "/kommuner",
        "/kommuner/5007",
        "/gjenbruksmatrise",
        "/om",
        "/min-side",
        "/min-side/api-nokler",
        "/bytt-passord",
        "/finnes-ikke",
    ]


def test_every_page_has_a_strict_policy_and_nothing_inline(client_for: Clients) -> None:
    editor = client_for("editor")
    slug = create(editor, description=XSS)
    anonymous = client_for(None)
    for path in [*pages(slug), "/logg-inn", "/logg-ut"]:
        response = (anonymous if path in ("/logg-inn", "/logg-ut") else editor).get(path)
        assert response.status_code in (200, 404), path
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy, path
        assert "style-src 'self';" in policy, path
        assert "frame-ancestors 'none'" in policy
        assert "object-src 'none'" in policy
        assert "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        html = response.get_data(as_text=True)
        # No inline script or style anywhere: the policy would block it.
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"<style\b", html), path
        # (In tags: the history shows the typed text, escaped, which may spell anything.)
        assert not re.search(r"<[a-zA-Z][^>]*\sstyle=", html), path
        assert not re.search(r"<[a-zA-Z][^>]*\son[a-z]+=", html), path
        assert not re.search(r"""href=["']?\s*javascript:""", html, re.I), path


def test_swagger_ui_gets_its_own_policy_that_still_lets_it_run(client: FlaskClient) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    html = response.get_data()
    scripts = re.findall(rb"<script>(.*?)</script>", html, re.S)
    assert scripts, "Swagger UI's start-up script"
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "script-src 'self' 'sha256-" in policy
    assert "'unsafe-inline'" in policy.split("style-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    # The API's JSON answers carry the strict policy.
    assert "unsafe-inline" not in client.get("/api/v1/themes").headers["Content-Security-Policy"]


def test_hsts_is_sent_only_over_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert (
        client.get("https://localhost/").headers["Strict-Transport-Security"].startswith("max-age=")
    )


def test_signed_in_pages_are_never_cached_and_public_ones_set_no_session(
    client_for: Clients,
) -> None:
    assert client_for("editor").get("/").headers["Cache-Control"] == "no-store"
    anonymous = client_for(None).get("/")
    assert "Set-Cookie" not in anonymous.headers
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")


def test_the_api_needs_no_csrf_token_but_site_forms_do(
    client_for: Clients, make_token: Callable[..., str]
) -> None:
    api = client_for(None).post(
        "/api/v1/solutions", json=solution_payload(), headers=auth(make_token())
    )
    assert api.status_code == 201
    # The embeddable search box (a plain form on another site) needs no token: it only
    # redirects to the GET search.
    embedded = client_for(None).post("/sok", data={"q": "byggesak"})
    assert embedded.status_code == 303
    # Every form that changes something does.
    editor = client_for("editor")
    for path in ["/losninger/ny", "/logg-ut", "/bytt-passord", "/min-side/api-nokler"]:
        assert editor.post(path, data={}).status_code == 400, path
    assert client_for(None).post("/logg-inn", data={"email": "a@b.no"}).status_code == 400


def test_markdown_and_user_text_are_sanitised(client_for: Clients) -> None:
    editor = client_for("editor")
    slug = create(
        editor,
        description=XSS,
        name="<script>alert(1)</script> Navn",
        **{"contact.name": '"><img src=x onerror=alert(1)>'},
    )
    html = client_for(None).get(f"/losninger/{slug}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Navn" in html
    assert "<img" not in html
    assert "onerror" not in html.replace("onerror=alert(1)&gt;", "")
    assert "javascript:" not in html
    assert "veiledningen" in html  # the link text stays, without its script


@pytest.fixture
def limited_app(base_template: Path | None, tmp_path: Path) -> Any:
    """Return an app whose writes are limited to 3 a minute per client."""
    if PG_URL:
        pytest.skip("the limiter needs no database; one run (SQLite) is enough")
    assert base_template is not None
    shutil.copy(base_template, tmp_path / "db.sqlite")
    config = _config(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "index", tmp_path)
    config["RATELIMIT_WRITES"] = "3 per minute"
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_writes_are_rate_limited_per_token(limited_app: Flask) -> None:
    from app.services import tokens

    with limited_app.app_context():
        _, first = tokens.create_token("5007")
        _, second = tokens.create_token("5001")
    client = limited_app.test_client()
    answers = [
        client.post(
            "/api/v1/solutions", json=solution_payload(name=f"Løsning {n}"), headers=auth(first)
        ).status_code
        for n in range(4)
    ]
    assert answers == [201, 201, 201, 429]
    limited = client.post("/api/v1/solutions", json=solution_payload(), headers=auth(first))
    assert limited.json["code"] == 429
    assert "Retry-After" in limited.headers
    # Another token has its own budget, and reads are never limited.
    other = client.post(
        "/api/v1/solutions", json=solution_payload(owner="5001"), headers=auth(second)
    )
    assert other.status_code == 201
    assert all(client.get("/api/v1/solutions").status_code == 200 for _ in range(5))


def test_site_form_posts_are_rate_limited_with_a_norwegian_page(limited_app: Flask) -> None:
    client = limited_app.test_client()
    answers = [client.post("/sok", data={"q": "x"}).status_code for _ in range(4)]
    assert answers == [303, 303, 303, 429]
    assert "For mange forespørsler" in client.post("/sok", data={"q": "x"}).get_data(as_text=True)
