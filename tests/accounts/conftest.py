"""Fixtures of the account, editing, history and security tests: people with accounts, a
logged-in test client, and the CSRF token every site form needs."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.services import users

PASSWORD = "riktig hest batteri stift"
"""The password of the accounts the fixtures make (a passphrase: long enough)."""

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Person:
    """An account made for a test."""

    email: str
    org: str
    role: str
    password: str = PASSWORD


EDITOR = Person("kari@namsos.kommune.no", "5007", "editor")
"""An editor of Namsos (5007), the owner of the solutions the tests make."""

OTHER_EDITOR = Person("ola@trondheim.kommune.no", "5001", "editor")
"""An editor of Trondheim (5001): another organisation."""

ADMIN = Person("admin@trondelagfylke.no", "5001", "admin")
"""An admin of the whole catalogue."""


def make_person(app: Flask, person: Person, *, name: str = "") -> None:
    """Create the account (with a chosen password: no first-login change)."""
    with app.app_context():
        users.create_user(
            {
                "email": person.email,
                "organisation": person.org,
                "role": person.role,
                "name": name or person.email.split("@")[0].title(),
            },
            password=person.password,
        )


def make_app(base_template: Path | None, tmp_path: Path, **config: Any) -> Flask:
    """Return an app like the ``app`` fixture's, with extra configuration (limits, SSO)."""
    from app import create_app, search
    from app.extensions import db
    from tests.conftest import PG_URL, _config, _restore_base_postgres

    if PG_URL:
        uri = PG_URL
    else:
        assert base_template is not None
        shutil.copy(base_template, tmp_path / "catalogue.sqlite")
        uri = f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    app = create_app({**_config(uri, tmp_path / "index", tmp_path), **config})
    with app.app_context():
        if PG_URL:
            _restore_base_postgres(app)
        search.rebuild()
        db.session.remove()
    return app


def dispose(app: Flask) -> None:
    """Close what ``make_app`` opened."""
    from app import search
    from app.extensions import db

    with app.app_context():
        search.reader().close()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def people(app: Flask) -> dict[str, Person]:
    """Create an editor of the owner, an editor of another kommune and an admin."""
    for person in (EDITOR, OTHER_EDITOR, ADMIN):
        make_person(app, person)
    return {"editor": EDITOR, "other": OTHER_EDITOR, "admin": ADMIN}


def csrf_token(client: FlaskClient, path: str = "/logg-inn") -> str:
    """Return a CSRF token of the client's session (from a page with a form)."""
    page = client.get(path, follow_redirects=True)  # signed in: the next page has forms too
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(
    client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> Any:
    """Post a site form with the session's CSRF token, as a browser would."""
    form = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(path, data=form, **kwargs)


def login(client: FlaskClient, person: Person, password: str | None = None) -> Any:
    """Sign ``person`` in through the login form; return the response."""
    return post_form(
        client,
        "/logg-inn",
        {"email": person.email, "password": password if password is not None else person.password},
    )


@pytest.fixture
def client_for(app: Flask, people: dict[str, Person]) -> Callable[[str | None], FlaskClient]:
    """Return a factory of test clients: signed in as "editor", "other", "admin", or None."""

    def make(who: str | None) -> FlaskClient:
        client = app.test_client()
        if who is not None:
            response = login(client, people[who])
            assert response.status_code == 303, response.get_data(as_text=True)
        return client

    return make


def page_text(response: Any) -> str:
    """Return a page's text without tags, whitespace folded (for "the page says …")."""
    html = response.get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(text.split())
