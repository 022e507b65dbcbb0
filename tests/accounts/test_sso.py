"""Single sign-on with OpenID Connect against a real provider the tests start locally."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from tests.accounts.conftest import EDITOR, dispose, make_app, make_person, page_text
from tests.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider

CALLBACK = "http://localhost/logg-inn/sso/tilbake"
"""Where the test client's app (server name ``localhost``) takes the provider's answer."""


@pytest.fixture
def provider() -> Iterator[Provider]:
    """Start the OIDC provider on a free port, with Kari (a catalogue editor) and Per."""
    provider = Provider()
    provider.register(CALLBACK)
    provider.add_person("kari", "kari-passord", EDITOR.email)
    provider.add_person("per", "per-passord", "per@namsos.kommune.no")
    provider.add_person("eva", "eva-passord", EDITOR.email.upper(), verified=False)
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def sso_app(base_template: Path | None, tmp_path: Path, provider: Provider) -> Iterator[Flask]:
    """Return the catalogue configured for single sign-on at ``provider``."""
    app = make_app(
        base_template,
        tmp_path,
        OIDC_ISSUER=provider.issuer,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_PROVIDER_NAME="Testleverandøren",
    )
    make_person(app, EDITOR, name="Kari Nordmann")
    yield app
    dispose(app)


def sign_in_at_provider(client: FlaskClient, username: str, password: str) -> Any:
    """Go from the catalogue to the provider and back, as a browser would; return the answer
    of the catalogue's callback."""
    start = client.get("/logg-inn/sso")
    assert start.status_code == 302
    authorize = start.headers["Location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [CALLBACK]
    assert "state" in query
    assert "nonce" in query
    with requests.Session() as browser:
        form = browser.get(authorize, timeout=30)
        assert form.status_code == 200
        answer = browser.post(
            authorize,
            data={"username": username, "password": password},
            allow_redirects=False,
            timeout=30,
        )
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def test_the_login_page_offers_single_sign_on(sso_app: Flask) -> None:
    text = page_text(sso_app.test_client().get("/logg-inn"))
    assert "Logg inn med Testleverandøren" in text
    assert "E-postadresse" in text  # the local login stays


def test_a_person_with_an_account_signs_in_through_the_provider(sso_app: Flask) -> None:
    client = sso_app.test_client()
    response = sign_in_at_provider(client, "kari", "kari-passord")
    assert response.status_code == 303
    assert response.headers["Location"] == "/min-side"
    dashboard = client.get("/min-side")
    assert dashboard.status_code == 200
    assert "Kari Nordmann" in page_text(dashboard)


def test_the_provider_decides_who_but_the_catalogue_decides_what(sso_app: Flask) -> None:
    client = sso_app.test_client()
    response = sign_in_at_provider(client, "per", "per-passord")
    assert response.status_code == 403
    assert "katalogen har ingen aktiv konto med den adressen" in page_text(response)
    assert client.get("/min-side").status_code == 302


def test_an_unverified_address_is_not_trusted(sso_app: Flask) -> None:
    client = sso_app.test_client()
    response = sign_in_at_provider(client, "eva", "eva-passord")
    assert response.status_code == 401
    assert client.get("/min-side").status_code == 302


def test_a_refused_or_forged_answer_signs_nobody_in(sso_app: Flask) -> None:
    client = sso_app.test_client()
    refused = sign_in_at_provider(client, "kari", "feil")
    assert refused.status_code == 401
    assert "ble ikke fullført" in page_text(refused)
    # A callback with a code but a state this browser never got.
    forged = sso_app.test_client().get("/logg-inn/sso/tilbake?code=abc&state=xyz")
    assert forged.status_code == 401
    assert client.get("/min-side").status_code == 302


def test_without_configuration_there_is_only_the_local_login(client: FlaskClient) -> None:
    assert "Logg inn med" not in page_text(client.get("/logg-inn"))
    assert client.get("/logg-inn/sso").headers["Location"].endswith("/logg-inn")
