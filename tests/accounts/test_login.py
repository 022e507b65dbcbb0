"""Signing in and out: local accounts, the first-login password change, failed logins that
reveal nothing and slow down, sessions that end, and the session cookie's flags."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from app.models import LoginThrottle, User
from app.services import users
from tests.accounts.conftest import (
    EDITOR,
    PASSWORD,
    Person,
    csrf_token,
    login,
    page_text,
    post_form,
)
from tests.conftest import _config

LOGIN_FAILED = "E-postadressen eller passordet er feil."


def test_an_editor_signs_in_and_out(client: FlaskClient, people: Any) -> None:
    response = login(client, EDITOR)
    assert response.status_code == 303
    assert response.headers["Location"] == "/min-side"
    dashboard = client.get("/min-side")
    assert dashboard.status_code == 200
    assert "Min side" in page_text(dashboard)
    assert "Logg ut" in page_text(dashboard)

    # Signing out is a form post (a link elsewhere cannot sign anyone out).
    assert client.get("/logg-ut").status_code == 200
    assert client.get("/min-side").status_code == 200
    token = csrf_token(client, "/min-side")
    response = client.post("/logg-ut", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/min-side").headers["Location"].startswith("/logg-inn")


def test_a_wrong_password_and_an_unknown_address_look_the_same(
    client: FlaskClient, people: Any
) -> None:
    wrong = login(client, EDITOR, password="feil passord her")
    unknown = login(client, Person("ingen@namsos.kommune.no", "5007", "editor"))
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        assert LOGIN_FAILED in page_text(response)

    # The pages differ only in the address typed back and the form's CSRF token.
    def normalised(response: Any, email: str) -> str:
        html = response.get_data(as_text=True).replace(email, "EMAIL")
        return re.sub(r'name="csrf_token" value="[^"]+"', "", html)

    assert normalised(wrong, EDITOR.email) == normalised(unknown, "ingen@namsos.kommune.no")


def test_a_deactivated_account_cannot_sign_in_and_says_no_more(
    app: Flask, client: FlaskClient, people: Any
) -> None:
    with app.app_context():
        users.set_active(EDITOR.email, False)
    response = login(client, EDITOR)
    assert response.status_code == 401
    assert LOGIN_FAILED in page_text(response)


def test_an_empty_form_names_each_field_in_norwegian(client: FlaskClient, people: Any) -> None:
    response = post_form(client, "/logg-inn", {"email": "", "password": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Fyll ut e-postadressen." in html
    assert "Fyll ut passordet." in html
    # Each error sits next to its field and is tied to it for screen readers.
    assert 'id="f-email-error"' in html
    assert re.search(r'<input[^>]*id="f-email"[^>]*aria-describedby="f-email-error"', html)
    assert 'aria-invalid="true"' in html
    assert 'href="#f-password"' in html  # the summary links to the field


@pytest.mark.parametrize("known", [True, False])
def test_failed_logins_slow_down_per_address_whether_or_not_it_has_an_account(
    app: Flask, client: FlaskClient, people: Any, known: bool
) -> None:
    person = EDITOR if known else Person("ukjent@namsos.kommune.no", "5007", "editor")
    for _ in range(users.THROTTLE_FREE_ATTEMPTS):
        assert login(client, person, password="feil passord her").status_code == 401
    # Now even the right password must wait, and the answer is the same for both addresses.
    blocked = login(client, person)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "For mange mislykkede innlogginger" in page_text(blocked)
    assert client.get("/min-side").status_code == 302  # not signed in

    # Once the wait is over (moved into the past here, instead of sleeping), it may try again;
    # each further failure waits longer.
    with app.app_context():
        throttle = db.session.get(LoginThrottle, users._throttle_key(person.email))
        first_wait = throttle.blocked_until - throttle.updated_at
        throttle.blocked_until = throttle.updated_at
        db.session.commit()
    assert login(client, person, password="feil passord her").status_code == 401
    with app.app_context():
        throttle = db.session.get(LoginThrottle, users._throttle_key(person.email))
        assert throttle.blocked_until - throttle.updated_at > first_wait
        throttle.blocked_until = throttle.updated_at
        db.session.commit()
    if known:
        assert login(client, person).status_code == 303
        with app.app_context():  # a success forgets the failures
            assert db.session.get(LoginThrottle, users._throttle_key(person.email)) is None


def test_the_login_form_is_rate_limited_per_client(base_template: Any, tmp_path: Any) -> None:
    from tests.conftest import PG_URL

    if PG_URL:
        pytest.skip("the limiter needs no database; one run (SQLite) is enough")
    import shutil

    target = tmp_path / "db.sqlite"
    shutil.copy(base_template, target)
    config = _config(f"sqlite:///{target}", tmp_path / "index", tmp_path)
    config["RATELIMIT_LOGIN"] = "3 per minute"
    limited = create_app(config)
    client = limited.test_client()
    answers = [
        login(client, Person(f"n{i}@namsos.kommune.no", "5007", "editor")).status_code
        for i in range(4)
    ]
    assert answers == [401, 401, 401, 429]
    assert "For mange forespørsler" in page_text(
        login(client, Person("n9@namsos.kommune.no", "5007", "editor"))
    )
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_one_time_password_must_be_changed_first(
    app: Flask, client: FlaskClient, runner: Any
) -> None:
    result = runner.invoke(
        args=["users", "create", "--email", "Per@Namsos.kommune.no", "--org", "5007"]
    )
    assert result.exit_code == 0, result.output
    one_time = result.output.strip().splitlines()[-1]
    person = Person("per@namsos.kommune.no", "5007", "editor", one_time)

    response = login(client, person)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/bytt-passord")
    # Every page behind the login sends the person to the password change first.
    assert client.get("/min-side").headers["Location"].startswith("/bytt-passord")
    assert client.get("/losninger/ny").headers["Location"].startswith("/bytt-passord")

    too_short = post_form(
        client,
        "/bytt-passord",
        {"current_password": one_time, "new_password": "kort", "new_password_repeat": "kort"},
    )
    assert too_short.status_code == 422
    assert "Skriv minst 12 tegn." in page_text(too_short)
    differ = post_form(
        client,
        "/bytt-passord",
        {"current_password": one_time, "new_password": PASSWORD, "new_password_repeat": "x"},
    )
    assert "Passordene er ikke like." in page_text(differ)
    wrong = post_form(
        client,
        "/bytt-passord",
        {"current_password": "gjett", "new_password": PASSWORD, "new_password_repeat": PASSWORD},
    )
    assert "Passordet er feil." in page_text(wrong)

    done = post_form(
        client,
        "/bytt-passord",
        {"current_password": one_time, "new_password": PASSWORD, "new_password_repeat": PASSWORD},
    )
    assert done.status_code == 303
    assert client.get("/min-side").status_code == 200
    with app.app_context():
        user = db.session.query(User).filter_by(email="per@namsos.kommune.no").one()
        assert not user.must_change_password
        assert user.password_hash.startswith("$argon2id$")
        assert one_time not in user.password_hash


def test_a_new_password_ends_the_other_sessions(app: Flask, people: Any) -> None:
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, EDITOR)
    login(phone, EDITOR)
    assert phone.get("/min-side").status_code == 200
    new = "et helt annet passord 2025"
    response = post_form(
        laptop,
        "/bytt-passord",
        {"current_password": PASSWORD, "new_password": new, "new_password_repeat": new},
    )
    assert response.status_code == 303
    assert laptop.get("/min-side").status_code == 200
    assert phone.get("/min-side").headers["Location"].startswith("/logg-inn")


def test_deactivating_an_account_ends_its_sessions_at_once(
    app: Flask, client: FlaskClient, people: Any, runner: Any
) -> None:
    login(client, EDITOR)
    assert client.get("/min-side").status_code == 200
    result = runner.invoke(args=["users", "deactivate", EDITOR.email])
    assert result.exit_code == 0, result.output
    assert client.get("/min-side").headers["Location"].startswith("/logg-inn")


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_login_never_redirects_off_the_site(client: FlaskClient, people: Any, target: str) -> None:
    response = post_form(
        client,
        "/logg-inn",
        {"email": EDITOR.email, "password": PASSWORD, "neste": target},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/min-side"


def test_login_returns_to_the_page_asked_for(client: FlaskClient, people: Any) -> None:
    first = client.get("/losninger/ny")
    assert first.status_code == 302
    assert first.headers["Location"] == "/logg-inn?neste=/losninger/ny"
    response = post_form(
        client,
        "/logg-inn",
        {"email": EDITOR.email, "password": PASSWORD, "neste": "/losninger/ny"},
    )
    assert response.headers["Location"] == "/losninger/ny"


def test_the_session_cookie_is_httponly_and_samesite_and_secure_over_https(
    app: Flask, people: Any
) -> None:
    plain = app.test_client()
    cookie = login(plain, EDITOR).headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # http://127.0.0.1 (make run): the browser must keep it

    tls = app.test_client()
    token = csrf_token(tls, "https://localhost/logg-inn")
    cookie = tls.post(
        "https://localhost/logg-inn",
        data={"csrf_token": token, "email": EDITOR.email, "password": PASSWORD},
        headers={"Referer": "https://localhost/logg-inn"},
    ).headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_secure_cookies_can_be_forced_for_a_proxy_that_hides_https(
    base_template: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    config = _config("sqlite:///" + str(tmp_path / "x.sqlite"), tmp_path / "i", tmp_path)
    forced = create_app(config)
    assert forced.config["SESSION_COOKIE_SECURE"] is True
