"""``flask --app wsgi users …``: create accounts (a one-time password as the last line, or one
read from standard input), reset passwords, deactivate, list."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.extensions import db
from app.models import User
from tests.accounts.conftest import PASSWORD, Person, login


def test_create_prints_a_one_time_password_last(app: Flask, runner: Any) -> None:
    result = runner.invoke(
        args=["users", "create", "--email", "kari@namsos.kommune.no", "--org", "namsos",
              "--name", "Kari Nordmann"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert "Created editor account kari@namsos.kommune.no for Namsos kommune." in lines[0]
    one_time = lines[-1]
    assert len(one_time) >= 16
    with app.app_context():
        user = db.session.query(User).one()
        assert (user.role, user.name, user.must_change_password) == (
            "editor",
            "Kari Nordmann",
            True,
        )
        assert user.organisation.kommunenummer == "5007"
        assert one_time not in user.password_hash


def test_create_takes_the_password_from_standard_input(app: Flask, runner: Any) -> None:
    result = runner.invoke(
        args=["users", "create", "--email", "admin@trondelagfylke.no", "--org", "5001",
              "--role", "admin", "--password"],
        input=PASSWORD + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    client = app.test_client()
    response = login(client, Person("admin@trondelagfylke.no", "5001", "admin"))
    assert response.headers["Location"] == "/min-side"  # no password change needed


def test_create_refuses_bad_input_with_a_message(app: Flask, runner: Any) -> None:
    ok = ["users", "create", "--email", "kari@namsos.kommune.no", "--org", "5007"]
    assert runner.invoke(args=ok).exit_code == 0
    again = runner.invoke(args=[*ok[:3], "KARI@namsos.kommune.no", *ok[4:]])
    assert again.exit_code == 1
    assert "already exists" in again.output
    bad = runner.invoke(args=["users", "create", "--email", "ikke-en-adresse", "--org", "5007"])
    assert bad.exit_code == 1
    assert "email" in bad.output
    unknown = runner.invoke(args=["users", "create", "--email", "a@b.no", "--org", "9999"])
    assert unknown.exit_code == 1
    weak = runner.invoke(
        args=["users", "create", "--email", "c@d.no", "--org", "5007", "--password"], input="kort\n"
    )
    assert weak.exit_code == 1
    assert "password" in weak.output
    role = runner.invoke(args=[*ok[:3], "x@y.no", *ok[4:], "--role", "publisher"])
    assert role.exit_code == 2


def test_reset_deactivate_activate_and_list(app: Flask, runner: Any) -> None:
    runner.invoke(
        args=["users", "create", "--email", "kari@namsos.kommune.no", "--org", "5007",
              "--password"],
        input=PASSWORD + "\n",
    )  # fmt: skip
    kari = Person("kari@namsos.kommune.no", "5007", "editor")
    reset = runner.invoke(args=["users", "reset-password", "kari@namsos.kommune.no"])
    assert reset.exit_code == 0
    one_time = reset.output.strip().splitlines()[-1]
    assert login(app.test_client(), kari).status_code == 401  # the old password is gone
    response = login(app.test_client(), Person(kari.email, "5007", "editor", one_time))
    assert response.headers["Location"].startswith("/bytt-passord")

    assert runner.invoke(args=["users", "deactivate", kari.email]).exit_code == 0
    assert "deactivated" in runner.invoke(args=["users", "list"]).output
    assert (
        login(app.test_client(), Person(kari.email, "5007", "editor", one_time)).status_code == 401
    )
    assert runner.invoke(args=["users", "activate", kari.email]).exit_code == 0
    listing = runner.invoke(args=["users", "list", "--org", "5007"]).output
    assert "kari@namsos.kommune.no\tnamsos\teditor\tactive" in listing
    assert runner.invoke(args=["users", "deactivate", "ingen@x.no"]).exit_code == 1
